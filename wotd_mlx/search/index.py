"""A faiss inner-product index over L2-normalised word embeddings, saved with its word list."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import faiss
import numpy as np

from ..errors import WotdError


class WordIndex:
    """Exact cosine search (IndexFlatIP on unit vectors): the lexicon is tens of thousands of words, where
    exact search is a few milliseconds, so an approximate index would only cost recall."""

    def __init__(self, index: faiss.Index, words: Sequence[str]):
        if index.ntotal != len(words):
            raise ValueError(f"index has {index.ntotal} vectors but {len(words)} words")
        self.index = index
        self.words = list(words)
        self.position = {w: i for i, w in enumerate(self.words)}
        self._matrix: np.ndarray | None = None

    @classmethod
    def build(cls, vectors: np.ndarray, words: Sequence[str]) -> WordIndex:
        """Index `vectors` (n x d, unit rows) under the names `words`."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        return cls(index, words)

    @property
    def dim(self) -> int:
        return self.index.d

    def __len__(self) -> int:
        return len(self.words)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, positions) for each query row."""
        q = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        return self.index.search(q, min(k, len(self)))

    def matrix(self) -> np.ndarray:
        """All stored vectors (n x d), read back once from the flat index."""
        if self._matrix is None:
            self._matrix = self.index.reconstruct_n(0, self.index.ntotal)
        return self._matrix

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        """The stored vectors of lexicon words (flat indices give them back exactly)."""
        return self.matrix()[[self.position[w] for w in words]]

    def save(self, directory: Path) -> None:
        faiss.write_index(self.index, str(directory / "index.faiss"))
        (directory / "words.json").write_text(json.dumps(self.words))

    @classmethod
    def load(cls, directory: Path) -> WordIndex:
        try:
            index = faiss.read_index(str(directory / "index.faiss"))
            words = json.loads((directory / "words.json").read_text())
        except (OSError, RuntimeError, ValueError) as exc:
            raise WotdError(
                f"the search index in {directory} is missing or damaged ({exc}); run `wotd train` again"
            ) from exc
        return cls(index, words)
