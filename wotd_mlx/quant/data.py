"""The lab's data: word embeddings of the whole lexicon, a train/held-out split, and the search-by-meaning
queries (definitions of held-out words, whose target is the word embedded alone)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..config import CorpusConfig, EmbedConfig
from ..errors import WotdError
from ..store import LexEntry, Store

Progress = Callable[[str, int, int], None]  # progress(stage, done, total)


@dataclass
class LabData:
    """Everything one bench run evaluates on; `X` rows are unit vectors of the words embedded alone."""

    words: list[str]
    X: np.ndarray  # (n, d) float32, the database every method compresses
    train_idx: np.ndarray  # rows the methods are fitted on (never a held-out word)
    test_idx: np.ndarray  # held-out words: their definitions are the task queries
    Q: np.ndarray  # (len(test_idx), d) float32, definition embeddings of the held-out words
    model_id: str
    P: np.ndarray | None = None  # definitions of training words (for supervised fits), or None
    P_rows: np.ndarray | None = None  # row of X_train that each P row defines

    @property
    def X_train(self) -> np.ndarray:
        return self.X[self.train_idx]

    @property
    def dim(self) -> int:
        return int(self.X.shape[1])


def split(n: int, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded (train, test) row indices, each sorted; at least one row on each side."""
    if not 0.0 < test_fraction < 1.0:
        raise WotdError(f"test fraction must be in (0, 1), got {test_fraction}")
    if n < 2:
        raise WotdError(f"need at least 2 words to split, got {n}")
    order = np.random.default_rng(seed).permutation(n)
    n_test = min(n - 1, max(1, round(n * test_fraction)))
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def lexicon_entries(store: Store, max_words: int | None, seed: int = 0) -> list[LexEntry]:
    """The app's lexicon when `wotd train` has stored one, else one built here (about 10 s, not stored)."""
    from ..config import DEFAULT_LEVELS
    from ..corpus.lexicon import build_lexicon, stratified_subsample

    entries = store.lexicon() if store.lexicon_size() else build_lexicon(CorpusConfig(seed=seed))
    if max_words is not None and max_words < len(entries):
        entries = stratified_subsample(entries, max_words, DEFAULT_LEVELS, seed)
    return entries


def load_lab_data(
    store: Store,
    entries: Sequence[LexEntry],
    backend: str | None = None,
    embedder: str | None = None,
    test_fraction: float = 0.2,
    seed: int = 0,
    train_pairs: bool = False,
    progress: Progress | None = None,
) -> LabData:
    """Embed every word alone and the held-out words' definitions, through the store's embedding cache;
    with train_pairs also the training words' definitions (for the supervised learned codes)."""
    from ..embed import embed_cached, load_embedder, word_text

    if len(entries) < 50:
        raise WotdError(f"the compression lab needs at least 50 words, got {len(entries)}")
    cfg = EmbedConfig(model=embedder) if embedder else EmbedConfig()
    model = load_embedder(cfg, backend)
    words = [e.word for e in entries]
    train_idx, test_idx = split(len(words), test_fraction, seed)

    def stage(name: str):
        return None if progress is None else (lambda done, total: progress(name, done, total))

    X = embed_cached(
        model,
        [word_text(e.word, e.definition, "word") for e in entries],
        store,
        cfg.batch_size,
        stage("words"),
    )
    Q = embed_cached(
        model, [entries[i].definition for i in test_idx], store, cfg.batch_size, stage("queries")
    )
    data = LabData(words, X, train_idx, test_idx, Q, model.model_id)
    if train_pairs:
        texts = [entries[i].definition for i in train_idx]
        data.P = embed_cached(model, texts, store, cfg.batch_size, stage("pairs"))
        data.P_rows = np.arange(len(train_idx))
    return data
