"""Progress of `wotd corpus generate`: per-cell request and token counters beside the synthetic corpora.

Words live in the ordinary `corpora`/`corpus_words` tables with source "synthetic"; this module adds
one table of per-cell counters and the levels the corpus was generated for (in `meta`). Every
accepted answer is committed in one transaction (its words, the cell's counters and its tokens), so
an interruption never leaves half an answer. Nothing here ever sees the API key.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from .db import Store

SOURCE = "synthetic"
TEST_EVERY = 10  # every 10th word of a cell is held out: the 10% test split of the lexicon corpora
_LEVELS_KEY = "synthetic_levels"

SCHEMA = """
CREATE TABLE IF NOT EXISTS synthetic_cells (
    style INTEGER NOT NULL, complexity INTEGER NOT NULL, era INTEGER NOT NULL,
    requests INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    model TEXT NOT NULL DEFAULT '',
    updated REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (style, complexity, era)
);
"""

Cell = tuple[int, int, int]  # (style, complexity, era)


def ensure_schema(store: Store) -> None:
    """Create the synthetic progress table if it is missing (idempotent)."""
    store.db.conn.executescript(SCHEMA)


def stored_levels(store: Store) -> tuple[int, int, int] | None:
    """The (style, complexity, era) levels the stored synthetic corpus was generated for, if any."""
    rows = list(store.db.query("SELECT value FROM meta WHERE key = ?", [_LEVELS_KEY]))
    return tuple(int(x) for x in rows[0]["value"].split(",")) if rows else None  # type: ignore[return-value]


def set_levels(store: Store, levels: Sequence[int]) -> None:
    """Record the levels of the synthetic corpus (its cells only make sense under those levels)."""
    with store.transaction():
        store.db["meta"].upsert({"key": _LEVELS_KEY, "value": ",".join(map(str, levels[:3]))}, pk="key")


def reset(store: Store) -> None:
    """Discard the whole synthetic corpus and its progress, in one transaction."""
    ensure_schema(store)
    with store.transaction():
        store.db.execute(
            "DELETE FROM corpus_words WHERE corpus_id IN (SELECT id FROM corpora WHERE source = ?)", [SOURCE]
        )
        store.db.execute("DELETE FROM corpora WHERE source = ?", [SOURCE])
        store.db.execute("DELETE FROM synthetic_cells")
        store.db.execute("DELETE FROM meta WHERE key = ?", [_LEVELS_KEY])


def all_words(store: Store) -> set[str]:
    """Every word already in the synthetic corpus (a word belongs to one cell only)."""
    rows = store.db.execute(
        "SELECT w.word FROM corpus_words w JOIN corpora c ON c.id = w.corpus_id WHERE c.source = ?", [SOURCE]
    )
    return {r[0] for r in rows}


def _corpus_id(store: Store, cell: Cell) -> int | None:
    # Found by source and cell rather than by a stored id, so that rewriting the synthetic corpora with
    # Store.replace_corpora (same cells) keeps the progress consistent.
    row = store.db.execute(
        "SELECT id FROM corpora WHERE source = ? AND style = ? AND complexity = ? AND era = ? ORDER BY id",
        [SOURCE, *cell],
    ).fetchone()
    return row[0] if row else None


def cell_words(store: Store, cell: Cell) -> list[str]:
    """The words of one cell in the order they were accepted."""
    rows = store.db.execute(
        "SELECT word FROM corpus_words WHERE corpus_id = ? ORDER BY rowid", [_corpus_id(store, cell)]
    )
    return [r[0] for r in rows]


def _bump(store: Store, cell: Cell, model: str, tokens: tuple[int, int], failed: int, rejected: int) -> None:
    store.db.execute(
        "INSERT INTO synthetic_cells (style, complexity, era, requests, failed, rejected, prompt_tokens, "
        "completion_tokens, model, updated) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (style, complexity, era) DO UPDATE SET requests = requests + 1, "
        "failed = failed + excluded.failed, rejected = rejected + excluded.rejected, "
        "prompt_tokens = prompt_tokens + excluded.prompt_tokens, "
        "completion_tokens = completion_tokens + excluded.completion_tokens, "
        "model = excluded.model, updated = excluded.updated",
        [*cell, failed, rejected, *tokens, model, time.time()],
    )


def commit_answer(
    store: Store,
    cell: Cell,
    name: str,
    words: Sequence[tuple[str, str]],
    tokens: tuple[int, int],
    model: str,
    rejected: int,
) -> int:
    """Store one accepted answer (its words, counters and tokens) atomically; return the cell's word count."""
    with store.transaction():
        _bump(store, cell, model, tokens, failed=0, rejected=rejected)
        if not words:
            return len(cell_words(store, cell))
        corpus_id = _corpus_id(store, cell)
        if corpus_id is None:
            row = {"name": name, "source": SOURCE, "style": cell[0], "complexity": cell[1], "era": cell[2]}
            corpus_id = store.db["corpora"].insert(row).last_pk
        (n,) = store.db.execute(
            "SELECT count(*) FROM corpus_words WHERE corpus_id = ?", [corpus_id]
        ).fetchone()
        store.db["corpus_words"].insert_all(
            {
                "corpus_id": corpus_id,
                "word": w,
                "definition": d,
                "split": "test" if (n + i + 1) % TEST_EVERY == 0 else "train",
            }
            for i, (w, d) in enumerate(words)
        )
        return n + len(words)


def record_failure(store: Store, cell: Cell, tokens: tuple[int, int], model: str) -> None:
    """Count a request whose answer was unusable (its tokens were still spent); stores no words."""
    with store.transaction():
        _bump(store, cell, model, tokens, failed=1, rejected=0)


def progress(store: Store) -> list[dict]:
    """Per-cell counters and word counts, in cell order."""
    ensure_schema(store)
    return list(
        store.db.query(
            "SELECT s.style, s.complexity, s.era, c.name, "
            "(SELECT count(*) FROM corpus_words w WHERE w.corpus_id = c.id) AS words, "
            "s.requests, s.failed, s.rejected, s.prompt_tokens, s.completion_tokens, s.model "
            "FROM synthetic_cells s LEFT JOIN corpora c ON c.source = ? AND c.style = s.style "
            "AND c.complexity = s.complexity AND c.era = s.era "
            "ORDER BY s.style, s.complexity, s.era",
            [SOURCE],
        )
    )
