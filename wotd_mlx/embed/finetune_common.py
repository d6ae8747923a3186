"""What the torch and MLX fine-tunes of the embedder share: the config and its checks, the step count and the
learning-rate schedule, and the versioned output (staging directory, weights digest, `wotd_model.json`,
atomic rename, the "finetuned" pointer).

Imports neither torch, MLX nor faiss: the parity test loads it beside torch (see tests/conftest.py).
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from ..config import DEFAULT_EMBEDDER
from ..errors import WotdError
from ..memory import peak_rss_mb
from .models import model_id
from .zoo import META_FILE, finetuned_root, set_current_finetuned

Progress = Callable[[str, int, int], None]

MIN_BATCHES = 2  # batches of different words the sampled pairs must fill
COLUMNS = ("anchor", "positive", "negative")  # the trainer's columns, in the loss's order
MAX_GRAD_NORM = 1.0  # transformers' TrainingArguments default, which the torch trainer clips to


class TooFewPairs(WotdError):
    """The lexicon has too few words with training pairs to fill batches (a tiny lexicon)."""


@dataclass
class FinetuneConfig:
    """How the embedder is fine-tuned; the defaults take a few minutes on 2 CPU cores."""

    base: str = DEFAULT_EMBEDDER
    pairs: int = 2048  # training pairs drawn from the ~40k available (time, not data, is the limit)
    batch_size: int = 32  # in-batch negatives: each anchor sees 31 other positives + 32 hard negatives
    lr: float = 5e-5
    warmup_ratio: float = 0.1
    max_length: int = 48  # training truncation (most definitions fit); the index still embeds up to 64
    train_layers: int = 3  # only the top N transformer layers learn: backward costs about half as much
    hard_negatives: bool = True
    text_format: str = "word_definition"
    seed: int = 0


def checked(cfg: FinetuneConfig) -> FinetuneConfig:
    """cfg itself, or a WotdError naming the setting that is out of range."""
    if cfg.pairs < cfg.batch_size or cfg.batch_size < 2:
        raise WotdError(f"need batch_size >= 2 and pairs >= batch_size, got {cfg.batch_size} and {cfg.pairs}")
    if not 0 < cfg.lr < 1:
        raise WotdError(f"learning rate must be in (0, 1), got {cfg.lr}")
    if not 0 <= cfg.warmup_ratio < 1:
        raise WotdError(f"warmup_ratio must be in [0, 1), got {cfg.warmup_ratio}")
    if cfg.max_length < 2:
        raise WotdError(f"max_length must be at least 2 tokens, got {cfg.max_length}")
    return cfg


def checked_columns(cols: dict[str, list[str]], cfg: FinetuneConfig) -> dict[str, list[str]]:
    """cols itself if it holds anchor and positive (and optionally negative) of equal length, enough for a
    batch; else a WotdError."""
    if not {"anchor", "positive"} <= set(cols) or not set(cols) <= set(COLUMNS):
        raise WotdError(f"training columns must be anchor, positive[, negative]; got {sorted(cols)}")
    lengths = {len(cols[c]) for c in cols}
    if len(lengths) != 1:
        raise WotdError(f"training columns differ in length: { {c: len(v) for c, v in cols.items()} }")
    if len(cols["anchor"]) < cfg.batch_size:
        raise TooFewPairs(f"{len(cols['anchor'])} training pairs cannot fill one batch of {cfg.batch_size}")
    return cols


def check_train_layers(train_layers: int, n_layers: int) -> None:
    """A WotdError unless 1 <= train_layers <= the model's number of transformer layers."""
    if not 1 <= train_layers <= n_layers:
        raise WotdError(f"train_layers must be between 1 and {n_layers}, got {train_layers}")


def total_steps(cols: dict[str, list[str]], cfg: FinetuneConfig) -> int:
    """Optimizer steps of the one epoch (the last incomplete batch is dropped)."""
    return len(cols["anchor"]) // cfg.batch_size


def warmup_steps(steps: int, cfg: FinetuneConfig) -> int:
    """Warmup steps as the torch trainer is given them (transformers 5 deprecates warmup_ratio)."""
    return math.ceil(steps * cfg.warmup_ratio)


def linear_lr(step: int, lr: float, warmup: int, total: int) -> float:
    """The learning rate of 0-based optimizer step `step`: transformers' get_linear_schedule_with_warmup
    (0 at step 0 when there is warmup, lr after `warmup` steps, then down to 0 at `total`)."""
    if step < warmup:
        return lr * step / max(1, warmup)
    return lr * max(0.0, (total - step) / max(1, total - warmup))


@contextmanager
def staging_dir(home: Path) -> Iterator[Path]:
    """A fresh `.partial-*` directory under the embedders root, removed on the way out whatever happens
    (publish renames it first when training finished), so nothing half-written is ever a model."""
    root = finetuned_root(home)
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(".partial-*"):  # left by a killed fine-tune; finished versions are never touched
        shutil.rmtree(stale, ignore_errors=True)
    staging = root / f".partial-{time.time_ns()}"
    staging.mkdir()
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, cfg: FinetuneConfig, cols: dict[str, list[str]], facts: dict) -> dict:
    """Name the saved model in `staging` by its weights' digest, write its `wotd_model.json` (cache key,
    config, training facts), rename it into place and make it the "finetuned" model; returns its meta."""
    root = staging.parent
    digest = hashlib.sha256((staging / "model.safetensors").read_bytes()).hexdigest()[:12]
    final = root / f"{Path(model_id(cfg.base)).name}-ft-{digest}"
    meta = {
        "cache_key": f"finetuned:{model_id(cfg.base)}:{digest}",
        "base": model_id(cfg.base),
        "data_key": facts.get("key", ""),
        "config": asdict(cfg),
        "backend": facts["backend"],
        "pairs": len(cols["anchor"]),
        "hard_negatives": "negative" in cols,
        "steps": total_steps(cols, cfg),
        "train_loss": round(float(facts["train_loss"]), 4),
        "data_s": round(facts.get("data_s", 0.0), 1),
        "train_s": round(facts["train_s"], 1),
        "peak_rss_mb": round(peak_rss_mb()),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    (staging / META_FILE).write_text(json.dumps(meta, indent=2))
    if final.exists():  # the same weights made again: same digest, same content
        shutil.rmtree(final)
    staging.replace(final)
    set_current_finetuned(final)
    return meta | {"path": str(final)}
