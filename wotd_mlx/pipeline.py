"""`wotd train`: corpus -> embeddings -> semantic encoder -> search index -> LoRA LM, recorded as one run.

Artifacts are written to `runs/<id>.partial/` and renamed to `runs/<id>/` only when complete; the
lexicon, corpora and the run's "done" status are committed to SQLite in one transaction at the end.
An interrupted run leaves the previous run and the database as they were; its `.partial` directory keeps
the finished stages and the LM's last checkpoint, so `wotd train --resume` goes on from there (the
embedding cache makes re-embedding instant; a new, non-resumed run discards old `.partial` directories).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from .backend import resolve_backend
from .config import DEFAULT_EMBEDDER, DEFAULT_LM, TrainConfig
from .corpus import axis_names, label_counts
from .corpus.cache import cached_lexicon
from .corpus.gcide import by_headword, load_gcide
from .corpus.modern import installed_glosses
from .corpus.style_model import refine_styles
from .embed import embed_cached, load_embedder, word_text
from .errors import WotdError
from .memory import peak_rss_mb
from .search import WordIndex
from .search.multisense import SenseVectors, sense_rows
from .search.space import SearchSpace
from .semantic import SemanticEncoder, train_encoder
from .store import LexEntry, Run, Store

Progress = Callable[[str, int, int], None]  # (stage, done, total)
STAGES = ("corpus", "embed", "encoder", "index", "lm")


@dataclass
class RunPaths:
    """Where a run's artifacts live."""

    root: Path

    def final(self, run_id: int) -> Path:
        return self.root / str(run_id)

    def partial(self, run_id: int) -> Path:
        return self.root / f"{run_id}.partial"


def _corpora(cfg: TrainConfig, store: Store) -> list[dict]:
    """The stored synthetic corpora, whose training words the LM learns; a lexicon run has none (its LM
    learns every entry, and the encoder every labelled word)."""
    if cfg.corpus.source == "synthetic":
        from .corpus.synthetic import load_synthetic_corpora

        return load_synthetic_corpora(store, tuple(cfg.encoder.levels))
    if cfg.corpus.source != "lexicon":
        raise WotdError(f"unknown corpus source {cfg.corpus.source!r}; allowed: lexicon, synthetic")
    return []


def _lm_dir(cfg: TrainConfig, home: Path, progress: Progress) -> Path | None:
    """The LM to fine-tune, checked (and the default prepared) before anything is recorded."""
    if not cfg.lm.enabled:
        return None
    from .lm.models import default_lm_dir, is_prepared, resolve_lm_dir

    preparing = cfg.lm.model == DEFAULT_LM and not is_prepared(default_lm_dir(home))
    if preparing:  # about 40 s, once: show it as a stage
        progress("lm-prep", 0, 1)
    path = resolve_lm_dir(cfg.lm.model, home)
    if preparing:
        progress("lm-prep", 1, 1)
    return path


def _start(cfg: TrainConfig, store: Store, paths: RunPaths, resume: bool) -> tuple[int, TrainConfig, str]:
    """A new run (discarding abandoned partial runs), or the newest unfinished one when resuming."""
    store.mark_stale_runs()
    if resume:
        run = store.resumable_run()
        if run is None or not paths.partial(run.id).is_dir():
            raise WotdError("nothing to resume: no interrupted run with saved progress; run `wotd train`")
        if (done := store.last_run("done")) is not None and done.id > run.id:
            raise WotdError(f"run {run.id} was superseded by finished run {done.id}; run `wotd train`")
        cfg = TrainConfig.from_dict(run.config)
        store.set_run_status(run.id, "running")
        return run.id, cfg, run.backend
    backend = resolve_backend(cfg.backend)
    for stale in paths.root.glob("*.partial"):
        shutil.rmtree(stale, ignore_errors=True)
    run_id = store.start_run(backend, cfg.embed.model, "", cfg.to_dict())
    paths.partial(run_id).mkdir(parents=True)
    return run_id, cfg, backend


