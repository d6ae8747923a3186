"""Train the semantic encoder on labelled embeddings and measure it on held-out words."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from ..backend import resolve_backend
from ..config import AXES, EncoderConfig
from ..errors import WotdError
from .encoder import SemanticEncoder, backend_module, materialise_codebook
from .fsq import codebook_usage, part_usage
from .params import init_weights

Progress = Callable[[int, int, float], None]


def validate_inputs(X: np.ndarray, labels: np.ndarray, levels: tuple[int, ...]) -> None:
    """Raise WotdError unless X is (n, d) finite floats and labels (n, P-1) ints within their levels."""
    if not isinstance(X, np.ndarray) or X.ndim != 2 or X.shape[0] < 2 or X.shape[1] < 1:
        raise WotdError(f"embeddings must be an (n, d) array with n >= 2, got shape {np.shape(X)}")
    if not np.all(np.isfinite(X)):
        raise WotdError("embeddings contain NaN or infinite values")
    n_sup = len(levels) - 1
    if not isinstance(labels, np.ndarray) or labels.shape != (X.shape[0], n_sup):
        raise WotdError(f"labels must have shape ({X.shape[0]}, {n_sup}), got {np.shape(labels)}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise WotdError(f"labels must be integers, got dtype {labels.dtype}")
    for i in range(n_sup):
        lo, hi = int(labels[:, i].min()), int(labels[:, i].max())
        if lo < 0 or hi >= levels[i]:
            raise WotdError(
                f"{AXES[i] if i < len(AXES) else f'part{i}'} labels span {lo}..{hi}; "
                f"allowed range is 0..{levels[i] - 1}"
            )


def split_holdout(strata: np.ndarray, holdout: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded (train, held-out) index split taking about `holdout` of each stratum (e.g. each style)."""
    if not 0.0 <= holdout < 1.0:
        raise WotdError(f"holdout must be in [0, 1), got {holdout}")
    rng = np.random.default_rng(seed)
    val = []
    for s in np.unique(strata):
        idx = rng.permutation(np.flatnonzero(strata == s))
        val.append(idx[: int(round(holdout * len(idx)))])
    val_idx = np.sort(np.concatenate(val)) if val else np.zeros(0, np.int64)
    mask = np.ones(len(strata), bool)
    mask[val_idx] = False
    train_idx = np.flatnonzero(mask)
    if len(train_idx) == 0:
        raise WotdError("holdout leaves no training words")
    return train_idx, val_idx


def evaluate(enc: SemanticEncoder, X: np.ndarray, labels: np.ndarray) -> dict:
    """Per-axis accuracy (within-one for ordinal axes) and mean cosine of x with its decoded ID vector."""
    if len(X) == 0:
        return {"n": 0}
    codes = enc.encode(X)
    acc, within = {}, {}
    for i in range(labels.shape[1]):
        name = AXES[i] if i < len(AXES) else f"part{i}"
        acc[name] = float((codes[:, i] == labels[:, i]).mean())
        if i > 0:  # style (part 0) is nominal: "off by one" means nothing there
            within[name] = float((np.abs(codes[:, i] - labels[:, i]) <= 1).mean())
    xn = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
    cos = (xn * enc.decode(codes)).sum(1)
    return {"n": int(len(X)), "accuracy": acc, "within_one": within, "mean_cosine": float(cos.mean())}


def utilisation(codes: np.ndarray, levels: tuple[int, ...]) -> dict:
    """Grid-code usage fraction plus per-part usage fraction and perplexity."""
    names = [AXES[i] if i < len(AXES) else f"part{i}" for i in range(len(levels))]
    return {
        "codebook_used": codebook_usage(codes, levels),
        "parts": dict(zip(names, part_usage(codes, levels), strict=True)),
    }


def train_encoder(
    X: np.ndarray,
    labels: np.ndarray,
    cfg: EncoderConfig,
    backend: str | None = None,
    progress: Progress | None = None,
) -> tuple[SemanticEncoder, dict]:
    """Train on (X, labels) with a seeded held-out split; return the encoder and held-out metrics."""
    t0 = time.perf_counter()
    levels = tuple(int(v) for v in cfg.levels)
    if len(levels) < 2:
        raise WotdError(f"levels need at least 2 parts (labelled + variation), got {levels}")
    validate_inputs(X, labels, levels)
    backend = resolve_backend(backend)
    mod = backend_module(backend)
    X = np.ascontiguousarray(X, dtype=np.float32)
    labels = labels.astype(np.int64)
    train_idx, val_idx = split_holdout(labels[:, 0], cfg.holdout, cfg.seed)
    Xt, yt = X[train_idx], labels[train_idx]

    dim = X.shape[1]
    model = mod.build(init_weights(dim, cfg.hidden, levels, cfg.seed), dim, cfg.hidden, levels)
    trainer = getattr(mod, "TorchTrainer" if backend == "torch" else "MlxTrainer")(
        model, cfg.lr, cfg.weight_decay, cfg.recon_weight
    )
    rng = np.random.default_rng(cfg.seed + 1)
    bs = max(1, min(cfg.batch_size, len(Xt)))
    curve = []
    for epoch in range(cfg.epochs):
        perm = rng.permutation(len(Xt))
        losses, sizes = [], []
        for i in range(0, len(perm), bs):
            b = perm[i : i + bs]
            losses.append(trainer.step(Xt[b], yt[b]))
            sizes.append(len(b))
        curve.append(float(np.average(losses, weights=sizes)))
        if progress is not None:
            progress(epoch + 1, cfg.epochs, curve[-1])

    enc = SemanticEncoder(
        levels, dim, cfg.hidden, mod.get_weights(model), materialise_codebook(model, mod, levels), backend
    )
    metrics = {
        "backend": backend,
        "n_train": int(len(train_idx)),
        "holdout": evaluate(enc, X[val_idx], labels[val_idx]),
        "train": evaluate(enc, Xt, yt),
        "utilisation": utilisation(enc.encode(Xt), levels),
        "loss": {
            "first": curve[0] if curve else None,
            "last": curve[-1] if curve else None,
            "min": min(curve) if curve else None,
            "per_epoch": curve,
        },
        "wall_s": time.perf_counter() - t0,
    }
    return enc, metrics
