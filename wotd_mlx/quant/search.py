"""Search over compressed codes, all with float queries in and (scores, row ids) out.

- binary codes: faiss `IndexBinaryFlat` (exhaustive Hamming with popcount), optionally followed by
  asymmetric rescoring of the top candidates (float query projection . +-1 code), or exhaustive asymmetric;
- faiss codecs (PQ, OPQ, RVQ, scalar): the trained faiss index filled with the codes (asymmetric distance);
- anything else: exact inner product against the decoded vectors.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import faiss
import numpy as np

from ..errors import WotdError
from .base import BinaryQuantizer, Quantizer, as_matrix
from .faiss_methods import FaissCodec

MODES = ("hamming", "rescore", "asymmetric")
CHUNK = 256  # queries scored at once in numpy paths: bounds the (queries x candidates x bits) temporaries


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(scores, ids) of the k largest entries of each row, best first."""
    k = min(k, scores.shape[1])
    idx = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    part = np.take_along_axis(scores, idx, 1)
    order = np.argsort(-part, axis=1, kind="stable")
    return np.take_along_axis(part, order, 1), np.take_along_axis(idx, order, 1)


class CodeIndex(ABC):
    """Search over n stored items; `score_rows` scores queries against chosen rows the way `search` does."""

    n: int

    @abstractmethod
    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores (m, k), ids (m, k)) for float queries (m, d); higher score = more similar."""

    @abstractmethod
    def score_rows(self, queries: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Scores (m, len(rows)) of the queries against the given stored rows."""


class FloatIndex(CodeIndex):
    """The float32 reference: exact inner product (faiss `IndexFlatIP`)."""

    def __init__(self, vectors: np.ndarray):
        self.vectors = as_matrix(vectors)
        self.n = len(self.vectors)
        self.index = faiss.IndexFlatIP(self.vectors.shape[1])
        self.index.add(self.vectors)

    def search(self, queries, k):
        return self.index.search(as_matrix(queries, self.index.d), min(k, self.n))

    def score_rows(self, queries, rows):
        return as_matrix(queries, self.index.d) @ self.vectors[rows].T


class HammingIndex:
    """Exhaustive Hamming search over packed binary codes (faiss `IndexBinaryFlat`)."""

    def __init__(self, codes: np.ndarray, bits: int):
        codes = np.ascontiguousarray(codes, dtype=np.uint8)
        if codes.ndim != 2 or codes.shape[1] * 8 < bits:
            raise WotdError(f"expected (n, {(bits + 7) // 8}) uint8 codes, got {codes.shape}")
        # faiss binary indices work on whole bytes; our padding bits are always 0, so distances are exact.
        self.index = faiss.IndexBinaryFlat(codes.shape[1] * 8)
        self.index.add(codes)
        self.n = len(codes)

    def search(self, query_codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(Hamming distances, ids), nearest first."""
        # faiss' heap is slower than its counting path for long result lists (measured: k=100, 7k queries
        # over the lexicon, 5.0 s vs 1.8 s); for short lists the heap wins.
        self.index.use_heap = k < 32
        return self.index.search(np.ascontiguousarray(query_codes, dtype=np.uint8), min(k, self.n))


class BinaryIndex(CodeIndex):
    """Binary codes searched by "hamming", "rescore" (Hamming top `candidates`, reranked asymmetrically)
    or "asymmetric" (every code scored against the float query's projection)."""

    def __init__(
        self, quantizer: BinaryQuantizer, codes: np.ndarray, mode: str = "hamming", candidates: int = 100
    ):
        if mode not in MODES:
            raise WotdError(f"unknown search mode {mode!r}; allowed: {', '.join(MODES)}")
        self.q, self.codes, self.mode, self.candidates = quantizer, codes, mode, candidates
        self.n = len(codes)
        self.hamming = HammingIndex(codes, quantizer.bits)
        self._signs: np.ndarray | None = None

    def signs(self) -> np.ndarray:
        """All codes as +-1 floats, unpacked once (exhaustive asymmetric mode only: 32x the code memory)."""
        if self._signs is None:
            self._signs = self.q.signs(self.codes)
        return self._signs

    def search(self, queries, k):
        queries = as_matrix(queries, self.q.dim)
        if self.mode == "hamming":
            dist, ids = self.hamming.search(self.q.encode(queries), k)
            return (self.q.bits - 2 * dist).astype(np.float32), ids
        if self.mode == "asymmetric":
            signs = self.signs()
            parts = [
                top_k(self.q.project(queries[i : i + CHUNK]) @ signs.T, k)
                for i in range(0, len(queries), CHUNK)
            ]
            return np.vstack([p[0] for p in parts]), np.vstack([p[1] for p in parts])
        _, cand = self.hamming.search(self.q.encode(queries), max(k, self.candidates))
        return self.rescore(queries, cand, k)

    def rescore(self, queries: np.ndarray, candidates: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Rerank candidate ids (m, c) by the asymmetric score; returns the top k."""
        out_s, out_i = [], []
        for i in range(0, len(queries), CHUNK):
            cand = candidates[i : i + CHUNK]
            proj = self.q.project(queries[i : i + CHUNK])  # (m, bits)
            signs = self.q.signs(self.codes[cand.ravel()]).reshape(*cand.shape, -1)  # (m, c, bits)
            s, j = top_k(np.einsum("mb,mcb->mc", proj, signs), k)
            out_s.append(s)
            out_i.append(np.take_along_axis(cand, j, 1))
        return np.vstack(out_s), np.vstack(out_i)

    def score_rows(self, queries, rows):
        queries = as_matrix(queries, self.q.dim)
        if self.mode == "hamming":
            return self.q.similarity(self.q.encode(queries), self.codes[rows])
        return self.q.asymmetric(queries, self.codes[rows])


class FaissIndex(CodeIndex):
    """A faiss codec's own index holding the codes: asymmetric distance computation, no re-encoding."""

    def __init__(self, quantizer: FaissCodec, codes: np.ndarray):
        self.q, self.codes, self.n = quantizer, codes, len(codes)
        self.index = quantizer.search_index(codes)

    def search(self, queries, k):
        return self.index.search(as_matrix(queries, self.q.dim), min(k, self.n))

    def score_rows(self, queries, rows):
        return self.q.asymmetric(queries, self.codes[rows])


class DecodedIndex(CodeIndex):
    """Exact inner product against decoded vectors: for codecs faiss cannot search (FSQ). The decoded
    matrix is a float32 search-time structure; the stored form stays the codes."""

    def __init__(self, quantizer: Quantizer, codes: np.ndarray):
        self.q, self.codes = quantizer, codes
        self.flat = FloatIndex(quantizer.decode(codes))
        self.n = self.flat.n

    def search(self, queries, k):
        return self.flat.search(queries, k)

    def score_rows(self, queries, rows):
        return self.flat.score_rows(queries, rows)


def make_index(
    quantizer: Quantizer, codes: np.ndarray, mode: str = "hamming", candidates: int = 100
) -> CodeIndex:
    """The natural index for a quantizer's codes (`mode` applies to binary codes)."""
    if isinstance(quantizer, BinaryQuantizer):
        return BinaryIndex(quantizer, codes, mode, candidates)
    if isinstance(quantizer, FaissCodec):
        return FaissIndex(quantizer, codes)
    custom = getattr(quantizer, "make_index", None)
    return custom(codes) if custom is not None else DecodedIndex(quantizer, codes)
