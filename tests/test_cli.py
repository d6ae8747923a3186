"""End to end through the `wotd` CLI on a small real lexicon, the real packaged MiniLM (torch) and a tiny
random LM, plus a tiny MLX run. This module works on a copy of the home trained once per session
(tests/conftest.py `trained_home`)."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from backends import TEST_BACKEND
from cli_harness import TINY, copy_home  # the trained home's settings, shared (tests/conftest.py)

from wotd_mlx.cli import main
from wotd_mlx.render import render


def wotd(capsys, *args: str) -> tuple[int, object, str]:
    code = main([*args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 and "--json" in args else out), err


def db_dump(home) -> list[str]:
    conn = sqlite3.connect(home / "wotd.db")
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def home(trained_home, tmp_path_factory):
    """A private copy of the session's home trained with TINY and the tiny LM (these tests write to it)."""
    return copy_home(trained_home, tmp_path_factory.mktemp("wotd-home") / "home")


@pytest.fixture
def env(home, monkeypatch):
    monkeypatch.setenv("WOTD_HOME", str(home))
    monkeypatch.setenv("WOTD_BACKEND", TEST_BACKEND)
    return home


def test_train_records_a_run(env, capsys):
    code, info, _ = wotd(capsys, "info", "--json")
    assert code == 0
    run = info["last_run"]
    assert run["status"] == "done" and run["backend"] == TEST_BACKEND
    assert run["metrics"]["lexicon_words"] == info["lexicon_words"] <= 600
    assert set(run["metrics"]["encoder"]["holdout"]["accuracy"]) >= {"style", "complexity", "era"}
    assert run["timings"]["total_s"] > 0
    m = run["metrics"]
    assert m["search_embedder"] == m["embedder_finetune"]["path"]  # the home fine-tunes for search
    text = render("train", {"run_id": run["id"], **run})
    assert f"embedded with the fine-tuned {Path(m['search_embedder']).name}" in text


def test_encode_decode_generate(env, capsys):
    code, rows, _ = wotd(capsys, "encode", "--json", *_some_words(env, 2))
    assert code == 0 and len(rows) == 2
    sid = rows[0]["semantic_id"]
    assert len(sid) == 4
    text = ",".join(map(str, sid))
    code, dec, _ = wotd(capsys, "decode", text, "-n", "5", "--json")
    assert code == 0 and len(dec) == 5 and all({"word", "definition", "semantic_id"} <= set(r) for r in dec)
    code, gen, _ = wotd(capsys, "generate", text, "-n", "3", "--method", "retrieval", "--json")
    assert code == 0 and len(gen) == 3 and gen[0]["method"] == "retrieval"
    # the encoded word's own ID asks for words like it: words with that exact ID rank first
    assert gen[0]["semantic_id"] == sid


def test_encode_free_text(env, capsys):
    """`encode --text`: an ID for text that is no lexicon word, and the words nearest it; a word's own
    embedded text ("word: definition") finds that word first."""
    conn = sqlite3.connect(env / "wotd.db")
    try:
        word, definition = conn.execute("SELECT word, definition FROM lexicon ORDER BY zipf DESC").fetchone()
    finally:
        conn.close()
    code, got, _ = wotd(capsys, "encode", "--text", f"{word}: {definition}", "--json")
    assert code == 0 and len(got["semantic_id"]) == 4
    assert got["nearest"][0]["word"] == word and got["nearest"][0]["score"] > 0.999
    code, out, _ = wotd(capsys, "encode", "--text", "a stormy sea")
    assert code == 0 and out.startswith("[") and "a stormy sea" in out.splitlines()[0] and "nearest:" in out


def test_generate_with_the_fine_tuned_lm(env, capsys):
    """`--method lm` uses the run's LoRA adapter; every word is a distinct lexicon word."""
    code, rows, err = wotd(capsys, "generate", "2,1,3,0", "-n", "8", "--method", "lm", "--json")
    assert code == 0, err
    assert len(rows) == 8 and len({r["word"] for r in rows}) == 8
    assert all(r["method"] == "lm" and r["definition"] and r["dictionary_definition"] for r in rows)
    lexicon = set(_some_words(env, 10_000))
    assert {r["word"] for r in rows} <= lexicon
    # the LM chooses within the ID's pool: its cell, or (a sparse cell here) the 4n best fits by retrieval
    _, fits, _ = wotd(capsys, "generate", "2,1,3,0", "-n", "32", "--method", "retrieval", "--json")
    assert {r["word"] for r in rows} <= {r["word"] for r in fits}
    code, info, _ = wotd(capsys, "info", "--json")
    lm = info["last_run"]["metrics"]["lm"]
    assert lm["steps"] == 4 and lm["tokens_per_s"] > 0 and lm["peak_memory_mb"] > 0
    conn = sqlite3.connect(env / "wotd.db")
    steps = [
        r[0] for r in conn.execute("SELECT step FROM lm_curve WHERE run_id = ?", [info["last_run"]["id"]])
    ]
    conn.close()
    assert steps == [4]  # reports every 5 steps and at the last one


def test_search_by_meaning(env, capsys):
    code, rows, _ = wotd(capsys, "search", "a small domestic animal that purrs", "-k", "5", "--json")
    assert code == 0 and len(rows) == 5
    assert rows[0]["score"] >= rows[-1]["score"]


