"""The learner on a small real feature space: it learns a liked region, follows a changed taste, explores on a
cold start, and is deterministic per (date, profile)."""

import numpy as np
import pytest

from wotd_mlx.taste.learner import LearnerConfig, Rating, choose, posterior
from wotd_mlx.taste.service import space


@pytest.fixture
def sp(w):
    return space(w)


def live(sp, liked_prefix, days, start=0, ratings=None, shown=None, profile="p"):
    """A person who likes words starting with `liked_prefix` uses the learner for `days` days."""
    ratings, shown, hits = ratings if ratings is not None else [], shown if shown is not None else set(), []
    for day in range(start, start + days):
        pos = choose(sp, ratings, shown, f"2027-{1 + day // 28:02d}-{1 + day % 28:02d}", profile).position
        shown.add(pos)
        liked = sp.words[pos].startswith(liked_prefix)
        ratings.append(Rating(pos, 1 if liked else -1))
        hits.append(liked)
    return hits, ratings, shown


def test_learns_a_liked_region_far_above_chance(sp):
    hits, _, _ = live(sp, "song", 30)
    assert np.mean(hits[10:]) >= 0.6  # chance is 1/3


def test_follows_a_changed_taste(sp):
    _, ratings, shown = live(sp, "sea", 20)
    hits, _, _ = live(sp, "leaf", 20, start=20, ratings=ratings, shown=shown)
    assert np.mean(hits[10:]) >= 0.6


def test_same_inputs_same_word_and_profiles_draw_apart(sp):
    rated = [Rating(int(sp.pool[0]), 1), Rating(int(sp.pool[200]), -1)]
    a = choose(sp, rated, set(), "2027-03-01", "alice").position
    assert a == choose(sp, list(rated), set(), "2027-03-01", "alice").position
    picks = {choose(sp, [], set(), "2027-03-01", f"p{i}").position for i in range(10)}
    assert len(picks) > 3  # cold start: each profile explores somewhere else


def test_never_repeats_or_returns_a_disliked_word(sp):
    _, ratings, shown = live(sp, "sea", 40)
    assert len(shown) == 40 and len({r.position for r in ratings}) == 40


def test_cold_start_explores_and_likes_explain_the_pick(sp):
    pick = choose(sp, [], set(), "2027-01-01", "p")
    assert pick.reason["kind"] == "exploring"
    _, ratings, shown = live(sp, "leaf", 15)
    pick = choose(sp, ratings, shown, "2027-06-01", "p")
    assert pick.reason["kind"] in ("taste", "exploring")
    if pick.reason["kind"] == "taste":  # a confident pick names the liked words it is near
        assert pick.reason["near_likes"] and all(w.startswith("leaf") for w in pick.reason["near_likes"])


def test_decay_weighs_recent_ratings_more(sp):
    a, b = int(sp.pool[0]), int(sp.pool[150])
    cfg = LearnerConfig(decay=0.5)
    old_like = posterior(sp, [Rating(a, 1), Rating(b, -1)], cfg).mean
    new_like = posterior(sp, [Rating(b, -1), Rating(a, 1)], cfg).mean
    assert sp.features[a] @ new_like > sp.features[a] @ old_like


def test_held_back_skill_tells_a_taste_from_noise(sp):
    """Likes in one cluster predict each other (positive leave-one-out skill); likes at random do not."""
    rng = np.random.default_rng(3)
    rated = [int(p) for p in rng.choice(sp.pool, 40, replace=False)]
    taste = [Rating(p, 1 if sp.words[p].startswith("sea") else -1) for p in rated]
    noise = [Rating(p, 1 if rng.random() < 1 / 3 else -1) for p in rated]
    assert posterior(sp, taste, LearnerConfig()).skill > 0.1
    assert posterior(sp, noise, LearnerConfig()).skill < 0.05
    assert posterior(sp, taste[:1], LearnerConfig()).skill is None  # nothing to hold back against


def test_held_back_check_draws_uniformly_when_ratings_look_like_noise(sp):
    rng = np.random.default_rng(4)
    rated = [int(p) for p in rng.choice(sp.pool, 40, replace=False)]
    noise = [Rating(p, 1 if rng.random() < 1 / 3 else -1) for p in rated]
    on = LearnerConfig(check_likes=3)
    pick = choose(sp, noise, set(rated), "2027-05-01", "p", cfg=on)
    assert pick.reason["kind"] == "exploring" and "chance" in pick.reason["text"]
    assert choose(sp, noise, set(rated), "2027-05-01", "p", cfg=on).position == pick.position  # per date
    taste = [Rating(p, 1 if sp.words[p].startswith("song") else -1) for p in rated]
    off = choose(sp, taste, set(rated), "2027-05-01", "p").position  # a consistent taste passes the check
    assert choose(sp, taste, set(rated), "2027-05-01", "p", cfg=on).position == off


def test_an_unknown_cold_start_is_a_clear_error(sp):
    with pytest.raises(ValueError, match="unknown cold start 'warm'; allowed: thompson, uniform"):
        choose(sp, [], set(), "2027-01-01", "p", cfg=LearnerConfig(cold="warm"))
