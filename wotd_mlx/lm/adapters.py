"""LoRA adapter files: mlx-lm's format (adapters.safetensors + adapter_config.json, which `mlx_lm.load(...,
adapter_path=...)` reads) and PEFT's (adapter_model.safetensors + its adapter_config.json). Weights move
between them through one canonical numpy dict in mlx-lm naming: `<module>.lora_a` (in, r), `.lora_b` (r, out).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

from ..config import LMConfig
from ..errors import WotdError

PEFT_PREFIX = "base_model.model."
_LAYER_KEY = re.compile(r"layers\.(\d+)\.(.+)\.lora_[ab]$")
MLX_WEIGHTS, PEFT_WEIGHTS, CONFIG = "adapters.safetensors", "adapter_model.safetensors", "adapter_config.json"


def peft_to_canonical(state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """PEFT keys `base_model.model.X.lora_A.weight` (r, in) -> `X.lora_a` (in, r); B likewise."""
    out = {}
    for key, value in state.items():
        name = key.removeprefix(PEFT_PREFIX).replace(".default", "")
        for peft_leaf, leaf in ((".lora_A.weight", ".lora_a"), (".lora_B.weight", ".lora_b")):
            if name.endswith(peft_leaf):
                out[name[: -len(peft_leaf)] + leaf] = np.ascontiguousarray(value.T)
    return out


def canonical_to_peft(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The inverse of `peft_to_canonical` (keys without PEFT's adapter name, as in its saved files)."""
    out = {}
    for key, value in weights.items():
        stem, leaf = key.rsplit(".", 1)
        out[f"{PEFT_PREFIX}{stem}.lora_{leaf[-1].upper()}.weight"] = np.ascontiguousarray(value.T)
    return out


def mlx_adapter_config(cfg: LMConfig) -> dict:
    return {
        "fine_tune_type": "lora",
        "num_layers": cfg.num_layers,
        "lora_parameters": {
            "rank": cfg.rank,
            "scale": cfg.scale,
            "dropout": cfg.dropout,
            "keys": list(cfg.keys),
        },
    }


def save_mlx_adapter(path: Path, weights: dict[str, np.ndarray], cfg: LMConfig) -> None:
    """Write an adapter directory that `mlx_lm.load(model, adapter_path=path)` loads."""
    path.mkdir(parents=True, exist_ok=True)
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in weights.items()}, path / MLX_WEIGHTS)
    (path / CONFIG).write_text(json.dumps(mlx_adapter_config(cfg), indent=2))


def read_adapter(path: Path) -> tuple[dict[str, np.ndarray], LMConfig]:
    """Canonical weights and the LoRA settings from either format."""
    path = Path(path)
    try:
        config = json.loads((path / CONFIG).read_text())
        if "peft_type" in config:
            weights = peft_to_canonical(load_file(path / PEFT_WEIGHTS))
            found = [_LAYER_KEY.search(k) for k in weights]
            cfg = LMConfig(
                rank=config["r"],
                scale=config["lora_alpha"] / config["r"],
                dropout=config.get("lora_dropout", 0.0),
                num_layers=len({m.group(1) for m in found if m}),
                keys=tuple(sorted({m.group(2) for m in found if m})),
            )
        else:
            weights = load_file(path / MLX_WEIGHTS)
            params = config["lora_parameters"]
            cfg = LMConfig(
                rank=params["rank"],
                scale=params["scale"],
                dropout=params.get("dropout", 0.0),
                num_layers=config["num_layers"],
                keys=tuple(params.get("keys") or ()),
            )
    except (OSError, KeyError, ValueError) as exc:
        raise WotdError(f"cannot read the LoRA adapter in {path} ({exc})") from exc
    return weights, cfg
