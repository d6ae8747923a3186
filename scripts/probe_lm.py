"""How much of a word's style, complexity and era the base LM's own representation of the word carries.

    WOTD_HOME=<trained home> .venv/bin/python scripts/probe_lm.py [--words 3000] [--json]

Issue 13 asks the LM to write words of a requested style, complexity and era with no pool. A prompt can
only steer it towards what it can tell apart, so a linear probe shows what conditioning has to work with:
for a seeded sample of lexicon words, the mean hidden state of the word's tokens (Gemma-3-270M, base
weights, the word as it starts a DSL line) at the middle and the last layer; a multinomial logistic
regression (style_model.fit_logreg, no class weights) trained on 80% and scored on the other 20%, beside the
majority class and the same probe on the run's MiniLM vectors of "word: definition" (what the semantic
encoder reads).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wotd_mlx.config import EmbedConfig, wotd_home  # noqa: E402
from wotd_mlx.corpus import style_model as sm  # noqa: E402
from wotd_mlx.embed import load_embedder, word_text  # noqa: E402
from wotd_mlx.store import Store  # noqa: E402

AXES = ("style", "complexity", "era")


def gemma_features(lm_dir: Path, words: list[str], batch: int = 64) -> dict[str, np.ndarray]:
    """Mean hidden state over each word's tokens, at the middle and the last layer."""
    import torch

    from wotd_mlx.lm.data import Tokens
    from wotd_mlx.lm.torch_lm import load_model
    from wotd_mlx.lm.train import load_tokenizer

    toks = Tokens(load_tokenizer(lm_dir))
    model = load_model(lm_dir).eval()
    mid, last = [], []
    for start in range(0, len(words), batch):
        seqs = [toks.bos + toks.encode(w) for w in words[start : start + batch]]
        width = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), width), toks.pad, dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = torch.tensor(s)
            mask[i, : len(s)] = 1
        with torch.no_grad():
            hidden = model(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states
        word = mask.clone()
        word[:, : len(toks.bos)] = 0  # the word's own tokens, not BOS
        w = (word / word.sum(1, keepdim=True)).unsqueeze(-1).float()
        mid.append((hidden[len(hidden) // 2] * w).sum(1).numpy())
        last.append((hidden[-1] * w).sum(1).numpy())
    return {"gemma, middle layer": np.concatenate(mid), "gemma, last layer": np.concatenate(last)}


def probe(X: np.ndarray, y: np.ndarray, train: np.ndarray, test: np.ndarray) -> dict[str, float]:
    """Held-out exact accuracy and within-one accuracy of a linear probe."""
    cfg = replace(sm.StyleModelConfig(), balance=0.0)
    pred = sm.predict(sm.fit_logreg(X[train], y[train], 8, cfg), X[test]).argmax(1)
    return {
        "exact": round(float((pred == y[test]).mean()), 3),
        "within_one": round(float((abs(pred - y[test]) <= 1).mean()), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=3000, help="lexicon words sampled (seeded)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    home = wotd_home()
    from wotd_mlx.lm.models import prepare_default_lm

    lm_dir = prepare_default_lm(home)  # once per home (about 40 s); afterwards it is read back
    with Store(home / "wotd.db") as store:
        lexicon = store.lexicon()
        rng = np.random.default_rng(args.seed)
        entries = [
            lexicon[i] for i in rng.choice(len(lexicon), size=min(args.words, len(lexicon)), replace=False)
        ]
        embedder = load_embedder(EmbedConfig(), "torch")
        texts = [word_text(e.word, e.definition, EmbedConfig().text_format) for e in entries]
        cached = store.cached_embeddings(embedder.model_id, texts)
    missing = [t for t in texts if t not in cached]
    if missing:  # a home trained on other texts: embed what its cache lacks, in one call
        cached.update(zip(missing, embedder.embed(missing), strict=True))
    minilm = np.stack([cached[t] for t in texts])
    features = {**gemma_features(lm_dir, [e.word for e in entries]), "MiniLM, word: definition": minilm}
    order = rng.permutation(len(entries))
    train, test = order[: int(0.8 * len(order))], order[int(0.8 * len(order)) :]
    report: dict = {"words": len(entries), "test_words": len(test), "axes": {}}
    for axis in AXES:
        y = np.array([getattr(e, axis) for e in entries])
        majority = np.bincount(y[train], minlength=8).argmax()
        rows = {"majority class": {"exact": round(float((y[test] == majority).mean()), 3)}}
        rows.update({name: probe(X, y, train, test) for name, X in features.items()})
        report["axes"][axis] = rows
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for axis, rows in report["axes"].items():
        print(axis)
        for name, r in rows.items():
            print(
                f"  {name:28s} exact {r['exact']:.3f}"
                + (f"  within one {r['within_one']:.3f}" if "within_one" in r else "")
            )


if __name__ == "__main__":
    main()
