"""The preference vector: liked words pull it towards them, disliked words push it away.

pref = normalise(sum of liked vectors - DISLIKE_WEIGHT * sum of disliked vectors), recomputed from the
whole feedback history, so it is reproducible and follows the current run's embedding space.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DISLIKE_WEIGHT = 0.5  # a dislike says less about taste than a like: it rules out one word, not a region


def preference_vector(vectors: np.ndarray, values: Sequence[int]) -> np.ndarray | None:
    """Unit preference vector from feedback vectors (rows) and values (+1 like, -1 dislike); None if it
    cancels out or there is no feedback."""
    if len(values) == 0:
        return None
    w = np.array([1.0 if v > 0 else -DISLIKE_WEIGHT for v in values], dtype=np.float32)
    p = (w[:, None] * vectors).sum(axis=0)
    norm = float(np.linalg.norm(p))
    return p / norm if norm > 1e-6 else None
