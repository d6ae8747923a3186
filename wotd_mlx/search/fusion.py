"""Search scores beyond one vector: the best of a word's senses (search/multisense.py), fused with its
word-alone vector and a word-frequency prior, with the weights tuned on held-out dev senses."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from threadpoolctl import ThreadpoolController

from .multisense import PENALTY, SenseVectors
from .ranking import one_query_one_thread, top_k

WORD_GRID = (0.0, 0.1, 0.2, 0.3, 0.5)
ZIPF_GRID = (0.0, 0.005, 0.01, 0.02, 0.03, 0.05)
PENALTY_GRID = (0.0, 0.02, 0.05, 0.1)


@dataclass(frozen=True)
class FusionWeights:
    """score = max(cos(q, "word: definition"), best other sense - penalty) + word * cos(q, word alone)
    + zipf * zipf_frequency(word); penalty None: the shown definition only."""

    word: float = 0.0
    zipf: float = 0.0
    penalty: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


SEARCH = FusionWeights(penalty=PENALTY)  # the scores of search/ranking.py, which `wotd search` uses


@dataclass
class FusionIndex:
    """The matrices fused search reads: unit rows aligned with `words`."""

    words: list[str]
    definition: np.ndarray  # (n, d) vectors of "word: definition"
    alone: np.ndarray | None = None  # (n, d) vectors of the word alone
    zipf: np.ndarray | None = None  # (n,) wordfreq zipf of each word
    senses: SenseVectors | None = None  # the words' other senses
    _blas: ThreadpoolController = field(default_factory=ThreadpoolController, repr=False)

    def parts(self, queries: np.ndarray, w: FusionWeights | None = None) -> dict[str, np.ndarray]:
        """The (m, n) similarity matrices a score combines; all of them when `w` is None (for tuning)."""
        q = np.atleast_2d(queries)
        with one_query_one_thread(self._blas, q):
            out = {"definition": q @ self.definition.T}
            if self.alone is not None and (w is None or w.word):
                out["alone"] = q @ self.alone.T
            if self.senses is not None and (w is None or w.penalty is not None):
                out["senses"] = self.senses.best_scores(q, len(self.words))
        return out

    def combine(self, parts: dict[str, np.ndarray], w: FusionWeights) -> np.ndarray:
        """(m, n) fused scores from `parts`."""
        s = parts["definition"].copy()
        if w.penalty is not None and "senses" in parts:
            np.maximum(s, parts["senses"] - w.penalty, out=s)
        if w.word and "alone" in parts:
            s += w.word * parts["alone"]
        if w.zipf and self.zipf is not None:
            s += w.zipf * self.zipf[None, :]
        return s

    def scores(self, queries: np.ndarray, w: FusionWeights) -> np.ndarray:
        """(m, n) fused scores of unit query rows against every word."""
        return self.combine(self.parts(queries, w), w)

    def top(self, query: np.ndarray, w: FusionWeights, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k best (scores, positions) for one query, best first."""
        return top_k(self.scores(query, w)[0], k)


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
    """The grid point with the best mean reciprocal rank on (dev) queries (other senses' penalty included
    when the index has them)."""
    parts = index.parts(queries)
    best, best_mrr = FusionWeights(), -1.0
    words = WORD_GRID if index.alone is not None else (0.0,)
    penalties = PENALTY_GRID if index.senses is not None else (None,)
    for a, b, p in itertools.product(words, ZIPF_GRID, penalties):
        w = FusionWeights(a, b, p)
        mrr = float(np.mean(1.0 / target_ranks(index.combine(parts, w), targets)))
        if mrr > best_mrr:
            best, best_mrr = w, mrr
    return best
