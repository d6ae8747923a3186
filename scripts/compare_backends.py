"""Train the same small configuration on the torch and the MLX backend and compare what a person sees.

Each backend trains in its own fresh WOTD_HOME (a child process; wall time and peak RSS measured). The two
runs are then compared on: the base embeddings of every word (cosine between the backends' vectors of the
same text), the semantic IDs (share of words with the same ID, and per part), search over the hand-written
descriptions (top-10 overlap, and each backend's hit rate), and the word of the day over a run of dates.

Usage: .venv/bin/python scripts/compare_backends.py [--max-words 300] [--finetune-pairs 64] [--dates 30]
       [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BACKENDS = ("torch", "mlx")


def train(home: Path, backend: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, "-m", "wotd_mlx.cli", "train", "--json", "--backend", backend]
    cmd += ["--max-words", str(args.max_words), "--finetune-pairs", str(args.finetune_pairs)]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=os.environ | {"WOTD_HOME": str(home)}, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{backend} training failed:\n{out.stderr[-3000:]}")
    wall = time.perf_counter() - t0
    # RUSAGE_CHILDREN is the largest child so far: the torch run goes first, so a larger MLX figure is its own
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"wall_s": round(wall, 1), "peak_rss_mb_so_far": round(peak), "summary": json.loads(out.stdout)}


def outputs(home: Path, backend: str, queries: list[str], dates: list[str]) -> dict:
    from wotd_mlx.session import Wotd
    from wotd_mlx.store import Store

    with Store(home / "wotd.db") as store:
        w = Wotd.open(store, backend)
        words = list(w.index.words)
        return {
            "words": words,
            "vectors": w.index.vectors(words),
            "ids": {row["word"]: tuple(row["semantic_id"]) for row in w.encode(words)},
            "search": [[hit["word"] for hit in w.search(q, 10)] for q in queries],
            "today": [w.today(d)["word"] for d in dates],
        }


def compare(a: dict, b: dict, targets: list[str]) -> dict:
    assert a["words"] == b["words"], "the two runs built different lexicons"
    cos = np.sum(a["vectors"] * b["vectors"], axis=1)
    same_id = [a["ids"][x] == b["ids"][x] for x in a["words"]]
    per_axis = np.mean(
        [[p == q for p, q in zip(a["ids"][x], b["ids"][x], strict=True)] for x in a["words"]], 0
    )
    overlap = [len(set(s) & set(t)) / 10 for s, t in zip(a["search"], b["search"], strict=True)]
    hits = {
        name: float(np.mean([t in s for s, t in zip(r["search"], targets, strict=True)]))
        for name, r in (("torch", a), ("mlx", b))
    }
    return {
        "words": len(a["words"]),
        "embedding_cosine_min": float(cos.min()),
        "embedding_cosine_mean": float(cos.mean()),
        "same_semantic_id": float(np.mean(same_id)),
        "same_id_part": [round(float(v), 4) for v in per_axis],
        "search_queries": len(targets),
        "search_top10_overlap": float(np.mean(overlap)),
        "search_top10_hit": hits,
        "same_word_of_the_day": float(np.mean([x == y for x, y in zip(a["today"], b["today"], strict=True)])),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max-words", type=int, default=300)
    ap.add_argument("--finetune-pairs", type=int, default=64)
    ap.add_argument("--dates", type=int, default=30)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from wotd_mlx.search.evalsets import load_descriptions

    dates = [(dt.date(2027, 1, 1) + dt.timedelta(days=i)).isoformat() for i in range(args.dates)]
    with tempfile.TemporaryDirectory(prefix="wotd-compare-") as tmp:
        runs, outs = {}, {}
        for backend in BACKENDS:
            home = Path(tmp) / backend
            runs[backend] = train(home, backend, args)
            words = set(json.loads(next((home / "runs").glob("*/words.json")).read_text()))
            pairs = [(q, t) for q, t in load_descriptions() if t in words]
            outs[backend] = outputs(home, backend, [q for q, _ in pairs], dates)
        report = compare(outs["torch"], outs["mlx"], [t for _, t in pairs])
    report["train"] = {
        b: {
            "wall_s": r["wall_s"],
            "peak_rss_mb_so_far": r["peak_rss_mb_so_far"],
            "timings": r["summary"].get("timings"),
        }
        for b, r in runs.items()
    }
    report["config"] = {
        "max_words": args.max_words,
        "finetune_pairs": args.finetune_pairs,
        "dates": args.dates,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
