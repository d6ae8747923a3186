"""Today's word, ratings, undo, reset and named profiles, on an opened run (what `Wotd` delegates to).

Every write reads the profile's ratings inside its own write transaction (BEGIN IMMEDIATE), so when the
app and the CLI write at once each sees the other's finished write: no rating is lost or counted twice,
and a date's word is chosen once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..errors import WotdError
from ..today import modern_fields, parse_date
from .known import KnownConfig, known_positions
from .learner import LEARNERS, LearnerConfig, Rating, choose, posterior

# DEFAULT_PROFILE is re-exported: the app reads it from here
from .profile_names import DEFAULT_PROFILE as DEFAULT_PROFILE
from .profile_names import check_profile_name, check_stored_profile
from .space import TasteSpace, build_space

if TYPE_CHECKING:
    from ..session import Wotd

VERBS = {1: "like", -1: "dislike", 0: "skip"}  # stored rating value -> what the person did
KNOWN = KnownConfig()  # how near a known word today's word may be (known.py)


def space(w: Wotd) -> TasteSpace:
    """The run's feature space, built on first use (about a second) and kept with the session."""
    return w.loaded(
        "taste_space",
        lambda: build_space(w.index.words, w.index.matrix(), w.codes, w.levels, w.store.lexicon()),
    )


def check_profile(w: Wotd, name: str | None) -> str:
    """An existing profile's name ("default" when None), or an error naming the profiles there are."""
    return check_stored_profile(w.store, name)


def create_profile(w: Wotd, name: str) -> dict:
    """Add a named profile (no error if it exists already)."""
    name = check_profile_name(name.strip())
    existed = name in w.store.profiles()
    w.store.add_profile(name)
    return {"profile": name, "created": not existed, "profiles": w.store.profiles()}


def ratings(w: Wotd, sp: TasteSpace, profile: str) -> list[Rating]:
    """The profile's stored ratings of words in this run's index, oldest first; a word rated again counts
    once, with its latest rating at its latest place (a changed mind replaces the earlier answer)."""
    pos = w.index.position
    latest = {f["word"]: f for f in w.store.feedback(profile) if f["word"] in pos}
    ordered = sorted(latest.values(), key=lambda f: f["id"])
    return [Rating(pos[f["word"]], f["value"]) for f in ordered]


def reason_text(reason: dict, axes: dict[str, list[str]]) -> str:
    """The person-facing sentence for a pick's reason."""
    kind = reason.get("kind")
    if kind == "exploring" and not reason.get("near_likes") and not reason.get("axes"):
        return reason.get("text", "exploring")
    parts = []
    if reason.get("near_likes"):
        parts.append("near words you liked: " + ", ".join(reason["near_likes"]))
    if reason.get("axes"):
        parts.append(
            "matches the levels you lean to: "
            + ", ".join(f"{a['axis']} {axes[a['axis']][a['level']]}" for a in reason["axes"])
        )
    body = "; ".join(parts)
    if kind == "exploring":
        text = "exploring a part your ratings have not settled yet" + (f" ({body})" if body else "")
    else:
        text = body or reason.get("text", "")
    return text + known_text(reason.get("known"))


def known_text(note: dict | None) -> str:
    """What the known-words rule did, as a clause to add to the pick's reason ("": it did nothing)."""
    if not note or not note.get("passed_over"):
        return ""
    like = ", ".join(f"{x['word']} (like {x['known']})" for x in note["like"])
    n = note["passed_over"]
    return f"; passed over {n} word{'s' if n > 1 else ''} like ones you know: {like}"


