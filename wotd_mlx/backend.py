"""Pick the array backend (MLX on Apple Silicon, torch elsewhere; `WOTD_BACKEND` or `--backend` override),
import a stage's implementation for it, and explain a framework that is not installed."""

from __future__ import annotations

import importlib
import os
import platform
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType

from .errors import WotdError

BACKENDS = ("mlx", "torch")
EXTRAS = {"mlx": "mlx-cpu", "torch": "torch"}  # pyproject's extra that installs each backend
# The top-level packages a backend brings; a missing one of these is the user's to install, any other
# missing module is a bug and keeps its traceback.
FRAMEWORK_PACKAGES = frozenset(
    {"mlx", "mlx_lm", "mlx_embeddings", "torch", "transformers", "peft", "sentence_transformers", "datasets"}
)


def is_apple_silicon() -> bool:
    return platform.system() == "Darwin" and platform.machine() == "arm64"


def resolve_backend(requested: str | None = None) -> str:
    """Return "mlx" or "torch": the explicit request, else `$WOTD_BACKEND`, else the platform default."""
    name = (requested or os.environ.get("WOTD_BACKEND") or "").strip().lower()
    if not name or name == "auto":
        return "mlx" if is_apple_silicon() else "torch"
    if name not in BACKENDS:
        raise WotdError(f"unknown backend {name!r}; allowed: mlx, torch (or auto)")
    return name


@contextmanager
def framework_needed(backend: str, what: str) -> Iterator[None]:
    """Turn a missing framework package, imported anywhere inside, into a WotdError saying what to install."""
    try:
        yield
    except ModuleNotFoundError as e:
        if (e.name or "").split(".")[0] not in FRAMEWORK_PACKAGES:
            raise
        raise WotdError(
            f"{what} on {backend} needs {e.name}: pip install 'wotd-mlx[{EXTRAS[backend]}]' (`make setup` "
            "installs both backends), or pick the other one with --backend or WOTD_BACKEND"
        ) from e


def import_backend(package: str, modules: Mapping[str, str], backend: str | None, what: str) -> ModuleType:
    """The module implementing `what` on the resolved backend (`modules`: backend -> relative module name),
    imported only now, so an install needs only the framework it runs."""
    name = resolve_backend(backend)
    with framework_needed(name, what):
        return importlib.import_module(modules[name], package)
