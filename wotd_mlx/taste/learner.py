"""Choosing a profile's word for a date from its rating history.

Learners (the benchmark runs them side by side):
- "thompson" (default): Bayesian linear regression of like (1) / dislike (0) on the word's features
  (`space.py`), older ratings down-weighted by `decay` per newer rating so a changed taste is followed; the
  day's word maximises one posterior sample (Thompson sampling). With few ratings the sample is wide, which
  explores; as likes accumulate it narrows on what was liked (on a mixed taste it still settles on one mode:
  see BENCHMARKS.md).
  An optional held-back check (`check_likes`, off by default) draws uniformly while the model predicts its
  own held-back ratings (leave-one-out) no better than the base rate; it protected nothing measurable and
  cost learning on the noisy and Old English tastes, so it stays off (BENCHMARKS.md).
- "rocchio": the earlier preference vector (likes minus half the dislikes), a draw among its 50 nearest.
- "none": a uniform date-seeded draw that ignores ratings (the non-personal word of the day).

Every learner leaves out the words the profile knows (Easy twice in review) and passes over words near them
(known.py): a known word is never the day's word.

Everything is recomputed from the stored ratings, seeded by (date, profile): the same inputs give the same
word, and nothing is lost or counted twice when two processes rate at once.

Why by hand and not mabwiser/contextualbandits: their linear bandits fit one model per arm over a user
context; here the arms are ~20k words sharing one model over the words' own features, and we need
per-rating weights (decay) and a posterior we can explain. The whole model is ~40 lines of numpy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import WotdError
from ..preference import preference_vector
from ..store import LexEntry
from ..today import pick_word
from .known import KnownConfig, first_not_near, near_mask, nearest_known
from .space import AXES, TasteSpace

LEARNERS = ("thompson", "rocchio", "none")
COLD_STARTS = ("thompson", "uniform")


@dataclass(frozen=True)
class LearnerConfig:
    """The Thompson-sampling learner's settings (chosen with `wotd bench preference`)."""

    prior: float = 1.0  # ridge precision: how strongly weights start at 0
    noise: float = 0.05  # posterior sample scale; 0.02-0.6 tried (BENCHMARKS.md): wider explores too long
    decay: float = 0.93  # weight per newer rating: half-life ~10 ratings (0.97 followed a change slower)
    explore_rank: float = 0.05  # a pick outside the posterior mean's top 5% is called "exploring"
    cold: str = "thompson"  # before the first like: "thompson" (a posterior sample) or "uniform" (a draw)
    # the held-back check: once there are `check_likes` likes, the day's word is the uniform draw unless the
    # model predicts each held-back rating (leave-one-out) better than the base rate does (skill > min_skill)
    check_likes: int = 0  # 0: off (the default; 3 and 5 measured worse on the tuning tastes, BENCHMARKS.md)
    min_skill: float = 0.0
    # a skip ("not today") counts as a dislike with this weight: weakly informative, so a region is not
    # written off for a skipped word (not measured: the simulated people only like or dislike)
    skip_weight: float = 0.3


@dataclass
class Rating:
    """One stored rating: the word's index position and +1 like / -1 dislike / 0 skip."""

    position: int
    value: int


@dataclass
class Posterior:
    """Weights' posterior mean and the Cholesky factor of its precision."""

    mean: np.ndarray
    chol: np.ndarray
    n_likes: int = 0
    n_dislikes: int = 0
    liked: list[int] = field(default_factory=list)  # positions, newest weight first not implied
    skill: float | None = None  # leave-one-out skill over the base rate (None: too few ratings to check)


