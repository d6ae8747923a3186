"""A small real home for the keep tests: real SQLite, a real faiss index and a tiny random semantic encoder
over 150 made-up words in three meaning clusters, each with its own definition, saved as a finished run so
that `Wotd.open` and the CLI use it. One word, "zarbo", has planted neighbours that the distractor rule must
reject (a derived form, words defined by each other, a near-duplicate definition). Builds in well under a
second."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest
from backends import TEST_BACKEND

from wotd_mlx.corpus import axis_names
from wotd_mlx.search import WordIndex
from wotd_mlx.semantic.encoder import SemanticEncoder
from wotd_mlx.semantic.params import init_weights
from wotd_mlx.session import Wotd
from wotd_mlx.store import LexEntry, Store

LEVELS = (8, 4, 4, 2)
DIM = 16
PER_CLUSTER = 50
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
VOCAB = (
    "river", "stone", "cloud", "ember", "willow", "copper", "lantern", "meadow", "harbour", "thistle",
    "falcon", "garnet", "orchard", "marble", "candle", "ribbon", "saddle", "quarry", "violet", "hammer",
    "spindle", "kettle", "anchor", "bramble", "cinder", "feather", "ginger", "hollow", "ivory", "juniper",
    "kestrel", "lichen", "mortar", "nettle", "oyster", "pebble", "quill", "rafter", "saffron", "tallow",
    "umber", "velvet", "wicker", "yarrow", "zephyr", "basalt", "cobalt", "dapple",
)  # fmt: skip
# zarbo's planted neighbours: (word, definition, why the rule rejects it)
PLANTED = [
    ("zarbotion", "The act or process of one who zarbos.", "same stem"),
    ("quibel", "Like a zarbo in manner; gentle.", "mentions"),
    ("lessen", "To become smaller in amount.", "mentions"),
    ("dupliva", "To make something lessen slowly, by degrees.", "near-duplicate"),
]
ZARBO = ("zarbo", "To make something lessen slowly.")


def _words(rng: np.random.Generator, n: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(SYLLABLES, size=3)))
    return sorted(out)


def make_home(home) -> None:
    """Write the lexicon, run files and a finished run row into `home`."""
    rng = np.random.default_rng(11)
    centres = np.linalg.qr(rng.normal(size=(DIM, DIM)))[0][:3]
    names = _words(rng, 3 * PER_CLUSTER)
    words, vecs, defs = [], [], []
    for i, word in enumerate(names):
        c = i % 3
        v = centres[c] + 0.35 * rng.normal(size=DIM)
        words.append(word)
        vecs.append(v / np.linalg.norm(v))
        picks = rng.choice(VOCAB, size=4, replace=False)
        defs.append(f"A {picks[0]} or {picks[1]} of the {picks[2]} kind, {picks[3]}-like.")
    zarbo = centres[0] / np.linalg.norm(centres[0])
    for k, (word, definition) in enumerate([ZARBO, *((w, d) for w, d, _ in PLANTED)]):
        v = zarbo + 0.02 * k * rng.normal(size=DIM)  # nearest to zarbo of all words
        words.append(word)
        vecs.append(v / np.linalg.norm(v))
        defs.append(definition)
    entries = [
        LexEntry(w, "v." if w == "zarbo" else "n.", d, "[L. zarbus]", f"They {w} it.", 3.0, [], i % 8,
                 1 + i % 3, i % 4)
        for i, (w, d) in enumerate(zip(words, defs, strict=True))
    ]  # fmt: skip
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
def home(tmp_path, monkeypatch):
    make_home(tmp_path)
    monkeypatch.setenv("WOTD_HOME", str(tmp_path))
    monkeypatch.setenv("WOTD_BACKEND", TEST_BACKEND)
    return tmp_path


@pytest.fixture
def store(home):
    s = Store(home / "wotd.db")
    yield s
    s.close()


@pytest.fixture
def w(store):
    return Wotd.open(store, TEST_BACKEND)


@pytest.fixture
def words(w) -> list[str]:
    """The made-up words (not the planted ones), in index order."""
    planted = {ZARBO[0], *(p[0] for p in PLANTED)}
    return [x for x in w.index.words if x not in planted]


@pytest.fixture
def dump(home):
    """dump() -> every row of the home's database, as SQL (to check that nothing changed)."""

    def read() -> list[str]:
        conn = sqlite3.connect(home / "wotd.db")
        try:
            return list(conn.iterdump())
        finally:
            conn.close()

    return read
