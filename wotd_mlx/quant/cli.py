"""`wotd bench quantizers`: the compression lab from the command line. Results (rows as JSON, and a PNG)
are also saved under $WOTD_HOME/lab for the app's Lab tab (`plot.lab_results`)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..argtypes import positive_int
from ..command import Command
from ..errors import WotdError
from ..progress import Bars
from ..store import Store

MIN_WORDS = 50  # fewer leave too few held-out queries for any measurement to mean something


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text!r}") from None
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"expected a number strictly between 0 and 1, got {value}")
    return value


def add_parser(sub, bench, common: argparse.ArgumentParser) -> None:
    """Register `wotd bench quantizers`."""
    q = bench.add_parser(
        "quantizers",
        parents=[common],
        help="every embedding compression method on the whole lexicon: quality, size, speed",
    )
    q.add_argument("--max-words", type=positive_int, help="a stratified sample of the lexicon (quick runs)")
    q.add_argument("--methods", help="comma-separated method name prefixes, e.g. sign,learned,pq")
    q.add_argument("--test-fraction", type=_fraction, default=0.2, help="held-out words (default 0.2)")
    q.add_argument("--no-supervised", action="store_true", help="skip the codes fitted on definition pairs")
    q.add_argument("--embedder", help="default, a local model directory, or a hub repo id")
    q.add_argument("--seed", type=int, default=0, help="split and sampling seed (default 0)")


def _jsonable(value):
    """Rows as plain JSON types (numpy scalars and tuples in method settings)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


def bench_quantizers(args: argparse.Namespace, store: Store, home: Path) -> list[dict]:
    """Load (embedding through the cache as needed), run every method, save JSON + PNG, return rows."""
    from .bench import BenchConfig, default_specs, run_bench
    from .data import lexicon_entries, load_lab_data
    from .plot import save_results

    if args.max_words is not None and args.max_words < MIN_WORDS:
        raise WotdError(
            f"--max-words: the compression lab needs at least {MIN_WORDS} words, got {args.max_words}"
        )
    methods = [m.strip() for m in args.methods.split(",") if m.strip()] if args.methods else None
    supervised = not args.no_supervised
    specs = default_specs(methods, supervised)  # unknown names fail here, before any slow work
    if not specs:
        raise WotdError("no method selected")
    progress = Bars()
    t0 = time.time()
    try:
        entries = lexicon_entries(store, args.max_words, args.seed)
        data = load_lab_data(
            store,
            entries,
            args.backend,
            args.embedder,
            args.test_fraction,
            args.seed,
            train_pairs=supervised and any(s.supervised for s in specs),
            progress=progress,
        )
        cfg = BenchConfig(seed=args.seed, backend=args.backend, methods=methods, supervised=supervised)
        rows = _jsonable(run_bench(data, cfg, progress))
    finally:
        progress.close()
    meta = {
        "words": len(data.words),
        "held_out": len(data.test_idx),
        "embedder": data.model_id,
        "seconds": round(time.time() - t0, 1),
        "title": f"{len(data.words):,} words, {len(data.test_idx):,} held-out definition queries",
    }
    json_path, png = save_results(home, rows, meta)
    print(f"wotd: saved {json_path} and {png}", file=sys.stderr)
    return rows


def render_bench(rows: list[dict]) -> str:
    """The human form of `wotd bench quantizers`: the markdown table."""
    from .plot import markdown_table

    return markdown_table(rows)


COMMANDS: dict[str, Command] = {}
BENCHES = {"quantizers": Command(bench_quantizers, render_bench)}
