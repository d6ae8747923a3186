"""The launched apps every UI test uses: a real server on 127.0.0.1, real SQLite, trained through its own API.

`app` runs on torch and trains on a tiny configuration (600 words, a tiny random LM) by sending two
training requests at once, so the test of "one training at a time" checks what those two requests did.
`mlx_app` runs on MLX and trains once, smaller (MLX on a Linux CPU is slow); at its end the process must not
have imported torch where it had not before (the MLX path's promise). `each_app` gives a test both."""

from __future__ import annotations

import os
import sys

import pytest
from backends import HAS_TORCH, TORCH_MODULES  # tests/ is on sys.path (rootdir conftest)

MLX_GROUP = "ui-mlx"


def _close(app) -> None:
    app.demo.close()
    app.state.close()


@pytest.fixture(scope="session")
def app(tmp_path_factory, tiny_lm_dir):
    pytest.importorskip("torch", reason="the torch app needs torch (the MLX app is `mlx_app`)")
    # Imported here: without gradio the test modules skip (app_harness says why) instead of erroring here.
    from app_harness import launch_trained  # tests/ui is on sys.path (a rootdir-relative test folder)

    app = launch_trained(tmp_path_factory.mktemp("wotd-app-home"), tiny_lm_dir)
    yield app
    _close(app)


@pytest.fixture(scope="session")
def mlx_app(tmp_path_factory, request):
    pytest.importorskip("mlx_embeddings", reason="the MLX app needs mlx-embeddings (the mlx-cpu extra)")
    pytest.importorskip("mlx_lm", reason="the MLX app needs mlx-lm (the mlx-cpu extra)")
    from app_harness import launch_trained

    try:
        lm_dir = request.getfixturevalue("tiny_lm_dir")
    except ModuleNotFoundError as exc:  # temporary: until tests/tiny_lm.py builds the tiny LM without torch
        if exc.name != "torch":
            raise
        pytest.skip("tests/tiny_lm.py builds the tiny LM with torch, which this venv does not have")
    app = launch_trained(tmp_path_factory.mktemp("wotd-mlx-app-home"), lm_dir, "mlx", twice=False)
    yield app
    _close(app)
    # Checked where torch is not installed or must not be loaded (WOTD_TORCH_FREE=1): where it is installed,
    # transformers imports it on its own (the MLX embedder's tokenizer goes through transformers).
    if not HAS_TORCH or os.environ.get("WOTD_TORCH_FREE") == "1":
        loaded = [name for name in TORCH_MODULES if name in sys.modules]
        assert not loaded, f"the app's process on MLX imported {', '.join(loaded)}"


@pytest.fixture(params=["torch", pytest.param("mlx", marks=pytest.mark.mlx)])
def each_app(request):
    """The torch app, then the MLX app."""
    return request.getfixturevalue("app" if request.param == "torch" else "mlx_app")


def pytest_collection_modifyitems(config, items):
    """The MLX app's tests are a work unit of their own for `make test`'s two workers (tests/conftest.py
    groups every UI test as "ui"): they share one trained MLX app, apart from the torch app's tests."""
    for item in items:
        params = item.callspec.params if hasattr(item, "callspec") else {}
        if item.nodeid.startswith("tests/ui/") and params.get("each_app") == "mlx":
            item.add_marker(pytest.mark.xdist_group(MLX_GROUP))  # xdist joins the names: "ui_ui-mlx"
