"""`SemanticEncoder`: a trained model plus its materialised FSQ codebook; encode, decode, save, load."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import numpy as np

from ..backend import import_backend, resolve_backend
from ..errors import WotdError
from . import numpy_model
from .fsq import grid
from .ids import flat_index
from .params import check_weights

WEIGHTS_FILE, CODEBOOK_FILE, META_FILE = "encoder.safetensors", "codebook.npy", "encoder.json"
FORMAT_VERSION = 1


def backend_module(backend: str | None) -> ModuleType:
    """`torch_model` or `mlx_model` (imported lazily: only the chosen framework must be installed)."""
    return import_backend(
        __package__, {"mlx": ".mlx_model", "torch": ".torch_model"}, backend, "the semantic encoder"
    )


def materialise_codebook(model, mod: ModuleType, levels: Sequence[int]) -> np.ndarray:
    """Decode every grid code: the (prod(levels), d) float32 table that `decode` looks rows up in."""
    return mod.decode_numpy(model, grid(levels)).astype(np.float32)


class SemanticEncoder:
    """Embeddings -> semantic IDs (n, P) in numpy; IDs -> vectors by codebook lookup; trained by a backend."""

    def __init__(
        self,
        levels: Sequence[int],
        dim: int,
        hidden: int,
        weights: dict[str, np.ndarray],
        codebook: np.ndarray,
        backend: str | None = None,
    ):
        self.levels, self.dim, self.hidden = tuple(int(v) for v in levels), int(dim), int(hidden)
        try:
            check_weights(weights, self.dim, self.hidden, self.levels)
        except ValueError as e:
            raise WotdError(str(e)) from e
        want = (int(np.prod(self.levels)), self.dim)
        if codebook.shape != want:
            raise WotdError(f"codebook has shape {codebook.shape}, expected {want}")
        self.weights = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.codebook = np.asarray(codebook, dtype=np.float32)
        self.backend = resolve_backend(backend)
        self._built: tuple[ModuleType, object] | None = None

    def _network(self) -> tuple[ModuleType, object]:
        """The backend module and model, built on first use and kept: importing torch or MLX takes seconds,
        and `encode` and `decode` (all that search, retrieval and the word of the day need) are numpy."""
        if self._built is None:
            mod = backend_module(self.backend)
            self._built = (mod, mod.build(self.weights, self.dim, self.hidden, self.levels))
        return self._built

    def encode(self, X: np.ndarray) -> np.ndarray:
        """Semantic IDs (n, P) int64 for embeddings X (n, d) or a single embedding (d,)."""
        x = np.asarray(X, dtype=np.float32)
        if x.ndim == 1:
            x = x[None, :]
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise WotdError(f"embeddings must have shape (n, {self.dim}), got {np.shape(X)}")
        return numpy_model.encode(self.weights, x, self.levels)

    def decode(self, ids: np.ndarray | Sequence) -> np.ndarray:
        """Unit vectors (n, d) (or (d,) for one ID) by codebook lookup: no backend needed."""
        return self.codebook[flat_index(ids, self.levels)]

    def decode_with_model(self, ids: np.ndarray) -> np.ndarray:
        """The decoder network's output for IDs (n, P); equals `decode` up to float rounding."""
        mod, model = self._network()
        return mod.decode_numpy(model, np.atleast_2d(ids))

    def save(self, directory: str | Path) -> Path:
        """Write encoder.safetensors, codebook.npy and encoder.json into `directory`."""
        from safetensors.numpy import save_file

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        save_file(self.weights, str(d / WEIGHTS_FILE))
        np.save(d / CODEBOOK_FILE, self.codebook)
        meta = {"format": FORMAT_VERSION, "levels": list(self.levels), "dim": self.dim, "hidden": self.hidden}
        (d / META_FILE).write_text(json.dumps(meta, indent=2))
        return d

    @classmethod
    def load(cls, directory: str | Path, backend: str | None = None) -> SemanticEncoder:
        """Read a directory written by `save`; a missing or corrupt one raises WotdError."""
        from safetensors.numpy import load_file

        d = Path(directory)
        missing = [f for f in (WEIGHTS_FILE, CODEBOOK_FILE, META_FILE) if not (d / f).is_file()]
        if missing:
            raise WotdError(f"no trained semantic encoder in {d}: missing {', '.join(missing)}")
        try:
            meta = json.loads((d / META_FILE).read_text())
            levels, dim, hidden = tuple(int(v) for v in meta["levels"]), int(meta["dim"]), int(meta["hidden"])
            weights = load_file(str(d / WEIGHTS_FILE))
            codebook = np.load(d / CODEBOOK_FILE, allow_pickle=False)
        except Exception as e:  # any parse failure means the files are unusable; say which dir
            raise WotdError(f"semantic encoder in {d} is corrupt ({type(e).__name__}: {e})") from e
        return cls(levels, dim, hidden, weights, codebook, backend)
