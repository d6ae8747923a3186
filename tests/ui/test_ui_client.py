"""The launched app through gradio_client: train (one at a time, asking before replacing, cancel), generate,
today's word with like / dislike, search, the lab, and readable errors that change nothing stored. Tests
taking `each_app` run on the torch app and again on the MLX app (tests/ui/conftest.py)."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from app_harness import TINY, WAIT_S, db_dump
from gradio_client.exceptions import AppError

from wotd_mlx.session import Wotd
from wotd_mlx.store import Store

# Tables whose rows a training request adds by design (its run record and loss curve).
RUN_TABLES = ("runs", "lm_curve")


def rows(table: dict) -> list[dict]:
    return [dict(zip(table["headers"], r, strict=True)) for r in table["data"]]


def library(app) -> Wotd:
    """The library's own view of the app's home (a separate connection), to check what the app shows."""
    return Wotd.open(Store(app.home / "wotd.db"), app.backend)


def test_training_runs_one_at_a_time(app):
    runs = app.runs()
    assert [r["status"] for r in runs] == ["done", "done"]
    first, second = runs
    assert first["finished"] <= second["created"], "the second training started before the first ended"
    assert "IN_QUEUE" in app.statuses[1], app.statuses  # the second request waited in the queue


def test_training_shows_stage_bars_loss_and_summary(each_app):
    app = each_app
    runs = app.runs()
    assert [r["status"] for r in runs] == ["done"] * len(app.outputs)
    for run, out in zip(runs, app.outputs, strict=True):
        status, stages, loss, summary = out
        assert f"Run {run['id']} finished" in status
        for stage in ("corpus", "embed", "encoder", "index", "lm"):
            assert f'data-stage="{stage}"' in stages
        assert stages.count('value="100.0"') == 5  # every stage's bar ran to the end
        assert loss["data"] and loss["data"][-1][0] == 4  # the LM's loss at its last step
        assert f"Run {run['id']}: done" in summary
        for part in ("Encoder held-out accuracy", "LM (LoRA): 4 steps", "Time:", "Peak memory"):
            assert part in summary


def test_training_again_asks_first_and_changes_nothing(each_app):
    app = each_app
    before = db_dump(app.home)
    status, *_ = app.client().predict(*app.settings(), api_name="/train")
    assert "A trained run exists" in status and "Train a new run?" in status
    assert db_dump(app.home) == before


def _wait_for_stage(job) -> None:
    """Until the training shows a stage past "starting" (so a cancel hits a running stage)."""
    end = time.monotonic() + WAIT_S
    while time.monotonic() < end:
        outs = job.outputs()
        if outs and "now: **" in outs[-1][0] and "starting" not in outs[-1][0]:
            return
        time.sleep(0.1)  # the sampling interval of the job's outputs
    raise AssertionError(f"training showed no stage in {WAIT_S} s: {job.outputs()[-1:]}")


def test_cancel_keeps_the_previous_run_and_resume_goes_on(each_app):
    app = each_app
    client = app.client()
    done_before = app.runs()[-1]["id"]
    before = db_dump(app.home, skip=RUN_TABLES)
    # Enough LM steps that the run cannot finish before the cancel arrives, however busy the machine (a 4-step
    # run once did, in CI); the cancel stops it at its next progress report.
    job = client.submit(*app.settings(lm_steps=100_000), api_name="/train_replace")
    _wait_for_stage(job)
    assert "Cancelling" in client.predict(api_name="/cancel")
    status, *_ = job.result(timeout=WAIT_S)
    assert "Cancelled" in status and "previous run is still in use" in status
    runs = app.runs()
    assert runs[-1]["status"] == "interrupted" and runs[-2]["id"] == done_before
    assert db_dump(app.home, skip=RUN_TABLES) == before  # lexicon, corpora, feedback untouched
    assert app.state.session().run.id == done_before

    # Resume picks the interrupted run up again (same id); cancelling it again still keeps the old run.
    job = client.submit(api_name="/resume")
    _wait_for_stage(job)
    client.predict(api_name="/cancel")
    status, *_ = job.result(timeout=WAIT_S)
    assert "Cancelled" in status
    assert [r["id"] for r in app.runs()] == [r["id"] for r in runs]
    assert app.state.session().run.id == done_before
    assert "No training run is in progress" in client.predict(api_name="/cancel")


def test_generate_by_retrieval_and_lm_returns_each_words_own_id(each_app):
    app = each_app
    client, w = app.client(), library(app)
    word = w.index.words[0]
    (enc,) = w.encode([word])
    sid = ",".join(map(str, enc["semantic_id"]))
    summary, table = client.predict(sid, 5, "retrieval", 0.0, api_name="/generate")
    got = rows(table)
    assert len(got) == 5 and f"`{sid}`" in summary
    assert got[0]["semantic ID"] == sid and got[0]["fits the ID?"] == "exact"
    assert [r["word"] for r in got] == [r["word"] for r in w.generate(enc["semantic_id"], 5, "retrieval")]

    summary, table = client.predict("2,1,3,0", 8, "lm", 0.0, api_name="/generate")
    got = rows(table)
    assert "fine-tuned LM" in summary and len({r["word"] for r in got}) == 8
    assert all(r["word"] in w.index.position and r["dictionary definition"] for r in got)
    assert all(r["semantic ID"] == ",".join(map(str, w.encode([r["word"]])[0]["semantic_id"])) for r in got)


def test_today_like_dislike_and_history(each_app):
    app = each_app
    client, w = app.client(), library(app)
    card, word, history, _ = client.predict("2026-01-05", api_name="/today")
    again = client.predict("2026-01-05", api_name="/today")
    assert again[1] == word and card.startswith(f"## {word} ") and "**Etymology.**" in card
    assert {"date": "2026-01-05", "word": word, "your rating": ""} in rows(history)

    moved, history, ratings = client.predict(word, api_name="/like")
    pref = w.store.preference()
    assert f"You liked **{word}**" in moved and ",".join(map(str, pref["semantic_id"])) in moved
    assert {"date": "2026-01-05", "word": word, "your rating": "like"} in rows(history)
    other = w.index.words[1]
    moved, _, ratings = client.predict(other, api_name="/dislike")
    assert f"You disliked **{other}**" in moved and "| axis | before | now |" in moved
    assert [(r["word"], r["rating"]) for r in rows(ratings)][:2] == [(other, "dislike"), (word, "like")]
    assert [(f["word"], f["value"]) for f in w.store.feedback()][-2:] == [(word, 1), (other, -1)]
    card, *_ = client.predict("2026-01-06", api_name="/today")
    assert "nearest your likes" in card


def test_search_by_meaning(each_app):
    app = each_app
    client, w = app.client(), library(app)
    got = rows(client.predict("a small domestic animal that purrs", 5, api_name="/search"))
    assert len(got) == 5 and got[0]["score"] >= got[-1]["score"]
    want = w.search("a small domestic animal that purrs", 5)
    assert [r["word"] for r in got] == [r["word"] for r in want]


def test_explore_encodes_free_text(each_app):
    """Explore's "describe anything": the pickers and the ID box take the text's ID, the library's own."""
    app = each_app
    *levels, sid = app.client().predict("a stormy sea", api_name="/encode_text")
    w = library(app)
    want = w.encode_text("a stormy sea")["semantic_id"]
    assert sid == ",".join(map(str, want))
    names = [w.axes[a][v] for a, v in zip(("style", "complexity", "era", "variation"), want, strict=True)]
    assert [u["value"] for u in levels] == names  # each picker's update


