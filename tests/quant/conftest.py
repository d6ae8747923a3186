"""Shared data: small random unit vectors, and real MiniLM vectors of a few hundred common words."""

from __future__ import annotations

import numpy as np
import pytest
from backends import TEST_BACKEND


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def clustered(n: int, dim: int, clusters: int = 20, seed: int = 0) -> np.ndarray:
    """Unit vectors around `clusters` random centres, with a shared offset (like real embeddings)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim))
    offset = rng.normal(size=dim) * 0.5
    return unit(centres[rng.integers(0, clusters, n)] + 0.7 * rng.normal(size=(n, dim)) + offset)


@pytest.fixture(scope="session")
def random_vectors() -> np.ndarray:
    return clustered(1200, 32)


@pytest.fixture(scope="session")
def minilm_words() -> tuple[list[str], np.ndarray]:
    """400 common English words embedded alone with the real packaged all-MiniLM-L6-v2."""
    from wordfreq import top_n_list

    from wotd_mlx.config import EmbedConfig
    from wotd_mlx.embed import load_embedder

    words = [w for w in top_n_list("en", 3000) if w.isalpha() and len(w) >= 4][:400]
    return words, load_embedder(EmbedConfig(), TEST_BACKEND).embed(words)


def neighbour_recall(x: np.ndarray, scores: np.ndarray, k: int = 10) -> float:
    """Mean overlap of each row's top-k by `scores` with its exact top-k by cosine (self excluded)."""
    exact = x @ x.T
    np.fill_diagonal(exact, -np.inf)
    scores = scores.astype(np.float64).copy()
    np.fill_diagonal(scores, -np.inf)
    a = np.argsort(-exact, axis=1)[:, :k]
    b = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return float(np.mean([len(set(r) & set(s)) / k for r, s in zip(a, b, strict=True)]))


@pytest.fixture(scope="session")
def recall():
    """neighbour_recall(x, scores): see above."""
    return neighbour_recall
