"""The MLX fine-tune of the embedder (the Apple Silicon path): the torch trainer's training on mlx-embeddings'
BERT, without torch, sentence-transformers, datasets or peft.

What it reproduces of finetune_torch.py (sentence-transformers 6 + transformers 5 defaults):
- the loss: MultipleNegativesRankingLoss, scores = 20 * cos(anchor, [positives; negatives]), cross-entropy
  with target i (in-batch negatives plus the hard negatives); candidates embedded in one forward, as
  sentence-transformers merges the candidate columns; mean pooling over real tokens;
- the trainable part: the top `train_layers` transformer layers (embeddings, lower layers and the unused
  pooler frozen); dropout on while training, as the trainer's model.train();
- the optimizer: AdamW (betas 0.9/0.999, eps 1e-8, bias-corrected, weight decay 0), gradients clipped to a
  global norm of 1, lr from get_linear_schedule_with_warmup (0 at the first step when there is warmup);
- the batches: the "no_duplicates" sampler's greedy fill (a row whose texts are already in the batch waits for
  a later one), drop_last, at most two reshuffled extra passes when a pass falls short.
What differs: the sampler's permutation comes from numpy's generator seeded with `seed`, not torch's
randperm, and dropout masks from MLX's generator, so batch order and masks are not the torch run's
bit for bit; with dropout off (eval) one step on the same batch matches (tests/embed/test_finetune_parity.py).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import mlx.core as mx
import mlx.nn as nn
import mlx.optimizers as optim
import numpy as np
from mlx.utils import tree_flatten

from ..errors import WotdError
from .finetune_common import (
    MAX_GRAD_NORM,
    FinetuneConfig,
    Progress,
    TooFewPairs,
    check_train_layers,
    linear_lr,
    publish,
    staging_dir,
    total_steps,
    warmup_steps,
)
from .models import resolve_model_dir

SCALE = 20.0  # MultipleNegativesRankingLoss's default (temperature 0.05)
BETAS = (0.9, 0.999)  # transformers' AdamW defaults
EPS = 1e-8
WEIGHT_DECAY = 0.0  # the trainer's default (MLX's AdamW would decay 0.01)
MAX_RESAMPLE_PASSES = 2  # as sentence-transformers' NoDuplicatesBatchSampler
# Besides the weights, what sentence-transformers, transformers and mlx-embeddings read from the directory.
MODEL_FILES = (
    "config.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
)
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "vocab.txt",
    "merges.txt",
    "spiece.model",
    "sentencepiece.bpe.model",
)


@dataclass
class Tokens:
    ids: mx.array  # (batch, seq) int32
    mask: mx.array  # (batch, seq) float32, 1 for real tokens


@dataclass
class MNRLBatch:
    anchors: Tokens
    candidates: Tokens  # the positives, then the hard negatives (when there are any)


def load_bert(model_dir: Path) -> nn.Module:
    """The mlx-embeddings model of a BERT-family sentence-transformers directory (offline, float32)."""
    from mlx_embeddings import load

    model, _ = load(str(model_dir))  # its tokenizer is not used: transformers' reads the same files
    if not hasattr(model, "embeddings") or not hasattr(getattr(model, "encoder", None), "layer"):
        raise WotdError(
            f"{model_dir}: MLX fine-tuning supports BERT-style encoders (embeddings + encoder.layer), "
            f"not {type(model).__module__}; use --backend torch"
        )
    return model


def freeze_below(model: nn.Module, train_layers: int) -> None:
    """Leave only the top `train_layers` transformer layers trainable (embeddings, lower layers, pooler
    frozen)."""
    layers = model.encoder.layer
    check_train_layers(train_layers, len(layers))
    model.freeze()
    for layer in layers[len(layers) - train_layers :]:
        layer.unfreeze()


def tokenize(tokenizer, texts: list[str], max_length: int) -> Tokens:
    """Padded to the longest text, truncated at max_length, as sentence-transformers tokenises a column."""
    enc = tokenizer(texts, padding=True, truncation=True, max_length=max_length, return_tensors="np")
    return Tokens(mx.array(enc["input_ids"].astype(np.int32)), mx.array(enc["attention_mask"], mx.float32))


def make_batch(tokenizer, cols: dict[str, list[str]], idx: list[int], max_length: int) -> MNRLBatch:
    """The rows `idx` of the columns as the loss reads them."""
    negatives = [cols["negative"][i] for i in idx] if "negative" in cols else []
    candidates = [cols["positive"][i] for i in idx] + negatives
    return MNRLBatch(
        tokenize(tokenizer, [cols["anchor"][i] for i in idx], max_length),
        tokenize(tokenizer, candidates, max_length),
    )


def sentence_embeddings(model: nn.Module, tokens: Tokens) -> mx.array:
    """Mean of the last hidden layer over real tokens (the pooler, unused by the loss, is skipped)."""
    hidden = model.encoder(model.embeddings(tokens.ids), model.get_extended_attention_mask(tokens.mask))
    summed = (hidden * tokens.mask[..., None]).sum(axis=1)
    return summed / mx.maximum(tokens.mask.sum(axis=1, keepdims=True), 1e-9)


def _unit(x: mx.array) -> mx.array:
    return x / mx.maximum(mx.linalg.norm(x, axis=-1, keepdims=True), 1e-12)  # torch's F.normalize


def mnrl_loss(model: nn.Module, batch: MNRLBatch, scale: float = SCALE) -> mx.array:
    """MultipleNegativesRankingLoss: mean over anchors i of cross-entropy(scale * cos(anchor_i, candidates)),
    target candidate i (its positive); every other candidate is a negative."""
    scores = scale * (
        _unit(sentence_embeddings(model, batch.anchors))
        @ _unit(sentence_embeddings(model, batch.candidates)).T
    )
    rows = mx.arange(scores.shape[0])
    return (mx.logsumexp(scores, axis=1) - scores[rows, rows]).mean()


def adamw(lr: float) -> optim.AdamW:
    """AdamW as the torch trainer builds it (torch.optim.AdamW with transformers' defaults)."""
    return optim.AdamW(lr, betas=list(BETAS), eps=EPS, weight_decay=WEIGHT_DECAY, bias_correction=True)


def make_step(
    model: nn.Module, optimizer: optim.Optimizer, scale: float = SCALE, max_grad_norm: float = MAX_GRAD_NORM
) -> Callable[[MNRLBatch], float]:
    """One training step on a batch: loss, gradients of the trainable weights, clipping, AdamW; returns the
    loss (at the optimizer's current learning rate)."""
    loss_and_grad = nn.value_and_grad(model, mnrl_loss)

    def step(batch: MNRLBatch) -> float:
        loss, grads = loss_and_grad(model, batch, scale)
        grads, _ = optim.clip_grad_norm(grads, max_grad_norm)
        optimizer.update(model, grads)
        mx.eval(loss, model.parameters(), optimizer.state)
        return loss.item()

    return step


def no_duplicate_batches(cols: dict[str, list[str]], batch_size: int, seed: int) -> list[list[int]]:
    """Full batches of row indices in which no text occurs twice (across all columns), filled greedily from
    a seeded permutation like sentence-transformers' NoDuplicatesBatchSampler (drop_last)."""
    n = len(cols["anchor"])
    want = n // batch_size
    rng = np.random.default_rng(seed)
    values = [{col[i] for col in cols.values()} for i in range(n)]
    batches: list[list[int]] = []
    for _ in range(1 + MAX_RESAMPLE_PASSES):
        remaining = [int(i) for i in rng.permutation(n)]
        while remaining and len(batches) < want:
            batch, seen, deferred = [], set(), []
            for j, i in enumerate(remaining):
                if len(batch) == batch_size:
                    deferred += remaining[j:]
                    break
                if values[i] & seen:
                    deferred.append(i)  # waits for a later batch, keeping its place in the order
                else:
                    batch.append(i)
                    seen |= values[i]
            if len(batch) == batch_size:
                batches.append(batch)
            remaining = deferred  # an incomplete batch is dropped; its rows are used up for this pass
        if len(batches) >= want or not batches:
            break
    return batches


def save_model(model: nn.Module, base_dir: Path, out: Path) -> None:
    """Write `out` as a sentence-transformers directory: the weights under transformers' BERT names (the
    mlx-embeddings module tree uses them), the base model's config, tokenizer and module folders."""
    out.mkdir(parents=True, exist_ok=True)
    weights = dict(tree_flatten(model.parameters()))
    mx.save_safetensors(str(out / "model.safetensors"), weights, metadata={"format": "pt"})
    for name in MODEL_FILES + TOKENIZER_FILES:
        if (base_dir / name).is_file():
            shutil.copy2(base_dir / name, out / name)
    modules = base_dir / "modules.json"
    for module in json.loads(modules.read_text()) if modules.is_file() else []:
        path = module.get("path") or ""
        if path and (base_dir / path).is_dir():  # e.g. 1_Pooling; Normalize may have no folder at all
            shutil.copytree(base_dir / path, out / path)


def train_and_save_mlx(
    cols: dict[str, list[str]],
    cfg: FinetuneConfig,
    home: Path,
    progress: Progress | None = None,
    data_s: float = 0.0,
    key: str = "",
) -> dict:
    """Train on ready columns with MLX and publish the versioned model (finetune_common)."""
    from transformers import AutoTokenizer  # tokenizers only: no torch in an MLX install

    model_dir = resolve_model_dir(cfg.base)
    mx.random.seed(cfg.seed)  # dropout masks
    model = load_bert(model_dir)
    freeze_below(model, cfg.train_layers)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    steps = total_steps(cols, cfg)
    warmup = warmup_steps(steps, cfg)
    batches = no_duplicate_batches(cols, cfg.batch_size, cfg.seed)
    if not batches:
        raise TooFewPairs("no batch of distinct training pairs in this lexicon; nothing was trained")
    optimizer = adamw(cfg.lr)
    step = make_step(model, optimizer)
    with staging_dir(home) as staging:
        model.train()  # dropout, as the torch trainer trains
        t1 = time.time()
        losses = []
        for i, idx in enumerate(batches):
            optimizer.learning_rate = linear_lr(i, cfg.lr, warmup, steps)
            losses.append(step(make_batch(tokenizer, cols, idx, cfg.max_length)))
            if progress:
                progress("finetune", i + 1, steps)
        t_train = time.time() - t1
        model.eval()
        save_model(model, model_dir, staging)
        facts = {"backend": "mlx", "key": key, "data_s": data_s, "train_s": t_train}
        return publish(staging, cfg, cols, facts | {"train_loss": float(np.mean(losses))})
