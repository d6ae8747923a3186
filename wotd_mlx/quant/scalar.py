"""int8 (and int6 / int4) scalar quantisation with calibrated per-dimension ranges (faiss)."""

from __future__ import annotations

import faiss

from ..errors import WotdError
from .faiss_methods import FaissCodec

SQ_TYPES = {8: "QT_8bit", 6: "QT_6bit", 4: "QT_4bit"}
RANGES = {"minmax": "RS_minmax", "quantiles": "RS_quantiles", "meanstd": "RS_meanstd", "optim": "RS_optim"}


class ScalarQuantizer(FaissCodec):
    """Per-dimension scalar quantisation to 8, 6 or 4 bits with ranges calibrated on training data
    (faiss `ScalarQuantizer`, non-uniform: one range per dimension)."""

    name = "int8"

    def __init__(
        self, bits_per_dim: int = 8, calibration: str = "quantiles", calibration_arg: float = 1e-3, **kwargs
    ):
        super().__init__(**kwargs)
        if bits_per_dim not in SQ_TYPES or calibration not in RANGES:
            raise WotdError(
                f"scalar quantiser: bits per dim in {sorted(SQ_TYPES)}, calibration in {list(RANGES)}"
            )
        self.bits_per_dim, self.calibration, self.calibration_arg = bits_per_dim, calibration, calibration_arg
        self.name = f"int{bits_per_dim}"

    def _build(self, dim: int) -> faiss.Index:
        qtype = getattr(faiss.ScalarQuantizer, SQ_TYPES[self.bits_per_dim])
        index = faiss.IndexScalarQuantizer(dim, qtype, faiss.METRIC_INNER_PRODUCT)
        # quantiles: the range drops the `calibration_arg` fraction of outliers on each side, so a few extreme
        # values do not stretch the step for everyone (minmax would).
        index.sq.rangestat = getattr(faiss.ScalarQuantizer, RANGES[self.calibration])
        index.sq.rangestat_arg = self.calibration_arg
        return index
