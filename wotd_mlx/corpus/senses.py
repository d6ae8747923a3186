"""Which of a GCIDE entry's senses the lexicon shows, and the text cleaning every GCIDE string goes through.

Webster 1913 often opens an entry with a pointer rather than a definition: "template: Same as Templet.",
"bacteria: See Bacterium.", "slow: Slew." (the past tense of slay, filed under slow). Shown as a word's
definition, these tell a person nothing. The rule: an entry that is another word's spelling or form
("phoenix: Same as Phenix.") shows that word's first real definition after it ("Same as phenix: A bird
fabled ..."); otherwise the first sense that is not a pointer (slow: the adjective, not "Slew."; moo: "To
make the noise of a cow", not "See Mo."); an entry of pointers only follows its first "See" or "Same as"
("template: Same as templet: A gauge ...") and keeps a one-word synonym ("esperance: Hope.").
Grammatical pointers ("imp. of Blow", "pl. of Wolf") are real definitions: they say what the form is.

A headword's homographs are blocks of one entry, in Webster's order, which often puts a rare one first:
"press: An East Indian insectivore", "far: A young pig", "agree: In good part; kindly", "tight: p. p. of
Tie". The main entry of such a word has many senses (press, v. t., 9; far, a., 5) where the rare one has
one, so a block with at least 3 definitions and 3 times as many as the first block goes first. Below that
the first block is kept: a noun of 1 sense and a verb of 2 (dung, dine) are both real, and the first is the
one Webster put first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wotd_mlx.corpus import labels as lab
from wotd_mlx.corpus.gcide import GcideEntry

MAX_DEFINITION = 200
MAIN_MIN, MAIN_RATIO = 3, 3  # when a later homograph is the main one (see the module's docstring)
# GCIDE cruft: source tags glued to the end of quotations ("Chaucer.1913 Webster]"), sense numbers.
_CRUFT = re.compile(r"\s*(?:\[?\s*(?:1913 Webster|Webster 1913 Suppl\.|WordNet 1\.5|PJC|MW10|RN=?\d*)\s*\]?)")
_BRACKETS = re.compile(r"\[[^\]]*\]")
# How a pointer definition opens (also what scripts/lexicon_coverage.py counts as a bare pointer).
REFERS = r"(?:See|Same as|Alt\. of|Var\. of|Variant of|Obs\. form of)\s"
# A definition that only points at another entry: "See X", "Same as X", "Alt. of X", or one word ("Slew.").
_POINTER = re.compile(rf"^{REFERS}|^[A-Za-z][a-z-]*\.?$")
# ... and the one word it names, when nothing but a part of speech or sense number follows it ("Same as
# Diaper, n., 2."); "See Wax insect, under Wax." names no single word, so it is not followed.
_TARGET = re.compile(rf"^(?:{REFERS}\s*)?([A-Za-z][a-z-]*)(?:[\s,.;()]|\d|\b(?:n|v|a|adj|adv|t|i)\.)*$")
# The entry is another spelling or form of one word ("phoenix: Same as Phenix."; not "sterling: Same as
# Starling, 3.", a sense of another word): followed even when a later sense is real ("A genus of palms").
_VARIANT = re.compile(r"^(?:Same as|Alt\. of|Var\. of|Variant of)\s+[A-Za-z][a-z-]*(?:[\s,.;]|\b[a-z]\.)*$")


def clean_text(text: str, limit: int = MAX_DEFINITION) -> str:
    """Definition/example text without bracketed labels, source tags and line breaks, <= limit chars."""
    text = _CRUFT.sub(" ", text)
    text = _BRACKETS.sub(" ", text)
    text = re.sub(r"\{\d+\}", "", text)  # WordNet sense markers: goal{3}
    text = re.split(r"\s*Syn\. --", text)[0]
    text = lab._LABEL_RE.sub(lambda m: " " if lab.find_labels(m.group(0)) else m.group(0), text)
    text = re.sub(r"\s+", " ", text).strip().strip("]").strip()
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    if len(text) > limit:
        cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
        text = cut + "…"
    return text


def cleaned_definitions(entry: GcideEntry) -> Iterator[str]:
    """Every definition of an entry, cleaned, in Webster's order (search and its evaluation read these)."""
    for sense in entry.senses:
        for text in sense.definitions:
            yield clean_text(text)


def pointer_target(definition: str) -> str | None:
    """The word a pointer definition names ("Same as Templet." -> "templet"); "" for a pointer that names no
    single word; None for a real definition."""
    if not _POINTER.match(definition):
        return None
    m = _TARGET.match(definition)
    return m.group(1).lower() if m else ""


def _main_first(blocks: list) -> list:
    """The blocks with the main homograph first: the largest, when it has at least 3 definitions and 3 times
    as many as the first block; otherwise Webster's order."""
    if not blocks:
        return blocks
    main = max(range(len(blocks)), key=lambda i: len(blocks[i].definitions))  # the first of equals
    n = len(blocks[main].definitions)
    if n >= MAIN_MIN and n >= MAIN_RATIO * len(blocks[0].definitions):
        return [blocks[main], *blocks[:main], *blocks[main + 1 :]]
    return blocks


def _senses(entry: GcideEntry):
    """(pos, cleaned definition, raw examples) of every usable sense, the main homograph's first (see
    `_main_first`); lazy, since most entries are decided by their first sense."""
    for s in _main_first(entry.senses):
        for text, examples in zip(s.definitions, s.examples, strict=False):
            clean = clean_text(text)
            if len(clean) >= 3:
                yield s.pos, clean, examples


def _shown(pos: str, definition: str, examples) -> tuple[str, str, str]:
    """(pos, definition, the first example that is not empty once cleaned)."""
    return pos, definition, next((c for x in examples if (c := clean_text(x))), "")


def _follow(sense: tuple, entry: GcideEntry, index: dict[str, GcideEntry]) -> tuple[str, str, str] | None:
    """The sense shown for a pointer: the named word's first real definition after "Same as <word>:" (that
    it is another word's form tells the reader, and the style classifier, a lot); None if it cannot be."""
    target = index.get(pointer_target(sense[1]) or "")
    if target is None or target is entry:
        return None
    followed = next((s for s in _senses(target) if pointer_target(s[1]) is None), None)
    if followed is None:
        return None
    return _shown(sense[0], clean_text(f"Same as {target.headword}: {followed[1]}"), followed[2])


def pick_sense(entry: GcideEntry, index: dict[str, GcideEntry]) -> tuple[str, str, str]:
    """(pos, definition, example) the lexicon shows for an entry, by the module's rule; empty if none."""
    senses = _senses(entry)
    first = next(senses, None)
    if first is None:
        return "", "", ""
    if _VARIANT.match(first[1]) and (followed := _follow(first, entry, index)):
        return followed
    if pointer_target(first[1]) is None:
        return _shown(*first)
    real = next((s for s in senses if pointer_target(s[1]) is None), None)
    if real is not None:
        return _shown(*real)
    # Only pointers. "See X" and "Same as X" are followed; a bare one-word synonym ("esperance: Hope.") is
    # shown as it is: the word it names often has several entries, and the first may be another word.
    return (_follow(first, entry, index) if re.match(REFERS, first[1]) else None) or _shown(*first)
