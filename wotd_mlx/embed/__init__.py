"""Stage 2: sentence embeddings of words, on torch or MLX, through the SQLite cache."""

from .base import Embedder, normalize
from .cache import embed_cached
from .loader import load_embedder
from .models import model_id, pooling_mode, resolve_model_dir
from .text import TEXT_FORMATS, word_text

__all__ = [
    "TEXT_FORMATS",
    "Embedder",
    "embed_cached",
    "load_embedder",
    "model_id",
    "normalize",
    "pooling_mode",
    "resolve_model_dir",
    "word_text",
]
