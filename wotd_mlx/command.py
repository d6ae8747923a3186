"""One `wotd` command: what runs it and how its result reads as text. Each command module lists its own in
`COMMANDS` (and its benchmarks, `wotd bench NAME`, in `BENCHES`); wotd_mlx/cli.py joins the tables."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .store import Store


@dataclass(frozen=True)
class Command:
    """`run(args, store, home)` returns a JSON-able result or raises WotdError; `render(result)` is the
    result as text (without --json)."""

    run: Callable[[argparse.Namespace, Store, Path], Any]
    render: Callable[[Any], str]
