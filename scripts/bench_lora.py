"""Tokens/s of our LoRA training step (torch) against a plain PEFT loop, same model, data and settings.

Both loops train the same PEFT LoRA (rank, scale, blocks, layers from LMConfig) on the same DSL batches
from a trained run, with AdamW. The plain loop is the textbook one: `model(input_ids, labels=...)` with
-100 on the prompt and padding, so the output layer runs on every position. Ours runs the output layer only
on the completion positions. Blocks of steps alternate between the two loops so machine noise hits both;
the first step's losses are compared to show they optimise the same objective.

Usage: .venv/bin/python scripts/bench_lora.py [--home DIR] [--steps 12] [--rounds 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from wotd_mlx.config import TrainConfig, wotd_home
from wotd_mlx.lm import resolve_lm_dir, torch_lm
from wotd_mlx.lm.data import Tokens, batch_schedule, examples_for, make_batch
from wotd_mlx.memory import peak_rss_mb
from wotd_mlx.session import Wotd
from wotd_mlx.store import Store


def plain_step(model, opt, batch) -> float:
    """The textbook PEFT step: full logits, labels with -100 outside the completion."""
    inputs = torch.from_numpy(batch.inputs).long()
    # whole sequences (inputs plus each one's last token); transformers shifts the labels by one itself
    full = torch.cat([inputs, torch.zeros(inputs.shape[0], 1, dtype=torch.long)], 1)
    labels = torch.full(full.shape, -100, dtype=torch.long)
    b, t = (torch.from_numpy(x).long() for x in np.divmod(batch.positions, inputs.shape[1]))
    targets = torch.from_numpy(batch.targets).long()
    full[b, t + 1] = targets
    labels[b, t + 1] = targets
    model.train()
    loss = model(input_ids=full, labels=labels).loss
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return float(loss.detach())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--home", type=Path, default=wotd_home())
    p.add_argument("--steps", type=int, default=12, help="steps per block")
    p.add_argument("--rounds", type=int, default=2, help="alternating blocks per loop")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()

    with Store(args.home / "wotd.db") as store:
        w = Wotd.open(store, "torch")
        cfg = TrainConfig.from_dict(w.run.config).lm
        entries = store.entries(w.index.words)
        defs = [entries[x].definition if x in entries else "" for x in w.index.words]
    lm_dir = resolve_lm_dir(cfg.model, args.home)
    examples = examples_for(w.index.words, defs, w.codes, w.axes, cfg)
    toks = Tokens(torch_lm.load_tokenizer(lm_dir))
    seqs = [toks.example(e) for e in examples]
    n = args.steps * args.rounds + 1
    schedule = batch_schedule(len(seqs), cfg.batch_size, n, cfg.seed)
    batches = [make_batch([seqs[i] for i in idx], toks.pad) for idx in schedule]

    ours_model = torch_lm.add_lora(torch_lm.load_model(lm_dir), cfg)
    ours = torch_lm.TorchLoRA(ours_model, cfg)
    plain_model = torch_lm.add_lora(torch_lm.load_model(lm_dir), cfg)
    torch_lm.set_adapter(plain_model, torch_lm.get_adapter(ours_model))
    plain_opt = torch.optim.AdamW(
        [q for q in plain_model.parameters() if q.requires_grad], lr=cfg.lr, weight_decay=cfg.weight_decay
    )
    first = {"ours": ours.step(batches[0]), "plain": plain_step(plain_model, plain_opt, batches[0])}
    time_s = {"ours": 0.0, "plain": 0.0}
    tokens = {"ours": 0, "plain": 0}
    for r in range(args.rounds):
        block = batches[1 + r * args.steps : 1 + (r + 1) * args.steps]
        for name in ("ours", "plain") if r % 2 == 0 else ("plain", "ours"):
            tic = time.perf_counter()
            for b in block:
                ours.step(b) if name == "ours" else plain_step(plain_model, plain_opt, b)
            time_s[name] += time.perf_counter() - tic
            tokens[name] += sum(b.n_tokens for b in block)
    tps = {k: tokens[k] / time_s[k] for k in time_s}
    completion = float(np.mean([len(b.targets) / b.n_tokens for b in batches]))
    result = {
        "model": cfg.model,
        "rank": cfg.rank,
        "num_layers": cfg.num_layers,
        "batch_size": cfg.batch_size,
        "steps_each": args.steps * args.rounds,
        "tokens_per_s": tps,
        "ratio_ours_over_plain": tps["ours"] / tps["plain"],
        "first_step_loss": first,
        "completion_token_share": completion,
        "torch_threads": torch.get_num_threads(),
        "peak_rss_mb": peak_rss_mb(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"| loop | tokens/s |\n|---|---:|\n| ours (output layer on completion only) | {tps['ours']:.0f} |")
    print(f"| plain PEFT (full logits, -100 labels) | {tps['plain']:.0f} |")
    print(
        f"\nratio ours/plain: {result['ratio_ours_over_plain']:.2f}x; first-step loss ours "
        f"{first['ours']:.4f}, plain {first['plain']:.4f}; completion share of tokens {completion:.2f}"
    )


if __name__ == "__main__":
    main()