def today(w: Wotd, date: str | None, profile: str | None) -> dict:
    """The profile's word for a date (default today), chosen once and recorded with why."""
    day = parse_date(date)
    profile = check_profile(w, profile)
    sp = space(w)
    store = w.store
    with store.transaction():  # a second writer waits here, then finds the date's word recorded
        word = store.history_word(day, profile)
        if word is None or word not in w.index.position:  # none yet, or from a replaced lexicon
            pos = w.index.position
            shown = {pos[h["word"]] for h in store.history(profile) if h["word"] in pos}
            known = known_positions(w, profile)
            rated = ratings(w, sp, profile)
            pick = choose(sp, rated, shown, day, profile, w.learner, known=known, known_cfg=KNOWN)
            word = sp.words[pick.position]
            store.record_history(day, word, w.run.id, profile, pick.reason)
        reason = store.history_reason(day, profile)
    entry = sp.entries.get(word) or store.entries([word])[word]
    n_likes = sum(1 for f in store.feedback(profile) if f["value"] > 0)
    return {
        "date": day,
        "profile": profile,
        "word": word,
        "pos": entry.pos,
        "definition": entry.definition,
        **modern_fields(word),  # ipa, modern_gloss
        "etymology": entry.etymology,
        "example": entry.example,
        "semantic_id": [int(x) for x in w.codes[w.index.position[word]]],
        "from_preference": reason.get("kind") == "taste" or (bool(reason) and n_likes > 0),
        "why": reason_text(reason, w.axes) if reason else "chosen before reasons were recorded",
        "reason": reason,
    }


def taste_vector(sp: TasteSpace, rated: list[Rating], cfg: LearnerConfig | None = None) -> np.ndarray | None:
    """The learned taste as one embedding: the mean of the 10 candidates the posterior mean rates best."""
    if not rated:
        return None
    mean = posterior(sp, rated, cfg or LearnerConfig()).mean
    top = sp.pool[np.argsort(-(sp.features[sp.pool] @ mean), kind="stable")[:10]]
    v = sp.vectors[top].mean(axis=0)
    return (v / np.linalg.norm(v)).astype(np.float32)


def _preference_row(w: Wotd, profile: str, rated: list[Rating]) -> dict | None:
    vec = taste_vector(space(w), rated)
    if vec is None:
        return None
    sid = [int(x) for x in w.encoder.encode(vec[None])[0]]
    return {
        "profile": profile,
        "run_id": w.run.id,
        "vector": vec,
        "semantic_id": sid,
        "n_feedback": len(rated),
    }


def feedback(w: Wotd, word: str, value: int, profile: str | None) -> dict:
    """Record a like (+1), dislike (-1) or skip (0) for a profile and store the taste it now implies."""
    (word,) = w.lookup([word])
    if value not in VERBS:
        raise WotdError(f"a rating is +1 (like), -1 (dislike) or 0 (skip), got {value}")
    profile = check_profile(w, profile)
    sp = space(w)
    with w.store.transaction():  # read the history inside the write lock: this rating counts exactly once
        before = w.store.preference(profile)
        rated = ratings(w, sp, profile) + [Rating(w.index.position[word], value)]
        row = _preference_row(w, profile, rated)
        w.store.add_feedback_and_preference(word, value, row)
        n = len(w.store.feedback(profile))
    return {
        "word": word,
        "profile": profile,
        "feedback": VERBS[value],
        "preference_semantic_id": row["semantic_id"],
        "previous_semantic_id": before["semantic_id"] if before else None,
        "n_feedback": n,
    }


def undo(w: Wotd, profile: str | None) -> dict:
    """Take back the profile's last rating; an error (changing nothing) when it has none."""
    profile = check_profile(w, profile)
    with w.store.transaction():
        history = w.store.feedback(profile)
        if not history:
            raise WotdError(f"nothing to undo: profile {profile!r} has no ratings")
        last = history[-1]
        w.store.delete_feedback([last["id"]])
        row = _preference_row(w, profile, ratings(w, space(w), profile))
        w.store.set_preference(profile, row)
    return {
        "profile": profile,
        "undone": {"word": last["word"], "feedback": VERBS.get(last["value"], "dislike")},
        "n_feedback": len(history) - 1,
        "preference_semantic_id": row["semantic_id"] if row else None,
    }


def reset(w: Wotd, profile: str | None) -> dict:
    """Forget every rating of a profile (its past words stay recorded, so none comes back)."""
    profile = check_profile(w, profile)
    with w.store.transaction():
        history = w.store.feedback(profile)
        w.store.delete_feedback([f["id"] for f in history])
        w.store.set_preference(profile, None)
    return {"profile": profile, "forgotten": len(history)}


def check_learner(name: str) -> str:
    if name not in LEARNERS:
        raise WotdError(f"unknown learner {name!r}; allowed: {', '.join(LEARNERS)}")
    return name
