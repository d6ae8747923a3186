"""The semantic encoder/decoder in PyTorch (the working backend off Apple Silicon)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .fsq import half_widths
from .params import EPS, check_weights, head_bounds, n_labelled, n_outputs


class TorchSemanticModel(nn.Module):
    """Encoder x -> (style logits, FSQ values u) and decoder codes -> unit vector; see `params` for layout."""

    def __init__(self, dim: int, hidden: int, levels: Sequence[int]):
        super().__init__()
        self.dim, self.hidden, self.levels = int(dim), int(hidden), tuple(int(v) for v in levels)
        self.enc_in = nn.Linear(dim, hidden)
        self.enc_out = nn.Linear(hidden, n_outputs(levels))
        self.dec_in = nn.Linear(len(levels), hidden)
        self.dec_out = nn.Linear(hidden, dim)
        # A constant, not a parameter: kept out of the state dict so the weights dict is the same in MLX.
        self.register_buffer("hw", torch.from_numpy(half_widths(levels)), persistent=False)
        self.heads, self.n_lab = head_bounds(levels), n_labelled(levels)

    def forward(self, x: torch.Tensor) -> tuple[list[torch.Tensor], torch.Tensor]:
        """Logits of each labelled part and bounded FSQ values u (n, free parts) in [0, L-1]."""
        h = self.enc_out(F.gelu(self.enc_in(x)))
        u = self.hw[self.n_lab :] * (torch.tanh(h[:, self.heads[-1][1] :]) + 1.0)
        return [h[:, a:b] for a, b in self.heads], u

    def codes(self, x: torch.Tensor) -> torch.Tensor:
        """Integer codes (n, P): argmax of each labelled head, then round(u) for the FSQ parts."""
        logits, u = self(x)
        return torch.cat([*(g.argmax(1, keepdim=True) for g in logits), torch.round(u).long()], dim=1)

    def decode_codes(self, q: torch.Tensor) -> torch.Tensor:
        """Codes (n, P) (integers, or STE floats while training) -> L2-normalised vectors (n, d)."""
        s = (q.float() - self.hw) / self.hw
        y = self.dec_out(F.gelu(self.dec_in(s)))
        return y / y.norm(dim=1, keepdim=True).clamp_min(EPS)

    def loss(self, x: torch.Tensor, y: torch.Tensor, recon_weight: float) -> torch.Tensor:
        """Cross-entropy of each labelled head + recon_weight * (1 - cos(x, decode(q)))."""
        logits, u = self(x)
        total = sum(F.cross_entropy(g, y[:, j]) for j, g in enumerate(logits))
        ste = u + (torch.round(u) - u).detach()  # straight-through: forward rounds, backward is identity
        # Labelled parts enter the decoder as constants (labels alone drive them); free parts get STE grads.
        q = torch.cat([*(g.argmax(1, keepdim=True).float() for g in logits), ste], 1)
        xn = x / x.norm(dim=1, keepdim=True).clamp_min(EPS)
        cos = (xn * self.decode_codes(q)).sum(1)
        return total + recon_weight * (1.0 - cos).mean()


def build(weights: dict[str, np.ndarray], dim: int, hidden: int, levels: Sequence[int]) -> TorchSemanticModel:
    """A model holding copies of `weights` (numpy)."""
    check_weights(weights, dim, hidden, levels)
    model = TorchSemanticModel(dim, hidden, levels)
    model.load_state_dict({k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in weights.items()})
    return model


def get_weights(model: TorchSemanticModel) -> dict[str, np.ndarray]:
    """The model's parameters as a numpy dict (copies)."""
    return {k: v.detach().cpu().numpy().copy() for k, v in model.state_dict().items()}


class TorchTrainer:
    """AdamW training of one model; `step` takes numpy batches and returns the batch loss."""

    def __init__(self, model: TorchSemanticModel, lr: float, weight_decay: float, recon_weight: float):
        self.model, self.recon_weight = model, recon_weight
        self.opt = torch.optim.AdamW(
            model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=weight_decay
        )

    def step(self, x: np.ndarray, y: np.ndarray) -> float:
        self.model.train()
        loss = self.model.loss(torch.from_numpy(x), torch.from_numpy(y.astype(np.int64)), self.recon_weight)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return float(loss.detach())


def encode_numpy(model: TorchSemanticModel, x: np.ndarray) -> np.ndarray:
    """Codes (n, P) int64 for a float32 numpy batch."""
    with torch.inference_mode():
        return model.codes(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))).numpy()


def decode_numpy(model: TorchSemanticModel, q: np.ndarray) -> np.ndarray:
    """Decoder output (n, d) float32 for integer codes (n, P)."""
    with torch.inference_mode():
        return model.decode_codes(torch.from_numpy(np.asarray(q, dtype=np.float32))).numpy()
