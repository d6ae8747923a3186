"""The learned taste in plain words: "you like rare words of Renaissance Latin or Greek origin, about the
arts", with three example words.

The sentence is built from the axis levels the taste leans to (profile.py's `leans`: per axis up to two levels
whose weight is above the axis's average) and phrased from a small table per level name (corpus/labels.py's
STYLES, COMPLEXITY_NAMES and ERAS, as `axis_names` writes them: "3 · familiar", "Old English / Old Norse &
early Germanic"). A level name outside the tables (a renamed axis) is used as it is. The examples are liked
words, those matching the most leaned-to levels first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

NOTHING = "no likes yet: still exploring"

# complexity level -> an adjective before "words"
COMPLEXITY = {
    "very common": "very common",
    "common": "common",
    "familiar": "familiar",
    "moderate": "fairly uncommon",
    "uncommon": "uncommon",
    "rare": "rare",
    "very rare": "very rare",
    "obscure/long": "obscure, long",
}
# era level -> ("origin", a source for "of ... origin") or ("phrase", a phrase after "words")
ERA = {
    "Old English": ("origin", "Old English"),
    "Old Norse & early Germanic": ("origin", "Old Norse and early Germanic"),
    "Norman & Old French": ("origin", "Norman and Old French"),
    "medieval Latin": ("origin", "medieval Latin"),
    "Renaissance Latin": ("origin", "Renaissance Latin"),
    "Renaissance Greek": ("origin", "Greek"),
    "early-modern borrowings": ("phrase", "borrowed in early modern times"),
    "modern coinages": ("phrase", "coined in modern times"),
}
# style level -> a phrase after the words' origin
STYLE = {
    "everyday": "from everyday life",
    "literary & archaic": "from old books and poetry",
    "life sciences & medicine": "about living things and medicine",
    "physical sciences & maths": "about the physical sciences and mathematics",
    "technical & trades": "about crafts, trades and techniques",
    "law, religion & government": "about law, religion and government",
    "arts & humanities": "about the arts",
    "colloquial, dialect & slang": "from slang and dialect",
}
EXAMPLES = 3


def _or(parts: Sequence[str]) -> str:
    return " or ".join(dict.fromkeys(p for p in parts if p))


def _and(parts: Sequence[str]) -> str:
    parts = list(dict.fromkeys(parts))
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _complexity(name: str) -> str:
    bare = re.sub(r"^\d+\s*·\s*", "", name)  # axis_names numbers the levels: "6 · rare"
    return COMPLEXITY.get(bare, bare)


def _era(names: Sequence[str]) -> str:
    origins, phrases = [], []
    for name in names:
        for fine in name.split(" / "):  # a level that bins several eras names them all
            kind, text = ERA.get(fine.strip(), ("phrase", f"from the {fine.strip()} era"))
            (origins if kind == "origin" else phrases).append(text)
    # a word has one origin, so leaning to two reads as either: "of Renaissance Latin or Greek origin"
    parts = [f"of {_or(origins)} origin"] if origins else []
    return _or(parts + phrases)


def sentence(leans: Sequence[Mapping], liked: Sequence[tuple[str, Mapping[str, int]]]) -> dict:
    """{"text", "examples"}: the taste in a sentence from `leans` ({"axis", "level", "name", "weight"}, the
    strongest first per axis) and `liked` words with their levels per axis, newest first."""
    if not liked:
        return {"text": NOTHING, "examples": []}
    by_axis: dict[str, list[Mapping]] = {}
    for lean in leans:
        by_axis.setdefault(lean["axis"], []).append(lean)
    names = {axis: [x["name"] for x in ls] for axis, ls in by_axis.items()}
    weight = {(x["axis"], x["level"]): float(x["weight"]) for x in leans}
    # the liked words most typical of the leans: by the sum of the lean weights each matches (ties: newest)
    scored = sorted(liked, key=lambda wl: -sum(weight.get((a, lvl), 0.0) for a, lvl in wl[1].items()))
    examples = list(dict.fromkeys(word for word, _ in scored))[:EXAMPLES]
    if not leans:
        text = "you like words such as " + _and(examples) + "; no clear lean yet"
        return {"text": text, "examples": examples}
    adjective = _or([_complexity(n) for n in names.get("complexity", [])])
    words = f"{adjective} words" if adjective else "words"
    era = _era(names.get("era", []))
    style = _or([STYLE.get(n, f"in the {n} style") for n in names.get("style", [])])
    text = "you like " + words + (f" {era}" if era else "") + (f", {style}" if style else "")
    return {"text": text, "examples": examples}


def render(plain: Mapping) -> str:
    """The sentence with its examples, as one line."""
    if not plain["examples"] or plain["text"].startswith("you like words such as"):
        return plain["text"]
    return f"{plain['text']} (e.g. {', '.join(plain['examples'])})"
