"""The product's search ranking (search/ranking.py): a word's best vector, other senses less the penalty."""

import numpy as np

from wotd_mlx.search.fusion import SEARCH, FusionIndex
from wotd_mlx.search.multisense import PENALTY, SenseVectors
from wotd_mlx.search.ranking import SenseRanker, top_k


def _unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_a_word_found_by_another_sense_and_the_penalty_keeps_the_shown_one_first():
    rng = np.random.default_rng(0)
    defs = _unit(rng.normal(size=(50, 8)))
    other = _unit(rng.normal(size=(1, 8)))
    ranker = SenseRanker([f"w{i}" for i in range(50)], defs, SenseVectors(np.array([7]), other, ["sense"]))
    scores, top = ranker.top(other, 3)
    assert top[0] == 7 and np.isclose(scores[0], 1.0 - PENALTY, atol=1e-5)  # found by its other sense
    assert (np.diff(scores) <= 0).all()
    # a query equal to a word's shown definition scores 1 for it, above any other sense (at most 1 - penalty)
    scores, top = ranker.top(defs[7], 1)
    assert top[0] == 7 and np.isclose(scores[0], 1.0, atol=1e-5)


def test_the_same_ranking_as_the_bench_scores_it():
    """`wotd bench search`'s `senses` rows score with FusionIndex and SEARCH: the same numbers as search."""
    rng = np.random.default_rng(1)
    n = 300
    defs = _unit(rng.normal(size=(n, 16)))
    owner = rng.integers(0, n, 400)
    senses = SenseVectors(owner, _unit(rng.normal(size=(400, 16))), [f"s{i}" for i in range(400)])
    queries = _unit(rng.normal(size=(20, 16)))
    words = [f"w{i}" for i in range(n)]
    ranker, fused = SenseRanker(words, defs, senses), FusionIndex(words, defs, senses=senses)
    np.testing.assert_allclose(ranker.scores(queries), fused.scores(queries, SEARCH), atol=1e-6)
    for q in queries[:5]:
        np.testing.assert_array_equal(ranker.top(q, 10)[1], fused.top(q[None], SEARCH, 10)[1])


def test_top_k_orders_and_caps():
    s, i = top_k(np.array([0.1, 0.9, 0.5]), 10)
    assert i.tolist() == [1, 2, 0] and s.tolist() == [0.9, 0.5, 0.1]
