"""Exports read back with real tools: the .apkg opened as a zip, its collection.anki2 read with sqlite3
(notes, fields, media); CSV written and imported back; bad CSV rows reported by line, nothing written."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import zipfile

import pytest

from wotd_mlx.errors import WotdError
from wotd_mlx.keep import export, lists, speech


def _anki_notes(path, tmp_path) -> tuple[list[list[str]], dict, zipfile.ZipFile]:
    z = zipfile.ZipFile(path)
    (tmp_path / "col.anki2").write_bytes(z.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "col.anki2")
    try:
        notes = [r[0].split("\x1f") for r in conn.execute("SELECT flds FROM notes ORDER BY id")]
        models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
        n_cards = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    finally:
        conn.close()
    assert n_cards == len(notes)
    return notes, models, z


def test_anki_deck_of_favourites_reads_back_with_fields_and_audio(store, home, words, tmp_path):
    for word in ("zarbo", words[0]):
        lists.add_favourite(store, None, word)
    made = None
    if shutil.which("espeak-ng") or shutil.which("espeak") or shutil.which("say"):
        made = speech.speak(home, "zarbo")
    out = export.to_anki(store, None, tmp_path / "fav.apkg", home, favourites=True)
    assert out["words"] == 2 and out["audio"] == (1 if made else 0)
    notes, models, z = _anki_notes(tmp_path / "fav.apkg", tmp_path)
    (model,) = models.values()
    assert [f["name"] for f in model["flds"]] == [
        "Word", "IPA", "Audio", "Definition", "ModernGloss", "Etymology", "Example", "PartOfSpeech",
    ]  # fmt: skip
    by_word = {n[0]: n for n in notes}
    assert set(by_word) == {"zarbo", words[0]}
    zarbo = by_word["zarbo"]
    assert zarbo[3] == "To make something lessen slowly." and zarbo[5] == "[L. zarbus]"
    assert zarbo[6] == "They zarbo it." and zarbo[7] == "v."
    media = json.loads(z.read("media"))
    if made:
        assert zarbo[2] == "[sound:zarbo.wav]" and by_word[words[0]][2] == ""
        (key,) = [k for k, name in media.items() if name == "zarbo.wav"]
        assert z.read(key)[:4] == b"RIFF"
    else:
        assert media == {} and zarbo[2] == ""


def test_anki_fields_carry_modern_ipa_and_gloss(store, home, tmp_path):
    pytest.importorskip("wotd_mlx.corpus.modern")
    from wotd_mlx.corpus.modern import load_ipa

    try:
        ipa = load_ipa()
    except WotdError as exc:
        pytest.skip(f"modern data not installed: {exc}")
    lists.add_favourite(store, None, "lessen")  # a real English word of the test lexicon
    export.to_anki(store, None, tmp_path / "f.apkg", home, favourites=True)
    notes, _, _ = _anki_notes(tmp_path / "f.apkg", tmp_path)
    assert notes[0][1] == ipa["lessen"] and notes[0][4]  # IPA and a modern gloss


def test_csv_export_and_import_round_trip(store, home, words, tmp_path):
    lists.create(store, None, "trip")
    lists.add(store, None, "trip", words[:5])
    out = export.to_csv(store, None, tmp_path / "trip.csv", list_name="trip")
    assert out["words"] == 5
    with open(tmp_path / "trip.csv", newline="", encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert [r["word"] for r in table] == words[:5] and list(table[0]) == list(export.FIELDS)
    got = export.import_csv(store, None, tmp_path / "trip.csv", "copy")
    assert got["added"] == 5 and got["created"]
    assert [r["word"] for r in lists.show(store, None, "copy")["words"]] == words[:5]
    again = export.import_csv(store, None, tmp_path / "trip.csv", "copy")
    assert again["added"] == 0 and again["already"] == 5
    lists.undo(store, None, "list")  # the second import (added nothing)
    lists.undo(store, None, "list")  # the first: the list it made goes too
    assert [x["name"] for x in lists.show(store, None)["lists"]] == ["trip"]


def test_history_export(store, w, words, tmp_path):
    with pytest.raises(WotdError, match="nothing to export: the history"):
        export.to_csv(store, None, tmp_path / "h.csv", history=True)
    for i, word in enumerate(words[:3]):
        store.record_history(f"2031-01-0{i + 1}", word, w.run.id)
    assert export.to_csv(store, None, tmp_path / "h.csv", history=True)["words"] == 3


def test_bad_csv_rows_are_reported_by_line_and_nothing_is_written(store, words, tmp_path, dump):
    lists.create(store, None, "mine")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"word,note\n{words[0]},ok\n\nnotaword,x\n{words[1]},a,b\n,empty\n{words[2]}\n", "utf-8")
    before = dump()
    with pytest.raises(WotdError) as err:
        export.import_csv(store, None, bad, "mine")
    msg = str(err.value)
    assert msg.startswith("nothing imported: 3 bad rows")
    assert (
        "line 4: unknown word 'notaword'" in msg and "line 5: 3 cells" in msg and "line 6: empty word" in msg
    )
    assert "line 2" not in msg and "line 7" not in msg  # good rows, and a short row is fine
    assert dump() == before
    for content, message in (
        (b"", "needs a header row with a 'word' column"),
        (b"name\nx\n", "needs a header row with a 'word' column"),
        (b"word\n", "has a header but no words"),
        (b"word\n\xff\xfe\n", "is not UTF-8 text"),
        (b'word\n"unclosed\n', "malformed CSV"),
    ):
        bad.write_bytes(content)
        with pytest.raises(WotdError, match=message):
            export.import_csv(store, None, bad, "new list")
    with pytest.raises(WotdError, match="no such file"):
        export.import_csv(store, None, tmp_path / "missing.csv", "mine")
    assert dump() == before


def test_export_refuses_bad_targets(store, home, words, tmp_path):
    lists.add_favourite(store, None, words[0])
    for kwargs, message in (
        ({"favourites": True, "history": True}, "exactly one of"),
        ({}, "exactly one of"),
        ({"list_name": "none"}, "no list named 'none'"),
    ):
        with pytest.raises(WotdError, match=message):
            export.to_csv(store, None, tmp_path / "x.csv", **kwargs)
    with pytest.raises(WotdError, match="must end in .apkg"):
        export.to_anki(store, None, tmp_path / "x.zip", home, favourites=True)
    with pytest.raises(WotdError, match="folder does not exist"):
        export.to_csv(store, None, tmp_path / "no" / "x.csv", favourites=True)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".csv", ".apkg", ".zip", ".part")) == []
