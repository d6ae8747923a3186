"""Which text should stand for a word, and how good is the semantic encoder against simple baselines?

For each text format ("word", "word_definition") on the real lexicon: held-out per-axis accuracy of the
semantic encoder, the majority-class and a linear-probe (logistic regression) baseline on the same split,
the embedding-vs-decoded cosine, and search by meaning on scripts/data/meaning_queries.tsv (R@1, R@10, MRR).

Usage: .venv/bin/python scripts/eval_encoder.py [--home DIR] [--max-words N] [--json]
(--home reuses that WOTD_HOME's embedding cache; default a temporary one.)
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from wotd_mlx.config import CorpusConfig, EmbedConfig, EncoderConfig
from wotd_mlx.corpus import build_lexicon
from wotd_mlx.embed import embed_cached, load_embedder, word_text
from wotd_mlx.semantic import split_holdout, train_encoder
from wotd_mlx.store import Store

AXES = ("style", "complexity", "era")
QUERIES = Path(__file__).parent / "data" / "meaning_queries.tsv"


def search_quality(embedder, X: np.ndarray, words: list[str]) -> dict:
    """R@1, R@10 and MRR of the hand-written meaning queries whose target word is in the lexicon."""
    with QUERIES.open() as f:
        pairs = [(r["query"], r["word"]) for r in csv.DictReader(f, delimiter="\t")]
    pos = {w: i for i, w in enumerate(words)}
    pairs = [(q, w) for q, w in pairs if w in pos]
    Q = embedder.embed([q for q, _ in pairs])
    ranks = []
    for qv, (_, w) in zip(Q, pairs, strict=True):
        sims = X @ qv
        ranks.append(int((sims > sims[pos[w]]).sum()) + 1)
    r = np.array(ranks)
    return {
        "queries": len(r),
        "r_at_1": float((r <= 1).mean()),
        "r_at_10": float((r <= 10).mean()),
        "mrr": float((1.0 / r).mean()),
    }


def baselines(X: np.ndarray, y: np.ndarray, train_idx: np.ndarray, val_idx: np.ndarray) -> dict:
    out = {}
    for j, axis in enumerate(AXES):
        majority = np.bincount(y[train_idx, j]).argmax()
        probe = LogisticRegression(max_iter=300).fit(X[train_idx], y[train_idx, j])
        out[axis] = {
            "majority": float((y[val_idx, j] == majority).mean()),
            "linear_probe": float(probe.score(X[val_idx], y[val_idx, j])),
        }
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--home", type=Path)
    p.add_argument("--max-words", type=int)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    entries = build_lexicon(CorpusConfig(max_words=args.max_words))
    words = [e.word for e in entries]
    y = np.array([[e.style, e.complexity, e.era] for e in entries])
    enc_cfg = EncoderConfig()
    train_idx, val_idx = split_holdout(y[:, 0], enc_cfg.holdout, enc_cfg.seed)  # the split train_encoder uses
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp)
        with Store(home / "wotd.db") as store:
            for fmt in ("word", "word_definition"):
                cfg = EmbedConfig(text_format=fmt)
                embedder = load_embedder(cfg, "torch")
                X = embed_cached(embedder, [word_text(e.word, e.definition, fmt) for e in entries], store)
                _, m = train_encoder(X, y, enc_cfg, "torch")
                results[fmt] = {
                    "encoder": m["holdout"],
                    "baselines": baselines(X, y, train_idx, val_idx),
                    "search": search_quality(embedder, X, words),
                }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"lexicon words: {len(entries)}, held out: {len(val_idx)}\n")
    print("| text format | axis | encoder | linear probe | majority |\n|---|---|---|---|---|")
    for fmt, r in results.items():
        for axis in AXES:
            b = r["baselines"][axis]
            print(
                f"| {fmt} | {axis} | {r['encoder']['accuracy'][axis]:.3f} | {b['linear_probe']:.3f} | "
                f"{b['majority']:.3f} |"
            )
    print("\n| text format | decoded cosine | search R@1 | R@10 | MRR | queries |\n|---|---|---|---|---|---|")
    for fmt, r in results.items():
        s = r["search"]
        print(
            f"| {fmt} | {r['encoder']['mean_cosine']:.3f} | {s['r_at_1']:.3f} | {s['r_at_10']:.3f} | "
            f"{s['mrr']:.3f} | {s['queries']} |"
        )


if __name__ == "__main__":
    main()
