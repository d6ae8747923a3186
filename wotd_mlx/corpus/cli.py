"""`wotd corpus generate|status`: synthetic corpora from OpenAI or any OpenAI-compatible server.

Joined into `wotd_mlx.cli` through `add_parser` and `COMMANDS`; `cmd_corpus` follows the CLI's command
contract (returns a JSON-able result, raises WotdError for bad input or an unusable endpoint).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from wotd_mlx.argtypes import positive_int
from wotd_mlx.command import Command
from wotd_mlx.config import DEFAULT_LEVELS
from wotd_mlx.corpus.labels import validate_levels
from wotd_mlx.corpus.synthetic import DEFAULT_CELLS, DEFAULT_MODEL, SyntheticConfig
from wotd_mlx.errors import WotdError
from wotd_mlx.progress import Bars
from wotd_mlx.store import Store


def _levels(text: str) -> tuple[int, ...]:
    try:
        return validate_levels([int(x) for x in text.split(",")])
    except (ValueError, WotdError) as exc:
        raise argparse.ArgumentTypeError(f"expected levels like 8,8,8,5 ({exc})") from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def add_parser(sub, bench, common: argparse.ArgumentParser) -> None:
    """Register `corpus generate` and `corpus status` (each takes the common --json/--backend)."""
    p = sub.add_parser("corpus", help="synthetic training corpora from an OpenAI-compatible API")
    actions = p.add_subparsers(dest="corpus_command", required=True, metavar="ACTION")
    g = actions.add_parser(
        "generate",
        parents=[common],
        help="ask an LLM for words per Style x Complexity x Era cell (resumes where it stopped)",
        description="The key comes from $OPENAI_API_KEY; a local server given by --base-url needs none.",
    )
    g.add_argument(
        "--base-url",
        help="an OpenAI-compatible server, e.g. http://localhost:1234/v1 "
        "(default: $OPENAI_BASE_URL, else OpenAI)",
    )
    g.add_argument("--model", default=DEFAULT_MODEL, help=f"model name (default {DEFAULT_MODEL})")
    g.add_argument("--per-cell", type=positive_int, default=100, help="words per cell (default 100)")
    which = g.add_mutually_exclusive_group()
    which.add_argument(
        "--cells",
        type=positive_int,
        default=DEFAULT_CELLS,
        help=f"how many cells, chosen to cover every axis level (default {DEFAULT_CELLS})",
    )
    which.add_argument("--all-cells", action="store_true", help="every Style x Complexity x Era cell")
    g.add_argument("--levels", type=_levels, default=DEFAULT_LEVELS, help="style,complexity,era,variation")
    g.add_argument("--batch", type=positive_int, default=50, help="most words asked for per request")
    g.add_argument("--timeout", type=_seconds, default=120.0, help="seconds per request (default 120)")
    g.add_argument("--max-retries", type=int, default=4, help="client retries on 429/5xx/timeouts")
    g.add_argument("--reset", action="store_true", help="discard the stored synthetic corpus first")
    actions.add_parser("status", parents=[common], help="per-cell progress of the synthetic corpus")


class _WarnToStderr(logging.Handler):
    """Warnings as "wotd: warning: ..." lines that do not break the tqdm bar."""

    def emit(self, record: logging.LogRecord) -> None:
        from tqdm import tqdm

        tqdm.write(f"wotd: warning: {record.getMessage()}", file=sys.stderr)


def cmd_corpus(args: argparse.Namespace, store: Store, home: Path) -> dict:
    """Run `wotd corpus generate` or `wotd corpus status`."""
    from wotd_mlx.store import synthetic as db

    if args.corpus_command == "status":
        cells = db.progress(store)
        return {
            "command": "status",
            "levels": list(db.stored_levels(store) or []),
            "cells": cells,
            "words": sum(c["words"] for c in cells),
            "tokens": {
                "prompt": sum(c["prompt_tokens"] for c in cells),
                "completion": sum(c["completion_tokens"] for c in cells),
            },
        }
    from wotd_mlx.corpus.openai_client import make_client, resolve_endpoint
    from wotd_mlx.corpus.synthetic import generate_synthetic

    endpoint = resolve_endpoint(args.base_url)  # first: no key and no URL fails before anything is written
    client = make_client(endpoint, timeout=args.timeout, max_retries=args.max_retries)
    cfg = SyntheticConfig(
        model=args.model,
        per_cell=args.per_cell,
        n_cells=None if args.all_cells else args.cells,
        levels=tuple(args.levels),
        batch=args.batch,
    )
    if args.reset:
        db.reset(store)
    logger = logging.getLogger("wotd_mlx.corpus.synthetic")
    handler = _WarnToStderr(logging.WARNING)
    logger.addHandler(handler)
    bars = Bars(unit="")
    try:
        return {"command": "generate"} | generate_synthetic(store, cfg, client, endpoint, progress=bars)
    finally:
        bars.close()
        logger.removeHandler(handler)
        client.close()


def _cell(c: dict) -> str:
    return f"cell {c['style']},{c['complexity']},{c['era']} (no words yet)"


def render_corpus(r: dict) -> str:
    """Plain text for `wotd corpus generate|status`."""
    tokens = f"{r['tokens']['prompt']} prompt + {r['tokens']['completion']} completion tokens"
    if r["command"] == "status":
        if not r["cells"]:
            return "no synthetic corpus yet: `wotd corpus generate`"
        lines = [
            f"{c['words']:>5} words  {c['requests']:>3} requests  {c['name'] or _cell(c)}" for c in r["cells"]
        ]
        return "\n".join([*lines, f"total: {r['words']} words, {tokens}"])
    lines = [
        f"{r['words']}/{r['cells'] * r['per_cell']} words, {r['complete_cells']}/{r['cells']} cells "
        f"complete ({r['model']} at {r['base_url']})",
        f"this run: {r['requests']} requests ({r['failed_requests']} unusable), {r['rejected_words']} words "
        f"rejected, {tokens}",
    ]
    lines += [f"skipped: {s['name']} ({s['words']} words): {s['reason']}" for s in r["skipped"]]
    if r["skipped"] or r["complete_cells"] < r["cells"]:
        lines.append("run the same command again to fill the rest")
    return "\n".join(lines)


COMMANDS = {"corpus": Command(cmd_corpus, render_corpus)}
BENCHES: dict[str, Command] = {}
