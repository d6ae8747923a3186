"""`wotd train`: corpus -> embeddings -> semantic encoder -> search index, recorded as one run.

Artifacts are written to `runs/<id>.partial/` and renamed to `runs/<id>/` only when complete; the
lexicon, corpora and the run's "done" status are committed to SQLite in one transaction at the end.
An interrupted run therefore leaves the previous run and the database untouched (the embedding cache
keeps what was embedded, so a restart is fast).
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .backend import resolve_backend
from .config import TrainConfig
from .corpus import axis_names, build_lexicon, label_counts, sample_corpora
from .embed import embed_cached, load_embedder, word_text
from .search import WordIndex
from .semantic import train_encoder
from .store import Run, Store

Progress = Callable[[str, int, int], None]  # (stage, done, total)
STAGES = ("corpus", "embed", "encoder", "index")


@dataclass
class RunPaths:
    """Where a run's artifacts live."""

    root: Path

    def final(self, run_id: int) -> Path:
        return self.root / str(run_id)

    def partial(self, run_id: int) -> Path:
        return self.root / f"{run_id}.partial"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def train(cfg: TrainConfig, store: Store, runs_dir: Path, progress: Progress | None = None) -> Run:
    """Run the whole pipeline and return the finished run (raises WotdError on bad configuration)."""
    progress = progress or (lambda stage, done, total: None)
    backend = resolve_backend(cfg.backend)
    levels = tuple(cfg.encoder.levels)
    names = axis_names(levels)  # validates the levels before anything is written
    store.mark_stale_runs()
    paths = RunPaths(runs_dir)
    run_id = store.start_run(backend, cfg.embed.model, "", cfg.to_dict())
    work = paths.partial(run_id)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    timings: dict[str, float] = {}
    t_start = time.perf_counter()
    try:
        t = time.perf_counter()
        entries = build_lexicon(cfg.corpus, levels, progress=lambda d, n: progress("corpus", d, n))
        corpora = sample_corpora(entries, cfg.corpus, levels)
        timings["corpus_s"] = time.perf_counter() - t

        t = time.perf_counter()
        embedder = load_embedder(cfg.embed, backend)
        texts = [word_text(e.word, e.definition, cfg.embed.text_format) for e in entries]
        cached_before = len(store.cached_embeddings(embedder.model_id, texts))
        X = embed_cached(
            embedder,
            texts,
            store,
            batch_size=cfg.embed.batch_size,
            progress=lambda d, n: progress("embed", d, n),
        )
        timings["embed_s"] = time.perf_counter() - t

        t = time.perf_counter()
        labels = np.array([[e.style, e.complexity, e.era] for e in entries], dtype=np.int64)
        encoder, enc_metrics = train_encoder(
            X, labels, cfg.encoder, backend, progress=lambda ep, n, loss: progress("encoder", ep, n)
        )
        timings["encoder_s"] = time.perf_counter() - t

        t = time.perf_counter()
        words = [e.word for e in entries]
        codes = encoder.encode(X)
        encoder.save(work)
        WordIndex.build(X, words).save(work)
        np.save(work / "codes.npy", codes.astype(np.int16))
        (work / "axes.json").write_text(json.dumps(names))
        progress("index", 1, 1)
        timings["index_s"] = time.perf_counter() - t
        timings["total_s"] = time.perf_counter() - t_start
        timings["peak_rss_mb"] = peak_rss_mb()

        metrics = {
            "lexicon_words": len(entries),
            "label_counts": label_counts(entries, levels),
            "corpora": [
                {k: c[k] for k in ("name", "style", "complexity", "era")} | {"words": len(c["words"])}
                for c in corpora
            ],
            "embedding_dim": int(X.shape[1]),
            "embeddings_cached_before": cached_before,
            "encoder": enc_metrics,
            "corpus_test_accuracy": _corpus_accuracy(corpora, words, codes),
        }
        final = paths.final(run_id)
        with store.transaction():
            store.replace_lexicon(entries)
            store.replace_corpora("lexicon", corpora)
            store.db["runs"].update(run_id, {"path": str(final)})
            store.finish_run(run_id, "done", metrics, timings)
            shutil.rmtree(final, ignore_errors=True)
            work.rename(final)
    except BaseException as exc:
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        store.finish_run(run_id, status, {"error": str(exc)[:500]}, timings)
        shutil.rmtree(work, ignore_errors=True)
        raise
    return store.run(run_id)


def _corpus_accuracy(corpora: list[dict], words: list[str], codes: np.ndarray) -> dict[str, float]:
    """Per-axis accuracy of the encoder on the corpora's held-out ("test") words."""
    pos = {w: i for i, w in enumerate(words)}
    rows = [
        (pos[w], (c["style"], c["complexity"], c["era"]))
        for c in corpora
        for w, _, split in c["words"]
        if split == "test" and w in pos
    ]
    if not rows:
        return {}
    got = codes[[i for i, _ in rows], :3]
    want = np.array([lab for _, lab in rows])
    return {
        axis: float((got[:, j] == want[:, j]).mean()) for j, axis in enumerate(("style", "complexity", "era"))
    }
