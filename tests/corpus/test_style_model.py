"""The style classifier on synthetic clustered vectors: it learns from confident rule labels only."""

from __future__ import annotations

import numpy as np

from wotd_mlx.corpus.style_model import StyleModelConfig, calibration_error, refine_styles
from wotd_mlx.store.db import LexEntry


def _data(n_per: int = 60, seed: int = 0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(8, 32)) * 3
    X, entries, evidence = [], [], {}
    for c in range(8):
        for i in range(n_per):
            X.append(centres[c] + rng.normal(size=32))
            word = f"w{c}x{i}"
            # two thirds confident with the true class; the rest fell to "everyday" by default
            confident = i % 3 != 0
            entries.append(LexEntry(word, "n.", "d", "", "", 2.0, [], c if confident else 0, 3, 2))
            evidence[word] = ("keywords" if i % 3 == 1 else "label") if confident else "default"
    X = np.asarray(X, np.float32)
    return X / np.linalg.norm(X, axis=1, keepdims=True), entries, evidence


def test_refine_recovers_defaulted_words_and_keeps_labels():
    X, entries, evidence = _data()
    out, report = refine_styles(entries, X, evidence, StyleModelConfig(steps=200))
    truth = [int(e.word[1]) for e in entries]
    defaulted = [i for i, e in enumerate(entries) if evidence[e.word] == "default"]
    recovered = np.mean([out[i].style == truth[i] for i in defaulted])
    assert recovered > 0.9, recovered
    for e, o in zip(entries, out, strict=True):
        if evidence[e.word] == "label":
            assert o.style == e.style  # the dictionary's own labels are never overridden
    assert report["holdout_accuracy"] > 0.9 and 0 <= report["holdout_ece"] < 0.2
    assert report["changed"] >= len(defaulted) * 0.8
    assert abs(sum(report["distribution"].values()) - 1) < 0.01


def test_too_few_confident_words_leaves_rules():
    X, entries, evidence = _data(n_per=2)
    out, report = refine_styles(entries, X, dict.fromkeys(evidence, "default"))
    assert [e.style for e in out] == [e.style for e in entries] and "skipped" in report


def test_calibration_error_of_perfect_and_overconfident():
    y = np.array([0, 1, 0, 1])
    assert calibration_error(np.eye(2)[y], y) == 0.0
    assert calibration_error(np.eye(2)[1 - y], y) == 1.0
