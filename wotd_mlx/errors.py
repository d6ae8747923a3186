"""The one exception type that means "the user asked for something we cannot do", and the one-line
messages for a $WOTD_HOME that is damaged, read-only, full or busy."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path


class WotdError(Exception):
    """Bad input or missing state: the message says what was wrong and what is allowed (CLI exit code 2)."""


def one_line(text: object, limit: int = 400) -> str:
    """The text on one line (library messages, e.g. faiss's, can span several), cut to `limit` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def shown(text: object, limit: int = 60) -> str:
    """The user's input quoted for an error message, cut short if huge (a message stays one readable line)."""
    text = str(text)
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text)} characters)"


_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)
_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


def storage_problem(exc: BaseException, home: Path) -> str | None:
    """What to do about a storage failure under `home` (one line), or None when `exc` is not one.

    SQLite reports these as sqlite3 errors with a fixed text; file writes (run artifacts) as OSError."""
    db = Path(home) / "wotd.db"
    text = one_line(exc, 200)
    low = text.lower()
    read_only = f"cannot write to {home} ({text}); make it writable, or set WOTD_HOME to a writable directory"
    full = (
        f"could not write to {home} ({text}): the disk is probably full; free some space and run the command "
        "again (what was stored before is unchanged)"
    )
    if isinstance(exc, sqlite3.OperationalError):
        if "locked" in low or "busy" in low:
            return f"the database {db} stayed busy (another wotd process holds it: {text}); try again"
        if any(w in low for w in ("readonly", "read-only", "unable to open", "permission")):
            return read_only
        return full if "full" in low or "disk i/o" in low else None
    if isinstance(exc, sqlite3.DatabaseError):  # not a database, malformed, ...: the file itself is damaged
        return (
            f"the database {db} is damaged ({text}); move it aside (`mv {db} {db}.damaged`) and run "
            "`wotd train` to build a new one (run directories are kept)"
        )
    if isinstance(exc, OSError) and exc.errno in _FULL:
        return full
    if isinstance(exc, OSError) and exc.errno in _READ_ONLY:
        return read_only
    return None


def valid_text(text: str, what: str) -> str:
    """`text` if it is encodable Unicode; else a WotdError. Lone surrogates are what Python makes of argv
    bytes that are not UTF-8 (and what a JSON client can send); tokenizers and SQLite reject them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise WotdError(f"{what} is not valid UTF-8; use a UTF-8 terminal or remove the odd bytes") from None
    return text
