"""The learned taste in plain words: the sentence for constructed preferences, and in `wotd profile`."""

import json

from backends import TEST_BACKEND

from wotd_mlx.cli import main
from wotd_mlx.taste import plain
from wotd_mlx.taste.profile import in_words


def lean(axis: str, level: int, name: str, weight: float = 0.2) -> dict:
    return {"axis": axis, "level": level, "name": name, "weight": weight}


def test_a_sentence_from_the_levels_leaned_to_with_the_most_typical_liked_words():
    leans = [
        lean("style", 6, "arts & humanities", 0.3),
        lean("complexity", 5, "6 · rare", 0.25),
        lean("era", 2, "Renaissance Latin / Renaissance Greek", 0.2),
    ]
    liked = [  # newest first
        ("ode", {"style": 6, "complexity": 1, "era": 0}),
        ("fresco", {"style": 6, "complexity": 5, "era": 2}),
        ("lyre", {"style": 6, "complexity": 5, "era": 1}),
        ("ague", {"style": 2, "complexity": 0, "era": 0}),
        ("stanza", {"style": 6, "complexity": 5, "era": 2}),
    ]
    out = plain.sentence(leans, liked)
    assert out["text"] == "you like rare words of Renaissance Latin or Greek origin, about the arts"
    assert out["examples"] == ["fresco", "stanza", "lyre"]  # all three levels first, newest first on ties
    assert plain.render(out) == out["text"] + " (e.g. fresco, stanza, lyre)"


def test_two_levels_of_an_axis_and_eras_that_are_not_origins():
    leans = [
        lean("complexity", 6, "7 · very rare"),
        lean("complexity", 7, "8 · obscure/long", 0.1),
        lean("era", 7, "modern coinages"),
        lean("era", 0, "Old English", 0.1),
        lean("style", 7, "colloquial, dialect & slang"),
    ]
    out = plain.sentence(leans, [("grok", {"style": 7, "complexity": 6, "era": 7})])
    assert out["text"] == (
        "you like very rare or obscure, long words of Old English origin or coined in modern times, "
        "from slang and dialect"
    )
    assert out["examples"] == ["grok"]


def test_nothing_to_say_and_no_clear_lean():
    assert plain.sentence([], []) == {"text": "no likes yet: still exploring", "examples": []}
    out = plain.sentence([], [("abc", {"style": 0}), ("def", {"style": 1})])
    assert out["text"] == "you like words such as abc and def; no clear lean yet"
    assert out["examples"] == ["abc", "def"]
    assert plain.render(out) == out["text"]


def test_a_level_name_outside_the_tables_is_used_as_it_is():
    out = plain.sentence([lean("style", 0, "nautical"), lean("era", 0, "Viking")], [("oar", {"style": 0})])
    assert out["text"] == "you like words from the Viking era, in the nautical style"


def test_profile_says_the_taste_in_plain_words(w, home, dump, monkeypatch, capsys):
    before = dump()
    assert in_words(w, None) == {"text": plain.NOTHING, "examples": []}
    assert dump() == before  # reading a profile writes nothing (no review tables are made for it)
    for word in ("sea001", "sea002", "sea003", "sea010"):
        w.feedback(word, 1)
    for word in ("song001", "leaf001"):
        w.feedback(word, -1)
    said = in_words(w, None)
    liked = {"sea001", "sea002", "sea003", "sea010"}
    assert said["text"].startswith("you like") and set(said["examples"]) <= liked
    assert len(said["examples"]) == 3
    monkeypatch.setenv("WOTD_HOME", str(home))
    monkeypatch.setenv("WOTD_BACKEND", TEST_BACKEND)
    assert main(["profile", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["in_words"] == said and out["known"] == 0
    assert main(["profile"]) == 0
    assert plain.render(said) in capsys.readouterr().out
