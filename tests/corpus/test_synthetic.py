"""Synthetic corpora (issue 6): the real openai client against a scripted OpenAI-compatible server on
127.0.0.1 (tests/corpus/fake_openai_server.py). Small timeouts keep each test to a few seconds."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from fake_openai_server import EXTRA, USAGE, FakeOpenAI, completion

from wotd_mlx.cli import main
from wotd_mlx.corpus.openai_client import describe_error, make_client, redact, resolve_endpoint
from wotd_mlx.corpus.prompting import MalformedAnswer, is_english_word, parse_answer
from wotd_mlx.corpus.synthetic import (
    SyntheticConfig,
    choose_cells,
    generate_synthetic,
    load_synthetic_corpora,
)
from wotd_mlx.errors import WotdError
from wotd_mlx.store import Store
from wotd_mlx.store import synthetic as db

KEY = "sk-test-SECRET-0123456789abcdefghij"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "wotd.db") as s:
        yield s


def run(store, server, key=KEY, timeout=5.0, max_retries=1, progress=None, **cfg):
    endpoint = resolve_endpoint(server.url, key)
    client = make_client(endpoint, timeout=timeout, max_retries=max_retries)
    cfg = {"n_cells": 2, "per_cell": 10, "backoff_s": 0.01} | cfg
    try:
        return generate_synthetic(store, SyntheticConfig(**cfg), client, endpoint, progress=progress)
    finally:
        client.close()


def stored(store) -> dict[tuple, list[tuple]]:
    return {(c["style"], c["complexity"], c["era"]): c["words"] for c in load_synthetic_corpora(store)}


def all_stored_words(store) -> list[str]:
    return [w for words in stored(store).values() for w, _, _ in words]


def test_cells_cover_every_level_and_larger_choices_extend_smaller_ones():
    cells = choose_cells((8, 8, 8, 5), 12)
    assert len(set(cells)) == 12
    for axis in range(3):
        assert {c[axis] for c in cells} == set(range(8))
    assert choose_cells((8, 8, 8, 5), 20)[:12] == cells
    assert len(choose_cells((8, 8, 8, 5), None)) == 512
    assert all(c[1] < 4 and c[2] < 3 for c in choose_cells((8, 4, 3, 5), 12))


def test_generates_a_validated_corpus_and_records_tokens(store):
    with FakeOpenAI() as server:
        summary = run(store, server, n_cells=3, per_cell=12)
    cells = stored(store)
    assert set(cells) == set(choose_cells((8, 8, 8, 5), 3))
    words = all_stored_words(store)
    assert len(words) == 36 == len(set(words)) and set(words) <= set(server.served)
    for cell_words in cells.values():
        assert len(cell_words) == 12 and [s for *_, s in cell_words].count("test") == 1
        assert all(d.startswith("a test sense of ") for _, d, _ in cell_words)
    assert summary["words"] == 36 and summary["complete_cells"] == 3 and summary["skipped"] == []
    n = len(server.requests)
    assert summary["requests"] == n == 3  # one request per cell: 12 words + slack fit one batch
    assert summary["tokens"] == {
        "prompt": n * USAGE["prompt_tokens"],
        "completion": n * USAGE["completion_tokens"],
    }
    progress = db.progress(store)
    assert sum(c["prompt_tokens"] for c in progress) == n * USAGE["prompt_tokens"]
    assert all(c["words"] == 12 and c["model"] == "gpt-4o-mini" for c in progress)
    headers, body = server.requests[0]
    assert headers["authorization"] == f"Bearer {KEY}"  # the real client really sent the key
    assert (
        body["response_format"]["type"] == "json_schema" and "exactly 14" in body["messages"][-1]["content"]
    )
    corpus = load_synthetic_corpora(store)[0]  # the shape sample_corpora returns
    assert set(corpus) == {"name", "style", "complexity", "era", "words"} and corpus["name"].startswith(
        "synthetic"
    )
    assert all(isinstance(w, tuple) and len(w) == 3 for w in corpus["words"])


def test_invalid_words_are_rejected_and_the_rest_kept(store):
    good = EXTRA[:4]

    def mixed(body):
        items = [
            {"word": "zzxqvbn", "definition": "not a word"},
            {"word": "ice cream", "definition": "two words"},
            {"word": good[0], "definition": "x"},  # definition too short
            {"word": good[0].capitalize(), "definition": "capitalised, still a real word"},
            {"word": good[0], "definition": "the same word again"},
            {"word": good[1], "definition": "a fine word " * 30},  # definition too long
            "just a string",
            {"word": good[2]},
            {"word": good[3], "definition": "a good word"},
        ]
        return 200, completion(json.dumps({"words": items}))

    with FakeOpenAI(default=mixed) as server:
        summary = run(store, server, n_cells=1, per_cell=3, max_fruitless=2, max_skipped=5)
    assert sorted(all_stored_words(store)) == sorted([good[0], good[3]])
    assert summary["rejected_words"] == 7 + 2 * 9  # first answer: 7 rejected; then 2 answers all rejected
    assert summary["skipped"] and summary["skipped"][0]["words"] == 2


def test_faults_are_retried_or_skipped_and_nothing_half_stored(store, caplog):
    caplog.set_level(logging.WARNING)
    script = ["429", "500", "500", "truncated", "garbage", "wrong_shape", "stall", "429"]
    with FakeOpenAI(script, stall_s=2.0) as server:
        summary = run(store, server, timeout=0.5, max_retries=1, max_fruitless=6)
    assert server.actions[: len(script)] == script
    words = all_stored_words(store)
    assert len(words) == 20 == len(set(words)) and set(words) <= set(server.served)
    assert not set(words) & set(EXTRA)  # the cut-off answer's words were never stored
    assert summary["complete_cells"] == 2 and summary["skipped"] == []
    assert summary["failed_requests"] == 3  # truncated, garbage, wrong shape (their tokens still counted)
    assert sum(c["failed"] for c in db.progress(store)) == 3
    log = caplog.text
    assert "cut off" in log and "no JSON object" in log and 'no "words" list' in log
    assert "InternalServerError (HTTP 500)" in log  # 500 twice outlasted max_retries=1


def test_interrupted_run_resumes_without_duplicates(store):
    calls = []

    def interrupt(stage, done, total):
        calls.append(done)
        if done >= 10:  # right after the first cell's answer was committed
            raise KeyboardInterrupt

    with FakeOpenAI() as server:
        with pytest.raises(KeyboardInterrupt):
            run(store, server, n_cells=3, progress=interrupt)
        assert calls == [0, 10] and len(all_stored_words(store)) == 10
        first = len(server.requests)
        summary = run(store, server, n_cells=3)
    words = all_stored_words(store)
    assert len(words) == 30 == len(set(words))
    assert summary["requests"] == len(server.requests) - first == 2  # the finished cell was not asked again
    assert summary["words"] == 30


def test_server_dying_midway_stops_cleanly_and_a_new_server_resumes(store):
    with FakeOpenAI() as server:

        def kill_after_first_commit(stage, done, total):
            if done:
                server.stop()

        with pytest.raises(WotdError, match="cannot reach .* run the same command again"):
            run(store, server, n_cells=3, progress=kill_after_first_commit)
    assert len(all_stored_words(store)) == 10
    with FakeOpenAI() as server2:
        run(store, server2, n_cells=3)
    words = all_stored_words(store)
    assert len(words) == 30 == len(set(words))


def test_repeated_garbage_skips_cells_then_stops_with_progress_kept(store):
    with (
        FakeOpenAI(["good"], default="garbage") as server,
        pytest.raises(WotdError, match="stopped: 2 cells in a row"),
    ):
        run(store, server, n_cells=4, per_cell=20, batch=10, max_fruitless=2, max_skipped=2)
    assert len(all_stored_words(store)) == 10  # the one good answer is kept
    assert sum(c["failed"] for c in db.progress(store)) == 2 * 2  # two cells, two garbage answers each


def test_server_without_structured_output_gets_the_prompt_only(store, caplog):
    with FakeOpenAI(default="no_schema") as server:
        summary = run(store, server, n_cells=1)
    assert summary["structured_output"] is False and len(all_stored_words(store)) == 10
    assert [("response_format" in body) for _, body in server.requests] == [True, False]
    assert "refused the JSON schema" in caplog.text


def test_key_never_reaches_the_database_or_logs(store, tmp_path, caplog, capsys):
    caplog.set_level(logging.DEBUG)  # the openai and http client loggers too
    with FakeOpenAI(["500", "garbage", "good", "stall"], stall_s=1.0) as server:
        run(store, server, timeout=0.4)
    with FakeOpenAI(["401"]) as server, pytest.raises(WotdError, match="rejected the API key") as err:
        run(store, server, n_cells=4)
    assert KEY not in str(err.value)
    files = [p for p in tmp_path.iterdir() if p.name.startswith("wotd.db")]
    assert {p.name for p in files} >= {"wotd.db", "wotd.db-wal"}
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path
    dump = "\n".join(sqlite3.connect(tmp_path / "wotd.db").iterdump())
    assert KEY not in dump and "SECRET" not in dump
    out, err_text = capsys.readouterr()
    assert KEY not in caplog.text + out + err_text and "SECRET" not in caplog.text
    assert "Retrying request" in caplog.text  # the debug logs were really captured


def test_redaction_and_endpoint_rules(monkeypatch):
    assert redact(f"Incorrect API key provided: {KEY}.", KEY) == "Incorrect API key provided: ***."
    assert "SECRET" not in redact("key sk-proj-abcSECRET123 leaked")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(WotdError, match="OPENAI_API_KEY.*--base-url"):
        resolve_endpoint()
    local = resolve_endpoint("http://localhost:1234/v1")
    assert local.api_key == "not-needed" and "not-needed" not in repr(local)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    assert KEY not in repr(resolve_endpoint()) and resolve_endpoint().url == "https://api.openai.com/v1"
    with pytest.raises(WotdError, match="http"):
        resolve_endpoint("localhost:1234")
    assert KEY not in describe_error(RuntimeError(f"bad key {KEY}"), KEY)


def test_levels_must_match_and_reset_discards(store):
    with pytest.raises(WotdError, match="no synthetic corpus yet"):
        load_synthetic_corpora(store)
    with FakeOpenAI() as server:
        run(store, server, n_cells=1, per_cell=5)
        with pytest.raises(WotdError, match="levels 8,8,8"):
            run(store, server, n_cells=1, per_cell=5, levels=(8, 4, 8, 5))
        with pytest.raises(WotdError, match="train with those levels"):
            load_synthetic_corpora(store, (8, 4, 8, 5))
        assert len(load_synthetic_corpora(store, (8, 8, 8, 3))[0]["words"]) == 5  # variation is free
        db.reset(store)
        run(store, server, n_cells=1, per_cell=5, levels=(8, 4, 8, 5))
    assert [len(w) for w in stored_for(store, (8, 4, 8, 5))] == [5]


def stored_for(store, levels):
    return [c["words"] for c in load_synthetic_corpora(store, levels)]


def test_rewriting_the_corpora_keeps_progress_consistent(store):
    """If the pipeline re-stores the synthetic corpora (same cells), a later generate still resumes."""
    with FakeOpenAI() as server:
        run(store, server, n_cells=2, per_cell=5)
        store.replace_corpora(db.SOURCE, load_synthetic_corpora(store))
        summary = run(store, server, n_cells=2, per_cell=8)
    words = all_stored_words(store)
    assert len(words) == 16 == len(set(words)) and summary["requests"] == 2


# ---- the CLI -------------------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("WOTD_HOME", str(tmp_path))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    return tmp_path


def test_cli_without_key_or_url_says_how_in_one_line(home, capsys):
    assert main(["corpus", "generate"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "OPENAI_API_KEY" in err and "--base-url" in err and "localhost:1234" in err


def test_cli_generates_resumes_and_reports_status(home, capsys, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    args = ["corpus", "generate", "--cells", "2", "--per-cell", "5", "--timeout", "5"]
    with FakeOpenAI() as server:
        assert main([*args, "--base-url", server.url, "--json"]) == 0
        out, err = capsys.readouterr()
        result = json.loads(out)
        assert result["words"] == 10 and result["complete_cells"] == 2 and result["tokens"]["prompt"] == 200
        assert main([*args, "--base-url", server.url]) == 0  # already complete: no request
        text, err2 = capsys.readouterr()
        assert "10/10 words, 2/2 cells complete" in text and len(server.requests) == 2
    assert main(["corpus", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr()[0])
    assert status["words"] == 10 and status["levels"] == [8, 8, 8] and len(status["cells"]) == 2
    assert main(["corpus", "status"]) == 0
    assert "total: 10 words, 200 prompt + 80 completion tokens" in capsys.readouterr()[0]
    assert KEY not in out + err + text + err2
    for path in Path(home).glob("wotd.db*"):
        assert KEY.encode() not in path.read_bytes()


def test_parse_answer_is_all_or_nothing_and_words_need_a_dictionary():
    def response(content, finish_reason="stop", refusal=None):
        message = SimpleNamespace(content=content, refusal=refusal)
        return SimpleNamespace(choices=[SimpleNamespace(message=message, finish_reason=finish_reason)])

    answer = '{"words": [{"word": "fern", "definition": "a plant"}]}'
    assert parse_answer(response(f"<think>hmm {{</think>```json\n{answer}\n```"))[0]["word"] == "fern"
    for bad in (
        response(answer, finish_reason="length"),
        response(answer[:-3]),
        response('["fern"]'),
        response(None),
        response(answer, refusal="I can't help with that"),
        SimpleNamespace(choices=[]),
    ):
        with pytest.raises(MalformedAnswer):
            parse_answer(bad)
    assert is_english_word("zythepsary")  # GCIDE only (wordfreq has never seen it)
    assert is_english_word("selfie")  # wordfreq only (coined after 1913)
    assert not is_english_word("zzxqvbn")
