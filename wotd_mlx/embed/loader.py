"""Pick and load the embedder backend; kept apart from base.py so the interface imports no backend."""

from __future__ import annotations

from ..backend import resolve_backend
from ..config import EmbedConfig
from ..errors import WotdError
from .base import Embedder


def load_embedder(cfg: EmbedConfig, backend: str | None = None) -> Embedder:
    """The embedder for cfg.model on "mlx" or "torch" (None/"auto": the platform default)."""
    backend = resolve_backend(backend)
    # Imported here so torch-only installs never import mlx, and MLX-only installs never import torch.
    try:
        if backend == "mlx":
            from .mlx_backend import MLXEmbedder as impl
        else:
            from .torch_backend import TorchEmbedder as impl
    except ImportError as e:
        extra = "mlx-cpu" if backend == "mlx" else "torch"
        raise WotdError(
            f"the {backend} embedder needs {e.name or 'a missing package'}: pip install 'wotd-mlx[{extra}]'"
            " (on Apple Silicon MLX is installed by default)"
        ) from e
    return impl(cfg)
