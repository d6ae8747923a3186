"""Matryoshka truncation + binary: keep the first k dimensions, then binarise with adaptive thresholds.

MiniLM is not Matryoshka-trained, so its raw first dimensions are no more informative than the others;
`rotation="pca"` first rotates onto the principal components (largest variance first), which is the learned
rotation that makes truncation meaningful. `rotation="none"` is the literal truncation, for models trained
with a Matryoshka loss.
"""

from __future__ import annotations

import numpy as np

from ..errors import WotdError
from .base import BinaryQuantizer, pca, thresholds

ROTATIONS = ("pca", "none")


class MatryoshkaBinary(BinaryQuantizer):
    """bits = (rotate(x)[:k] > t), k = `bits`; t are the medians of the kept coordinates."""

    name = "matryoshka"

    def __init__(self, bits: int = 128, rotation: str = "pca", threshold: str = "median"):
        if rotation not in ROTATIONS:
            raise WotdError(f"unknown rotation {rotation!r}; allowed: {', '.join(ROTATIONS)}")
        if bits < 1:
            raise WotdError(f"bits must be positive, got {bits}")
        self.bits, self.rotation, self.threshold = int(bits), rotation, threshold

    def _fit(self, x: np.ndarray) -> None:
        if self.bits > x.shape[1]:
            raise WotdError(f"matryoshka keeps at most d={x.shape[1]} dimensions, asked for {self.bits}")
        if self.rotation == "pca":
            self.mean, self.components, _ = pca(x, self.bits)
        else:
            self.mean = np.zeros(x.shape[1], np.float32)
            self.components = np.eye(x.shape[1], dtype=np.float32)[: self.bits]
        self.thresholds = thresholds(self._rotate(x), self.threshold)

    def _rotate(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) @ self.components.T

    def project(self, x: np.ndarray) -> np.ndarray:
        return self._rotate(x) - self.thresholds

    def describe(self) -> dict:
        return super().describe() | {"rotation": self.rotation, "threshold": self.threshold}
