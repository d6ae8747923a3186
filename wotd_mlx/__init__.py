"""wotd-mlx: a local Word of the Day that learns which words you like."""

__version__ = "0.1.0"
