"""The semantic encoder/decoder in MLX (the native path on Apple Silicon); mirrors `torch_model`."""

from __future__ import annotations

from collections.abc import Sequence

import mlx.core as mx
import mlx.nn as nn
import mlx.optimizers as optim
import numpy as np
from mlx.utils import tree_flatten, tree_unflatten

from ..mlx_thread import on_mlx_thread
from .fsq import half_widths
from .params import EPS, check_weights, head_bounds, n_labelled, n_outputs


class MlxSemanticModel(nn.Module):
    """Encoder x -> (style logits, FSQ values u) and decoder codes -> unit vector; see `params` for layout."""

    def __init__(self, dim: int, hidden: int, levels: Sequence[int]):
        super().__init__()
        self.dim, self.hidden, self.levels = int(dim), int(hidden), tuple(int(v) for v in levels)
        self.enc_in = nn.Linear(dim, hidden)
        self.enc_out = nn.Linear(hidden, n_outputs(levels))
        self.dec_in = nn.Linear(len(levels), hidden)
        self.dec_out = nn.Linear(hidden, dim)
        # An underscore name keeps this constant out of parameters(), so the weights dict matches torch's.
        self._hw = mx.array(half_widths(levels))
        self.heads, self.n_lab = head_bounds(levels), n_labelled(levels)

    def __call__(self, x: mx.array) -> tuple[list[mx.array], mx.array]:
        """Logits of each labelled part and bounded FSQ values u (n, free parts) in [0, L-1]."""
        h = self.enc_out(nn.gelu(self.enc_in(x)))
        u = self._hw[self.n_lab :] * (mx.tanh(h[:, self.heads[-1][1] :]) + 1.0)
        return [h[:, a:b] for a, b in self.heads], u

    def codes(self, x: mx.array) -> mx.array:
        """Integer codes (n, P): argmax of each labelled head, then round(u) for the FSQ parts."""
        logits, u = self(x)
        heads = [mx.argmax(g, axis=1, keepdims=True).astype(mx.int64) for g in logits]
        return mx.concatenate([*heads, mx.round(u).astype(mx.int64)], axis=1)

    def decode_codes(self, q: mx.array) -> mx.array:
        """Codes (n, P) (integers, or STE floats while training) -> L2-normalised vectors (n, d)."""
        s = (q.astype(mx.float32) - self._hw) / self._hw
        y = self.dec_out(nn.gelu(self.dec_in(s)))
        return y / mx.maximum(mx.linalg.norm(y, axis=1, keepdims=True), EPS)

    def loss(self, x: mx.array, y: mx.array, recon_weight: float) -> mx.array:
        """Cross-entropy of each labelled head + recon_weight * (1 - cos(x, decode(q)))."""
        logits, u = self(x)
        total = sum(nn.losses.cross_entropy(g, y[:, j], reduction="mean") for j, g in enumerate(logits))
        ste = u + mx.stop_gradient(mx.round(u) - u)  # straight-through: forward rounds, backward is identity
        heads = [mx.stop_gradient(mx.argmax(g, axis=1, keepdims=True).astype(mx.float32)) for g in logits]
        # Labelled parts enter the decoder as constants (labels alone drive them); free parts get STE grads.
        q = mx.concatenate([*heads, ste], axis=1)
        xn = x / mx.maximum(mx.linalg.norm(x, axis=1, keepdims=True), EPS)
        cos = (xn * self.decode_codes(q)).sum(axis=1)
        return total + recon_weight * (1.0 - cos).mean()


@on_mlx_thread  # a model served by the app: built and called on the MLX thread (mlx_thread.py)
def build(weights: dict[str, np.ndarray], dim: int, hidden: int, levels: Sequence[int]) -> MlxSemanticModel:
    """A model holding copies of `weights` (numpy)."""
    check_weights(weights, dim, hidden, levels)
    model = MlxSemanticModel(dim, hidden, levels)
    model.update(tree_unflatten([(k, mx.array(np.asarray(v, dtype=np.float32))) for k, v in weights.items()]))
    mx.eval(model.parameters())
    return model


def get_weights(model: MlxSemanticModel) -> dict[str, np.ndarray]:
    """The model's parameters as a numpy dict (copies)."""
    return {k: np.array(v, dtype=np.float32) for k, v in tree_flatten(model.parameters())}


class MlxTrainer:
    """AdamW training of one model (torch's AdamW maths: bias correction on); `step` takes numpy batches."""

    def __init__(self, model: MlxSemanticModel, lr: float, weight_decay: float, recon_weight: float):
        self.model, self.recon_weight = model, recon_weight
        self.opt = optim.AdamW(
            learning_rate=lr, betas=[0.9, 0.999], eps=1e-8, weight_decay=weight_decay, bias_correction=True
        )
        self._grad = nn.value_and_grad(model, lambda x, y: model.loss(x, y, self.recon_weight))

    def step(self, x: np.ndarray, y: np.ndarray) -> float:
        loss, grads = self._grad(mx.array(x), mx.array(y.astype(np.int32)))
        self.opt.update(self.model, grads)
        mx.eval(self.model.parameters(), self.opt.state, loss)
        return float(loss.item())


@on_mlx_thread
def encode_numpy(model: MlxSemanticModel, x: np.ndarray) -> np.ndarray:
    """Codes (n, P) int64 for a float32 numpy batch."""
    return np.array(model.codes(mx.array(np.asarray(x, dtype=np.float32))), dtype=np.int64)


@on_mlx_thread
def decode_numpy(model: MlxSemanticModel, q: np.ndarray) -> np.ndarray:
    """Decoder output (n, d) float32 for integer codes (n, P)."""
    return np.array(model.decode_codes(mx.array(np.asarray(q, dtype=np.float32))), dtype=np.float32)
