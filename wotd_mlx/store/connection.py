"""One SQLite file opened once per thread, and writers that take turns (`Connections.transaction`)."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import sqlite_utils

try:
    import fcntl
except ImportError:  # Windows: SQLite's own busy wait is the only queue
    fcntl = None


@contextmanager
def _flocked(fd: int, wait_s: float = 60.0) -> Iterator[None]:
    """Hold an exclusive flock on `fd` (polled every millisecond, up to `wait_s`; past that, or on a
    filesystem without flock, go on without it and let SQLite's busy timeout decide)."""
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.001)
            except OSError:
                break
        yield
    finally:
        os.close(fd)  # closing releases the lock


class _ThreadConnection:
    """One thread's connection; closed when its thread ends (the thread-local holding it is dropped)."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def close(self) -> None:
        self.db.conn.close()

    def __del__(self) -> None:
        self.close()


class Connections:
    """A database file's connections, one per thread, opened on first use; use as a context manager or call
    `close()`.

    A connection carries one transaction and one stack of savepoints, so threads sharing one (the app's
    request threads) would commit, roll back or release each other's ("no such savepoint", "cannot start a
    transaction within a transaction"); with WAL, readers on their own connections see the last commit while
    a writer works, and writers queue in `transaction`."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._open: weakref.WeakSet[_ThreadConnection] = weakref.WeakSet()
        self._open_lock = threading.Lock()
        self._closed = False

    @property
    def db(self) -> sqlite_utils.Database:
        """The calling thread's connection, opened on its first use."""
        held = getattr(self._local, "conn", None)
        if held is None:
            if self._closed:
                raise sqlite3.ProgrammingError(f"the database {self.path} is closed")
            conn = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA foreign_keys=ON")  # per connection, not stored in the file
            held = self._local.conn = _ThreadConnection(sqlite_utils.Database(conn))
            with self._open_lock:
                self._open.add(held)
        return held.db

    def close(self) -> None:
        """Close every thread's connection; later use raises."""
        with self._open_lock:
            self._closed = True
            held, self._open = list(self._open), weakref.WeakSet()
        for c in held:
            c.close()

    def __enter__(self) -> Connections:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: commit on success, roll back on any exception (Ctrl-C included)."""
        conn = self.db.conn
        if conn.in_transaction:  # nested: the outer transaction decides
            yield
            return
        with self._writer_turn():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _writer_turn(self):
        """Writers take turns on a lock file before SQLite's write lock. SQLite's busy wait sleeps up
        to 100 ms between tries, so a process that writes back to back (the app) can starve another (the
        CLI) past the 30 s timeout on a busy machine (seen in tests/test_two_writers.py under load);
        polling the lock file every millisecond catches the gap between the other's transactions. Where
        no lock file can be had (read-only or full home, no fcntl), SQLite's busy wait alone decides."""
        if fcntl is None:
            return nullcontext()
        try:
            fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return nullcontext()
        return _flocked(fd)
