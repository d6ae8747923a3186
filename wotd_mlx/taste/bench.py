"""`wotd bench preference`: simulated people with hidden tastes use the real `Wotd` API for 60 days each.

Each day a person asks for the word of the day (`Wotd.today(date, profile)`) and likes it when it is in
their hidden taste, else dislikes it (`Wotd.feedback`). Every learner meets the same people on the same
dates, each learner on its own scratch copy of the database (the home's database is only read).

Ground truth is defined from data the learners never see as such:
- topic tastes: the word's embedding is within the top FRACTION of candidates by cosine to the nearest of a
  few hand-written seed descriptions (below), embedded with the run's own embedder. The learner sees the
  word's embedding but never the seeds, so it has to find the region from ratings.
- axis tastes: raw dictionary data, not the learner's axis levels: "rare" = wordfreq zipf in the lowest
  FRACTION of candidates; "Old English roots" = the GCIDE etymology names AS. (Anglo-Saxon); "Renaissance
  Greek" = the etymology's first source is Gr. (Greek). The run's complexity and era axes are derived from
  the same data, so these tastes test whether the learner uses its axis features.
- a mixture of two distant topics (food, law), a taste that changes half-way (seafaring, then plants and
  animals) and a noisy person (music, each answer flipped with probability 0.2).

Two groups of people: the "tuning" tastes above are the only ones any learner setting was chosen on; the
"held-out" tastes (weather & sky, medicine & body, French roots, war + religion, a noisy medicine person) have
their own seed descriptions, written after the settings were fixed, and are only ever reported.

Statistics: at a 3% base rate one life of 50 scored days holds ~1.5 likes by chance (sd ~0.024 in rate), so
telling a learner from the no-feedback anchor within a third of the base rate needs ~22 lives
(1.96 * 0.024 / 0.01)^2. Noisy people, where the margin is smallest, live `lives` (3) times as often; every
row carries a 95% interval (`interval95`). The anchor's expected rate is the base rate exactly (a uniform
draw), so rows are compared with `base_rate`, and "none"'s measured row shows the chance spread.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..store import Store
from .service import create_profile, space
from .topics import TEXT_TOPICS, text_truth

SEEDS = {
    "seafaring": [
        "ships, sailing and the sea",
        "a sailor's work aboard a vessel: rigging, sails, anchors and the crew",
        "navigating boats across the ocean between harbours and ports",
    ],
    "plants and animals": [
        "a kind of plant, flower, shrub or tree",
        "an animal, bird, fish or insect",
        "botany and zoology: the names of living creatures and plants",
    ],
    "music": [
        "music, songs and musical instruments",
        "a musician playing a melody or a rhythm",
        "the notes, chords and harmony of a musical composition",
    ],
    "food": [
        "food, cooking and dishes eaten at a meal",
        "a cook preparing bread, meat, sauces and spices",
    ],
    "law": [
        "law, courts and legal proceedings",
        "a judge or lawyer; a crime and its punishment",
    ],
    # held-out tastes: written after the learner's settings were fixed, never used to choose one
    "weather and sky": [
        "weather: rain, snow, wind, storms and clouds",
        "the sky, the sun, the moon and the stars",
        "the climate and seasons; heat, cold and frost",
    ],
    "medicine and body": [
        "medicine: a disease, its symptoms and its cure",
        "parts of the human body: bones, muscles, organs and blood",
        "a doctor or surgeon treating a patient",
    ],
    "war and weapons": [
        "war, battles and soldiers",
        "weapons: swords, spears, guns and armour",
    ],
    "religion": [
        "religion, the church, priests and prayer",
        "gods, worship, saints and sacred rites",
    ],
}
FRACTION = 0.03  # a topic or rare-word taste covers 3% of the candidates: about 1 day in 33 by chance


@dataclass(frozen=True)
class Person:
    """A hidden taste: which modes it likes on which day, and how noisy its answers are."""

    name: str
    kind: str
    modes: tuple[str, ...]  # truth sets liked (any of them)
    later: tuple[str, ...] = ()  # from day `switch` on, these instead
    switch: int = 0
    flip: float = 0.0
    group: str = "tuning"  # "tuning": settings were chosen on these; "held-out": only ever reported
    lives: int = 1  # times BenchConfig.reps: a noisy person needs more lives to be told apart (BENCHMARKS.md)


PEOPLE = (
    Person("seafaring", "topic", ("seafaring",)),
    Person("plants & animals", "topic", ("plants and animals",)),
    Person("music", "topic", ("music",)),
    Person("rare words", "axis", ("rare",)),
    Person("Old English roots", "axis", ("old english",)),
    Person("Renaissance Greek", "axis", ("greek",)),
    Person("food + law", "mixture", ("food", "law")),
    Person("seafaring -> plants", "change", ("seafaring",), ("plants and animals",), switch=30),
    Person("music, noisy 0.2", "noisy", ("music",), flip=0.2, lives=3),
    Person("weather & sky", "topic", ("weather and sky",), group="held-out"),
    Person("medicine & body", "topic", ("medicine and body",), group="held-out"),
    Person("French roots", "axis", ("french",), group="held-out"),
    Person("war + religion", "mixture", ("war and weapons", "religion"), group="held-out"),
    Person("medicine, noisy 0.2", "noisy", ("medicine and body",), flip=0.2, group="held-out", lives=3),
    # text tastes (topics.py): defined by the definition, gloss and labels, never by the embedding
    *(Person(name, "text", (name,), group="text") for name in TEXT_TOPICS),
)
LEARNERS = ("none", "rocchio", "thompson")


@dataclass
class BenchConfig:
    days: int = 60
    reps: int = 3  # each person lives `reps` times, from different start dates
    start: str = "2027-01-01"
    learners: tuple[str, ...] = LEARNERS
    people: tuple[Person, ...] = field(default=PEOPLE)
    slate: bool = False  # each person rates the first-day slate (slate.py) on day 0, before day 1


def truth_sets(w) -> dict[str, np.ndarray]:
    """Boolean masks over the run's index words, one per mode (see the module docstring)."""
    sp = space(w)
    pool = sp.pool
    out: dict[str, np.ndarray] = {}
    names = list(SEEDS)
    seeds = w.embedder.embed([s for n in names for s in SEEDS[n]])
    start = 0
    for n in names:
        k = len(SEEDS[n])
        sims = (sp.vectors @ seeds[start : start + k].T).max(axis=1)
        start += k
        cut = np.quantile(sims[pool], 1 - FRACTION)
        out[n] = sims >= cut
    entries = w.store.entries(sp.words)
    zipf = np.array([entries[x].zipf if x in entries else 9.0 for x in sp.words])
    ety = [entries[x].etymology if x in entries else "" for x in sp.words]
    out["rare"] = zipf <= np.quantile(zipf[pool], FRACTION)
    out["old english"] = np.array(["AS." in e for e in ety])
    out["greek"] = np.array([e.lstrip("[ ").startswith("Gr.") for e in ety])
    out["french"] = np.array([e.lstrip("[ ").startswith(("F.", "OF.")) for e in ety])
    out.update(text_truth(entries, sp.words))
    return out


