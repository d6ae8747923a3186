"""Words a profile already knows, and the words like them that today's word passes over.

A word is known once it was answered Easy twice in review (keep/review.py's `known_words`, read from the
profile's review cards). The rule today's pick applies, for every learner:
- a known word is never today's word;
- a candidate is "near" a known word when the cosine of their embeddings (the run's index vectors) is at least
  `near_cos`; near candidates are skipped too, so the person is not shown words like ones they know. Should
  every remaining candidate be near a known word, the near rule gives way (a known word still never comes).

Why a cosine floor and not "the known word's top k neighbours": a top-k rule always marks k words near, even
round a word that nothing resembles, and finding each known word's top k means scanning every candidate per
known word; a floor is checked lazily, only on the few best-scored candidates the learner would pick, so the
pick stays fast however many words are known. `wotd bench preference` measures the rule with simulated
people who know part of the lexicon.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from ..keep import review
from ..keep import store as ks
from .space import TasteSpace

if TYPE_CHECKING:
    from ..session import Wotd


@dataclass(frozen=True)
class KnownConfig:
    """How near a known word a candidate must be to be passed over."""

    # MiniLM cosines between candidates on a --quick run (1,343 candidates): the nearest other candidate is
    # at median 0.46; pairs at >= 0.5 read as alike (laager/corral 0.50, epithelioid/epithelium 0.66) and a
    # candidate has 0.54 of them on average (34% have one or more); at 0.6, 0.11 (10%)
    near_cos: float = 0.5
    chunk: int = 256  # candidates checked per matrix product while walking down the learner's ranking
    redraws: int = 20  # the baseline draws: near words drawn in a row before the near ones are all masked


def known_positions(w: Wotd, profile: str) -> list[int]:
    """The index positions of the profile's known words (oldest known first); words no longer in the run's
    index are left out. A home that never reviewed has no review tables: nothing is known, and nothing is
    written (so reading a read-only home's profile stays possible)."""
    tables = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'keep_cards'"
    if w.store.db.execute(tables).fetchone() is None:
        return []
    pos = w.index.position
    return [pos[x] for x in review.known_words(w.store, profile) if x in pos]


def near_mask(space: TasteSpace, known: Sequence[int], positions: np.ndarray, cfg: KnownConfig) -> np.ndarray:
    """For each of `positions`, whether it is near (cosine >= near_cos) one of the `known` positions."""
    out = np.zeros(len(positions), dtype=bool)
    if not len(known) or not len(positions):
        return out
    K = space.vectors[np.asarray(known, dtype=np.int64)]
    for start in range(0, len(positions), cfg.chunk):
        rows = space.vectors[positions[start : start + cfg.chunk]]
        out[start : start + cfg.chunk] = (rows @ K.T).max(axis=1) >= cfg.near_cos
    return out


def first_not_near(
    space: TasteSpace, known: Sequence[int], ranked: np.ndarray, cfg: KnownConfig
) -> tuple[int, list[int]]:
    """The first of `ranked` (positions, best first) not near a known word, and the better ones passed over;
    (ranked[0], []) when every one is near (the near rule gives way)."""
    if not len(known):
        return int(ranked[0]), []
    for start in range(0, len(ranked), cfg.chunk):
        block = ranked[start : start + cfg.chunk]
        free = np.flatnonzero(~near_mask(space, known, block, cfg))
        if len(free):
            return int(block[free[0]]), [int(p) for p in ranked[: start + int(free[0])]]
    return int(ranked[0]), []


def nearest_known(space: TasteSpace, known: Sequence[int], pos: int) -> int:
    """The known position most like `pos` (for saying why a word was passed over)."""
    sims = space.vectors[np.asarray(known, dtype=np.int64)] @ space.vectors[pos]
    return int(known[int(np.argmax(sims))])


def mark_known(w: Wotd, profile: str, word: str, when: datetime) -> bool:
    """Answer `word`'s review item right and Easy twice, the second time when it falls due, as a person who
    knows it would (keep/review.py's own path: the word must be in the profile's review). True when the
    word is known afterwards.

    keep/review.py shuffles an item's options by a seed of its own and exposes no "which option is right"
    reader, so this reads its item builder (`_build`) for the right option's number."""
    ks.ready(w.store)  # the item builder reads the review tables, which `answer` would only create later
    cfg = review.ReviewConfig()
    for _ in range(cfg.known_after_easy):
        right = review._build(w, profile, word, cfg)["_words"].index(word) + 1
        done = review.answer(w, profile, word, right, "easy", now=when, cfg=cfg)
        when = datetime.fromisoformat(done["next_due"])
    return bool(done["known"])
