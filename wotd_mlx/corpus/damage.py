"""Which dictionary texts are damaged: letters lost or a word cut, the faults of the PyPI GCIDE export.

A text (a definition or an etymology) is damaged when it holds
- a lost letter: "?" where the dictd formatter could not write a letter ("AS. h?sbonda", "Gr. ?, thorny");
- a cut word: a lone lowercase letter other than "a" and "o" where a word should be ("AS. h master of the
  house", the export's h[=u]sbonda; "feigned o" at the end of a cut text); "e. g." and "x + y" are not lone
  letters (a dot or a formula sign follows);
- GCIDE notation left undecoded: a bracketed character code ("[=o]", "['e]") or Latin-letter Greek with its
  accent marks ("filanqrwpi`a").
A text cut on purpose for display ends with "…" and is not damaged by that.
"""

from __future__ import annotations

import re

from wotd_mlx.corpus.gcide_text import LOST_LETTER

_LONE = re.compile(r"(?<![\w'’.\-/(])[b-np-z](?![\w'’.\-/+=×])(?!\s*[+=×−-])")
_CODE = re.compile(r"\[(?:[=`'\"~^.,*-][A-Za-z]|[A-Za-z][\^~,]|ae|oe|eth|thorn|yogh|imac|aum)\]")
_GREEK_CODE = re.compile(r"[a-z][`^][a-z]|\b[a-z]+`(?=[\s,;.:]|$)")


def damage(text: str) -> str:
    """The kind of damage in a text ("lost letter", "cut word", "code"), or "" if none is seen."""
    if LOST_LETTER.search(text):
        return "lost letter"
    if _CODE.search(text) or _GREEK_CODE.search(text):
        return "code"
    if _LONE.search(text):
        return "cut word"
    return ""