def _flip(person: str, rep: int, day: int, p: float) -> bool:
    if p <= 0:
        return False
    digest = hashlib.sha256(f"flip\0{person}\0{rep}\0{day}".encode()).digest()
    return int.from_bytes(digest[:8], "little") / 2**64 < p


def _scratch(db: Path, into: Path) -> Path:
    """A consistent copy of the database (SQLite's backup API, so a WAL file is folded in)."""
    target = into / "wotd.db"
    src, dst = sqlite3.connect(db), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def _rate_slate(ws, profile: str, modes: tuple[str, ...], truth: dict[str, np.ndarray]) -> None:
    from .slate import slate  # the bench's only use of it

    for item in slate(ws, profile)["words"]:
        pos = ws.index.position[item["word"]]
        ws.feedback(item["word"], 1 if any(truth[m][pos] for m in modes) else -1, profile)


def simulate(
    w,
    learner: str,
    cfg: BenchConfig,
    truth: dict[str, np.ndarray],
    tick: Callable,
    shown: Callable | None = None,
) -> list[dict]:
    """Every person x rep with one learner on a scratch copy; per-day records. `shown(ws, profile, date,
    pos, rep)`, when given, is called after each day's rating and its dict is added to the day's record
    (the known-words people review there: bench_known.py)."""
    records = []
    with (
        tempfile.TemporaryDirectory(prefix="wotd-bench-") as tmp,
        Store(_scratch(w.store.path, Path(tmp))) as db,
    ):
        ws = replace(w, store=db, learner=learner)  # shares the feature space and models already built
        start = dt.date.fromisoformat(cfg.start)
        for i, person in enumerate(cfg.people):
            for rep in range(cfg.reps * person.lives):
                profile = f"bench-{i}-{rep}"
                create_profile(ws, profile)
                if cfg.slate and learner != "none":
                    _rate_slate(ws, profile, person.modes, truth)
                first = start + dt.timedelta(days=rep * 97 + i * 7)
                for day in range(cfg.days):
                    date = (first + dt.timedelta(days=day)).isoformat()
                    modes = person.later if person.later and day >= person.switch else person.modes
                    t0 = time.perf_counter()
                    word = ws.today(date, profile)["word"]
                    pick_s = time.perf_counter() - t0
                    pos = ws.index.position[word]
                    hit = [bool(truth[m][pos]) for m in modes]
                    liked = any(hit)
                    answer = liked != _flip(person.name, rep, day, person.flip)
                    t0 = time.perf_counter()
                    if learner != "none":  # the anchor: the same person giving no feedback at all
                        ws.feedback(word, 1 if answer else -1, profile)
                    rate_s = time.perf_counter() - t0
                    sid = tuple(int(x) for x in ws.codes[pos])
                    extra = shown(ws, profile, date, pos, rep) if shown else {}
                    records.append(
                        {
                            **extra,
                            "person": person.name,
                            "rep": rep,
                            "day": day,
                            "word": word,
                            "liked": liked,
                            "mode_hits": hit,
                            "sid": sid,
                            "pick_s": pick_s,
                            "rate_s": rate_s,
                        }
                    )
                tick()
    return records


