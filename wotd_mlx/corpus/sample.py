"""Sample the training corpora: cells of Style x Complexity x Era, chosen to cover every axis level."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from wotd_mlx.config import DEFAULT_LEVELS, CorpusConfig
from wotd_mlx.corpus.labels import axis_names, validate_levels
from wotd_mlx.errors import WotdError
from wotd_mlx.store.db import LexEntry

TEST_FRACTION = 0.1


def sample_corpora(
    entries: Sequence[LexEntry], cfg: CorpusConfig, levels: Sequence[int] = DEFAULT_LEVELS
) -> list[dict]:
    """cfg.n_corpora corpora of cfg.words_per_corpus words each, one (style, complexity, era) cell apiece."""
    levels = validate_levels(levels)
    names = axis_names(levels)
    cells: dict[tuple[int, int, int], list[LexEntry]] = defaultdict(list)
    for e in sorted(entries, key=lambda e: e.word):
        cells[(e.style, e.complexity, e.era)].append(e)
    full = [c for c in sorted(cells) if len(cells[c]) >= cfg.words_per_corpus]
    if not full:
        raise WotdError(
            f"no Style x Complexity x Era cell has words_per_corpus={cfg.words_per_corpus} words "
            f"({len(entries)} lexicon words): lower words_per_corpus or raise max_words"
        )
    rng = random.Random(cfg.seed)
    rng.shuffle(full)  # the seed decides between otherwise equal cells
    chosen: list[tuple[int, int, int]] = []
    covered: set[tuple[int, int]] = set()
    while full and len(chosen) < cfg.n_corpora:
        # Greedy set cover over (axis, level) pairs; population breaks ties (bigger cells sample better).
        best = max(full, key=lambda c: (len({(a, v) for a, v in enumerate(c)} - covered), len(cells[c])))
        full.remove(best)
        chosen.append(best)
        covered |= {(a, v) for a, v in enumerate(best)}
    corpora = []
    for s, c, e in chosen:
        words = rng.sample(cells[(s, c, e)], cfg.words_per_corpus)
        n_test = round(len(words) * TEST_FRACTION)
        corpora.append(
            {
                "name": f"{names['style'][s]} · {names['complexity'][c]} · {names['era'][e]}",
                "style": s,
                "complexity": c,
                "era": e,
                "words": [
                    (w.word, w.definition, "test" if i >= len(words) - n_test else "train")
                    for i, w in enumerate(words)
                ],
            }
        )
    return corpora
