"""Which of a GCIDE entry's senses the lexicon shows, and the text cleaning every GCIDE string goes through.

Webster 1913 often opens an entry with a pointer rather than a definition: "template: Same as Templet.",
"bacteria: See Bacterium.", "slow: Slew." (the past tense of slay, filed under slow). Shown as a word's
definition, these tell a person nothing. The rule: an entry that is another word's spelling or form
("phoenix: Same as Phenix.") shows that word's first real definition after it ("Same as phenix: A bird
fabled ..."); otherwise the first sense that is not a pointer (slow: the adjective, not "Slew."; moo: "To
make the noise of a cow", not "See Mo."); an entry of pointers only follows its first "See" or "Same as"
("template: Same as templet: A gauge ...") and keeps a one-word synonym ("esperance: Hope.").
Grammatical pointers ("imp. of Blow", "pl. of Wolf") are real definitions: they say what the form is.

Webster often puts a word's old senses first, each marked: university "The universe; the whole. [Obs.]",
nice "Foolish; silly. [Obs.]". The definition shown is the first real sense not marked obsolete, rare or
archaic (`Sense.is_old`) when the word has one; a word with old senses only shows its first and says so
("To empty. [Obs.]"). Given the word's modern glosses (Open English WordNet), the current sense whose words
best match them is shown instead (`gloss_score`; Webster's order breaks ties and a score of 0 changes
nothing).

A headword's homographs are blocks of one entry, in Webster's order, which often puts a rare one first:
"press: An East Indian insectivore", "far: A young pig", "agree: In good part; kindly", "tight: p. p. of
Tie". The main entry of such a word has many senses (press, v. t., 9; far, a., 5) where the rare one has
one, so a block with at least 3 definitions and 3 times as many as the first block goes first. Below that
the first block is kept: a noun of 1 sense and a verb of 2 (dung, dine) are both real, and the first is the
one Webster put first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence

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
    """(pos, cleaned definition, raw examples, old usage labels) of every usable sense, the main homograph's
    first (see `_main_first`); the labels are empty for a current sense."""
    for s in _main_first(entry.senses):
        for i, (text, examples) in enumerate(zip(s.definitions, s.examples, strict=False)):
            clean = clean_text(text)
            if len(clean) >= 3:
                old = list(s.usage[i]) if s.is_old(i) else []
                yield s.pos, clean, examples, old


def _shown(pos: str, definition: str, examples, old: Sequence[str] = ()) -> tuple[str, str, str]:
    """(pos, definition, the first example that is not empty once cleaned); an old sense keeps its labels
    ("To empty. [Obs.]") so that nobody takes it for today's meaning."""
    definition += "".join(f" [{u}]" for u in old)
    return pos, definition, next((c for x in examples if (c := clean_text(x))), "")


_STOP_WORDS = (
    "a an the of to in on or and as by for from with at is be that which who this it its any one some "
)
_STOP = frozenset(
    (_STOP_WORDS + "used especially esp etc kind make made being having has have into not no so such").split()
)


def _content(text: str) -> set[str]:
    """Lowercase content words of a text, a plural or verb s dropped (crude, but the same on both sides)."""
    words = re.findall(r"[a-z]+", text.lower())
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words if w not in _STOP}


def gloss_score(definition: str, glosses: Sequence[str]) -> float:
    """How well a definition matches a word's modern glosses: over the first three glosses, the content words
    it shares with gloss j divided by j (the first gloss is the commonest sense) and by the square root of
    its own content words (long senses share more by chance); the best of the three."""
    words = _content(definition)
    if not words:
        return 0.0
    shared = (len(words & _content(g)) / j for j, g in enumerate(glosses[:3], 1))
    return max(shared, default=0.0) / math.sqrt(len(words))


def _current(real: list, glosses: Sequence[str]):
    """The sense shown among real ones: the best gloss match of the current senses, else the first current
    one, else (only old senses) the first."""
    current = [s for s in real if not s[3]]
    if not current:
        return real[0]
    if glosses:
        scores = [gloss_score(s[1], glosses) for s in current]
        best = max(range(len(current)), key=lambda i: scores[i])  # the first of equals
        if scores[best] > 0:
            return current[best]
    return current[0]


def _follow(sense: tuple, entry: GcideEntry, index: dict[str, GcideEntry]) -> tuple[str, str, str] | None:
    """The sense shown for a pointer: the named word's first real definition after "Same as <word>:" (that
    it is another word's form tells the reader, and the style classifier, a lot); None if it cannot be."""
    target = index.get(pointer_target(sense[1]) or "")
    if target is None or target is entry:
        return None
    real = [s for s in _senses(target) if pointer_target(s[1]) is None]
    if not real:
        return None
    followed = _current(real, ())
    return _shown(sense[0], clean_text(f"Same as {target.headword}: {followed[1]}"), followed[2])


def pick_sense(
    entry: GcideEntry, index: dict[str, GcideEntry], glosses: Sequence[str] = ()
) -> tuple[str, str, str]:
    """(pos, definition, example) the lexicon shows for an entry, by the module's rule; empty if none.
    `glosses`: the word's modern glosses, if known (see the module's docstring)."""
    senses = list(_senses(entry))
    if not senses:
        return "", "", ""
    first = senses[0]
    if _VARIANT.match(first[1]) and (followed := _follow(first, entry, index)):
        return followed
    real = [s for s in senses if pointer_target(s[1]) is None]
    if real:
        return _shown(*_current(real, glosses))
    # Only pointers. "See X" and "Same as X" are followed; a bare one-word synonym ("esperance: Hope.") is
    # shown as it is: the word it names often has several entries, and the first may be another word.
    return (_follow(first, entry, index) if re.match(REFERS, first[1]) else None) or _shown(*first)