def _rate(rs: list[dict], lo: int, hi: int) -> float:
    sel = [r["liked"] for r in rs if lo <= r["day"] + 1 <= hi]
    return float(np.mean(sel)) if sel else 0.0


def interval95(per_life: np.ndarray, likes: int, days: int) -> tuple[float, float]:
    """A 95% interval for a like rate: the wider of a normal interval over lives (independent; a learner's
    days within one life are not) and Wilson's over all days (still sensible when every life scored 0)."""
    z = 1.96
    half = z * per_life.std(ddof=1) / np.sqrt(len(per_life)) if len(per_life) > 1 else 1.0
    p = likes / max(days, 1)
    centre = (p + z * z / (2 * days)) / (1 + z * z / days) if days else 0.5
    spread = z * np.sqrt(p * (1 - p) / days + z * z / (4 * days * days)) / (1 + z * z / days) if days else 0.5
    lo, hi = min(per_life.mean() - half, centre - spread), max(per_life.mean() + half, centre + spread)
    return float(max(lo, 0.0)), float(min(hi, 1.0))


def summarise(records: list[dict], person: Person, base_rate: float, days: int) -> dict:
    """One learner x person row: like rates, days to the 5th like, coverage, diversity, regret, speed."""
    mine = [r for r in records if r["person"] == person.name]
    reps = sorted({r["rep"] for r in mine})
    first, fifth, distinct, repeats, regret, coverage = [], [], [], 0, [], []
    for rep in reps:
        rs = sorted((r for r in mine if r["rep"] == rep), key=lambda r: r["day"])
        likes = np.cumsum([r["liked"] for r in rs])
        liked_days = np.nonzero(likes >= 1)[0]
        first.append(int(liked_days[0]) + 1 if len(liked_days) else None)
        reached = np.nonzero(likes >= 5)[0]
        fifth.append(int(reached[0]) + 1 if len(reached) else None)
        distinct.append(len({r["sid"] for r in rs[-30:]}))
        repeats += len(rs) - len({r["word"] for r in rs})
        regret.append(len(rs) - int(likes[-1]))  # the oracle shows a word of the taste every day
        if len(person.modes) > 1:
            per_mode = np.array([r["mode_hits"] for r in rs if r["day"] >= 10]).sum(axis=0)
            coverage.append(float(per_mode.min() / per_mode.sum()) if per_mode.sum() else 0.0)
    reached5 = [f for f in fifth if f is not None]
    ci = interval95(
        np.array([_rate([r for r in mine if r["rep"] == rep], 11, days) for rep in reps]),
        sum(r["liked"] for r in mine if r["day"] >= 10),
        sum(r["day"] >= 10 for r in mine),
    )
    return {
        "person": person.name,
        "kind": person.kind,
        "group": person.group,
        "lives": len(reps),
        "base_rate": round(base_rate, 4),
        "like_1_10": round(_rate(mine, 1, 10), 3),
        "like_11_30": round(_rate(mine, 11, 30), 3),
        "like_31_60": round(_rate(mine, 31, days), 3),
        "like_11_60": round(_rate(mine, 11, days), 3),
        "ci95_11_60": [round(ci[0], 3), round(ci[1], 3)],
        # a life with no like at all counts as days + 1, so the median stays defined and honest
        "days_to_1st_like": float(np.median([f if f is not None else days + 1 for f in first])),
        "days_to_5th_like": float(np.median(reached5)) if len(reached5) == len(fifth) else None,
        "reached_5_likes": f"{len(reached5)}/{len(fifth)}",
        "minority_mode_share": round(float(np.mean(coverage)), 3) if coverage else None,
        "distinct_ids_last_30": round(float(np.mean(distinct)), 1),
        "repeated_words": repeats,
        "regret": round(float(np.mean(regret)), 1),
        "pick_ms_mean": round(1000 * float(np.mean([r["pick_s"] for r in mine])), 2),
        "pick_ms_p95": round(1000 * float(np.quantile([r["pick_s"] for r in mine], 0.95)), 2),
        "rate_ms_mean": round(1000 * float(np.mean([r["rate_s"] for r in mine])), 2),
    }


