"""Two processes writing at once: the CLI (a process calling `wotd like` / `wotd today`) and the app's way
(one long-lived session and connection) rate words and record words of the day, 200 rounds each, started
together. No write is lost and no "database is locked" reaches the person. Bounded by rounds, not by time."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from cli_harness import copy_home, home_env

ROUNDS = 200
WORKER = Path(__file__).with_name("writer_worker.py")


def test_cli_and_app_write_feedback_and_history_at_once(trained_home, tmp_path):
    home = copy_home(trained_home, tmp_path / "home")
    (run,) = [p for p in (home / "runs").iterdir() if p.is_dir() and not p.name.endswith(".partial")]
    words = json.loads((run / "words.json").read_text())[:20]
    cli_words, app_words = words[:10], words[10:]
    with home_env(home):
        procs = [
            subprocess.Popen(
                [sys.executable, str(WORKER), kind, str(ROUNDS), value, prefix, *ws],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for kind, value, prefix, ws in (("cli", "1", "2031", cli_words), ("app", "-1", "2032", app_words))
        ]
    for p in procs:  # both loaded and waiting: start them together
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=1800)  # a limit for a hung process only; the work is counted rounds
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    cli, app = results
    assert cli["codes"] == [0] * (2 * ROUNDS) and cli["errors"] == [], cli["errors"][:3]
    assert app["errors"] == [], app["errors"][:3]

    conn = sqlite3.connect(home / "wotd.db")
    try:
        feedback = conn.execute("SELECT word, value FROM feedback ORDER BY id").fetchall()
        history = dict(conn.execute("SELECT date, word FROM history").fetchall())
        (pref_time,) = conn.execute("SELECT updated FROM preference WHERE profile = 'default'").fetchone()
        (last_rating,) = conn.execute("SELECT max(created) FROM feedback").fetchone()
    finally:
        conn.close()
    # Every rating is there, each process's in its own order, and the preference was written with the last one
    # (each rating and its preference are one transaction, so the preference saw every rating before it).
    assert len(feedback) == 2 * ROUNDS
    assert [w for w, v in feedback if v > 0] == [cli_words[i % 10] for i in range(ROUNDS)]
    assert [w for w, v in feedback if v < 0] == [app_words[i % 10] for i in range(ROUNDS)]
    assert pref_time >= last_rating
    # Every date asked for has its word recorded.
    for prefix in ("2031", "2032"):
        assert {d for d in history if d.startswith(prefix)} == {f"{prefix}-{d}" for d in _dates(ROUNDS)}


def _dates(rounds: int) -> list[str]:
    """The month-day part of the dates the worker asks for (as tests/writer_worker.py makes them)."""
    return [f"{1 + i // 28 % 12:02d}-{1 + i % 28:02d}" for i in range(rounds)]
