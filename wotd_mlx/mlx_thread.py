"""One long-lived thread for the MLX work of the models a process serves (the app, the CLI, scripts).

Since mlx 0.31.2 MLX keeps its streams and random state per thread. Two consequences for a server whose
requests run on short-lived worker threads (Gradio's are anyio's, which end after 10 idle seconds):
a graph built on one thread and evaluated on another raises "There is no Stream(cpu, N) in current thread",
and a thread that drew MLX random numbers (every model constructor does, to initialise its layers) and ends
without `mx.clear_streams()` makes the process abort at exit ("terminate called without an active
exception"; measured with mlx 0.32.4 CPU: 16 short threads that each build an `nn.Linear`, 6 of 6 runs).
So the served models are built and called here, on one thread that frees its streams when the process
exits; a thread of our own that runs MLX itself (the app's training job) calls `release_thread` at its end.
"""

from __future__ import annotations

import atexit
import functools
import queue
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
THREAD_NAME = "wotd-mlx"

_lock = threading.Lock()
_tasks: queue.SimpleQueue | None = None
_thread: threading.Thread | None = None
_STOP = object()


def release_thread() -> None:
    """Free the calling thread's MLX streams: the last MLX call of a thread that is about to end (after it,
    the thread cannot use MLX). A no-op where MLX was never imported (the torch path)."""
    mx = sys.modules.get("mlx.core")
    if mx is not None:
        mx.clear_streams()


def _serve(tasks: queue.SimpleQueue) -> None:
    while (task := tasks.get()) is not _STOP:
        fn, args, kwargs, future = task
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # the caller re-raises it, with its own traceback
                future.set_exception(exc)
    release_thread()


def _stop() -> None:
    """At interpreter exit: let the thread finish its queue, free its streams and end."""
    global _tasks, _thread
    with _lock:
        tasks, thread, _tasks, _thread = _tasks, _thread, None, None
    if tasks is not None and thread is not None:
        tasks.put(_STOP)
        thread.join()


def _queue() -> queue.SimpleQueue:
    global _tasks, _thread
    with _lock:
        if _thread is None:
            _tasks = queue.SimpleQueue()
            # A daemon, stopped by `_stop` in atexit: atexit runs after non-daemon threads are joined, so a
            # non-daemon thread waiting for work would hold the interpreter open for ever.
            _thread = threading.Thread(target=_serve, args=(_tasks,), name=THREAD_NAME, daemon=True)
            _thread.start()
            atexit.register(_stop)
        return _tasks


def call(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` on the MLX thread (at once when already on it); its exception is raised here."""
    if threading.current_thread() is _thread:
        return fn(*args, **kwargs)
    future: Future = Future()
    _queue().put((fn, args, kwargs, future))
    return future.result()


def on_mlx_thread(fn: Callable[P, T]) -> Callable[P, T]:
    """Decorator: every call of `fn` runs on the MLX thread."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return call(fn, *args, **kwargs)

    return wrapper
