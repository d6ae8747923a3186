import sqlite3
import threading

import numpy as np
import pytest

from wotd_mlx.store import LexEntry, Store


def entry(word: str, style: int = 0) -> LexEntry:
    return LexEntry(word, "n.", f"definition of {word}", "[AS. x]", "", 3.0, ["Obs."], style, 1, 2)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "wotd.db") as s:
        yield s


def test_lexicon_roundtrip_and_replace(store):
    store.replace_lexicon([entry("cat"), entry("ant", style=3)])
    assert [e.word for e in store.lexicon()] == ["ant", "cat"]
    assert store.entries(["ant", "nope"])["ant"] == entry("ant", style=3)
    store.replace_lexicon([entry("dog")])
    assert store.lexicon_size() == 1


def test_transaction_rolls_back_everything(store):
    store.replace_lexicon([entry("cat")])
    with pytest.raises(RuntimeError), store.transaction():
        store.replace_lexicon([entry("dog"), entry("emu")])
        raise RuntimeError("boom")
    assert [e.word for e in store.lexicon()] == ["cat"]


def test_embedding_cache_keyed_by_model_and_text(store):
    v = np.arange(6, dtype=np.float32).reshape(2, 3)
    store.put_embeddings("m1", ["a", "b"], v)
    hits = store.cached_embeddings("m1", ["a", "b", "c", "a"])
    assert set(hits) == {"a", "b"}
    np.testing.assert_array_equal(hits["b"], v[1])
    assert store.cached_embeddings("m2", ["a"]) == {}
    assert store.embedding_count("m1") == 2


def test_runs_lifecycle_and_stale_runs(store):
    a = store.start_run("torch", "m", "/a", {"x": 1})
    store.finish_run(a, "done", {"acc": 0.9}, {"total_s": 1.0})
    b = store.start_run("torch", "m", "/b", {"x": 2})
    assert store.last_run("done").id == a
    assert store.last_run(None).id == b
    assert store.mark_stale_runs() == 1
    assert store.run(b).status == "interrupted"
    assert store.run(a).metrics == {"acc": 0.9}


def test_feedback_preference_history(store):
    vec = np.ones(4, dtype=np.float32) / 2
    store.add_feedback_and_preference(
        "cat",
        1,
        {"profile": "default", "run_id": 1, "vector": vec, "semantic_id": [1, 2, 3, 4], "n_feedback": 1},
    )
    pref = store.preference()
    np.testing.assert_array_equal(pref["vector"], vec)
    assert pref["semantic_id"] == [1, 2, 3, 4]
    assert [f["word"] for f in store.feedback()] == ["cat"]
    store.record_history("2026-01-01", "cat", 1)
    assert store.history_word("2026-01-01") == "cat"
    assert store.history_word("2026-01-02") is None


def test_reopen_keeps_data(tmp_path):
    with Store(tmp_path / "w.db") as s:
        s.replace_lexicon([entry("cat")])
    with Store(tmp_path / "w.db") as s:
        assert s.lexicon_size() == 1


def test_a_schema_2_lexicon_gains_gloss_and_ipa(tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE lexicon (word TEXT PRIMARY KEY, pos TEXT NOT NULL, definition TEXT NOT NULL, "
        "etymology TEXT NOT NULL, example TEXT NOT NULL, zipf REAL NOT NULL, labels TEXT NOT NULL, "
        "style INTEGER NOT NULL, complexity INTEGER NOT NULL, era INTEGER NOT NULL);"
        "INSERT INTO lexicon VALUES ('cat', 'n.', 'A feline.', '', '', 4.0, '[]', 0, 1, 2);"
    )
    conn.commit()
    conn.close()
    with Store(path) as s:
        (old,) = s.lexicon()
        assert (old.word, old.gloss, old.ipa) == ("cat", "", "")
        new = LexEntry(
            "dog", "n.", "A canine.", "", "", 4.0, [], 0, 1, 2, gloss="a domestic canid", ipa="dɔɡ"
        )
        s.replace_lexicon([old, new])
    with Store(path) as s:  # reopened: migrated once, the new fields kept
        assert s.entries(["dog"])["dog"] == new
        version = s.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        assert version == "3"


def test_threads_sharing_one_store_keep_their_own_transactions(store):
    """The app's request threads share one Store: each writes, reads and rolls back on its own connection,
    so one thread's savepoint or transaction is never released or committed by another's."""
    store.add_profile("p")
    n_threads, n_rounds = 6, 40
    errors: list[BaseException] = []
    start = threading.Barrier(n_threads)

    def work(t: int) -> None:
        try:
            start.wait()
            for i in range(n_rounds):
                if i % 5 == 4:  # a rejected write: everything in it is rolled back, on this thread only
                    with pytest.raises(RuntimeError), store.transaction():
                        store.db["feedback"].insert({"created": 0.0, "word": f"gone{t}-{i}", "value": 1})
                        assert store.profiles() == ["default", "p"]
                        raise RuntimeError("rejected")
                else:
                    with store.transaction():
                        store.db["feedback"].insert({"created": 0.0, "word": f"w{t}-{i}", "value": 1})
                assert store.last_run() is None and store.profiles() == ["default", "p"]
        except BaseException as exc:  # the main thread reports it
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(n_threads)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    words = {r["word"] for r in store.feedback()}
    assert words == {f"w{t}-{i}" for t in range(n_threads) for i in range(n_rounds) if i % 5 != 4}


def test_a_closed_store_says_so_on_every_thread(tmp_path):
    s = Store(tmp_path / "wotd.db")
    seen: list[Exception] = []

    def use() -> None:
        try:
            s.profiles()
        except sqlite3.ProgrammingError as exc:
            seen.append(exc)

    before = threading.Thread(target=use)  # a thread that opened its connection before the close
    before.start()
    before.join()
    s.close()
    use()
    after = threading.Thread(target=use)  # and one that never had one
    after.start()
    after.join()
    assert len(seen) == 2
