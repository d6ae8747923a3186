"""`wotd bench search`: the reverse-dictionary comparison table from the command line."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..argtypes import positive_int
from ..command import Command
from ..config import DEFAULT_EMBEDDER
from ..errors import WotdError
from ..progress import Bars
from ..store import Store

METHODS = ("definition", "senses", "fused")


def add_parser(sub, bench, common: argparse.ArgumentParser) -> None:
    """Register `wotd bench search`."""
    s = bench.add_parser(
        "search",
        parents=[common],
        help="search by meaning: acc@1/10/100, median rank and ms/query per embedder and method",
    )
    s.add_argument(
        "--models",
        help="comma-separated embedders: zoo names, local directories or hub ids "
        f"(default: {DEFAULT_EMBEDDER}, plus the fine-tuned one when prepared)",
    )
    s.add_argument(
        "--methods",
        default=",".join(METHODS),
        help="definition (one vector a word), senses (every sense: what search uses), fused (default: all)",
    )
    s.add_argument("--senses", type=positive_int, default=500, help="held-out sense queries (default 500)")


def bench_search(args: argparse.Namespace, store: Store, home: Path) -> dict:
    """Run the benchmark on the store's lexicon and return {"bench": "search", "rows": [...], ...}."""
    from ..embed.zoo import default_models
    from .bench import SearchBenchConfig, run_search_bench

    if store.lexicon_size() == 0:
        raise WotdError("the lexicon is empty; run `wotd train` first (the benchmark searches its lexicon)")
    models = [m.strip() for m in args.models.split(",") if m.strip()] if args.models else default_models(home)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    bad = [m for m in methods if m not in METHODS]
    if bad or not methods or not models:
        raise WotdError(f"--methods: unknown {bad or 'empty'}; allowed: {', '.join(METHODS)}")
    t0 = time.time()
    cfg = SearchBenchConfig(models=models, backend=args.backend, senses=args.senses, methods=methods)
    with Bars() as bars:
        rows = run_search_bench(store, cfg, bars)
    return {"bench": "search", "rows": rows, "seconds": round(time.time() - t0, 1)}


def render_bench_search(result: dict) -> str:
    """The benchmark's markdown table and its time."""
    from .bench import markdown

    return markdown(result["rows"]) + f"\n\n({result['seconds']} s)"


COMMANDS: dict[str, Command] = {}
BENCHES = {"search": Command(bench_search, render_bench_search)}
