"""FSQ (finite scalar quantisation, Mentzer et al. 2023) of embeddings: rotate onto principal components,
bound each coordinate with tanh and round it to one of L levels; groups of coordinates with levels like
(8, 5, 5, 5) (1,000 combinations) are stored as one mixed-radix integer in ceil(log2 1000) = 10 bits.

Nothing is trained by gradient here: the rotation is PCA, the tanh scale is fitted on a small grid to the
reconstruction error, and decoding uses each level's mean training value (better than inverting tanh).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..errors import WotdError
from .base import Quantizer, as_matrix, pack_bits, pca, unpack_bits

SCALES = (1.0, 1.5, 2.0, 2.5, 3.0)  # tanh(z / scale) for standardised z: candidates fitted on training data


class FSQ(Quantizer):
    """Codes of `bits` (rounded down to whole groups) from PCA coordinates in groups of `levels`."""

    name = "fsq"

    def __init__(self, bits: int = 128, levels: Sequence[int] = (8, 5, 5, 5)):
        self.levels = tuple(int(v) for v in levels)
        if not self.levels or min(self.levels) < 2:
            raise WotdError(f"FSQ levels must each be >= 2, got {levels}")
        self.group_bits = math.ceil(math.log2(math.prod(self.levels)))
        if self.group_bits > 32:
            raise WotdError("one FSQ group must fit 32 bits: use fewer or smaller levels")
        self.n_groups = bits // self.group_bits
        if self.n_groups < 1:
            raise WotdError(f"FSQ with levels {self.levels} needs at least {self.group_bits} bits")
        self.bits = self.n_groups * self.group_bits
        self.dims = self.n_groups * len(self.levels)
        self._L = np.tile(np.array(self.levels), self.n_groups)  # levels of each kept coordinate

    def fit(self, x: np.ndarray) -> FSQ:
        x = as_matrix(x)
        if self.dims > x.shape[1]:
            raise WotdError(f"FSQ would keep {self.dims} coordinates but the embeddings have {x.shape[1]}")
        self.dim = x.shape[1]
        self.mean, self.components, self.std = pca(x, self.dims)
        z = self._coords(x)
        best = None
        for scale in SCALES:
            self.scale = scale
            err = self._fit_centroids(z)
            if best is None or err < best[0]:
                best = (err, scale, self.centroids)
        _, self.scale, self.centroids = best
        return self

    def _coords(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) @ self.components.T

    def _levels(self, z: np.ndarray) -> np.ndarray:
        u = np.tanh(z / (self.scale * self.std))  # bounded to (-1, 1)
        return np.rint((u + 1.0) / 2.0 * (self._L - 1)).astype(np.int64)

    def _fit_centroids(self, z: np.ndarray) -> float:
        """Mean coordinate per (dimension, level); returns the reconstruction error they give."""
        lv = self._levels(z)
        width = int(self._L.max())
        sums, counts = np.zeros((self.dims, width)), np.zeros((self.dims, width))
        cols = np.broadcast_to(np.arange(self.dims), lv.shape)
        np.add.at(sums, (cols, lv), z)
        np.add.at(counts, (cols, lv), 1)
        # An unused level decodes to its tanh-grid value, so every code still means something.
        grid = np.arctanh(
            np.clip(2.0 * np.arange(width) / np.maximum(self._L[:, None] - 1, 1) - 1, -0.999, 0.999)
        )
        grid = grid * (self.scale * self.std[:, None])
        self.centroids = np.where(counts > 0, sums / np.maximum(counts, 1), grid).astype(np.float32)
        return float(((self.centroids[np.arange(self.dims), lv] - z) ** 2).sum(1).mean())

    def encode(self, x: np.ndarray) -> np.ndarray:
        self._require_fit()
        lv = self._levels(self._coords(as_matrix(x, self.dim))).reshape(-1, self.n_groups, len(self.levels))
        value = np.zeros(lv.shape[:2], dtype=np.int64)
        for j, n_levels in enumerate(self.levels):  # mixed radix: value = ((l0 * L1 + l1) * L2 + l2) ...
            value = value * n_levels + lv[:, :, j]
        shifts = np.arange(self.group_bits - 1, -1, -1)
        bits = (value[:, :, None] >> shifts) & 1
        return pack_bits(bits.reshape(len(lv), -1))

    def decode(self, codes: np.ndarray) -> np.ndarray:
        self._require_fit()
        bits = unpack_bits(codes, self.bits).reshape(len(codes), self.n_groups, self.group_bits)
        value = (bits.astype(np.int64) << np.arange(self.group_bits - 1, -1, -1)).sum(2)
        lv = np.empty((len(codes), self.n_groups, len(self.levels)), dtype=np.int64)
        for j in range(len(self.levels) - 1, -1, -1):
            lv[:, :, j] = value % self.levels[j]
            value //= self.levels[j]
        z = self.centroids[np.arange(self.dims), lv.reshape(len(codes), -1)]
        return (self.mean + z @ self.components).astype(np.float32)

    def describe(self) -> dict:
        return super().describe() | {"levels": list(self.levels), "dims": self.dims, "scale": self.scale}
