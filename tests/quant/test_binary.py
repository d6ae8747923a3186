"""Sign, adaptive, Matryoshka and hybrid binary codes: exact bits on known inputs, and real behaviour."""

import numpy as np
import pytest

from wotd_mlx.errors import WotdError
from wotd_mlx.quant.adaptive import AdaptiveBinary
from wotd_mlx.quant.base import pack_bits, thresholds, unpack_bits
from wotd_mlx.quant.hybrid import HybridBinary
from wotd_mlx.quant.matryoshka import MatryoshkaBinary
from wotd_mlx.quant.sign import SignBinary


def test_sign_binary_on_a_known_matrix():
    x = np.array(
        [
            [0.5, -1.0, 0.0, 2.0, -0.1, 0.3, 0.3, -2.0, 1.0, -1.0],
            [-0.5, 1.0, 1e-6, -2.0, 0.1, -0.3, -0.3, 2.0, -1.0, 1.0],
        ],
        np.float32,
    )
    q = SignBinary().fit(x)
    codes = q.encode(x)
    # bits of row 0: 1 0 0 1 0 1 1 0 | 1 0 (+ 6 zero padding bits); x == 0 gives 0 (strictly > 0)
    assert codes.dtype == np.uint8 and codes.shape == (2, 2) and q.bytes_per_vector == 2
    assert codes[0].tolist() == [0b10010110, 0b10000000]
    assert codes[1].tolist() == [0b01101001, 0b01000000]
    np.testing.assert_array_equal(unpack_bits(codes, 10)[0], (x[0] > 0).astype(np.uint8))


def test_sign_codes_are_sentence_transformers_ubinary(minilm_words):
    st = pytest.importorskip("sentence_transformers")
    del st
    from wotd_mlx.quant.reference import STBinary, quantize_embeddings

    _, x = minilm_words
    ours = SignBinary().fit(x).encode(x)
    np.testing.assert_array_equal(ours, quantize_embeddings(x, "ubinary"))
    np.testing.assert_array_equal(ours, STBinary().fit(x).encode(x))
    assert ours.shape == (len(x), 48)  # 384 bits = 48 bytes: 32x smaller than 1536 float32 bytes


def test_pack_unpack_round_trip():
    bits = np.random.default_rng(0).random((7, 13)) > 0.5
    codes = pack_bits(bits)
    assert codes.shape == (7, 2)
    np.testing.assert_array_equal(unpack_bits(codes, 13).astype(bool), bits)


def test_median_thresholds_balance_every_bit(minilm_words):
    _, x = minilm_words
    q = AdaptiveBinary("median").fit(x)
    ones = q.bits_of(x).mean(0)
    assert np.abs(ones - 0.5).max() <= 1 / len(x) + 1e-9
    # MiniLM's dimensions are not centred: plain sign bits are unbalanced on some of them
    assert np.abs(SignBinary().fit(x).bits_of(x).mean(0) - 0.5).max() > 0.2


def test_lloyd_threshold_finds_the_gap_between_two_modes():
    rng = np.random.default_rng(0)
    col = np.concatenate([rng.normal(-3, 0.1, 300), rng.normal(5, 0.1, 700)])[:, None]
    t = thresholds(col, "lloyd")[0]
    assert t == pytest.approx(1.0, abs=0.05)  # midpoint of the two means, not the median (~4.9)
    assert thresholds(col, "median")[0] > 4


def test_unknown_threshold_mode_is_a_clear_error():
    with pytest.raises(WotdError, match="allowed"):
        AdaptiveBinary("mode")


def test_matryoshka_without_rotation_is_truncation(random_vectors):
    x = random_vectors
    q = MatryoshkaBinary(12, rotation="none").fit(x)
    expected = x[:, :12] > np.median(x[:, :12], axis=0)
    np.testing.assert_array_equal(q.bits_of(x), expected)
    assert q.bytes_per_vector == 2


def test_pca_truncation_beats_raw_truncation_on_real_vectors(minilm_words, recall):
    _, x = minilm_words
    recalls = {}
    for rotation in ("pca", "none"):
        q = MatryoshkaBinary(64, rotation=rotation).fit(x)
        codes = q.encode(x)
        recalls[rotation] = recall(x, q.similarity(codes, codes))
    assert recalls["pca"] > recalls["none"] + 0.05


def test_hybrid_and_rule_matches_its_definition(random_vectors):
    x = random_vectors
    q = HybridBinary(12, single=4, group=2).fit(x)
    assert q.dims_used == 4 + 8 * 2 and q.bytes_per_vector == 2
    z = (x - q.mean) @ q.components.T
    bits = q.bits_of(x)
    np.testing.assert_array_equal(bits[:, :4], z[:, :4] > q.single_t)
    zg = z[:, 4:].reshape(len(x), 8, 2)
    rule = ~((zg[:, :, 0] < q.group_t[:, 0]) & (zg[:, :, 1] < q.group_t[:, 1]))  # 0 iff both below
    np.testing.assert_array_equal(bits[:, 4:], rule)
    # the fitted thresholds keep each group bit informative (neither always 0 nor always 1)
    assert bits[:, 4:].mean(0).min() > 0.05 and bits[:, 4:].mean(0).max() < 0.95


def test_hybrid_sum_bits_are_balanced(random_vectors):
    q = HybridBinary(10, single=2, group=3, combine="sum").fit(random_vectors)
    assert np.abs(q.bits_of(random_vectors)[:, 2:].mean(0) - 0.5).max() < 0.01


def test_hybrid_rejects_more_dimensions_than_exist(random_vectors):
    with pytest.raises(WotdError, match="dimensions"):
        HybridBinary(30, single=0, group=2).fit(random_vectors)  # needs 60 of 32


def test_decoder_reconstructs_and_asymmetric_beats_hamming(minilm_words, recall):
    _, x = minilm_words
    q = AdaptiveBinary("median").fit(x)
    codes = q.encode(x)
    residual = ((q.decode(codes) - x) ** 2).sum(1).mean()
    baseline = ((x.mean(0) - x) ** 2).sum(1).mean()
    assert residual < 0.7 * baseline
    hamming = recall(x, q.similarity(codes, codes))
    asym = recall(x, q.asymmetric(x, codes))
    assert asym > hamming
