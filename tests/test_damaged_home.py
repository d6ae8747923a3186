"""A damaged $WOTD_HOME: a truncated or corrupt database, a run directory with a missing or corrupt file, a
read-only home, a full disk. Each gives exit 2 and one line that says what to do, and destroys nothing else:
the other files (and the database, where it was intact) are byte for byte as they were.

Read-only and full disk use a small tmpfs mounted for the test where that is allowed (root on Linux); the full
disk is also simulated in a real process with a file-size limit (RLIMIT_FSIZE), which works everywhere."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_harness import (
    TINY,
    a_word,
    assert_one_clear_line,
    copy_home,
    db_dump,
    fill_disk,
    home_env,
    run_cli,
    run_dir,
    size_kb,
    tmpfs,
)

RUN_FILES = [
    "codes.npy",
    "axes.json",
    "encoder.safetensors",
    "codebook.npy",
    "encoder.json",
    "index.faiss",
    "words.json",
    "senses.npy",
    "senses.json",
    "search_words.npy",
]
READ = ["generate", "1,1,1,1", "--method", "retrieval", "--json"]


def fingerprint(home: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under home (but the database's WAL side files and `skip`)."""
    return {
        str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(home.rglob("*"))
        if p.is_file() and not p.name.endswith(("-wal", "-shm")) and p.name not in skip
    }


@pytest.fixture
def home(trained_home, tmp_path):
    with home_env(copy_home(trained_home, tmp_path / "home")) as path:
        yield path


def rejected(argv: list[str], *needles: str) -> str:
    code, _, err = run_cli(argv)
    assert_one_clear_line(code, err, argv)
    for needle in needles:
        assert needle in err, err
    return err


# ---- the database ------------------------------------------------------------------------------------
def _truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _header(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[:100] = os.urandom(100)
    db.write_bytes(bytes(data))


def _pages(db: Path) -> None:
    data = bytearray(db.read_bytes())
    for start in range(4096, len(data), 4096 * 3):  # every third page past the first: b-tree pages broken
        data[start : start + 64] = b"\xff" * 64
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _header, _pages], ids=["truncated", "header", "pages"])
@pytest.mark.parametrize("argv", [["today", "--date", "2026-03-01"], READ, ["info"]], ids=lambda a: a[0])
def test_damaged_database(home, damage, argv):
    db = home / "wotd.db"
    damage(db)
    damaged, files = db.read_bytes(), fingerprint(home, skip=("wotd.db",))
    err = rejected(argv, str(db))
    assert "damaged" in err and "wotd train" in err
    assert db.read_bytes() == damaged  # not "repaired" into something else: the person decides
    assert fingerprint(home, skip=("wotd.db",)) == files


# ---- a run's files -----------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["missing", "corrupt"])
@pytest.mark.parametrize("name", RUN_FILES)
def test_damaged_run_file(home, name, how):
    target = run_dir(home) / name
    assert target.is_file()
    if how == "missing":
        target.unlink()
    else:
        target.write_bytes(b"\x00not what it should be\xff" * 3)
    before, files = db_dump(home), fingerprint(home)
    rejected(READ, "wotd train")
    rejected(["today", "--date", "2026-03-02"], "wotd train")
    assert db_dump(home) == before and fingerprint(home) == files


def test_a_missing_run_directory(home):
    path = run_dir(home)
    path.rename(path.with_name("moved-away"))
    before = db_dump(home)
    rejected(READ, "missing", "wotd train")
    assert db_dump(home) == before


def test_a_missing_search_model(home):
    models = home / "models" / "embedders"
    (model,) = [p for p in models.iterdir() if p.is_dir()]
    shutil.rmtree(model)
    before = db_dump(home)
    rejected(["search", "a small animal"], "search model is missing", "wotd train")
    assert run_cli(READ)[0] == 0  # everything else reads the run's own (base) space
    assert db_dump(home) == before


# ---- read-only home and a full disk: a tmpfs where mounting is allowed --------------------------------
def test_read_only_home(trained_home, tmp_path):
    with tmpfs(tmp_path / "mnt", size_kb(trained_home) + 4096) as mnt:
        home = copy_home(trained_home, mnt / "home")
        before, files = db_dump(home), fingerprint(home)
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        with home_env(home):
            rejected(["like", a_word(home)], "cannot write to", "writable")
            rejected(["today", "--date", "2026-03-03"], "cannot write to", "WOTD_HOME")
            rejected(["train", *TINY], "cannot write to")
        # SQLite opens a WAL database read-write even to read it: check with the home writable again
        subprocess.run(["mount", "-o", "remount,rw", str(mnt)], check=True)
        assert db_dump(home) == before and fingerprint(home) == files


def test_full_disk(trained_home, tmp_path):
    with tmpfs(tmp_path / "mnt", size_kb(trained_home) + 1024) as mnt:
        home = copy_home(trained_home, mnt / "home")
        word = a_word(home)
        before, files = db_dump(home), fingerprint(home)
        fill_disk(mnt)
        with home_env(home):
            rejected(["like", word], "disk", "free some space")
            rejected(["today", "--date", "2026-03-04"], "disk", "free some space")
            rejected(["train", *TINY], "disk", "free some space")
        (mnt / "filler").unlink(missing_ok=True)
        assert db_dump(home) == before and fingerprint(home) == files
        with home_env(home):  # with space again, the same call works
            assert run_cli(["like", word])[0] == 0


def test_full_disk_as_a_file_size_limit(home):
    """The same failure where no tmpfs can be mounted: a real process may not grow any file past 1 kB."""
    before, files = db_dump(home), fingerprint(home)
    limit = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024)); from wotd_mlx.cli import main; "
        "sys.exit(main(sys.argv[1:]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", limit, "today", "--date", "2026-03-05"], capture_output=True, text=True
    )
    assert_one_clear_line(proc.returncode, proc.stderr, "today")
    assert "free some space" in proc.stderr
    assert db_dump(home) == before and fingerprint(home) == files
