from collections import Counter

from wotd_mlx.corpus.gcide import GcideEntry, Sense
from wotd_mlx.search.evalsets import heldout_senses, load_descriptions, mentions, split_of
from wotd_mlx.store import LexEntry


def test_split_is_fixed_and_about_five_percent_each():
    words = [f"w{i}" for i in range(20000)]
    counts = Counter(split_of(w) for w in words)
    assert 0.04 < counts["test"] / len(words) < 0.06 and 0.04 < counts["dev"] / len(words) < 0.06
    assert [split_of(w) for w in words[:50]] == [split_of(w) for w in words[:50]]


def test_descriptions_file_is_a_real_eval_set():
    rows = load_descriptions()
    assert len(rows) >= 300
    assert len({q for q, _ in rows}) == len(rows)  # no query written twice
    assert len({w for _, w in rows}) == len(rows)  # one description per word: a spread, not a few topics
    leaks = [(q, w) for q, w in rows if mentions(q, w)]
    assert not leaks, f"descriptions naming their own answer: {leaks[:5]}"


def test_mentions_catches_inflections():
    assert mentions("One who rocks", "rocker") and mentions("In a rash manner", "rashly")
    assert not mentions("a young cat", "kitten")


def _entry(word, definition):
    return LexEntry(word, "n.", definition, "", "", 3.0, [], 0, 0, 0)


def test_heldout_senses_skip_the_indexed_definition_and_leaks():
    names = (f"zq{a}{b}{c}" for a in "abcdefgh" for b in "abcdefgh" for c in "abcdefgh")
    words = [w for w in names if split_of(w) == "test"][:3]
    lexicon = [_entry(w, "the indexed definition of it") for w in words]
    gcide = {
        words[0]: GcideEntry(
            words[0], [Sense("n.", "", ["the indexed definition of it", "a second meaning"])]
        ),
        words[1]: GcideEntry(words[1], [Sense("n.", "", ["See Other.", f"the {words[1]} itself again"])]),
        words[2]: GcideEntry(words[2], [Sense("n.", "", ["another different sense here"])]),
    }
    rows = heldout_senses(lexicon, gcide, "test")
    assert sorted(rows) == sorted(
        [("a second meaning", words[0]), ("another different sense here", words[2])]
    )
    assert heldout_senses(lexicon, gcide, "dev") == []