def train(
    cfg: TrainConfig,
    store: Store,
    runs_dir: Path,
    progress: Progress | None = None,
    on_lm_report: Callable | None = None,
    resume: bool = False,
) -> Run:
    """Run the whole pipeline (or resume the newest interrupted run) and return the finished run.

    `progress(stage, done, total)` follows every stage; `on_lm_report(LMReport)` gets the LM's training
    reports (loss, tokens/s, peak memory). Raises WotdError on bad configuration."""
    progress = progress or (lambda stage, done, total: None)
    paths = RunPaths(runs_dir)
    if not resume:
        axis_names(tuple(cfg.encoder.levels))  # validates the levels before anything is written
        _corpora(cfg, store)  # a missing synthetic corpus is an error before anything is recorded
        lm_dir = _lm_dir(cfg, runs_dir.parent, progress)
    run_id, cfg, backend = _start(cfg, store, paths, resume)
    if resume:
        lm_dir = _lm_dir(cfg, runs_dir.parent, progress)
    levels = tuple(cfg.encoder.levels)
    names = axis_names(levels)
    work = paths.partial(run_id)
    stages_file = work / "stages.json"
    stages = json.loads(stages_file.read_text()) if stages_file.is_file() else {}
    timings: dict[str, float] = {}
    t_start = time.perf_counter()
    try:
        t = time.perf_counter()
        entries, evidence = cached_lexicon(cfg.corpus, levels, progress=lambda d, n: progress("corpus", d, n))
        timings["corpus_s"] = time.perf_counter() - t

        finetuned = stages.get("finetune")
        if finetuned is None and cfg.embed.model == DEFAULT_EMBEDDER and cfg.embed.finetune_pairs:
            t = time.perf_counter()
            finetuned = _finetune(cfg, store, entries, runs_dir.parent, backend, progress)
            stages["finetune"] = finetuned
            stages_file.write_text(json.dumps(stages))
            timings["finetune_s"] = time.perf_counter() - t

        t = time.perf_counter()
        embedder = load_embedder(cfg.embed, backend)
        # a search-tuned model embeds the words again, and their senses, for search alone (search/space.py)
        search_model = finetuned["path"] if finetuned and "skipped" not in finetuned else None
        fmt = cfg.embed.text_format
        texts = [word_text(e.word, e.definition, fmt) for e in entries]
        owner, senses = _other_senses(entries, fmt)  # embedded in the same stage: one bar, one cache
        sense_texts = [word_text(entries[i].word, s, fmt) for i, s in zip(owner, senses, strict=True)]
        if search_model:
            searcher = load_embedder(replace(cfg.embed, model=search_model), backend)
            jobs = [(embedder, texts), (searcher, texts + sense_texts)]
        else:
            jobs = [(embedder, texts + sense_texts)]
        bar = lambda d, n: progress("embed", d, n)  # noqa: E731
        vectors, cached_before = _embed_jobs(jobs, store, cfg.embed.batch_size, bar)
        X, S = vectors[0][: len(entries)], vectors[-1]
        space = SearchSpace(
            search_model,
            S[: len(entries)] if search_model else None,
            SenseVectors(np.array(owner), S[len(entries) :], senses),
        )
        timings["embed_s"] = time.perf_counter() - t
        t = time.perf_counter()  # style is final only now: its classifier reads the embeddings
        entries, style_report = refine_styles(entries, X, evidence)
        corpora = _corpora(cfg, store)
        timings["corpus_s"] += time.perf_counter() - t

        words = [e.word for e in entries]
        if "index" in stages:  # resumed: the encoder and index were finished before the interruption
            encoder = SemanticEncoder.load(work, backend)
            codes = np.load(work / "codes.npy").astype(np.int64)
            enc_metrics = stages["index"]["encoder_metrics"]
            timings.update(stages["index"]["timings"])
        else:
            t = time.perf_counter()
            labels = np.array([[e.style, e.complexity, e.era] for e in entries], dtype=np.int64)
            encoder, enc_metrics = train_encoder(
                X, labels, cfg.encoder, backend, progress=lambda ep, n, loss: progress("encoder", ep, n)
            )
            timings["encoder_s"] = time.perf_counter() - t
            t = time.perf_counter()
            codes = encoder.encode(X)
            codes[:, :3] = labels  # a known word's ID carries its labels; the encoder gives its variation
            encoder.save(work)
            WordIndex.build(X, words).save(work)
            space.save(work)
            np.save(work / "codes.npy", codes.astype(np.int16))
            (work / "axes.json").write_text(json.dumps(names))
            progress("index", 1, 1)
            timings["index_s"] = time.perf_counter() - t
            stages["index"] = {"encoder_metrics": enc_metrics, "timings": dict(timings)}
            stages_file.write_text(json.dumps(stages))

        lm_metrics = None
        if cfg.lm.enabled:
            t = time.perf_counter()
            lm_metrics = _train_lm(
                cfg, store, run_id, work, lm_dir, entries, codes, corpora, names, backend, progress,
                on_lm_report, embedder,
            )  # fmt: skip
            timings["lm_s"] = time.perf_counter() - t
        timings["total_s"] = time.perf_counter() - t_start
        timings["peak_rss_mb"] = peak_rss_mb()

        metrics = {
            "lexicon_words": len(entries),
            "label_counts": label_counts(entries, levels),
            "style_model": style_report,
            "corpora": [
                {k: c[k] for k in ("name", "style", "complexity", "era")} | {"words": len(c["words"])}
                for c in corpora
            ],
            "embedding_dim": int(X.shape[1]),
            "embedder_finetune": finetuned,
            **space.metrics(),
            "embeddings_cached_before": cached_before,
            "encoder": enc_metrics,
            "lm": lm_metrics,
        }
        final = paths.final(run_id)
        with store.transaction():
            store.replace_lexicon(entries)
            store.replace_corpora(cfg.corpus.source, corpora)
            store.db["runs"].update(run_id, {"path": str(final)})
            store.finish_run(run_id, "done", metrics, timings)
            shutil.rmtree(final, ignore_errors=True)
            work.rename(final)
    except BaseException as exc:
        # the .partial directory stays: its finished stages and LM checkpoint are what --resume uses
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        store.finish_run(run_id, status, {"error": str(exc)[:500]}, timings)
        raise
    return store.run(run_id)


