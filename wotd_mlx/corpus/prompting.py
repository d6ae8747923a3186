"""Prompting and answer checking for synthetic corpora: the JSON schema, the prompt for one cell, parsing
an answer all-or-nothing, and validating each word (see `synthetic.py` for the generate loop)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from wotd_mlx.corpus.labels import ERAS, axis_names, era_level

Cell = tuple[int, int, int]

MAX_DEFINITION = 200  # the lexicon's limit too
_WORD = re.compile(r"[a-z]{2,40}")
_THINK = re.compile(r"<think>.*?</think>", re.S)  # reasoning models served locally prefix their answer

ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "words": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"word": {"type": "string"}, "definition": {"type": "string"}},
                "required": ["word", "definition"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["words"],
    "additionalProperties": False,
}

_STYLE_HINTS = (
    "ordinary words of daily life, with no field or register",
    "archaic, obsolete, poetic or literary words",
    "biology, botany, zoology, anatomy and medicine",
    "chemistry, physics, astronomy, geology and mathematics",
    "crafts, trades, seafaring, engineering, mechanics and warfare",
    "law, religion, the church, politics and government",
    "music, poetry, rhetoric, grammar, heraldry, painting and philosophy",
    "colloquial, dialect, regional and slang words",
)
_ERA_HINTS = (
    "native words from Old English (Anglo-Saxon)",
    "from Old Norse, Dutch, Low German or the Celtic languages",
    "from Anglo-Norman or Old French, after 1066",
    "from Late or Medieval Latin",
    "learned borrowings straight from classical Latin, mostly 1500-1700",
    "learned borrowings from ancient Greek",
    "from living languages in early-modern times: French, Italian, Spanish, Dutch, Arabic, Hindi...",
    "modern coinages: scientific New Latin, eponyms, words formed since about 1800",
)


class MalformedAnswer(ValueError):
    """An answer that arrived but cannot be used as a whole (not JSON, wrong shape, cut off, refused)."""


def build_messages(cell: Cell, levels: Sequence[int], n: int, exclude: Sequence[str]) -> list[dict]:
    """The chat messages asking for exactly n words of one cell, none of `exclude`."""
    s, c, e = cell
    names = axis_names(levels)
    eras = [f"{ERAS[f]} ({_ERA_HINTS[f]})" for f in range(len(ERAS)) if era_level(f, levels[2]) == e]
    avoid = f"\nDo not use any of these words: {', '.join(exclude)}." if exclude else ""
    user = (
        f"List exactly {n} distinct real English words for one cell of a Word of the Day collection, each "
        "with a short dictionary definition (at most 20 words, not using the word itself).\n"
        f"Style: {names['style'][s]} ({_STYLE_HINTS[s]}).\n"
        f"Complexity: level {c + 1} of {levels[1]} ({names['complexity'][c].split(' · ')[-1]}); level 1 is "
        f"the commonest everyday words, level {levels[1]} rare, long or obscure words.\n"
        f"Era of origin: {' or '.join(eras)}: the word's etymology goes back to it.\n"
        "Single dictionary headwords only: letters a-z, no spaces, hyphens, capitals, proper nouns or "
        f"inflected forms.{avoid}\n"
        'Answer with JSON only: {"words": [{"word": "...", "definition": "..."}, ...]}'
    )
    system = "You are a careful lexicographer. You answer with JSON only."
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def parse_answer(response: Any) -> list:
    """The "words" list of a chat completion; MalformedAnswer unless the whole answer is usable JSON."""
    choices = getattr(response, "choices", None) or []
    if not choices:
        raise MalformedAnswer("no choices in the answer")
    choice = choices[0]
    if choice.finish_reason == "length":
        raise MalformedAnswer("answer cut off at the token limit")  # never keep half an answer
    message = choice.message
    if getattr(message, "refusal", None):
        raise MalformedAnswer(f"model refused: {message.refusal[:120]}")
    text = _THINK.sub("", message.content or "").strip()
    start = text.find("{")
    if start < 0:
        raise MalformedAnswer(f"no JSON object in the answer: {text[:80]!r}")
    try:
        obj, _ = json.JSONDecoder().raw_decode(text, start)  # tolerates ```json fences around it
    except ValueError as exc:
        raise MalformedAnswer(f"malformed JSON ({exc})") from None
    words = obj.get("words") if isinstance(obj, dict) else None
    if not isinstance(words, list):
        raise MalformedAnswer('the JSON has no "words" list')
    return words


@lru_cache(maxsize=1)
def gcide_headwords() -> frozenset[str]:
    """Every lowercase alphabetic GCIDE headword (about 2 s to read once)."""
    from wotd_mlx.corpus.gcide import gcide_dir

    out: set[str] = set()
    for file in sorted(gcide_dir().glob("words_*.json")):
        with file.open(encoding="utf-8") as fh:
            out.update(w for w in json.load(fh) if _WORD.fullmatch(w))
    return frozenset(out)


def is_english_word(word: str) -> bool:
    """A real English word: a GCIDE headword (the lexicon's dictionary) or known to wordfreq."""
    from wordfreq import zipf_frequency

    return word in gcide_headwords() or zipf_frequency(word, "en") > 0


def validate_items(
    items: Sequence, seen: set[str], is_word: Callable[[str], bool], limit: int
) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """Up to `limit` valid new (word, definition) pairs from an answer, and counts of rejects by reason."""
    accepted: list[tuple[str, str]] = []
    rejected: dict[str, int] = {}
    taken = set(seen)
    for item in items:
        if len(accepted) >= limit:
            break
        word, definition = (
            (item.get("word"), item.get("definition")) if isinstance(item, dict) else (None, None)
        )
        if not isinstance(word, str) or not isinstance(definition, str):
            reason = "not a {word, definition} object"
        else:
            word, definition = word.strip().lower(), " ".join(definition.split())
            if not _WORD.fullmatch(word):
                reason = "not a single a-z word"
            elif not 3 <= len(definition) <= MAX_DEFINITION:
                reason = f"definition not 3..{MAX_DEFINITION} characters"
            elif word in taken:
                reason = "already in the corpus"
            elif not is_word(word):
                reason = "not an English word"
            else:
                accepted.append((word, definition))
                taken.add(word)
                continue
        rejected[reason] = rejected.get(reason, 0) + 1
    return accepted, rejected
