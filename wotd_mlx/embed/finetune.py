"""`wotd embedder finetune`: contrastive fine-tuning of the embedder for search by meaning.

sentence-transformers' SentenceTransformerTrainer with MultipleNegativesRankingLoss (in-batch negatives plus
one hard negative per pair mined from the current index) on offline pairs from embed/pairs.py. The result is a
plain sentence-transformers directory (transformers weights + 1_Pooling), so the torch and MLX embedders load
it like the base model; `wotd_model.json` beside it holds its versioned cache key and what made it.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from ..config import DEFAULT_EMBEDDER, EmbedConfig
from ..corpus.gcide import by_headword, load_gcide
from ..errors import WotdError
from ..memory import peak_rss_mb
from ..store import LexEntry, Store
from .cache import embed_cached
from .models import model_id, resolve_model_dir
from .pairs import build_pairs, mine_negatives, sample_pairs
from .text import word_text
from .zoo import META_FILE, finetuned_root, model_meta, set_current_finetuned

Progress = Callable[[str, int, int], None]


MIN_BATCHES = 2  # batches of different words the sampled pairs must fill


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


def _checked(cfg: FinetuneConfig) -> FinetuneConfig:
    if cfg.pairs < cfg.batch_size or cfg.batch_size < 2:
        raise WotdError(f"need batch_size >= 2 and pairs >= batch_size, got {cfg.batch_size} and {cfg.pairs}")
    if not 0 < cfg.lr < 1:
        raise WotdError(f"learning rate must be in (0, 1), got {cfg.lr}")
    return cfg


def _freeze_below(model, train_layers: int) -> None:
    """Freeze the token embeddings and every transformer layer below the top `train_layers`."""
    encoder = model[0].auto_model
    layers = encoder.encoder.layer
    if not 1 <= train_layers <= len(layers):
        raise WotdError(f"train_layers must be between 1 and {len(layers)}, got {train_layers}")
    for p in encoder.embeddings.parameters():
        p.requires_grad = False
    for layer in layers[: len(layers) - train_layers]:
        for p in layer.parameters():
            p.requires_grad = False


def training_data(
    store: Store, lexicon: list[LexEntry], cfg: FinetuneConfig, backend: str | None, progress: Progress | None
) -> dict[str, list[str]]:
    """The columns the trainer reads: anchor, positive (and negative), already sampled and mined."""
    from .base import load_embedder

    gcide = by_headword(load_gcide())
    pairs = sample_pairs(build_pairs(lexicon, gcide, cfg.text_format), cfg.pairs, cfg.seed)
    # A batch takes each word once (no duplicate positives), so a handful of words cannot fill batches.
    if (words := len({p.word for p in pairs})) < MIN_BATCHES * cfg.batch_size:
        raise TooFewPairs(
            f"only {words} words with training pairs in this lexicon; fine-tuning needs at least "
            f"{MIN_BATCHES * cfg.batch_size} (batches of {cfg.batch_size})"
        )
    cols = {"anchor": [p.anchor for p in pairs], "positive": [p.positive for p in pairs]}
    if cfg.hard_negatives:
        words = [e.word for e in lexicon]
        texts = [word_text(e.word, e.definition, cfg.text_format) for e in lexicon]
        embedder = load_embedder(EmbedConfig(model=cfg.base), backend)  # the index's own settings: cached
        bar = (lambda d, n: progress("negatives", d, n)) if progress else None
        vectors = embed_cached(embedder, texts, store, progress=bar)  # the current index: cached, usually
        cols["negative"] = mine_negatives(pairs, words, texts, vectors, cfg.seed)
    return cols


def finetune(
    store: Store,
    home: Path,
    cfg: FinetuneConfig | None = None,
    backend: str | None = None,
    progress: Progress | None = None,
) -> dict:
    """Fine-tune cfg.base on the store's lexicon, save it under $WOTD_HOME/models/embedders/<version>/ and
    make it the "finetuned" zoo model; returns its facts (path, cache key, pairs, seconds, peak memory)."""
    cfg = _checked(cfg or FinetuneConfig())
    lexicon = store.lexicon()
    if not lexicon:
        raise WotdError("the lexicon is empty; run `wotd train` first (fine-tuning reads its lexicon)")
    t0 = time.time()
    cols = training_data(store, lexicon, cfg, backend, progress)
    return train_and_save(cols, cfg, home, progress, data_s=time.time() - t0, key=data_key(lexicon, cfg))


def data_key(lexicon: list[LexEntry], cfg: FinetuneConfig) -> str:
    """What a fine-tuned model was made from (its config and its lexicon's words and definitions)."""
    data = json.dumps([asdict(cfg), [(e.word, e.definition) for e in lexicon]])
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def for_lexicon(
    store: Store,
    lexicon: list[LexEntry],
    home: Path,
    cfg: FinetuneConfig,
    backend: str | None = None,
    progress: Progress | None = None,
) -> dict:
    """`wotd train`'s finetune stage: the model made from the same lexicon and config before (so a retrain
    or a resumed run re-embeds nothing: its vectors are cached), else one trained now (see finetune)."""
    key = data_key(lexicon, _checked(cfg))
    root = finetuned_root(home)
    for meta_file in sorted(root.glob(f"*/{META_FILE}")) if root.is_dir() else []:
        meta = model_meta(meta_file.parent)
        if meta.get("data_key") == key:
            if progress:
                progress("finetune", 1, 1)
            return meta | {"path": str(meta_file.parent), "reused": True}
    t0 = time.time()
    cols = training_data(store, lexicon, cfg, backend, progress)
    return train_and_save(cols, cfg, home, progress, data_s=time.time() - t0, key=key)


def train_and_save(
    cols: dict[str, list[str]],
    cfg: FinetuneConfig,
    home: Path,
    progress: Progress | None = None,
    data_s: float = 0.0,
    key: str = "",
) -> dict:
    """Train on ready columns (anchor, positive[, negative]) and save the versioned model (see finetune);
    `key` is data_key of what the columns came from."""
    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from transformers import TrainerCallback
    from transformers.trainer_callback import PrinterCallback

    torch.manual_seed(cfg.seed)
    model = SentenceTransformer(str(resolve_model_dir(cfg.base)), device="cpu")
    model.max_seq_length = cfg.max_length
    _freeze_below(model, cfg.train_layers)
    model.model_card_data.widget = [{"text": ""}]  # no card is written: skips its "widget examples" bar
    root = finetuned_root(home)
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(".partial-*"):  # left by a killed fine-tune; finished versions are never touched
        shutil.rmtree(stale, ignore_errors=True)
    staging = root / f".partial-{int(time.time())}"
    steps = len(cols["anchor"]) // cfg.batch_size

    class _Bar(TrainerCallback):
        def on_step_end(self, args, state, control, **kw):
            if progress:
                progress("finetune", state.global_step, steps)

    args = SentenceTransformerTrainingArguments(
        output_dir=str(staging / "trainer"),
        per_device_train_batch_size=cfg.batch_size,
        num_train_epochs=1,
        learning_rate=cfg.lr,
        warmup_steps=math.ceil(steps * cfg.warmup_ratio),  # steps: transformers 5 deprecates warmup_ratio
        batch_sampler="no_duplicates",  # a duplicate text in a batch would be a false in-batch negative
        save_strategy="no",
        report_to="none",
        logging_steps=max(1, steps // 10),
        seed=cfg.seed,
        use_cpu=True,
        disable_tqdm=progress is not None,
        dataloader_drop_last=True,
    )
    trainer = SentenceTransformerTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_dict(cols),
        loss=MultipleNegativesRankingLoss(model),
        callbacks=[_Bar()],
    )
    trainer.remove_callback(PrinterCallback)  # its print() of each log would break `--json`'s stdout
    try:
        t1 = time.time()
        result = trainer.train()
        if result.global_step == 0:  # the sampler could not fill one batch of distinct texts
            raise TooFewPairs("no batch of distinct training pairs in this lexicon; nothing was trained")
        t_train = time.time() - t1
        shutil.rmtree(staging / "trainer", ignore_errors=True)
        model.save(str(staging), create_model_card=False)  # a card would print "Computing widget examples"
        digest = hashlib.sha256((staging / "model.safetensors").read_bytes()).hexdigest()[:12]
        final = root / f"{Path(model_id(cfg.base)).name}-ft-{digest}"
        meta = {
            "cache_key": f"finetuned:{model_id(cfg.base)}:{digest}",
            "base": model_id(cfg.base),
            "data_key": key,
            "config": asdict(cfg),
            "pairs": len(cols["anchor"]),
            "hard_negatives": "negative" in cols,
            "steps": steps,
            "train_loss": round(float(result.training_loss), 4),
            "data_s": round(data_s, 1),
            "train_s": round(t_train, 1),
            "peak_rss_mb": round(peak_rss_mb()),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        (staging / META_FILE).write_text(json.dumps(meta, indent=2))
        if final.exists():
            shutil.rmtree(final)
        staging.replace(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    set_current_finetuned(final)
    return meta | {"path": str(final)}
