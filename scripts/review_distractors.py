"""Print review items for judging the distractors by eye: for N words of a trained home (a seeded sample of
its lexicon), the answer's definition, the three distractors (word and definition) and the near neighbours
the synonym rule rejected, with the rule (wotd_mlx/keep/distractors.py).

    WOTD_HOME=~/.wotd python scripts/review_distractors.py [--n 50] [--seed 25] [--json]

Read each item and count the distractors that are synonyms of the answer (BENCHMARKS.md)."""

from __future__ import annotations

import argparse
import json
import random
import textwrap

from wotd_mlx.config import wotd_home
from wotd_mlx.keep.review import ReviewConfig, options_for
from wotd_mlx.session import Wotd
from wotd_mlx.store import Store


def items(w: Wotd, n: int, seed: int) -> list[dict]:
    """N items of words drawn (seeded) from the run's index."""
    words = random.Random(seed).sample(w.index.words, min(n, len(w.index)))
    out = []
    for word in words:
        definition, chosen, rejected = options_for(w, word, ReviewConfig())
        out.append(
            {
                "word": word,
                "definition": definition,
                "distractors": [{"word": x, "definition": d} for x, d in chosen],
                "rejected": [{"word": r.word, "rule": r.rule} for r in rejected],
            }
        )
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=50)
    p.add_argument("--seed", type=int, default=25)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    with Store(wotd_home() / "wotd.db") as store:
        w = Wotd.open(store)
        rows = items(w, args.n, args.seed)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    short = lambda t: textwrap.shorten(t, 100, placeholder="...")  # noqa: E731
    for i, r in enumerate(rows, 1):
        print(f"{i:2d}. {r['word']}: {short(r['definition'])}")
        for d in r["distractors"]:
            print(f"      x {d['word']}: {short(d['definition'])}")
        if r["rejected"]:
            print("      rejected: " + ", ".join(f"{x['word']} ({x['rule']})" for x in r["rejected"]))
    n_rej = sum(len(r["rejected"]) for r in rows)
    print(f"\n{len(rows)} items, {3 * len(rows)} distractors; {n_rej} near neighbours rejected by the rule")


if __name__ == "__main__":
    main()