def test_search_finds_a_word_by_a_sense_it_does_not_show_and_shows_that_sense(env, capsys):
    run = max((env / "runs").iterdir(), key=lambda p: int(p.name) if p.name.isdigit() else -1)
    senses = json.loads((run / "senses.json").read_text())
    words = json.loads((run / "words.json").read_text())
    owner, sense = max(zip(senses["owner"], senses["texts"], strict=True), key=lambda r: len(r[1]))
    code, rows, err = wotd(capsys, "search", sense, "-k", "3", "--json")
    assert code == 0, err
    hit = next(r for r in rows if r["word"] == words[owner])  # the word is among the top 3
    assert hit["definition"] == sense  # shown with the sense the text matched, not its first one


def test_today_is_deterministic_and_likes_move_preference(env, capsys):
    code, a, _ = wotd(capsys, "today", "--date", "2026-01-05", "--json")
    _, b, _ = wotd(capsys, "today", "--date", "2026-01-05", "--json")
    assert code == 0 and a["word"] == b["word"] and a["definition"]
    assert not a["from_preference"]
    liked = _some_words(env, 3)
    for w in liked:
        code, fb, _ = wotd(capsys, "like", w, "--json")
        assert code == 0 and len(fb["preference_semantic_id"]) == 4
    code, fb, _ = wotd(capsys, "dislike", liked[0], "--json")
    assert code == 0 and fb["n_feedback"] == 4 and fb["previous_semantic_id"] is not None
    code, c, _ = wotd(capsys, "today", "--date", "2026-01-06", "--json")
    assert code == 0 and c["from_preference"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["encode", "notawordzz"], "unknown word"),
        (["encode", "--text", "  "], "empty text"),
        (["encode"], "not both and not neither"),
        (["encode", "abate", "--text", "a stormy sea"], "not both and not neither"),
        (["decode", "9,9,9,9"], "allowed range is 0..7"),
        (["decode", "1,2"], "4"),
        (["generate", "a,b,c,d"], "2,1,3,0"),
        (["decode", "1,1,1,1", "-n", "0"], "between 1 and 100"),
        (["search", "   "], "empty search text"),
        (["today", "--date", "yesterday"], "YYYY-MM-DD"),
        (["like", "notawordzz"], "unknown word"),
        (["train", "--levels", "7,8,8,5", *TINY], "style"),
        (["train", "--resume", "--max-words", "5"], "--resume goes on"),
        (["train", "--resume"], "nothing to resume"),
        (["train", "--lm", "./no/such/model", *TINY], "no language model directory"),
        (["generate", "0,0,0,0", "--temperature", "5"], "temperature"),
    ],
)
def test_bad_input_exit_2_and_database_unchanged(env, capsys, args, message):
    before = db_dump(env)
    code, out, err = wotd(capsys, *args)
    assert code == 2
    assert message in err and "Traceback" not in err and err.count("\n") == 1
    assert db_dump(env) == before


def test_real_process_exit_code_and_clean_json(env):
    bad = subprocess.run(
        [sys.executable, "-m", "wotd_mlx.cli", "decode", "99,0,0,0"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "wotd_mlx.cli", "info", "--json"], capture_output=True, text=True
    )
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["last_run"]["status"] == "done"  # stdout is only the JSON document


def test_every_command_the_parser_accepts_is_dispatched():
    import argparse

    from wotd_mlx.cli import BENCHES, COMMANDS, build_parser

    def choices(parser) -> set[str]:
        (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return sub.choices

    top = choices(build_parser())
    assert set(top) == set(COMMANDS) | {"bench"}  # `wotd models prepare` once fell through to a KeyError
    assert set(choices(top["bench"])) == set(BENCHES) == {"preference", "quantizers", "search"}


def test_no_trained_run_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WOTD_HOME", str(tmp_path))
    code, _, err = wotd(capsys, "today")
    assert code == 2 and "wotd train" in err


def test_mlx_backend_end_to_end(tmp_path, monkeypatch, capsys, tiny_lm_dir):
    """The MLX path on a tiny lexicon and the tiny LM (MLX CPU on Linux is slow: see FACTS)."""
    pytest.importorskip("mlx.core")
    monkeypatch.setenv("WOTD_HOME", str(tmp_path))
    args = ["--max-words", "80", "--epochs", "2"]
    args += ["--finetune-pairs", "2048"]  # asked for, but 80 words are too few: the run skips it
    lm = ["--lm", str(tiny_lm_dir), "--lm-iters", "2"]
    code, summary, err = wotd(capsys, "train", "--backend", "mlx", *args, *lm, "--json")
    assert code == 0, err
    assert summary["backend"] == "mlx"
    assert "only" in summary["metrics"]["embedder_finetune"]["skipped"]  # 80 words: too few to fine-tune
    assert (tmp_path / "runs" / str(summary["run_id"]) / "lm" / "adapter" / "adapters.safetensors").is_file()
    code, rows, err = wotd(
        capsys, "generate", "--backend", "mlx", "0,0,0,0", "-n", "3", "--method", "lm", "--json"
    )
    assert code == 0 and len({r["word"] for r in rows}) == 3 and rows[0]["method"] == "lm", err
    code, rows, _ = wotd(
        capsys, "search", "--backend", "mlx", "a feeling of great happiness", "-k", "3", "--json"
    )
    assert code == 0 and len(rows) == 3


def _some_words(home, n):
    conn = sqlite3.connect(home / "wotd.db")
    try:
        return [r[0] for r in conn.execute("SELECT word FROM lexicon ORDER BY zipf DESC LIMIT ?", [n])]
    finally:
        conn.close()
