"""`wotd bench preference --known`: simulated people who already know part of the lexicon.

Each person has a hidden taste (bench.py's people, rating as there) and a hidden set of words they know:
- "common": the commonest `share` of the candidates by wordfreq zipf (and every more common word);
- "random": a `share` of the words, drawn by a hash of the word (no tie to meaning at all);
- "topic": the `share` of the candidates nearest a bench.py seed topic (a sailor who knows sea words).

Every person lives twice on the same dates. With the rule: each day's word that the person knows is reviewed
the way such a person would, right and Easy twice (`known.mark_known`, keep/review.py's own path), so it
becomes a known word in the store and today's pick leaves it and words near it out (known.py). Without the
rule: the same person never reviews, so the store holds no known word and the pick is the plain learner's.
Ratings are the same in both lives, so the difference is the rule's alone.

Per row: how often the day's word is one the person knows, how often it is near (cosine >= the rule's
`near_cos`) a known word shown earlier in that life (the words the rule can know about), the like rate on
days 11 on, and how many words ended known.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timezone

import numpy as np

from ..errors import WotdError
from .bench import PEOPLE, SEEDS, BenchConfig, Person, simulate
from .known import KnownConfig, mark_known, near_mask
from .service import space


@dataclass(frozen=True)
class Knower:
    """Which words a simulated person already knows (see the module docstring)."""

    name: str
    kind: str  # common | random | topic
    share: float = 0.3
    topic: str = ""  # a bench.SEEDS topic, for kind "topic"


KNOWERS = (
    Knower("commonest 30%", "common", 0.3),
    Knower("random 30%", "random", 0.3),
    Knower("sea words 10%", "topic", 0.1, "seafaring"),
)
KNOWN_TASTES = ("seafaring", "Old English roots")  # bench.PEOPLE by name: a topic and an axis taste


def known_set(w, knower: Knower) -> np.ndarray:
    """A boolean mask over the run's index words: the words `knower` knows."""
    sp = space(w)
    if knower.kind == "random":
        digests = (hashlib.sha256(f"known\0{x}".encode()).digest()[:8] for x in sp.words)
        return np.array([int.from_bytes(d, "little") / 2**64 < knower.share for d in digests])
    if knower.kind == "common":
        entries = w.store.entries(sp.words)
        zipf = np.array([entries[x].zipf if x in entries else 0.0 for x in sp.words])
        return zipf >= np.quantile(zipf[sp.pool], 1 - knower.share)
    if knower.kind == "topic":
        seeds = w.embedder.embed(SEEDS[knower.topic])
        sims = (sp.vectors @ seeds.T).max(axis=1)
        return sims >= np.quantile(sims[sp.pool], 1 - knower.share)
    raise ValueError(f"unknown kind of knower {knower.kind!r}; allowed: common, random, topic")


def _reviewer(knows: np.ndarray, mark: bool, kcfg: KnownConfig) -> Callable:
    """The per-day hook: record whether the word is known or near an earlier shown known word, and (with the
    rule) review a known word Easy twice."""
    seen: dict[tuple[str, int], list[int]] = {}  # (profile, rep) -> known words shown so far in that life

    def shown(ws, profile: str, date: str, pos: int, rep: int) -> dict:
        sp = space(ws)
        earlier = seen.setdefault((profile, rep), [])
        near = bool(earlier) and bool(near_mask(sp, earlier, np.array([pos]), kcfg)[0])
        known = bool(knows[pos])
        marked = failed = False
        if known:
            earlier.append(pos)
            if mark:
                when = datetime.combine(datetime.fromisoformat(date).date(), time(12), timezone.utc)
                try:
                    marked = mark_known(ws, profile, sp.words[pos], when)
                except WotdError:  # no review item can be made (too few distinct neighbours): counted
                    failed = True
        return {"known": known, "near_known": near and not known, "marked": marked, "review_failed": failed}

    return shown


def summarise_known(records: list[dict]) -> dict:
    """One (learner, knower, taste, rule on/off) row's figures."""
    lives = sorted({r["rep"] for r in records})
    late = [r for r in records if r["day"] >= 10]
    return {
        "lives": len(lives),
        "known_shown": round(float(np.mean([r["known"] for r in records])), 3),
        "near_known_shown": round(float(np.mean([r["near_known"] for r in records])), 3),
        "known_or_near": round(float(np.mean([r["known"] or r["near_known"] for r in records])), 3),
        "like_11_60": round(float(np.mean([r["liked"] for r in late])), 3) if late else 0.0,
        "marked_known": round(sum(r["marked"] for r in records) / max(1, len(lives)), 1),
        "review_failed": sum(r["review_failed"] for r in records),
        "pick_ms_mean": round(1000 * float(np.mean([r["pick_s"] for r in records])), 2),
    }


def run_known(
    w,
    cfg: BenchConfig,
    knowers: tuple[Knower, ...] = KNOWERS,
    tastes: tuple[Person, ...] | None = None,
    truth: dict[str, np.ndarray] | None = None,
    known: dict[str, np.ndarray] | None = None,
    progress: Callable | None = None,
) -> list[dict]:
    """Every learner x knower x taste, with and without the rule; rows side by side ("off" then "on").
    `truth` defaults to bench.truth_sets; `known` (knower name -> mask) to `known_set`. "Near" is measured
    with the rule's own setting (service.KNOWN)."""
    from . import service
    from .bench import truth_sets

    kcfg = service.KNOWN
    tastes = tastes or tuple(p for p in PEOPLE if p.name in KNOWN_TASTES)
    truth = truth if truth is not None else truth_sets(w)
    known = known or {k.name: known_set(w, k) for k in knowers}
    sp = space(w)
    people = replace(cfg, people=tastes)
    total = len(cfg.learners) * len(knowers) * 2 * sum(p.lives for p in tastes) * cfg.reps
    done = [0]

    def tick() -> None:
        done[0] += 1
        if progress:
            progress("known-words people", done[0], total)

    rows = []
    for learner in cfg.learners:
        for knower in knowers:
            knows = known[knower.name]
            arms = {
                arm: simulate(w, learner, people, truth, tick, _reviewer(knows, arm == "on", kcfg))
                for arm in ("off", "on")
            }
            for person in tastes:
                row = {"learner": learner, "knower": knower.name, "person": person.name}
                row["known_share"] = round(float(knows[sp.pool].mean()), 3)
                for arm, records in arms.items():
                    mine = [r for r in records if r["person"] == person.name]
                    row[arm] = summarise_known(mine)
                rows.append(row)
    return rows


def render_known(rows: list[dict]) -> str:
    """The rows as a markdown table, each figure "without rule -> with rule"."""
    cols = ("known_shown", "near_known_shown", "known_or_near", "like_11_60", "marked_known", "pick_ms_mean")
    heads = ("known shown", "near a known one", "either", "like 11-60", "words known", "ms/pick")
    lines = [
        "| learner | knows | taste | share known | " + " | ".join(heads) + " |",
        "|" + "---|" * (4 + len(cols)),
    ]
    for r in rows:
        cells = [f"{r['off'][c]} -> {r['on'][c]}" for c in cols]
        head = f"| {r['learner']} | {r['knower']} | {r['person']} | {r['known_share']} | "
        lines.append(head + " | ".join(cells) + " |")
    return "\n".join(lines)
