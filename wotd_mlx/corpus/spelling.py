"""Modern spellings of words that GCIDE (Webster 1913) files under an older spelling.

A common word (wordfreq's top list) that is not a GCIDE headword is tried against a few spelling rules, in
this order; the first variant that is a GCIDE headword *and* rarer than the modern spelling today is its
1913 entry:

    rule                          example
    ----------------------------  ------------------------------------
    -ize -> -ise, -yze -> -yse    analyze -> analyse
    -or -> -our, -er -> -re       color -> colour, center -> centre
    -og -> -ogue, -ense -> -ence  catalog -> catalogue, defense -> defence
    e -> ae / oe (7+ letters)     encyclopedia -> encyclopaedia
    l -> ll (7+ letters)          tranquility -> tranquillity
    t -> th (7+ letters)          hypotenuse -> hypothenuse
    a hyphen inside the word      infrared -> infra-red

Words of fewer than 5 letters are not tried (mostly names and abbreviations in wordfreq's list).

The rarity check keeps a rule from mapping one modern word onto another ("tree" never becomes "three"), and
a word that is a headword plus an ending is that headword's form, not a spelling (farting is not farthing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

_SUFFIX_SWAPS = (
    ("ize", "ise"),
    ("yze", "yse"),
    ("or", "our"),
    ("er", "re"),
    ("og", "ogue"),
    ("ense", "ence"),
)


def variants(word: str) -> Iterator[str]:
    """Older spellings to try for a modern word, in rule order (may repeat; callers check membership).
    One-letter insertions need 7+ letters: in shorter words they mostly turn names into other words."""
    for new, old in _SUFFIX_SWAPS:
        if word.endswith(new) and len(word) > len(new) + 2:
            yield word[: -len(new)] + old
        for tail in ("s", "d", "ed", "ing", "ation", "ations"):
            if word.endswith(new + tail):
                yield word[: -len(new + tail)] + old + tail
    if len(word) >= 7:
        for i, ch in enumerate(word):
            if ch == "e" and i > 0:
                yield word[:i] + "ae" + word[i + 1 :]
                yield word[:i] + "oe" + word[i + 1 :]
        for i in range(2, len(word) - 2):
            if word[i] == "l" and word[i - 1] in "aeiou" and word[i + 1] in "ei":
                yield word[: i + 1] + "l" + word[i + 1 :]
        for i in range(1, len(word) - 1):
            if word[i] == "t" and word[i + 1] in "aeiouy":
                yield word[: i + 1] + "h" + word[i + 1 :]
    for i in range(2, len(word) - 2):
        yield word[:i] + "-" + word[i:]


def modern_aliases(
    common: Iterable[str], headwords: set[str], zipf: Callable[[str], float]
) -> dict[str, str]:
    """Modern spelling -> its 1913 headword, for the `common` words GCIDE lacks (rules in the module doc).
    A word that is a headword plus an ending (purer, tooting) is a form of that headword, not a spelling."""
    out = {}
    for word in common:
        if word in headwords or len(word) < 5 or _inflected(word, headwords):
            continue
        for old in variants(word):
            if old in headwords and zipf(old) < zipf(word):
                out[word] = old
                break
    return out


def _inflected(word: str, headwords: set[str]) -> bool:
    for end in ("s", "es", "ed", "d", "er", "ers", "ing", "able", "ly", "ness"):
        stem = word[: -len(end)]
        if word.endswith(end) and (stem in headwords or stem + "e" in headwords or stem[:-1] in headwords):
            return True
    return False
