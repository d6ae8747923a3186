"""One launched app for every UI test: a real server on 127.0.0.1, real SQLite, trained through its own API.

The session fixture trains on a tiny configuration (600 words, a tiny random LM) by sending two training
requests at once, so the test of "one training at a time" checks what those two requests did."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def app(tmp_path_factory, tiny_lm_dir):
    # Imported here: without gradio the test modules skip (app_harness says why) instead of erroring here.
    from app_harness import launch_trained  # tests/ui is on sys.path (a rootdir-relative test folder)

    app = launch_trained(tmp_path_factory.mktemp("wotd-app-home"), tiny_lm_dir)
    yield app
    app.demo.close()
    app.state.close()
