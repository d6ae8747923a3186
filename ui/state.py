"""What the app keeps between requests: the opened run (shared by every request) and the one training job."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from wotd_mlx import mlx_thread
from wotd_mlx.config import DEFAULT_LEVELS, TrainConfig
from wotd_mlx.corpus import axis_names
from wotd_mlx.errors import WotdError
from wotd_mlx.pipeline import train
from wotd_mlx.session import Wotd
from wotd_mlx.store import Run, Store

log = logging.getLogger("wotd.app")

NO_RUN = "No trained run yet: train one in the Train tab first (or run `make run` in a terminal)."


@dataclass
class TrainingJob:
    """One pipeline run in a background thread, watched by the Train tab and stoppable from it."""

    cfg: TrainConfig
    resume: bool
    stages: dict[str, tuple[int, int]] = field(default_factory=dict)  # stage -> (done, total), in order
    curve: list[dict] = field(default_factory=list)  # one row per LMReport
    run: Run | None = None
    error: str | None = None
    cancelled: bool = False
    started: float = field(default_factory=time.time)
    finished: float | None = None
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the run to stop; it stops at its next progress report and keeps the previous run."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    # Both callbacks run in the training thread; raising KeyboardInterrupt there is the pipeline's documented
    # way to stop cleanly (the run is recorded as "interrupted" and can be resumed).
    def _progress(self, stage: str, done: int, total: int) -> None:
        self.stages[stage] = (done, total)
        if self._cancel.is_set():
            raise KeyboardInterrupt

    def _report(self, rep) -> None:
        self.curve.append(asdict(rep))
        if self._cancel.is_set():
            raise KeyboardInterrupt

    def _work(self, home: Path) -> None:
        try:
            with Store(home / "wotd.db") as store:  # its own connection: requests keep reading meanwhile
                self.run = train(
                    self.cfg,
                    store,
                    home / "runs",
                    progress=self._progress,
                    on_lm_report=self._report,
                    resume=self.resume,
                )
        except KeyboardInterrupt:
            self.cancelled = True
        except WotdError as exc:
            self.error = str(exc)
        except Exception as exc:  # a bug: keep the traceback in the terminal, a short line in the UI
            log.exception("training failed")
            self.error = f"training failed unexpectedly ({type(exc).__name__}: {exc}); see the terminal"
        finally:
            # This thread trained MLX models itself (the encoder, the LoRA): it frees its MLX streams
            # before it ends, or the app would abort when it exits (mlx_thread.py).
            mlx_thread.release_thread()
            self.finished = time.time()


class AppState:
    """The app's home, its database and opened run, and at most one training job."""

    def __init__(self, home: Path, backend: str | None = None):
        self.home = Path(home)
        self.backend = backend
        # The request threads share this Store; each thread reads and writes on a connection of its own, and
        # writers queue in `Store.transaction` as the CLI's do.
        self.store = Store(self.home / "wotd.db")
        self._open_lock = threading.Lock()
        self._job_lock = threading.Lock()
        self._session: Wotd | None = None
        self.job: TrainingJob | None = None

    def close(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job.wait(30)
        self.store.close()

    def session(self) -> Wotd:
        """The newest finished run, opened once and reopened when a newer run finishes."""
        with self._open_lock:
            run = self.store.last_run("done")
            if run is None:
                raise WotdError(NO_RUN)
            if self._session is None or self._session.run.id != run.id:
                self._session = Wotd.open(self.store, self.backend)
            return self._session

    def session_or_none(self) -> Wotd | None:
        try:
            return self.session()
        except WotdError:
            return None

    def axes(self) -> dict[str, list[str]]:
        """The current run's level names, or the default levels' names before any run."""
        w = self.session_or_none()
        return w.axes if w is not None else axis_names(DEFAULT_LEVELS)

    def start_training(self, cfg: TrainConfig, resume: bool = False) -> TrainingJob:
        """Start a run in the background; an error if one is already running (one at a time)."""
        with self._job_lock:
            if self.job is not None and self.job.alive:
                raise WotdError("a training run is already in progress; wait for it or cancel it first")
            job = TrainingJob(cfg, resume)
            job._thread = threading.Thread(
                target=job._work, args=(self.home,), name="wotd-train", daemon=True
            )
            self.job = job
            job._thread.start()
            return job

    def running_job(self) -> TrainingJob | None:
        job = self.job
        return job if job is not None and job.alive else None
