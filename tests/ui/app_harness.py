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

# The Train tab's settings, in the API's order: size, max words, encoder epochs, corpus source, fine-tune
# the embedder, LM on, LM model, LM steps. LM path filled in by `tiny_settings`.
# The app's runs skip the embedder's fine-tuning (minutes): the CLI's trained home has it (conftest.py).
TINY = ("full", 600, 5, "lexicon", False, True)
# On MLX, whose Linux CPU build embeds 3-5 texts a second: 64 words are about 130 texts (word and other
# senses) to embed. No fine-tuning of the embedder: an MLX step takes over a minute on this CPU
# (tests/test_torch_free.py covers it through the CLI).
TINY_MLX = ("full", 64, 2, "lexicon", False, True)
ARTIFACTS = Path(os.environ.get("WOTD_TEST_ARTIFACTS", ROOT / "test-artifacts" / "ui"))


def tiny_settings(lm_dir, lm_steps: int = 4, base: tuple = TINY) -> tuple:
    return (*base, str(lm_dir), lm_steps)


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
    outputs: list[tuple]  # the final outputs of each training request made at launch, in order
    statuses: list[list[str]]  # the status codes each training job went through
    backend: str = "torch"
    base: tuple = TINY  # the training settings without the LM's (tiny_settings)

    @property
    def state(self):
        return self.demo.wotd_state

    @property
    def words(self) -> int:
        return self.base[1]

    def settings(self, lm_steps: int = 4) -> tuple:
        return tiny_settings(self.lm_dir, lm_steps, self.base)

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


def launch_trained(home: Path, lm_dir: Path, backend: str = "torch", twice: bool = True) -> App:
    """Launch the app on an empty home and train it through its API: with `twice`, two requests at once
    (torch); else one (MLX, where a training takes minutes on a Linux CPU)."""
    base = TINY if backend == "torch" else TINY_MLX
    demo = build_app(home, backend)
    _, url, _ = serve(demo, port=free_port(), block=False, quiet=True)
    try:
        client = Client(url, verbose=False, download_files=False)
        settings = tiny_settings(lm_dir, base=base)
        # With `twice`, two trainings at once: the app must run them one after the other.
        jobs = [client.submit(*settings, api_name="/train_replace")]
        if twice:
            # The second request goes in once the first is running (a condition, not a pause), so which one
            # the app runs first is known however busy the machine is.
            early = _watch(*jobs, until=lambda seen: RUNNING & set(seen[0]))[0]
            jobs.append(client.submit(*settings, api_name="/train_replace"))
        statuses = _watch(*jobs)
        if twice:
            statuses[0] = early + statuses[0]
        outputs = [job.result(timeout=WAIT_S) for job in jobs]
    except BaseException:
        demo.close()
        demo.wotd_state.close()
        raise
    return App(demo, url, home, Path(lm_dir), outputs, statuses, backend, base)
