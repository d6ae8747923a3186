"""Search scores beyond one vector: the word's "word: definition" vector fused with its word-alone vector
and a word-frequency prior, with the weights tuned on held-out dev senses."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

WORD_GRID = (0.0, 0.1, 0.2, 0.3, 0.5)
ZIPF_GRID = (0.0, 0.005, 0.01, 0.02, 0.03, 0.05)


@dataclass(frozen=True)
class FusionWeights:
    """score = cos(q, "word: definition") + word * cos(q, word alone) + zipf * zipf_frequency(word)."""

    word: float = 0.0
    zipf: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class FusionIndex:
    """The matrices fused search reads: unit rows aligned with `words`."""

    words: list[str]
    definition: np.ndarray  # (n, d) vectors of "word: definition"
    alone: np.ndarray | None  # (n, d) vectors of the word alone, or None (definition vectors only)
    zipf: np.ndarray  # (n,) wordfreq zipf of each word

    def scores(self, queries: np.ndarray, w: FusionWeights) -> np.ndarray:
        """(m, n) fused scores of unit query rows against every word."""
        s = np.atleast_2d(queries) @ self.definition.T
        if w.word and self.alone is not None:
            s += w.word * (np.atleast_2d(queries) @ self.alone.T)
        if w.zipf:
            s += w.zipf * self.zipf[None, :]
        return s

    def top(self, query: np.ndarray, w: FusionWeights, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k best (scores, positions) for one query, best first."""
        s = self.scores(query, w)[0]
        k = min(k, len(s))
        part = np.argpartition(-s, k - 1)[:k]
        order = part[np.argsort(-s[part])]
        return s[order], order


def target_ranks(scores: np.ndarray, targets: Sequence[int]) -> np.ndarray:
    """1-based rank of each row's target (ties count against it); a target of -1 (not indexed) ranks inf."""
    out = np.full(len(targets), np.inf)
    for i, t in enumerate(targets):
        if t >= 0:
            out[i] = int((scores[i] >= scores[i, t]).sum())
    return out


def metrics(ranks: np.ndarray) -> dict:
    """acc@1/10/100 and median rank (a missing target counts as a miss)."""
    med = float(np.median(ranks))
    return {
        "acc@1": round(float((ranks <= 1).mean()), 3),
        "acc@10": round(float((ranks <= 10).mean()), 3),
        "acc@100": round(float((ranks <= 100).mean()), 3),
        "median_rank": med if np.isfinite(med) else None,
    }


def tune(index: FusionIndex, queries: np.ndarray, targets: Sequence[int]) -> FusionWeights:
    """The grid point with the best mean reciprocal rank on (dev) queries."""
    best, best_mrr = FusionWeights(), -1.0
    for a, b in itertools.product(WORD_GRID if index.alone is not None else (0.0,), ZIPF_GRID):
        w = FusionWeights(a, b)
        mrr = float(np.mean(1.0 / target_ranks(index.scores(queries, w), targets)))
        if mrr > best_mrr:
            best, best_mrr = w, mrr
    return best

