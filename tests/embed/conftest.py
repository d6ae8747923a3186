"""Shared fixtures: the real packaged MiniLM, loaded once per session (no network)."""

from __future__ import annotations

import pytest

from wotd_mlx.config import EmbedConfig
from wotd_mlx.embed import load_embedder, resolve_model_dir


@pytest.fixture(scope="session")
def minilm_dir():
    return resolve_model_dir(EmbedConfig().model)


@pytest.fixture(scope="session")
def torch_embedder():
    pytest.importorskip("torch", reason="the torch backend is not installed (the MLX-only install)")
    return load_embedder(EmbedConfig(), "torch")


@pytest.fixture(scope="session")
def mlx_embedder():
    pytest.importorskip("mlx.core")
    pytest.importorskip("mlx_embeddings")
    return load_embedder(EmbedConfig(), "mlx")
