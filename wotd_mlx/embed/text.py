"""What text stands for a word when it is embedded."""

from __future__ import annotations

from ..errors import WotdError

TEXT_FORMATS = ("word", "word_definition")


def word_text(word: str, definition: str, fmt: str) -> str:
    """The text embedded for a word: "word" -> the word alone; "word_definition" -> "word: definition"."""
    if fmt == "word":
        return word
    if fmt == "word_definition":
        definition = definition.strip()
        return f"{word}: {definition}" if definition else word
    raise WotdError(f"unknown text format {fmt!r}; allowed: {', '.join(TEXT_FORMATS)}")
