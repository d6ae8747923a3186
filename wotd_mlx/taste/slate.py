"""The first-day slate: about 12 words that cover the taste space, for a profile with no ratings yet.

The words are a farthest-point (greedy k-center) cover of the word-of-the-day candidates in the learner's
feature space (PCA of the embedding plus one-hot style, complexity and era levels), so they differ in topic,
style, era and complexity at once. The first word comes from a hash of the profile name, so a profile's
slate is the same every time it is asked for and two profiles start from different corners. Answers go
through the ordinary feedback path (same table, undoable with `wotd feedback --undo`).
"""

from __future__ import annotations

import hashlib

import numpy as np

from ..errors import WotdError
from .service import check_profile, feedback, ratings, space
from .space import TasteSpace

SLATE_SIZE = 12
ANSWERS = {"like": 1, "y": 1, "dislike": -1, "n": -1, "skip": 0, "s": 0}


def cover(features: np.ndarray, k: int, first: int) -> list[int]:
    """Greedy k-center: start at row `first`, then repeatedly take the row farthest from those taken."""
    k = min(k, len(features))
    taken = [first]
    dist = np.linalg.norm(features - features[first], axis=1)
    while len(taken) < k:
        nxt = int(np.argmax(dist))
        taken.append(nxt)
        dist = np.minimum(dist, np.linalg.norm(features - features[nxt], axis=1))
    return taken


def slate_positions(sp: TasteSpace, profile: str, rated: set[int], k: int = SLATE_SIZE) -> list[int]:
    """The positions of the profile's slate: `k` candidates covering the space, none of them in `rated`."""
    pool = np.array([p for p in sp.pool if p not in rated], dtype=np.int64)
    if not len(pool):
        raise WotdError(f"profile {profile!r} has rated every candidate word; there is no slate to show")
    seed = int.from_bytes(hashlib.sha256(f"slate\0{profile}".encode()).digest()[:8], "little")
    return [int(pool[i]) for i in cover(sp.features[pool].astype(np.float32), k, seed % len(pool))]


def slate(w, profile: str | None, k: int = SLATE_SIZE) -> dict:
    """The profile's slate: `k` candidates covering the space, minus words it already rated."""
    profile = check_profile(w, profile)
    sp = space(w)
    rated = {r.position for r in ratings(w, sp, profile)}
    words = [sp.words[p] for p in slate_positions(sp, profile, rated, k)]
    return {
        "profile": profile,
        "n_rated": len(rated),
        "words": [
            {"word": x, "definition": sp.entries[x].definition if x in sp.entries else ""} for x in words
        ],
    }


def parse_answers(text: str) -> dict[str, int]:
    """`word=like,word2=dislike,...` -> {word: +1/-1/0}; a malformed item is a WotdError naming it."""
    out: dict[str, int] = {}
    for item in (t.strip() for t in text.split(",")):
        if not item:
            continue
        word, sep, answer = item.partition("=")
        if not sep or not word.strip() or answer.strip().lower() not in ANSWERS:
            raise WotdError(
                f"cannot read {item!r}: give word=like, word=dislike or word=skip, separated by commas"
            )
        out[word.strip()] = ANSWERS[answer.strip().lower()]
    if not out:
        raise WotdError("--rate needs at least one word=like|dislike|skip")
    return out


def rate(w, profile: str | None, answers: dict[str, int]) -> dict:
    """Record the answers through the feedback path; every word is checked first, so a bad one writes none."""
    profile = check_profile(w, profile)
    words = w.lookup(list(answers))  # a WotdError naming an unknown word, before anything is written
    done = [feedback(w, word, answers[given], profile) for word, given in zip(words, answers, strict=True)]
    return {"profile": profile, "rated": [{"word": d["word"], "feedback": d["feedback"]} for d in done]}
