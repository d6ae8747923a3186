"""The GCIDE export's copied etymologies, counted (BENCHMARKS.md, "Session 4"; `lexicon._own_etymologies`).

    .venv/bin/python scripts/etymology_runs.py                          # runs in the export, current lexicon
    .venv/bin/python scripts/etymology_runs.py --before-home DIR        # and against a trained home's lexicon

Prints: how many runs of consecutive headwords share one etymology, and which entry of a run cites its forms
best (longest common prefix with a cited form); how many lexicon words show an etymology; the word-of-the-day
candidates and the share of them that are derived forms whose stem is also a candidate. With --before-home,
the same for that home's stored lexicon, how many eras differ, and 40 words (seed 101) that lost their
shown etymology, to read.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wotd_mlx.config import CorpusConfig  # noqa: E402
from wotd_mlx.corpus.gcide import load_gcide  # noqa: E402
from wotd_mlx.corpus.lexicon import build_lexicon  # noqa: E402
from wotd_mlx.store import Store  # noqa: E402
from wotd_mlx.today import candidates  # noqa: E402

DERIVED = re.compile(r"(ing|ed|ly|ness|er|ers|ings|s)$")


def prefix_match(word: str, ety: str) -> int:
    """Longest common prefix between the word and any form the etymology cites (before cognates)."""
    forms = re.findall(r"[a-z]+", re.split(r"\bakin\b", ety, maxsplit=1)[0].lower())
    return max((len(os.path.commonprefix([word, f])) for f in forms), default=0)


def runs_in_export() -> dict:
    entries = load_gcide()
    runs, cur = [], [0]
    for i in range(1, len(entries)):
        if entries[i].etymology and entries[i].etymology == entries[cur[-1]].etymology:
            cur.append(i)
        else:
            if len(cur) > 1:
                runs.append(cur)
            cur = [i]
    best = Counter()
    for run in runs:
        m = [prefix_match(entries[i].headword, entries[i].etymology) for i in run]
        top = [k for k, x in enumerate(m) if x == max(m)]
        if len(top) > 1:
            best["tie"] += 1
        else:
            best["last" if top[0] == len(run) - 1 else "first" if top[0] == 0 else "middle"] += 1
    return {"runs": len(runs), "entries_in_runs": sum(map(len, runs)), "sole_best_cites": dict(best)}


def pool(lexicon) -> dict:
    cands = candidates(lexicon, 8)
    words = {e.word for e in cands}
    stems = {w: DERIVED.sub("", w) for w in words if DERIVED.search(w)}
    derived = [w for w, stem in stems.items() if stem in words or stem + "e" in words]
    return {
        "shown_etymologies": sum(1 for e in lexicon if e.etymology),
        "candidates": len(cands),
        "derived_with_stem_in_pool": len(derived),
        "derived_share": round(len(derived) / len(cands), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before-home", help="a trained WOTD_HOME whose stored lexicon is the 'before'")
    args = ap.parse_args()
    print("export:", runs_in_export())
    now = build_lexicon(CorpusConfig())
    print("now:", pool(now))
    if args.before_home:
        with Store(Path(args.before_home) / "wotd.db") as store:
            before = store.lexicon()
        print("before:", pool(before))
        era = {e.word: e.era for e in now}
        print("eras changed:", sum(1 for e in before if e.word in era and era[e.word] != e.era))
        own = {e.word: e.etymology for e in now}
        lost = sorted(e.word for e in before if e.etymology and not own.get(e.word))
        shown = {e.word: e.etymology for e in before}
        print(f"lost their shown etymology: {len(lost)}; 40 drawn with seed 101:")
        for w in random.Random(101).sample(lost, min(40, len(lost))):
            print(f"  {w:16s} | {shown[w][:75]}")


if __name__ == "__main__":
    main()
