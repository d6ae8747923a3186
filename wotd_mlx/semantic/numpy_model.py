"""The semantic encoder's forward pass in numpy: what encoding a vector needs, without torch or MLX.

A word's ID is one 384 -> 256 -> 29 MLP: numpy computes it in microseconds, where importing a framework takes
seconds (a rating, a free-text encode, the pipeline's final codes). Training stays on the two backends
(torch_model.py, mlx_model.py); tests/semantic/test_parity.py checks all three give the same codes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .fsq import half_widths
from .params import head_bounds, n_labelled

# Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, below float32's resolution at the GELU's scale
_P, _A = 0.3275911, (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def erf(x: np.ndarray) -> np.ndarray:
    """The error function, elementwise (float64 inside; numpy has none and scipy is not a dependency)."""
    x = np.asarray(x, dtype=np.float64)
    t = 1.0 / (1.0 + _P * np.abs(x))
    poly = t * (_A[0] + t * (_A[1] + t * (_A[2] + t * (_A[3] + t * _A[4]))))
    return np.sign(x) * (1.0 - poly * np.exp(-x * x))


def gelu(x: np.ndarray) -> np.ndarray:
    """The exact (erf) GELU, as torch's F.gelu and MLX's nn.gelu compute it."""
    return (0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))).astype(np.float32)


def forward(weights: dict[str, np.ndarray], x: np.ndarray, levels: Sequence[int]) -> tuple[list, np.ndarray]:
    """Logits of each labelled part and the bounded FSQ values u (n, free parts) in [0, L-1]."""
    h = gelu(x @ weights["enc_in.weight"].T + weights["enc_in.bias"])
    h = h @ weights["enc_out.weight"].T + weights["enc_out.bias"]
    bounds = head_bounds(levels)
    hw = half_widths(levels)[n_labelled(levels) :]
    u = hw * (np.tanh(h[:, bounds[-1][1] :]) + 1.0)
    return [h[:, a:b] for a, b in bounds], u


def encode(weights: dict[str, np.ndarray], x: np.ndarray, levels: Sequence[int]) -> np.ndarray:
    """Integer codes (n, P) int64: argmax of each labelled head, then round(u) for the FSQ parts."""
    logits, u = forward(weights, np.asarray(x, dtype=np.float32), levels)
    return np.concatenate([*(g.argmax(1)[:, None] for g in logits), np.round(u)], axis=1).astype(np.int64)
