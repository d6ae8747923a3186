"""Favourites and named lists on real SQLite: add, remove, rename, browse, search within, per profile,
every change undoable, bad input changing nothing."""

from __future__ import annotations

import pytest

from wotd_mlx.errors import WotdError
from wotd_mlx.keep import lists


def _names(result: dict) -> list[str]:
    return [r["word"] for r in result["words"]]


def test_favourites_add_remove_list_search(store, words):
    a, b = words[:2]
    assert lists.add_favourite(store, None, f"  {a.upper()} ")["added"] is True  # normalised
    assert lists.add_favourite(store, None, a)["added"] is False  # already there: nothing changes
    lists.add_favourite(store, None, b)
    assert _names(lists.favourites(store, None)) == [a, b]
    assert lists.favourites(store, None)["words"][0]["definition"]
    assert _names(lists.search(store, None, b[2:6], favourites_only=True)) == [b]
    lists.remove_favourite(store, None, a)
    assert _names(lists.favourites(store, None)) == [b]


def test_bad_input_changes_nothing(store, words, dump):
    lists.create(store, None, "trip")
    before = dump()
    for call, message in (
        (lambda: lists.add_favourite(store, None, "notaword"), "unknown word 'notaword'"),
        (lambda: lists.add_favourite(store, None, "   "), "non-empty word"),
        (lambda: lists.remove_favourite(store, None, words[0]), "is not in favourites"),
        (lambda: lists.add_favourite(store, "nobody", words[0]), "unknown profile 'nobody'"),
        (lambda: lists.create(store, None, "trip"), "already has a list named 'trip'"),
        (lambda: lists.create(store, None, "  "), "invalid list name"),
        (lambda: lists.add(store, None, "trip", [words[0], "zzz1", "zzz2"]), "unknown words: 'zzz1', 'zzz2'"),
        (lambda: lists.add(store, None, "nope", [words[0]]), "no list named 'nope'"),
        (lambda: lists.rename(store, None, "trip", "trip"), "already named"),
        (lambda: lists.search(store, None, ""), "search text of 1-"),
        (lambda: lists.undo(store, None, "fav"), "nothing to undo"),
    ):
        with pytest.raises(WotdError, match=message):
            call()
    assert dump() == before


def _rows(sql: list[str]) -> list[str]:
    return [s for s in sql if "sqlite_sequence" not in s]  # AUTOINCREMENT's counter stays (by design)


def test_named_lists_and_undo_of_each_change(store, words, dump):
    lists.show(store, None)  # creates the keep tables: the state before any change
    empty = _rows(dump())
    lists.create(store, None, "sea words")
    lists.add(store, None, "sea words", words[:3])
    lists.remove(store, None, "sea words", words[1])
    lists.rename(store, None, "sea words", "ocean")
    lists.create(store, None, "other")
    assert [x["name"] for x in lists.show(store, None)["lists"]] == ["ocean", "other"]
    assert _names(lists.show(store, None, "ocean")) == [words[0], words[2]]
    assert _names(lists.search(store, None, words[2], "ocean")) == [words[2]]
    assert _names(lists.search(store, None, words[2])) == [words[2]]  # across every list
    snapshots = [dump()]
    lists.delete(store, None, "ocean")
    assert [x["name"] for x in lists.show(store, None)["lists"]] == ["other"]
    lists.undo(store, None, "list")  # the delete: the list and its words come back as they were
    assert dump() == snapshots[0]
    renamed, removed = "rename list sea words to ocean", f"remove {words[1]} from list sea words"
    for undone in ("create list other", renamed, removed):
        assert lists.undo(store, None, "list")["undone"] == undone
    assert _names(lists.show(store, None, "sea words")) == words[:3]
    lists.undo(store, None, "list")
    lists.undo(store, None, "list")
    assert lists.show(store, None)["lists"] == []
    assert _rows(dump()) == empty


def test_profiles_are_kept_apart(store, words):
    store.add_profile("ana")
    lists.add_favourite(store, "ana", words[0])
    lists.add_favourite(store, None, words[1])
    lists.create(store, "ana", "mine")
    assert _names(lists.favourites(store, "ana")) == [words[0]]
    assert _names(lists.favourites(store, None)) == [words[1]]
    assert lists.show(store, None)["lists"] == []
    with pytest.raises(WotdError, match="nothing to undo"):
        lists.undo(store, None, "list")  # ana's list is ana's to undo
    assert lists.undo(store, "ana", "fav")["undone"] == f"add {words[0]} to favourites"
    assert _names(lists.favourites(store, None)) == [words[1]]