def test_lab_shows_encoder_metrics_and_the_embedding_map(each_app):
    app = each_app
    metrics, plot = app.client().predict("era", api_name="/lab")
    names = {r["metric"] for r in rows(metrics)}
    assert {"holdout.accuracy.style", "holdout.accuracy.era", "utilisation.codebook_used"} <= names
    assert len(plot["value"]["data"]) == app.words  # every word of the tiny lexicon (fewer than the cap)


BAD_INPUT = [
    ("/generate", ("9,9,9,9", 5, "retrieval", 0.0), "allowed range is 0..7"),
    ("/generate", ("a,b,c,d", 5, "retrieval", 0.0), "comma-separated integers"),
    ("/generate", ("", 5, "retrieval", 0.0), "comma-separated integers"),
    ("/generate", ("1,1,1,1", 500, "retrieval", 0.0), "greater than maximum value 50"),
    ("/generate", ("1,1,1,1", 5, "lm", 7.0), "greater than maximum value 2"),
    ("/today", ("2026-13-01",), "invalid date"),
    ("/like", ("notawordzz",), "unknown word"),
    ("/dislike", ("   ",), "non-empty word"),
    ("/search", ("   ", 5), "empty search text"),
    ("/search", ("x" * 2000, 5), "at most 1000"),
    ("/lookup", ("notawordzz",), "is not in the lexicon"),
    ("/lookup", ("  ",), "give a word"),
    ("/encode_text", ("  ",), "empty text"),
    ("/train", ("full", -5, *TINY[2:], "", 4), "Max words must be a whole number"),
    ("/train_replace", ("full", 600, 0, *TINY[3:], "", 4), "Encoder epochs must be a whole number"),
    ("/train_replace", ("huge", *TINY[1:], "", 4), "not in the list of choices"),
    ("/train_replace", (*TINY, "/no/such/lm", 4), "/no/such/lm"),
]


