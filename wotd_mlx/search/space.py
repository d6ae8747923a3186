"""What search by meaning reads from a run: one vector per word and one per other sense (multisense.py), in
the space of the model that embeds the queries.

A run whose embedder was fine-tuned for search (embed/finetune.py) keeps that space apart from its index:
the encoder, the semantic IDs and the word of the day's learner stay on the base model, in whose space they
were measured and tuned (the learner did worse in the fine-tuned one, BENCHMARKS.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import WotdError
from .multisense import SenseVectors

WORDS_FILE = "search_words.npy"


@dataclass
class SearchSpace:
    """model None: queries use the run's own embedder and words its index; else both come from `model`."""

    model: str | None = None
    words: np.ndarray | None = None  # (n_words, d) unit rows aligned with the index's words
    senses: SenseVectors | None = None  # None: a run from before search read every sense

    def __post_init__(self) -> None:
        if (self.model is None) != (self.words is None):
            raise ValueError("a search space of its own needs both its model and its word vectors")

    def metrics(self) -> dict:
        """What the run records about it (read back by load)."""
        return {"search_embedder": self.model, "search_senses": len(self.senses.texts) if self.senses else 0}

    def save(self, directory: Path) -> None:
        if self.senses is not None:
            self.senses.save(directory)
        if self.words is not None:
            np.save(directory / WORDS_FILE, self.words.astype(np.float16))  # cosines to 1e-3, half the disk

    @classmethod
    def load(cls, directory: Path, metrics: dict, n_words: int) -> SearchSpace:
        """The search space a finished run recorded (metrics as saved by `metrics`)."""
        senses = SenseVectors.load(directory, expected="search_senses" in metrics)
        model = metrics.get("search_embedder")
        if model is None:
            return cls(senses=senses)
        try:
            words = np.load(directory / WORDS_FILE).astype(np.float32)
        except (OSError, ValueError) as exc:
            raise WotdError(f"{directory / WORDS_FILE} is missing or damaged ({exc})") from exc
        if words.ndim != 2 or len(words) != n_words:
            raise WotdError(f"{WORDS_FILE} has shape {words.shape}, not one row per word ({n_words})")
        return cls(model, words, senses)
