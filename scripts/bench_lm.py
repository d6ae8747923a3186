"""How good are the words the fine-tuned LM writes for a semantic ID? LoRA vs the same base model without
the adapter vs the retrieval baseline, side by side in one run on one trained home.

For a sample of occupied IDs stratified by style (every style, many complexity/era cells):
- semantic consistency: the words' own IDs (the encoder on their embeddings, i.e. re-embedded and encoded)
  have the requested style / complexity / era (all three, and each axis);
- constrained decoding, within the ID's pool (what `wotd generate` does) and over the whole lexicon (what
  the LM itself knows about the ID): real-word rate, distinct words, how many were training words for that
  ID ("copy rate") or anywhere in the training examples, latency per word;
- free decoding (no trie; shown in the lexicon rows): format adherence (lines that parse as
  "word: definition"), real-word rate and consistency.

Usage: .venv/bin/python scripts/bench_lm.py [--home DIR] [--ids 40] [-n 5] [--json]
(the home must hold a finished `wotd train` run with its LM; default $WOTD_HOME or ~/.wotd)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from wotd_mlx.config import LMConfig, TrainConfig, wotd_home
from wotd_mlx.lm.data import build_examples
from wotd_mlx.lm.dsl import PromptFormat
from wotd_mlx.session import Wotd
from wotd_mlx.store import Store

AXES = ("style", "complexity", "era")


def sample_ids(codes: np.ndarray, n_ids: int, seed: int = 0) -> list[tuple[int, ...]]:
    """n_ids occupied IDs, an equal share per style, drawn uniformly among that style's occupied IDs."""
    rng = np.random.default_rng(seed)
    occupied = sorted({tuple(int(x) for x in c) for c in codes})
    by_style = defaultdict(list)
    for sid in occupied:
        by_style[sid[0]].append(sid)
    per_style = max(1, n_ids // len(by_style))
    out = []
    for style in sorted(by_style):
        ids = by_style[style]
        out += [ids[i] for i in rng.choice(len(ids), size=min(per_style, len(ids)), replace=False)]
    return out


def training_words(w: Wotd, cfg: LMConfig) -> dict[tuple[int, ...], set[str]]:
    """The words each ID's training examples showed the LM (rebuilt exactly as the pipeline built them)."""
    words = w.index.words
    entries = w.store.entries(words)
    fmt = PromptFormat(cfg.names_in_prompt, cfg.definition_words)
    defs = [entries[x].definition if x in entries else "" for x in words]
    examples = build_examples(
        words, defs, w.codes, w.axes, fmt, cfg.examples, cfg.lines_per_example, cfg.seed
    )
    seen: dict[tuple[int, ...], set[str]] = defaultdict(set)
    for ex in examples:
        seen[ex.semantic_id] |= {word for word, _ in ex.lines}
    return seen


def score(w: Wotd, results: dict, seen: dict) -> dict:
    """Consistency, copy and distinctness of {sid: [words]}."""
    all_seen = set().union(*seen.values())
    words = [x for ws in results.values() for x in ws]
    match = {a: [] for a in (*AXES, "all3", "exact")}
    copied, anywhere = [], []
    for sid, ws in results.items():
        for x in ws:
            own = w.codes[w.index.position[x]]
            for j, a in enumerate(AXES):
                match[a].append(own[j] == sid[j])
            match["all3"].append(tuple(own[:3]) == sid[:3])
            match["exact"].append(tuple(own) == sid)
            copied.append(x in seen.get(sid, ()))
            anywhere.append(x in all_seen)
    return {
        "consistency": float(np.mean(match["all3"])),
        **{f"consistency_{a}": float(np.mean(match[a])) for a in (*AXES, "exact")},
        "distinct": len(set(words)) / max(1, len(words)),
        "copy_rate": float(np.mean(copied)),
        "seen_in_training": float(np.mean(anywhere)),
        "words": len(words),
    }


def run(home: Path, n_ids: int, n: int) -> dict:
    with Store(home / "wotd.db") as store:
        w = Wotd.open(store, "torch")
        if not w.has_lm:
            raise SystemExit("this run has no fine-tuned LM; run `wotd train` (with the LM stage) first")
        cfg = TrainConfig.from_dict(w.run.config).lm
        ids = sample_ids(w.codes, n_ids)
        seen = training_words(w, cfg)
        lexicon = set(w.index.words)
        gens = {"lora": w.generator(with_adapter=True), "base": w.generator(with_adapter=False)}
        pools = {sid: w.pool(sid, n) for sid in ids}
        report = {"home": str(home), "run_id": w.run.id, "ids": len(ids), "n_per_id": n, "systems": {}}
        for name, gen in gens.items():
            # "pool": what `wotd generate` does (the LM picks within the ID's pool); "lexicon": the LM alone,
            # constrained only to real words, which shows what it learned about the ID
            for scope in ("pool", "lexicon"):
                print(f"{name} ({scope}): {len(ids)} IDs x {n} words", file=sys.stderr, flush=True)
                t = time.perf_counter()
                results = {
                    sid: [x.word for x in gen.generate(sid, n, only=pools[sid] if scope == "pool" else None)]
                    for sid in ids
                }
                ms = 1000 * (time.perf_counter() - t) / (len(ids) * n)
                real = float(np.mean([x in lexicon for ws in results.values() for x in ws]))
                report["systems"][f"{name} ({scope})"] = score(w, results, seen) | {
                    "real_word_rate": real,
                    "ms_per_word": ms,
                    "example": {",".join(map(str, ids[0])): results[ids[0]]},
                }
            # a line is a word and at most 24 definition tokens; longer output has left the format anyway
            free_lines = [gen.fmt.parse(gen.free(sid, n, max_tokens=32 * n)) for sid in ids]
            flat = [p for lines in free_lines for p in lines[:n]]
            parsed = [p for p in flat if p is not None]
            free_real = {
                sid: [p[0] for p in lines[:n] if p and p[0] in lexicon]
                for sid, lines in zip(ids, free_lines, strict=True)
            }
            report["systems"][f"{name} (lexicon)"] |= {
                "free_format_adherence": len(parsed) / (len(ids) * n),
                "free_real_word_rate": sum(p[0] in lexicon for p in parsed) / max(1, len(parsed)),
                "free_consistency": (
                    score(w, free_real, seen)["consistency"] if any(free_real.values()) else 0.0
                ),
            }
        t = time.perf_counter()
        results = {sid: [r["word"] for r in w.retrieve(sid, n)] for sid in ids}
        ms = 1000 * (time.perf_counter() - t) / (len(ids) * n)
        report["systems"]["retrieval"] = score(w, results, seen) | {"real_word_rate": 1.0, "ms_per_word": ms}
        return report


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--home", type=Path, default=wotd_home())
    p.add_argument("--ids", type=int, default=40)
    p.add_argument("-n", type=int, default=5)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    report = run(args.home, args.ids, args.n)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    cols = ["consistency", "consistency_style", "consistency_complexity", "consistency_era", "real_word_rate",
            "distinct", "copy_rate", "seen_in_training", "ms_per_word", "free_format_adherence",
            "free_real_word_rate", "free_consistency"]  # fmt: skip
    print(f"{report['ids']} IDs x {report['n_per_id']} words, run {report['run_id']}\n")
    print("| metric | " + " | ".join(report["systems"]) + " |")
    print("|---|" + "---:|" * len(report["systems"]))
    for c in cols:
        vals = [s.get(c) for s in report["systems"].values()]
        print(f"| {c} | " + " | ".join("-" if v is None else f"{v:.3f}" for v in vals) + " |")
    for name, s in report["systems"].items():
        if "example" in s:
            print(f"\n{name}: {s['example']}")


if __name__ == "__main__":
    main()
