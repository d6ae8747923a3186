"""The database's tables and the rows the rest of the package reads from them."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

# 2: named profiles (feedback.profile, history keyed by profile and date); 3: lexicon.gloss and lexicon.ipa
SCHEMA_VERSION = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lexicon (
    word TEXT PRIMARY KEY, pos TEXT NOT NULL, definition TEXT NOT NULL, etymology TEXT NOT NULL,
    example TEXT NOT NULL, zipf REAL NOT NULL, labels TEXT NOT NULL,
    style INTEGER NOT NULL, complexity INTEGER NOT NULL, era INTEGER NOT NULL,
    gloss TEXT NOT NULL DEFAULT '', ipa TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS corpora (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, source TEXT NOT NULL,
    style INTEGER NOT NULL, complexity INTEGER NOT NULL, era INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS corpus_words (
    corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
    word TEXT NOT NULL, definition TEXT NOT NULL, split TEXT NOT NULL,
    PRIMARY KEY (corpus_id, word)
);
CREATE TABLE IF NOT EXISTS embeddings (
    model_id TEXT NOT NULL, text TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (model_id, text)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, created REAL NOT NULL, finished REAL, status TEXT NOT NULL,
    backend TEXT NOT NULL, embedder TEXT NOT NULL, path TEXT NOT NULL,
    config TEXT NOT NULL, metrics TEXT NOT NULL DEFAULT '{}', timings TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY, created REAL NOT NULL, word TEXT NOT NULL, value INTEGER NOT NULL,
    profile TEXT NOT NULL DEFAULT 'default'
);
CREATE TABLE IF NOT EXISTS profiles (name TEXT PRIMARY KEY, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS preference (
    profile TEXT PRIMARY KEY, run_id INTEGER NOT NULL, vector BLOB NOT NULL, semantic_id TEXT NOT NULL,
    n_feedback INTEGER NOT NULL, updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    profile TEXT NOT NULL DEFAULT 'default', date TEXT NOT NULL, word TEXT NOT NULL, run_id INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (profile, date)
);
CREATE TABLE IF NOT EXISTS lm_curve (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, step INTEGER NOT NULL,
    loss REAL NOT NULL, tokens_per_s REAL NOT NULL, trained_tokens INTEGER NOT NULL,
    peak_memory_mb REAL NOT NULL, elapsed_s REAL NOT NULL, PRIMARY KEY (run_id, step)
);
"""


@dataclass
class LexEntry:
    """One lexicon word with its dictionary data and its three axis labels."""

    word: str
    pos: str
    definition: str
    etymology: str
    example: str
    zipf: float
    labels: list[str]  # usage/field labels found in GCIDE, e.g. ["Obs.", "Bot."]
    style: int
    complexity: int
    era: int
    gloss: str = ""  # a modern gloss (Open English WordNet), "" where none is known
    ipa: str = ""  # American IPA from CMUdict, "" where none is known


@dataclass
class Run:
    """A recorded `wotd train` run; `path` holds its artifacts."""

    id: int
    created: float
    finished: float | None
    status: str  # running | done | failed | interrupted
    backend: str
    embedder: str
    path: str
    config: dict
    metrics: dict
    timings: dict


def to_blob(v: np.ndarray) -> bytes:
    """A vector as stored: float32 bytes."""
    return np.ascontiguousarray(v, dtype=np.float32).tobytes()


def from_blob(b: bytes) -> np.ndarray:
    """A stored vector back as float32 (read-only: it shares the bytes)."""
    return np.frombuffer(b, dtype=np.float32)


def entry_row(r: dict) -> LexEntry:
    """A lexicon row as a LexEntry."""
    return LexEntry(**{**r, "labels": json.loads(r["labels"])})


def run_row(r: dict) -> Run:
    """A runs row as a Run, its JSON columns decoded."""
    return Run(**{**r, **{k: json.loads(r[k]) for k in ("config", "metrics", "timings")}})
