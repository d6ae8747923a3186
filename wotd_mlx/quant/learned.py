"""Learned binary codes: a small network from the embedding to b bits, trained so that the similarity of
codes preserves the neighbour order of the embeddings (and, given definition -> word pairs from the training
split, the search-by-meaning task too).

Network: h = W (x - mean) + c, plus an optional residual MLP branch mlp_out(gelu(mlp_in(x - mean))) whose
output layer starts at zero; bits = h > 0. W starts as the whitened top principal components, so training
starts from the Matryoshka/PCA code and only has to improve on it.

Relaxations of sign() while training (both in `learned_torch` and `learned_mlx`, same maths):
- "tanh": c = tanh(beta * h), beta annealed geometrically from 1 to beta_max, so c tends to sign(h);
- "ste": c = sign(h) in the forward pass, with tanh's gradient in the backward pass (straight-through).

Loss on a batch of anchors plus one true float neighbour of each (so the batch holds real neighbours, not
only strangers): cross-entropy from the float neighbour distribution softmax(cos / target_tau) to
softmax(code similarity / tau) (listwise, aimed at neighbour recall), plus InfoNCE between the codes of
definitions and of their words when pairs are given, plus a bit-balance penalty mean(mean_batch(c)^2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

import numpy as np

from ..backend import import_backend, resolve_backend
from ..errors import WotdError
from .base import BinaryQuantizer, as_matrix, pca
from .learned_params import RELAXATIONS, LearnedConfig, param_shapes

__all__ = [
    "RELAXATIONS",
    "LearnedBinary",
    "LearnedConfig",
    "beta_at",
    "exact_neighbours",
    "forward_numpy",
    "init_weights",
    "make_trainer",
    "param_shapes",
    "train_codes",
]


def init_weights(x: np.ndarray, cfg: LearnedConfig) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(mean, weights) of the starting code, with median-balanced biases: the whitened top-`bits` principal
    components when bits < d (the Matryoshka/PCA code), the standardised axes when bits == d (the
    adaptive-median code: with every dimension kept, a rotation only hurt, see BENCHMARKS.md). A seeded MLP
    branch has a zero output layer, so the network starts as that code."""
    dim = x.shape[1]
    if cfg.bits > dim:
        raise WotdError(f"learned codes start from principal components: bits must be <= d={dim}")
    if cfg.bits == dim:
        mean, comps, std = x.mean(0), np.eye(dim, dtype=np.float32), x.std(0)
    else:
        mean, comps, std = pca(x, cfg.bits)
    w = comps / np.maximum(std, 1e-6)[:, None]
    h = (x - mean) @ w.T
    weights = {"proj.weight": w.astype(np.float32), "proj.bias": -np.median(h, axis=0).astype(np.float32)}
    if cfg.hidden:
        rng = np.random.default_rng(cfg.seed)
        bound = 1.0 / np.sqrt(dim)
        weights |= {
            "mlp_in.weight": rng.uniform(-bound, bound, (cfg.hidden, dim)).astype(np.float32),
            "mlp_in.bias": rng.uniform(-bound, bound, cfg.hidden).astype(np.float32),
            "mlp_out.weight": np.zeros((cfg.bits, cfg.hidden), np.float32),
            "mlp_out.bias": np.zeros(cfg.bits, np.float32),
        }
    return mean, weights


