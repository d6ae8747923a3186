"""What the torch and MLX embedders share: the model directory, the HF tokenizer and token pooling."""

from __future__ import annotations

from abc import abstractmethod

import numpy as np

from ..config import EmbedConfig
from .base import Embedder
from .models import model_id, pooling_mode, resolve_model_dir

_DEFAULT_MAX_LENGTH = EmbedConfig().max_length


class HFEmbedder(Embedder):
    """A transformer encoder read from a Hugging Face / sentence-transformers directory."""

    def __init__(self, cfg: EmbedConfig):
        from transformers import AutoTokenizer

        self.model_dir = resolve_model_dir(cfg.model)
        self.pooling = pooling_mode(self.model_dir)
        self.max_length = cfg.max_length
        # Vectors depend on truncation, so a non-default max_length must not share cached vectors.
        suffix = "" if cfg.max_length == _DEFAULT_MAX_LENGTH else f"@max_length={cfg.max_length}"
        self.model_id = model_id(cfg.model) + suffix
        # Both backends tokenise with the same HF tokenizer, so their inputs are identical by construction.
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
        self._load()
        self.dim = int(self._hidden_states(*self._tokenize(["a"])).shape[-1])

    @abstractmethod
    def _load(self) -> None:
        """Load the backend's model from self.model_dir."""

    @abstractmethod
    def _hidden_states(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        """The last hidden layer, float32, shape (batch, seq, dim)."""

    def _tokenize(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        # transformers 5 has no batch_encode_plus: calling the tokenizer batches.
        enc = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="np"
        )
        return enc["input_ids"], enc["attention_mask"]

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        input_ids, attention_mask = self._tokenize(texts)
        return pool(self._hidden_states(input_ids, attention_mask), attention_mask, self.pooling)


def pool(hidden: np.ndarray, attention_mask: np.ndarray, mode: str) -> np.ndarray:
    """Sentence vectors from token vectors: "mean" over real (unmasked) tokens, or the "cls" token."""
    if mode == "cls":
        return hidden[:, 0]
    mask = attention_mask[..., None].astype(np.float32)
    return (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
