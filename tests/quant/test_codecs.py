"""FSQ, the faiss codecs (PQ, OPQ, RVQ, scalar, ITQ/LSH) and the sentence-transformers int8 reference."""

import faiss
import numpy as np
import pytest

from wotd_mlx.errors import WotdError
from wotd_mlx.quant.faiss_methods import LSH, OPQ, PQ
from wotd_mlx.quant.fsq import FSQ
from wotd_mlx.quant.rvq import ResidualVQ
from wotd_mlx.quant.scalar import ScalarQuantizer
from wotd_mlx.quant.search import FaissIndex, top_k


def test_fsq_packs_groups_into_whole_bits(random_vectors):
    q = FSQ(64, levels=(8, 5, 5, 5)).fit(random_vectors)
    # 8*5*5*5 = 1000 combinations -> 10 bits per group of 4 dims; 64 bits -> 6 groups = 60 bits, 8 bytes
    assert (q.group_bits, q.n_groups, q.bits, q.dims, q.bytes_per_vector) == (10, 6, 60, 24, 8)
    codes = q.encode(random_vectors)
    assert codes.shape == (len(random_vectors), 8)
    assert (unpack_tail(codes, 60) == 0).all()  # the 4 padding bits stay 0
    np.testing.assert_array_equal(q.encode(q.decode(codes)), codes)  # decoded points re-encode the same


def unpack_tail(codes, used):
    return np.unpackbits(codes, axis=1)[:, used:]


def test_fsq_more_bits_reconstruct_better(random_vectors):
    errors = []
    for bits in (20, 40, 80):
        q = FSQ(bits).fit(random_vectors)
        errors.append(((q.decode(q.encode(random_vectors)) - random_vectors) ** 2).sum(1).mean())
    assert errors[0] > errors[1] > errors[2]


def test_fsq_rejects_impossible_budgets(random_vectors):
    with pytest.raises(WotdError):
        FSQ(5)  # less than one 10-bit group
    with pytest.raises(WotdError):
        FSQ(200).fit(random_vectors)  # would need 80 of 32 dimensions


def test_itq_lsh_codes_are_faiss_codes(random_vectors):
    x = random_vectors
    for rotation in ("itq", "random"):
        q = LSH(16, rotation=rotation).fit(x)
        faiss_codes = q.faiss_index.sa_encode(x)
        # faiss packs bits little-endian within a byte; ours are numpy's big-endian
        as_bits = np.unpackbits(faiss_codes, axis=1, bitorder="little")[:, :16]
        np.testing.assert_array_equal(np.unpackbits(q.encode(x), axis=1)[:, :16], as_bits)


def test_pq_bytes_and_search_equal_brute_force(random_vectors):
    x = random_vectors
    q = PQ(64, max_train=len(x)).fit(x)
    codes = q.encode(x)
    assert codes.shape == (len(x), 8) and q.bytes_per_vector == 8
    scores, ids = FaissIndex(q, codes).search(x[:20], 5)
    brute_scores, brute_ids = top_k(x[:20] @ q.decode(codes).T, 5)
    np.testing.assert_allclose(scores, brute_scores, atol=1e-4)
    assert (ids[:, 0] == brute_ids[:, 0]).mean() > 0.9  # near-ties may swap


@pytest.mark.parametrize("make", [lambda: PQ(64), lambda: OPQ(64, iterations=2), lambda: ResidualVQ(64)])
def test_search_over_codes_equals_brute_force_on_decoded_vectors(random_vectors, make):
    x = random_vectors
    q = make().fit(x)
    codes = q.encode(x)
    scores, ids = FaissIndex(q, codes).search(x[:20], 5)
    brute_scores, _ = top_k(x[:20] @ q.decode(codes).T, 5)
    np.testing.assert_allclose(scores, brute_scores, atol=1e-4)


@pytest.mark.parametrize("make", [lambda: OPQ(64, iterations=2), lambda: ResidualVQ(64)])
def test_opq_and_rvq_beat_plain_pq_reconstruction(random_vectors, make):
    x = random_vectors
    pq = PQ(64, max_train=len(x)).fit(x)
    other = make().fit(x)
    err = {m: ((m.decode(m.encode(x)) - x) ** 2).sum(1).mean() for m in (pq, other)}
    assert other.bytes_per_vector == pq.bytes_per_vector == 8
    assert err[other] < err[pq] * 1.05


def test_bits_must_be_whole_bytes():
    with pytest.raises(WotdError, match="multiple of 8"):
        PQ(60)


def test_int8_keeps_real_minilm_neighbours(minilm_words, recall):
    _, x = minilm_words
    q = ScalarQuantizer(8).fit(x)
    codes = q.encode(x)
    assert codes.shape == (len(x), 384) and q.bytes_per_vector == 384  # 4x smaller than float32
    assert recall(x, q.asymmetric(x, codes)) >= 0.97
    index = FaissIndex(q, codes)
    _, ids = index.search(x[:50], 1)
    assert (ids[:, 0] == np.arange(50)).all()  # every word finds itself first


def test_int8_calibration_is_deterministic(minilm_words):
    _, x = minilm_words
    lo, hi = np.quantile(x, [1e-3, 1 - 1e-3], axis=0)
    a, b = ScalarQuantizer(8).fit(x), ScalarQuantizer(8).fit(x)
    np.testing.assert_array_equal(a.encode(x), b.encode(x))
    np.testing.assert_allclose(a.decode(a.encode(x)).min(0), lo, atol=(hi - lo).max() / 255)


def test_int8_beats_the_sentence_transformers_symmetric_reference(minilm_words, recall):
    pytest.importorskip("sentence_transformers")
    from wotd_mlx.quant.reference import Int8Index, STInt8

    _, x = minilm_words
    st = STInt8().fit(x)
    st_codes = st.encode(x)
    index = Int8Index(st, st_codes)
    st_recall = recall(x, index.score_rows(x, np.arange(len(x))))
    ours = ScalarQuantizer(8).fit(x)
    our_recall = recall(x, ours.asymmetric(x, ours.encode(x)))
    assert 0.6 < st_recall < our_recall
    # the faiss index over the same bytes ranks like the numpy int8 dot product
    s_faiss, _ = index.search(x[:10], 3)
    s_np, _ = top_k(index.score_rows(x[:10], np.arange(len(x))), 3)
    np.testing.assert_allclose(s_faiss, s_np, rtol=1e-5)


def test_faiss_index_holds_codes_without_reencoding(random_vectors):
    q = ScalarQuantizer(4).fit(random_vectors)
    codes = q.encode(random_vectors)
    index = q.search_index(codes)
    assert index.ntotal == len(codes)
    np.testing.assert_array_equal(faiss.vector_to_array(index.codes).reshape(codes.shape), codes)
