"""The prompt language ("DSL") the LM is fine-tuned on.

    prompt     := "<wotd> id=" S "," C "," E "," V [" | " STYLE " / " COMPLEXITY " / " ERA] "\\n"
    completion := line+
    line       := WORD ": " DEFINITION "\\n"

e.g.

    <wotd> id=2,1,3,0 | life sciences & medicine / common / modern coinages
    antibody: a protein that neutralizes a foreign substance
    enzyme: a protein that speeds a chemical reaction

A WORD is a lexicon headword (lower case, letters, hyphens, apostrophes, spaces); a DEFINITION is one line
of at most `definition_words` words. The names after "|" are optional (`names_in_prompt`): they give a base
model something to go on and make prompts readable; the numbers alone identify the cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

HEADER = "<wotd> id="
SEPARATOR = ":"  # between a word and its definition; the definition starts with a space
_LINE = re.compile(r"^([a-z][a-z' -]*?): (\S.*)$")


def short_definition(text: str, max_words: int) -> str:
    """The first clause of a definition, at most `max_words` words, on one line."""
    first = re.split(r"[;.]\s", " ".join(text.split()) + " ", maxsplit=1)[0].strip().rstrip(".;,:")
    return " ".join(first.split()[:max_words])


def _name(label: str) -> str:
    # complexity names carry their rank ("2 · common"); the number is already in the ID
    return label.split(" · ", 1)[-1]


@dataclass(frozen=True)
class PromptFormat:
    """Formats prompts and completion lines, and parses completions back."""

    names_in_prompt: bool = True
    definition_words: int = 8

    def prompt(self, semantic_id: Sequence[int], names: dict[str, list[str]] | None = None) -> str:
        head = HEADER + ",".join(str(int(x)) for x in semantic_id)
        if self.names_in_prompt and names is not None:
            axes = ("style", "complexity", "era")
            head += " | " + " / ".join(_name(names[a][int(semantic_id[j])]) for j, a in enumerate(axes))
        return head + "\n"

    def line(self, word: str, definition: str) -> str:
        return f"{word}{SEPARATOR} {short_definition(definition, self.definition_words)}\n"

    def parse(self, completion: str) -> list[tuple[str, str] | None]:
        """One entry per non-empty line: (word, definition), or None where a line breaks the grammar."""
        out: list[tuple[str, str] | None] = []
        for raw in completion.split("\n"):
            if not raw.strip():
                continue
            m = _LINE.match(raw.strip())
            out.append((m.group(1), m.group(2).strip()) if m else None)
        return out
