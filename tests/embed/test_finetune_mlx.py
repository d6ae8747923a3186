"""The MLX fine-tune end to end on the packaged MiniLM (2 batches of 8, top layer only: seconds on MLX CPU):
it writes a versioned sentence-transformers directory that the MLX and torch embedders (and
sentence-transformers) load and agree on, without importing torch, sentence-transformers, datasets or peft;
and its no-duplicates batches."""

import json
import sys

import numpy as np
import pytest
from backends import HAS_TORCH

pytest.importorskip("mlx.core")
pytest.importorskip("mlx_embeddings")
pytestmark = pytest.mark.mlx

from wotd_mlx.config import DEFAULT_EMBEDDER, EmbedConfig  # noqa: E402
from wotd_mlx.embed import load_embedder  # noqa: E402
from wotd_mlx.embed.finetune import FinetuneConfig, train_and_save  # noqa: E402
from wotd_mlx.embed.finetune_mlx import no_duplicate_batches  # noqa: E402
from wotd_mlx.embed.zoo import META_FILE, current_finetuned  # noqa: E402

WORDS = {
    "kitten": ("a young cat", "puppy: a young dog."),
    "entomologist": ("a person who studies insects", "ornithologist: one who studies birds."),
    "acrophobia": ("fear of heights", "cliff: a steep rock face."),
    "banana": ("a sweet yellow fruit", "lemon: an acid yellow fruit."),
    "anvil": ("an iron block a smith hammers on", "hammer: a tool for striking."),
    "oar": ("a pole with a blade for rowing", "sail: cloth that catches the wind."),
    "glacier": ("a slow river of ice", "iceberg: a floating mass of ice."),
    "quill": ("a feather used as a pen", "ink: a coloured writing fluid."),
}
COLS = {
    "anchor": [a for a, _ in WORDS.values()] + [f"something like a {w}" for w in WORDS],
    "positive": [f"{w}: {a}." for w, (a, _) in WORDS.items()] * 2,
    "negative": [n for _, n in WORDS.values()] * 2,
}
TEXTS = ["kitten: a young cat.", "a slow river of ice"]
NOT_ON_THE_MLX_PATH = ("torch", "sentence_transformers", "datasets", "peft")


@pytest.fixture(scope="module")
def finetuned(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    loaded_before = set(sys.modules)
    seen = []
    cfg = FinetuneConfig(pairs=16, batch_size=8, lr=1e-3, train_layers=1)  # lr high: 2 steps move weights
    meta = train_and_save(COLS, cfg, home, progress=lambda *a: seen.append(a), backend="mlx")
    imported = {m.split(".")[0] for m in set(sys.modules) - loaded_before}
    return home, meta, seen, imported


def test_writes_a_versioned_sentence_transformers_dir(finetuned, minilm_dir):
    from safetensors import safe_open

    home, meta, seen, _ = finetuned
    path = current_finetuned(home)
    assert str(path) == meta["path"] and path.name == f"{DEFAULT_EMBEDDER}-ft-{meta['cache_key'][-12:]}"
    stored = json.loads((path / META_FILE).read_text())
    assert stored["backend"] == "mlx" and stored["steps"] == 2 and stored["pairs"] == 16
    assert stored["cache_key"].startswith(f"finetuned:{DEFAULT_EMBEDDER}:") and stored["train_loss"] > 0
    assert seen == [("finetune", 1, 2), ("finetune", 2, 2)]
    assert not list(path.parent.glob(".partial-*"))
    for name in ("config.json", "modules.json", "tokenizer.json", "1_Pooling/config.json"):
        assert (path / name).is_file(), name
    with (
        safe_open(path / "model.safetensors", "np") as new,
        safe_open(minilm_dir / "model.safetensors", "np") as base,
    ):
        assert new.metadata() == {"format": "pt"}
        assert set(new.keys()) == set(base.keys()) - {"embeddings.position_ids"}  # transformers' BERT names
        assert np.array_equal(new.get_tensor("encoder.layer.0.output.dense.weight"),
                              base.get_tensor("encoder.layer.0.output.dense.weight"))  # frozen  # fmt: skip
        top = "encoder.layer.5.output.dense.weight"
        assert np.abs(new.get_tensor(top) - base.get_tensor(top)).max() > 1e-4  # trained


def test_the_mlx_path_imports_no_torch_stack(finetuned):
    *_, imported = finetuned
    # transformers 5 imports torch itself whenever torch is installed (configuration_utils), so in a torch
    # install only the rest can be checked; the torch-free venv checks torch too.
    assert not imported & set(NOT_ON_THE_MLX_PATH[1:])
    if not HAS_TORCH:
        assert not [m for m in NOT_ON_THE_MLX_PATH if m in sys.modules]


def test_mlx_embedder_loads_it_and_it_moved(finetuned, mlx_embedder):
    _, meta, *_ = finetuned
    ft = load_embedder(EmbedConfig(model=meta["path"]), "mlx")
    assert ft.model_id == meta["cache_key"]
    assert np.abs(ft.embed(TEXTS) - mlx_embedder.embed(TEXTS)).max() > 1e-3


def test_torch_and_sentence_transformers_load_it_like_mlx(finetuned):
    pytest.importorskip("torch")
    from sentence_transformers import SentenceTransformer

    _, meta, *_ = finetuned
    cfg = EmbedConfig(model=meta["path"])
    mlx_vecs = load_embedder(cfg, "mlx").embed(TEXTS)
    torch_vecs = load_embedder(cfg, "torch").embed(TEXTS)
    st_vecs = SentenceTransformer(meta["path"], device="cpu").encode(TEXTS, normalize_embeddings=True)
    assert 1 - (mlx_vecs * torch_vecs).sum(axis=1).min() < 1e-5  # cosine distance between the backends
    assert 1 - (st_vecs * torch_vecs).sum(axis=1).min() < 1e-5


def test_no_duplicate_batches_are_full_distinct_and_seeded():
    cols = {"anchor": [f"a{i}" for i in range(40)], "positive": [f"p{i % 12}" for i in range(40)]}
    batches = no_duplicate_batches(cols, 8, seed=3)
    assert len(batches) == 40 // 8 and all(len(b) == 8 for b in batches)
    for b in batches:
        texts = [cols[c][i] for c in cols for i in b]
        assert len(set(texts)) == len(texts)  # no text twice, across columns too
    assert no_duplicate_batches(cols, 8, seed=3) == batches != no_duplicate_batches(cols, 8, seed=4)


def test_no_duplicate_batches_gives_none_when_texts_cannot_fill_one():
    cols = {"anchor": [f"a{i}" for i in range(10)], "positive": ["same"] * 10}
    assert no_duplicate_batches(cols, 2, seed=0) == []
