import numpy as np
import pytest

from wotd_mlx.errors import WotdError
from wotd_mlx.search.multisense import SenseVectors
from wotd_mlx.search.space import WORDS_FILE, SearchSpace


def _unit(x):
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def test_a_search_space_of_its_own_round_trips_through_the_run_directory(tmp_path):
    rng = np.random.default_rng(0)
    words = _unit(rng.normal(size=(4, 8)))
    senses = SenseVectors(np.array([0, 2]), _unit(rng.normal(size=(2, 8))), ["x", "y"])
    space = SearchSpace("/models/ft-abc", words, senses)
    space.save(tmp_path)
    metrics = space.metrics()
    assert metrics == {"search_embedder": "/models/ft-abc", "search_senses": 2}
    back = SearchSpace.load(tmp_path, metrics, n_words=4)
    assert back.model == "/models/ft-abc" and back.senses.texts == ["x", "y"]
    np.testing.assert_allclose(back.words, words, atol=1e-3)  # stored as float16


def test_the_runs_own_space_and_a_run_from_before_search_spaces(tmp_path):
    senses = SenseVectors(np.array([1]), _unit(np.ones((1, 8))), ["z"])
    SearchSpace(senses=senses).save(tmp_path)
    assert not (tmp_path / WORDS_FILE).exists()  # the index's vectors are not stored twice
    back = SearchSpace.load(tmp_path, {"search_embedder": None, "search_senses": 1}, n_words=3)
    assert back.model is None and back.words is None and back.senses.texts == ["z"]
    old = SearchSpace.load(tmp_path / "old", {}, n_words=3)  # no senses, no model: one vector a word
    assert old.model is None and old.senses is None


def test_missing_or_mismatched_word_vectors_are_refused(tmp_path):
    metrics = {"search_embedder": "/models/ft", "search_senses": 0}
    SenseVectors(np.zeros(0, dtype=np.int64), np.zeros((0, 8), np.float32), []).save(tmp_path)
    with pytest.raises(WotdError, match="missing or damaged"):
        SearchSpace.load(tmp_path, metrics, n_words=3)
    np.save(tmp_path / WORDS_FILE, np.zeros((2, 8), np.float16))
    with pytest.raises(WotdError, match="not one row per word"):
        SearchSpace.load(tmp_path, metrics, n_words=3)
    with pytest.raises(ValueError, match="both"):
        SearchSpace("/models/ft")
