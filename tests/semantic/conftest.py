import numpy as np
import pytest

LEVELS = (8, 8, 8, 5)


def clustered(n: int, dim: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors whose 3 labels are each encoded by a class centre: a learnable function of X."""
    rng = np.random.default_rng(seed)
    crng = np.random.default_rng(100)
    # style (nominal): unordered random centres; complexity, era (ordinal): evenly spaced along a direction
    ramp = np.arange(8)[:, None] * 0.5
    centres = [crng.normal(size=(8, dim))] + [ramp * crng.normal(size=dim) for _ in "ce"]
    y = rng.integers(0, 8, size=(n, 3))
    x = rng.normal(size=(n, dim)) * 0.6 + sum(centres[a][y[:, a]] for a in range(3))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), y


@pytest.fixture
def levels():
    return LEVELS


@pytest.fixture(scope="session")
def make_clustered():
    return clustered
