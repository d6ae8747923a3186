"""Pick the array backend: MLX on Apple Silicon, torch elsewhere; `WOTD_BACKEND` or `--backend` override."""

from __future__ import annotations

import os
import platform

from .errors import WotdError

BACKENDS = ("mlx", "torch")


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
