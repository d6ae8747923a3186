"""The space the learner works in: every lexicon word as a short feature vector.

A word's features are its embedding reduced by PCA (fitted on the run's word-of-the-day candidates, so the
directions are those along which the candidates differ most), one-hot levels of its semantic ID's style,
complexity and era axes, and a constant 1 (the base rate). Built once per opened run and kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..store import LexEntry
from ..today import candidates

AXES = ("style", "complexity", "era")


@dataclass(frozen=True)
class SpaceConfig:
    """How words become features."""

    pca_dims: int = 128  # 32/64/384 measured worse (BENCHMARKS.md); 35k x 153 floats is 21 MB
    axis_scale: float = 0.5  # one-hot axis features against PCA coordinates of norm about 0.5-0.8


@dataclass
class TasteSpace:
    """Features of every word in the run's index, and which of them may be a word of the day."""

    words: list[str]  # index order
    features: np.ndarray  # (n_words, d) float32
    vectors: np.ndarray  # (n_words, dim) the unit embeddings, for "near your likes"
    codes: np.ndarray  # (n_words, parts) semantic IDs
    pool: np.ndarray  # positions of candidate words, alphabetical
    entries: dict[str, LexEntry]  # candidate words' dictionary entries
    axis_slices: dict[str, slice]  # where each axis's one-hot block sits in `features`
    levels: tuple[int, ...]
    index: dict[str, int]  # word -> position

    @property
    def dim(self) -> int:
        return int(self.features.shape[1])

    @property
    def nbytes(self) -> int:
        return int(self.features.nbytes + self.pool.nbytes)


def build_space(
    words: list[str],
    vectors: np.ndarray,
    codes: np.ndarray,
    levels: tuple[int, ...],
    lexicon: list[LexEntry],
    cfg: SpaceConfig | None = None,
) -> TasteSpace:
    """Features for index `words` (rows of `vectors` and `codes`); candidates come from `lexicon`."""
    cfg = cfg or SpaceConfig()
    position = {w: i for i, w in enumerate(words)}
    cands = [e for e in candidates(lexicon, levels[1]) if e.word in position]
    pool = np.array(sorted(position[e.word] for e in cands), dtype=np.int64)
    V = np.asarray(vectors, dtype=np.float32)
    P = V[pool] if len(pool) else V
    mean = P.mean(axis=0)
    cov = (P - mean).T @ (P - mean) / max(1, len(P) - 1)
    vals, vecs = np.linalg.eigh(cov.astype(np.float64))
    k = min(cfg.pca_dims, V.shape[1])
    basis = vecs[:, np.argsort(-vals)[:k]]
    # a sign convention so the basis (and every feature) is the same on every machine
    basis *= np.sign(basis[np.abs(basis).argmax(axis=0), range(k)])
    scale = 1.0 / np.sqrt(vals.clip(min=0)[np.argsort(-vals)[:k]].sum())  # candidates' spread -> norm ~1
    blocks = [((V - mean) @ basis.astype(np.float32)) * scale]
    slices, start = {}, k
    for a, axis in enumerate(AXES):
        n = levels[a]
        onehot = np.zeros((len(words), n), dtype=np.float32)
        onehot[np.arange(len(words)), np.clip(codes[:, a], 0, n - 1)] = cfg.axis_scale
        blocks.append(onehot)
        slices[axis] = slice(start, start + n)
        start += n
    blocks.append(np.ones((len(words), 1), dtype=np.float32))
    return TasteSpace(
        words=list(words),
        features=np.concatenate(blocks, axis=1).astype(np.float32),
        vectors=V,
        codes=np.asarray(codes),
        pool=pool,
        entries={e.word: e for e in cands},
        axis_slices=slices,
        levels=tuple(levels),
        index=position,
    )
