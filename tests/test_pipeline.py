"""Interrupting `wotd train` leaves the database consistent; a restart finishes (using the cache) and
`--resume` goes on from the LM's last checkpoint."""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from backends import TEST_BACKEND

from wotd_mlx.config import DEFAULT_EMBEDDER, CorpusConfig, EmbedConfig, EncoderConfig, LMConfig, TrainConfig
from wotd_mlx.embed import word_text
from wotd_mlx.errors import WotdError
from wotd_mlx.pipeline import train
from wotd_mlx.session import Wotd
from wotd_mlx.store import Store


def tiny(lm_dir=None, iters=12, finetune_pairs=0) -> TrainConfig:
    lm = LMConfig(enabled=False)
    if lm_dir is not None:
        lm = LMConfig(
            model=str(lm_dir), enabled=True, iters=iters, examples=40, steps_per_report=2, steps_per_save=4
        )
    return TrainConfig(
        corpus=CorpusConfig(max_words=300),
        embed=EmbedConfig(finetune_pairs=finetune_pairs),
        encoder=EncoderConfig(epochs=3),
        lm=lm,
        backend=TEST_BACKEND,
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
        cached = store.embedding_count()  # but the finished embeddings are kept: words and other senses

        run = train(tiny(), store, runs)  # a new run, not a resumed one: discards the abandoned partial
        assert not list(runs.glob("*.partial"))
        assert run.status == "done"
        assert run.metrics["embeddings_cached_before"] == cached == 300 + run.metrics["search_senses"]
        assert run.metrics["search_senses"] > 100
        assert store.lexicon_size() == 300
        assert (runs / str(run.id) / "index.faiss").is_file()
        # a lexicon word's ID carries its labels (issue 11); only the variation comes from the encoder
        import numpy as np

        codes = np.load(runs / str(run.id) / "codes.npy")
        labels = [[e.style, e.complexity, e.era] for e in sorted(store.lexicon(), key=lambda e: e.word)]
        assert codes[:, :3].tolist() == labels
        assert "holdout_accuracy" in run.metrics["style_model"] or "skipped" in run.metrics["style_model"]
        # the default run has no LM (it is optional): asking for it says how to get one
        with pytest.raises(WotdError, match="--with-lm"):
            Wotd.open(store, TEST_BACKEND).generate((0, 0, 0, 0), 3, method="lm")


def test_the_embedder_is_fine_tuned_once_for_a_lexicon_and_only_search_uses_it(tmp_path):
    import numpy as np

    runs = tmp_path / "runs"
    with Store(tmp_path / "wotd.db") as store:
        plain = train(tiny(), store, runs)
        plain_codes = np.load(runs / str(plain.id) / "codes.npy")
        plain_index = Wotd.open(store).index.matrix()
        assert plain.metrics["search_embedder"] is None

        run = train(tiny(finetune_pairs=64), store, runs)
        ft = run.metrics["embedder_finetune"]
        assert ft["steps"] == 2 and not ft.get("reused")  # 64 pairs, batches of 32
        assert run.metrics["search_embedder"] == ft["path"] != DEFAULT_EMBEDDER
        assert ft["path"].startswith(str(runs.parent / "models" / "embedders"))
        # the index, the IDs (and so the word of the day) stay in the base model's space
        assert run.embedder == run.config["embed"]["model"] == DEFAULT_EMBEDDER
        w = Wotd.open(store, TEST_BACKEND)
        assert np.array_equal(np.load(runs / str(run.id) / "codes.npy"), plain_codes)
        assert np.array_equal(w.index.matrix(), plain_index)
        assert w.embedder.model_id == DEFAULT_EMBEDDER
        # search reads the fine-tuned model's vectors, for queries, words and senses alike
        assert w.search_embedder.model_id == ft["cache_key"]
        first = sorted(store.lexicon(), key=lambda e: e.word)[:5]
        texts = [word_text(e.word, e.definition, "word_definition") for e in first]
        assert np.allclose(w.space.words[:5], w.search_embedder.embed(texts), atol=2e-3)  # float16 on disk
        assert np.abs(w.space.words[:5] - plain_index[:5]).max() > 4e-3  # two steps at the default lr
        assert len(w.space.senses.texts) == run.metrics["search_senses"] == plain.metrics["search_senses"]
        hits = w.search("a small domestic animal", 3)
        assert len(hits) == 3 and all(h["word"] in w.index.position for h in hits)

        again = train(tiny(finetune_pairs=64), store, runs)  # same lexicon and settings: nothing retrained
        assert again.metrics["embedder_finetune"]["reused"] and again.metrics["search_embedder"] == ft["path"]
        assert again.metrics["embeddings_cached_before"] == 300 + 300 + again.metrics["search_senses"]


def test_interrupted_lm_training_resumes_from_its_checkpoint(tmp_path, tiny_lm_dir):
    runs = tmp_path / "runs"
    with Store(tmp_path / "wotd.db") as store:
        first = train(tiny(), store, runs)
        before = list(store.db.conn.iterdump())

        def stop_at_step_10(rep):
            if rep.step == 10:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            train(tiny(tiny_lm_dir), store, runs, on_lm_report=stop_at_step_10)
        run = store.last_run(None)
        assert run.status == "interrupted" and store.last_run("done").id == first.id
        assert [p["step"] for p in store.curve(run.id)] == [2, 4, 6, 8, 10]
        after = [x for x in store.db.conn.iterdump() if "lm_curve" not in x and "runs" not in x]
        assert after == [x for x in before if "runs" not in x]  # lexicon, corpora, cache as they were

        reports = []
        resumed = train(TrainConfig(), store, runs, on_lm_report=reports.append, resume=True)
        assert resumed.id == run.id and resumed.status == "done"
        assert resumed.metrics["lm"]["resumed_from_step"] == 8  # the last checkpoint before step 10
        assert [r.step for r in reports] == [10, 12]
        assert [p["step"] for p in store.curve(run.id)] == [2, 4, 6, 8, 10, 12]
        assert (runs / str(run.id) / "lm" / "adapter" / "adapter_model.safetensors").is_file()
        assert not (runs / str(run.id) / "lm" / "checkpoints").exists()


def test_killed_process_leaves_previous_run_usable(tmp_path):
    env = os.environ | {"WOTD_HOME": str(tmp_path), "WOTD_BACKEND": TEST_BACKEND}
    args = [
        sys.executable,
        "-m",
        "wotd_mlx.cli",
        "train",
        "--max-words",
        "300",
        "--epochs",
        "2",
        "--finetune-pairs",  # the embedder's fine-tuning is tested above; here it would only add minutes
        "0",
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


def test_killed_during_lm_training_then_resume(tmp_path, tiny_lm_dir):
    env = os.environ | {"WOTD_HOME": str(tmp_path), "WOTD_BACKEND": TEST_BACKEND}
    cli = [sys.executable, "-m", "wotd_mlx.cli", "train"]
    small = ["--max-words", "300", "--epochs", "2"]
    small += ["--finetune-pairs", "0"]
    proc = subprocess.Popen(
        [*cli, *small, "--lm", str(tiny_lm_dir), "--lm-iters", "120"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = ""
    while not re.search(r"lm:\s+\d+%\|[^|]*\| (2[5-9]|[3-9]\d|1[01]\d)/120", seen[-300:]):
        char = proc.stderr.read(1)
        assert char, f"train ended before 25 LM steps: {seen[-500:]}"
        seen += char
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store(tmp_path / "wotd.db") as store:
        assert store.last_run("done") is None and store.lexicon_size() == 0
        killed = store.last_run(None)
        assert killed.status == "running"  # killed: nothing could record it
    done = subprocess.run([*cli, "--resume", "--json"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["run_id"] == killed.id and summary["status"] == "done"
    assert summary["metrics"]["lm"]["resumed_from_step"] >= 20
    with Store(tmp_path / "wotd.db") as store:
        steps = [p["step"] for p in store.curve(killed.id)]
    assert steps == list(range(5, 121, 5))  # every report once, none lost or doubled
