"""`wotd show WORD`: the whole entry of a word, before any training (Webster's entry, no run) and on the
session's trained home (its semantic ID and label names), each call in a fresh process that must not import
torch, sentence-transformers or peft (tests/torch_free_cli.py): showing a word loads no model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_harness import a_word, assert_one_clear_line, run_dir

from wotd_mlx.corpus.modern import load_glosses, load_ipa
from wotd_mlx.render import render
from wotd_mlx.store import Store

RUNNER = Path(__file__).with_name("torch_free_cli.py")


def wotd(home: Path, *argv: str) -> subprocess.CompletedProcess:
    env = os.environ | {"WOTD_HOME": str(home)}
    return subprocess.run([sys.executable, str(RUNNER), *argv], env=env, capture_output=True, text=True)


def show_json(home: Path, word: str) -> dict:
    done = wotd(home, "show", word, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_known_word_before_any_training(tmp_path):
    entry = show_json(tmp_path, "abate")
    assert entry["word"] == "abate" and entry["ipa"] == "əˈbeɪt" == load_ipa()["abate"]
    assert entry["pos"] == "v. t." and entry["definition"] == "To beat down; to overthrow."
    assert entry["modern_glosses"] == load_glosses()["abate"]
    assert entry["etymology"].startswith("OF. abatre to beat down")
    assert entry["scowl_band"] == 35 and entry["zipf"] > 1.5
    assert entry["run"] is None and entry["levels"] is None
    assert entry["note"].startswith("no trained run yet")
    blocks = entry["webster"]
    assert [b["pos"] for b in blocks] == ["v. t.", "v. i.", "n."] and entry["webster_headword"] == "abate"
    for block in blocks:  # every sense, numbered from 1 in each block as Webster numbers them
        assert [s["number"] for s in block["senses"]] == list(range(1, len(block["senses"]) + 1))
    first = blocks[0]["senses"][0]
    assert first["text"] == entry["definition"] and first["examples"][0].startswith("The King of Scots")
    text = wotd(tmp_path, "show", "abate")
    assert text.returncode == 0 and text.stdout.startswith("abate  /əˈbeɪt/  (v. t.)")
    assert "modern: make less active or intense" in text.stdout and "no trained run yet" in text.stdout
    assert "    2. To bring down or reduce" in text.stdout


def test_old_senses_are_marked_and_labelled(tmp_path):
    entry = show_json(tmp_path, "Cloth ")  # case and spaces do not matter
    senses = entry["webster"][0]["senses"]
    assert [s["old"] for s in senses] == [False, True, False]
    assert senses[1]["labels"] == ["Obs."] and senses[1]["text"] == "The dress; raiment. See Clothes."
    assert "Obs." in entry["labels"]
    assert "    2. † The dress; raiment. See Clothes. [Obs.]" in render("show", entry).splitlines()


def test_a_modern_spelling_shows_the_1913_entry_it_is_filed_under(tmp_path):
    entry = show_json(tmp_path, "hypotenuse")
    assert entry["webster_headword"] == "hypothenuse"
    assert entry["definition"].startswith("The side of a right-angled triangle")
    assert entry["modern_glosses"] == ["the side of a right triangle opposite the right angle"]
    assert "Webster 1913 (filed under hypothenuse):" in render("show", entry)


@pytest.mark.parametrize(
    ("word", "says"),
    [
        ("xyzzyq", "'xyzzyq' is not in the lexicon (no trained run yet"),
        ("pulchritude", "not in the lexicon"),  # Webster has it; wordfreq barely (zipf < 1.5)
        ("  ", "give a word"),
        ("a" * 5000, "(5000 characters) is not in the lexicon"),
    ],
    ids=["unknown", "rare", "blank", "huge"],
)
def test_an_unknown_word_is_one_clear_line(tmp_path, word, says):
    done = wotd(tmp_path, "show", word)
    assert_one_clear_line(done.returncode, done.stderr, ["show", word])
    assert says in done.stderr and done.stdout == ""


def test_a_trained_word_shows_its_semantic_id_and_label_names(trained_home):
    word = a_word(trained_home)
    entry = show_json(trained_home, word)
    with Store(trained_home / "wotd.db") as store:
        lexicon = store.entries([word])[word]
        run = store.last_run("done")
    assert entry["note"] is None and entry["run"]["id"] == run.id
    assert entry["definition"] == lexicon.definition and entry["labels"] == lexicon.labels
    (encoded,) = json.loads(wotd(trained_home, "encode", word, "--json").stdout)
    assert entry["run"]["semantic_id"] == encoded["semantic_id"]
    axes = json.loads((run_dir(trained_home) / "axes.json").read_text())
    sid = entry["run"]["semantic_id"]
    assert entry["run"]["names"] == {axis: axes[axis][sid[i]] for i, axis in enumerate(axes)}
    assert entry["levels"] == {"style": lexicon.style, "complexity": lexicon.complexity, "era": lexicon.era}
    assert sid[:3] == [lexicon.style, lexicon.complexity, lexicon.era]  # a known word's ID carries its labels
    text = render("show", entry)
    assert f"semantic ID [{','.join(map(str, sid))}] in run {run.id}: {axes['style'][sid[0]]}" in text


def test_a_webster_word_the_trained_lexicon_left_out(trained_home):
    words = set(json.loads((run_dir(trained_home) / "words.json").read_text()))
    word = next(w for w in ("abate", "cloth", "press", "bank", "angle") if w not in words)
    done = wotd(trained_home, "show", word)
    assert_one_clear_line(done.returncode, done.stderr, ["show", word])
    assert f"{word!r} is not in the lexicon ({len(words)} words; Webster 1913 has it" in done.stderr
