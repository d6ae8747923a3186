"""Favourites and named lists, per profile: add, remove, rename, browse, search within; every change can be
taken back (`undo`). Plain functions on a Store returning dicts, for the CLI and the app alike; words are
checked against the lexicon only, so lists work without opening a trained run."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import WotdError, shown, valid_text
from ..store import Store
from . import store as ks
from .store import FAVOURITES, check_list_name, check_profile, check_word

MAX_SEARCH = 1000  # characters of a search-within text


def _favourites_id(store: Store, profile: str, create: bool) -> int | None:
    lid = ks.list_id(store, profile, FAVOURITES)
    if lid is None and create:
        lid = ks.create_list(store, profile, FAVOURITES)
    return lid


def _named_id(store: Store, profile: str, name: str) -> int:
    lid = ks.list_id(store, profile, name)
    if lid is None:
        have = [r["name"] for r in ks.list_names(store, profile)]
        listed = ", ".join(map(shown, have)) if have else "none yet (`wotd list create NAME`)"
        raise WotdError(f"no list named {shown(name)} in profile {profile!r}; lists: {listed}")
    return lid


def _rows(store: Store, rows: list[dict]) -> list[dict]:
    entries = store.entries([r["word"] for r in rows])
    return [
        {
            "word": r["word"],
            "added": r["added"],
            "pos": entries[r["word"]].pos if r["word"] in entries else "",
            "definition": entries[r["word"]].definition if r["word"] in entries else "",
        }
        for r in rows
    ]


# ---- favourites -----------------------------------------------------------------------------------------
def add_favourite(store: Store, profile: str | None, word: str) -> dict:
    """Keep a word in the profile's favourites (already there: nothing changes)."""
    ks.ready(store)
    profile, word = check_profile(store, profile), check_word(store, word)
    with store.transaction():
        lid = _favourites_id(store, profile, create=True)
        new = ks.add_items(store, lid, [word])
        if new:
            ks.journal(
                store,
                profile,
                "fav",
                f"add {word} to favourites",
                [{"op": "remove_items", "list_id": lid, "words": new}],
            )
        n = len(ks.items(store, lid))
    return {"profile": profile, "word": word, "added": bool(new), "favourites": n}


def remove_favourite(store: Store, profile: str | None, word: str) -> dict:
    """Take a word out of the favourites; an error if it is not there."""
    ks.ready(store)
    profile = check_profile(store, profile)
    word = valid_text(word, f"the word {shown(word)}").strip().lower()
    with store.transaction():
        lid = _favourites_id(store, profile, create=False)
        _remove(store, profile, "fav", lid, word, "favourites")
        n = len(ks.items(store, lid))
    return {"profile": profile, "word": word, "removed": True, "favourites": n}


def favourites(store: Store, profile: str | None) -> dict:
    """The profile's favourites, oldest first, with their definitions."""
    ks.ready(store)
    profile = check_profile(store, profile)
    lid = _favourites_id(store, profile, create=False)
    return {"profile": profile, "list": None, "words": _rows(store, ks.items(store, lid)) if lid else []}


def _remove(store: Store, profile: str, scope: str, lid: int | None, word: str, where: str) -> None:
    row = None
    if lid is not None:
        sql = "SELECT added FROM keep_items WHERE list_id = ? AND word = ?"
        row = store.db.execute(sql, [lid, word]).fetchone()
    if row is None:
        raise WotdError(f"{shown(word)} is not in {where} of profile {profile!r}")
    store.db.execute("DELETE FROM keep_items WHERE list_id = ? AND word = ?", [lid, word])
    undo = [{"op": "add_items", "list_id": lid, "items": [[word, row[0]]]}]
    ks.journal(store, profile, scope, f"remove {word} from {where}", undo)


# ---- named lists ----------------------------------------------------------------------------------------
def create(store: Store, profile: str | None, name: str) -> dict:
    """A new, empty named list; an error if the profile has one of that name."""
    ks.ready(store)
    profile, name = check_profile(store, profile), check_list_name(name)
    with store.transaction():
        if ks.list_id(store, profile, name) is not None:
            raise WotdError(f"profile {profile!r} already has a list named {shown(name)}")
        lid = ks.create_list(store, profile, name)
        ks.journal(store, profile, "list", f"create list {name}", [{"op": "drop_list", "list_id": lid}])
    return {"profile": profile, "list": name, "created": True, "lists": ks.list_names(store, profile)}


