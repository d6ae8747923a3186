"""Helpers for tests that drive the `wotd` CLI in-process against a trained home: one trained home per
test session (tests/conftest.py `trained_home`), private copies for tests that write or damage it, the
database as SQL text, and a call of `main` that captures its exit code and output."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from backends import TEST_BACKEND

from wotd_mlx.cli import main

# A small real lexicon, the real packaged MiniLM (torch), a few encoder epochs; the tiny LM is added by
# the fixture. About a minute on an idle 2-core machine.
TINY = ["--max-words", "600", "--epochs", "5"]


def db_dump(home: Path) -> list[str]:
    """Every row of the home's database as SQL text."""
    conn = sqlite3.connect(home / "wotd.db")
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def copy_home(src: Path, dst: Path) -> Path:
    """A private copy of a trained home whose runs point at the copy's own run directories and models."""
    shutil.copytree(src, dst)
    conn = sqlite3.connect(dst / "wotd.db")
    try:
        for column in ("path", "metrics"):  # metrics name the run's search model (search/space.py)
            conn.execute(f"UPDATE runs SET {column} = replace({column}, ?, ?)", (str(src), str(dst)))
        conn.commit()
    finally:
        conn.close()
    return dst


@contextmanager
def home_env(home: Path, backend: str = TEST_BACKEND) -> Iterator[Path]:
    """WOTD_HOME and WOTD_BACKEND set for the block (usable where pytest's monkeypatch is not: hypothesis)."""
    saved = {k: os.environ.get(k) for k in ("WOTD_HOME", "WOTD_BACKEND")}
    os.environ.update(WOTD_HOME=str(home), WOTD_BACKEND=backend)
    try:
        yield home
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_cli(argv: Sequence[str]) -> tuple[int, str, str]:
    """`wotd ARGV` in this process: (exit code, stdout, stderr). argparse's own exits count as exit codes;
    any other exception propagates (a traceback is a failure)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def assert_one_clear_line(code: int, err: str, argv: Sequence[str]) -> None:
    """A rejected call says what was wrong in exactly one `wotd...: error: ...` line, no traceback."""
    assert code == 2, (argv, code, err)
    assert "Traceback" not in err and 'File "' not in err, (argv, err)
    assert err.count("\n") == 1 and err.endswith("\n"), (argv, err)
    assert err.startswith("wotd") and ": error: " in err, (argv, err)


def run_dir(home: Path) -> Path:
    """The trained run's directory in a home with one run."""
    (path,) = [p for p in (home / "runs").iterdir() if p.is_dir() and not p.name.endswith(".partial")]
    return path


def a_word(home: Path) -> str:
    """A word of the home's lexicon (so that `like` gets as far as writing)."""
    return json.loads((run_dir(home) / "words.json").read_text())[0]


# ---- read-only home and a full disk: a tmpfs where mounting is allowed --------------------------------
@contextmanager
def tmpfs(path: Path, size_kb: int):
    """A tmpfs of `size_kb` at `path` (skips the test where mounting is not allowed)."""
    path.mkdir(parents=True)
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)], capture_output=True, text=True
    )
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mount.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def size_kb(home: Path) -> int:
    return sum(p.stat().st_size for p in home.rglob("*") if p.is_file()) // 1024


def fill_disk(mnt: Path) -> None:
    """Fill the file system to the last block."""
    try:
        with open(mnt / "filler", "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    except OSError:  # full (possibly already before the first block)
        pass
