"""Semantic IDs: parse and validate "style,complexity,era,variation" and map IDs to flat codebook rows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..config import AXES
from ..errors import WotdError, shown


def _part_name(i: int) -> str:
    return AXES[i] if i < len(AXES) else f"part{i}"


def _example(levels: Sequence[int]) -> str:
    # An example that is valid for these levels, so the message never suggests an out-of-range ID.
    return ",".join(str(min(v, int(L) - 1)) for v, L in zip((2, 1, 3, 0, 1, 1, 1, 1), levels, strict=False))


def validate_id(ids: Sequence[int], levels: Sequence[int]) -> tuple[int, ...]:
    """Return `ids` as a tuple of ints; raise WotdError naming the first part that is out of range."""
    if len(ids) != len(levels):
        raise WotdError(
            f"expected {len(levels)} parts ({', '.join(map(_part_name, range(len(levels))))}), got {len(ids)}"
        )
    out = []
    for i, (v, L) in enumerate(zip(ids, levels, strict=True)):
        if int(v) != v or not 0 <= int(v) < int(L):
            raise WotdError(f"part {i + 1} ({_part_name(i)}) is {v}; allowed range is 0..{int(L) - 1}")
        out.append(int(v))
    return tuple(out)


def parse_id(text: str, levels: Sequence[int]) -> tuple[int, ...]:
    """Parse text like "2,1,3,0" (spaces allowed) into a validated ID tuple."""
    parts = [p.strip() for p in str(text).strip().strip("()[]").split(",")]
    n = len(levels)
    shape_msg = f"expected {n} comma-separated integers like {_example(levels)}, got {shown(text)}"
    if len(parts) != n:
        raise WotdError(shape_msg)
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise WotdError(shape_msg) from None
    return validate_id(values, levels)


def format_id(ids: Sequence[int]) -> str:
    """The canonical text form of an ID, the inverse of `parse_id`."""
    return ",".join(str(int(v)) for v in ids)


def _radices(levels: Sequence[int]) -> np.ndarray:
    # Mixed radix with the last part fastest: flat = ((s*L1 + c)*L2 + e)*L3 + v.
    lv = np.asarray(levels, dtype=np.int64)
    return np.concatenate([np.cumprod(lv[::-1])[::-1][1:], [1]]).astype(np.int64)


def flat_index(ids: np.ndarray | Sequence, levels: Sequence[int]) -> np.ndarray | int:
    """Row of each ID (shape (..., P)) in the codebook table; a single ID gives an int."""
    arr = np.asarray(ids, dtype=np.int64)
    lv = np.asarray(levels, dtype=np.int64)
    if arr.shape[-1:] != (len(lv),):
        raise WotdError(f"IDs must have {len(lv)} parts in their last axis, got shape {arr.shape}")
    if np.any(arr < 0) or np.any(arr >= lv):
        bad = np.argwhere((arr < 0) | (arr >= lv))[0]
        i = int(bad[-1])
        raise WotdError(
            f"part {i + 1} ({_part_name(i)}) is {int(arr[tuple(bad)])}; allowed range is 0..{int(lv[i]) - 1}"
        )
    flat = arr @ _radices(levels)
    return int(flat) if arr.ndim == 1 else flat


def unflat_index(flat: np.ndarray | int, levels: Sequence[int]) -> np.ndarray:
    """Inverse of `flat_index`: rows -> IDs (shape (..., P), int64)."""
    f = np.asarray(flat, dtype=np.int64)
    total = int(np.prod(levels))
    if np.any(f < 0) or np.any(f >= total):
        raise WotdError(f"codebook row out of range; allowed 0..{total - 1}")
    lv = np.asarray(levels, dtype=np.int64)
    return (f[..., None] // _radices(levels)) % lv
