"""The wrong answers of a review item: definitions of the word's near neighbours in meaning, never (as far
as a rule can tell) a synonym's.

The rule, in the order it is checked, for each neighbour of the answer in the run's index (cosine over the
"word: definition" embeddings, nearest first):
1. same stem: the neighbour's word shares the answer's stem (abate, abatement): a derived form, not a
   different meaning;
2. mentions: the neighbour's definition mentions the answer (or a word of its stem), or the answer's
   definition mentions the neighbour (abate "To lessen" vs lessen): defined by each other, synonyms;
3. same synset: the two words share a modern (Open English WordNet) gloss, i.e. a WordNet synset, when the
   modern glosses are installed;
4. near-duplicate: the two definitions share half or more of their content words (Jaccard of stems >= 0.5);
5. unusable: a definition shorter than MIN_CHARS or a pointer ("See X"), or one already among the options.
The first `n` neighbours that pass become the distractors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

STOP = frozenset((
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "or", "and", "as", "is",
    "be", "being", "been", "are", "was", "which", "that", "who", "whom", "this", "its", "it", "his", "her",
    "their", "one", "any", "some", "not", "no", "into", "out", "up", "so", "such", "than", "other", "very",
))  # fmt: skip
SUFFIXES = tuple(sorted((
    "ational", "ations", "ation", "ition", "ements", "ement", "ments", "ment", "nesses", "ness", "ings",
    "ing", "edly", "ed", "ies", "ied", "es", "s", "ly", "ity", "ities", "ous", "ive", "ful", "less", "able",
    "ible", "al", "ally", "er", "ers", "est", "ize", "ise", "ist", "ism", "ic", "ical", "y", "e",
), key=len, reverse=True))  # fmt: skip
MIN_CHARS = 8
# a cross-reference or a grammatical form, not a meaning: "See Hanse.", "imp. of Fly", "2d pers. sing. of"
POINTER = re.compile(
    r"^\s*(see\b|same as\b)|\b(p\. ?p\.|imp\.|pl\.|pers\. sing\.|pres\.)( & a\.)? (of|from)\b", re.IGNORECASE
)
TOKEN = re.compile(r"[a-z]+")


def stem(word: str) -> str:
    """A crude stem: the word less its longest common English suffix, keeping at least 3 letters."""
    w = word.lower()
    for suf in SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


def same_stem(a: str, b: str) -> bool:
    """Whether two words look like forms of one word: the same word, equal stems of at least 4 letters, or one
    starting with the other's stem of at least 4 letters (abatement / abat-e)."""
    if a.lower() == b.lower():
        return True
    sa, sb = stem(a), stem(b)
    if sa == sb and len(sa) >= 4:  # shorter stems collide too often (river, rival -> riv)
        return True
    return (len(sa) >= 4 and b.lower().startswith(sa)) or (len(sb) >= 4 and a.lower().startswith(sb))


def content_stems(text: str) -> set[str]:
    return {stem(t) for t in TOKEN.findall(text.lower()) if t not in STOP and len(t) > 2}


def mentions(definition: str, word: str) -> bool:
    """Whether a definition uses the word or a form of it."""
    return any(same_stem(t, word) for t in TOKEN.findall(definition.lower()) if len(t) > 2)


def mask(definition: str, word: str, blank: str = "~") -> str:
    """The definition with the word's forms blanked, so that no option gives the answer away."""
    return re.sub(
        r"[A-Za-z]+", lambda m: blank if len(m[0]) > 2 and same_stem(m[0], word) else m[0], definition
    )


@dataclass
class Rejected:
    word: str
    rule: str  # same stem | mentions | same synset | near-duplicate | unusable


def choose(
    word: str,
    definition: str,
    neighbours: Sequence[tuple[str, str]],
    n: int = 3,
    glosses: Callable[[str], Sequence[str]] | None = None,
) -> tuple[list[tuple[str, str]], list[Rejected]]:
    """The first `n` (word, definition) neighbours that pass the module's rule, and those rejected (why)."""
    chosen: list[tuple[str, str]] = []
    rejected: list[Rejected] = []
    own = content_stems(definition)
    own_glosses = set(glosses(word)) if glosses else set()
    seen = {definition.strip().lower()}
    for other, text in neighbours:
        if len(chosen) == n:
            break
        rule = None
        if other == word or same_stem(other, word):
            rule = "same stem"
        elif mentions(text, word) or mentions(definition, other):
            rule = "mentions"
        elif own_glosses and own_glosses & set(glosses(other)):
            rule = "same synset"
        elif own and len(own & (theirs := content_stems(text))) / max(1, len(own | theirs)) >= 0.5:
            rule = "near-duplicate"
        elif len(text.strip()) < MIN_CHARS or POINTER.search(text) or text.strip().lower() in seen:
            rule = "unusable"
        if rule:
            rejected.append(Rejected(other, rule))
            continue
        chosen.append((other, text))
        seen.add(text.strip().lower())
    return chosen, rejected
