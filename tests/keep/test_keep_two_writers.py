"""Two processes change the favourites at once, the CLI's way (a process per `wotd fav` call) and the app's
(one long-lived Store): 200 rounds of add + remove each, then each adds its words. No change is lost or
doubled, no "database is locked" reaches the person, and the undo journal has one entry per change.
Bounded by rounds, not by time."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from wotd_mlx.keep import lists

ROUNDS = 200
WORKER = Path(__file__).with_name("fav_worker.py")


def test_cli_and_app_change_favourites_at_once(home, store, words):
    lists.favourites(store, None)  # the keep tables exist before either writer starts
    cli_words, app_words = words[:10], words[10:20]
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), kind, str(ROUNDS), *ws],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for kind, ws in (("cli", cli_words), ("app", app_words))
    ]
    for p in procs:  # both loaded and waiting: start them together
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=900)  # a limit for a hung process only; the work is counted rounds
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    cli, app = results
    assert cli["codes"] == [0] * (2 * ROUNDS + 10) and cli["errors"] == [], cli["errors"][:3]
    assert app["errors"] == [], app["errors"][:3]
    assert sorted(r["word"] for r in lists.favourites(store, None)["words"]) == sorted(cli_words + app_words)
    conn = sqlite3.connect(home / "wotd.db")
    try:
        undo = [r[0] for r in conn.execute("SELECT what FROM keep_undo WHERE scope = 'fav' ORDER BY id")]
    finally:
        conn.close()
    assert len(undo) == 2 * (2 * ROUNDS + 10)
    # each process's changes in its own order, interleaved however the two took turns
    mine = [u for u in undo if any(u.endswith(f" {w} to favourites") or f" {w} from" in u for w in cli_words)]
    cli_steps = [(a, cli_words[i % 10]) for i in range(ROUNDS) for a in ("add", "remove")]
    cli_steps += [("add", w) for w in cli_words]
    assert mine == [f"{a} {w} {'to' if a == 'add' else 'from'} favourites" for a, w in cli_steps]
