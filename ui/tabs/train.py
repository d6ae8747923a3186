"""The Train tab: run the whole pipeline with a bar per stage, a live loss plot, cancel and a summary."""

from __future__ import annotations

import datetime as dt
import html
import time
from collections.abc import Iterator
from dataclasses import replace

import gradio as gr
import pandas as pd

from wotd_mlx.config import TrainConfig
from wotd_mlx.errors import WotdError

from ..state import AppState, TrainingJob
from ..views import friendly, run_summary

POLL_S = 0.4
STAGE_NAMES = {
    "corpus": "Lexicon and labels",
    "negatives": "Embedder fine-tuning: mining hard negatives",
    "finetune": "Embedder fine-tuning for search",
    "embed": "Embeddings",
    "encoder": "Semantic encoder",
    "index": "Search index",
    "lm-prep": "Preparing Gemma-3-270M (first time only)",
    "lm": "LM fine-tuning (LoRA)",
}
SIZES = [("Full: the offline defaults", "full"), ("Quick: a smaller lexicon, fewer steps", "quick")]
# Typed, so the empty plot already has numeric axes (an untyped empty frame makes them categorical).
EMPTY_LOSS = pd.DataFrame({"step": pd.Series(dtype="int64"), "loss": pd.Series(dtype="float64")})


