"""argparse value types shared by the `wotd` subcommands (a bad value exits 2 with the message)."""

from __future__ import annotations

import argparse
from typing import NoReturn


def _at_least(text: str, low: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    if value < low:
        raise argparse.ArgumentTypeError(f"expected {what}, got {value}")
    return value


def positive_int(text: str) -> int:
    """An integer >= 1."""
    return _at_least(text, 1, "a positive integer")


def count(text: str) -> int:
    """An integer >= 0."""
    return _at_least(text, 0, "a whole number (0 or more)")


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one stderr line (what was wrong, where to look), exit 2:
    the same shape as every other `wotd` error, instead of argparse's usage block plus the error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())} (see `{self.prog} --help`)\n")
