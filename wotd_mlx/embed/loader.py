"""Pick and load the embedder backend; kept apart from base.py so the interface imports no backend."""

from __future__ import annotations

from ..backend import framework_needed, import_backend, resolve_backend
from ..config import EmbedConfig
from .base import Embedder


def load_embedder(cfg: EmbedConfig, backend: str | None = None) -> Embedder:
    """The embedder for cfg.model on "mlx" or "torch" (None/"auto": the platform default)."""
    backend = resolve_backend(backend)
    mod = import_backend(
        __package__, {"mlx": ".mlx_backend", "torch": ".torch_backend"}, backend, "embedding"
    )
    impl = mod.MLXEmbedder if backend == "mlx" else mod.TorchEmbedder
    with framework_needed(backend, "embedding"):  # the embedders import their model code on first use
        return impl(cfg)