def forward_numpy(weights: dict[str, np.ndarray], mean: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The network's pre-sign outputs h (n, bits) in numpy: fast inference with no framework."""
    xc = x - mean
    h = xc @ weights["proj.weight"].T + weights["proj.bias"]
    if "mlp_in.weight" in weights:
        from scipy.special import erf

        a = xc @ weights["mlp_in.weight"].T + weights["mlp_in.bias"]
        a = 0.5 * a * (1.0 + erf(a / np.sqrt(2.0)))  # exact GELU, as torch and MLX use
        h = h + a @ weights["mlp_out.weight"].T + weights["mlp_out.bias"]
    return h.astype(np.float32)


def beta_at(step: int, total: int, beta_max: float) -> float:
    """Geometric anneal from 1 at the first step to beta_max at the last."""
    return float(beta_max ** (step / max(total - 1, 1)))


_NEIGHBOURS: dict[tuple, np.ndarray] = {}  # the last result: every learned fit of a bench run shares x


def exact_neighbours(x: np.ndarray, k: int) -> np.ndarray:
    """(n, k) indices of each row's top-k cosine neighbours, itself excluded (exact faiss search).
    The last result is kept: on the lexicon this is an n x n search (about 20 s on 2 cores)."""
    import hashlib

    x = np.ascontiguousarray(x, dtype=np.float32)
    key = (x.shape, k, hashlib.blake2b(x.tobytes(), digest_size=16).hexdigest())
    if key not in _NEIGHBOURS:
        _NEIGHBOURS.clear()
        _NEIGHBOURS[key] = _search_neighbours(x, k)
    return _NEIGHBOURS[key]


def _search_neighbours(x: np.ndarray, k: int) -> np.ndarray:
    import faiss

    index = faiss.IndexFlatIP(x.shape[1])
    index.add(np.ascontiguousarray(x, dtype=np.float32))
    _, idx = index.search(np.ascontiguousarray(x, dtype=np.float32), k + 1)
    out = np.empty((len(x), k), dtype=np.int64)
    for i, row in enumerate(idx):  # drop self wherever it landed (exact duplicates can outrank it)
        row = row[row != i]
        out[i] = row[:k]
    return out


def make_trainer(backend: str, weights: dict[str, np.ndarray], mean: np.ndarray, cfg: LearnedConfig):
    """A trainer of `weights` on "torch" or "mlx"; both expose step(x, beta, q, t) -> loss and weights()."""
    mod = import_backend(
        __package__, {"mlx": ".learned_mlx", "torch": ".learned_torch"}, backend, "learned codes"
    )
    impl = mod.MlxCodeTrainer if backend == "mlx" else mod.TorchCodeTrainer
    return impl(weights, mean, cfg)


def train_codes(
    x: np.ndarray,
    cfg: LearnedConfig,
    backend: str | None = None,
    queries: np.ndarray | None = None,
    targets: np.ndarray | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, dict[str, np.ndarray], list[float]]:
    """Train on x (n, d) [and definition -> word pairs: queries (m, d), targets (m,) rows of x];
    returns (mean, weights, loss per epoch). Batches come from one seeded numpy RNG, so the torch and MLX
    runs see the same data."""
    cfg.validate()
    backend = resolve_backend(backend)
    x = as_matrix(x)
    n = len(x)
    batch = min(cfg.batch_size, n)
    if queries is not None:
        queries, targets = as_matrix(queries, x.shape[1]), np.asarray(targets, dtype=np.int64)
        if len(queries) != len(targets) or len(targets) == 0 or targets.min() < 0 or targets.max() >= n:
            raise WotdError("queries and targets must pair up, with targets indexing the training rows")
    rng = np.random.default_rng(cfg.seed)
    k = min(cfg.neighbours, n - 1)
    nbrs = exact_neighbours(x, k) if k > 0 else None
    mean, weights = init_weights(x, cfg)
    trainer = make_trainer(backend, weights, mean, cfg)
    steps = max(n // batch, 1)
    total, step, history = cfg.epochs * steps, 0, []
    for epoch in range(cfg.epochs):
        order, losses = rng.permutation(n), []
        for s in range(steps):
            anchors = order[s * batch : (s + 1) * batch]
            rows = anchors
            if nbrs is not None:
                rows = np.concatenate([anchors, nbrs[anchors, rng.integers(0, k, len(anchors))]])
            q = t = None
            if queries is not None:
                pick = rng.integers(0, len(queries), len(anchors))
                q, t = queries[pick], x[targets[pick]]
            losses.append(trainer.step(x[rows], beta_at(step, total, cfg.beta_max), q, t))
            step += 1
        history.append(float(np.mean(losses)))
        if progress is not None:
            progress(epoch + 1, cfg.epochs)
    return mean, trainer.weights(), history


class LearnedBinary(BinaryQuantizer):
    """Learned binary codes (torch or MLX training, numpy inference); see the module docstring."""

    name = "learned"

    def __init__(self, bits: int = 128, backend: str | None = None, **kwargs):
        self.config = LearnedConfig(bits=bits, **kwargs)
        self.config.validate()
        self.bits, self.backend = int(bits), backend
        self._pairs: tuple[np.ndarray, np.ndarray] | None = None
        self.history: list[float] = []

    def fit(self, x: np.ndarray, queries: np.ndarray | None = None, targets: np.ndarray | None = None):
        """Fit on x; with queries (definitions) and targets (their words' rows in x) the task term is on."""
        self._pairs = None if queries is None else (queries, targets)
        try:
            return super().fit(x)
        finally:
            self._pairs = None

    def _fit(self, x: np.ndarray) -> None:
        q, t = self._pairs if self._pairs is not None else (None, None)
        self.mean, self.weights, self.history = train_codes(x, self.config, self.backend, q, t)
        self.supervised = q is not None

    def project(self, x: np.ndarray) -> np.ndarray:
        return forward_numpy(self.weights, self.mean, x)

    def describe(self) -> dict:
        return (
            super().describe()
            | {k: v for k, v in asdict(self.config).items() if k in ("hidden", "relax", "epochs")}
            | {"supervised": getattr(self, "supervised", False)}
        )
