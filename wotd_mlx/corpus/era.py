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

GCIDE writes "OE." for Middle English forms, so an OE. that is followed by a source language
(e.g. "OE. beaute, OF. biaute") defers to that language. Text after "akin to" lists cognates,
not sources, and is ignored. Without a usable etymology the word takes the era of the word its
etymology or definition points to ("See X", "X + Y", "imp. of X") or of its root (word minus
-ness/-ly/-ing/-ed/...); bare native suffixes (-ness, -ful, -less, -ship, -hood) give Old English.
Words with no era at all are dropped from the lexicon.
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
    for i, lang in enumerate(langs):
        if lang in ("OE.", "E.", "ME.") and i + 1 < len(langs):
            continue  # a Middle English form: the language after it is the real source
        return _LANG_ERA[lang]
    if _EPONYM_RE.search(etymology):
        return 7
    return None


def modern_suffix(word: str) -> bool:
    """True for scientific-looking coinages (-ology, -itis, -ectomy ...), which are era 7 by rule."""
    return len(word) >= 7 and word.endswith(_MODERN_SUFFIXES)


def native_suffix(word: str) -> bool:
    """True for words built with an Old English suffix (-ness, -ful, -less ...)."""
    return len(word) >= 6 and word.endswith(_NATIVE_SUFFIXES)
