"""Does the fine-tuned LM earn its place? Every system for "words for a semantic ID", side by side in one run
on one trained home, on IDs sampled across all occupied style/complexity/era cells.

Systems:
- `lora (lexicon)`: the LM alone, decoding constrained only to real lexicon words (the trie, no pool): what
  the LM itself knows about the ID;
- `lora (pool)`: what `wotd generate --method lm` does (the LM picks within the ID's pool of cell words);
- `base (lexicon)`, `base (pool)`: the same Gemma without the adapter, same prompt;
- `retrieval`: `wotd generate` (the default): the cell's words with the dictionary's definitions.

Metrics, per system:
- consistency: the share of words whose own ID (the encoder on their embedding) has the requested style,
  complexity and era (all three, and each axis);
- novel: the share of words that were neither in any LM training line nor in the ID's pool;
- tautology: definitions that use their headword or its stem (lm/trust.py);
- faithful: definitions nearer their own word's dictionary definition than any other word of the same
  answer, and at least the threshold similar to it; the threshold is chosen on training words
  (the words of the LM's training lines, defined by the LM under their training IDs), never on the
  evaluation IDs; similarity: mean cosine to the word's own dictionary definition;
- shown: what `generate` shows by default after the check (LM definitions kept);
- latency: warm ms per word with its definition (in this process) and cold seconds to the first word
  (a new `wotd generate -n 1` process).

A blind side-by-side: for each ID, the LoRA (pool) and base (pool) answers in random order as A/B (the key
kept apart), scored by faithfulness and similarity; `--pairs FILE` writes them for reading by eye.

Usage: .venv/bin/python scripts/bench_lm.py [--home DIR] [--ids 50] [-n 3] [--free-ids 16]
       [--calibration-words 48] [--pairs FILE] [--json]
(the home must hold a finished `wotd train` run with its LM; default $WOTD_HOME or ~/.wotd)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from wotd_mlx.config import LMConfig, TrainConfig, wotd_home
from wotd_mlx.lm.data import examples_for
from wotd_mlx.lm.trust import calibrate, faithfulness, tautology
from wotd_mlx.session import Wotd
from wotd_mlx.store import Store

AXES = ("style", "complexity", "era")


def sample_ids(codes: np.ndarray, n_ids: int, seed: int = 0) -> list[tuple[int, ...]]:
    """n_ids occupied IDs: distinct style/complexity/era cells drawn uniformly among the occupied cells, then
    one occupied ID (variation) of each cell."""
    rng = np.random.default_rng(seed)
    by_cell = defaultdict(list)
    for sid in sorted({tuple(int(x) for x in c) for c in codes}):
        by_cell[sid[:3]].append(sid)
    cells = sorted(by_cell)
    picked = rng.choice(len(cells), size=min(n_ids, len(cells)), replace=False)
    return [by_cell[cells[i]][rng.integers(len(by_cell[cells[i]]))] for i in sorted(picked)]


def training_lines(w: Wotd, cfg: LMConfig) -> list[tuple[tuple[int, ...], str]]:
    """(ID, word) of every training line, rebuilt exactly as the pipeline built them."""
    words = w.index.words
    entries = w.store.entries(words)
    defs = [entries[x].definition if x in entries else "" for x in words]
    examples = examples_for(words, defs, w.codes, w.axes, cfg)
    return [(ex.semantic_id, word) for ex in examples for word, _ in ex.lines]


def quality(
    w: Wotd, answers: dict, pools: dict, trained: set[str], dictionary: dict, threshold: float
) -> dict:
    """Consistency, novelty, tautology and faithfulness of {sid: [(word, definition), ...]}."""
    match = {a: [] for a in (*AXES, "all3")}
    novel, taut, faithful, sims = [], [], [], []
    for sid, lines in answers.items():
        pool = {w.index.words[i] for i in pools[sid]}
        for word, definition in lines:
            own = w.codes[w.index.position[word]]
            for j, a in enumerate(AXES):
                match[a].append(own[j] == sid[j])
            match["all3"].append(tuple(own[:3]) == sid[:3])
            novel.append(word not in trained and word not in pool)
            taut.append(tautology(word, definition))
        words = [x for x, _ in lines]
        verdicts = faithfulness(
            words, [d for _, d in lines], [dictionary[x] for x in words], w.embedder.embed, threshold
        )
        faithful += [v.ok for v in verdicts]
        sims += [np.nan if v.similarity is None else v.similarity for v in verdicts]
    return {
        "consistency": float(np.mean(match["all3"])),
        **{f"consistency_{a}": float(np.mean(match[a])) for a in AXES},
        "novel": float(np.mean(novel)),
        "tautology": float(np.mean(taut)),
        "faithful": float(np.mean(faithful)),
        "similarity": float(np.nanmean(sims)),
        "words": len(novel),
    }


def calibrate_threshold(w: Wotd, lines: list, dictionary: dict, k: int, seed: int = 0):
    """The threshold, chosen on training words exactly as `wotd train` does (lm/trust.py)."""
    rng = np.random.default_rng(seed)
    unique = list(dict.fromkeys((sid, x) for sid, x in lines if dictionary.get(x, "").strip()))
    picked = [unique[i] for i in sorted(rng.choice(len(unique), min(k, len(unique)), replace=False))]
    gen = w.generator()
    lm_defs = [gen.define(sid, w.index.position[x]) for sid, x in picked]
    return calibrate(lm_defs, [dictionary[x] for _, x in picked], w.embedder.embed)


def cold_start(home: Path, sid: tuple[int, ...], method: str) -> float:
    """Seconds for a new `wotd generate -n 1` process to print its first word."""
    env = os.environ | {"WOTD_HOME": str(home)}
    wotd = Path(sys.executable).with_name("wotd")
    t = time.perf_counter()
    out = subprocess.run(
        [str(wotd), "generate", ",".join(map(str, sid)), "-n", "1", "--method", method, "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - t
    if out.returncode != 0:
        raise SystemExit(f"wotd generate failed: {out.stderr}")
    return elapsed


def run(home: Path, n_ids: int, n: int, free_ids: int, k: int, pairs_path: Path | None) -> dict:
    say = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    cold = {m: cold_start(home, (0, 0, 0, 0), m) for m in ("retrieval", "lm")}
    with Store(home / "wotd.db") as store:
        w = Wotd.open(store, "torch")
        if not w.has_lm:
            raise SystemExit("this run has no fine-tuned LM; run `wotd train` (with the LM stage) first")
        cfg = TrainConfig.from_dict(w.run.config).lm
        ids = sample_ids(w.codes, n_ids)
        lines = training_lines(w, cfg)
        trained = {x for _, x in lines}
        entries = w.store.entries(w.index.words)
        dictionary = {x: entries[x].definition if x in entries else "" for x in w.index.words}
        pools = {sid: w.pool(sid, n) for sid in ids}
        say(f"calibrating the threshold on {k} training words")
        cal = calibrate_threshold(w, lines, dictionary, k)
        report = {
            "home": str(home),
            "run_id": w.run.id,
            "ids": len(ids),
            "cells_occupied": len({tuple(c[:3]) for c in w.codes.tolist()}),
            "n_per_id": n,
            "calibration": cal.__dict__,
            "cold_s_first_word": cold,
            "systems": {},
        }
        answers: dict[str, dict] = {}
        for name, adapter in (("lora", True), ("base", False)):
            gen = w.generator(with_adapter=adapter)
            for scope in ("pool", "lexicon"):
                say(f"{name} ({scope}): {len(ids)} IDs x {n} words")
                t = time.perf_counter()
                got = {
                    sid: [
                        (x.word, x.definition)
                        for x in gen.generate(sid, n, only=pools[sid] if scope == "pool" else None)
                    ]
                    for sid in ids
                }
                ms = 1000 * (time.perf_counter() - t) / sum(len(v) for v in got.values())
                key = f"{name} ({scope})"
                answers[key] = got
                report["systems"][key] = quality(w, got, pools, trained, dictionary, cal.threshold) | {
                    "ms_per_word": ms
                }
        say("lora (pool) through `generate --method lm`, with the check")
        t = time.perf_counter()
        shown = {sid: w.generate(sid, n, "lm") for sid in ids}
        ms = 1000 * (time.perf_counter() - t) / sum(len(v) for v in shown.values())
        rows = [r for v in shown.values() for r in v]
        report["systems"]["lora (pool)"] |= {
            "shown_lm_definitions": float(np.mean([r["definition_source"] == "lm" for r in rows])),
            "ms_per_word_checked": ms,
        }
        t = time.perf_counter()
        got = {sid: [(r["word"], r["definition"]) for r in w.generate(sid, n)] for sid in ids}
        ms = 1000 * (time.perf_counter() - t) / sum(len(v) for v in got.values())
        report["systems"]["retrieval"] = quality(w, got, pools, trained, dictionary, cal.threshold) | {
            "ms_per_word": ms
        }
        say(f"free decoding (no trie) on {free_ids} IDs")
        gen, lexicon = w.generator(), set(w.index.words)
        free = [gen.fmt.parse(gen.free(sid, n, max_tokens=32 * n)) for sid in ids[:free_ids]]
        flat = [p for lines_ in free for p in lines_[:n]]
        parsed = [p for p in flat if p is not None]
        report["systems"]["lora (lexicon)"] |= {
            "free_format_adherence": len(parsed) / max(1, free_ids * n),
            "free_real_word_rate": sum(p[0] in lexicon for p in parsed) / max(1, len(parsed)),
        }
        report["side_by_side"] = side_by_side(w, ids, answers, dictionary, cal.threshold, pairs_path)
        report["example"] = {
            ",".join(map(str, ids[0])): {k: v[ids[0]] for k, v in answers.items()}
            | {"shown (lm)": [(r["word"], r["definition"], r["definition_source"]) for r in shown[ids[0]]]}
        }
        return report


def side_by_side(w, ids, answers, dictionary, threshold, path: Path | None) -> dict:
    """LoRA (pool) against base (pool), per ID, as blind A/B pairs; scores per system."""
    rng = np.random.default_rng(1)
    wins, ties, records = 0, 0, []
    for sid in ids:
        sides = {}
        for name in ("lora (pool)", "base (pool)"):
            lines = answers[name][sid]
            words = [x for x, _ in lines]
            v = faithfulness(
                words, [d for _, d in lines], [dictionary[x] for x in words], w.embedder.embed, threshold
            )
            sides[name] = (lines, np.mean([x.ok for x in v]), np.nanmean([x.similarity or np.nan for x in v]))
        lora, base = sides["lora (pool)"], sides["base (pool)"]
        wins += (lora[1], lora[2]) > (base[1], base[2])
        ties += (lora[1], lora[2]) == (base[1], base[2])
        order = ["lora (pool)", "base (pool)"][:: 1 if rng.random() < 0.5 else -1]
        records.append(
            {
                "id": list(sid),
                "A": sides[order[0]][0],
                "B": sides[order[1]][0],
                "key": {"A": order[0], "B": order[1]},
                "scores": {order[0]: sides[order[0]][1:], order[1]: sides[order[1]][1:]},
            }
        )
    if path is not None:
        path.write_text("\n".join(json.dumps(r, default=float) for r in records) + "\n")
    return {"ids": len(ids), "lora_wins": wins, "ties": ties, "base_wins": len(ids) - wins - ties}


COLUMNS = ["consistency", "consistency_style", "consistency_complexity", "consistency_era", "novel",
           "tautology", "faithful", "similarity", "shown_lm_definitions", "ms_per_word",
           "ms_per_word_checked", "free_format_adherence", "free_real_word_rate"]  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--home", type=Path, default=wotd_home())
    p.add_argument("--ids", type=int, default=50)
    p.add_argument("-n", type=int, default=3)
    p.add_argument("--free-ids", type=int, default=16, help="IDs for free (unconstrained) decoding")
    p.add_argument("--calibration-words", type=int, default=48, help="training words for the threshold")
    p.add_argument("--pairs", type=Path, help="write the blind side-by-side pairs (JSON lines) here")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    report = run(args.home, args.ids, args.n, args.free_ids, args.calibration_words, args.pairs)
    if args.json:
        print(json.dumps(report, indent=2, default=float))
        return
    cal = report["calibration"]
    print(
        f"{report['ids']} IDs (of {report['cells_occupied']} occupied cells) x {report['n_per_id']} words, "
        f"run {report['run_id']}; threshold {cal['threshold']:.3f} on {cal['words']} training words "
        f"(own pass {cal['own_pass_rate']:.2f}, own nearest {cal['own_nearest_rate']:.2f})\n"
    )
    print("| metric | " + " | ".join(report["systems"]) + " |")
    print("|---|" + "---:|" * len(report["systems"]))
    for c in COLUMNS:
        vals = [s.get(c) for s in report["systems"].values()]
        print(f"| {c} | " + " | ".join("-" if v is None else f"{v:.3f}" for v in vals) + " |")
    print(f"\ncold s to the first word: {report['cold_s_first_word']}")
    print(f"side by side: {report['side_by_side']}")
    print(f"example: {json.dumps(report['example'], indent=1)}")


if __name__ == "__main__":
    main()
