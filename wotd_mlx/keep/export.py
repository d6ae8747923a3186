"""Take the words along: export the favourites, a named list or the history (words shown as word of the
day) to an Anki deck (.apkg, written with genanki) or to CSV; import a CSV list back.

Anki notes carry word, IPA, audio (where made: `wotd say`, or `audio=True` makes it now), definition, modern
gloss, etymology, example and part of speech; a note's GUID is the word's, so importing a newer deck updates
notes instead of duplicating them. Both files are written under a temporary name and renamed. An import
reads every row first: any bad row (reported by its line number) and nothing is written; else one
transaction adds all the words (and `wotd list undo` takes the import back).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Callable
from html import escape
from pathlib import Path

from ..errors import WotdError, shown
from ..store import Store
from . import lists
from . import store as ks
from .speech import cached, speak
from .store import check_list_name, check_profile

FIELDS = ("word", "pos", "ipa", "definition", "modern_gloss", "etymology", "example")
MAX_IMPORT_BYTES = 5_000_000
MAX_ERRORS_SHOWN = 10
MODEL_ID = 1_730_025_025  # fixed: Anki keeps one note type for every deck this exports
CARD_CSS = (
    ".card { font-family: sans-serif; font-size: 20px; text-align: center; } .small { font-size: 15px; }"
)


def _modern() -> Callable[[str], tuple[str, str]]:
    """word -> (IPA, first modern gloss), empty where the modern data (corpus/modern.py) is not installed."""
    try:
        from ..corpus.modern import load_glosses, load_ipa

        ipa, glosses = load_ipa(), load_glosses()
    except (ImportError, WotdError):
        return lambda word: ("", "")
    return lambda word: (ipa.get(word, ""), "; ".join(glosses.get(word, ())[:3]))


def source_words(
    store: Store,
    profile: str | None,
    list_name: str | None = None,
    favourites: bool = False,
    history: bool = False,
) -> tuple[str, str, list[str]]:
    """(profile, a name for the source, its words) for exactly one of a list, the favourites, the history."""
    profile = check_profile(ks.ready(store), profile)
    if sum([list_name is not None, favourites, history]) != 1:
        raise WotdError("export exactly one of --list NAME, --favourites or --history")
    if history:
        words, what = list(dict.fromkeys(h["word"] for h in store.history(profile))), "history"
    elif favourites:
        words, what = [r["word"] for r in lists.favourites(store, profile)["words"]], "favourites"
    else:
        words, what = (
            [r["word"] for r in lists.show(store, profile, list_name)["words"]],
            f"list {check_list_name(list_name)}",
        )
    if not words:
        raise WotdError(f"nothing to export: the {what} of profile {profile!r} is empty")
    return profile, what, words


def rows(store: Store, words: list[str]) -> list[dict]:
    """One export row per word that is in the lexicon (FIELDS)."""
    entries, modern = store.entries(words), _modern()
    out = []
    for w in words:
        if (e := entries.get(w)) is not None:
            ipa, gloss = modern(w)
            out.append(
                {
                    "word": w,
                    "pos": e.pos,
                    "ipa": ipa,
                    "definition": e.definition,
                    "modern_gloss": gloss,
                    "etymology": e.etymology,
                    "example": e.example,
                }
            )
    return out


def _check_out(out: Path, suffix: str) -> Path:
    out = Path(out)
    if out.suffix.lower() != suffix:
        raise WotdError(f"the output file must end in {suffix}, got {shown(str(out))}")
    if out.is_dir() or not out.parent.is_dir():
        raise WotdError(f"cannot write {shown(str(out))}: its folder does not exist or it is a folder")
    return out


def _atomic(out: Path, write: Callable[[Path], None]) -> None:
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def to_csv(store: Store, profile: str | None, out: Path, **source) -> dict:
    """Write the source's words as CSV (header FIELDS, UTF-8)."""
    out = _check_out(out, ".csv")
    profile, what, words = source_words(store, profile, **source)
    table = rows(store, words)

    def write(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, FIELDS)
            writer.writeheader()
            writer.writerows(table)

    _atomic(out, write)
    return {"profile": profile, "source": what, "format": "csv", "path": str(out), "words": len(table)}


def _html(text: str) -> str:
    """A note field: Anki fields are HTML, so <, > and & are escaped (quotes read fine as they are)."""
    return escape(text, quote=False)


def _model():
    import genanki

    fields = ["Word", "IPA", "Audio", "Definition", "ModernGloss", "Etymology", "Example", "PartOfSpeech"]
    front = '<div>{{Word}}</div>{{#IPA}}<div class="small">/{{IPA}}/</div>{{/IPA}}{{Audio}}'
    back = (
        '{{FrontSide}}<hr id="answer"><div>{{Definition}}</div>'
        '{{#ModernGloss}}<div class="small">today: {{ModernGloss}}</div>{{/ModernGloss}}'
        '{{#Example}}<div class="small"><i>{{Example}}</i></div>{{/Example}}'
        '{{#Etymology}}<div class="small">{{Etymology}}</div>{{/Etymology}}'
    )
    return genanki.Model(
        MODEL_ID,
        "wotd word",
        fields=[{"name": f} for f in fields],
        templates=[{"name": "Word -> meaning", "qfmt": front, "afmt": back}],
        css=CARD_CSS,
    )


