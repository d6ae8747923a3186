"""Which shown definitions a rule change moved (BENCHMARKS.md, "Session 5"; `corpus/senses.py`).

    .venv/bin/python scripts/definition_changes.py --before-home DIR [--sample 40] [--seed 202]

Builds the lexicon with today's rules and compares each word's definition with the one stored in DIR's
lexicon (a home trained before the change). Prints how many changed, how many of those have zipf >= 3 and
>= 4, and a seeded sample of the changes (old -> new) to read by eye.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wotd_mlx.config import CorpusConfig  # noqa: E402
from wotd_mlx.corpus.lexicon import build_lexicon  # noqa: E402
from wotd_mlx.store import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before-home", type=Path, required=True, help="a home trained before the change")
    ap.add_argument("--sample", type=int, default=40, help="changed words to print")
    ap.add_argument("--seed", type=int, default=202)
    args = ap.parse_args()
    with Store(args.before_home / "wotd.db") as store:
        before = {e.word: e.definition for e in store.lexicon()}
    now = build_lexicon(CorpusConfig())
    changed = [
        (e.word, before[e.word], e.definition, e.zipf)
        for e in now
        if before.get(e.word, e.definition) != e.definition
    ]
    print(f"lexicon words: {len(before)} before, {len(now)} now; definitions changed: {len(changed)}")
    common = [sum(z >= floor for *_, z in changed) for floor in (3, 4)]
    print(f"  of those with zipf >= 3: {common[0]}; zipf >= 4: {common[1]}")
    for word, old, new, z in random.Random(args.seed).sample(changed, min(args.sample, len(changed))):
        print(f"{word} ({z:.1f}) | {old[:60]} -> {new[:60]}")


if __name__ == "__main__":
    main()
