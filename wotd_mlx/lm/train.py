"""Fine-tune the LM with LoRA on DSL examples, on either backend, with reports and resumable checkpoints.

Layout of `out_dir`: `checkpoints/` (see checkpoint.py) while training; `adapter/` (the backend's native
adapter files) and `lm.json` (what generation needs to load it) once finished.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType

from ..backend import import_backend
from ..config import LMConfig
from ..errors import WotdError
from .checkpoint import Checkpoint, Checkpoints
from .data import Example, Tokens, batch_schedule
from .dsl import PromptFormat


@dataclass
class LMReport:
    """One report window of training, sent to the callback (CLI bar, app plot) and stored as the curve."""

    step: int
    total: int
    loss: float  # mean training loss over the window
    tokens_per_s: float  # real (non-pad) tokens per second of training steps
    trained_tokens: int
    peak_memory_mb: float
    elapsed_s: float


def load_tokenizer(lm_dir: Path):
    """The LM's Hugging Face tokenizer (both backends tokenize with it, so token ids agree)."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(lm_dir))


def backend_module(backend: str) -> ModuleType:
    """`mlx_lm_backend` or `torch_lm`, imported only now (an install needs only the framework it runs)."""
    return import_backend(__package__, {"mlx": ".mlx_lm_backend", "torch": ".torch_lm"}, backend, "the LM")


def train_lora(
    lm_dir: Path,
    out_dir: Path,
    examples: Sequence[Example],
    cfg: LMConfig,
    backend: str,
    on_report: Callable[[LMReport], None] | None = None,
) -> dict:
    """Train (continuing from the newest checkpoint in `out_dir` if there is one) and return the metrics."""
    if cfg.steps_per_save % cfg.steps_per_report:
        raise WotdError(
            f"steps_per_save ({cfg.steps_per_save}) must be a multiple of steps_per_report "
            f"({cfg.steps_per_report}) so checkpoints fall on reports"
        )
    ckpts = Checkpoints(out_dir / "checkpoints")
    start = ckpts.latest()
    if start is not None and start.state.get("backend") != backend:
        raise WotdError(
            f"the checkpoint in {out_dir} was made with {start.state.get('backend')}; resume with "
            f"--backend {start.state.get('backend')} or train again"
        )
    toks = Tokens(load_tokenizer(lm_dir))
    seqs = [toks.example(e) for e in examples]
    schedule = batch_schedule(len(seqs), cfg.batch_size, cfg.iters, cfg.seed)
    curve: list[dict] = list(start.state["curve"]) if start else []
    base_tokens = curve[-1]["trained_tokens"] if curve else 0
    base_elapsed = curve[-1]["elapsed_s"] if curve else 0.0
    t0 = time.perf_counter()
    report = on_report or (lambda r: None)

    def window(step, loss, tokens_per_s, trained, peak_mb, state_fn) -> None:
        rep = LMReport(
            step,
            len(schedule),
            float(loss),
            float(tokens_per_s),
            int(base_tokens + trained),
            float(peak_mb),
            base_elapsed + time.perf_counter() - t0,
        )
        curve.append(asdict(rep))
        if step % cfg.steps_per_save == 0 or step == len(schedule):
            adapter, optimizer = state_fn()
            ckpts.save(Checkpoint(step, adapter, optimizer, {"backend": backend, "curve": curve}))
        report(rep)

    adapter_dir, partial = out_dir / "adapter", out_dir / "adapter.partial"
    shutil.rmtree(adapter_dir, ignore_errors=True)
    shutil.rmtree(partial, ignore_errors=True)
    module = backend_module(backend)
    if start is None or start.step < len(schedule):
        module.train(lm_dir, cfg, seqs, schedule, start, toks.pad, window, partial)
    else:  # killed after the last checkpoint but before the adapter was written
        module.write_adapter(lm_dir, cfg, start.adapter, partial)
    partial.rename(adapter_dir)  # complete adapters only
    window_tps = [c["tokens_per_s"] for c in curve]
    metrics = {
        "steps": len(schedule),
        "examples": len(seqs),
        "resumed_from_step": start.step if start else 0,
        "final_loss": curve[-1]["loss"] if curve else None,
        "first_loss": curve[0]["loss"] if curve else None,
        "tokens_per_s": sum(window_tps) / len(window_tps) if window_tps else None,
        "trained_tokens": curve[-1]["trained_tokens"] if curve else 0,
        "peak_memory_mb": max((c["peak_memory_mb"] for c in curve), default=None),
        "train_s": curve[-1]["elapsed_s"] if curve else 0.0,
    }
    (out_dir / "curve.json").write_text(json.dumps(curve))
    return metrics


def write_lm_info(out_dir: Path, lm_name: str, lm_dir: Path, backend: str, cfg: LMConfig) -> None:
    """`lm.json`: which base model, backend and prompt format the adapter in `out_dir/adapter` belongs to."""
    fmt = PromptFormat(cfg.names_in_prompt, cfg.definition_words)
    info = {
        "model": lm_name,
        "model_dir": str(lm_dir),
        "backend": backend,
        "format": asdict(fmt),
        "lora": asdict(cfg),
    }
    (out_dir / "lm.json").write_text(json.dumps(info, indent=2))
