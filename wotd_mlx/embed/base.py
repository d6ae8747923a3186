"""The embedder interface and the backend-independent work: batching, ordering, normalising."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

import numpy as np

Progress = Callable[[int, int], None]  # progress(done, total), called after each batch


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors; subclasses only implement `_embed_batch`."""

    model_id: str  # cache key: vectors with the same model_id are interchangeable
    dim: int
    backend: str

    @abstractmethod
    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        """Pooled (not necessarily normalised) vectors for one batch, shape (len(texts), dim)."""

    def embed(
        self, texts: Sequence[str], batch_size: int = 64, progress: Progress | None = None
    ) -> np.ndarray:
        """Embed texts in input order: float32, shape (n, dim), unit-length rows."""
        n = len(texts)
        out = np.empty((n, self.dim), dtype=np.float32)
        # Longest first, so each batch holds texts of similar length and padding (wasted compute) is small;
        # the memory peak also comes at the first batch, not after minutes of work.
        order = sorted(range(n), key=lambda i: -len(texts[i]))
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            out[idx] = self._embed_batch([texts[i] for i in idx])
            if progress is not None:
                progress(min(start + batch_size, n), n)
        return normalize(out)


def normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 norm (all-zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
