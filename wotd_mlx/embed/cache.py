"""Embeddings through the SQLite cache: only texts never embedded by this model reach the model."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..store.db import Store
from .base import Embedder, Progress

WRITE_CHUNK = 1024  # texts embedded between cache writes: an interrupted run keeps all finished chunks


def embed_cached(
    embedder: Embedder,
    texts: Sequence[str],
    store: Store,
    batch_size: int = 64,
    progress: Progress | None = None,
) -> np.ndarray:
    """Vectors for texts in input order, shape (n, dim); misses are embedded and written to the cache."""
    vectors = store.cached_embeddings(embedder.model_id, texts)
    misses = [t for t in dict.fromkeys(texts) if t not in vectors]  # unique, first-seen order
    for start in range(0, len(misses), WRITE_CHUNK):
        chunk = misses[start : start + WRITE_CHUNK]
        chunk_progress = None
        if progress is not None:  # report over all misses, not per chunk

            def chunk_progress(done: int, _total: int, _start: int = start) -> None:
                progress(_start + done, len(misses))

        new = embedder.embed(chunk, batch_size=batch_size, progress=chunk_progress)
        store.put_embeddings(embedder.model_id, chunk, new)
        vectors.update(zip(chunk, new, strict=True))
    if not texts:
        return np.empty((0, embedder.dim), dtype=np.float32)
    return np.stack([vectors[t] for t in texts]).astype(np.float32, copy=False)
