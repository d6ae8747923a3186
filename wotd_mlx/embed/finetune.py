"""`wotd embedder finetune`: contrastive fine-tuning of the embedder for search by meaning.

MultipleNegativesRankingLoss (in-batch negatives plus one hard negative per pair mined from the current
index) on offline pairs from embed/pairs.py, trained on the resolved backend: sentence-transformers' trainer
on torch (finetune_torch.py), the same training on MLX (finetune_mlx.py). The result is a plain
sentence-transformers directory (transformers weights + 1_Pooling), so the torch and MLX embedders load it
like the base model; `wotd_model.json` beside it holds its versioned cache key and what made it
(finetune_common.py).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict
from pathlib import Path

from ..backend import framework_needed, import_backend, resolve_backend
from ..config import EmbedConfig
from ..corpus.gcide import by_headword, load_gcide
from ..errors import WotdError
from ..store import LexEntry, Store
from .cache import embed_cached
from .finetune_common import (
    MIN_BATCHES,
    FinetuneConfig,
    Progress,
    TooFewPairs,
    checked,
    checked_columns,
)
from .pairs import build_pairs, mine_negatives, sample_pairs
from .text import word_text
from .zoo import META_FILE, finetuned_root, model_meta

__all__ = ["FinetuneConfig", "TooFewPairs", "data_key", "finetune", "for_lexicon", "train_and_save"]


def training_data(
    store: Store, lexicon: list[LexEntry], cfg: FinetuneConfig, backend: str | None, progress: Progress | None
) -> dict[str, list[str]]:
    """The columns the trainer reads: anchor, positive (and negative), already sampled and mined."""
    from .loader import load_embedder

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
    cfg = checked(cfg or FinetuneConfig())
    lexicon = store.lexicon()
    if not lexicon:
        raise WotdError("the lexicon is empty; run `wotd train` first (fine-tuning reads its lexicon)")
    t0 = time.time()
    cols = training_data(store, lexicon, cfg, backend, progress)
    key = data_key(lexicon, cfg)
    return train_and_save(cols, cfg, home, progress, data_s=time.time() - t0, key=key, backend=backend)


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
    key = data_key(lexicon, checked(cfg))
    root = finetuned_root(home)
    for meta_file in sorted(root.glob(f"*/{META_FILE}")) if root.is_dir() else []:
        meta = model_meta(meta_file.parent)
        if meta.get("data_key") == key:
            if progress:
                progress("finetune", 1, 1)
            return meta | {"path": str(meta_file.parent), "reused": True}
    t0 = time.time()
    cols = training_data(store, lexicon, cfg, backend, progress)
    return train_and_save(cols, cfg, home, progress, data_s=time.time() - t0, key=key, backend=backend)


def train_and_save(
    cols: dict[str, list[str]],
    cfg: FinetuneConfig,
    home: Path,
    progress: Progress | None = None,
    data_s: float = 0.0,
    key: str = "",
    backend: str | None = None,
) -> dict:
    """Train on ready columns (anchor, positive[, negative]) on the resolved backend (MLX: finetune_mlx.py,
    torch: finetune_torch.py) and save the versioned model (see finetune); `key` is data_key of what the
    columns came from."""
    cfg = checked(cfg)
    checked_columns(cols, cfg)
    backend = resolve_backend(backend)
    mod = import_backend(
        __package__, {"mlx": ".finetune_mlx", "torch": ".finetune_torch"}, backend, "fine-tuning"
    )
    train = mod.train_and_save_mlx if backend == "mlx" else mod.train_and_save_torch
    with framework_needed(backend, "fine-tuning"):  # the trainers import their stack lazily
        return train(cols, cfg, home, progress, data_s, key)
