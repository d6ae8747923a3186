import numpy as np

from wotd_mlx.corpus.gcide import GcideEntry, Sense
from wotd_mlx.embed.pairs import build_pairs, mine_negatives, sample_pairs
from wotd_mlx.search.evalsets import split_of
from wotd_mlx.store import LexEntry

NAMES = [f"zq{a}{b}{c}" for a in "abcdefgh" for b in "abcdefgh" for c in "abcdefgh"]


def _lexicon_and_gcide(n=120):
    lexicon, gcide = [], {}
    for w in NAMES[:n]:
        lexicon.append(
            LexEntry(w, "n.", f"a thing of kind {w[2:]}; used in tests.", "", "", 3.0, [], 0, 0, 0)
        )
        gcide[w] = GcideEntry(
            w,
            [
                Sense(
                    "n.",
                    "",
                    [lexicon[-1].definition, f"another sense of kind {w[2:]}"],
                    [[f"He brought the {w} home with him today."], []],
                )
            ],
        )
    return lexicon, gcide


def test_pairs_never_touch_held_out_words_and_never_name_the_word():
    lexicon, gcide = _lexicon_and_gcide()
    pairs = build_pairs(lexicon, gcide)
    words = {p.word for p in pairs}
    assert words and all(split_of(w) == "train" for w in words)
    assert {e.word for e in lexicon if split_of(e.word) == "train"} == words
    assert {p.kind for p in pairs} == {"sense", "clause", "example"}
    for p in pairs:
        assert p.word not in p.anchor and p.positive.startswith(f"{p.word}: ")
    example = next(p for p in pairs if p.kind == "example")
    assert "___" in example.anchor


def test_sample_spreads_over_words_first():
    lexicon, gcide = _lexicon_and_gcide()
    pairs = build_pairs(lexicon, gcide)
    n_words = len({p.word for p in pairs})
    sample = sample_pairs(pairs, n_words, seed=0)
    assert len({p.word for p in sample}) == n_words  # one pair per word before any word gets a second
    assert sample == sample_pairs(pairs, n_words, seed=0)


def test_negatives_are_near_neighbours_but_never_the_word_or_held_out():
    lexicon, gcide = _lexicon_and_gcide()
    pairs = build_pairs(lexicon, gcide)
    words = [e.word for e in lexicon]
    texts = [f"{w}: text" for w in words]
    vecs = np.random.default_rng(0).normal(size=(len(words), 8)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    negs = mine_negatives(pairs, words, texts, vecs, seed=0)
    by_text = {t: w for w, t in zip(words, texts, strict=True)}
    for p, n in zip(pairs, negs, strict=True):
        assert by_text[n] != p.word and split_of(by_text[n]) == "train"
