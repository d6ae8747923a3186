"""Tuning harness for the preference learner: the learner's `choose` called directly (no SQLite, ~4x faster
than `wotd bench preference`), on the same simulated people, dates and answer flips as the benchmark.

    WOTD_HOME=<copy of a trained home> python scripts/tune_preference.py tuning 6 '{"check_likes": 0}' ...

Arguments: the taste group (tuning | held-out | text | all; settings are chosen on "tuning" only), lives per
taste (noisy tastes get `Person.lives` times as many), `--slate` (each person first rates the first-day slate,
as `wotd bench preference --slate`) and one JSON of `LearnerConfig` fields per variant. Prints each taste's
like rate on days 11-60 with a 95% half-width over lives, its base rate, the number of lives and the median
day of the first like (a life without one counts as day 61).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time

import numpy as np

from wotd_mlx.session import Wotd
from wotd_mlx.store import Store
from wotd_mlx.taste.bench import PEOPLE, _flip, truth_sets
from wotd_mlx.taste.learner import LearnerConfig, Rating, choose
from wotd_mlx.taste.service import space
from wotd_mlx.taste.slate import slate_positions


def lives(sp, truth, cfg: LearnerConfig, group: str, reps: int, slate: bool, days: int = 60) -> dict:
    """Per taste: (like rate days 11-60, 95% half-width over lives, base rate, lives, median 1st like)."""
    out = {}
    for i, person in enumerate(PEOPLE):
        if group not in ("all", person.group):
            continue
        rates, firsts = [], []
        for rep in range(reps * person.lives):
            ratings, shown, liked_days = [], set(), []
            profile = f"bench-{i}-{rep}"
            if slate:
                for pos in slate_positions(sp, profile, set()):
                    ratings.append(Rating(pos, 1 if any(truth[m][pos] for m in person.modes) else -1))
            first = dt.date(2027, 1, 1) + dt.timedelta(days=rep * 97 + i * 7)  # the benchmark's dates
            for day in range(days):
                date = (first + dt.timedelta(days=day)).isoformat()
                modes = person.later if person.later and day >= person.switch else person.modes
                pos = choose(sp, ratings, shown, date, profile, "thompson", cfg).position
                shown.add(pos)
                liked = any(bool(truth[m][pos]) for m in modes)
                answer = liked != _flip(person.name, rep, day, person.flip)
                ratings.append(Rating(pos, 1 if answer else -1))
                liked_days.append(liked)
            rates.append(np.mean(liked_days[10:]))
            firsts.append(liked_days.index(True) + 1 if any(liked_days) else days + 1)
        r = np.array(rates)
        base = float(np.logical_or.reduce([truth[m][sp.pool] for m in person.modes]).mean())
        half = 1.96 * r.std(ddof=1) / np.sqrt(len(r)) if len(r) > 1 else float("nan")
        first = float(np.median(firsts))
        out[person.name] = (round(float(r.mean()), 3), round(float(half), 3), round(base, 3), len(r), first)
    return out


def main(argv: list[str]) -> None:
    slate = "--slate" in argv
    argv = [a for a in argv if a != "--slate"]
    group, reps = argv[0], int(argv[1])
    with Store(os.path.join(os.environ["WOTD_HOME"], "wotd.db")) as store:
        w = Wotd.open(store)
        sp, truth = space(w), truth_sets(w)
        for spec in argv[2:]:
            t0 = time.perf_counter()
            res = lives(sp, truth, LearnerConfig(**json.loads(spec)), group, reps, slate)
            print(f"{spec} ({time.perf_counter() - t0:.0f} s)")
            for name, (rate, half, base, n, first) in res.items():
                print(f"    {name}: {rate} +- {half} (base {base}, {n} lives), 1st like day {first}")
            rates = [v[0] for v in res.values()]
            lift = np.mean([v[0] / v[2] for v in res.values()])
            first = np.median([v[4] for v in res.values()])
            print(f"    mean {np.mean(rates):.3f}, lift {lift:.2f}x, median 1st like {first}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
