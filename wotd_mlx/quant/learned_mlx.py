"""Learned binary codes in MLX (the native path on Apple Silicon); mirrors `learned_torch`."""

from __future__ import annotations

import mlx.core as mx
import mlx.nn as nn
import mlx.optimizers as optim
import numpy as np
from mlx.utils import tree_flatten, tree_unflatten

from .learned_params import LearnedConfig, param_shapes


class MlxCodeNet(nn.Module):
    """h = proj(x - mean) [+ mlp_out(gelu(mlp_in(x - mean)))]; the parameter names match the torch model."""

    def __init__(self, dim: int, bits: int, hidden: int, mean: np.ndarray):
        super().__init__()
        self.proj = nn.Linear(dim, bits)
        self.hidden = hidden
        if hidden:
            self.mlp_in = nn.Linear(dim, hidden)
            self.mlp_out = nn.Linear(hidden, bits)
        self._mean = mx.array(np.asarray(mean, np.float32))  # underscore: a constant, not a parameter

    def __call__(self, x: mx.array) -> mx.array:
        xc = x - self._mean
        h = self.proj(xc)
        if self.hidden:
            h = h + self.mlp_out(nn.gelu(self.mlp_in(xc)))
        return h


def relax(h: mx.array, mode: str, beta: float) -> mx.array:
    """The differentiable stand-in for sign(h) used while training."""
    if mode == "tanh":
        return mx.tanh(beta * h)
    soft = mx.tanh(h)
    return mx.sign(h) + soft - mx.stop_gradient(soft)  # forward: sign; backward: tanh's gradient


def _log_softmax(a: mx.array) -> mx.array:
    return a - mx.logsumexp(a, axis=1, keepdims=True)


def code_loss(
    net: MlxCodeNet,
    cfg: LearnedConfig,
    x: mx.array,
    beta: float,
    q: mx.array | None = None,
    t: mx.array | None = None,
) -> mx.array:
    """Listwise neighbour loss + optional definition->word InfoNCE + bit balance (see `learned`)."""
    c = relax(net(x), cfg.relax, beta)
    eye = mx.eye(x.shape[0]) > 0
    target = mx.softmax(mx.where(eye, -1e9, x @ x.T) / cfg.target_tau, axis=1)
    sim = mx.where(eye, -1e9, c @ c.T / cfg.bits) / cfg.tau
    loss = cfg.neighbour_weight * -(target * _log_softmax(sim)).sum(axis=1).mean()
    if q is not None and cfg.task_weight:
        cq, ct = relax(net(q), cfg.relax, beta), relax(net(t), cfg.relax, beta)
        logits = cq @ ct.T / cfg.bits / cfg.tau
        labels = mx.arange(q.shape[0])
        loss = loss + cfg.task_weight * nn.losses.cross_entropy(logits, labels, reduction="mean")
    return loss + cfg.balance_weight * (c.mean(axis=0) ** 2).mean()


class MlxCodeTrainer:
    """AdamW (torch's maths: bias correction on) on one network; `step` takes numpy batches."""

    def __init__(self, weights: dict[str, np.ndarray], mean: np.ndarray, cfg: LearnedConfig):
        dim = weights["proj.weight"].shape[1]
        assert {k: v.shape for k, v in weights.items()} == param_shapes(dim, cfg.bits, cfg.hidden)
        self.cfg = cfg
        self.net = MlxCodeNet(dim, cfg.bits, cfg.hidden, mean)
        self.net.update(
            tree_unflatten([(k, mx.array(np.asarray(v, np.float32))) for k, v in weights.items()])
        )
        mx.eval(self.net.parameters())
        self.opt = optim.AdamW(
            learning_rate=cfg.lr,
            betas=[0.9, 0.999],
            eps=1e-8,
            weight_decay=cfg.weight_decay,
            bias_correction=True,
        )

        def objective(x, beta, q, t):
            return code_loss(self.net, cfg, x, beta, q, t)

        self._grad = nn.value_and_grad(self.net, objective)

    def loss(self, x: np.ndarray, beta: float, q: np.ndarray | None = None, t: np.ndarray | None = None):
        """The loss without a step (for parity checks)."""
        return float(code_loss(self.net, self.cfg, *_arrays(x, q, t, beta)).item())

    def step(self, x: np.ndarray, beta: float, q: np.ndarray | None = None, t: np.ndarray | None = None):
        loss, grads = self._grad(*_arrays(x, q, t, beta))
        self.opt.update(self.net, grads)
        mx.eval(self.net.parameters(), self.opt.state, loss)
        return float(loss.item())

    def forward(self, x: np.ndarray) -> np.ndarray:
        return np.array(self.net(mx.array(np.asarray(x, np.float32))), dtype=np.float32)

    def weights(self) -> dict[str, np.ndarray]:
        return {k: np.array(v, dtype=np.float32) for k, v in tree_flatten(self.net.parameters())}


def _arrays(x, q, t, beta):
    def ma(a):
        return None if a is None else mx.array(np.asarray(a, dtype=np.float32))

    return ma(x), beta, ma(q), ma(t)
