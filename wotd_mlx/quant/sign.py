"""Sign binary, the uniform baseline: bit = x > 0, one bit per dimension (32x smaller than float32)."""

from __future__ import annotations

import numpy as np

from .base import BinaryQuantizer


class SignBinary(BinaryQuantizer):
    """bit_i = x_i > 0. Nothing is learned but the least-squares decoder; the codes are exactly
    sentence-transformers' `quantize_embeddings(x, "ubinary")`."""

    name = "sign"

    def _fit(self, x: np.ndarray) -> None:
        self.bits = x.shape[1]

    def project(self, x: np.ndarray) -> np.ndarray:
        return x
