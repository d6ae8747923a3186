"""Methods taken from faiss: the codec base class, product quantisation (PQ), PQ after an optimised rotation
(OPQ), and binary ITQ + LSH / random-rotation LSH. RVQ and scalar quantisation use the same base (`rvq`,
`scalar`)."""

from __future__ import annotations

import faiss
import numpy as np

from ..errors import WotdError
from .base import BinaryQuantizer, Quantizer, as_matrix

MAX_TRAIN = 20_000  # k-means with 256 centroids per codebook wants >= ~40 points each; more only costs time


def _subsample(x: np.ndarray, n: int, seed: int) -> np.ndarray:
    if len(x) <= n:
        return x
    return x[np.sort(np.random.default_rng(seed).choice(len(x), n, replace=False))]


class FaissCodec(Quantizer):
    """A faiss index used as a codec: `sa_encode` / `sa_decode` give codes and reconstructions, and a copy of
    the trained index filled with codes (`add_sa_codes`) searches them asymmetrically (float queries)."""

    def __init__(self, max_train: int = MAX_TRAIN, seed: int = 0):
        self.max_train, self.seed = max_train, seed

    def _build(self, dim: int) -> faiss.Index:
        """A fresh untrained index for dim-dimensional inner-product search."""
        raise NotImplementedError

    def fit(self, x: np.ndarray) -> FaissCodec:
        x = as_matrix(x)
        self.dim = x.shape[1]
        self.index = self._build(self.dim)
        for cp in self._clustering(self.index):
            cp.min_points_per_centroid = 1  # small fits (tests, --max-words) are fine; don't spam stderr
        try:
            self.index.train(_subsample(x, self.max_train, self.seed))
        except RuntimeError as e:  # faiss: fewer training points than centroids, and the like
            raise WotdError(
                f"{self.name}: faiss could not train on {len(x)} vectors ({str(e).splitlines()[-1]})"
            ) from None
        self.bits = 8 * self.index.sa_code_size()
        return self

    @staticmethod
    def _clustering(index: faiss.Index) -> list:
        """The k-means parameters faiss will use to train this index (PQ, OPQ's PQ, RVQ)."""
        index = faiss.downcast_index(index)
        found = []
        if isinstance(index, faiss.IndexPreTransform):
            for i in range(index.chain.size()):
                vt = faiss.downcast_VectorTransform(index.chain.at(i))
                if isinstance(vt, faiss.OPQMatrix) and vt.pq is not None:
                    found.append(vt.pq.cp)
            index = faiss.downcast_index(index.index)
        for attr in ("pq", "rq"):
            if hasattr(index, attr):
                found.append(getattr(index, attr).cp)
        return found

    def encode(self, x: np.ndarray) -> np.ndarray:
        self._require_fit()
        return self.index.sa_encode(as_matrix(x, self.dim))

    def decode(self, codes: np.ndarray) -> np.ndarray:
        self._require_fit()
        return self.index.sa_decode(np.ascontiguousarray(codes, dtype=np.uint8))

    def search_index(self, codes: np.ndarray) -> faiss.Index:
        """A searchable copy of the trained index holding `codes` (no re-encoding)."""
        index = faiss.clone_index(self.index)  # already its concrete type (downcasting it would free it)
        # A pre-transform (OPQ's rotation) has no add_sa_codes of its own; its codes are the inner index's.
        inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexPreTransform) else index
        inner.add_sa_codes(np.ascontiguousarray(codes, dtype=np.uint8))
        index.ntotal = inner.ntotal
        return index


def check_bits(bits: int, per: int, what: str) -> int:
    """bits / per, or a WotdError unless bits is a positive multiple of per."""
    if bits < per or bits % per:
        raise WotdError(f"{what} needs bits as a positive multiple of {per}, got {bits}")
    return bits // per


class PQ(FaissCodec):
    """Product quantisation: M = bits / 8 sub-vectors, each coded by one of 256 k-means centroids."""

    name = "pq"

    def __init__(self, bits: int = 128, **kwargs):
        super().__init__(**kwargs)
        self.m, self.bits = check_bits(bits, 8, "PQ"), bits

    def _build(self, dim: int) -> faiss.Index:
        if dim % self.m:
            raise WotdError(f"PQ needs d={dim} divisible by the number of sub-vectors {self.m}")
        return faiss.IndexPQ(dim, self.m, 8, faiss.METRIC_INNER_PRODUCT)


class OPQ(PQ):
    """PQ after a learned rotation (OPQ) that balances variance across the sub-vectors."""

    name = "opq"

    def __init__(self, bits: int = 128, iterations: int = 10, **kwargs):
        super().__init__(bits, **kwargs)
        self.iterations = iterations  # faiss' default 50 takes minutes here for a small gain

    def _build(self, dim: int) -> faiss.Index:
        opq = faiss.OPQMatrix(dim, self.m)
        opq.niter = self.iterations
        # OPQ trains its own PQ; handing it one (kept alive on self) exposes its k-means parameters.
        self._opq_pq = faiss.ProductQuantizer(dim, self.m, 8)
        opq.pq = self._opq_pq
        return faiss.IndexPreTransform(opq, super()._build(dim))


class LSH(BinaryQuantizer):
    """Binary codes from faiss: "itq" = PCA to `bits` dimensions + ITQ rotation (Gong & Lazebnik 2011),
    "random" = a random rotation; then per-bit thresholds trained on the data (`IndexLSH`, train_thresholds).
    `project` reproduces faiss' own encoding (faiss packs bits little-endian; we repack big-endian)."""

    name = "itq-lsh"

    def __init__(self, bits: int = 128, rotation: str = "itq", seed: int = 0):
        if rotation not in ("itq", "random"):
            raise WotdError(f"unknown LSH rotation {rotation!r}; allowed: itq, random")
        self.bits, self.rotation, self.seed = int(bits), rotation, seed
        self.name = "itq-lsh" if rotation == "itq" else "lsh"

    def _fit(self, x: np.ndarray) -> None:
        if self.rotation == "itq":
            if self.bits > x.shape[1]:
                raise WotdError(f"ITQ codes at most d={x.shape[1]} bits, asked for {self.bits}")
            self.faiss_index = faiss.index_factory(x.shape[1], f"ITQ{self.bits},LSHt")
            self.faiss_index.train(x)
            pre = faiss.downcast_index(self.faiss_index)
            self._transform = faiss.downcast_VectorTransform(pre.chain.at(0))
            lsh = faiss.downcast_index(pre.index)
        else:
            lsh = self.faiss_index = faiss.IndexLSH(x.shape[1], self.bits, True, True)
            lsh.rrot.init(self.seed)
            lsh.train(x)
            self._transform = lsh.rrot
        self._thresholds = faiss.vector_to_array(lsh.thresholds).astype(np.float32)

    def project(self, x: np.ndarray) -> np.ndarray:
        return self._transform.apply(np.ascontiguousarray(x, dtype=np.float32)) - self._thresholds

    def describe(self) -> dict:
        return super().describe() | {"rotation": self.rotation}
