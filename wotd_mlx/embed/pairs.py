"""Training pairs for fine-tuning the embedder, built offline from GCIDE and the lexicon, and unable to leak
the evaluation: words of the held-out "test" and "dev" splits (search/evalsets.py) never appear, neither as
query nor as document, and the hand-written descriptions are never read.

Each pair is (anchor, positive[, negative]): the anchor is a meaning written without the word (another sense
of it, the first clause of its definition as a short paraphrase, or a quotation with the word blanked out);
the positive is the text the index embeds for the word ("word: definition"); the negative, when mined, is the
index text of a near neighbour in the current index (rank 3..30, not 1-2: the very nearest are often
synonyms, which would be false negatives).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..corpus.gcide import GcideEntry
from ..corpus.senses import clean_text
from ..search.evalsets import mentions, sense_texts, split_of
from ..store import LexEntry
from .text import word_text

MAX_SENSES = 2  # other senses per word: more would let polysemous words dominate the pairs
NEG_RANKS = (3, 30)


@dataclass(frozen=True)
class Pair:
    anchor: str
    positive: str
    kind: str  # "sense", "clause" or "example"
    word: str


def _clause(definition: str, word: str) -> str | None:
    """The first clause of a definition (up to ';'), as a short paraphrase like a person would type."""
    first = definition.split(";")[0].strip().rstrip(".")
    if len(first) < 12 or len(first) == len(definition.rstrip(".")) or mentions(first, word):
        return None
    return first


def _example(examples: Sequence[str], word: str) -> str | None:
    """A quotation with the word (and its inflections) blanked out, when it is short and prose."""
    for x in examples:
        x = clean_text(x)
        if "\n" in x or not 20 <= len(x) <= 160:
            continue
        blanked = re.sub(rf"\b{re.escape(word[: max(4, len(word) - 2)])}\w*", "___", x, flags=re.IGNORECASE)
        if "___" in blanked and not mentions(blanked, word):
            return blanked
    return None


def build_pairs(
    lexicon: Sequence[LexEntry], gcide: dict[str, GcideEntry], text_format: str = "word_definition"
) -> list[Pair]:
    """All training pairs of the lexicon's "train"-split words, in lexicon order."""
    pairs = []
    for e in lexicon:
        if split_of(e.word) != "train" or e.word not in gcide:
            continue
        doc = word_text(e.word, e.definition, text_format)
        for s in [s for s in sense_texts(gcide[e.word], e.word) if s != e.definition][:MAX_SENSES]:
            pairs.append(Pair(s, doc, "sense", e.word))
        clause = _clause(e.definition, e.word)
        if clause:
            pairs.append(Pair(clause, doc, "clause", e.word))
        examples = [x for s in gcide[e.word].senses for xs in s.examples for x in xs]
        example = _example(examples, e.word)
        if example:
            pairs.append(Pair(example, doc, "example", e.word))
    return pairs


def sample_pairs(pairs: Sequence[Pair], n: int, seed: int) -> list[Pair]:
    """n pairs drawn without replacement, at most one pair per word per pass so batches spread widely."""
    rng = random.Random(seed)
    by_word: dict[str, list[Pair]] = {}
    for p in pairs:
        by_word.setdefault(p.word, []).append(p)
    for ps in by_word.values():
        rng.shuffle(ps)
    words = list(by_word)
    out: list[Pair] = []
    depth = 0
    while len(out) < n and any(len(ps) > depth for ps in by_word.values()):
        rng.shuffle(words)
        out += [by_word[w][depth] for w in words if len(by_word[w]) > depth][: n - len(out)]
        depth += 1
    return out


def mine_negatives(
    pairs: Sequence[Pair], words: Sequence[str], texts: Sequence[str], vectors: np.ndarray, seed: int
) -> list[str]:
    """For each pair a negative document: the index text of a near neighbour (by the current index's
    vectors) of the pair's word, at a random rank in NEG_RANKS, never a held-out word."""
    rng = np.random.default_rng(seed)
    pos = {w: i for i, w in enumerate(words)}
    allowed = np.array([split_of(w) == "train" for w in words])
    rows = sorted({pos[p.word] for p in pairs})
    neighbour: dict[int, np.ndarray] = {}
    for start in range(0, len(rows), 1024):  # bounded memory: 1024 x n scores at a time
        block = rows[start : start + 1024]
        scores = vectors[block] @ vectors.T
        scores[:, ~allowed] = -np.inf
        top = np.argpartition(-scores, NEG_RANKS[1], axis=1)[:, : NEG_RANKS[1]]
        for r, cand, s in zip(block, top, scores, strict=True):
            neighbour[r] = cand[np.argsort(-s[cand])]
    out = []
    for p in pairs:
        cand = [c for c in neighbour[pos[p.word]] if c != pos[p.word]]
        out.append(texts[cand[int(rng.integers(NEG_RANKS[0] - 1, len(cand)))]])
    return out
