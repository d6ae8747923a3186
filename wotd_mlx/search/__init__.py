"""Exact search by meaning over the lexicon embeddings (faiss)."""

from .index import WordIndex

__all__ = ["WordIndex"]
