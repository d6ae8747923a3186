"""Reverse-dictionary benchmark: every embedder and search method on both evaluation sets, in one run.

Usage: WOTD_HOME=<trained home> .venv/bin/python scripts/bench_search.py [--models a,b] [--senses 500]

The same as `wotd bench search`: acc@1/10/100, median rank and warm ms/query per model and method, on the
hand-written descriptions (scripts/data/search_descriptions.tsv) and held-out GCIDE senses
(wotd_mlx/search/evalsets.py).
The lexicon and embedding cache come from $WOTD_HOME (a `wotd train` home); misses are embedded and cached.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys

from wotd_mlx.config import wotd_home
from wotd_mlx.embed.zoo import default_models
from wotd_mlx.search.bench import SearchBenchConfig, markdown, run_search_bench
from wotd_mlx.store import Store


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", help="comma-separated embedders (default: base, plus fine-tuned if prepared)")
    ap.add_argument("--methods", default="definition,senses,fused")
    ap.add_argument("--senses", type=int, default=500)
    ap.add_argument("--backend", default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    home = wotd_home()
    models = args.models.split(",") if args.models else default_models(home)
    cfg = SearchBenchConfig(
        models=models, backend=args.backend, senses=args.senses, methods=args.methods.split(",")
    )
    with Store(home / "wotd.db") as store:
        rows = run_search_bench(store, cfg)
    env = {"machine": platform.machine(), "cpus": os.cpu_count(), "load": os.getloadavg()[0]}
    if args.json:
        print(json.dumps({"rows": rows, "env": env}, indent=2))
    else:
        print(markdown(rows))
        print(f"\n{env}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
