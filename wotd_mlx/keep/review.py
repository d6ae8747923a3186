"""Spaced-repetition review of the words a person was shown (word of the day) or kept (favourites, lists),
scheduled with FSRS (the `fsrs` package): "what does X mean?" among four definitions, the three wrong ones
from the word's near neighbours in meaning (distractors.py), then Again / Hard / Good / Easy.

Rules (also what the CLI and the app show):
- A word never reviewed is due at once; a reviewed one when FSRS says. Overdue cards come first (oldest due
  first), then new words in the order they were shown or kept.
- A wrong choice is reviewed as Again whatever rating was given: the card must come back soon.
- A word rated Easy (with the right choice) twice counts as known; an Again forgets that (known again after
  two more Easy answers). `known_words` lists them for the word of the day.
- An item's options are fixed by (profile, word, reviews so far), so `item` and a later `answer` agree.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import datetime, timezone

from fsrs import Card, Rating, Scheduler

from ..errors import WotdError, shown
from ..store import Store
from . import distractors as dis
from . import store as ks
from .store import check_profile

RATINGS = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
NAMES = {int(v): k for k, v in RATINGS.items()}


@dataclass
class ReviewConfig:
    """How reviews are scheduled and built (offline defaults)."""

    desired_retention: float = 0.9  # FSRS's target recall probability at the due date
    fuzz: bool = False  # FSRS interval fuzzing off: the same answers give the same schedule (tests, scripts)
    neighbours: int = 40  # distractors come from this many nearest words, then 200 if too few pass
    options: int = 4
    known_after_easy: int = 2


def _now(now: datetime | None) -> datetime:
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise WotdError("review times must carry a time zone")
    return now.astimezone(timezone.utc)


def _scheduler(cfg: ReviewConfig) -> Scheduler:
    return Scheduler(desired_retention=cfg.desired_retention, enable_fuzzing=cfg.fuzz)


def parse_rating(text: str | int) -> Rating:
    """again|hard|good|easy (or 1-4, or its first letter) -> an FSRS rating; else a clear error."""
    key = str(text).strip().lower()
    by_letter = {k[0]: v for k, v in RATINGS.items()}
    if key in RATINGS:
        return RATINGS[key]
    if key in by_letter:
        return by_letter[key]
    if key in {"1", "2", "3", "4"}:
        return Rating(int(key))
    raise WotdError(f"unknown rating {shown(text)}; allowed: again, hard, good, easy (or 1-4)")


# ---- what is due ----------------------------------------------------------------------------------------
def review_words(store: Store, profile: str) -> list[str]:
    """The words the profile reviews: those shown as word of the day, then those kept, each once, all in
    the lexicon."""
    words = [h["word"] for h in store.history(profile)] + ks.kept_words(store, profile)
    words = list(dict.fromkeys(words))
    present = store.entries(words)
    return [w for w in words if w in present]


def _cards(store: Store, profile: str) -> dict[str, dict]:
    rows = store.db.query("SELECT * FROM keep_cards WHERE profile = ?", [profile])
    return {r["word"]: r for r in rows}


def due(store: Store, profile: str | None, now: datetime | None = None) -> dict:
    """The profile's due words in review order, how many are new, and when the next card falls due."""
    ks.ready(store)
    profile, now = check_profile(store, profile), _now(now)
    cards = _cards(store, profile)
    words = review_words(store, profile)
    old = sorted((cards[w]["due"], w) for w in words if w in cards and cards[w]["due"] <= now.timestamp())
    new = [w for w in words if w not in cards]
    later = [cards[w]["due"] for w in words if w in cards and cards[w]["due"] > now.timestamp()]
    nxt = datetime.fromtimestamp(min(later), timezone.utc).isoformat() if later else None
    return {
        "profile": profile,
        "words": [w for _, w in old] + new,
        "due": len(old) + len(new),
        "new": len(new),
        "next_due": nxt,
        "reviewing": len(words),
        "known": len(known_words(store, profile)),
    }


def known_words(store: Store, profile: str | None) -> list[str]:
    """Words the profile knows (Easy twice, no Again since), oldest known first."""
    ks.ready(store)
    profile = check_profile(store, profile)
    sql = "SELECT word FROM keep_cards WHERE profile = ? AND known IS NOT NULL ORDER BY known, word"
    return [r["word"] for r in store.db.query(sql, [profile])]


# ---- items ----------------------------------------------------------------------------------------------
def _glosses():
    """Word -> its modern (OEWN) glosses, where the modern data is installed; else None."""
    try:
        from ..corpus.modern import load_glosses

        table = load_glosses()
    except (ImportError, WotdError):
        return None
    return lambda word: table.get(word, ())


def options_for(w, word: str, cfg: ReviewConfig | None = None) -> tuple[str, list[tuple[str, str]], list]:
    """The answer's definition, its distractors [(word, definition)] and the neighbours rejected (why)."""
    cfg = cfg or ReviewConfig()
    store = w.store
    if word not in w.index.position:
        raise WotdError(f"{shown(word)} is not in the trained run's index; run `wotd train` again")
    definition = store.entries([word])[word].definition
    vec = w.index.vectors([word])
    glosses = _glosses()
    for k in (cfg.neighbours, 200):
        _, idx = w.index.search(vec, k + 1)
        names = [w.index.words[i] for i in idx[0] if i >= 0]
        entries = store.entries(names)
        pairs = [(n, entries[n].definition) for n in names if n in entries and n != word]
        chosen, rejected = dis.choose(word, definition, pairs, cfg.options - 1, glosses)
        if len(chosen) == cfg.options - 1:
            return definition, chosen, rejected
    raise WotdError(f"too few distinct neighbours of {shown(word)} to make a review item")


