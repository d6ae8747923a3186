"""Debian's dict-gcide read block by block, and the compact data file the lexicon ships
(`data/webster.jsonl.xz`): one JSON line per headword the lexicon can use.

A line is `[headword, [block, ...]]`, blocks in Webster's order, a block `[pos, etymology, [sense, ...]]`,
a sense `[number, text, fields, usage, quotes, source]` (its "as, ..." examples are read from the text)
with quotes `[[text, author], ...]` (see
`webster.WebsterSense`). Only single lowercase alphabetic headwords are kept (diacritics folded: zoölogy is
zoology), since the lexicon uses no other; the build script keeps those wordfreq knows and the words their
senses point to ("Same as X"). xz rather than gzip: 4.5 MB against 6.3.
"""

from __future__ import annotations

import gzip
import json
import lzma
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from wotd_mlx.corpus.webster import (
    Quote,
    WebsterBlock,
    WebsterSense,
    headword_key,
    inline_examples,
    parse_entry,
)
from wotd_mlx.errors import WotdError

DATA_FILE = Path(__file__).parent / "data" / "webster.jsonl.xz"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_KEY_OK = re.compile(r"[a-z]+")


def b64_number(text: str) -> int:
    """A dictd index number ("JrWF") as an int: big-endian base 64 over dictd's alphabet."""
    n = 0
    for ch in text:
        pos = _B64.find(ch)
        if pos < 0:
            raise WotdError(f"bad dictd index number {text!r}: only the characters {_B64} are allowed")
        n = n * 64 + pos
    return n


def iter_dictd(folder: Path) -> Iterator[WebsterBlock]:
    """Every entry of `gcide.index` + `gcide.dict.dz` in `folder`, in file order, each once."""
    index, dz = folder / "gcide.index", folder / "gcide.dict.dz"
    if not index.is_file() or not dz.is_file():
        raise WotdError(
            f"{folder} has no gcide.index and gcide.dict.dz: pass the dict-gcide package's usr/share/dictd"
        )
    spans = set()
    for line in index.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and not parts[0].startswith("00-database"):
            spans.add((b64_number(parts[1]), b64_number(parts[2])))
    with gzip.open(dz, "rb") as f:  # dictzip is gzip with an index of its chunks: plain gzip reads it whole
        text = f.read()
    for offset, length in sorted(spans):
        yield parse_entry(text[offset : offset + length].decode("utf-8", errors="replace"))


def _sense_row(s: WebsterSense) -> list:
    return [s.number, s.text, s.fields, s.usage, [[q.text, q.author] for q in s.quotes], s.source]


def _sense(row: list) -> WebsterSense:
    number, text, fields, usage, quotes, source = row
    quoted = [Quote(*q) for q in quotes]
    return WebsterSense(number, text, fields, usage, inline_examples(text), quoted, source)


def lexicon_rows(blocks: Iterable[WebsterBlock], keep: Callable[[str], bool] | None = None) -> list[list]:
    """[headword, blocks] rows for single lowercase alphabetic headwords (and `keep(word)`), by headword."""
    by_word: dict[str, list] = {}
    for block in blocks:
        if not block.senses:
            continue
        row = [block.pos, block.etymology, [_sense_row(s) for s in block.senses]]
        for key in dict.fromkeys(headword_key(h) for h in block.headwords):
            if _KEY_OK.fullmatch(key) and (keep is None or keep(key)):
                by_word.setdefault(key, []).append(row)
    return [[w, by_word[w]] for w in sorted(by_word)]


def write_data(rows: list[list], path: Path) -> None:
    """Write rows as xz-compressed JSON lines, byte for byte the same for the same rows (xz stores no time);
    the file appears whole or not at all."""
    text = "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(lzma.compress(text.encode("utf-8"), preset=9))
    tmp.replace(path)


def read_data(path: Path = DATA_FILE) -> Iterator[tuple[str, list[WebsterBlock]]]:
    """(headword, its blocks) from the data file, in headword order."""
    try:
        with lzma.open(path, "rt", encoding="utf-8") as f:
            lines = f.read().splitlines()  # read whole first: a damaged file fails before anything is yielded
        for line in lines:
            word, blocks = json.loads(line)
            yield (
                word,
                [WebsterBlock([word], pos, ety, [_sense(row) for row in ss]) for pos, ety, ss in blocks],
            )
    except (OSError, EOFError, ValueError, lzma.LZMAError, TypeError) as exc:
        raise WotdError(
            f"Webster data {path} is missing or damaged ({exc}); rebuild it with "
            "`python scripts/build_webster.py` (see wotd_mlx/corpus/data/README)"
        ) from exc