def rename(store: Store, profile: str | None, old: str, new: str) -> dict:
    """Give a named list another name (not one the profile already uses)."""
    ks.ready(store)
    profile, old, new = check_profile(store, profile), check_list_name(old), check_list_name(new)
    with store.transaction():
        lid = _named_id(store, profile, old)
        if new == old:
            raise WotdError(f"the list is already named {shown(new)}")
        if ks.list_id(store, profile, new) is not None:
            raise WotdError(f"profile {profile!r} already has a list named {shown(new)}")
        store.db.execute("UPDATE keep_lists SET name = ? WHERE id = ?", [new, lid])
        ks.journal(
            store,
            profile,
            "list",
            f"rename list {old} to {new}",
            [{"op": "rename", "list_id": lid, "name": old}],
        )
    return {"profile": profile, "list": new, "renamed_from": old}


def delete(store: Store, profile: str | None, name: str) -> dict:
    """Delete a named list and its words (undo brings both back)."""
    ks.ready(store)
    profile, name = check_profile(store, profile), check_list_name(name)
    with store.transaction():
        lid = _named_id(store, profile, name)
        sql = "SELECT id, profile, name, created FROM keep_lists WHERE id = ?"
        lst = dict(
            zip(("id", "profile", "name", "created"), store.db.execute(sql, [lid]).fetchone(), strict=True)
        )
        kept = [[r["word"], r["added"]] for r in ks.items(store, lid)]
        store.db.execute("DELETE FROM keep_lists WHERE id = ?", [lid])
        ks.journal(
            store,
            profile,
            "list",
            f"delete list {name}",
            [{"op": "restore_list", "list": lst, "items": kept}],
        )
    return {"profile": profile, "list": name, "deleted": True, "words": len(kept)}


def add(store: Store, profile: str | None, name: str, words: Sequence[str]) -> dict:
    """Add lexicon words to a named list (one error naming every unknown word; then nothing is added)."""
    ks.ready(store)
    profile, name = check_profile(store, profile), check_list_name(name)
    clean, unknown = [], []
    for w in words:
        try:
            clean.append(check_word(store, w))
        except WotdError:
            unknown.append(w)
    if unknown or not clean:
        what = ", ".join(map(shown, unknown)) if unknown else "(none given)"
        raise WotdError(
            f"unknown word{'s' if len(unknown) > 1 else ''}: {what}; words must be in the lexicon"
        )
    with store.transaction():
        lid = _named_id(store, profile, name)
        new = ks.add_items(store, lid, clean)
        if new:
            ks.journal(
                store,
                profile,
                "list",
                f"add {', '.join(new)} to {name}",
                [{"op": "remove_items", "list_id": lid, "words": new}],
            )
        n = len(ks.items(store, lid))
    return {
        "profile": profile,
        "list": name,
        "added": new,
        "already": [w for w in clean if w not in new],
        "words": n,
    }


def remove(store: Store, profile: str | None, name: str, word: str) -> dict:
    """Take a word out of a named list; an error if it is not there."""
    ks.ready(store)
    profile, name = check_profile(store, profile), check_list_name(name)
    word = valid_text(word, f"the word {shown(word)}").strip().lower()
    with store.transaction():
        lid = _named_id(store, profile, name)
        _remove(store, profile, "list", lid, word, f"list {name}")
        n = len(ks.items(store, lid))
    return {"profile": profile, "list": name, "word": word, "removed": True, "words": n}


def show(store: Store, profile: str | None, name: str | None = None) -> dict:
    """A named list's words (oldest first); with no name, the profile's lists and their sizes."""
    ks.ready(store)
    profile = check_profile(store, profile)
    if name is None:
        return {"profile": profile, "lists": ks.list_names(store, profile)}
    name = check_list_name(name)
    return {
        "profile": profile,
        "list": name,
        "words": _rows(store, ks.items(store, _named_id(store, profile, name))),
    }


def search(
    store: Store, profile: str | None, text: str, name: str | None = None, favourites_only: bool = False
) -> dict:
    """Kept words (of one list, the favourites, or all the profile keeps) whose word or definition contains
    the text (case-insensitive)."""
    ks.ready(store)
    profile = check_profile(store, profile)
    needle = valid_text(text, "search text").strip().lower()
    if not needle or len(needle) > MAX_SEARCH:
        raise WotdError(f"give a search text of 1-{MAX_SEARCH} characters, got {len(needle)}")
    if favourites_only:
        lid = _favourites_id(store, profile, create=False)
        rows = ks.items(store, lid) if lid else []
    elif name is not None:
        rows = ks.items(store, _named_id(store, profile, check_list_name(name)))
    else:
        rows = [{"word": w, "added": 0.0} for w in ks.kept_words(store, profile)]
    hits = [r for r in _rows(store, rows) if needle in r["word"] or needle in r["definition"].lower()]
    return {"profile": profile, "list": name, "favourites": favourites_only, "text": needle, "words": hits}


def undo(store: Store, profile: str | None, scope: str) -> dict:
    """Take back the newest change to the favourites ("fav") or the named lists ("list")."""
    ks.ready(store)
    return ks.undo(store, check_profile(store, profile), scope)
