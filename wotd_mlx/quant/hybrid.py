"""Hybrid codes below one bit per dimension: the first K informative dimensions get one bit each, the next
ones are combined `group` at a time into one bit.

Dimensions are principal components (largest variance first), so "informative" is measured, not assumed.
A group bit uses the rule of the issue, `bit = 0 if z_i < k_i and z_j < k_j (...) else 1` ("and"), or the
sign of the standardised sum ("sum"). Groups are consecutive components, so the dimensions combined have
similar variance. The thresholds k are fitted per group on a grid of quantiles: the pick maximises the
variance of the group's coordinates that the bit explains, p0 * p1 * ||mean_1 - mean_0||^2 (the part of
the group's geometry one bit can carry).
"""

from __future__ import annotations

import itertools

import numpy as np

from ..errors import WotdError
from .base import BinaryQuantizer, pca

COMBINES = ("and", "sum")
QUANTILES = np.linspace(0.2, 0.9, 8)  # candidate per-member quantile levels of a group's thresholds


def explained(z: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Variance of each group's coordinates explained by its bit: z (n, G, g), hi (n, G) -> (G,)."""
    n = len(z)
    n1 = hi.sum(0).astype(np.float64)
    n0 = n - n1
    sum1 = np.einsum("ng,ngk->gk", hi.astype(np.float64), z)
    sum0 = z.sum(0) - sum1
    gap = sum1 / np.maximum(n1, 1)[:, None] - sum0 / np.maximum(n0, 1)[:, None]
    return (n0 / n) * (n1 / n) * (gap**2).sum(1)


def fit_and_thresholds(z: np.ndarray) -> np.ndarray:
    """Per-group thresholds (G, g) for the "and" rule, chosen on the quantile grid by `explained`."""
    n, n_groups, g = z.shape
    levels = np.quantile(z, QUANTILES, axis=0)  # (len(QUANTILES), G, g)
    # Pairs search the full 2-D grid; larger groups share one quantile level (the grid grows as 8^g).
    combos = (
        list(itertools.product(range(len(QUANTILES)), repeat=g))
        if g == 2
        else [(q,) * g for q in range(len(QUANTILES))]
    )
    best, best_score = np.zeros((n_groups, g), np.float32), np.full(n_groups, -1.0)
    for combo in combos:
        k = np.stack([levels[q, :, j] for j, q in enumerate(combo)], axis=1)  # (G, g)
        hi = ~(z < k).all(axis=2)
        score = explained(z, hi)
        better = score > best_score
        best[better], best_score[better] = k[better], score[better]
    return best


class HybridBinary(BinaryQuantizer):
    """`single` one-bit components, then `bits - single` bits each combining `group` components."""

    name = "hybrid"

    def __init__(self, bits: int = 128, single: int = 64, group: int = 2, combine: str = "and"):
        if combine not in COMBINES:
            raise WotdError(f"unknown combine rule {combine!r}; allowed: {', '.join(COMBINES)}")
        if not 0 <= single <= bits or group < 2:
            raise WotdError(f"need 0 <= single <= bits and group >= 2, got {single=}, {bits=}, {group=}")
        self.bits, self.single, self.group, self.combine = int(bits), int(single), int(group), combine

    @property
    def n_groups(self) -> int:
        return self.bits - self.single

    @property
    def dims_used(self) -> int:
        return self.single + self.n_groups * self.group

    def _fit(self, x: np.ndarray) -> None:
        if self.dims_used > x.shape[1]:
            raise WotdError(
                f"hybrid needs {self.dims_used} dimensions (single {self.single} + {self.n_groups} groups of "
                f"{self.group}) but the embeddings have {x.shape[1]}"
            )
        self.mean, self.components, self.std = pca(x, self.dims_used)
        z = (x - self.mean) @ self.components.T
        self.single_t = np.median(z[:, : self.single], axis=0).astype(np.float32)
        zg = self._groups(z)
        if self.combine == "and":
            self.group_t = fit_and_thresholds(zg)
        else:
            self.group_t = np.median(self._sums(zg), axis=0).astype(np.float32)

    def _groups(self, z: np.ndarray) -> np.ndarray:
        return z[:, self.single :].reshape(len(z), self.n_groups, self.group)

    def _sums(self, zg: np.ndarray) -> np.ndarray:
        # Standardised, so each member counts equally whatever its variance; then scaled back to the
        # members' typical spread, so that in asymmetric scoring a group bit weighs like a single bit.
        std = self.std[self.single :].reshape(self.n_groups, self.group)
        return (zg / std).sum(2) * (std.mean(1) / np.sqrt(self.group))

    def project(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) @ self.components.T
        zg = self._groups(z)
        if self.combine == "and":
            # Positive exactly when some member is at or above its threshold: the rule's bit is 1.
            grouped = (zg - self.group_t).max(axis=2)
            grouped = np.where(grouped == 0, np.float32(1e-12), grouped)
        else:
            grouped = self._sums(zg) - self.group_t
        return np.hstack([z[:, : self.single] - self.single_t, grouped]).astype(np.float32)

    def describe(self) -> dict:
        return super().describe() | {"single": self.single, "group": self.group, "combine": self.combine}