def _train_lm(
    cfg, store, run_id, work, lm_dir, entries: list[LexEntry], codes, corpora, names, backend, progress,
    on_lm_report, embedder,
) -> dict:  # fmt: skip
    """Stage 5: build DSL examples from the encoder's IDs, fine-tune the LM with LoRA, and choose the
    threshold its definitions must reach (lm/trust.py) on its training words."""
    from .lm.checkpoint import Checkpoints
    from .lm.data import examples_for
    from .lm.train import train_lora, write_lm_info
    from .lm.trust import calibrate_on_training

    progress("lm", 0, cfg.lm.iters)  # loading the LM takes a while: show it under the LM's own bar
    all_words, all_defs = [e.word for e in entries], [e.definition for e in entries]
    if cfg.corpus.source == "synthetic":  # the LM learns the generated corpus (its lexicon words)
        keep = {w for c in corpora for w, _, split in c["words"] if split == "train"}
        rows = [i for i, e in enumerate(entries) if e.word in keep]
        if not rows:
            raise WotdError("no word of the synthetic corpus is in the lexicon: the LM has nothing to learn")
        entries, codes = [entries[i] for i in rows], codes[rows]
    examples = examples_for([e.word for e in entries], [e.definition for e in entries], codes, names, cfg.lm)
    out = work / "lm"
    latest = Checkpoints(out / "checkpoints").latest()
    store.trim_curve(run_id, latest.step if latest else 0)

    def report(rep) -> None:
        store.add_curve_point(run_id, {k: v for k, v in asdict(rep).items() if k != "total"})
        progress("lm", rep.step, rep.total)
        if on_lm_report is not None:
            on_lm_report(rep)

    metrics = train_lora(lm_dir, out, examples, cfg.lm, backend, on_report=report)
    write_lm_info(out, cfg.lm.model, lm_dir, backend, cfg.lm)
    shutil.rmtree(out / "checkpoints", ignore_errors=True)  # the adapter is final; resume is moot now
    trained = [(ex.semantic_id, word) for ex in examples for word, _ in ex.lines]
    cal = calibrate_on_training(work, backend, all_words, all_defs, names, trained, embedder.embed)
    return metrics | {"definition_threshold": cal.threshold, "definition_calibration_words": cal.words}


def _finetune(cfg: TrainConfig, store: Store, entries: list[LexEntry], home: Path, backend, progress) -> dict:
    """The finetune stage: the default embedder fine-tuned for search on this lexicon (embed/finetune.py),
    or the one made from the same lexicon and settings before."""
    from .embed.finetune import FinetuneConfig, TooFewPairs, for_lexicon

    embed = cfg.embed
    ft = FinetuneConfig(base=embed.model, pairs=embed.finetune_pairs, text_format=embed.text_format)
    try:
        meta = for_lexicon(store, entries, home, ft, backend, progress)
    except TooFewPairs as exc:  # a tiny lexicon: its run embeds with the base model
        return {"path": embed.model, "skipped": str(exc)}
    return {k: meta[k] for k in ("path", "cache_key", "pairs", "steps", "train_s", "reused") if k in meta}


def _embed_jobs(jobs: list[tuple], store: Store, batch_size: int, progress) -> tuple[list[np.ndarray], int]:
    """embed_cached for each (embedder, texts) under one progress bar over all that is not cached yet;
    returns the vectors and how many texts were cached before."""
    cached = [len(store.cached_embeddings(e.model_id, ts)) for e, ts in jobs]
    misses = [len(set(ts)) - c for (_, ts), c in zip(jobs, cached, strict=True)]
    total, out = sum(misses), []
    for (embedder, texts), offset in zip(jobs, np.cumsum([0, *misses[:-1]]), strict=True):
        bar = lambda d, n, o=int(offset): progress(o + d, total)  # noqa: E731
        out.append(embed_cached(embedder, texts, store, batch_size, progress=bar))
    if total:
        progress(total, total)
    return out, sum(cached)


def _other_senses(entries: list[LexEntry], text_format: str) -> tuple[list[int], list[str]]:
    """(word position, sense) of the lexicon's other senses and modern glosses, which search embeds too
    (search/multisense.py); none when a word stands for itself alone (text format "word")."""
    if text_format == "word":
        return [], []
    words, shown = [e.word for e in entries], [e.definition for e in entries]
    return sense_rows(words, shown, by_headword(load_gcide()), modern=installed_glosses())
