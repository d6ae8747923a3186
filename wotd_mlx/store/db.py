"""The SQLite database: lexicon, corpora, embedding cache, runs, feedback, preference, history.

Every write that belongs together happens in one transaction, so an interrupted or rejected command
leaves the database as it was.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .connection import Connections
from .schema import SCHEMA, SCHEMA_VERSION, LexEntry, Run, entry_row, from_blob, run_row, to_blob

__all__ = ["SCHEMA_VERSION", "LexEntry", "Run", "Store"]


class Store(Connections):
    """The app's SQLite database (one file, a connection per thread: connection.py); use as a context
    manager or call `close()`."""

    def __init__(self, path: Path | str):
        super().__init__(path)
        conn = self.db.conn
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(SCHEMA)
        self._migrate_profiles()
        self._migrate_lexicon_modern()
        # Written only when it changes: opening the database writes nothing, so reading works on a full disk.
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if version is None or version[0] != str(SCHEMA_VERSION):
            self.db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")

    def _migrate_profiles(self) -> None:
        """Schema 1 -> 2: feedback gains a profile column, history is keyed by (profile, date); existing
        rows belong to the "default" profile. Checked inside the write lock, so two processes opening an old
        database at once migrate it once."""

        def columns(table: str) -> set[str]:
            return {r[1] for r in self.db.execute(f"PRAGMA table_info({table})").fetchall()}

        if "profile" in columns("feedback") and "profile" in columns("history"):
            return
        with self.transaction():
            if "profile" not in columns("feedback"):
                self.db.execute("ALTER TABLE feedback ADD COLUMN profile TEXT NOT NULL DEFAULT 'default'")
            if "profile" not in columns("history"):
                self.db.execute("ALTER TABLE history RENAME TO history_v1")
                self.db.execute(
                    "CREATE TABLE history (profile TEXT NOT NULL DEFAULT 'default', date TEXT NOT NULL, "
                    "word TEXT NOT NULL, run_id INTEGER NOT NULL, reason TEXT NOT NULL DEFAULT '{}', "
                    "PRIMARY KEY (profile, date))"
                )
                self.db.execute(
                    "INSERT INTO history (profile, date, word, run_id) "
                    "SELECT 'default', date, word, run_id FROM history_v1"
                )
                self.db.execute("DROP TABLE history_v1")

    def _migrate_lexicon_modern(self) -> None:
        """Schema 2 -> 3: the lexicon gains gloss and ipa columns ("" for the words stored before)."""
        have = {r[1] for r in self.db.execute("PRAGMA table_info(lexicon)").fetchall()}
        if {"gloss", "ipa"} <= have:
            return
        with self.transaction():
            have = {r[1] for r in self.db.execute("PRAGMA table_info(lexicon)").fetchall()}
            for col in ("gloss", "ipa"):
                if col not in have:  # another process may have added it while this one waited
                    self.db.execute(f"ALTER TABLE lexicon ADD COLUMN {col} TEXT NOT NULL DEFAULT ''")

    # ---- lexicon -------------------------------------------------------------------------------------
    def replace_lexicon(self, entries: Iterable[LexEntry]) -> int:
        rows = [{**asdict(e), "labels": json.dumps(e.labels)} for e in entries]
        with self.transaction():
            self.db.execute("DELETE FROM lexicon")
            self.db["lexicon"].insert_all(rows, batch_size=2000)
        return len(rows)

    def lexicon_size(self) -> int:
        return self.db.execute("SELECT count(*) FROM lexicon").fetchone()[0]

    def lexicon(self) -> list[LexEntry]:
        """All words, in a stable (alphabetical) order."""
        return [entry_row(r) for r in self.db.query("SELECT * FROM lexicon ORDER BY word")]

    def entries(self, words: Sequence[str]) -> dict[str, LexEntry]:
        """The entries for the given words that exist (exact match)."""
        out: dict[str, LexEntry] = {}
        for i in range(0, len(words), 500):
            chunk = list(words[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(f"SELECT * FROM lexicon WHERE word IN ({marks})", chunk):
                out[r["word"]] = entry_row(r)
        return out

    # ---- corpora -------------------------------------------------------------------------------------
    def replace_corpora(self, source: str, corpora: Sequence[dict]) -> None:
        """Replace the corpora of one source; each dict has name, style, complexity, era and words
        (a list of (word, definition, split))."""
        with self.transaction():
            self.db.execute("DELETE FROM corpora WHERE source = ?", [source])
            for c in corpora:
                cid = (
                    self.db["corpora"]
                    .insert({k: c[k] for k in ("name", "style", "complexity", "era")} | {"source": source})
                    .last_pk
                )
                self.db["corpus_words"].insert_all(
                    {"corpus_id": cid, "word": w, "definition": d, "split": s} for w, d, s in c["words"]
                )

    def corpora(self, source: str = "lexicon") -> list[dict]:
        """Corpora of one source with their words."""
        out = []
        for c in self.db.query("SELECT * FROM corpora WHERE source = ? ORDER BY id", [source]):
            words = list(
                self.db.query(
                    "SELECT word, definition, split FROM corpus_words WHERE corpus_id = ? ORDER BY word",
                    [c["id"]],
                )
            )
            out.append({**c, "words": words})
        return out

    # ---- embedding cache -----------------------------------------------------------------------------
    def cached_embeddings(self, model_id: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors for those texts that have one."""
        out: dict[str, np.ndarray] = {}
        uniq = list(dict.fromkeys(texts))
        for i in range(0, len(uniq), 500):
            chunk = uniq[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT text, vector FROM embeddings WHERE model_id = ? AND text IN ({marks})",
                [model_id, *chunk],
            )
            for text, blob in rows:
                out[text] = from_blob(blob)
        return out

    def put_embeddings(self, model_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            {"model_id": model_id, "text": t, "dim": int(v.shape[0]), "vector": to_blob(v)}
            for t, v in zip(texts, vectors, strict=True)
        ]
        with self.transaction():
            self.db["embeddings"].upsert_all(rows, pk=("model_id", "text"), batch_size=1000)

    def embedding_count(self, model_id: str | None = None) -> int:
        if model_id is None:
            return self.db.execute("SELECT count(*) FROM embeddings").fetchone()[0]
        return self.db.execute("SELECT count(*) FROM embeddings WHERE model_id = ?", [model_id]).fetchone()[0]

    # ---- runs ----------------------------------------------------------------------------------------
    def start_run(self, backend: str, embedder: str, path: str, config: dict) -> int:
        row = {
            "created": time.time(),
            "status": "running",
            "backend": backend,
            "embedder": embedder,
            "path": path,
            "config": json.dumps(config),
        }
        with self.transaction():
            return self.db["runs"].insert(row).last_pk

    def finish_run(self, run_id: int, status: str, metrics: dict, timings: dict) -> None:
        with self.transaction():
            self.db["runs"].update(
                run_id,
                {
                    "status": status,
                    "finished": time.time(),
                    "metrics": json.dumps(metrics),
                    "timings": json.dumps(timings),
                },
            )

    def run(self, run_id: int) -> Run | None:
        rows = list(self.db.query("SELECT * FROM runs WHERE id = ?", [run_id]))
        return run_row(rows[0]) if rows else None

    def last_run(self, status: str | None = "done") -> Run | None:
        """The newest run (with that status, if given)."""
        where, args = ("WHERE status = ?", [status]) if status else ("", [])
        rows = list(self.db.query(f"SELECT * FROM runs {where} ORDER BY id DESC LIMIT 1", args))
        return run_row(rows[0]) if rows else None

    def resumable_run(self) -> Run | None:
        """The newest run that stopped before finishing (interrupted, failed or killed)."""
        rows = list(
            self.db.query(
                "SELECT * FROM runs WHERE status IN ('interrupted', 'failed', 'running') "
                "ORDER BY id DESC LIMIT 1"
            )
        )
        return run_row(rows[0]) if rows else None

    def set_run_status(self, run_id: int, status: str) -> None:
        with self.transaction():
            self.db["runs"].update(run_id, {"status": status, "finished": None})

    # ---- LM training curve ---------------------------------------------------------------------------
    def add_curve_point(self, run_id: int, point: dict) -> None:
        with self.transaction():
            self.db["lm_curve"].insert({"run_id": run_id, **point}, replace=True)

    def trim_curve(self, run_id: int, after_step: int) -> None:
        """Forget points past a checkpoint (a resumed run trains those steps again)."""
        with self.transaction():
            self.db.execute("DELETE FROM lm_curve WHERE run_id = ? AND step > ?", [run_id, after_step])

    def curve(self, run_id: int) -> list[dict]:
        return list(self.db.query("SELECT * FROM lm_curve WHERE run_id = ? ORDER BY step", [run_id]))

    def mark_stale_runs(self) -> int:
        """Runs left "running" by a killed process become "interrupted"."""
        with self.transaction():
            return self.db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'").rowcount

    # ---- feedback, preference, history ---------------------------------------------------------------
    def add_feedback_and_preference(self, word: str, value: int, pref: dict) -> None:
        """Record a like (+1) or dislike (-1) for pref["profile"] and the preference it produced, together."""
        with self.transaction():
            self.db["feedback"].insert(
                {"created": time.time(), "word": word, "value": value, "profile": pref["profile"]}
            )
            self.db["preference"].upsert(
                {
                    **pref,
                    "vector": to_blob(pref["vector"]),
                    "semantic_id": json.dumps(pref["semantic_id"]),
                    "updated": time.time(),
                },
                pk="profile",
            )

    def feedback(self, profile: str = "default") -> list[dict]:
        """One profile's ratings, oldest first."""
        return list(
            self.db.query(
                "SELECT id, word, value, created FROM feedback WHERE profile = ? ORDER BY id", [profile]
            )
        )

    def delete_feedback(self, ids: Sequence[int]) -> None:
        """Forget ratings (undo, reset); the caller holds the transaction that also updates the preference."""
        with self.transaction():
            for i in ids:
                self.db.execute("DELETE FROM feedback WHERE id = ?", [i])

    def set_preference(self, profile: str, pref: dict | None) -> None:
        """Replace a profile's stored preference after an undo or a reset (None: forget it)."""
        with self.transaction():
            self.db.execute("DELETE FROM preference WHERE profile = ?", [profile])
            if pref is None:
                return
            self.db["preference"].insert(
                {
                    **pref,
                    "vector": to_blob(pref["vector"]),
                    "semantic_id": json.dumps(pref["semantic_id"]),
                    "updated": time.time(),
                },
            )

    def profiles(self) -> list[str]:
        """Every profile's name; "default" always exists."""
        names = [r["name"] for r in self.db.query("SELECT name FROM profiles ORDER BY name")]
        return sorted({"default", *names})

    def add_profile(self, name: str) -> None:
        with self.transaction():
            self.db["profiles"].insert({"name": name, "created": time.time()}, ignore=True)

    def preference(self, profile: str = "default") -> dict | None:
        rows = list(self.db.query("SELECT * FROM preference WHERE profile = ?", [profile]))
        if not rows:
            return None
        r = rows[0]
        return {**r, "vector": from_blob(r["vector"]).copy(), "semantic_id": json.loads(r["semantic_id"])}

    def history_word(self, date: str, profile: str = "default") -> str | None:
        rows = list(self.db.query("SELECT word FROM history WHERE profile = ? AND date = ?", [profile, date]))
        return rows[0]["word"] if rows else None

    def history_reason(self, date: str, profile: str = "default") -> dict:
        """Why the date's word was chosen (recorded with it; {} for words recorded before schema 2)."""
        sql = "SELECT reason FROM history WHERE profile = ? AND date = ?"
        rows = list(self.db.query(sql, [profile, date]))
        return json.loads(rows[0]["reason"]) if rows else {}

    def record_history(
        self, date: str, word: str, run_id: int, profile: str = "default", reason: dict | None = None
    ) -> None:
        with self.transaction():
            self.db["history"].insert(
                {
                    "profile": profile,
                    "date": date,
                    "word": word,
                    "run_id": run_id,
                    "reason": json.dumps(reason or {}),
                },
                replace=True,
            )

    def history(self, profile: str = "default") -> list[dict]:
        sql = "SELECT date, word FROM history WHERE profile = ? ORDER BY date"
        return list(self.db.query(sql, [profile]))
