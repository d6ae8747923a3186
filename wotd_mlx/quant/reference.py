"""sentence-transformers' `quantize_embeddings` as the reference methods: "ubinary" (sign bits) and "int8"
(per-dimension min/max ranges from calibration embeddings, symmetric int8 dot products, as in their docs)."""

from __future__ import annotations

import faiss
import numpy as np

from .base import BinaryQuantizer, Quantizer, as_matrix
from .search import CodeIndex, top_k


def quantize_embeddings(x: np.ndarray, precision: str, **kwargs) -> np.ndarray:
    """sentence-transformers' function (its import path moved in v5; both are tried)."""
    try:
        from sentence_transformers.util.quantization import quantize_embeddings as fn
    except ImportError:
        from sentence_transformers.quantization import quantize_embeddings as fn
    return fn(x, precision=precision, **kwargs)


class STBinary(BinaryQuantizer):
    """Codes straight from `quantize_embeddings(x, "ubinary")` (bit = x > 0, packed big-endian)."""

    name = "st-binary"

    def _fit(self, x: np.ndarray) -> None:
        self.bits = x.shape[1]
        quantize_embeddings(x[:1], "ubinary")  # imports sentence-transformers now, not in a timed encode

    def project(self, x: np.ndarray) -> np.ndarray:
        return x

    def encode(self, x: np.ndarray) -> np.ndarray:
        self._require_fit()
        return quantize_embeddings(as_matrix(x, self.dim), "ubinary")


class STInt8(Quantizer):
    """`quantize_embeddings(x, "int8", ranges=...)` with ranges = per-dimension (min, max) of the training
    embeddings; codes are the int8 values stored as uint8 (value + 128)."""

    name = "st-int8"

    def fit(self, x: np.ndarray) -> STInt8:
        x = as_matrix(x)
        self.dim, self.bits = x.shape[1], 8 * x.shape[1]
        self.ranges = np.vstack([x.min(0), x.max(0)]).astype(np.float32)
        return self

    def int8(self, x: np.ndarray) -> np.ndarray:
        """(n, d) int8 values."""
        self._require_fit()
        return quantize_embeddings(as_matrix(x, self.dim), "int8", ranges=self.ranges)

    def encode(self, x: np.ndarray) -> np.ndarray:
        return (self.int8(x).astype(np.int16) + 128).astype(np.uint8)

    def decode(self, codes: np.ndarray) -> np.ndarray:
        self._require_fit()
        steps = (self.ranges[1] - self.ranges[0]) / 255
        return self.ranges[0] + (codes.astype(np.float32) + 0.5) * steps  # the middle of each bucket

    def make_index(self, codes: np.ndarray) -> CodeIndex:
        return Int8Index(self, codes)


class Int8Index(CodeIndex):
    """Symmetric int8 search: the query is quantised too and scored by the int8 dot product. faiss'
    `QT_8bit_direct_signed` stores the same bytes and decodes them to the int8 values (code - 128)."""

    def __init__(self, quantizer: STInt8, codes: np.ndarray):
        self.q, self.codes, self.n = quantizer, np.ascontiguousarray(codes, np.uint8), len(codes)
        self.index = faiss.IndexScalarQuantizer(
            quantizer.dim, faiss.ScalarQuantizer.QT_8bit_direct_signed, faiss.METRIC_INNER_PRODUCT
        )
        self.index.add_sa_codes(self.codes)

    def _query(self, queries: np.ndarray) -> np.ndarray:
        return self.q.int8(queries).astype(np.float32)

    def search(self, queries, k):
        return self.index.search(self._query(queries), min(k, self.n))

    def score_rows(self, queries, rows):
        return self._query(queries) @ (self.codes[rows].astype(np.float32) - 128.0).T


__all__ = ["STBinary", "STInt8", "Int8Index", "quantize_embeddings", "top_k"]
