import json
import sys
import time

import huggingface_hub.constants
import numpy as np
import pytest

from wotd_mlx.config import DEFAULT_EMBEDDER, EmbedConfig
from wotd_mlx.embed import load_embedder, model_id, pooling_mode, resolve_model_dir
from wotd_mlx.embed.hf import pool
from wotd_mlx.errors import WotdError


def test_default_is_packaged_minilm(minilm_dir):
    assert (minilm_dir / "config.json").is_file()
    assert (minilm_dir / "model.safetensors").is_file()
    assert model_id(DEFAULT_EMBEDDER) == "all-minilm-l6-v2"
    assert pooling_mode(minilm_dir) == "mean"


def test_local_directory(tmp_path, minilm_dir, torch_embedder):
    local = tmp_path / "my-minilm"
    local.symlink_to(minilm_dir, target_is_directory=True)
    assert resolve_model_dir(str(local)) == local.resolve()
    assert model_id(str(local)) == str(local.resolve())
    emb = load_embedder(EmbedConfig(model=str(local)), "torch")
    assert emb.model_id == str(local.resolve())
    texts = ["cat", "dog"]
    np.testing.assert_allclose(emb.embed(texts), torch_embedder.embed(texts), atol=1e-6)


@pytest.mark.parametrize("name", ["/no/such/model", "./missing-model", "~/missing-model-xyz"])
def test_missing_path_fails_without_network(name, monkeypatch):
    def no_network(*a, **k):
        raise AssertionError("a path must never reach snapshot_download")

    monkeypatch.setattr("huggingface_hub.snapshot_download", no_network)
    with pytest.raises(WotdError, match="no embedding model directory"):
        resolve_model_dir(name)


def test_unfetchable_hub_id_is_a_wotd_error(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache: nothing to fall back on
    # huggingface_hub reads the variable once at import; set the constant it actually consults too.
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    t0 = time.perf_counter()
    with pytest.raises(WotdError, match="could not fetch.*local model directory"):
        resolve_model_dir("someone/does-not-exist-embedder")
    assert time.perf_counter() - t0 < 10


def test_pooling_config(tmp_path):
    (tmp_path / "1_Pooling").mkdir()
    cfg = tmp_path / "1_Pooling" / "config.json"
    assert pooling_mode(tmp_path) == "mean"  # no config: mean
    cfg.write_text(json.dumps({"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}))
    assert pooling_mode(tmp_path) == "cls"
    cfg.write_text(json.dumps({"pooling_mode_max_tokens": True}))
    with pytest.raises(WotdError, match="mean, cls"):
        pooling_mode(tmp_path)


def test_pool_ignores_padding():
    hidden = np.array([[[1.0, 0.0], [3.0, 2.0], [100.0, 100.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]])
    np.testing.assert_allclose(pool(hidden, mask, "mean"), [[2.0, 1.0]])
    np.testing.assert_allclose(pool(hidden, mask, "cls"), [[1.0, 0.0]])


def test_missing_backend_package_is_a_wotd_error(monkeypatch):
    # As an install without MLX: the framework's modules cannot be imported, ours re-import
    for name in ("mlx", "mlx.core", "mlx.nn", "mlx_embeddings", "mlx_embeddings.utils"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "wotd_mlx.embed.mlx_backend", raising=False)
    with pytest.raises(
        WotdError, match=r"embedding on mlx needs mlx[\w.]*: pip install 'wotd-mlx\[mlx-cpu\]'"
    ):
        load_embedder(EmbedConfig(), "mlx")
