"""Learned binary codes in PyTorch (the working backend off Apple Silicon); mirrors `learned_mlx`."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .learned_params import LearnedConfig, param_shapes


class TorchCodeNet(nn.Module):
    """h = proj(x - mean) [+ mlp_out(gelu(mlp_in(x - mean)))]; the parameter names match the MLX model."""

    def __init__(self, dim: int, bits: int, hidden: int, mean: np.ndarray):
        super().__init__()
        self.proj = nn.Linear(dim, bits)
        self.hidden = hidden
        if hidden:
            self.mlp_in = nn.Linear(dim, hidden)
            self.mlp_out = nn.Linear(hidden, bits)
        # A constant kept out of the state dict, so the weights dict is the same as MLX's parameters.
        self.register_buffer("mean", torch.from_numpy(np.asarray(mean, np.float32)), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        xc = x - self.mean
        h = self.proj(xc)
        if self.hidden:
            h = h + self.mlp_out(F.gelu(self.mlp_in(xc)))
        return h


def relax(h: torch.Tensor, mode: str, beta: float) -> torch.Tensor:
    """The differentiable stand-in for sign(h) used while training."""
    if mode == "tanh":
        return torch.tanh(beta * h)
    soft = torch.tanh(h)
    return torch.sign(h) + soft - soft.detach()  # forward: sign; backward: tanh's gradient


def code_loss(
    net: TorchCodeNet,
    cfg: LearnedConfig,
    x: torch.Tensor,
    beta: float,
    q: torch.Tensor | None = None,
    t: torch.Tensor | None = None,
) -> torch.Tensor:
    """Listwise neighbour loss + optional definition->word InfoNCE + bit balance (see `learned`)."""
    c = relax(net(x), cfg.relax, beta)
    eye = torch.eye(len(x), dtype=torch.bool)
    target = torch.softmax((x @ x.T).masked_fill(eye, -1e9) / cfg.target_tau, dim=1)
    sim = (c @ c.T / cfg.bits).masked_fill(eye, -1e9) / cfg.tau
    loss = cfg.neighbour_weight * -(target * torch.log_softmax(sim, dim=1)).sum(1).mean()
    if q is not None and cfg.task_weight:
        cq, ct = relax(net(q), cfg.relax, beta), relax(net(t), cfg.relax, beta)
        logits = cq @ ct.T / cfg.bits / cfg.tau
        loss = loss + cfg.task_weight * F.cross_entropy(logits, torch.arange(len(q)))
    return loss + cfg.balance_weight * (c.mean(0) ** 2).mean()


class TorchCodeTrainer:
    """AdamW on one network; `step` takes numpy batches and returns the batch loss."""

    def __init__(self, weights: dict[str, np.ndarray], mean: np.ndarray, cfg: LearnedConfig):
        dim = weights["proj.weight"].shape[1]
        assert {k: v.shape for k, v in weights.items()} == param_shapes(dim, cfg.bits, cfg.hidden)
        self.cfg = cfg
        torch.manual_seed(cfg.seed)
        self.net = TorchCodeNet(dim, cfg.bits, cfg.hidden, mean)
        self.net.load_state_dict({k: torch.from_numpy(np.array(v, np.float32)) for k, v in weights.items()})
        self.opt = torch.optim.AdamW(
            self.net.parameters(), lr=cfg.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=cfg.weight_decay
        )

    def loss(self, x: np.ndarray, beta: float, q: np.ndarray | None = None, t: np.ndarray | None = None):
        """The loss without a step (for parity checks)."""
        with torch.no_grad():
            return float(code_loss(self.net, self.cfg, *_tensors(x, q, t, beta)))

    def step(self, x: np.ndarray, beta: float, q: np.ndarray | None = None, t: np.ndarray | None = None):
        loss = code_loss(self.net, self.cfg, *_tensors(x, q, t, beta))
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return float(loss.detach())

    def forward(self, x: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return self.net(torch.from_numpy(np.asarray(x, np.float32))).numpy()

    def weights(self) -> dict[str, np.ndarray]:
        return {k: v.detach().cpu().numpy().copy() for k, v in self.net.state_dict().items()}


def _tensors(x, q, t, beta):
    def tt(a):
        return None if a is None else torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))

    return tt(x), beta, tt(q), tt(t)
