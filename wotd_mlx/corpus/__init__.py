"""Stage 1: the labelled lexicon (GCIDE + wordfreq)."""

from wotd_mlx.corpus.labels import STYLES, axis_names
from wotd_mlx.corpus.lexicon import build_lexicon, label_counts

__all__ = ["STYLES", "axis_names", "build_lexicon", "label_counts"]
