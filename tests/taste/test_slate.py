"""The first-day slate: a deterministic cover of the candidates, rated through the ordinary feedback path."""

import numpy as np

from wotd_mlx.taste.slate import cover, slate


def test_cover_takes_the_farthest_point_each_time():
    pts = np.array([[0.0, 0], [0.1, 0], [10, 0], [0, 12], [9.9, 0.1]])
    assert cover(pts, 3, 0) == [0, 3, 2]  # then 2 (or 4) is farther than 1: no near-duplicate
    assert len(cover(pts, 9, 1)) == 5


def test_slate_spans_every_cluster_and_is_the_same_for_a_profile(w):
    s = slate(w, None)
    words = [x["word"] for x in s["words"]]
    assert len(words) == 12 == len(set(words))
    assert {x[:-3] for x in words} == {"sea", "leaf", "song"}  # the three meaning clusters all appear
    assert slate(w, None) == s
    w.store.add_profile("bob")
    assert [x["word"] for x in slate(w, "bob")["words"]] != words  # another profile starts elsewhere


def test_start_rates_through_feedback_is_undoable_and_drops_rated_words(cli, dump):
    code, shown, _ = cli("start", "--json")
    assert code == 0 and len(shown["words"]) == 12
    first, second = shown["words"][0]["word"], shown["words"][1]["word"]
    code, out, _ = cli("start", "--rate", f"{first}=like,{second}=dislike", "--json")
    assert code == 0 and [x["feedback"] for x in out["rated"]] == ["like", "dislike"]
    again = [x["word"] for x in cli("start", "--json")[1]["words"]]
    assert first not in again and second not in again
    assert cli("feedback", "--undo")[0] == 0  # the dislike goes back like any other rating
    before = dump()
    code, _, err = cli("start", "--rate", f"{first}=like,nosuchword=like")
    assert code == 2 and "nosuchword" in err and dump() == before  # one bad word: nothing written
    code, _, err = cli("start", "--rate", f"{first}=maybe")
    assert code == 2 and "word=like" in err and dump() == before


def test_the_benchmark_person_rates_the_slate_on_day_0_with_their_own_taste(w):
    from wotd_mlx.taste.bench import BenchConfig, Person, simulate

    sea = np.array([x.startswith("sea") for x in w.index.words])
    person = Person("sea lover", "topic", ("sea",))
    seen: list[list[dict]] = []

    def shown(ws, profile, date, pos, rep):
        if not seen:
            seen.append(ws.store.feedback(profile))  # the ratings before day 1's own: the slate's
        return {}

    cfg = BenchConfig(days=3, reps=1, learners=("thompson",), people=(person,), slate=True)
    records = simulate(w, "thompson", cfg, {"sea": sea}, lambda: None, shown)
    assert len(records) == 3
    slate_rows = seen[0][:-1]  # the last is day 1's rating
    assert len(slate_rows) == 12
    assert {f["value"] for f in slate_rows} == {1, -1}  # liked exactly the slate's sea words
    assert all((f["value"] == 1) == f["word"].startswith("sea") for f in slate_rows)
    assert w.store.feedback() == []  # the home itself was only read


def test_two_writers_rate_their_slates_at_once_and_keep_their_profiles_apart(home, at_once):
    """Two connections (as the app and the CLI are) answer two profiles' slates and ask for the day's word at
    the same time: every answer lands once, in its own profile."""
    from backends import TEST_BACKEND

    from wotd_mlx.session import Wotd
    from wotd_mlx.store import Store
    from wotd_mlx.taste.slate import rate

    with Store(home / "wotd.db") as store:
        store.add_profile("ann")
        store.add_profile("bob")
        w = Wotd.open(store, TEST_BACKEND)
        answers = {
            p: {x["word"]: (1, -1, 0)[i % 3] for i, x in enumerate(slate(w, p)["words"])}
            for p in ("ann", "bob")
        }

    def writer(profile: str):
        def job(wait) -> None:
            with Store(home / "wotd.db") as store:
                w = Wotd.open(store, TEST_BACKEND)
                wait()
                for word, value in answers[profile].items():  # one at a time, so the two interleave
                    rate(w, profile, {word: value})
                    w.today("2027-05-01", profile)

        return job

    at_once(writer("ann"), writer("bob"))
    with Store(home / "wotd.db") as store:
        for profile, given in answers.items():
            stored = {f["word"]: f["value"] for f in store.feedback(profile)}
            assert stored == given and len(store.feedback(profile)) == len(given)
        w = Wotd.open(store, TEST_BACKEND)
        assert not {x["word"] for x in slate(w, "ann")["words"]} & set(answers["ann"])  # rated: not offered