def _count(value, what: str) -> int | None:
    """A blank field keeps the preset; anything else must be a whole number of at least 1."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise WotdError(f"{what} must be a whole number of at least 1, got {value!r}") from None
    if number != int(number) or number < 1:
        raise WotdError(f"{what} must be a whole number of at least 1, got {value:g}")
    return int(number)


def make_config(
    state: AppState,
    size,
    max_words,
    epochs,
    source,
    finetune,
    lm_enabled,
    lm_model,
    lm_iters,
) -> TrainConfig:
    """The TrainConfig for the settings in the tab (blank fields keep the preset's values)."""
    if size not in dict((v, k) for k, v in SIZES):
        raise WotdError(f"unknown size {size!r}; allowed: full, quick")
    cfg = TrainConfig.quick() if size == "quick" else TrainConfig()
    cfg.backend = state.backend
    if source not in ("lexicon", "synthetic"):
        raise WotdError(f"unknown corpus source {source!r}; allowed: lexicon, synthetic")
    corpus = {"source": source}
    if (n := _count(max_words, "Max words")) is not None:
        corpus["max_words"] = n
    cfg.corpus = replace(cfg.corpus, **corpus)
    if (n := _count(epochs, "Encoder epochs")) is not None:
        cfg.encoder = replace(cfg.encoder, epochs=n)
    if not finetune:  # ticked: the size's own setting (the quick size does not fine-tune)
        cfg.embed = replace(cfg.embed, finetune_pairs=0)
    lm = {"enabled": bool(lm_enabled)}
    if lm_model and str(lm_model).strip():
        lm["model"] = str(lm_model).strip()
    if (n := _count(lm_iters, "LM steps")) is not None:
        lm["iters"] = n
    cfg.lm = replace(cfg.lm, **lm)
    return cfg


def stage_bars(job: TrainingJob | None) -> str:
    """One HTML progress bar per pipeline stage."""
    if job is None:
        return ""
    finetune = [s for s in ("negatives", "finetune") if s in job.stages]  # a run that fine-tunes the embedder
    order = ["corpus", *finetune, "embed", "encoder", "index"]
    if "lm-prep" in job.stages:
        order.append("lm-prep")
    if job.cfg.lm.enabled:
        order.append("lm")
    rows = []
    for i, stage in enumerate(order):
        done, total = job.stages.get(stage, (0, 0))
        pct = 100.0 * done / total if total else 0.0
        # A stage with nothing to do reports nothing (e.g. every embedding cached): it is complete once a
        # later stage has started or the run has finished.
        if not total and (job.run is not None or any(s in job.stages for s in order[i + 1 :])):
            done, total, pct = 1, 1, 100.0
        rows.append(
            f'<div class="wotd-stage" data-stage="{stage}"><span>{html.escape(STAGE_NAMES[stage])}</span>'
            f'<progress max="100" value="{pct:.1f}"></progress><span>{done}/{total or "?"}</span></div>'
        )
    return '<div class="wotd-stages">' + "".join(rows) + "</div>"


def loss_frame(job: TrainingJob | None) -> pd.DataFrame:
    if job is None or not job.curve:
        return EMPTY_LOSS
    return pd.DataFrame([{"step": r["step"], "loss": round(r["loss"], 4)} for r in job.curve])


def job_status(job: TrainingJob) -> str:
    started = dt.datetime.fromtimestamp(job.started).strftime("%H:%M:%S")
    if job.alive:
        stage = next(reversed(job.stages), None)
        text = f"Training (started {started}); now: **{STAGE_NAMES.get(stage, 'starting')}**."
        if job.curve:
            r = job.curve[-1]
            text += (
                f" LM step {r['step']}/{r['total']}, loss {r['loss']:.3f}, "
                f"{r['tokens_per_s']:.0f} tokens/s, peak {r['peak_memory_mb']:.0f} MB."
            )
        if job.cancel_requested:
            text += " Cancelling: it stops at the next progress report."
        return text
    took = f"{(job.finished or time.time()) - job.started:.0f} s"
    if job.run is not None:
        return f"Run {job.run.id} finished in {took}; the app now uses it."
    if job.cancelled:
        return (
            f"Cancelled after {took}. Nothing was replaced: the previous run is still in use. "
            "**Resume** goes on with the cancelled run later."
        )
    return f"Training stopped: {job.error}"


def _frame(job: TrainingJob, note: str) -> tuple:
    """The tab's outputs for a job: status, stage bars, loss plot, summary, (hidden) confirmation."""
    summary = run_summary(job.run) if job.run is not None else ""
    return note + job_status(job), stage_bars(job), loss_frame(job), summary, gr.update(visible=False)


def watch(job: TrainingJob, note: str = "") -> Iterator[tuple]:
    """Stream a job's progress until it ends; a WotdError in the end if the pipeline refused the settings."""
    seen = None
    while job.alive:
        key = (tuple(job.stages.items()), len(job.curve), job.cancel_requested)
        if key != seen:  # only what changed goes to the page
            seen = key
            yield _frame(job, note)
        time.sleep(POLL_S)
    yield _frame(job, note)
    if job.error:
        raise WotdError(job.error)


def build(demo: gr.Blocks, state: AppState) -> None:
    """The tab's components and events (call inside a gr.Blocks)."""
    gr.Markdown(
        "Runs the whole pipeline: lexicon, the embedder's fine-tuning for search, embeddings, semantic "
        "encoder and search index, and the LoRA LM if ticked. The full run takes about 11 minutes on a "
        "2-core laptop."
    )
    with gr.Row():
        size = gr.Radio(SIZES, value="full", label="Size", scale=3)
        train_btn = gr.Button("Train", variant="primary", elem_id="train-button", scale=1)
        resume_btn = gr.Button("Resume interrupted run", scale=1)
        cancel_btn = gr.Button("Cancel", variant="stop", elem_id="cancel-button", scale=1)
    with gr.Accordion("Settings (blank fields keep the size's values)", open=False):
        with gr.Row():
            max_words = gr.Number(label="Max words (lexicon cap)", precision=0)
            epochs = gr.Number(label="Encoder epochs", precision=0)
        with gr.Row():
            source = gr.Radio(
                [("Lexicon (offline)", "lexicon"), ("Synthetic (from `wotd corpus generate`)", "synthetic")],
                value="lexicon",
                label="What the LM learns",
            )
            finetune = gr.Checkbox(
                value=True, label="Fine-tune the embedder for search (about 4 min; the quick size skips it)"
            )
            lm_enabled = gr.Checkbox(
                value=False, label="Also fine-tune the LM (LoRA, 15-20 min; retrieval does not need it)"
            )
            lm_model = gr.Textbox(
                label="LM", placeholder="gemma-3-270m (default), or a local model directory"
            )
            lm_iters = gr.Number(label="LM steps", precision=0)
    status = gr.Markdown(elem_id="train-status")
    with gr.Group(visible=False) as confirm, gr.Row():
        yes_btn = gr.Button("Yes, train a new run", variant="primary", elem_id="confirm-train")
        no_btn = gr.Button("No, keep the current run")
    stages = gr.HTML()
    loss = gr.LinePlot(EMPTY_LOSS, x="step", y="loss", title="LM training loss", height=260)
    summary = gr.Markdown(elem_id="train-summary")
    settings = [
        size, max_words, epochs, source, finetune, lm_enabled, lm_model, lm_iters,
    ]  # fmt: skip
    outputs = [status, stages, loss, summary, confirm]

    def run_training(values: tuple, ask_first: bool):
        """Start a run on the settings (or show the one already training); with `ask_first`, ask before
        replacing a trained run."""
        cfg = make_config(state, *values)
        if (job := state.running_job()) is not None:
            yield from watch(job, "A run started earlier is still training; showing it. ")
            return
        done = state.store.last_run("done") if ask_first else None
        if done is not None:
            yield (
                f"A trained run exists (run {done.id}, "
                f"{dt.datetime.fromtimestamp(done.finished or done.created):%Y-%m-%d %H:%M}). "
                "Training again makes a new run that replaces it for Explore, Word of the day and Search "
                "once it finishes; your likes and history are kept. Train a new run?",
                gr.update(),
                gr.update(),
                gr.update(),
                gr.update(visible=True),
            )
            return
        yield from watch(state.start_training(cfg))

    @friendly(state.home)
    def train(*values):
        """Train on the settings; asks first when a trained run exists (answer with /train_replace)."""
        yield from run_training(values, ask_first=True)

    @friendly(state.home)
    def train_replace(*values):
        """Train on the settings even if a trained run exists (the confirmed form of /train)."""
        yield from run_training(values, ask_first=False)

    @friendly(state.home)
    def resume():
        """Go on with the newest interrupted run, with its own settings."""
        job = state.running_job() or state.start_training(TrainConfig(backend=state.backend), resume=True)
        yield from watch(job)

    @friendly(state.home)
    def cancel() -> str:
        """Stop the training run at its next progress report; the previous run stays in use."""
        job = state.running_job()
        if job is None:
            return "No training run is in progress."
        job.cancel()
        return "Cancelling: the run stops at its next progress report."

    def keep() -> tuple:
        return "Nothing changed: the current run stays.", gr.update(visible=False)

    @friendly(state.home)
    def on_load():
        """Show the running job if there is one (e.g. after a page reload), else the last run's summary."""
        if (job := state.running_job()) is not None:
            yield from watch(job)
            return
        done = state.store.last_run("done")
        yield (
            "" if done else "No trained run yet: press **Train**.",
            "",
            EMPTY_LOSS,
            run_summary(done, "Current run") if done else "",
            gr.update(visible=False),
        )

    # One training at a time: every training event shares one queue slot, so a second request waits.
    train_btn.click(train, settings, outputs, api_name="train", concurrency_limit=1, concurrency_id="train")
    yes_btn.click(
        train_replace,
        settings,
        outputs,
        api_name="train_replace",
        concurrency_limit=1,
        concurrency_id="train",
    )
    resume_btn.click(resume, None, outputs, api_name="resume", concurrency_limit=1, concurrency_id="train")
    cancel_btn.click(cancel, None, status, api_name="cancel", concurrency_limit=None)
    no_btn.click(keep, None, [status, confirm], api_visibility="private")
    demo.load(on_load, None, outputs, api_visibility="private")
