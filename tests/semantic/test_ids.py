import numpy as np
import pytest

from wotd_mlx.errors import WotdError
from wotd_mlx.semantic import codebook_usage, flat_index, grid, parse_id, part_usage, unflat_index


def test_parse_accepts(levels):
    assert parse_id("2,1,3,0", levels) == (2, 1, 3, 0)
    assert parse_id(" 7 , 0,7 ,4 ", levels) == (7, 0, 7, 4)


@pytest.mark.parametrize("text", ["", "2,1,3", "2,1,3,0,1", "a,b,c,d", "2;1;3;0", "2,1.5,3,0"])
def test_parse_rejects_malformed(levels, text):
    with pytest.raises(WotdError, match="expected 4 comma-separated integers like 2,1,3,0"):
        parse_id(text, levels)


@pytest.mark.parametrize(
    "text,needle",
    [
        ("8,1,3,0", r"part 1 \(style\).*0\.\.7"),
        ("2,1,3,5", r"part 4 \(variation\).*0\.\.4"),
        ("2,-1,3,0", r"part 2 \(complexity\).*0\.\.7"),
    ],
)
def test_parse_rejects_out_of_range(levels, text, needle):
    with pytest.raises(WotdError, match=needle):
        parse_id(text, levels)


def test_flat_index_roundtrip(levels):
    g = grid(levels)
    assert g.shape == (2560, 4)
    np.testing.assert_array_equal(flat_index(g, levels), np.arange(2560))
    np.testing.assert_array_equal(unflat_index(np.arange(2560), levels), g)
    assert flat_index((0, 0, 0, 1), levels) == 1 and flat_index((1, 0, 0, 0), levels) == 320
    with pytest.raises(WotdError, match="variation"):
        flat_index([[0, 0, 0, 5]], levels)


def test_utilisation_known_input(levels):
    codes = np.array([[0, 0, 0, 0], [0, 0, 0, 0], [1, 2, 3, 4], [7, 7, 7, 4]])
    assert codebook_usage(codes, levels) == pytest.approx(3 / 2560)
    usage = part_usage(codes, levels)
    assert usage[0]["used"] == pytest.approx(3 / 8)
    # style values {0: 2, 1: 1, 7: 1} -> perplexity exp(H) with p = (.5, .25, .25)
    assert usage[0]["perplexity"] == pytest.approx(np.exp(1.5 * np.log(2)))
    assert usage[3]["used"] == pytest.approx(2 / 5)
    assert part_usage(grid(levels), levels)[3]["perplexity"] == pytest.approx(5.0)
