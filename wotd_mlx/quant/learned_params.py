"""Settings and parameter shapes of the learned binary code, shared by learned.py and both trainers."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import WotdError

RELAXATIONS = ("tanh", "ste")


@dataclass
class LearnedConfig:
    """Training settings of the learned binary code (see learned.py's docstring for the loss)."""

    bits: int = 128
    hidden: int = 0  # width of the residual MLP branch; 0 = linear codes
    relax: str = "tanh"  # "tanh" (annealed beta) or "ste" (straight-through sign)
    epochs: int = 10  # measured at 128 bits: 20 epochs, or batches of 256, gave the same recall (+-0.005)
    batch_size: int = 128  # anchors per step (plus one neighbour each); the step cost grows as its square
    lr: float = 1e-3
    weight_decay: float = 1e-4
    beta_max: float = 30.0
    tau: float = 0.05  # temperature of code similarities (in [-1, 1])
    target_tau: float = 0.05  # temperature of the float cosines that define the neighbour distribution
    neighbours: int = 10  # each anchor brings one of its true top-k float neighbours into the batch
    neighbour_weight: float = 1.0
    task_weight: float = 1.0  # only used when definition -> word pairs are given to fit
    balance_weight: float = 0.1
    seed: int = 0

    def validate(self) -> None:
        """Raise WotdError on settings that training cannot use."""
        if self.relax not in RELAXATIONS:
            raise WotdError(f"unknown relaxation {self.relax!r}; allowed: {', '.join(RELAXATIONS)}")
        for name in ("bits", "epochs", "batch_size"):
            if getattr(self, name) < 1:
                raise WotdError(f"{name} must be positive, got {getattr(self, name)}")
        if self.hidden < 0 or self.neighbours < 0:
            raise WotdError("hidden and neighbours must be >= 0")


def param_shapes(dim: int, bits: int, hidden: int) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every parameter (torch state_dict keys = MLX tree_flatten keys)."""
    shapes = {"proj.weight": (bits, dim), "proj.bias": (bits,)}
    if hidden:
        shapes |= {
            "mlp_in.weight": (hidden, dim),
            "mlp_in.bias": (hidden,),
            "mlp_out.weight": (bits, hidden),
            "mlp_out.bias": (bits,),
        }
    return shapes
