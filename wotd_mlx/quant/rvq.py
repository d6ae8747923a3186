"""RVQ: residual vector quantisation (residual k-means) through faiss' `IndexResidualQuantizer`."""

from __future__ import annotations

import faiss

from .faiss_methods import FaissCodec, check_bits


class ResidualVQ(FaissCodec):
    """RVQ: M = bits / 8 stages of 256-centroid k-means, each coding the previous stages' residual.
    beam=1 is plain greedy residual k-means; a wider beam searches code combinations (slower)."""

    name = "rvq"

    def __init__(self, bits: int = 128, beam: int = 1, **kwargs):
        super().__init__(**kwargs)
        self.m, self.bits, self.beam = check_bits(bits, 8, "RVQ"), bits, beam

    def _build(self, dim: int) -> faiss.Index:
        index = faiss.IndexResidualQuantizer(dim, self.m, 8, faiss.METRIC_INNER_PRODUCT)
        index.rq.max_beam_size = self.beam
        return index
