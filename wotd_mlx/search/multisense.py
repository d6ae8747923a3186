"""Search over every sense of a word, not only the one the lexicon shows.

A person describes the meaning they have in mind, which is often not Webster's first sense ("polite: Smooth;
polished." comes before "courteous"). Each word keeps its "word: definition" vector (the index the encoder and
decode use) and gains one vector per other sense ("word: sense", at most MAX_SENSES); a word's search score
is the best of them, other senses less PENALTY so the shown sense wins near-ties. Both constants were chosen
on held-out dev senses only (BENCHMARKS.md, "Search by meaning"). Where the modern glosses are installed
(Open English WordNet), up to MAX_MODERN of them join a word's senses: Webster often defines a word through
another ("entomologist: One versed in entomology") where WordNet says what it is ("a zoologist who studies
insects").
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..corpus.gcide import GcideEntry
from ..corpus.senses import cleaned_definitions, pointer_target
from ..errors import WotdError

MAX_SENSES = 6
PENALTY = 0.02
MIN_CHARS = 12  # shorter senses are mostly one-word synonyms, which match too much
MAX_MODERN = 3  # OEWN glosses a word adds to its senses, in OEWN's order (its commonest sense first)


def other_senses(
    entry: GcideEntry, shown: str, limit: int = MAX_SENSES, exclude: Collection[str] = ()
) -> list[str]:
    """Up to `limit` cleaned senses of an entry besides the shown one: real definitions (no "See X"
    pointers), at least MIN_CHARS long, none in `exclude` (an evaluation's queries), in the entry's order."""
    out: list[str] = []
    for clean in cleaned_definitions(entry):
        if (
            len(clean) >= MIN_CHARS
            and clean != shown
            and clean not in out
            and clean not in exclude
            and pointer_target(clean) is None
        ):
            out.append(clean)
            if len(out) == limit:
                return out
    return out


def sense_rows(
    words: Sequence[str],
    shown: Sequence[str],
    gcide: dict[str, GcideEntry],
    limit: int = MAX_SENSES,
    exclude: Collection[str] = (),
    modern: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[int], list[str]]:
    """(owner position, sense) for every other sense of every word: its GCIDE senses, then up to MAX_MODERN
    of its `modern` glosses (lemma -> glosses) that are long enough and not already among them."""
    owner, texts = [], []
    for i, (word, definition) in enumerate(zip(words, shown, strict=True)):
        entry = gcide.get(word)
        own = other_senses(entry, definition, limit, exclude) if entry is not None else []
        for gloss in (modern or {}).get(word, ())[:MAX_MODERN]:
            if len(gloss) >= MIN_CHARS and gloss != definition and gloss not in own and gloss not in exclude:
                own.append(gloss)
        owner.extend([i] * len(own))
        texts.extend(own)
    return owner, texts


@dataclass
class SenseVectors:
    """The other senses' unit vectors, grouped by the word (position in the word list) they belong to."""

    owner: np.ndarray  # (m,) int64, ascending
    vectors: np.ndarray  # (m, d) float32 unit rows
    texts: list[str]

    def __post_init__(self) -> None:
        if len(self.owner) != len(self.vectors) or len(self.owner) != len(self.texts):
            raise ValueError("owner, vectors and texts must have one row per sense")
        order = np.argsort(self.owner, kind="stable")
        self.owner = np.asarray(self.owner, dtype=np.int64)[order]
        self.vectors = np.ascontiguousarray(self.vectors[order], dtype=np.float32)
        self.texts = [self.texts[i] for i in order]
        self.words, self._starts = np.unique(self.owner, return_index=True)

    def best_scores(self, queries: np.ndarray, n_words: int) -> np.ndarray:
        """(queries, n_words): each word's best other-sense cosine, -inf for a word with no other sense."""
        out = np.full((len(np.atleast_2d(queries)), n_words), -np.inf, dtype=np.float32)
        if len(self.owner):
            sims = np.atleast_2d(queries) @ self.vectors.T
            out[:, self.words] = np.maximum.reduceat(sims, self._starts, axis=1)
        return out

    def matched(self, query: np.ndarray, position: int, score: float, penalty: float = PENALTY) -> str | None:
        """The other sense of a word that gave it `score` for a query (None: the shown definition did)."""
        lo, hi = np.searchsorted(self.owner, [position, position + 1])
        if lo == hi:
            return None
        sims = self.vectors[lo:hi] @ np.ravel(query) - penalty
        j = int(np.argmax(sims))
        return self.texts[lo + j] if sims[j] >= score - 1e-6 else None

    def save(self, directory: Path) -> None:
        np.save(directory / "senses.npy", self.vectors.astype(np.float16))  # half the disk, cosines to 1e-3
        meta = {"owner": self.owner.tolist(), "texts": self.texts}
        (directory / "senses.json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, directory: Path, expected: bool = True) -> SenseVectors | None:
        """A run's sense vectors; None for a run made before they existed (`expected` False), whose search
        reads one vector a word."""
        if not expected and not (directory / "senses.json").exists():
            return None
        try:
            meta = json.loads((directory / "senses.json").read_text())
            vectors = np.load(directory / "senses.npy").astype(np.float32)
            return cls(np.array(meta["owner"], dtype=np.int64), vectors, list(meta["texts"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise WotdError(
                f"the sense vectors in {directory} are missing or damaged ({exc}); run `wotd train` again"
            ) from exc
