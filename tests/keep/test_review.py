"""Review with FSRS on a small real home: what is due, the multiple-choice item and its distractors from
near neighbours, ratings that update the card, known words, undo, and "nothing due"."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from conftest import PLANTED, ZARBO

from wotd_mlx.errors import WotdError
from wotd_mlx.keep import distractors, lists, review

T0 = datetime(2031, 3, 1, 9, 0, tzinfo=timezone.utc)


def _show(store, w, word, date="2031-02-01", profile="default"):
    store.record_history(date, word, w.run.id, profile)


def _right(w, word, now=T0, profile=None):
    """The right option's number, found the way a person would: by reading the definitions."""
    item = review.item(w, profile, now)["item"]
    assert item["word"] == word
    definition = distractors.mask(w.store.entries([word])[word].definition, word)
    (n,) = [o["number"] for o in item["options"] if o["definition"] == definition]
    return n


def test_due_words_come_from_history_and_keeps(store, w, words):
    assert review.due(store, None, T0)["due"] == 0
    msg = review.item(w, None, T0)
    assert msg["item"] is None and "nothing to review yet" in msg["message"]
    _show(store, w, words[0])
    lists.add_favourite(store, None, words[1])
    lists.create(store, None, "l")
    lists.add(store, None, "l", [words[2], words[0]])
    state = review.due(store, None, T0)
    assert state["words"] == [words[0], words[1], words[2]] and state["new"] == 3


def test_again_comes_back_sooner_than_easy_and_easy_twice_is_known(store, w, words):
    a, b = words[:2]
    _show(store, w, a)
    _show(store, w, b, "2031-02-02")
    ra = review.answer(w, None, a, _right(w, a), "again", T0)
    rb = review.answer(w, None, b, _right(w, b), "easy", T0)
    assert ra["correct"] and rb["correct"]
    assert ra["interval_days"] < rb["interval_days"]
    assert datetime.fromisoformat(ra["next_due"]) < datetime.fromisoformat(rb["next_due"])
    assert not rb["known"] and review.known_words(store, None) == []
    later = datetime.fromisoformat(rb["next_due"]) + timedelta(minutes=1)
    assert b in review.due(store, None, later)["words"]
    item = review.item(w, None, later)["item"]
    while item["word"] != b:  # a (Again, due in a minute) comes first: answer it Good
        review.answer(w, None, item["word"], _right(w, item["word"], later), "good", later)
        item = review.item(w, None, later)["item"]
    rb2 = review.answer(w, None, b, _right(w, b, later), "easy", later)
    assert rb2["known"] and review.known_words(store, None) == [b]
    assert rb2["interval_days"] > rb["interval_days"]


def test_a_wrong_choice_counts_as_again(store, w, words):
    _show(store, w, words[0])
    right = _right(w, words[0])
    out = review.answer(w, None, words[0], 1 + right % 4, "easy", T0)
    assert not out["correct"] and out["rating"] == "again" and out["rating_given"] == "easy"
    assert out["answer"] == right and out["options"][right - 1]["word"] == words[0]
    assert out["interval_days"] < 1


def test_again_forgets_known(store, w, words):
    a = words[0]
    _show(store, w, a)
    now = T0
    for rating in ("easy", "easy", "again"):
        out = review.answer(w, None, a, _right(w, a, now), rating, now)
        now = datetime.fromisoformat(out["next_due"]) + timedelta(seconds=1)
        if rating == "easy" and out["known"]:
            assert review.known_words(store, None) == [a]
    assert not out["known"] and review.known_words(store, None) == []


def test_answers_that_cannot_be_taken_change_nothing(store, w, words, dump):
    _show(store, w, words[0])
    review.answer(w, None, words[0], _right(w, words[0]), "good", T0)
    before = dump()
    for args, message in (
        ((words[0], 1, "good"), "is not due now"),  # answered a moment ago
        ((words[5], 1, "good"), "is not in the review of profile 'default'"),
        ((words[0], 7, "good"), "option's number, 1-4"),
        ((words[0], 1, "meh"), "unknown rating 'meh'"),
    ):
        with pytest.raises(WotdError, match=message):
            review.answer(w, None, *args, now=T0)
    assert dump() == before
    state = review.item(w, None, T0)
    assert state["item"] is None
    assert state["message"].startswith("nothing due now (1 words in review, 0 known)")


def test_undo_puts_the_card_back(store, w, words, dump):
    _show(store, w, words[0])
    review.due(store, None, T0)  # creates the keep tables: the state before any review
    fresh = dump()
    first = review.answer(w, None, words[0], _right(w, words[0]), "good", T0)
    after_first = dump()
    t1 = datetime.fromisoformat(first["next_due"]) + timedelta(seconds=1)
    review.answer(w, None, words[0], _right(w, words[0], t1), "easy", t1)
    assert review.undo(store, None)["undone"] == f"review of {words[0]} (easy)"
    assert dump() == after_first
    assert review.undo(store, None)["undone"] == f"review of {words[0]} (good)"
    assert dump() == fresh
    with pytest.raises(WotdError, match="nothing to undo"):
        review.undo(store, None)


def test_item_options_are_fixed_until_answered(store, w, words):
    _show(store, w, words[0])
    one, two = review.item(w, None, T0)["item"], review.item(w, None, T0)["item"]
    assert one == two and len({o["definition"] for o in one["options"]}) == 4


def test_distractors_are_near_neighbours_and_skip_synonyms(store, w):
    word, definition = ZARBO
    lists.add_favourite(store, None, word)
    _, chosen, rejected = review.options_for(w, word)
    why = {r.word: r.rule for r in rejected}
    assert why == {p[0]: p[2] for p in PLANTED}  # each planted near-synonym, for its reason
    sims = w.index.matrix() @ w.index.vectors([word])[0]
    near = {w.index.words[i] for i in np.argsort(-sims)[: len(PLANTED) + 1 + 3]}
    assert {x for x, _ in chosen} <= near  # the nearest words that pass, not random ones
    item = review.item(w, None, T0)["item"]
    assert {o["definition"] for o in item["options"]} == {definition, *(d for _, d in chosen)}


def test_distractor_rule_parts():
    assert distractors.same_stem("abate", "abatement") and distractors.same_stem("lessens", "lessen")
    assert not distractors.same_stem("art", "artery") and not distractors.same_stem("river", "rival")
    assert distractors.mask("The act of abating; an abatement.", "abate") == "The act of ~; an ~."
    neighbours = [("lessen", "To make less."), ("rebate", "A deduction from a sum."), ("see", "See Abate."),
                  ("moan", "A low sound of pain."), ("dupe", "A deduction from a sum.")]  # fmt: skip
    chosen, rejected = distractors.choose("abate", "To lessen; to diminish.", neighbours, 3)
    assert [c for c, _ in chosen] == ["rebate", "moan"]
    assert {r.word: r.rule for r in rejected} == {"lessen": "mentions", "see": "mentions", "dupe": "unusable"}
    gl = {"abate": ["make less active"], "moan": ["make less active"]}
    chosen, rejected = distractors.choose("abate", "To lessen.", neighbours[3:4], 3, lambda x: gl.get(x, ()))
    assert chosen == [] and rejected[0].rule == "same synset"
