"""Interrupting `wotd train` leaves the database consistent and a restart finishes (using the cache)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from wotd_mlx.config import CorpusConfig, EncoderConfig, TrainConfig
from wotd_mlx.pipeline import train
from wotd_mlx.store import Store


def tiny() -> TrainConfig:
    return TrainConfig(
        corpus=CorpusConfig(max_words=300, n_corpora=4, words_per_corpus=5),
        encoder=EncoderConfig(epochs=3),
        backend="torch",
    )


def test_interrupt_rolls_back_and_restart_uses_cache(tmp_path):
    runs = tmp_path / "runs"
    with Store(tmp_path / "wotd.db") as store:

        def stop_at_encoder(stage, done, total):
            if stage == "encoder":
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            train(tiny(), store, runs, progress=stop_at_encoder)
        assert store.last_run(None).status == "interrupted"
        assert store.last_run("done") is None
        assert store.lexicon_size() == 0  # nothing half-written
        assert store.embedding_count() == 300  # but the finished embeddings are kept
        assert not list(runs.glob("*.partial"))

        run = train(tiny(), store, runs)
        assert run.status == "done"
        assert run.metrics["embeddings_cached_before"] == 300
        assert store.lexicon_size() == 300
        assert (runs / str(run.id) / "index.faiss").is_file()


def test_killed_process_leaves_previous_run_usable(tmp_path):
    env = os.environ | {"WOTD_HOME": str(tmp_path), "WOTD_BACKEND": "torch"}
    args = [
        sys.executable,
        "-m",
        "wotd_mlx.cli",
        "train",
        "--max-words",
        "300",
        "--epochs",
        "2",
        "--corpora",
        "4",
        "--per-corpus",
        "5",
    ]
    subprocess.run(args, env=env, check=True, capture_output=True)
    proc = subprocess.Popen([*args, "--max-words", "2000"], env=env, stderr=subprocess.PIPE, text=True)
    seen = ""
    while "embed" not in seen:  # progress bars redraw with \r, so read characters, not lines
        char = proc.stderr.read(1)
        assert char, f"train ended before embedding: {seen}"
        seen += char
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(tmp_path / "wotd.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM lexicon").fetchone()[0] == 300
    conn.close()
    out = subprocess.run(
        [sys.executable, "-m", "wotd_mlx.cli", "today", "--json"], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    again = subprocess.run([*args, "--json"], env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    with Store(tmp_path / "wotd.db") as store:
        statuses = [r["status"] for r in store.db.query("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["done", "interrupted", "done"]
