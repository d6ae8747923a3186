"""One of the two writers of tests/keep/test_keep_two_writers.py, in a process of its own.

`python tests/keep/fav_worker.py cli|app ROUNDS WORD...`: says "ready", waits for a line on stdin (so both
start together), then each round adds a word to the favourites and takes it out again, and at the end adds
every word. `cli` goes through `wotd_mlx.cli.main` (a person's terminal); `app` keeps one Store open, as the
app does. Prints one JSON line: the exit codes (cli) or the errors (app)."""

from __future__ import annotations

import io
import json
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path


def main() -> None:
    kind, rounds, *words = sys.argv[1:]
    steps = [(a, words[i % len(words)]) for i in range(int(rounds)) for a in ("add", "remove")]
    steps += [("add", w) for w in words]
    print("ready", flush=True)
    sys.stdin.readline()
    codes, errors = [], []
    if kind == "cli":
        from wotd_mlx.cli import main as wotd

        for action, word in steps:
            err = io.StringIO()
            with redirect_stdout(io.StringIO()), redirect_stderr(err):
                codes.append(wotd(["fav", action, word]))
            errors += [line for line in err.getvalue().splitlines() if line]
    else:
        from wotd_mlx.keep import lists
        from wotd_mlx.store import Store

        with Store(Path(os.environ["WOTD_HOME"]) / "wotd.db") as store:
            for action, word in steps:
                try:
                    (lists.add_favourite if action == "add" else lists.remove_favourite)(store, None, word)
                except Exception as exc:  # reported, not raised: the test lists every failure
                    errors.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps({"codes": codes, "errors": errors}), flush=True)


if __name__ == "__main__":
    main()
