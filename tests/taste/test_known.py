"""Known words (Easy twice in review) and today's word: never a known word, words near one passed over,
the same word for the same date and stored data, on every learner."""

import numpy as np
import pytest

from wotd_mlx.errors import WotdError
from wotd_mlx.taste.known import KnownConfig, known_positions, mark_known, near_mask
from wotd_mlx.taste.learner import LEARNERS, LearnerConfig, Rating, choose
from wotd_mlx.taste.service import space

NOON = "2027-01-{:02d}T12:00:00+00:00"


def _when(day: int):
    from datetime import datetime

    return datetime.fromisoformat(NOON.format(day))


def _show_and_know(w, days: range, profile: str = "default") -> list[str]:
    """Ask for each day's word and review it right and Easy twice: the words become known in the store."""
    words = []
    for day in days:
        word = w.today(f"2027-01-{day:02d}", profile)["word"]
        assert mark_known(w, profile, word, _when(day))
        words.append(word)
    return words


def test_words_reviewed_easy_twice_become_known_through_the_review_store(w):
    words = _show_and_know(w, range(1, 4))
    from wotd_mlx.keep.review import known_words

    assert known_words(w.store, "default") == words
    assert known_positions(w, "default") == [w.index.position[x] for x in words]


@pytest.mark.parametrize("learner", LEARNERS)
def test_a_known_word_is_never_picked_and_near_ones_are_passed_over(w, learner):
    sp = space(w)
    sea = [int(p) for p in sp.pool if sp.words[p].startswith("sea")]
    known = sea[: len(sea) // 2]
    likes = [Rating(p, 1) for p in sea[len(sea) // 2 : len(sea) // 2 + 3]]  # the taste points at the sea
    cfg = KnownConfig()
    near_any = 0
    for day in range(1, 21):
        date = f"2027-04-{day:02d}"
        pick = choose(sp, likes, set(), date, "p", learner, known=known, known_cfg=cfg)
        assert pick.position not in known
        assert not near_mask(sp, known, np.array([pick.position]), cfg)[0]
        plain = choose(sp, likes, set(), date, "p", learner)  # the same inputs without known words
        near_any += bool(near_mask(sp, known, np.array([plain.position]), cfg)[0])
    if learner != "none":  # the taste leads into the known region, where the rule had work to do
        assert near_any > 0


def test_the_near_rule_gives_way_but_a_known_word_never_comes(w):
    sp = space(w)
    pool = [int(p) for p in sp.pool]
    known = pool[:-2]  # all but two candidates known: every other one is near a known word at cosine 0
    cfg = KnownConfig(near_cos=-1.0)
    for learner in LEARNERS:
        picks = {choose(sp, [], set(), f"2027-05-{d:02d}", "p", learner, known=known, known_cfg=cfg).position
                 for d in range(1, 8)}  # fmt: skip
        assert picks <= set(pool[-2:])
    with pytest.raises(WotdError, match="every candidate word is known"):
        choose(sp, [], set(), "2027-05-01", "p", "thompson", known=pool)


def test_todays_word_is_the_same_for_a_date_recomputed_from_stored_data(w):
    w.feedback("sea001", 1)
    w.feedback("song002", -1)
    known = _show_and_know(w, range(1, 5))
    first = w.today("2027-02-01")
    assert first["word"] not in known
    assert w.today("2027-02-01")["word"] == first["word"]
    w.store.db.execute("DELETE FROM history WHERE date = '2027-02-01'")  # chosen again from the same data
    again = w.today("2027-02-01")
    assert again["word"] == first["word"] and again["reason"] == first["reason"]


def test_why_names_the_words_passed_over(w):
    sp = space(w)
    sea = [int(p) for p in sp.pool if sp.words[p].startswith("sea")]
    likes = [Rating(p, 1) for p in sea[:3]]
    pick = choose(sp, likes, set(), "2027-06-01", "p", "thompson", known=sea[3:6], known_cfg=KnownConfig(0.0))
    note = pick.reason["known"]
    assert note["known"] == 3 and note["passed_over"] >= 1
    assert {x["known"] for x in note["like"]} <= {sp.words[p] for p in sea[3:6]}
    from wotd_mlx.taste.service import reason_text

    text = reason_text(pick.reason, w.axes)
    assert "like ones you know" in text and note["like"][0]["word"] in text


def test_the_benchmark_person_who_knows_words_with_and_without_the_rule(w, monkeypatch):
    from wotd_mlx.taste import service
    from wotd_mlx.taste.bench import BenchConfig, Person
    from wotd_mlx.taste.bench_known import Knower, render_known, run_known

    # the tiny home's clusters are looser than MiniLM's neighbourhoods (sea words: cosine 0.34 on average)
    monkeypatch.setattr(service, "KNOWN", KnownConfig(near_cos=0.3))
    sp = space(w)
    sea = np.array([x.startswith("sea") for x in sp.words])
    knows = sea & (np.arange(len(sp.words)) % 2 == 0)  # half the sea words: the other half are near ones
    knower = Knower("sea words", "topic", topic="seafaring")
    person = Person("sea lover", "topic", ("sea",))
    cfg = BenchConfig(days=20, reps=1, learners=("thompson",), people=())
    rows = run_known(w, cfg, (knower,), (person,), truth={"sea": sea}, known={"sea words": knows})
    (row,) = rows
    off, on = row["off"], row["on"]
    assert off["marked_known"] == 0 and on["marked_known"] > 0  # known only where the person reviews
    assert off["near_known_shown"] > 0 and on["near_known_shown"] == 0  # the rule's whole point
    assert on["known_or_near"] < off["known_or_near"] and on["known_shown"] < off["known_shown"]
    assert off["review_failed"] == on["review_failed"] == 0
    assert "| thompson | sea words | sea lover |" in render_known(rows)
    assert w.store.feedback() == [] and w.store.history() == []  # the home itself was only read


def test_the_uniform_draw_of_the_thompson_learner_skips_known_and_near_words_too(w):
    sp = space(w)
    known = [int(p) for p in sp.pool[::3]]
    cfg, kcfg = LearnerConfig(cold="uniform"), KnownConfig()
    dates = [f"2027-07-{d:02d}" for d in range(1, 16)]
    picks = [choose(sp, [], set(), date, "p", "thompson", cfg, known, kcfg) for date in dates]
    assert all(p.position not in known for p in picks)
    assert not near_mask(sp, known, np.array([p.position for p in picks]), kcfg).any()
    again = choose(sp, [], set(), "2027-07-01", "p", "thompson", cfg, known, kcfg)
    assert again.position == picks[0].position  # the same draw for the same date and data
