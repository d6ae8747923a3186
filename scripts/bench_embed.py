"""Benchmark the wotd embedder against sentence-transformers on the same model and the same texts.

Usage: .venv/bin/python scripts/bench_embed.py [--n 2000] [--backend torch] [--json]

Measured in one run: our throughput, sentence-transformers' throughput, their ratio, the largest cosine
difference between the two, and embed_cached throughput on a cache miss (embed + write) and a hit (read).
One warm-up, then the median of 3 repeats.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from wotd_mlx.config import EmbedConfig
from wotd_mlx.embed import embed_cached, load_embedder
from wotd_mlx.store.db import Store

MLX_LINUX_CAP = 50  # MLX CPU on Linux runs ~20 texts/s: keep the MLX run to seconds


def median_seconds(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median wall time of each fn over `repeats` runs after one untimed warm-up each. The fns take turns
    within each repeat, so a change in machine load hits all of them alike and ratios stay fair."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(ts) for name, ts in times.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="number of words (most frequent English first)")
    ap.add_argument("--backend", default="torch", choices=["torch", "mlx"])
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = ap.parse_args(argv)

    n, note = args.n, ""
    if args.backend == "mlx" and platform.system() == "Linux" and n > MLX_LINUX_CAP:
        n, note = MLX_LINUX_CAP, f"n capped from {args.n} to {MLX_LINUX_CAP}: MLX CPU on Linux is slow"
        print(note, file=sys.stderr)

    from sentence_transformers import SentenceTransformer
    from wordfreq import top_n_list

    texts = top_n_list("en", n)
    cfg = EmbedConfig(batch_size=args.batch_size)
    ours = load_embedder(cfg, args.backend)
    st = SentenceTransformer(str(ours.model_dir), device="cpu")
    st.max_seq_length = cfg.max_length  # same truncation as ours (words never reach it anyway)

    def run_ours() -> np.ndarray:
        return ours.embed(texts, batch_size=args.batch_size)

    def run_st() -> np.ndarray:
        return st.encode(texts, batch_size=args.batch_size, normalize_embeddings=True, convert_to_numpy=True)

    cos_diff = float(np.max(1.0 - np.sum(run_ours() * run_st(), axis=1)))

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "hit.db") as hit_store:
        dbs = iter(range(10**6))

        def miss() -> None:  # a fresh database each time: every text is a miss
            with Store(Path(tmp) / f"miss{next(dbs)}.db") as store:
                embed_cached(ours, texts, store, batch_size=args.batch_size)

        def hit() -> None:  # the warm-up call fills hit_store; the timed calls only read it
            embed_cached(ours, texts, hit_store, batch_size=args.batch_size)

        t = median_seconds({"ours": run_ours, "st": run_st, "miss": miss, "hit": hit}, args.repeats)
    t_ours, t_st, t_miss, t_hit = t["ours"], t["st"], t["miss"], t["hit"]

    res = {
        "n": n,
        "backend": args.backend,
        "model": ours.model_id,
        "batch_size": args.batch_size,
        "ours_texts_per_s": n / t_ours,
        "sentence_transformers_texts_per_s": n / t_st,
        "ratio_ours_over_st": t_st / t_ours,
        "max_cosine_diff": cos_diff,
        "cache_miss_texts_per_s": n / t_miss,
        "cache_hit_texts_per_s": n / t_hit,
        "load_avg_1m": os.getloadavg()[0],  # other work on the machine skews absolute texts/s
        "note": note,
    }
    print(
        f"\nwotd embedder benchmark: {n} words, backend {args.backend}, model {ours.model_id}, "
        f"batch {args.batch_size}, median of {args.repeats} after 1 warm-up, "
        f"{os.cpu_count()} CPUs, load average {res['load_avg_1m']:.1f}\n"
    )
    print("| measurement | value |\n|---|---|")
    print(f"| ours ({args.backend}) | {res['ours_texts_per_s']:,.0f} texts/s |")
    print(f"| sentence-transformers (torch) | {res['sentence_transformers_texts_per_s']:,.0f} texts/s |")
    print(f"| ratio ours / sentence-transformers | {res['ratio_ours_over_st']:.2f} |")
    print(f"| max cosine difference | {cos_diff:.2e} |")
    print(f"| embed_cached, cache miss (embed + write) | {res['cache_miss_texts_per_s']:,.0f} texts/s |")
    print(f"| embed_cached, cache hit (read) | {res['cache_hit_texts_per_s']:,.0f} texts/s |")
    if note:
        print(f"\nNote: {note}")
    if args.json:
        print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
