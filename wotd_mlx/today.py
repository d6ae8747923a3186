"""Dates, candidate words, and the two simple draws the learner is measured against.

Candidates are lexicon words worth a day: a definition, an etymology, and not among the most common
words (complexity level above the lowest quarter). `pick_word` is the non-personal word of the day (a
date-seeded uniform draw) and, given a Rocchio preference vector, the earlier draw among the TOP_K
candidates closest to it. The default learner lives in taste/learner.py; `wotd bench preference` compares
all three.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

import numpy as np

from .corpus.modern import modern
from .errors import WotdError, shown
from .store import LexEntry

TOP_K = 50


def parse_date(text: str | None) -> str:
    """ISO date string for `text` (YYYY-MM-DD), or today's local date when None."""
    if text is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise WotdError(f"invalid date {shown(text)}; expected YYYY-MM-DD, for example 2026-11-22") from None


def modern_fields(word: str) -> dict[str, str]:
    """The word's IPA and first modern (OEWN 2024) gloss, shown beside Webster's definition ("": none)."""
    now = modern(word)
    return {"ipa": now.ipa, "modern_gloss": now.glosses[0] if now.glosses else ""}


def date_rng(date: str) -> np.random.Generator:
    """A random generator seeded by the date alone (stable across machines and Python versions)."""
    seed = int.from_bytes(hashlib.sha256(date.encode()).digest()[:8], "little")
    return np.random.default_rng(seed)


def candidates(entries: Sequence[LexEntry], complexity_levels: int) -> list[LexEntry]:
    """Words that make a good word of the day."""
    floor = max(1, complexity_levels // 4)
    return [e for e in entries if e.definition and e.etymology and e.complexity >= floor]


def pick_word(
    date: str,
    pool: Sequence[LexEntry],
    pool_vectors: np.ndarray | None = None,
    preference: np.ndarray | None = None,
    exclude: set[str] | frozenset[str] = frozenset(),
) -> LexEntry:
    """The word for `date` from `pool` (rows of `pool_vectors` align with it when a preference is given)."""
    keep = [i for i, e in enumerate(pool) if e.word not in exclude] or list(range(len(pool)))
    if not keep:
        raise WotdError("the lexicon has no candidate words; run `wotd train` with a larger lexicon")
    rng = date_rng(date)
    if preference is None or pool_vectors is None:
        return pool[keep[int(rng.integers(len(keep)))]]
    sims = pool_vectors[keep] @ preference
    top = np.argsort(-sims, kind="stable")[:TOP_K]
    weights = np.exp((sims[top] - sims[top].max()) / 0.05)  # sharper than uniform, still varied day to day
    return pool[keep[int(top[rng.choice(len(top), p=weights / weights.sum())])]]
