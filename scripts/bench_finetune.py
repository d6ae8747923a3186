"""Time and peak memory of the embedder's search fine-tune on each backend, on the same training columns.

Usage: .venv/bin/python scripts/bench_finetune.py [--pairs 256] [--batch-size 32] [--train-layers 3]
       [--backends mlx,torch] [--json]

The columns are GCIDE pairs built as `wotd train` builds them (embed/pairs.py) from 3,000 headwords; the
hard negative of each pair is another pair's positive (not mined: mining embeds the whole index, and the step
time does not depend on which text the negative is). Each backend trains in a process of its own (its peak
memory is its own; torch and MLX never share one), once, with the default config otherwise (MiniLM, max
length 48, lr 5e-5). train_s is the training loop only; wall_s adds the model load and the save.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HEADWORDS = 3000


def build_columns(pairs: int, seed: int) -> dict[str, list[str]]:
    """anchor/positive pairs of a GCIDE-made lexicon, and a stand-in negative column."""
    from wotd_mlx.corpus.gcide import by_headword, load_gcide
    from wotd_mlx.embed.pairs import build_pairs, sample_pairs
    from wotd_mlx.store import LexEntry

    gcide = by_headword(load_gcide())
    words = [w for w, e in sorted(gcide.items()) if w.isalpha() and e.senses and e.senses[0].definitions]
    step = max(1, len(words) // HEADWORDS)
    lexicon = [
        LexEntry(w, "", gcide[w].senses[0].definitions[0], "", "", 0.0, [], 0, 0, 0) for w in words[::step]
    ]
    sampled = sample_pairs(build_pairs(lexicon, gcide), pairs, seed)
    positives = [p.positive for p in sampled]
    half = len(positives) // 2
    return {
        "anchor": [p.anchor for p in sampled],
        "positive": positives,
        "negative": positives[half:] + positives[:half],
    }


def child(backend: str, cols_file: str, cfg_json: str) -> None:
    """Train once on `backend` and print the meta as one JSON line."""
    from wotd_mlx.embed.finetune import FinetuneConfig, train_and_save

    cols = json.loads(Path(cols_file).read_text())
    cfg = FinetuneConfig(**json.loads(cfg_json))
    with tempfile.TemporaryDirectory() as home:
        t0 = time.time()
        meta = train_and_save(cols, cfg, Path(home), backend=backend)
        meta["wall_s"] = round(time.time() - t0, 1)
    meta["torch_loaded"] = "torch" in sys.modules
    print(json.dumps(meta))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=256)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--train-layers", type=int, default=3)
    ap.add_argument("--backends", default="mlx,torch")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", nargs=3, metavar=("BACKEND", "COLS", "CFG"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(*args.child)

    from wotd_mlx.embed.finetune_common import FinetuneConfig

    cfg = replace(
        FinetuneConfig(), pairs=args.pairs, batch_size=args.batch_size, train_layers=args.train_layers
    )
    cols = build_columns(args.pairs, args.seed)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cols_file = Path(tmp) / "cols.json"
        cols_file.write_text(json.dumps(cols))
        for backend in args.backends.split(","):
            cmd = [sys.executable, __file__, "--child", backend, str(cols_file), json.dumps(cfg.__dict__)]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            meta = json.loads(out.strip().splitlines()[-1])
            rows.append(
                {
                    "backend": backend,
                    "pairs": meta["pairs"],
                    "batch": args.batch_size,
                    "layers": args.train_layers,
                    "steps": meta["steps"],
                    "train_s": meta["train_s"],
                    "s_per_step": round(meta["train_s"] / meta["steps"], 2),
                    "pairs_per_s": round(meta["pairs"] / meta["train_s"], 1),
                    "wall_s": meta["wall_s"],
                    "peak_rss_mb": meta["peak_rss_mb"],
                    "train_loss": meta["train_loss"],
                    "torch_loaded": meta["torch_loaded"],
                }
            )
    if args.json:
        print(json.dumps({"machine": platform.platform(), "rows": rows}, indent=2))
        return
    keys = list(rows[0])
    print(f"fine-tune bench on {platform.platform()} ({platform.machine()})")
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
