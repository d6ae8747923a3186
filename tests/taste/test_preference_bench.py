"""The preference benchmark's statistics and its taste groups."""

import numpy as np

from wotd_mlx.taste.bench import PEOPLE, SEEDS, interval95


def test_interval_covers_the_rate_and_stays_open_when_every_life_scored_zero():
    lo, hi = interval95(np.array([0.1, 0.2, 0.3, 0.2]), 40, 200)
    assert lo < 0.2 < hi
    lo, hi = interval95(np.zeros(4), 0, 200)  # a normal interval would be 0-0: "surely below" any base
    assert lo == 0.0 and 0.01 < hi < 0.03


def test_interval_narrows_with_more_lives():
    rng = np.random.default_rng(0)
    few, many = rng.binomial(50, 0.03, 3) / 50, rng.binomial(50, 0.03, 30) / 50
    w_few = np.subtract(*interval95(few, int(few.sum() * 50), 150)[::-1])
    w_many = np.subtract(*interval95(many, int(many.sum() * 50), 1500)[::-1])
    assert w_many < w_few / 2


def test_held_out_tastes_have_their_own_seeds_and_kinds():
    held = [p for p in PEOPLE if p.group == "held-out"]
    tuning_modes = {m for p in PEOPLE if p.group == "tuning" for m in p.modes + p.later}
    assert len(held) >= 4 and {"topic", "noisy"} <= {p.kind for p in held}
    topics = {m for p in held for m in p.modes if m in SEEDS}
    assert topics and not topics & tuning_modes  # no held-out topic reuses a tuning topic's seeds
    assert all(p.lives > 1 for p in PEOPLE if p.flip)  # noisy people get more lives