@pytest.mark.parametrize("api, args, message", BAD_INPUT, ids=[f"{a}-{m}" for a, _, m in BAD_INPUT])
def test_bad_input_gives_a_readable_message_and_changes_nothing(app, api, args, message):
    before = db_dump(app.home)
    with pytest.raises(AppError) as info:
        app.client().predict(*args, api_name=api)
    text = str(info.value)
    assert message in text, text
    assert "Traceback" not in text and 'File "' not in text and len(text) < 500
    assert db_dump(app.home) == before


def test_a_bug_shows_one_line_not_a_traceback(app, monkeypatch):
    def broken():
        raise RuntimeError("internal detail that the page must not show")

    monkeypatch.setattr(app.state, "session", broken)
    with pytest.raises(AppError) as info:
        app.client().predict("a cat", 5, api_name="/search")
    assert "Something went wrong (RuntimeError)" in str(info.value)
    assert "internal detail" not in str(info.value)


def test_lab_shows_the_compression_labs_last_results(app):
    from PIL import Image

    from wotd_mlx.quant.plot import results_dir

    client = app.client()
    text, image = client.predict(api_name="/compression")
    assert "No compression-lab results yet" in text and image is None
    out = results_dir(app.home)
    out.mkdir(parents=True)
    row = {"method": "sign", "scoring": "hamming", "bits": 384, "bytes_per_vector": 48, "compression": 32.0}
    meta = {"title": "600 words, 120 held-out definition queries", "embedder": "all-minilm-l6-v2"}
    (out / "quantizers.json").write_text(json.dumps({"meta": meta, "rows": [row]}))
    Image.new("RGB", (64, 32), "white").save(out / "quantizers.png")
    try:
        text, image = client.predict(api_name="/compression")
        assert "600 words, 120 held-out" in text and "| sign | hamming | 384 | 48 | 32x |" in text
        assert image is not None
    finally:
        shutil.rmtree(out)


def test_local_by_default_and_no_share_link(app):
    from ui.app import build_parser

    args = build_parser().parse_args([])
    assert args.host == "127.0.0.1" and not args.share
    assert app.url.startswith("http://127.0.0.1:") and app.demo.share_url is None
