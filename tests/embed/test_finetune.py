"""A tiny real fine-tune of the packaged MiniLM: it saves a versioned sentence-transformers directory that the
torch and MLX embedders both load and agree on (MLX on two short texts only: it is slow on Linux CPU)."""

import json

import numpy as np
import pytest

from wotd_mlx.config import DEFAULT_EMBEDDER, EmbedConfig
from wotd_mlx.embed import load_embedder
from wotd_mlx.embed.finetune import FinetuneConfig, train_and_save
from wotd_mlx.embed.zoo import (
    FINETUNED,
    META_FILE,
    current_finetuned,
    default_models,
)

pytest.importorskip("sentence_transformers")

COLS = {
    "anchor": ["a person who studies insects", "a young cat", "fear of heights", "a sweet yellow fruit"],
    "positive": [
        "entomologist: one who studies insects.",
        "kitten: a young cat.",
        "acrophobia: a morbid dread of high places.",
        "banana: the fruit of a tropical plant.",
    ],
    "negative": [
        "ornithologist: one who studies birds.",
        "puppy: a young dog.",
        "cliff: a steep rock.",
        "lemon",
    ],
}
TEXTS = ["kitten: a young cat.", "a person who studies insects"]


@pytest.fixture(scope="module")
def finetuned(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    # lr far above the default so that two steps visibly move the weights
    cfg = FinetuneConfig(pairs=4, batch_size=2, lr=1e-3, train_layers=1)
    meta = train_and_save(COLS, cfg, home)
    return home, meta


def test_saved_as_versioned_sentence_transformers_dir(finetuned):
    home, meta = finetuned
    path = current_finetuned(home)
    assert str(path) == meta["path"] and (path / "model.safetensors").is_file()
    assert (path / "1_Pooling" / "config.json").is_file() and (path / "tokenizer.json").is_file()
    stored = json.loads((path / META_FILE).read_text())
    assert stored["cache_key"].startswith(f"finetuned:{DEFAULT_EMBEDDER}:") and stored["steps"] == 2
    assert not list(path.parent.glob(".partial-*"))  # staging directory gone
    assert default_models(home) == [DEFAULT_EMBEDDER, str(path)]


def test_finetuned_vectors_differ_from_base_and_get_their_own_cache_key(finetuned, torch_embedder):
    _, meta = finetuned
    ft = load_embedder(EmbedConfig(model=meta["path"]), "torch")
    assert ft.model_id == meta["cache_key"] != torch_embedder.model_id
    assert np.abs(ft.embed(TEXTS) - torch_embedder.embed(TEXTS)).max() > 1e-3


def test_zoo_name_finetuned_resolves_through_wotd_home(finetuned, monkeypatch):
    home, meta = finetuned
    monkeypatch.setenv("WOTD_HOME", str(home))
    assert load_embedder(EmbedConfig(model=FINETUNED), "torch").model_id == meta["cache_key"]


def test_mlx_matches_torch_on_finetuned_weights(finetuned):
    pytest.importorskip("mlx.core")
    pytest.importorskip("mlx_embeddings")
    _, meta = finetuned
    cfg = EmbedConfig(model=meta["path"])
    diff = np.abs(load_embedder(cfg, "mlx").embed(TEXTS) - load_embedder(cfg, "torch").embed(TEXTS)).max()
    assert diff < 1e-4
