"""GCIDE's ASCII character notation turned into UTF-8, and its Latin-letter Greek into Greek letters.

The dictd text of GCIDE writes accented and special letters as bracketed codes: `[=o]` ō, `[a^]` ă,
`['e]` é, `["o]` ö, `[,c]` ç, `[eth]` ð, `[thorn]` þ, `[yogh]` ȝ, `[ae]` æ, `[oe]` œ ... Letters the dictd
formatter could not write at all are a bare "?" ("AS. h?sbonda"): those are lost in this source.

Greek, worked out from the etymologies (filanqrwpi`a is φιλανθρωπία, 'h`lektron ἤλεκτρον, zw^,on ζῷον):
one Latin letter per Greek letter (q θ, h η, w ω, y and u υ, f φ, x ξ, c and k κ) except ch χ and ps ψ; a
breathing mark goes before its vowel (' smooth, " rough), an accent after it (` acute, ^ or ~ circumflex),
and "," after a vowel is an iota subscript. A word is read as Greek when it carries one of these accents
(` ^ ~ outside a bracket code) or opens with a breathing mark right after "Gr.".
"""

from __future__ import annotations

import re
import unicodedata

# Bracket codes that are not "letter + mark" (those are built from _MARKS below).
_NAMED = {
    "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "eth": "ð", "ETH": "Ð", "thorn": "þ", "THORN": "Þ",
    "yogh": "ȝ", "imac": "ī", "aum": "ä", "asl": "a", "add": "a\u0324", "udd": "u\u0324", "ng": "n\u0332",
    "th": "th", "dsdot": "ḍ", "root": "√", "deg": "°", "sect": "§", "beta": "β", "=ae": "ǣ", "=AE": "Ǣ",
    "=oo": "o\u035eo", "oo^": "o\u035co", "frac12": "½", "frac14": "¼", "frac34": "¾", "frac13": "⅓",
    "frac23": "⅔", "pound": "£", "cent": "¢", "para": "¶", "middot": "·", "times": "×", "divide": "÷",
    "hand": "☞", "flat": "♭", "sharp": "♯", "natural": "♮", "prime": "′", "dprime": "″", "minus": "−",
    "uum": "ü", "oum": "ö", "eum": "ë", "ium": "ï", "ocir": "ô", "acir": "â", "ecir": "ê", "ucir": "û",
}  # fmt: skip
# mark written before the letter ("['e]") or after it ("[a^]"), as a combining character
_MARKS_BEFORE = {"'": "\u0301", "`": "\u0300", '"': "\u0308", "~": "\u0303", "=": "\u0304", "-": "\u0304",
                 ",": "\u0327", "^": "\u0302", "*": "\u030a", ".": "\u0307"}  # fmt: skip
_MARKS_AFTER = {"^": "\u0306", "~": "\u0303", ",": "\u0327"}
_DOT_BELOW = set("rtnsdhmlkzRTNSDHMLKZ")  # Sanskrit and Arabic consonants take the dot below: [.r] ṛ
_CODE = re.compile(r"\[([^\[\]\s]{1,7})\]")
# Homograph numbers written after a cross-reference ("activation[1]"): dropped.
_HOMOGRAPH = re.compile(r"(?<=[A-Za-z}])\[\d\]")


def _code(m: re.Match) -> str:
    code = m.group(1)
    if code in _NAMED:
        return _NAMED[code]
    if len(code) == 2 and code[0] in _MARKS_BEFORE and code[1].isalpha():
        mark = _MARKS_BEFORE[code[0]]
        if code[0] == "." and code[1] in _DOT_BELOW:
            mark = "\u0323"
        return unicodedata.normalize("NFC", code[1] + mark)
    if len(code) == 2 and code[1] in _MARKS_AFTER and code[0].isalpha():
        return unicodedata.normalize("NFC", code[0] + _MARKS_AFTER[code[1]])
    return m.group(0)  # not a character code ("[Obs.]", "[1913 Webster]"): left as it is


def decode_codes(text: str) -> str:
    """`text` with GCIDE's bracketed character codes turned into UTF-8 letters (ō, é, ð, æ ...)."""
    return _CODE.sub(_code, _HOMOGRAPH.sub("", text))


_GREEK = {
    "a": "α", "b": "β", "g": "γ", "d": "δ", "e": "ε", "z": "ζ", "h": "η", "q": "θ", "i": "ι", "k": "κ",
    "c": "κ", "l": "λ", "m": "μ", "n": "ν", "x": "ξ", "o": "ο", "p": "π", "r": "ρ", "s": "σ", "t": "τ",
    "y": "υ", "u": "υ", "f": "φ", "w": "ω", "v": "β", "j": "ι",
}  # fmt: skip
_GREEK_PAIRS = {"ch": "χ", "ps": "ψ"}
_BREATHING = {"'": "\u0313", '"': "\u0314"}
_ACCENT = {"`": "\u0301", "^": "\u0342", "~": "\u0342"}
_GREEK_TOKEN = re.compile(r"(?<![\w\[\]'\"`^~])(['\"]?[a-z](?:[a-z'\"`^~,]*[a-z`^~])?)(?![\w\[\]])")
_AFTER_GR = re.compile(r"\bGr\.\s+$")


def greek(word: str) -> str:
    """One word of GCIDE's Latin-letter Greek in Greek letters: "filanqrwpi`a" -> "φιλανθρωπία"."""
    out: list[str] = []
    pending = ""  # a breathing mark waiting for its vowel
    i = 0
    while i < len(word):
        ch = word[i]
        pair = word[i : i + 2]
        if ch in _BREATHING:
            pending = _BREATHING[ch]
            i += 1
            continue
        if ch in _ACCENT and out:
            out[-1] += _ACCENT[ch]
        elif ch == "," and out and i + 1 < len(word):
            out[-1] += "\u0345"  # iota subscript
        elif pair in _GREEK_PAIRS:
            out.append(_GREEK_PAIRS[pair] + pending)
            pending = ""
            i += 2
            continue
        elif ch in _GREEK:
            out.append(_GREEK[ch] + pending)
            pending = ""
        else:
            out.append(ch)
        i += 1
    if out and out[-1].startswith("σ"):
        out[-1] = "ς" + out[-1][1:]  # final sigma
    return unicodedata.normalize("NFC", "".join(out))


def _is_greek(token: str, before: str) -> bool:
    body = token.lstrip("'\"")
    if any(c in body for c in "`^~"):
        return True
    return token[0] in "'\"" and bool(_AFTER_GR.search(before))


def restore_greek(text: str) -> str:
    """`text` with every word written in GCIDE's Greek transliteration turned into Greek letters."""

    def sub(m: re.Match) -> str:
        token = m.group(1)
        if not _is_greek(token, text[max(0, m.start() - 6) : m.start()]):
            return token
        trail = ""
        while token.endswith(","):
            token, trail = token[:-1], "," + trail
        return greek(token) + trail

    return _GREEK_TOKEN.sub(sub, text)


def to_unicode(text: str) -> str:
    """GCIDE dictd text with its character codes and its Greek in UTF-8 (codes first: "['e]" is not Greek)."""
    return restore_greek(decode_codes(text))


# Letters lost by the dictd formatter: a "?" before a letter ("h?sbonda"), a "?" standing for a whole word
# ("Gr. ?, thorny") or one before a comma or semicolon ("AS. b?;"); a question mark is none of these.
LOST_LETTER = re.compile(r"\?(?=[A-Za-z\u00c0-\u024f])|(?:^|(?<=[\s(]))\?|(?<=[a-z])\?(?=[,;])")
