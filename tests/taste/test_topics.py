"""Text-defined tastes: keywords over the shown definition and gloss, field labels, on real store entries."""

from wotd_mlx.store import LexEntry
from wotd_mlx.taste.bench import PEOPLE
from wotd_mlx.taste.topics import TEXT_TOPICS, matches, text_truth


def test_keywords_match_whole_words_in_the_definition_or_gloss_only():
    assert matches("text: the sea", "A small vessel with one mast.")
    assert matches("text: the sea", "Obs. a vestment", gloss="a large boat used on the open seas")
    assert not matches("text: the sea", "A marine mammal; a seal.")  # "seal" is no "sea"
    assert not matches("text: law", "A lawn of short grass.")  # "lawn" is no "law"
    assert matches("text: law", "Relating to courts and statutes.")  # plurals count
    assert matches("text: music", "An old measure", labels=["Mus."])  # a GCIDE field label alone suffices
    assert not matches("text: music", "An old measure", labels=["Bot."])


def test_every_text_taste_is_a_person_of_its_own_group_in_the_bench():
    text = [p for p in PEOPLE if p.group == "text"]
    assert len(text) >= 6 and {m for p in text for m in p.modes} == set(TEXT_TOPICS)
    assert all(p.kind == "text" for p in text)


def test_text_truth_reads_the_stored_entries(w):
    words = list(w.index.words)
    entries = w.store.entries(words)
    truth = text_truth(entries, words)
    assert set(truth) == set(TEXT_TOPICS)
    # the test home's definitions read "a sea word: the anchor or ..." -> the sea taste holds its sea cluster
    sea = truth["text: the sea"]
    assert all(sea[i] for i, x in enumerate(words) if x.startswith("sea"))
    # a song word is a sea word only when its own definition names a harbour (a sea keyword)
    songs = [i for i, x in enumerate(words) if x.startswith("song")]
    assert [bool(sea[i]) for i in songs] == ["harbour" in entries[words[i]].definition for i in songs]
    assert 0 < sum(sea[i] for i in songs) < len(songs)
    entry = LexEntry("x", "n.", "a tree", "", "", 3.0, [], 0, 1, 0)
    assert text_truth({"x": entry}, ["x", "missing"])["text: plants and animals"].tolist() == [True, False]
