"""How many distinct batch shapes the MLX LoRA step sees, and its steps/s, with per-batch padding ("tight",
how batches were padded before) against 32-token width buckets with one target count per schedule
("bucketed") or target counts in multiples of 64 ("bucketed-t64", what MLX training uses: lm/data.py
`fixed_shape`, `TARGET_BUCKET`); "tight-twice" runs each per-batch-padded batch twice in a row to
measure what one new shape (one more trace) costs.

mlx-lm compiles its training step, and a compiled function is traced again for every new input shape, so
the number of distinct (width, target slots) pairs is the number of traces. The examples are the default
LMConfig's on the whole lexicon (the cached lexicon's words and definitions; IDs from its style, complexity
and era labels with a seeded variation, as the encoder would fill it), tokenized with the LM's tokenizer,
over the default 240-step schedule.

Timing runs mlx-lm's tuner (`mlx_lm_backend.train`) for the last `--steps` steps of that schedule, each
padding in a process of its own (MLX's in-process compile cache would otherwise carry over), from a fresh
LoRA, with few blocks trainable so it fits a short run on MLX CPU (about 7 GFLOP/s). `--small W` times a
random Gemma-3 with the real block count and layer types but width W and only the tokens the examples use:
the same compiled graph at a sliver of the compute, closer to where compute is cheap (a Mac's GPU), so the
cost of each new trace shows. MLX CPU keeps its compiled kernels on disk by op pattern, not shape; `--warm`
runs one throwaway step first so the first variant timed does not pay for filling that cache.

Usage: .venv/bin/python scripts/bench_lora_shapes.py [--lm DIR] [--steps 6] [--num-layers 2]
       [--batch-size 8] [--padding tight bucketed bucketed-t64 tight-twice | none] [--small WIDTH] [--warm]
       [--json]
(--lm defaults to the prepared Gemma-3-270M under $WOTD_HOME; `wotd models prepare` makes it)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from wotd_mlx.config import DEFAULT_LEVELS, CorpusConfig, LMConfig, wotd_home
from wotd_mlx.corpus import axis_names
from wotd_mlx.corpus.cache import cached_lexicon
from wotd_mlx.lm import resolve_lm_dir
from wotd_mlx.lm.data import BatchShape, Tokens, batch_schedule, examples_for, fixed_shape, make_batch
from wotd_mlx.lm.train import load_tokenizer

# (length bucket, target bucket) for mlx_lm_backend.train: 0 pads per batch; None is one target count
PADDINGS = {"tight": (0, None), "bucketed": (32, None), "bucketed-t64": (32, 64)}
# per-batch padding with each batch run twice in a row: the first run of a shape pays for its trace, the
# second does not, so the difference is what one new shape costs
TWICE = "tight-twice"


def shape_of(seqs, schedule, padding: str) -> BatchShape:
    length, targets = PADDINGS.get(padding, (0, None))
    return fixed_shape(seqs, schedule, length, targets) if length else BatchShape()


def lexicon_seqs(lm_dir: Path, cfg: LMConfig) -> tuple[list[tuple[list[int], int]], int]:
    """Token ids and prompt lengths of the default examples on the whole lexicon, and the pad id."""
    entries, _ = cached_lexicon(CorpusConfig(), DEFAULT_LEVELS)
    rng = np.random.default_rng(cfg.seed)
    variation = rng.integers(0, DEFAULT_LEVELS[3], len(entries))
    codes = np.array([[e.style, e.complexity, e.era, v] for e, v in zip(entries, variation, strict=True)])
    words, defs = [e.word for e in entries], [e.definition for e in entries]
    examples = examples_for(words, defs, codes, axis_names(DEFAULT_LEVELS), cfg)
    toks = Tokens(load_tokenizer(lm_dir))
    return [toks.example(e) for e in examples], toks.pad


def shape_stats(seqs, schedule, pad: int, shape: BatchShape) -> dict:
    """Distinct (width, target slots) pairs over the schedule, and what the padding costs."""
    batches = [make_batch([seqs[i] for i in idx], pad, shape) for idx in schedule]
    cells = sum(b.inputs.size for b in batches)
    real = sum(b.n_tokens - b.inputs.shape[0] for b in batches)  # each row's inputs drop its last token
    slot_sizes = [len(b.weights) for b in batches]
    slots = sum(slot_sizes)
    return {
        "distinct_shapes": len({(b.inputs.shape[1], len(b.weights)) for b in batches}),
        "widths": sorted({b.inputs.shape[1] for b in batches}),
        "target_slots": {"distinct": len(set(slot_sizes)), "max": max(slot_sizes)},
        "pad_share_of_inputs": 1 - real / cells,
        "spare_share_of_target_slots": 1 - sum(b.n_targets for b in batches) / slots,
    }


def small_gemma(real_dir: Path, out: Path, vocab: int, hidden: int) -> Path:
    """A random Gemma-3 with the real one's 18 blocks and layer types (so the same compiled graph) but
    `hidden` wide and `vocab` tokens: the compile cost of the real model at a sliver of its compute."""
    import mlx.core as mx
    from mlx.utils import tree_flatten
    from mlx_lm.models import gemma3_text

    cfg = json.loads((real_dir / "config.json").read_text())
    cfg |= {"hidden_size": hidden, "intermediate_size": 2 * hidden, "head_dim": hidden // 2}
    cfg |= {"query_pre_attn_scalar": hidden // 2, "vocab_size": vocab, "dtype": "float32"}
    mx.random.seed(0)
    model = gemma3_text.Model(gemma3_text.ModelArgs.from_dict(cfg))
    out.mkdir(parents=True, exist_ok=True)
    # no lm_head: mlx-lm then ties the output layer to the embeddings, as in the real model
    weights = {k: v for k, v in tree_flatten(model.parameters()) if not k.startswith("lm_head")}
    mx.save_safetensors(str(out / "model.safetensors"), weights)
    (out / "config.json").write_text(json.dumps(cfg))
    return out


def dense_ids(seqs, pad: int) -> tuple[list[tuple[list[int], int]], int, int]:
    """The same sequences over a vocabulary of only the tokens they use: (sequences, pad, vocabulary)."""
    used = sorted({t for ids, _ in seqs for t in ids} | {pad})
    index = {t: i for i, t in enumerate(used)}
    return [([index[t] for t in ids], n) for ids, n in seqs], index[pad], len(used)


def time_steps(lm_dir: Path, cfg: LMConfig, steps: int, padding: str, small: int) -> dict:
    """Run the last `steps` steps of the schedule through mlx-lm's tuner; seconds of each step. `small`
    > 0 trains `small_gemma` of that width instead of the model in `lm_dir` (same tokens, same batches)."""
    from wotd_mlx.lm import mlx_lm_backend as mb
    from wotd_mlx.lm.checkpoint import Checkpoint

    seqs, pad = lexicon_seqs(lm_dir, cfg)
    schedule = batch_schedule(len(seqs), cfg.batch_size, cfg.iters, cfg.seed)
    first = len(schedule) - steps
    timed = schedule[first:]
    if padding == TWICE:
        schedule = schedule[:first] + [idx for idx in timed for _ in range(2)]
    seconds, cpu, seen = [], [], [0, 0.0]

    def window(step, loss, tokens_per_s, trained, peak_mb, state_fn) -> None:
        # steps_per_report=1: each window is one step; its time is mlx-lm's own (the step, not the data).
        # CPU seconds (all threads) between reports measure the work, which the other users of a shared
        # machine slow down far less than the wall clock; the first also holds the model's loading.
        seconds.append((trained - seen[0]) / tokens_per_s)
        now = time.process_time()
        cpu.append(now - seen[1])
        seen[:] = [trained, now]

    seen[1] = time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = lm_dir
        if small:
            seqs, pad, vocab = dense_ids(seqs, pad)
            model_dir = small_gemma(lm_dir, Path(tmp) / "model", vocab, small)
        fresh = mb.get_adapter(mb.add_lora(mb.load_model(model_dir), cfg))
        start = Checkpoint(first, fresh, {}, {})  # the target count still comes from the whole schedule
        length, targets = PADDINGS.get(padding, (0, None))
        mb.train(model_dir, cfg, seqs, schedule, start, pad, window, Path(tmp) / "adapter", length, targets)
    stats = shape_stats(seqs, timed, pad, shape_of(seqs, schedule, padding))
    out = {
        "padding": padding,
        "steps": len(seconds),
        "distinct_shapes_in_these_steps": stats["distinct_shapes"],
        "step_s": seconds,
        "steps_per_s": len(seconds) / sum(seconds),
        "first_step_s": seconds[0],
        "median_later_step_s": float(np.median(seconds[1:])) if len(seconds) > 1 else None,
        "median_later_step_cpu_s": float(np.median(cpu[1:])) if len(cpu) > 1 else None,
    }
    if padding == TWICE:  # the first pair also warms up, so it is left out
        out["trace_s_per_new_shape"] = float(np.median(np.subtract(seconds[2::2], seconds[3::2])))
    return out


def _child(args, padding: str, steps: int) -> dict:
    cmd = [sys.executable, __file__, "--child", padding, "--lm", str(args.lm), "--steps", str(steps)]
    cmd += ["--num-layers", str(args.num_layers), "--batch-size", str(args.batch_size)]
    cmd += ["--small", str(args.small)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def _print(result: dict, args) -> None:
    print(f"{result['examples']} examples, {result['schedule_steps']} steps of {result['batch_size']}\n")
    print("| padding | distinct shapes | widths | pad share of inputs | spare target slots |")
    print("|---|---:|---|---:|---:|")
    for name, s in result["shapes"].items():
        widths = ", ".join(map(str, s["widths"][:6])) + (" ..." if len(s["widths"]) > 6 else "")
        print(
            f"| {name} | {s['distinct_shapes']} | {widths} | {s['pad_share_of_inputs']:.2f} "
            f"| {s['spare_share_of_target_slots']:.2f} |"
        )
    if not result["timing"]:
        return
    setup = result["timing_setup"]
    print(f"\nMLX, {setup['model']}, {args.num_layers} LoRA blocks, batch {args.batch_size}, ", end="")
    print(f"last {args.steps} steps:\n")
    print("| padding | shapes | steps/s | first step s | median later step s | median later step CPU s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, t in result["timing"].items():
        later = [t[k] for k in ("median_later_step_s", "median_later_step_cpu_s")]
        print(
            f"| {name} | {t['distinct_shapes_in_these_steps']} | {t['steps_per_s']:.3f} "
            f"| {t['first_step_s']:.2f} | "
            + " | ".join("-" if x is None else f"{x:.2f}" for x in later)
            + " |"
        )
    if TWICE in result["timing"]:
        print(f"\none new shape costs {result['timing'][TWICE]['trace_s_per_new_shape']:.3f} s (median)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--lm", type=Path, default=None)
    p.add_argument("--steps", type=int, default=6, help="timed steps per padding")
    p.add_argument("--num-layers", type=int, default=2, help="LoRA blocks (the default LMConfig has 8)")
    p.add_argument("--batch-size", type=int, default=LMConfig.batch_size)
    p.add_argument(
        "--padding",
        nargs="+",
        choices=[*PADDINGS, TWICE, "none"],
        default=["tight", "bucketed"],
        help="paddings to time, in this order (none: count shapes only)",
    )
    p.add_argument("--small", type=int, default=0, help="time a random 18-block Gemma-3 this wide instead")
    p.add_argument("--warm", action="store_true", help="one throwaway step first (fills MLX's kernel cache)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--child", choices=[*PADDINGS, TWICE], help=argparse.SUPPRESS)
    args = p.parse_args()
    args.lm = args.lm or resolve_lm_dir(LMConfig.model, wotd_home(), prepare=False)
    if args.child:
        cfg = replace(LMConfig(), num_layers=args.num_layers, batch_size=args.batch_size, steps_per_report=1)
        print(json.dumps(time_steps(args.lm, cfg, args.steps, args.child, args.small)))
        return

    cfg = LMConfig()
    seqs, pad = lexicon_seqs(args.lm, cfg)
    schedule = batch_schedule(len(seqs), cfg.batch_size, cfg.iters, cfg.seed)
    result = {
        "lm": str(args.lm),
        "examples": len(seqs),
        "schedule_steps": len(schedule),
        "batch_size": cfg.batch_size,
        "sequence_tokens": {"min": min(len(s) for s, _ in seqs), "max": max(len(s) for s, _ in seqs)},
        "shapes": {
            name: shape_stats(seqs, schedule, pad, shape_of(seqs, schedule, name)) for name in PADDINGS
        },
        "timing": {},
    }
    if "none" not in args.padding:
        if args.warm:
            _child(args, "bucketed", 1)
        for padding in args.padding:
            result["timing"][padding] = _child(args, padding, args.steps)
        model = f"random 18-block Gemma-3, width {args.small}" if args.small else str(args.lm)
        result["timing_setup"] = {
            "model": model,
            "num_layers": args.num_layers,
            "batch_size": args.batch_size,
        }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print(result, args)


if __name__ == "__main__":
    main()
