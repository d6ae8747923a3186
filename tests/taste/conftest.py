"""A small real home for the taste tests: real SQLite, a real faiss index and a randomly initialised (tiny,
real) semantic encoder over 360 words in three meaning clusters, each word with a definition of its own, saved
as a finished run so both `Wotd.open` and the CLI use it. Building it takes well under a second."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import numpy as np
import pytest
from backends import TEST_BACKEND

from wotd_mlx.cli import main
from wotd_mlx.corpus import axis_names
from wotd_mlx.search import WordIndex
from wotd_mlx.semantic.encoder import SemanticEncoder
from wotd_mlx.semantic.params import init_weights
from wotd_mlx.session import Wotd
from wotd_mlx.store import LexEntry, Store

LEVELS = (8, 4, 4, 2)
DIM = 16
CLUSTERS = ("sea", "leaf", "song")
PER_CLUSTER = 120
VOCAB = (
    "river", "stone", "cloud", "ember", "willow", "copper", "lantern", "meadow", "harbour", "thistle",
    "falcon", "garnet", "orchard", "marble", "candle", "ribbon", "saddle", "quarry", "violet", "hammer",
    "spindle", "kettle", "anchor", "bramble", "cinder", "feather", "ginger", "hollow", "ivory", "juniper",
)  # fmt: skip


def make_home(home) -> None:
    """Write the lexicon, run files and a finished run row into `home`."""
    rng = np.random.default_rng(7)
    words_rng = np.random.default_rng(8)  # its own stream: the vectors stay those the other tests rely on
    centres = np.linalg.qr(rng.normal(size=(DIM, DIM)))[0][: len(CLUSTERS)]
    words, vecs, entries = [], [], []
    for c, name in enumerate(CLUSTERS):
        for i in range(PER_CLUSTER):
            v = centres[c] + 0.35 * rng.normal(size=DIM)
            word = f"{name}{i:03d}"
            words.append(word)
            vecs.append(v / np.linalg.norm(v))
            style, complexity, era = i % 8, 1 + i % 3, (c + i) % 4
            # a definition of its own, so that review items (known words) find distinct distractors
            x, y, z = words_rng.choice(VOCAB, size=3, replace=False)
            definition = f"a {name} word: the {x} or {y} of a {z}"
            entries.append(LexEntry(word, "n.", definition, "[AS. x]", "", 3.0, [], style, complexity, era))
    V = np.array(vecs, dtype=np.float32)
    run_dir = home / "runs" / "1"
    run_dir.mkdir(parents=True)
    codebook = rng.normal(size=(int(np.prod(LEVELS)), DIM))
    SemanticEncoder(LEVELS, DIM, 8, init_weights(DIM, 8, LEVELS), codebook, TEST_BACKEND).save(run_dir)
    WordIndex.build(V, words).save(run_dir)
    codes = np.array([[e.style, e.complexity, e.era, 0] for e in entries], dtype=np.int64)
    np.save(run_dir / "codes.npy", codes)
    (run_dir / "axes.json").write_text(json.dumps(axis_names(LEVELS)))
    with Store(home / "wotd.db") as store:
        store.replace_lexicon(entries)
        run_id = store.start_run(TEST_BACKEND, "test", str(run_dir), {})
        store.finish_run(run_id, "done", {}, {})


@pytest.fixture
def home(tmp_path):
    make_home(tmp_path)
    return tmp_path


@pytest.fixture
def w(home):
    store = Store(home / "wotd.db")
    yield Wotd.open(store, TEST_BACKEND)
    store.close()


@pytest.fixture
def dump(home):
    """dump() -> every row of the home's database, as SQL (to check that nothing changed)."""
    import sqlite3

    def read() -> list[str]:
        conn = sqlite3.connect(home / "wotd.db")
        try:
            return list(conn.iterdump())
        finally:
            conn.close()

    return read


@pytest.fixture
def cli(home, monkeypatch, capsys):
    """`wotd ARGS...` on the home: (exit code, parsed --json output or the text, stderr)."""
    monkeypatch.setenv("WOTD_HOME", str(home))
    monkeypatch.setenv("WOTD_BACKEND", TEST_BACKEND)

    def run(*args: str):
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, (json.loads(out) if code == 0 and "--json" in args else out), err

    return run


@pytest.fixture
def at_once():
    """at_once(*jobs): each job(wait) in its own thread, all released together by wait(); a job's exception is
    raised here, and a job still running after two minutes fails the test."""

    def run(*jobs: Callable[[Callable[[], None]], None]) -> None:
        start = threading.Barrier(len(jobs), timeout=60)
        errors: list[BaseException] = []

        def body(job) -> None:
            try:
                job(start.wait)
            except BaseException as exc:  # re-raised in the test thread below
                errors.append(exc)

        threads = [threading.Thread(target=body, args=(job,)) for job in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        if errors:
            raise errors[0]
        assert all(not t.is_alive() for t in threads)

    return run