def pick_memory(w, learner: str) -> float:
    """Peak Python/numpy memory (MB) of one pick on a fresh profile with 60 ratings, by tracemalloc."""
    sp = space(w)
    from .learner import Rating, choose

    rng = np.random.default_rng(0)
    rated = [Rating(int(p), 1 if rng.random() < 0.1 else -1) for p in rng.choice(sp.pool, 60, replace=False)]
    tracemalloc.start()
    choose(sp, rated, {r.position for r in rated}, "2027-01-01", "memory", learner)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 1e6, 2)


def run_bench(w, cfg: BenchConfig | None = None, progress: Callable | None = None) -> dict:
    """Every learner on every person; rows, per-learner summaries, and what the taste sets are."""
    cfg = cfg or BenchConfig()
    t0 = time.perf_counter()
    sp = space(w)
    truth = truth_sets(w)
    total = len(cfg.learners) * sum(p.lives for p in cfg.people) * cfg.reps
    done = [0]

    def tick() -> None:
        done[0] += 1
        if progress:
            progress("people", done[0], total)

    def base(person: Person, day_modes: tuple[str, ...]) -> float:
        return float(np.logical_or.reduce([truth[m][sp.pool] for m in day_modes]).mean())

    rows = []
    for learner in cfg.learners:
        records = simulate(w, learner, cfg, truth, tick)
        for person in cfg.people:
            b = base(person, person.modes)
            if person.later:
                b = (b * person.switch + base(person, person.later) * (cfg.days - person.switch)) / cfg.days
            rows.append({"learner": learner, **summarise(records, person, b, cfg.days)})
    anchor = {r["person"]: r for r in rows if r["learner"] == "none"}
    for r in rows:
        r["lift_11_60"] = round(r["like_11_60"] / r["base_rate"], 2) if r["base_rate"] else None
        obs = anchor.get(r["person"], {}).get("like_11_60")
        r["lift_vs_anchor_observed"] = round(r["like_11_60"] / obs, 2) if obs else None
    summary = {}
    rocchio = {r["person"]: r for r in rows if r["learner"] == "rocchio"}
    for learner in cfg.learners:
        peak = pick_memory(w, learner)
        for group in sorted({p.group for p in cfg.people}, reverse=True):
            mine = [r for r in rows if r["learner"] == learner and r["group"] == group]
            summary[f"{learner} ({group})"] = {
                "tastes": len(mine),
                "mean_like_11_60": round(float(np.mean([r["like_11_60"] for r in mine])), 3),
                "mean_lift_11_60": round(float(np.mean([r["lift_11_60"] for r in mine])), 2),
                "beats_rocchio_11_60": sum(
                    r["like_11_60"] > rocchio[r["person"]]["like_11_60"]
                    for r in mine
                    if r["person"] in rocchio
                ),
                "below_base_11_60": sum(r["like_11_60"] < r["base_rate"] for r in mine),
                # worse than no feedback with 95% confidence: the whole interval lies below the base rate
                "surely_below_base_11_60": sum(r["ci95_11_60"][1] < r["base_rate"] for r in mine),
                "pick_ms_mean": round(float(np.mean([r["pick_ms_mean"] for r in mine])), 2),
                "pick_peak_mb": peak,
            }
    return {
        "config": {
            "days": cfg.days,
            "reps": cfg.reps,
            "start": cfg.start,
            "fraction": FRACTION,
            "slate": cfg.slate,
        },
        "lexicon_words": len(sp.words),
        "candidates": int(len(sp.pool)),
        "feature_space_mb": round(sp.nbytes / 1e6, 1),
        "tastes": {k: int(v[sp.pool].sum()) for k, v in truth.items()},
        "rows": rows,
        "summary": summary,
        "seconds": round(time.perf_counter() - t0, 1),
    }
