"""Which backend the backend-agnostic tests drive: torch where it is installed (the quick CPU path on Linux),
else MLX (the MLX-only install, as on a Mac). `WOTD_TEST_BACKEND` overrides."""

from __future__ import annotations

import importlib.util
import os

HAS_TORCH = importlib.util.find_spec("torch") is not None
TEST_BACKEND = os.environ.get("WOTD_TEST_BACKEND") or ("torch" if HAS_TORCH else "mlx")
# Never imported by the MLX path (the torch-free checks in tests/conftest.py and tests/test_torch_free.py).
TORCH_MODULES = ("torch", "sentence_transformers", "peft")