def to_anki(store: Store, profile: str | None, out: Path, home: Path, audio: bool = False, **source) -> dict:
    """Write the source's words as an Anki deck (.apkg); audio files already made (or, with audio=True,
    made now where a speech engine exists) go in as media."""
    import genanki

    out = _check_out(out, ".apkg")
    profile, what, words = source_words(store, profile, **source)
    table = rows(store, words)
    deck_name = f"Word of the day: {what} ({profile})"
    deck_id = int.from_bytes(hashlib.sha256(deck_name.encode()).digest()[:4], "big") >> 1
    deck, model, media = genanki.Deck(deck_id, deck_name), _model(), []
    for r in table:
        path = cached(home, r["word"])
        if path is None and audio:
            path = Path(speak(home, r["word"])["path"])
        sound = f"[sound:{path.name}]" if path else ""
        if path:
            media.append(str(path))
        fields = (
            [_html(r[k]) for k in ("word", "ipa")]
            + [sound]
            + [_html(r[k]) for k in ("definition", "modern_gloss", "etymology", "example", "pos")]
        )
        deck.add_note(genanki.Note(model=model, fields=fields, guid=genanki.guid_for("wotd", r["word"])))
    _atomic(out, lambda tmp: genanki.Package(deck, media_files=media).write_to_file(str(tmp)))
    return {
        "profile": profile,
        "source": what,
        "format": "anki",
        "path": str(out),
        "words": len(table),
        "audio": len(media),
        "deck": deck_name,
    }


# ---- import ---------------------------------------------------------------------------------------------
def _read_csv(path: Path) -> list[tuple[int, dict]]:
    """(line number, row) for every data row; an error for an unreadable, non-UTF-8 or headless file."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise WotdError(f"{shown(str(path))} is over {MAX_IMPORT_BYTES // 1_000_000} MB; split it")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise WotdError(f"no such file: {shown(str(path))}") from None
    except IsADirectoryError:
        raise WotdError(f"{shown(str(path))} is a folder, not a CSV file") from None
    except UnicodeDecodeError as exc:
        raise WotdError(
            f"{shown(str(path))} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # strict: an unclosed quote is an error
    try:
        header = next(reader, None)
        if header is None or "word" not in [h.strip().lower() for h in header]:
            raise WotdError(
                f"{shown(str(path))} needs a header row with a 'word' column (like `wotd export csv` writes)"
            )
        col = [h.strip().lower() for h in header].index("word")
        out = []
        for row in reader:
            if not any(c.strip() for c in row):  # blank lines are not rows
                continue
            out.append(
                (
                    reader.line_num,
                    {"word": row[col] if col < len(row) else "", "cells": len(row), "expected": len(header)},
                )
            )
    except csv.Error as exc:
        raise WotdError(f"{shown(str(path))} line {reader.line_num}: malformed CSV ({exc})") from None
    return out


def import_csv(store: Store, profile: str | None, path: Path, list_name: str) -> dict:
    """Add a CSV's words to a named list (made if missing): all of them, or, if any row is bad, none."""
    ks.ready(store)
    profile, name = check_profile(store, profile), check_list_name(list_name)
    data = _read_csv(path)
    if not data:
        raise WotdError(f"{shown(str(path))} has a header but no words: nothing to import")
    words, bad = [], []
    for line, row in data:
        word = row["word"].strip().lower()
        if row["cells"] > row["expected"]:
            bad.append(f"line {line}: {row['cells']} cells, the header has {row['expected']}")
        elif not word:
            bad.append(f"line {line}: empty word")
        elif not store.entries([word]):
            bad.append(f"line {line}: unknown word {shown(word)}")
        else:
            words.append(word)
    if bad:
        more = f" (and {len(bad) - MAX_ERRORS_SHOWN} more)" if len(bad) > MAX_ERRORS_SHOWN else ""
        raise WotdError(
            f"nothing imported: {len(bad)} bad row{'s' if len(bad) > 1 else ''} in {Path(path).name}: "
            + "; ".join(bad[:MAX_ERRORS_SHOWN])
            + more
        )
    with store.transaction():
        lid, ops = ks.list_id(store, profile, name), []
        if lid is None:
            lid = ks.create_list(store, profile, name)
            ops.append({"op": "drop_list", "list_id": lid})
        new = ks.add_items(store, lid, words)
        ops.append({"op": "remove_items", "list_id": lid, "words": new})
        ks.journal(store, profile, "list", f"import {len(new)} words into {name}", ops)
        n = len(ks.items(store, lid))
    return {
        "profile": profile,
        "list": name,
        "rows": len(data),
        "added": len(new),
        "already": len(set(words)) - len(new),
        "words": n,
        "created": ops[0]["op"] == "drop_list",
    }