def _reviews_of(store: Store, profile: str, word: str) -> int:
    sql = "SELECT count(*) FROM keep_reviews WHERE profile = ? AND word = ?"
    return store.db.execute(sql, [profile, word]).fetchone()[0]


def _build(w, profile: str, word: str, cfg: ReviewConfig) -> dict:
    definition, chosen, _ = options_for(w, word, cfg)
    opts = [(word, definition), *chosen]
    seed = hashlib.sha256(f"{profile}\0{word}\0{_reviews_of(w.store, profile, word)}".encode()).digest()
    random.Random(seed).shuffle(opts)
    entry = w.store.entries([word])[word]
    return {
        "profile": profile,
        "word": word,
        "pos": entry.pos,
        "question": f"What does {word} mean?",
        "options": [{"number": i + 1, "definition": dis.mask(d, word)} for i, (_, d) in enumerate(opts)],
        "_words": [x for x, _ in opts],
    }


def item(w, profile: str | None, now: datetime | None = None, cfg: ReviewConfig | None = None) -> dict:
    """The next due word's multiple-choice item, or {"item": None, "message": ...} when nothing is due."""
    cfg = cfg or ReviewConfig()
    state = due(w.store, profile, now)
    words = [x for x in state["words"] if x in w.index.position]
    base = {k: state[k] for k in ("profile", "due", "new", "next_due", "reviewing", "known")}
    if not words:
        return base | {"item": None, "message": _nothing_due(state)}
    built = _build(w, state["profile"], words[0], cfg)
    built.pop("_words")
    return base | {"item": built | {"new": words[0] not in _cards(w.store, state["profile"])}}


def _nothing_due(state: dict) -> str:
    if not state["reviewing"]:
        return (
            "nothing to review yet: words you are shown (`wotd today`) or keep (`wotd fav add WORD`) come "
            "up for review"
        )
    when = f"; the next is due {state['next_due'][:16].replace('T', ' ')} UTC" if state["next_due"] else ""
    return f"nothing due now ({state['reviewing']} words in review, {state['known']} known){when}"


# ---- answers --------------------------------------------------------------------------------------------
def answer(
    w,
    profile: str | None,
    word: str,
    choice: int,
    rating: str | int,
    now: datetime | None = None,
    cfg: ReviewConfig | None = None,
) -> dict:
    """Answer a due word's item: `choice` is the option's number (1-4), `rating` again|hard|good|easy.
    Updates the card and its log in one transaction; an error (nothing changed) if the word is not due."""
    cfg = cfg or ReviewConfig()
    store = ks.ready(w.store)
    profile, now = check_profile(store, profile), _now(now)
    word = str(word).strip().lower()
    given = parse_rating(rating)
    if not isinstance(choice, int) or not 1 <= choice <= cfg.options:
        raise WotdError(f"the choice is an option's number, 1-{cfg.options}, got {shown(choice)}")
    with store.transaction():  # due and the options are read inside the write lock: one answer per turn
        state = due(store, profile, now)
        if word not in state["words"]:
            if word not in review_words(store, profile):
                raise WotdError(
                    f"{shown(word)} is not in the review of profile {profile!r}: you review the words you "
                    "were shown or kept"
                )
            now_due = f"due now: {', '.join(state['words'][:5])}" if state["due"] else _nothing_due(state)
            raise WotdError(f"{shown(word)} is not due now; {now_due}")
        built = _build(w, profile, word, cfg)
        right = built["_words"].index(word) + 1
        correct = choice == right
        used = given if correct else Rating.Again
        before = _cards(store, profile).get(word)
        card = Card.from_dict(json.loads(before["card"])) if before else Card()
        card, log = _scheduler(cfg).review_card(card, used, now)
        easy = (before["easy"] if before else 0) + (used == Rating.Easy)
        easy = 0 if used == Rating.Again else easy
        known = (
            None
            if easy < cfg.known_after_easy
            else (before["known"] if before and before["known"] else now.timestamp())
        )
        row = {
            "profile": profile,
            "word": word,
            "card": json.dumps(card.to_dict()),
            "due": card.due.timestamp(),
            "easy": easy,
            "known": known,
        }
        store.db.execute("DELETE FROM keep_cards WHERE profile = ? AND word = ?", [profile, word])
        store.db["keep_cards"].insert(row)
        rid = (
            store.db["keep_reviews"]
            .insert(
                {
                    "profile": profile,
                    "word": word,
                    "reviewed": now.timestamp(),
                    "choice": choice,
                    "correct": int(correct),
                    "rating": int(used),
                    "log": json.dumps(log.to_dict()),
                }
            )
            .last_pk
        )
        undo = [{"op": "restore_card", "profile": profile, "word": word, "card": before, "review_id": rid}]
        ks.journal(store, profile, "review", f"review of {word} ({NAMES[int(used)]})", undo)
        left = due(store, profile, now)
    return {
        "profile": profile,
        "word": word,
        "correct": correct,
        "answer": right,
        "definition": store.entries([word])[word].definition,
        "options": [o | {"word": x} for o, x in zip(built["options"], built["_words"], strict=True)],
        "rating_given": NAMES[int(given)],
        "rating": NAMES[int(used)],
        "next_due": card.due.isoformat(),
        "interval_days": round((card.due - now).total_seconds() / 86400, 3),
        "known": known is not None,
        "due_left": left["due"],
    }


def undo(store: Store, profile: str | None) -> dict:
    """Take back the profile's newest review (its card goes back to what it was)."""
    ks.ready(store)
    return ks.undo(store, check_profile(store, profile), "review")
