"""The tables of the words people keep: review cards and their logs, favourites and named lists, and an
undo journal, per profile, on the project's Store (same connection, same write lock and transactions).

Every write reads what it depends on inside its own write transaction (BEGIN IMMEDIATE after the Store's
lock file), so the app and the CLI writing at once each see the other's finished change, as ratings do.
Each change records its inverse in `keep_undo` in the same transaction; `undo` applies the newest one.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence

from ..errors import WotdError, shown, valid_text
from ..store import Store
from ..taste.profile_names import check_stored_profile

# AUTOINCREMENT: a deleted list's id is never given to another, so undoing its deletion can restore it
SCHEMA = """
CREATE TABLE IF NOT EXISTS keep_lists (
    id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, name TEXT NOT NULL, created REAL NOT NULL,
    UNIQUE (profile, name)
);
CREATE TABLE IF NOT EXISTS keep_items (
    list_id INTEGER NOT NULL REFERENCES keep_lists(id) ON DELETE CASCADE, word TEXT NOT NULL,
    added REAL NOT NULL, PRIMARY KEY (list_id, word)
);
CREATE TABLE IF NOT EXISTS keep_cards (
    profile TEXT NOT NULL, word TEXT NOT NULL, card TEXT NOT NULL, due REAL NOT NULL,
    easy INTEGER NOT NULL DEFAULT 0, known REAL, PRIMARY KEY (profile, word)
);
CREATE TABLE IF NOT EXISTS keep_reviews (
    id INTEGER PRIMARY KEY, profile TEXT NOT NULL, word TEXT NOT NULL, reviewed REAL NOT NULL,
    choice INTEGER NOT NULL, correct INTEGER NOT NULL, rating INTEGER NOT NULL, log TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS keep_undo (
    id INTEGER PRIMARY KEY, profile TEXT NOT NULL, scope TEXT NOT NULL, created REAL NOT NULL,
    what TEXT NOT NULL, ops TEXT NOT NULL
);
"""

FAVOURITES = ""  # the favourites' list name: no named list can have it (names are 1+ visible characters)
LIST_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,64}")
SCOPES = ("fav", "list", "review")  # what `undo` can take back: favourites, named lists, reviews


def ready(store: Store) -> Store:
    """The store with this module's tables (created once per Store: its threads share one file)."""
    if not getattr(store, "_keep_ready", False):
        # executescript would COMMIT an open transaction: create the tables before any caller opens one
        with store.transaction():
            for statement in filter(str.strip, SCHEMA.split(";")):
                store.db.execute(statement)
        store._keep_ready = True
    return store


def check_profile(store: Store, profile: str | None) -> str:
    """An existing profile's name ("default" when None), or an error naming the profiles there are."""
    return check_stored_profile(store, profile)


def check_word(store: Store, word: str) -> str:
    """A lexicon word, normalised (stripped, lowercase), or a clear error."""
    clean = valid_text(word, f"the word {shown(word)}").strip().lower()
    if not clean:
        raise WotdError("give a non-empty word")
    if not store.entries([clean]):
        n = store.lexicon_size()
        hint = (
            "; run `wotd train` first" if n == 0 else f' ({n} words); `wotd search "a meaning"` finds words'
        )
        raise WotdError(f"unknown word {shown(clean)}: words must be in the lexicon{hint}")
    return clean


def check_list_name(name: str) -> str:
    """A list name: 1-64 characters, no control characters, not blank."""
    clean = valid_text(name, f"the list name {shown(name)}").strip()
    if not LIST_NAME.fullmatch(clean):
        raise WotdError(
            f"invalid list name {shown(name)}: use 1-64 visible characters (spaces inside are fine)"
        )
    return clean


# ---- lists and items ------------------------------------------------------------------------------------
def list_id(store: Store, profile: str, name: str) -> int | None:
    row = store.db.execute(
        "SELECT id FROM keep_lists WHERE profile = ? AND name = ?", [profile, name]
    ).fetchone()
    return row[0] if row else None


def create_list(store: Store, profile: str, name: str, created: float | None = None) -> int:
    return (
        store.db["keep_lists"]
        .insert({"profile": profile, "name": name, "created": created or time.time()})
        .last_pk
    )


def list_names(store: Store, profile: str) -> list[dict]:
    """The profile's named lists (not favourites) with their sizes, by name."""
    sql = (
        "SELECT l.name, l.created, count(i.word) AS words FROM keep_lists l "
        "LEFT JOIN keep_items i ON i.list_id = l.id WHERE l.profile = ? AND l.name != ? "
        "GROUP BY l.id ORDER BY l.name"
    )
    return list(store.db.query(sql, [profile, FAVOURITES]))


def items(store: Store, lid: int) -> list[dict]:
    """A list's words, oldest added first."""
    sql = "SELECT word, added FROM keep_items WHERE list_id = ? ORDER BY added, word"
    return list(store.db.query(sql, [lid]))


def kept_words(store: Store, profile: str) -> list[str]:
    """Every word in the profile's favourites or lists, each once, oldest kept first."""
    sql = (
        "SELECT i.word, min(i.added) AS first FROM keep_items i JOIN keep_lists l ON l.id = i.list_id "
        "WHERE l.profile = ? GROUP BY i.word ORDER BY first, i.word"
    )
    return [r["word"] for r in store.db.query(sql, [profile])]


def add_items(store: Store, lid: int, words: Sequence[str], added: float | None = None) -> list[str]:
    """Add words to a list; returns those that were not in it already."""
    now = added or time.time()
    new = []
    for w in dict.fromkeys(words):
        cur = store.db.execute("INSERT OR IGNORE INTO keep_items VALUES (?, ?, ?)", [lid, w, now])
        if cur.rowcount:
            new.append(w)
    return new


# ---- the undo journal -----------------------------------------------------------------------------------
def journal(store: Store, profile: str, scope: str, what: str, ops: list[dict]) -> None:
    """Record how to take a change back (call inside the change's transaction)."""
    row = {"profile": profile, "scope": scope, "created": time.time(), "what": what, "ops": json.dumps(ops)}
    store.db["keep_undo"].insert(row)


def _apply(store: Store, op: dict) -> None:
    kind = op["op"]
    if kind == "remove_items":
        for w in op["words"]:
            store.db.execute("DELETE FROM keep_items WHERE list_id = ? AND word = ?", [op["list_id"], w])
    elif kind == "add_items":
        for w, added in op["items"]:
            store.db.execute("INSERT OR IGNORE INTO keep_items VALUES (?, ?, ?)", [op["list_id"], w, added])
    elif kind == "drop_list":
        store.db.execute("DELETE FROM keep_lists WHERE id = ?", [op["list_id"]])
    elif kind == "restore_list":
        lst = op["list"]
        values = [lst[k] for k in ("id", "profile", "name", "created")]
        store.db.execute("INSERT INTO keep_lists VALUES (?, ?, ?, ?)", values)
        _apply(store, {"op": "add_items", "list_id": lst["id"], "items": op["items"]})
    elif kind == "rename":
        store.db.execute("UPDATE keep_lists SET name = ? WHERE id = ?", [op["name"], op["list_id"]])
    elif kind == "restore_card":
        store.db.execute("DELETE FROM keep_cards WHERE profile = ? AND word = ?", [op["profile"], op["word"]])
        if op["card"] is not None:
            store.db["keep_cards"].insert(op["card"])
        store.db.execute("DELETE FROM keep_reviews WHERE id = ?", [op["review_id"]])
    else:  # a journal written by a newer version: refuse rather than half-undo
        raise WotdError(f"cannot undo a change of kind {kind!r} (written by a newer wotd?)")


def undo(store: Store, profile: str, scope: str) -> dict:
    """Take back the profile's newest change of a scope (fav, list, review); an error when there is none."""
    if scope not in SCOPES:
        raise WotdError(f"unknown undo scope {scope!r}; allowed: {', '.join(SCOPES)}")
    ready(store)
    with store.transaction():
        row = store.db.execute(
            "SELECT id, what, ops FROM keep_undo WHERE profile = ? AND scope = ? ORDER BY id DESC LIMIT 1",
            [profile, scope],
        ).fetchone()
        if row is None:
            names = {"fav": "favourites", "list": "lists", "review": "reviews"}
            raise WotdError(f"nothing to undo: profile {profile!r} has no changes to its {names[scope]}")
        for op in reversed(json.loads(row[2])):
            _apply(store, op)
        store.db.execute("DELETE FROM keep_undo WHERE id = ?", [row[0]])
    return {"profile": profile, "undone": row[1], "scope": scope}
