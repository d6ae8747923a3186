"""SQLite persistence for every stage."""

from .db import LexEntry, Run, Store

__all__ = ["LexEntry", "Run", "Store"]
