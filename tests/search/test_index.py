import numpy as np
import pytest

from wotd_mlx.errors import WotdError
from wotd_mlx.search import WordIndex


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_search_matches_bruteforce_and_roundtrips(tmp_path):
    rng = np.random.default_rng(0)
    X = unit(rng.normal(size=(500, 32)))
    words = [f"w{i}" for i in range(500)]
    index = WordIndex.build(X, words)
    q = unit(rng.normal(size=(3, 32)))
    scores, idx = index.search(q, 5)
    expected = np.argsort(-(q @ X.T), axis=1)[:, :5]
    np.testing.assert_array_equal(idx, expected)
    np.testing.assert_allclose(scores, np.take_along_axis(q @ X.T, expected, 1), atol=1e-5)
    index.save(tmp_path)
    again = WordIndex.load(tmp_path)
    assert again.words == words
    np.testing.assert_array_equal(again.search(q, 5)[1], idx)
    np.testing.assert_allclose(again.vectors(["w7", "w3"]), X[[7, 3]], atol=1e-6)


def test_k_larger_than_index_is_capped():
    index = WordIndex.build(unit(np.eye(3)), ["a", "b", "c"])
    assert index.search(np.eye(3)[:1], 10)[1].shape == (1, 3)


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(WotdError, match="run `wotd train` again"):
        WordIndex.load(tmp_path)
