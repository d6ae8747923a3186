"""What `wotd profile` and the app show: the learned taste in plain words (plain.py) and as axis levels with
example words, the words it would pick now, and how it moved over the last ratings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import plain
from .known import known_positions
from .learner import LearnerConfig, Rating, axis_leanings, posterior
from .service import VERBS, check_profile, ratings, space, taste_vector
from .space import AXES, TasteSpace

if TYPE_CHECKING:
    from ..session import Wotd

LEAN = 0.05  # a level's weight above its axis's average that counts as leaning to it
RECENT = 5  # "how it moved": the taste now against the taste before the last RECENT ratings


def _leans(w: Wotd, sp: TasteSpace, rated: list[Rating], mean: np.ndarray) -> list[dict]:
    liked = [r.position for r in rated if r.value > 0][::-1]  # newest first (ratings() keeps one per word)
    scores = sp.features[sp.pool] @ mean
    out = []
    for a, axis in enumerate(AXES):
        lean = axis_leanings(sp, mean)[axis]
        for lvl in np.argsort(-lean, kind="stable")[:2]:
            if lean[lvl] <= LEAN:
                continue
            examples = [sp.words[p] for p in liked if sp.codes[p, a] == lvl][:3]
            if not examples:  # no liked word there yet: the candidates the taste rates best at that level
                at = sp.pool[sp.codes[sp.pool, a] == lvl]
                best = at[np.argsort(-scores[np.isin(sp.pool, at)], kind="stable")[:3]]
                examples = [sp.words[p] for p in best]
            out.append(
                {
                    "axis": axis,
                    "level": int(lvl),
                    "name": w.axes[axis][int(lvl)],
                    "weight": round(float(lean[lvl]), 3),
                    "examples": examples,
                }
            )
    return out


def _verb(value: int) -> str:
    return VERBS.get(value, "dislike")


def _top_level(sp: TasteSpace, mean: np.ndarray, axis: str) -> int | None:
    lean = axis_leanings(sp, mean)[axis]
    return int(np.argmax(lean)) if lean.max() > LEAN else None


def _in_words(w: Wotd, sp: TasteSpace, rated: list[Rating], mean: np.ndarray) -> dict:
    liked = list(dict.fromkeys(r.position for r in rated if r.value > 0))[::-1]  # newest first
    levels = [(sp.words[p], {axis: int(sp.codes[p, a]) for a, axis in enumerate(AXES)}) for p in liked]
    return plain.sentence(_leans(w, sp, rated, mean) if liked else [], levels)


def in_words(w: Wotd, profile: str | None) -> dict:
    """The profile's learned taste as a sentence with 3 example words: {"text", "examples"}
    ("no likes yet: still exploring" and no examples before the first like)."""
    name = check_profile(w, profile)
    sp = space(w)
    rated = ratings(w, sp, name)
    return _in_words(w, sp, rated, posterior(sp, rated, LearnerConfig()).mean)


def summary(w: Wotd, profile: str | None) -> dict:
    """The profile's learned taste (see the module docstring)."""
    name = check_profile(w, profile)
    sp = space(w)
    cfg = LearnerConfig()
    rated = ratings(w, sp, name)
    post = posterior(sp, rated, cfg)
    shown = {w.index.position[h["word"]] for h in w.store.history(name) if h["word"] in w.index.position}
    known = known_positions(w, name)
    seen = shown | {r.position for r in rated} | set(known)  # a known word is never picked
    order = sp.pool[np.argsort(-(sp.features[sp.pool] @ post.mean), kind="stable")]
    would = [sp.words[p] for p in order if int(p) not in seen][:5] if post.n_likes else []
    moved = []
    if len(rated) > RECENT:
        before = posterior(sp, rated[:-RECENT], cfg).mean
        for axis in AXES:
            then, now = _top_level(sp, before, axis), _top_level(sp, post.mean, axis)
            moved.append(
                {
                    "axis": axis,
                    "then": None if then is None else w.axes[axis][then],
                    "now": None if now is None else w.axes[axis][now],
                }
            )

    def sid(rs: list[Rating]) -> list[int] | None:
        v = taste_vector(sp, rs, cfg)
        return None if v is None else [int(x) for x in w.encoder.encode(v[None])[0]]

    fb = w.store.feedback(name)
    return {
        "profile": name,
        "profiles": w.store.profiles(),
        "likes": post.n_likes,
        "dislikes": post.n_dislikes,
        "skips": len(rated) - post.n_likes - post.n_dislikes,
        "recent": [{"word": f["word"], "feedback": _verb(f["value"])} for f in fb[::-1][:5]],
        "in_words": _in_words(w, sp, rated, post.mean),
        "known": len(known),
        "leans": _leans(w, sp, rated, post.mean) if post.n_likes else [],
        "would_pick": would,
        "taste_semantic_id": sid(rated),
        "taste_semantic_id_before_last": sid(rated[:-RECENT]) if len(rated) > RECENT else None,
        "moved": moved,
        "recent_count": RECENT,
    }


def render(r: dict) -> str:
    """`wotd profile` as text (also the app's Markdown, which reads fine as plain text)."""

    def sid(x):
        return ",".join(map(str, x)) if x else "none"

    lines = [
        f"profile {r['profile']} (profiles: {', '.join(r['profiles'])}): {r['likes']} likes, "
        f"{r['dislikes']} dislikes, {r['skips']} skips"
    ]
    if r["likes"]:
        lines.append(plain.render(r["in_words"]))
    else:  # plain.NOTHING, said with what it means for today's word
        lines.append("no likes yet: still exploring; today's words explore the lexicon until you like some")
    if r.get("known"):
        lines.append(
            f"- {r['known']} words known (Easy twice in review): not shown again, nor words like them"
        )
    for lean in r["leans"]:
        lines.append(f"- leans to {lean['axis']} {lean['name']} (e.g. {', '.join(lean['examples'])})")
    if r["would_pick"]:
        lines.append(f"- would pick now: {', '.join(r['would_pick'])}")
    if r["moved"]:
        lines.append(
            f"- taste semantic ID {sid(r['taste_semantic_id_before_last'])} -> {sid(r['taste_semantic_id'])} "
            f"over the last {r['recent_count']} ratings"
        )
        for m in r["moved"]:
            if m["then"] != m["now"]:
                lines.append(f"  {m['axis']}: {m['then'] or 'no lean'} -> {m['now'] or 'no lean'}")
    if r["recent"]:
        lines.append("- last ratings: " + ", ".join(f"{x['feedback']} {x['word']}" for x in r["recent"]))
    return "\n".join(lines)
