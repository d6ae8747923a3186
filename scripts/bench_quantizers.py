"""The compression lab on the whole lexicon: `wotd bench quantizers` plus the docs' copies of its outputs.

Writes docs/quantizers.png (quality against bytes per vector), docs/quantizers.md (the table) and
docs/quantizers.json (every row), and prints the table.

Usage: .venv/bin/python scripts/bench_quantizers.py [--home DIR] [--max-words N] [--methods a,b]
       [--no-supervised] [--out docs]
(--home: a WOTD_HOME whose embedding cache and lexicon are reused; default $WOTD_HOME or ~/.wotd.)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from wotd_mlx.config import wotd_home
from wotd_mlx.quant.cli import bench_quantizers
from wotd_mlx.quant.plot import lab_results, markdown_table, plot_rows
from wotd_mlx.store import Store


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--home", type=Path, default=None)
    p.add_argument("--max-words", type=int)
    p.add_argument("--methods")
    p.add_argument("--no-supervised", action="store_true")
    p.add_argument("--backend", default=None)
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs")
    args = p.parse_args()
    home = args.home or wotd_home()
    ns = argparse.Namespace(
        max_words=args.max_words,
        methods=args.methods,
        no_supervised=args.no_supervised,
        backend=args.backend,
        embedder=None,
        test_fraction=0.2,
        seed=0,
    )
    with Store(home / "wotd.db") as store:
        rows = bench_quantizers(ns, store, home)
    _, _, meta = lab_results(home)
    args.out.mkdir(parents=True, exist_ok=True)
    plot_rows(rows, args.out / "quantizers.png", meta.get("title", ""))
    table = markdown_table(rows)
    (args.out / "quantizers.md").write_text(f"{meta}\n\n{table}\n")
    (args.out / "quantizers.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    print(json.dumps(meta))
    print(table)


if __name__ == "__main__":
    main()
