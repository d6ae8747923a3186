"""Style from more than keywords: a classifier trained on hand labels, over meaning, rule and frequency.

The keyword rules (`labels.style_evidence`) see a word's GCIDE label, its usage cues, its frequency and its
field keywords; they put forsooth and yonder in "everyday" (GCIDE has no label for them) and electron in
"literary & archaic" (its second sense says "an obsolete term"). A classifier trained on the rules' own labels
can only copy those mistakes. This one learns from `style_train.tsv`: several hundred lexicon words labelled
by hand by the rubric of tests/data/LABEL_RUBRIC.md, sampled with fixed seeds across frequency bands and rule
styles, and never from the audit set or the dev list. Its features are the ones a lexicographer reads:

    the MiniLM vector of "word: definition" (what the word means),
    the keyword rule's style and which rule fired (GCIDE label, usage cue, common word, keywords, ...),
    the word's wordfreq zipf and whether it is common (zipf >= 4.5)

    final style = the hand label for a word of the training list,
                  else the classifier's most probable style

It is a multinomial logistic regression (full-batch Adam, class weights (n / (K n_c)) ** 0.5 so the small
styles count without swamping "everyday"). Its settings were chosen by 5-fold cross-validation on the training
list and checked on scripts/data/label_dev.tsv (BENCHMARKS.md); each run reports its cross-validated accuracy
beside the rules' agreement on the same words. Plain numpy (about 2 s on 2 cores): one implementation serves
both backends, so nothing can drift between them.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from wotd_mlx.corpus.labels import STYLES
from wotd_mlx.errors import WotdError
from wotd_mlx.store.db import LexEntry

TRAIN_LIST = Path(__file__).with_name("style_train.tsv")
EVIDENCE = ("label", "cue", "common", "keywords", "keyword", "default")  # `labels.style_evidence`
COMMON_ZIPF = 4.5


@dataclass
class StyleModelConfig:
    """Fit settings of the style classifier and where its hand-labelled training list is."""

    steps: int = 300
    lr: float = 0.05
    # Chosen by 5-fold CV on the training list (BENCHMARKS.md): l2 0.03 0.67, 0.3 0.70, 1.0 0.72, 3.0 0.66;
    # balance 0 0.64, 0.5 0.72, 1 0.61 (0 lets "everyday" take 92% of the lexicon, 1 leaves it 40%).
    l2: float = 1.0
    balance: float = 0.5  # class weight = (n / (K n_c)) ** balance: 0 keeps the list's prior, 1 is balanced
    folds: int = 5
    min_train: int = 50  # fewer hand-labelled lexicon words than this: keep the rules' styles
    train_list: str | None = None  # None: the packaged style_train.tsv
    seed: int = 0


def read_style_list(path: str | Path) -> dict[str, int]:
    """word -> style (0..7) from a tab-separated list with `word` and `style` columns ('#' lines skipped)."""
    if not Path(path).is_file():
        raise WotdError(f"style training list not found: {path} (reinstall wotd-mlx, or give a file)")
    out = {}
    with Path(path).open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for n, row in enumerate(rows, 1):
            try:
                style = int(row["style"])
            except (KeyError, TypeError, ValueError):
                raise WotdError(f"{path}: row {n} has no integer `style` column") from None
            if not 0 <= style < len(STYLES):
                raise WotdError(
                    f"{path}: row {n} ({row['word']}): style {style} is not in 0..{len(STYLES) - 1}"
                )
            out[row["word"]] = style
    return out


def style_features(entries: Sequence[LexEntry], X: np.ndarray, evidence: dict[str, str]) -> np.ndarray:
    """Per word: meaning vector, one-hot rule style, one-hot rule that fired, zipf, common-word flag."""
    rule = np.array([e.style for e in entries], np.int64)
    fired = np.array([EVIDENCE.index(evidence.get(e.word, "default")) for e in entries], np.int64)
    zipf = np.array([[e.zipf] for e in entries], np.float32)
    parts = [
        np.asarray(X, np.float32),
        np.eye(len(STYLES), dtype=np.float32)[rule],
        np.eye(len(EVIDENCE), dtype=np.float32)[fired],
        zipf,
        (zipf >= COMMON_ZIPF).astype(np.float32),
    ]
    return np.concatenate(parts, axis=1)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def fit_logreg(X: np.ndarray, y: np.ndarray, n_classes: int, cfg: StyleModelConfig) -> tuple[np.ndarray, ...]:
    """Class-weighted multinomial logistic regression by full-batch Adam: (mean, scale, W, b)."""
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


def predict(model: tuple[np.ndarray, ...], X: np.ndarray) -> np.ndarray:
    """Class probabilities of a `fit_logreg` model."""
    mu, sd, W, b = model
    return _softmax(((X - mu) / sd) @ W + b)


def cross_validate(F: np.ndarray, y: np.ndarray, cfg: StyleModelConfig) -> np.ndarray:
    """Out-of-fold predicted style of every training row (seeded `cfg.folds`-fold split)."""
    order = np.random.default_rng(cfg.seed).permutation(len(y))
    out = np.empty(len(y), np.int64)
    for f in range(cfg.folds):
        test = order[f :: cfg.folds]
        train = np.setdiff1d(order, test)
        out[test] = predict(fit_logreg(F[train], y[train], len(STYLES), cfg), F[test]).argmax(1)
    return out


def refine_styles(
    entries: Sequence[LexEntry],
    X: np.ndarray,
    evidence: dict[str, str],
    cfg: StyleModelConfig | None = None,
    gold: dict[str, int] | None = None,
) -> tuple[list[LexEntry], dict]:
    """Entries with their final style (rule in the module docstring) and a report of the classifier.
    `gold` (word -> style) replaces the training list read from `cfg.train_list`."""
    cfg = cfg or StyleModelConfig()
    if gold is None:
        gold = read_style_list(cfg.train_list or TRAIN_LIST)
    rows = [i for i, e in enumerate(entries) if e.word in gold]
    if len(rows) < cfg.min_train:
        return list(entries), {"skipped": f"only {len(rows)} hand-labelled words in the lexicon"}
    F = style_features(entries, X, evidence)
    y = np.array([gold[entries[i].word] for i in rows], np.int64)
    rule = np.array([entries[i].style for i in rows], np.int64)
    oof = cross_validate(F[rows], y, cfg)
    pred = predict(fit_logreg(F[rows], y, len(STYLES), cfg), F).argmax(1)
    out, changed = [], 0
    for i, e in enumerate(entries):
        style = gold.get(e.word, int(pred[i]))
        changed += style != e.style
        out.append(e if style == e.style else replace(e, style=style))
    counts = Counter(e.style for e in out)
    report = {
        "train_words": len(rows),
        "holdout_accuracy": round(float((oof == y).mean()), 3),  # out-of-fold, `cfg.folds`-fold CV
        "rules_accuracy_same_words": round(float((rule == y).mean()), 3),
        "changed": int(changed),
        "distribution": {STYLES[k]: round(counts[k] / len(out), 3) for k in range(len(STYLES))},
    }
    return out, report
