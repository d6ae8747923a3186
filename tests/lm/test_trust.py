"""The definition check: tautologies by stem, and faithfulness judged with the packaged MiniLM."""

import numpy as np
import pytest

from wotd_mlx.config import EmbedConfig
from wotd_mlx.lm.trust import calibrate, check_definitions, tautology


@pytest.mark.parametrize(
    ("word", "definition", "expected"),
    [
        ("artifice", "A kind of artifice, or artifice,", True),
        ("disputation", "A discourse, or discourse, of disputation", True),
        ("dactylic", "Of or pertaining to a dactyl", True),  # same stem
        ("artifice", "Something artificial", True),  # a word that extends the stem
        ("disputation", "the act of disputing", True),
        ("sea breeze", "a breeze from the sea", True),  # any part of a multi-word headword
        ("drought", "A prolonged period of dryness", False),
        ("enzyme", "a protein that speeds a chemical reaction", False),
        ("cat", "a small domesticated carnivore", False),  # short stems match only whole stems
    ],
)
def test_tautology(word, definition, expected):
    assert tautology(word, definition) is expected


@pytest.fixture(scope="module")
def embed():
    pytest.importorskip("torch")
    from wotd_mlx.embed import load_embedder

    return load_embedder(EmbedConfig(), "torch").embed


WORDS = ["drought", "enzyme", "harbour"]
DICTIONARY = [
    "Dryness; want of rain or of water; especially, such dryness of the weather as affects the earth",
    "A protein that acts as a catalyst for a chemical reaction in a living body",
    "A port or haven for ships; a place of shelter for vessels",
]


def test_faithful_definitions_pass(embed):
    lm = ["a long period without rain", "a protein that speeds a reaction", "a sheltered port for ships"]
    verdicts = check_definitions(WORDS, lm, DICTIONARY, embed, threshold=0.3)
    assert [v.ok for v in verdicts] == [True, True, True]
    assert all(v.similarity > 0.3 for v in verdicts)


def test_swapped_tautological_and_empty_definitions_fail(embed):
    lm = ["a sheltered port for ships", "an enzyme", ""]  # drought's is harbour's; enzyme repeats itself
    verdicts = check_definitions(WORDS, lm, DICTIONARY, embed, threshold=0.3)
    assert [v.ok for v in verdicts] == [False, False, False]
    assert "harbour" in verdicts[0].reason
    assert verdicts[1].reason == "repeats its headword"
    assert verdicts[2].reason == "is empty"


def test_threshold_rejects_a_definition_far_from_the_sense(embed):
    (verdict,) = check_definitions(["drought"], ["a kind of musical instrument"], DICTIONARY[:1], embed, 0.3)
    assert not verdict.ok and "too far" in verdict.reason


def test_calibration_sits_between_matched_and_mismatched_pairs(embed):
    lm = ["a long period without rain", "a protein that speeds a reaction", "a sheltered port for ships"]
    cal = calibrate(lm, DICTIONARY, embed)
    sims = embed(lm) @ embed(DICTIONARY).T
    assert sims[~np.eye(3, dtype=bool)].max() >= cal.threshold > sims[~np.eye(3, dtype=bool)].min()
    assert cal.own_pass_rate == 1.0 and cal.own_nearest_rate == 1.0 and cal.words == 3
