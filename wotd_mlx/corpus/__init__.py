"""Stage 1: the labelled lexicon (GCIDE + wordfreq) and the training corpora sampled from it."""

from wotd_mlx.corpus.labels import STYLES, axis_names
from wotd_mlx.corpus.lexicon import build_lexicon, label_counts
from wotd_mlx.corpus.sample import sample_corpora

__all__ = ["STYLES", "axis_names", "build_lexicon", "label_counts", "sample_corpora"]
