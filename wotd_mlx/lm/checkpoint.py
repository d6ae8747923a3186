"""Training checkpoints that survive Ctrl-C and SIGKILL: each is a complete directory `step-NNNNNN/`
(adapter weights in canonical naming, optimizer state, progress), and `latest.json` names the newest
one. `latest.json` is replaced atomically only after its directory is complete, so a kill at any moment
leaves the previous checkpoint readable."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

from ..errors import WotdError


@dataclass
class Checkpoint:
    step: int
    adapter: dict[str, np.ndarray]
    optimizer: dict[str, np.ndarray]
    state: dict  # backend, curve so far, anything needed to continue


class Checkpoints:
    """The checkpoints of one LM training run, under `root`."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def save(self, ckpt: Checkpoint) -> None:
        final = self.root / f"step-{ckpt.step:06d}"
        tmp = self.root / f".step-{ckpt.step:06d}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        save_file(ckpt.adapter, tmp / "adapter.safetensors")
        save_file(ckpt.optimizer, tmp / "optimizer.safetensors")
        (tmp / "state.json").write_text(json.dumps({"step": ckpt.step, **ckpt.state}))
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)
        pointer = self.root / "latest.json.tmp"
        pointer.write_text(json.dumps({"dir": final.name, "step": ckpt.step}))
        os.replace(pointer, self.root / "latest.json")
        for old in self.root.glob("step-*"):
            if old != final:
                shutil.rmtree(old, ignore_errors=True)

    def latest(self) -> Checkpoint | None:
        """The newest complete checkpoint, or None if training never reached one."""
        pointer = self.root / "latest.json"
        if not pointer.is_file():
            return None
        try:
            where = self.root / json.loads(pointer.read_text())["dir"]
            state = json.loads((where / "state.json").read_text())
            return Checkpoint(
                state.pop("step"),
                load_file(where / "adapter.safetensors"),
                load_file(where / "optimizer.safetensors"),
                state,
            )
        except (OSError, KeyError, ValueError) as exc:
            raise WotdError(f"the LM checkpoint in {self.root} is damaged ({exc}); train again") from exc
