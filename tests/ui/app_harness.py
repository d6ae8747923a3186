"""Helpers for the UI tests: a launched app, the tiny training settings, database dumps, artifacts.

(A module of its own: the test modules cannot import `conftest`, several folders have one.)"""

from __future__ import annotations

import os
import socket
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
if str(ROOT) not in sys.path:  # `ui` is a top-level folder of the repo, not an installed package
    sys.path.insert(0, str(ROOT))
pytest.importorskip("gradio", reason="the app needs gradio (the `app` extra): run `make setup`")
from gradio_client import Client  # noqa: E402

from ui.app import build_app, serve  # noqa: E402
from wotd_mlx.store import Store  # noqa: E402

# The Train tab's settings, in the API's order: size, max words, corpora, per corpus, encoder epochs,
# corpus source, fine-tune the embedder, LM on, LM model, LM steps. LM path filled in by `tiny_settings`.
# The app's runs skip the embedder's fine-tuning (minutes): the CLI's trained home has it (conftest.py).
TINY = ("full", 600, 6, 10, 5, "lexicon", False, True)
ARTIFACTS = Path(os.environ.get("WOTD_TEST_ARTIFACTS", ROOT / "test-artifacts" / "ui"))


def tiny_settings(lm_dir, lm_steps: int = 4) -> tuple:
    return (*TINY, str(lm_dir), lm_steps)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def db_dump(home: Path, skip: tuple[str, ...] = ()) -> list[str]:
    """Every row of the app's database as SQL text (tables in `skip` left out)."""
    conn = sqlite3.connect(home / "wotd.db")
    try:
        return [line for line in conn.iterdump() if not any(f'"{t}"' in line for t in skip)]
    finally:
        conn.close()


@dataclass
class App:
    demo: object
    url: str
    home: Path
    lm_dir: Path
    first_outputs: tuple  # the final outputs of the two concurrent training requests
    second_outputs: tuple
    statuses: list[list[str]]  # the status codes each training job went through

    @property
    def state(self):
        return self.demo.wotd_state

    def client(self) -> Client:
        return Client(self.url, verbose=False, download_files=False)

    def runs(self) -> list[dict]:
        with Store(self.home / "wotd.db") as store:
            return list(store.db.query("SELECT id, created, finished, status FROM runs ORDER BY id"))


# Generous limits for a loaded machine; every wait ends as soon as its condition holds.
WAIT_S = 900
RUNNING = {"PROCESSING", "ITERATING", "PROGRESS"}


def _watch(*jobs, until=None) -> list[list[str]]:
    """The sequence of queue states (IN_QUEUE, PROCESSING, ...) each job went through, sampled until every
    job is done (or until `until(codes)` holds)."""
    seen: list[list[str]] = [[] for _ in jobs]
    end = time.monotonic() + WAIT_S
    while not all(job.done() for job in jobs):
        for job, codes in zip(jobs, seen, strict=True):
            code = job.status().code.name
            if not codes or codes[-1] != code:
                codes.append(code)
        if until is not None and until(seen):
            return seen
        if time.monotonic() > end:
            raise AssertionError(f"jobs not done after {WAIT_S} s: {seen}")
        time.sleep(0.05)  # the sampling interval, not a wait for something to happen
    return seen


def launch_trained(home: Path, lm_dir: Path) -> App:
    """Launch the app on an empty home and train it through its API with two requests at once."""
    demo = build_app(home, "torch")
    _, url, _ = serve(demo, port=free_port(), block=False, quiet=True)
    try:
        client = Client(url, verbose=False, download_files=False)
        settings = tiny_settings(lm_dir)
        # Two trainings at once: the app must run them one after the other.
        first = client.submit(*settings, api_name="/train_replace")
        # The second request goes in once the first is running (a condition, not a pause), so which one
        # the app runs first is known however busy the machine is.
        early = _watch(first, until=lambda seen: RUNNING & set(seen[0]))[0]
        second = client.submit(*settings, api_name="/train_replace")
        statuses = _watch(first, second)
        statuses[0] = early + statuses[0]
        outputs = first.result(timeout=WAIT_S), second.result(timeout=WAIT_S)
    except BaseException:
        demo.close()
        demo.wotd_state.close()
        raise
    return App(demo, url, home, Path(lm_dir), *outputs, statuses)
