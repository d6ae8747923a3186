"""Search by meaning as `wotd search` and the app rank it: each word scores its best vector, the shown
definition's cosine or another sense's less PENALTY (search/multisense.py).

The fused scores of search/fusion.py (a word-alone vector and a frequency prior added) were measured and not
kept (docs/experiments.md): they live on only in `wotd bench search --methods fused`.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import ThreadpoolController

from .multisense import PENALTY, SenseVectors


def one_query_one_thread(blas: ThreadpoolController, q: np.ndarray):
    """A context that limits BLAS to one thread while scoring a single query row, and does nothing for more.

    One query is a memory-bound matrix-vector product that more BLAS threads do not speed up, and OpenBLAS's
    threads, spinning after it, made the next query's torch forward 5x slower on 2 cores."""
    return blas.limit(limits=1, user_api="blas") if len(q) == 1 else nullcontext()


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (scores, positions) of a score vector, best first."""
    k = min(k, len(scores))
    part = np.argpartition(-scores, k - 1)[:k]
    order = part[np.argsort(-scores[part])]
    return scores[order], order


@dataclass
class SenseRanker:
    """Unit rows aligned with `words`: their shown definitions, and their other senses when indexed."""

    words: list[str]
    definition: np.ndarray  # (n, d)
    senses: SenseVectors | None = None
    penalty: float = PENALTY
    _blas: ThreadpoolController = field(default_factory=ThreadpoolController, repr=False)

    def scores(self, queries: np.ndarray) -> np.ndarray:
        """(m, n) scores of unit query rows against every word."""
        q = np.atleast_2d(queries)
        with one_query_one_thread(self._blas, q):
            s = q @ self.definition.T
            if self.senses is not None:
                np.maximum(s, self.senses.best_scores(q, len(self.words)) - self.penalty, out=s)
        return s

    def top(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k best (scores, positions) for one query, best first."""
        return top_k(self.scores(query)[0], k)
