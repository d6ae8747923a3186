"""The one place that picks a backend, imports a stage's implementation for it, and explains a missing
framework (wotd_mlx/backend.py)."""

from __future__ import annotations

import sys

import pytest

from wotd_mlx.backend import framework_needed, import_backend, resolve_backend
from wotd_mlx.errors import WotdError


@pytest.fixture
def stage(tmp_path, monkeypatch):
    """A throwaway package `stage_pkg` with one implementation per backend: the MLX one imports a part of
    mlx_lm that does not exist (as an install without the framework fails), the torch one a module of
    ours that does not exist (a bug)."""
    pkg = tmp_path / "stage_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "impl_mlx.py").write_text("import mlx_lm.no_such_part\n")
    (pkg / "impl_torch.py").write_text("import stage_pkg.no_such_helper\n")
    (pkg / "impl_ok.py").write_text("VALUE = 3\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "stage_pkg"
    for name in [m for m in sys.modules if m.startswith("stage_pkg")]:
        del sys.modules[name]


def test_resolve_backend_names_what_is_allowed(monkeypatch):
    monkeypatch.setenv("WOTD_BACKEND", "torch")
    assert resolve_backend(None) == "torch" and resolve_backend("MLX") == "mlx"
    with pytest.raises(WotdError, match=r"unknown backend 'jax'; allowed: mlx, torch \(or auto\)"):
        resolve_backend("jax")


def test_a_missing_framework_says_what_to_install(stage):
    modules = {"mlx": ".impl_mlx", "torch": ".impl_ok"}
    with pytest.raises(WotdError) as err:
        import_backend(stage, modules, "mlx", "the thing")
    assert str(err.value).startswith(
        "the thing on mlx needs mlx_lm.no_such_part: pip install 'wotd-mlx[mlx-cpu]'"
    )
    assert import_backend(stage, modules, "torch", "the thing").VALUE == 3


def test_a_missing_module_of_ours_is_a_bug_and_keeps_its_traceback(stage):
    with pytest.raises(ModuleNotFoundError, match="stage_pkg.no_such_helper"):
        import_backend(stage, {"mlx": ".impl_ok", "torch": ".impl_torch"}, "torch", "the thing")


def test_framework_needed_covers_imports_made_later():
    with (
        pytest.raises(
            WotdError, match=r"training on torch needs peft\.nothing: pip install 'wotd-mlx\[torch\]'"
        ),
        framework_needed("torch", "training"),
    ):
        raise ModuleNotFoundError("No module named 'peft.nothing'", name="peft.nothing")
    with pytest.raises(ValueError), framework_needed("torch", "training"):  # other errors pass through
        raise ValueError("not an import")
