"""One of the two writers of tests/test_two_writers.py, in a process of its own.

`python tests/writer_worker.py cli|app ROUNDS VALUE DATE_PREFIX WORD...`: says "ready", waits for a line on
stdin (so both writers start together), then each round rates a word and asks for the word of a new date.
`cli` goes through `wotd_mlx.cli.main` (what a person's terminal sees); `app` keeps one long-lived session
and connection, as the app does. Prints one JSON line: the exit codes (cli) or the errors (app)."""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout

from backends import TEST_BACKEND


def main() -> None:
    kind, rounds, value, prefix, *words = sys.argv[1:]
    rounds, value = int(rounds), int(value)
    dates = [f"{prefix}-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}" for i in range(rounds)]
    print("ready", flush=True)
    sys.stdin.readline()
    codes, errors = [], []
    if kind == "cli":
        from wotd_mlx.cli import main as wotd

        verb = "like" if value > 0 else "dislike"
        for i in range(rounds):
            for argv in ([verb, words[i % len(words)]], ["today", "--date", dates[i]]):
                err = io.StringIO()
                with redirect_stdout(io.StringIO()), redirect_stderr(err):
                    codes.append(wotd(argv))
                errors += [line for line in err.getvalue().splitlines() if line]
    else:
        import os
        from pathlib import Path

        from wotd_mlx.session import Wotd
        from wotd_mlx.store import Store

        with Store(Path(os.environ["WOTD_HOME"]) / "wotd.db") as store:
            w = Wotd.open(store, TEST_BACKEND)
            for i in range(rounds):
                try:
                    w.feedback(words[i % len(words)], value)
                    w.today(dates[i])
                except Exception as exc:  # reported, not raised: the test lists every failure
                    errors.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps({"codes": codes, "errors": errors}), flush=True)


if __name__ == "__main__":
    main()
