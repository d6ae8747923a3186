"""Evaluation sets for search by meaning, kept apart from anything the embedder is fine-tuned on.

Two sets: hand-written human-style descriptions (scripts/data/search_descriptions.tsv), and held-out GCIDE
senses: a fixed, hash-chosen slice of the lexicon whose dictionary senses are never training pairs. A second
slice ("dev") is also never trained on; it is the only data fusion weights are tuned on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from ..corpus.gcide import GcideEntry
from ..corpus.senses import cleaned_definitions
from ..errors import WotdError
from ..store import LexEntry

DESCRIPTIONS = Path(__file__).resolve().parents[2] / "scripts" / "data" / "search_descriptions.tsv"
SPLIT_SALT = "wotd-search-heldout-v1"
TEST_PERCENT = 5  # hash buckets 0-4 of 100: held-out test words
DEV_PERCENT = 5  # buckets 5-9: dev words (weights are tuned here, never trained on)
MIN_QUERY_CHARS = 12


def split_of(word: str) -> str:
    """ "test", "dev" or "train" for a word, fixed by a salted hash (so independent of the lexicon's size)."""
    bucket = int(hashlib.sha1(f"{SPLIT_SALT}:{word}".encode()).hexdigest(), 16) % 100
    if bucket < TEST_PERCENT:
        return "test"
    return "dev" if bucket < TEST_PERCENT + DEV_PERCENT else "train"


def load_descriptions(path: Path = DESCRIPTIONS) -> list[tuple[str, str]]:
    """(query, word) pairs from a `query<TAB>word` file with a header line and `#` comments."""
    if not path.is_file():
        raise WotdError(f"evaluation file {path} is missing")
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line == "query\tword":
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise WotdError(f"{path}:{n}: expected `query<TAB>word`, got {line!r}")
        rows.append((parts[0].strip(), parts[1].strip().lower()))
    return rows


def mentions(text: str, word: str) -> bool:
    """True when a text names the word or a form sharing its stem (up to 5 letters, fewer for short words):
    such a query would leak the answer."""
    stem = word[: max(3, min(len(word) - 2, 5))]
    return any(t.startswith(stem) for t in re.findall(r"[a-z]+", text.lower()))


def sense_texts(entry: GcideEntry, word: str) -> list[str]:
    """The cleaned senses of a GCIDE entry that stand as a query for it: long enough, not a bare
    cross-reference ("See X"), and not naming the word itself."""
    out = [
        clean
        for clean in cleaned_definitions(entry)
        if len(clean) >= MIN_QUERY_CHARS
        and not clean.startswith(("See ", "Same as"))
        and not mentions(clean, word)
    ]
    return list(dict.fromkeys(out))


def heldout_senses(
    lexicon: Sequence[LexEntry], gcide: dict[str, GcideEntry], split: str = "test", limit: int = 500
) -> list[tuple[str, str]]:
    """(sense, word) queries from words of one split: for each word the first sense that is not the
    definition its index text already carries (that would be a copy, not a search), at most `limit`."""
    rows = []
    for e in sorted(lexicon, key=lambda e: hashlib.sha1(e.word.encode()).hexdigest()):
        if split_of(e.word) != split or e.word not in gcide:
            continue
        other = [s for s in sense_texts(gcide[e.word], e.word) if s != e.definition]
        if other:
            rows.append((other[0], e.word))
        if len(rows) >= limit:
            break
    return rows
