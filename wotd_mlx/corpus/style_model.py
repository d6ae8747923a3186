"""Style from more than keywords: a calibrated classifier over the words' meaning embeddings.

The keyword rules (`labels.style_evidence`) are sure of a word only when GCIDE labels it ("(Bot.)",
"[Obs.]"), a usage cue marks it, it is a common word, or two field keywords agree; about half the lexicon
otherwise fell to "everyday" for want of a keyword. A multinomial logistic regression over the cached
MiniLM vectors of "word: definition" learns the eight styles from those confident words (class-balanced,
so "everyday" does not swamp the small styles) and labels every word that GCIDE does not label itself:

    final style = GCIDE label or usage cue, if any (these are the dictionary's own word);
                  everyday for a common word (zipf >= 4.5) without one;
                  else the classifier's class, if its calibrated probability >= min_prob (0.65);
                  else the rule's style if the rule was confident (two keywords), else everyday

Calibration is temperature scaling on a seeded 10% of the confident words, held out from the fit; the
held-out accuracy and calibration error are reported with the run. Plain numpy (full-batch Adam, about
5 s on 37k words on 2 cores): one implementation serves both backends, so nothing can drift between them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from wotd_mlx.corpus.labels import EVERYDAY, STYLES
from wotd_mlx.store.db import LexEntry

CONFIDENT = ("label", "cue", "common", "keywords")
KEEP = ("label", "cue", "common")  # the dictionary's own labels and common words: never overridden


@dataclass
class StyleModelConfig:
    """Fit and decision settings of the style classifier."""

    steps: int = 300
    lr: float = 0.05
    l2: float = 1e-3
    holdout: float = 0.1
    # Chosen on scripts/data/label_dev.tsv (style exact / share of everyday): 0.5 0.52/54%, 0.6 0.60/65%,
    # 0.65 0.64/69%, 0.7 0.69/74%; 0.65 is the best that keeps everyday under 70% of the lexicon.
    min_prob: float = 0.65
    balance: float = 0.5  # class weight = (n / (K n_c)) ** balance: 0 keeps the rules' prior, 1 is balanced
    seed: int = 0


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def fit_logreg(X: np.ndarray, y: np.ndarray, n_classes: int, cfg: StyleModelConfig) -> tuple[np.ndarray, ...]:
    """Class-balanced multinomial logistic regression by full-batch Adam: (mean, scale, W, b)."""
    mu, sd = X.mean(0), X.std(0) + 1e-6
    Z = (X - mu) / sd
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    cw = np.where(counts > 0, (counts.sum() / (n_classes * np.maximum(counts, 1))) ** cfg.balance, 0.0)
    sw = (cw[y] / cw[y].sum()).astype(np.float32)
    W = np.zeros((X.shape[1], n_classes), np.float32)
    b = np.zeros(n_classes, np.float32)
    onehot = np.eye(n_classes, dtype=np.float32)[y]
    m = [np.zeros_like(W), np.zeros_like(b)]
    v = [np.zeros_like(W), np.zeros_like(b)]
    for t in range(1, cfg.steps + 1):
        g = (_softmax(Z @ W + b) - onehot) * sw[:, None]
        grads = [Z.T @ g + cfg.l2 * W, g.sum(0)]
        for k, (p, gr) in enumerate(zip((W, b), grads, strict=True)):
            m[k] = 0.9 * m[k] + 0.1 * gr
            v[k] = 0.999 * v[k] + 0.001 * gr * gr
            p -= cfg.lr * (m[k] / (1 - 0.9**t)) / (np.sqrt(v[k] / (1 - 0.999**t)) + 1e-8)
    return mu, sd, W, b


def _logits(model: tuple[np.ndarray, ...], X: np.ndarray) -> np.ndarray:
    mu, sd, W, b = model
    return ((X - mu) / sd) @ W + b


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises held-out negative log-likelihood (grid 0.25..5)."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(5.0), 60))
    nll = [-np.log(_softmax(logits / t)[np.arange(len(y)), y] + 1e-12).mean() for t in grid]
    return float(grid[int(np.argmin(nll))])


def calibration_error(prob: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of the top class (equal-width confidence bins)."""
    conf, pred = prob.max(1), prob.argmax(1)
    idx = np.minimum((conf * bins).astype(int), bins - 1)
    return float(sum(abs((pred[idx == k] == y[idx == k]).mean() - conf[idx == k].mean()) * (idx == k).mean()
                     for k in range(bins) if (idx == k).any()))  # fmt: skip


def refine_styles(
    entries: Sequence[LexEntry],
    X: np.ndarray,
    evidence: dict[str, str],
    cfg: StyleModelConfig | None = None,
) -> tuple[list[LexEntry], dict]:
    """Entries with their final style (rule in the module docstring) and a report of the classifier."""
    cfg = cfg or StyleModelConfig()
    n_cls = len(STYLES)
    y_rule = np.array([e.style for e in entries], np.int64)
    source = [evidence.get(e.word, "default") for e in entries]
    conf_idx = np.array([i for i, s in enumerate(source) if s in CONFIDENT], np.int64)
    if len(conf_idx) < 2 * n_cls or len(np.unique(y_rule[conf_idx])) < 2:
        return list(entries), {"skipped": f"only {len(conf_idx)} confident words"}
    rng = np.random.default_rng(cfg.seed)
    perm = rng.permutation(conf_idx)
    n_val = max(1, int(round(cfg.holdout * len(perm))))
    val, train = np.sort(perm[:n_val]), np.sort(perm[n_val:])
    X = np.asarray(X, np.float32)
    model = fit_logreg(X[train], y_rule[train], n_cls, cfg)
    temp = fit_temperature(_logits(model, X[val]), y_rule[val])
    prob = _softmax(_logits(model, X) / temp)
    pred, top = prob.argmax(1), prob.max(1)
    out, changed = [], 0
    for i, e in enumerate(entries):
        style = e.style
        if source[i] not in KEEP:
            if top[i] >= cfg.min_prob:
                style = int(pred[i])
            elif source[i] not in CONFIDENT:
                style = EVERYDAY  # one keyword or a verse quotation alone is too weak to leave "everyday"
        changed += style != e.style
        out.append(e if style == e.style else replace(e, style=style))
    counts = Counter(e.style for e in out)
    report = {
        "confident_words": int(len(conf_idx)),
        "holdout_accuracy": float((pred[val] == y_rule[val]).mean()),
        "holdout_ece": calibration_error(prob[val], y_rule[val]),
        "temperature": temp,
        "changed": int(changed),
        "distribution": {STYLES[k]: round(counts[k] / len(out), 3) for k in range(n_cls)},
    }
    return out, report
