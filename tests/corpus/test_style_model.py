"""The style classifier: it learns from hand labels (synthetic clusters here); its training list is clean."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wotd_mlx.corpus.labels import STYLES
from wotd_mlx.corpus.style_model import TRAIN_LIST, StyleModelConfig, read_style_list, refine_styles
from wotd_mlx.errors import WotdError
from wotd_mlx.store.db import LexEntry

DATA = Path(__file__).resolve().parents[1] / "data"
DEV = Path(__file__).resolve().parents[2] / "scripts" / "data" / "label_dev.tsv"


def _data(n_per: int = 60, seed: int = 0):
    """Eight clusters = eight styles; the rules call a third of each cluster "everyday" by default."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(8, 32)) * 3
    X, entries, evidence = [], [], {}
    for c in range(8):
        for i in range(n_per):
            X.append(centres[c] + rng.normal(size=32))
            word = f"w{c}x{i}"
            confident = i % 3 != 0
            entries.append(LexEntry(word, "n.", "d", "", "", 2.0, [], c if confident else 0, 3, 2))
            evidence[word] = ("keywords" if i % 3 == 1 else "label") if confident else "default"
    X = np.asarray(X, np.float32)
    return X / np.linalg.norm(X, axis=1, keepdims=True), entries, evidence


def test_refine_learns_hand_labels_and_keeps_them():
    X, entries, evidence = _data()
    truth = {e.word: int(e.word[1]) for e in entries}
    gold = {w: s for k, (w, s) in enumerate(truth.items()) if k % 4 == 0}  # a quarter labelled by hand
    gold["w1x4"] = 5  # a hand label the vectors disagree with still stands for its own word
    out, report = refine_styles(entries, X, evidence, StyleModelConfig(steps=200), gold=gold)
    styles = {e.word: e.style for e in out}
    unseen = [w for w in truth if w not in gold]
    assert np.mean([styles[w] == truth[w] for w in unseen]) > 0.9
    defaulted = [w for w in unseen if evidence[w] == "default"]  # the rules said "everyday": wrong
    assert np.mean([styles[w] == truth[w] for w in defaulted]) > 0.8
    assert all(styles[w] == s for w, s in gold.items())
    assert report["train_words"] == len(gold) and report["holdout_accuracy"] > 0.85
    assert report["changed"] >= len(defaulted) and abs(sum(report["distribution"].values()) - 1) < 0.01


def test_too_few_hand_labels_leaves_rules():
    X, entries, evidence = _data(n_per=2)
    out, report = refine_styles(entries, X, evidence, gold={"w1x0": 1})
    assert [e.style for e in out] == [e.style for e in entries] and "skipped" in report


def _words(path: Path) -> set[str]:
    return {line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines()[1:] if line}


def test_training_list_is_clean_and_covers_every_style():
    train = read_style_list(TRAIN_LIST)
    assert len(train) >= 600 and set(train.values()) == set(range(len(STYLES)))
    assert not set(train) & _words(DATA / "label_audit.tsv")  # evaluation data is never training data
    assert not set(train) & _words(DATA / "label_heldout.tsv")
    assert not set(train) & _words(DEV)


def test_bad_training_list(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("# note\nword\tstyle\nfoo\t9\n", encoding="utf-8")
    with pytest.raises(WotdError, match="style 9 is not in 0..7"):
        read_style_list(bad)
    with pytest.raises(WotdError, match="not found"):
        read_style_list(tmp_path / "missing.tsv")
    bad.write_text("word\tlabel\nfoo\t1\n", encoding="utf-8")
    with pytest.raises(WotdError, match="no integer `style`"):
        read_style_list(bad)
