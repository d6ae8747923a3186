"""Backend-free FSQ maths (Mentzer et al. 2023): the code grid, code scaling, and code statistics.

Bound: u = (L-1)/2 * (tanh(z) + 1) lies in [0, L-1] and round(u) takes exactly the L values 0..L-1, for odd
and even L alike. The paper's half-step offset for even L exists because its symmetric range
[-(L-1)/2, (L-1)/2] holds L integers only after a shift; our [0, L-1] range already holds them, so no offset.
The two end bins are half as wide in u as the inner ones, exactly as in the paper's odd-L case.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .ids import flat_index, unflat_index


def half_widths(levels: Sequence[int]) -> np.ndarray:
    """(L-1)/2 per part: u = half_width * (tanh(z) + 1)."""
    return (np.asarray(levels, dtype=np.float32) - 1.0) / 2.0


def grid(levels: Sequence[int]) -> np.ndarray:
    """Every code of the grid, shape (prod(levels), P) int64, in flat-index order."""
    return unflat_index(np.arange(int(np.prod(levels))), levels)


def scale_codes(q: np.ndarray, levels: Sequence[int]) -> np.ndarray:
    """Integer codes 0..L-1 -> floats in [-1, 1] (the decoder's input), as float32."""
    hw = half_widths(levels)
    return (np.asarray(q, dtype=np.float32) - hw) / hw


def part_usage(codes: np.ndarray, levels: Sequence[int]) -> list[dict]:
    """Per part: fraction of its L values used and perplexity (exp entropy) of their distribution."""
    out = []
    for i, L in enumerate(levels):
        counts = np.bincount(np.asarray(codes)[:, i], minlength=int(L)).astype(np.float64)
        p = counts / max(counts.sum(), 1.0)
        nz = p[p > 0]
        out.append(
            {"used": float((counts > 0).mean()), "perplexity": float(np.exp(-(nz * np.log(nz)).sum()))}
        )
    return out


def codebook_usage(codes: np.ndarray, levels: Sequence[int]) -> float:
    """Fraction of the prod(levels) grid codes that appear at least once in `codes` (n, P)."""
    codes = np.asarray(codes)
    if len(codes) == 0:
        return 0.0
    return float(len(np.unique(flat_index(codes, levels))) / int(np.prod(levels)))
