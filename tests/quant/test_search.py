"""Hamming search equals brute force; rescoring and asymmetric search behave as documented."""

import numpy as np
import pytest

from wotd_mlx.errors import WotdError
from wotd_mlx.quant.adaptive import AdaptiveBinary
from wotd_mlx.quant.search import BinaryIndex, HammingIndex, make_index, top_k


def popcount_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.unpackbits(a[:, None, :] ^ b[None, :, :], axis=2).sum(2)


def test_hamming_search_equals_brute_force():
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 256, (500, 6), dtype=np.uint8)
    queries = rng.integers(0, 256, (30, 6), dtype=np.uint8)
    dist, ids = HammingIndex(codes, 48).search(queries, 10)
    brute = popcount_distances(queries, codes)
    np.testing.assert_array_equal(dist, np.sort(brute, axis=1)[:, :10])
    np.testing.assert_array_equal(np.take_along_axis(brute, ids, 1), dist)  # ids have those distances


def test_hamming_index_rejects_short_codes():
    with pytest.raises(WotdError):
        HammingIndex(np.zeros((3, 2), np.uint8), 48)


def test_top_k_is_sorted_and_exact():
    s = np.array([[0.1, 0.9, 0.5, 0.7], [3.0, 1.0, 2.0, 0.0]])
    scores, ids = top_k(s, 2)
    assert ids.tolist() == [[1, 3], [0, 2]]
    np.testing.assert_allclose(scores, [[0.9, 0.7], [3.0, 2.0]])


def test_rescore_with_every_candidate_is_exhaustive_asymmetric(random_vectors):
    x = random_vectors
    q = AdaptiveBinary("median").fit(x)
    codes = q.encode(x)
    full = BinaryIndex(q, codes, "asymmetric").search(x[:40], 10)
    rescored = BinaryIndex(q, codes, "rescore", candidates=len(x)).search(x[:40], 10)
    np.testing.assert_allclose(rescored[0], full[0], rtol=1e-5, atol=1e-5)
    # and the asymmetric scores are project(q) . (+-1 code)
    np.testing.assert_allclose(full[0], top_k(q.project(x[:40]) @ q.signs(codes).T, 10)[0], rtol=1e-5)


def test_hamming_mode_scores_are_bits_minus_twice_the_distance(random_vectors):
    q = AdaptiveBinary("median").fit(random_vectors)
    codes = q.encode(random_vectors)
    index = make_index(q, codes, "hamming")
    scores, ids = index.search(random_vectors[:5], 3)
    assert (ids[:, 0] == np.arange(5)).all() and (scores[:, 0] == q.bits).all()  # self: distance 0
    np.testing.assert_allclose(
        index.score_rows(random_vectors[:5], ids[0]), q.similarity(codes[:5], codes[ids[0]])
    )


def test_unknown_mode_is_a_clear_error(random_vectors):
    q = AdaptiveBinary().fit(random_vectors)
    with pytest.raises(WotdError, match="allowed"):
        make_index(q, q.encode(random_vectors), "fuzzy")
