"""int8 (and int6 / int4) scalar quantisation with calibrated per-dimension ranges (faiss)."""

from __future__ import annotations

import faiss
import numpy as np

from ..errors import WotdError
from .base import as_matrix
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
        # Quantile ranges are set in `fit`: faiss 1.15's RS_quantiles gave different ranges on repeated fits
        # of the same data (int8 neighbour recall anywhere from 0.96 to 0.997), so it trains as minmax first.
        calibration = "minmax" if self.calibration == "quantiles" else self.calibration
        index.sq.rangestat = getattr(faiss.ScalarQuantizer, RANGES[calibration])
        index.sq.rangestat_arg = 0.0 if self.calibration == "quantiles" else self.calibration_arg
        return index

    def fit(self, x: np.ndarray) -> ScalarQuantizer:
        super().fit(x)
        if self.calibration == "quantiles":
            # Drop the `calibration_arg` fraction of outliers on each side, so a few extreme values do not
            # stretch the step for everyone (minmax would). faiss stores per-dimension (min, max - min).
            lo, hi = np.quantile(as_matrix(x), [self.calibration_arg, 1 - self.calibration_arg], axis=0)
            trained = np.concatenate([lo, hi - lo]).astype(np.float32)
            faiss.copy_array_to_vector(trained, self.index.sq.trained)
        return self
