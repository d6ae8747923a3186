"""Today's word, ratings, undo, reset and profiles through the public `Wotd` API on a real SQLite home."""

import re

import pytest
from backends import TEST_BACKEND

from wotd_mlx.errors import WotdError
from wotd_mlx.session import Wotd
from wotd_mlx.store import Store
from wotd_mlx.taste import service
from wotd_mlx.taste.learner import LearnerConfig, Rating, posterior
from wotd_mlx.taste.service import space


def test_same_date_same_word_recomputed_from_the_stored_ratings(w):
    w.feedback("sea001", 1)
    w.feedback("leaf002", -1)
    first = w.today("2027-02-01")
    assert w.today("2027-02-01")["word"] == first["word"]
    # forget the recorded word: choosing again from the same stored ratings gives the same word
    w.store.db.execute("DELETE FROM history WHERE date = '2027-02-01'")
    assert w.today("2027-02-01")["word"] == first["word"]
    assert first["why"] and first["reason"]["kind"] in ("taste", "exploring")


def test_no_word_twice_and_never_a_disliked_one(w):
    w.feedback("song005", -1)
    words = [w.today(f"2027-03-{d:02d}")["word"] for d in range(1, 29)]
    assert len(set(words)) == len(words) and "song005" not in words


def test_undo_takes_back_the_last_rating_and_recomputes(w):
    w.feedback("sea001", 1)
    only_first = w.store.preference()["semantic_id"]
    w.feedback("song004", -1)
    out = w.undo()
    assert out["undone"] == {"word": "song004", "feedback": "dislike"} and out["n_feedback"] == 1
    assert [f["word"] for f in w.store.feedback()] == ["sea001"]
    assert w.store.preference()["semantic_id"] == only_first
    w.undo()
    assert w.store.feedback() == [] and w.store.preference() is None


def test_profiles_are_kept_apart(w):
    service.create_profile(w, "alice")
    w.feedback("sea001", 1, "alice")
    alice_pref = w.store.preference("alice")
    alice_day = w.today("2027-04-01", "alice")["word"]
    w.feedback("leaf001", 1)
    w.feedback("leaf002", -1)
    w.today("2027-04-01")
    assert [f["word"] for f in w.store.feedback("alice")] == ["sea001"]
    assert [f["word"] for f in w.store.feedback()] == ["leaf001", "leaf002"]
    assert w.store.preference("alice")["semantic_id"] == alice_pref["semantic_id"]
    assert w.today("2027-04-01", "alice")["word"] == alice_day
    assert w.undo("alice")["undone"]["word"] == "sea001"
    assert len(w.store.feedback()) == 2
    assert set(w.store.profiles()) == {"default", "alice"}


def test_a_skip_is_stored_weighs_less_than_a_dislike_and_can_be_undone(w):
    out = w.feedback("song003", 0)
    assert out["feedback"] == "skip" and out["n_feedback"] == 1
    assert [(f["word"], f["value"]) for f in w.store.feedback()] == [("song003", 0)]
    sp = space(w)
    liked, other = sp.index["song001"], sp.index["song003"]

    def score(value: int) -> float:  # after a like of a near word, how high song003 scores
        return float(
            posterior(sp, [Rating(liked, 1), Rating(other, value)], LearnerConfig()).mean @ sp.features[other]
        )

    assert score(-1) < score(0) < score(1)  # a skip pulls down, only less than a dislike
    assert w.today("2027-02-01")["word"] != "song003"  # a skipped word is not shown again
    assert w.undo()["undone"] == {"word": "song003", "feedback": "skip"}


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda w: w.feedback("notawordzz", 1), "unknown word"),
        (lambda w: w.feedback("sea001", 1, "bob"), "unknown profile 'bob'"),
        (lambda w: w.today("2027-01-01", "bob"), "unknown profile"),
        (lambda w: w.today("2027-13-01"), "YYYY-MM-DD"),
        (lambda w: w.undo(), "nothing to undo"),
        (lambda w: w.undo("bob"), "unknown profile"),
        (lambda w: w.feedback("sea001", 2), "+1 (like), -1 (dislike) or 0 (skip)"),
        (lambda w: service.create_profile(w, "Bad Name!"), "invalid profile name"),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(w, dump, call, message):
    before = dump()
    with pytest.raises(WotdError, match=re.escape(message)):
        call(w)
    assert dump() == before


def test_two_writers_at_once_lose_nothing_and_count_nothing_twice(home, at_once):
    """Two connections (as the app and the CLI are) rate and ask for the same dates at the same time."""
    rounds = 8
    results: dict[str, list] = {"a": [], "b": []}

    def writer(name: str, prefix: str):
        def job(wait) -> None:
            with Store(home / "wotd.db") as store:
                w = Wotd.open(store, TEST_BACKEND)
                wait()
                for i in range(rounds):
                    w.feedback(f"{prefix}{i:03d}", 1 if i % 2 else -1)
                    results[name].append(w.today(f"2027-05-{i + 1:02d}")["word"])

        return job

    at_once(writer("a", "sea"), writer("b", "song"))
    with Store(home / "wotd.db") as store:
        words = sorted(f["word"] for f in store.feedback())
        assert words == sorted(
            [f"sea{i:03d}" for i in range(rounds)] + [f"song{i:03d}" for i in range(rounds)]
        )
        assert store.preference()["n_feedback"] == 2 * rounds  # the last writer saw every rating
        assert results["a"] == results["b"]  # each date's word was chosen once
        assert len(store.history()) == rounds


def test_an_old_database_is_migrated_into_the_default_profile(tmp_path):
    import sqlite3

    conn = sqlite3.connect(tmp_path / "wotd.db")
    conn.executescript(
        "CREATE TABLE feedback (id INTEGER PRIMARY KEY, created REAL NOT NULL, word TEXT NOT NULL, "
        "value INTEGER NOT NULL);"
        "CREATE TABLE history (date TEXT PRIMARY KEY, word TEXT NOT NULL, run_id INTEGER NOT NULL);"
        "INSERT INTO feedback VALUES (1, 0, 'cat', 1);"
        "INSERT INTO history VALUES ('2026-01-01', 'cat', 1);"
    )
    conn.commit()
    conn.close()
    with Store(tmp_path / "wotd.db") as store:
        assert [f["word"] for f in store.feedback()] == ["cat"]
        assert store.history_word("2026-01-01") == "cat"
        store.record_history("2026-01-01", "dog", 1, profile="alice")
        assert (
            store.history_word("2026-01-01") == "cat" and store.history_word("2026-01-01", "alice") == "dog"
        )
    with Store(tmp_path / "wotd.db") as store:  # opening again migrates nothing twice
        assert len(store.history()) == 1
