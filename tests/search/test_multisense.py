import numpy as np
import pytest

from wotd_mlx.corpus.gcide import GcideEntry, Sense
from wotd_mlx.errors import WotdError
from wotd_mlx.search.fusion import FusionIndex, FusionWeights, target_ranks, tune
from wotd_mlx.search.multisense import SenseVectors, other_senses, sense_rows


def _unit(x):
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


POLITE = GcideEntry(
    "polite",
    [
        Sense(
            "a.", "", ["Smooth; polished.", "Smooth and refined in behavior or manners; courteous; civil."]
        ),
        Sense("v. t.", "", ["To polish; to refine.", "See Polish.", "Civil.", "Smooth; polished."]),
        Sense("n.", "", ["Characterized by refinement; as, polite literature."]),
    ],
)


def test_other_senses_skip_the_shown_one_pointers_short_and_excluded_senses():
    got = other_senses(POLITE, "Smooth; polished.")
    assert got == [
        "Smooth and refined in behavior or manners; courteous; civil.",
        "To polish; to refine.",
        "Characterized by refinement; as, polite literature.",
    ]  # not "See Polish." (a pointer), "Civil." (too short) or a repeat of the shown sense
    assert other_senses(POLITE, "Smooth; polished.", limit=1) == got[:1]
    assert other_senses(POLITE, "Smooth; polished.", exclude={got[1]}) == [got[0], got[2]]
    owner, texts = sense_rows(["cat", "polite"], ["A pet.", "Smooth; polished."], {"polite": POLITE})
    assert owner == [1, 1, 1] and texts == got  # a word with no entry has no other senses


def test_modern_glosses_join_the_senses_after_webster_s_long_and_new_ones_only():
    modern = {
        "polite": ["showing regard for others", "Smooth; polished.", "civil", "refined", "marked by tact"],
        "cat": ["feline mammal usually having thick soft fur"],
    }
    shown = ["A pet.", "Smooth; polished."]
    owner, texts = sense_rows(["cat", "polite"], shown, {"polite": POLITE}, modern=modern)
    webster = other_senses(POLITE, "Smooth; polished.")
    # cat has no Webster entry but a gloss; polite's first MAX_MODERN (3) glosses: one is its shown
    # definition and one too short, so one joins
    assert texts == ["feline mammal usually having thick soft fur", *webster, "showing regard for others"]
    assert owner == [0, 1, 1, 1, 1]
    _, excluded = sense_rows(["cat"], ["A pet."], {}, modern=modern, exclude={modern["cat"][0]})
    assert excluded == []  # an evaluation's query is never in the index, whichever dictionary it came from


def test_best_scores_are_each_words_best_sense_and_matched_names_it():
    rng = np.random.default_rng(0)
    owner = rng.integers(0, 30, size=80)  # unsorted, some words without senses
    vectors = _unit(rng.normal(size=(80, 8)))
    senses = SenseVectors(owner, vectors, [f"s{i}" for i in range(80)])
    queries = _unit(rng.normal(size=(5, 8)))
    got = senses.best_scores(queries, 32)
    sims = queries @ vectors.T
    for w in range(32):
        mine = owner == w
        want = sims[:, mine].max(axis=1) if mine.any() else np.full(5, -np.inf)
        np.testing.assert_allclose(got[:, w], want, rtol=1e-6)
    w = int(owner[0])
    best = int(np.flatnonzero(owner == w)[np.argmax(sims[0, owner == w])])
    assert senses.matched(queries[0], w, float(sims[0, best]) - 0.02) == f"s{best}"
    assert senses.matched(queries[0], w, float(sims[0, best]) + 0.5) is None  # its definition scored higher
    assert senses.matched(queries[0], 31, 0.0) is None  # no other sense


def test_a_query_for_a_later_sense_finds_the_word_and_tuning_keeps_the_senses():
    rng = np.random.default_rng(1)
    n, d = 300, 16
    defs = _unit(rng.normal(size=(n, d)))
    second = _unit(rng.normal(size=(n, d)))  # each word's other sense, unrelated to its first
    targets = list(range(40))
    queries = _unit(second[:40] + 0.1 * rng.normal(size=(40, d)))
    index = FusionIndex(
        [f"w{i}" for i in range(n)], defs, senses=SenseVectors(np.arange(n), second, ["x"] * n)
    )
    plain = target_ranks(index.scores(queries, FusionWeights()), targets)
    w = tune(index, queries, targets)
    assert w.penalty is not None
    found = target_ranks(index.scores(queries, w), targets)
    assert (found == 1).mean() > 0.9 and plain.mean() > 10 * found.mean()


def test_save_load_and_damage(tmp_path):
    rng = np.random.default_rng(2)
    senses = SenseVectors(np.array([3, 1, 3]), _unit(rng.normal(size=(3, 4))), ["c", "a", "b"])
    senses.save(tmp_path)
    back = SenseVectors.load(tmp_path)
    assert back.owner.tolist() == [1, 3, 3] and back.texts == ["a", "c", "b"]
    np.testing.assert_allclose(back.vectors, senses.vectors, atol=1e-3)  # stored as float16
    assert SenseVectors.load(tmp_path / "old-run", expected=False) is None  # a run from before senses
    with pytest.raises(WotdError, match="missing or damaged"):
        SenseVectors.load(tmp_path / "old-run")
    (tmp_path / "senses.npy").write_bytes(b"not numpy")
    with pytest.raises(WotdError, match="wotd train"):
        SenseVectors.load(tmp_path)
