"""The MLX path: mlx-lm loads the model and converts its layers to LoRA, and mlx-lm's tuner `train` runs
the loop, with our batch schedule (`iterate_batches`), our loss (output layer on target positions only)
and a `TrainingCallback` for reports and checkpoints. Adapters are mlx-lm's own files."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import mlx.core as mx
import mlx.nn as nn
import mlx.optimizers as optim
import numpy as np
from mlx.utils import tree_flatten, tree_map_with_path

from ..config import LMConfig
from ..memory import peak_rss_mb
from .adapters import mlx_adapter_config, save_mlx_adapter
from .checkpoint import Checkpoint
from .data import LENGTH_BUCKET, TARGET_BUCKET, Batch, BatchShape, fixed_shape, make_batch


def load_model(lm_dir: Path) -> nn.Module:
    from mlx_lm.utils import load_model as _load

    model, _ = _load(Path(lm_dir))
    return model


def add_lora(model: nn.Module, cfg: LMConfig) -> nn.Module:
    """Freeze the model and convert `keys` in its last `num_layers` blocks to LoRA (mlx-lm's converter)."""
    from mlx_lm.tuner.utils import linear_to_lora_layers

    mx.random.seed(cfg.seed)
    model.freeze()
    linear_to_lora_layers(model, cfg.num_layers, mlx_adapter_config(cfg)["lora_parameters"])
    return model


def get_adapter(model: nn.Module) -> dict[str, np.ndarray]:
    return {k: np.array(v.astype(mx.float32)) for k, v in tree_flatten(model.trainable_parameters())}


def set_adapter(model: nn.Module, weights: dict[str, np.ndarray]) -> None:
    model.load_weights([(k, mx.array(v)) for k, v in weights.items()], strict=False)


def _head(model: nn.Module) -> Callable[[mx.array], mx.array]:
    # mlx-lm models tie the output layer to the embeddings either with a flag on the model (gemma3) or by
    # having no lm_head at all (qwen2, llama with tied weights).
    if hasattr(model, "lm_head") and not getattr(model, "tie_word_embeddings", False):
        return model.lm_head
    return model.model.embed_tokens.as_linear


def sliced_loss(model, inputs, positions, targets, weights, n_tokens):
    """Mean cross-entropy at the real target positions (padding slots weigh 0); returns (loss, tokens in
    the batch) as mlx-lm expects."""
    hidden = model.model(inputs)
    picked = mx.take(hidden.reshape(-1, hidden.shape[-1]), positions, axis=0)
    logits = _head(model)(picked).astype(mx.float32)
    ce = nn.losses.cross_entropy(logits, targets)
    return (ce * weights).sum() / weights.sum(), n_tokens


def batch_arrays(batch: Batch) -> tuple[mx.array, ...]:
    """The arguments of `sliced_loss` after the model, as MLX arrays."""
    return tuple(mx.array(x) for x in (batch.inputs, batch.positions, batch.targets, batch.weights)) + (
        mx.array(batch.n_tokens),
    )


def make_optimizer(cfg: LMConfig) -> optim.AdamW:
    return optim.AdamW(
        learning_rate=cfg.lr,
        betas=[0.9, 0.999],
        eps=1e-8,
        weight_decay=cfg.weight_decay,
        bias_correction=True,
    )


def optimizer_state(opt: optim.Optimizer) -> dict[str, np.ndarray]:
    return {k: np.array(v) for k, v in tree_flatten(opt.state)}


def load_optimizer_state(opt: optim.Optimizer, model: nn.Module, flat: dict[str, np.ndarray]) -> None:
    opt.init(model.trainable_parameters())
    opt.state = tree_map_with_path(lambda path, v: mx.array(flat[path]) if path in flat else v, opt.state)


def train(
    lm_dir: Path,
    cfg: LMConfig,
    seqs: Sequence[tuple[list[int], int]],
    schedule: Sequence[Sequence[int]],
    start: Checkpoint | None,
    pad: int,
    window: Callable,
    adapter_dir: Path,
    length_bucket: int = LENGTH_BUCKET,
    target_bucket: int | None = TARGET_BUCKET,
) -> None:
    """Train from `start` (or from scratch) to the end of `schedule`; write the adapter to `adapter_dir`.

    Batches are padded to `length_bucket` multiples with target counts rounded up to `target_bucket` (None:
    one count for the whole schedule), so mlx-lm's compiled step is traced for a few shapes only;
    `length_bucket=0` pads each batch to itself (one trace per new shape, for comparison)."""
    from mlx_lm.tuner.callbacks import TrainingCallback
    from mlx_lm.tuner.trainer import TrainingArgs
    from mlx_lm.tuner.trainer import train as mlx_train

    model = add_lora(load_model(lm_dir), cfg)
    opt = make_optimizer(cfg)
    first = 0
    if start is not None:
        set_adapter(model, start.adapter)
        load_optimizer_state(opt, model, start.optimizer)
        first = start.step
    total = len(schedule)
    adapter_dir.mkdir(parents=True, exist_ok=True)

    shape = fixed_shape(seqs, schedule, length_bucket, target_bucket) if length_bucket else BatchShape()

    def iterate_batches(dataset, batch_size, max_seq_length, loop=False, seed=None, comm_group=None):
        for idx in schedule[first:]:
            yield batch_arrays(make_batch([seqs[i] for i in idx], pad, shape))

    class Callback(TrainingCallback):
        def on_train_loss_report(self, info: dict) -> None:
            peak = max(info["peak_memory"] * 1e3, peak_rss_mb())
            window(
                first + info["iteration"],
                info["train_loss"],
                info["tokens_per_second"],
                info["trained_tokens"],
                peak,
                lambda: (get_adapter(model), optimizer_state(opt)),
            )

    args = TrainingArgs(
        batch_size=cfg.batch_size,
        iters=total - first,
        steps_per_report=cfg.steps_per_report,
        steps_per_save=total + 1,  # our callback checkpoints (with optimizer state); no extra copies
        max_seq_length=1 << 20,
        adapter_file=str(adapter_dir / "adapters.safetensors"),
    )
    # mlx-lm's trainer draws its own rich progress display on stdout; ours comes through the callback,
    # and stdout must stay clean for `--json`.
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        mlx_train(
            model,
            opt,
            list(seqs),
            args=args,
            loss=sliced_loss,
            iterate_batches=iterate_batches,
            training_callback=Callback(),
        )
    save_mlx_adapter(adapter_dir, get_adapter(model), cfg)


class MlxStepper:
    """Next-token logits over mlx-lm's prompt cache (see decode.Stepper)."""

    def __init__(self, model: nn.Module):
        self.model, self.cache = model, None

    def _run(self, ids: list[int]) -> np.ndarray:
        logits = self.model(mx.array([ids]), cache=self.cache)
        return np.array(logits[0, -1].astype(mx.float32))

    def start(self, ids: list[int]) -> np.ndarray:
        from mlx_lm.models.cache import make_prompt_cache

        self.cache = make_prompt_cache(self.model)
        return self._run(ids)

    def step(self, token: int) -> np.ndarray:
        return self._run([token])


def load_for_generation(lm_dir: Path, adapter: dict[str, np.ndarray] | None, cfg: LMConfig | None):
    """A stepper over the base model, with the LoRA adapter applied when given."""
    model = load_model(lm_dir)
    if adapter is not None:
        add_lora(model, cfg)
        set_adapter(model, adapter)
    model.eval()
    return MlxStepper(model)


def write_adapter(lm_dir: Path, cfg: LMConfig, weights: dict[str, np.ndarray], adapter_dir: Path) -> None:
    """mlx-lm adapter files for canonical weights."""
    save_mlx_adapter(adapter_dir, weights, cfg)
