"""The keep commands through `wotd_mlx.cli.main` on a small real home: JSON and text output, and every bad
input one `wotd: error:` line on stderr, exit 2, the database unchanged."""

from __future__ import annotations

import json
import sqlite3
import zipfile

import pytest
from cli_harness import assert_one_clear_line, run_cli


def _json(argv):
    code, out, err = run_cli([*argv, "--json"])
    assert code == 0, (argv, err)
    return json.loads(out)


def test_favourites_lists_and_undo_from_the_cli(home, words):
    assert _json(["fav", "add", words[0]])["added"] is True
    code, out, _ = run_cli(["fav", "list"])
    assert code == 0 and out.startswith("favourites of default: 1 words") and words[0] in out
    _json(["list", "create", "sea words"])
    assert _json(["list", "add", "sea words", *words[1:4]])["added"] == words[1:4]
    assert _json(["list", "rename", "sea words", "ocean"])["list"] == "ocean"
    assert [r["word"] for r in _json(["list", "show", "ocean"])["words"]] == words[1:4]
    assert [r["word"] for r in _json(["list", "search", "ocean", words[2]])["words"]] == [words[2]]
    assert _json(["list", "remove", "ocean", words[3]])["words"] == 2
    code, out, _ = run_cli(["list", "delete", "ocean"])
    assert code == 0 and "wotd list undo" in out
    assert _json(["list", "undo"])["undone"] == "delete list ocean"
    assert _json(["fav", "undo"])["undone"] == f"add {words[0]} to favourites"
    assert _json(["fav", "list"])["words"] == []


@pytest.mark.parametrize(
    "argv",
    [
        ["fav", "add", "notaword"],
        ["fav", "add"],
        ["fav", "remove", "zarbo"],
        ["fav", "list", "extra"],
        ["fav", "undo"],
        ["fav", "add", "zarbo", "--profile", "nobody"],
        ["list", "create"],
        ["list", "create", "a", "b"],
        ["list", "show", "nope"],
        ["list", "add", "mine"],
        ["list", "add", "nope", "zarbo"],
        ["list", "rename", "nope", "x"],
        ["list", "search"],
        ["list", "undo"],
        ["review", "--answer", "zarbo", "1", "good"],
        ["review", "--answer", "zarbo", "x", "good"],
        ["review", "--undo"],
        ["review", "--undo", "--due"],
        ["export", "csv", "--favourites", "--out", "OUT/x.csv"],
        ["export", "csv", "--history", "--out", "OUT/x.apkg"],
        ["export", "anki", "--list", "nope", "--out", "OUT/x.apkg"],
        ["export", "csv", "--favourites", "--history", "--out", "OUT/x.csv"],
        ["import", "csv", "OUT/missing.csv", "--list", "mine"],
        ["say", "notaword"],
        ["say", "zarbo", "--profile", "nobody"],
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(home, tmp_path, argv, dump):
    argv = [a.replace("OUT", str(tmp_path)) for a in argv]
    run_cli(["list", "show"])  # the keep tables exist: the dump below compares rows only
    before = dump()
    code, out, err = run_cli(argv)
    assert_one_clear_line(code, err, argv)
    assert out == "" and dump() == before


def test_review_from_the_cli(home, words, store, w):
    state = _json(["review"])  # --json without --answer: the next item, nothing answered
    assert state["item"] is None and "nothing to review yet" in state["message"]
    code, out, err = run_cli(["review", "--due"])
    assert code == 0 and out.startswith("0 due (0 new) of 0 words")
    _json(["fav", "add", "zarbo"])
    code, out, err = run_cli(["review"])  # a word is due, and stdin is no terminal here
    assert_one_clear_line(code, err, ["review"])
    assert "wotd review --answer WORD CHOICE RATING" in err
    item = _json(["review"])["item"]
    assert item["word"] == "zarbo" and [o["number"] for o in item["options"]] == [1, 2, 3, 4]
    (right,) = [o["number"] for o in item["options"] if o["definition"] == "To make something lessen slowly."]
    res = _json(["review", "--answer", "zarbo", str(right), "easy"])
    assert res["correct"] and res["rating"] == "easy" and res["due_left"] == 0
    code, out, err = run_cli(["review"])
    assert code == 0 and out.startswith("nothing due now (1 words in review, 0 known)")
    assert _json(["review", "--known"])["known"] == []
    assert _json(["review", "--undo"])["undone"] == "review of zarbo (easy)"
    assert _json(["review", "--due"])["due"] == 1


def test_export_import_and_say_from_the_cli(home, words, tmp_path):
    _json(["list", "create", "trip"])
    _json(["list", "add", "trip", *words[:4]])
    out = _json(["export", "csv", "--list", "trip", "--out", str(tmp_path / "t.csv")])
    assert out["words"] == 4
    got = _json(["import", "csv", str(tmp_path / "t.csv"), "--list", "back"])
    assert got["added"] == 4 and got["created"]
    _json(["fav", "add", words[0]])
    deck = _json(["export", "anki", "--favourites", "--out", str(tmp_path / "f.apkg")])
    with zipfile.ZipFile(tmp_path / "f.apkg") as z:
        (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c.anki2")
    try:
        (fields,) = [r[0].split("\x1f") for r in conn.execute("SELECT flds FROM notes")]
    finally:
        conn.close()
    assert fields[0] == words[0] and deck["words"] == 1
    import shutil

    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed: `wotd say` cannot make audio here")
    said = _json(["say", "zarbo"])
    assert said["path"] == str(home / "audio" / "zarbo.wav") and not said["cached"]
    code, text, _ = run_cli(["say", "zarbo"])
    assert code == 0 and text.strip() == said["path"]
    deck = _json(["export", "anki", "--favourites", "--audio", "--out", str(tmp_path / "g.apkg")])
    assert deck["audio"] == 1  # words[0]'s audio made for the deck


def test_interactive_review_in_a_terminal(home, store):
    """`wotd review` in a real terminal (a pty on stdin): choose 1, rate good, then q stops the session."""
    import os
    import subprocess
    import sys

    pty = pytest.importorskip("pty")
    _json(["fav", "add", "zarbo"])
    _json(["fav", "add", "lessen"])
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "wotd_mlx.cli", "review"],
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        os.write(leader, b"1\ng\nq\n")
        out, err = proc.communicate(timeout=300)
    finally:
        os.close(leader)
        os.close(follower)
    assert proc.returncode == 0, err
    assert "What does zarbo mean?" in out and "next review in" in out and "What does lessen mean?" in out
    assert out.rstrip().endswith("1 due, 0 known") and "reviewed 1" in out
    assert store.db.execute("SELECT count(*) FROM keep_reviews").fetchone()[0] == 1
