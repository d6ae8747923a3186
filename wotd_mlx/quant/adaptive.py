"""Adaptive thresholds: one threshold per dimension learned from the data instead of 0."""

from __future__ import annotations

import numpy as np

from ..errors import WotdError
from .base import BinaryQuantizer, thresholds

MODES = ("mean", "median", "lloyd")


class AdaptiveBinary(BinaryQuantizer):
    """bit_i = x_i > t_i with t from the training data.

    mode="median" balances every bit (each is 1 for half the words: the most information per bit);
    mode="lloyd" puts t_i at the 1-bit Lloyd-Max point, which minimises the reconstruction error of each
    dimension (so it is the threshold "fitted to keep similarity"); mode="mean" centres the data.
    MiniLM's dimensions are not centred at 0, which is why plain sign bits waste information.
    """

    name = "adaptive"

    def __init__(self, mode: str = "median"):
        if mode not in MODES:
            raise WotdError(f"unknown threshold mode {mode!r}; allowed: {', '.join(MODES)}")
        self.mode = mode

    def _fit(self, x: np.ndarray) -> None:
        self.bits = x.shape[1]
        self.thresholds = thresholds(x, self.mode)

    def project(self, x: np.ndarray) -> np.ndarray:
        return x - self.thresholds

    def describe(self) -> dict:
        return super().describe() | {"mode": self.mode}
