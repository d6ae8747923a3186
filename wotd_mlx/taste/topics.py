"""Tastes defined by the words' dictionary text, not by the embedding the learners see.

A word belongs to a text taste when a word-boundary keyword matches its shown definition, its modern gloss
(where one is known) or one of its GCIDE field labels (Bot., Zool., Mus., Law, Naut., Cookery, Anat.). The
learners never read these texts as such, so a text taste tests whether ratings alone find a topic whose
words the embedding may scatter. `wotd bench preference` prints each taste's base rate over the candidates.
"""

from __future__ import annotations

import re

import numpy as np

# name -> (definition/gloss keywords, GCIDE labels); word boundaries on both sides, plural "s?" allowed
TEXT_TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "text: plants and animals": (
        ("plant", "shrub", "tree", "flower", "herb", "genus", "species", "bird", "fish", "insect", "mammal"),
        ("Bot.", "Zool.", "Ornith.", "Ich.", "Entom."),
    ),
    "text: music": (
        ("music", "musical", "melody", "song", "tune", "instrument", "chord", "harmony", "organ"),
        ("Mus.",),
    ),
    "text: law": (
        ("law", "legal", "court", "judge", "lawyer", "crime", "statute", "plaintiff", "defendant"),
        ("Law", "Law.", "Old Law"),
    ),
    "text: the sea": (
        ("sea", "ship", "vessel", "sail", "sailor", "boat", "mast", "ocean", "harbor", "harbour"),
        ("Naut.",),
    ),
    "text: food": (
        ("food", "cook", "cooked", "dish", "eaten", "bread", "meat", "sauce", "cake", "fruit"),
        ("Cookery",),
    ),
    "text: the body": (
        ("body", "bone", "muscle", "blood", "skin", "organ of", "nerve", "gland", "tissue", "limb"),
        ("Anat.", "Physiol."),
    ),
}


def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(k) for k in keywords)
    return re.compile(rf"\b(?:{alternatives})(?:e?s)?\b", re.IGNORECASE)


PATTERNS = {name: _pattern(keys) for name, (keys, _) in TEXT_TOPICS.items()}


def matches(name: str, definition: str, gloss: str = "", labels: list[str] | tuple[str, ...] = ()) -> bool:
    """Whether one word's shown definition, modern gloss or field labels fall in the text taste `name`."""
    wanted = TEXT_TOPICS[name][1]
    if any(label.strip() in wanted for label in labels):
        return True
    return bool(PATTERNS[name].search(definition) or (gloss and PATTERNS[name].search(gloss)))


def text_truth(entries: dict, words: list[str]) -> dict[str, np.ndarray]:
    """Boolean masks over `words`, one per text taste; a word missing from `entries` is in none."""
    out: dict[str, np.ndarray] = {}
    for name in TEXT_TOPICS:
        out[name] = np.array(
            [
                w in entries and matches(name, entries[w].definition, entries[w].gloss, entries[w].labels)
                for w in words
            ],
            dtype=bool,
        )
    return out