def date_profile_rng(date: str, profile: str) -> np.random.Generator:
    """Seeded by date and profile alone: stable across machines, runs and processes."""
    digest = hashlib.sha256(f"{date}\0{profile}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def posterior(space: TasteSpace, ratings: Sequence[Rating], cfg: LearnerConfig) -> Posterior:
    """Weighted ridge regression of like (1) / dislike (0) on features; weight DECAY**(newer ratings)."""
    d = space.dim
    A = np.eye(d) * cfg.prior
    b = np.zeros(d)
    n = len(ratings)
    if n:
        X = space.features[[r.position for r in ratings]].astype(np.float64)
        y = np.array([1.0 if r.value > 0 else 0.0 for r in ratings])
        w = cfg.decay ** np.arange(n - 1, -1, -1, dtype=np.float64)
        w *= np.array([cfg.skip_weight if r.value == 0 else 1.0 for r in ratings])
        A += (X * w[:, None]).T @ X
        b = (X * (w * y)[:, None]).sum(axis=0)
    chol = np.linalg.cholesky(A)
    mean = np.linalg.solve(A, b)
    likes = [r.position for r in ratings if r.value > 0]
    skill = loo_skill(X, y, w, chol, mean) if n >= 2 else None
    n_dislikes = sum(1 for r in ratings if r.value < 0)
    return Posterior(mean, chol, len(likes), n_dislikes, likes, skill)


def loo_skill(X: np.ndarray, y: np.ndarray, w: np.ndarray, chol: np.ndarray, mean: np.ndarray) -> float:
    """1 - (leave-one-out squared error of the model) / (that of the base rate), both weighted like the fit.

    Exact for weighted ridge without refitting: the held-back residual is e_i / (1 - h_ii) with
    h_ii = w_i x_i' A^-1 x_i. The base rate held back is the weighted like share of the other ratings.
    Positive: the ratings predict each other (a taste is there to follow); <= 0: they look like noise.
    """
    Z = np.linalg.solve(chol, X.T)  # A = L L^T, so x' A^-1 x = |L^-1 x|^2
    h = w * (Z * Z).sum(axis=0)
    model = (y - X @ mean) / np.clip(1.0 - h, 1e-6, None)
    rest = w.sum() - w
    base = y - ((w * y).sum() - w * y) / np.clip(rest, 1e-12, None)
    err_model, err_base = float(w @ model**2), float(w @ base**2)
    return 1.0 - err_model / err_base if err_base > 0 else 0.0


def sample_weights(post: Posterior, rng: np.random.Generator, cfg: LearnerConfig) -> np.ndarray:
    """One draw from N(mean, noise^2 A^-1): solve L^T x = z with A = L L^T."""
    z = rng.standard_normal(len(post.mean))
    return post.mean + cfg.noise * np.linalg.solve(post.chol.T, z)


@dataclass
class Pick:
    """The chosen word's position and why it was chosen."""

    position: int
    reason: dict


def available(space: TasteSpace, exclude: set[int]) -> np.ndarray:
    """Candidate positions not yet shown or disliked (all candidates again once every one has been)."""
    allowed = np.ones(len(space.words), dtype=bool)
    allowed[list(exclude)] = False
    keep = space.pool[allowed[space.pool]]
    return keep if len(keep) else space.pool


def choose(
    space: TasteSpace,
    ratings: Sequence[Rating],
    shown: set[int],
    date: str,
    profile: str,
    learner: str = "thompson",
    cfg: LearnerConfig | None = None,
    known: Sequence[int] = (),
    known_cfg: KnownConfig | None = None,
) -> Pick:
    """The word for (date, profile) given the profile's ratings (oldest first), words already shown and
    words it knows (never picked; words near them are passed over: known.py)."""
    cfg = cfg or LearnerConfig()
    kcfg = known_cfg or KnownConfig()
    known = list(dict.fromkeys(int(p) for p in known))
    disliked = {r.position for r in ratings if r.value < 0}
    if learner in ("none", "rocchio"):  # the earlier behaviour, through today.py's own draw
        pref = None
        answered = [r for r in ratings if r.value != 0]  # Rocchio has no place for a skip
        if learner == "rocchio" and answered:
            vecs = space.vectors[[r.position for r in answered]]
            pref = preference_vector(vecs, [r.value for r in answered])
        skip = shown | disliked if pref is not None else shown
        pool = [space.entries[space.words[p]] for p in space.pool]
        exclude = {space.words[p] for p in skip}
        vectors = space.vectors[space.pool] if pref is not None else None
        if known:
            entry = _draw_unknown(space, date, pool, vectors, pref, exclude, known, kcfg)
        else:
            entry = pick_word(date, pool, vectors, pref, exclude)
        kind, text = ("taste", "among the words nearest your likes") if pref is not None else ("daily", "")
        return Pick(space.index[entry.word], {"kind": kind, "text": text or "the word of the day"})
    if learner != "thompson":
        raise ValueError(f"unknown learner {learner!r}; allowed: {', '.join(LEARNERS)}")
    if cfg.cold not in COLD_STARTS:
        raise ValueError(f"unknown cold start {cfg.cold!r}; allowed: {', '.join(COLD_STARTS)}")
    keep = available(space, shown | {r.position for r in ratings})  # a rated word is not news
    if known:
        keep = _without_known(space, keep, known)
    post = posterior(space, ratings, cfg)
    rng = date_profile_rng(date, profile)
    unsure = (
        cfg.check_likes > 0
        and post.n_likes >= cfg.check_likes
        and post.skill is not None
        and post.skill <= cfg.min_skill
    )
    if (post.n_likes == 0 and cfg.cold == "uniform") or unsure:
        if known:  # a uniform order over the candidates, the first not near a known word
            pos, _ = first_not_near(space, known, keep[rng.permutation(len(keep))], kcfg)
        else:
            pos = int(keep[rng.integers(len(keep))])
        reason = explain_pick(space, post, pos, space.features[keep] @ post.mean, cfg)
        if unsure:
            reason = {
                "kind": "exploring",
                "text": "exploring: your ratings so far do not predict each other better than chance, "
                "so a word from anywhere",
            }
        return Pick(pos, reason)
    theta = sample_weights(post, rng, cfg)
    X = space.features[keep]
    sampled = X @ theta
    if not known:
        pos = int(keep[int(np.argmax(sampled))])
        return Pick(pos, explain_pick(space, post, pos, X @ post.mean, cfg))
    pos, passed = first_not_near(space, known, keep[np.argsort(-sampled, kind="stable")], kcfg)
    reason = explain_pick(space, post, pos, X @ post.mean, cfg)
    return Pick(pos, reason | {"known": known_note(space, known, passed)})


def _without_known(space: TasteSpace, keep: np.ndarray, known: Sequence[int]) -> np.ndarray:
    """`keep` less the known words; the pool less them once every unknown one has been shown; an error when
    the profile knows every candidate."""
    out = keep[~np.isin(keep, known)]
    if not len(out):
        out = space.pool[~np.isin(space.pool, known)]
    if not len(out):
        raise WotdError("every candidate word is known to this profile: there is no word left to show")
    return out


def _draw_unknown(
    space: TasteSpace,
    date: str,
    pool: list[LexEntry],
    vectors: np.ndarray | None,
    pref: np.ndarray | None,
    exclude: set[str],
    known: Sequence[int],
    kcfg: KnownConfig,
) -> LexEntry:
    """The baselines' draw (`pick_word`) with known words left out and words near them drawn again: each
    redraw also leaves out the word just drawn, so it stays a function of the inputs. After `redraws` near
    words in a row the near ones are masked all at once (a full scan); should that leave nothing, the near
    rule gives way."""
    known_words = {space.words[p] for p in known}
    out = exclude | known_words
    if all(e.word in out for e in pool):  # everything shown: the draw starts over among the unknown words
        _without_known(space, space.pool, known)  # raises when every candidate is known
        out = set(known_words)
    base = set(out)
    for _ in range(kcfg.redraws):
        entry = pick_word(date, pool, vectors, pref, out)
        if entry.word in known_words:  # `out` covered the pool and pick_word started over
            break
        if not near_mask(space, known, np.array([space.index[entry.word]]), kcfg)[0]:
            return entry
        out.add(entry.word)
    rest = np.array([space.index[e.word] for e in pool if e.word not in base], dtype=np.int64)
    near = rest[near_mask(space, known, rest, kcfg)]
    if len(near) < len(rest):
        return pick_word(date, pool, vectors, pref, base | {space.words[p] for p in near})
    return pick_word(date, pool, vectors, pref, base)


def known_note(space: TasteSpace, known: Sequence[int], passed: Sequence[int]) -> dict:
    """What the known-words rule did to a pick: how many words are known, and the better-scored words passed
    over for being like one (up to 3 named, each with the known word it resembles)."""
    return {
        "known": len(known),
        "passed_over": len(passed),
        "like": [
            {"word": space.words[p], "known": space.words[nearest_known(space, known, p)]} for p in passed[:3]
        ],
    }


def axis_leanings(space: TasteSpace, mean: np.ndarray) -> dict[str, np.ndarray]:
    """Per axis, each level's weight relative to the axis's average level (positive: leans towards it)."""
    out = {}
    for axis in AXES:
        w = mean[space.axis_slices[axis]]
        out[axis] = w - w.mean()
    return out


def explain_pick(
    space: TasteSpace, post: Posterior, pos: int, mean_scores: np.ndarray, cfg: LearnerConfig
) -> dict:
    """Why `pos` was chosen: the liked words it is nearest, the axis levels it matches, or exploring."""
    if post.n_likes == 0:
        return {"kind": "exploring", "text": "exploring: no likes yet, so a word from a part not yet tried"}
    score = float(space.features[pos] @ post.mean)
    rank = float((mean_scores > score).mean())
    liked = list(dict.fromkeys(post.liked))
    sims = space.vectors[liked] @ space.vectors[pos]
    order = np.argsort(-sims)[:3]
    near = [space.words[liked[i]] for i in order if sims[i] >= 0.35]
    lean = axis_leanings(space, post.mean)
    axes = [
        {"axis": axis, "level": int(space.codes[pos, a])}
        for a, axis in enumerate(AXES)
        if lean[axis][int(space.codes[pos, a])] > 0.05
    ]
    if rank > cfg.explore_rank:
        text = "exploring: a word from a part of the lexicon your ratings have not settled yet"
        return {"kind": "exploring", "text": text, "near_likes": near, "axes": axes}
    parts = []
    if near:
        parts.append("near words you liked: " + ", ".join(near))
    if axes:
        parts.append("matches the levels you lean to: " + ", ".join(a["axis"] for a in axes))
    text = "; ".join(parts) or "scores high on what your ratings taught so far"
    return {"kind": "taste", "text": text, "near_likes": near, "axes": axes}
