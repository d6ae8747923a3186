"""The compression lab's evaluation: every method and bit budget on the whole lexicon, in one run.

Per row: neighbour recall@10 against exact float32 top-10 (word to word, held-out words as queries), the
search-by-meaning task (definitions of held-out words -> the word; R@10 and MRR@100, and both divided by
float32's from the same run), Spearman correlation of pairwise scores with the float cosines, bytes per
vector, compression, encode time per vector, single-query search time over the full lexicon, fit time.
Every method is fitted on the training split only; held-out words' definitions are never seen by a fit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..backend import resolve_backend
from ..errors import WotdError
from .base import BinaryQuantizer, Quantizer
from .data import LabData
from .search import CodeIndex, FloatIndex, make_index

Progress = Callable[[str, int, int], None]


@dataclass
class Spec:
    """One method at one bit budget, evaluated under each of its scoring modes."""

    method: str
    make: Callable[[str | None], Quantizer]  # backend -> an unfitted quantizer
    modes: tuple[str, ...] = ("hamming", "rescore")
    supervised: bool = False  # fit also gets definition -> word pairs of the training split
    reference: bool = False  # a sentence-transformers reference row


def _specs() -> list[Spec]:
    """The default plan; kept explicit so the table's rows are easy to find in the code."""
    from .adaptive import AdaptiveBinary
    from .faiss_methods import LSH, OPQ, PQ
    from .fsq import FSQ
    from .hybrid import HybridBinary
    from .learned import LearnedBinary
    from .matryoshka import MatryoshkaBinary
    from .reference import STBinary, STInt8
    from .rvq import ResidualVQ
    from .scalar import ScalarQuantizer
    from .sign import SignBinary

    adc = ("adc",)
    specs = [
        Spec("st-binary", lambda b: STBinary(), ("hamming",), reference=True),
        Spec("st-int8", lambda b: STInt8(), ("int8",), reference=True),
        Spec("sign", lambda b: SignBinary()),
        Spec("adaptive-median", lambda b: AdaptiveBinary("median")),
        Spec("adaptive-lloyd", lambda b: AdaptiveBinary("lloyd")),
        Spec("matryoshka-none", lambda b: MatryoshkaBinary(128, rotation="none")),
    ]
    specs += [Spec("matryoshka-pca", lambda b, k=k: MatryoshkaBinary(k)) for k in (64, 128, 256)]
    specs += [
        Spec("hybrid-and", lambda b: HybridBinary(64, single=32, group=2)),
        Spec("hybrid-and", lambda b: HybridBinary(128, single=64, group=2)),
        Spec("hybrid-sum", lambda b: HybridBinary(128, single=64, group=2, combine="sum")),
        Spec("hybrid-and", lambda b: HybridBinary(192, single=0, group=2)),
        Spec("hybrid-and", lambda b: HybridBinary(256, single=128, group=2)),
    ]
    specs += [Spec("itq-lsh", lambda b, k=k: LSH(k)) for k in (64, 128, 256, 384)]
    specs += [Spec("lsh-random", lambda b: LSH(384, rotation="random"))]
    specs += [Spec("learned-tanh", lambda b, k=k: LearnedBinary(k, backend=b)) for k in (64, 128, 256, 384)]
    specs += [Spec("learned-ste", lambda b: LearnedBinary(128, backend=b, relax="ste"))]
    specs += [
        Spec("learned-tanh+task", lambda b, k=k: LearnedBinary(k, backend=b), supervised=True)
        for k in (128, 384)
    ]
    specs += [Spec("fsq", lambda b, k=k: FSQ(k), adc) for k in (128, 256)]
    # RVQ at 256 bits (32 k-means stages) takes 8 min to fit here; PQ and OPQ cover that budget
    specs += [Spec("rvq", lambda b, k=k: ResidualVQ(k), adc) for k in (64, 128)]
    specs += [Spec("pq", lambda b, k=k: PQ(k), adc) for k in (64, 128, 256)]
    specs += [Spec("opq", lambda b, k=k: OPQ(k), adc) for k in (128, 256)]
    specs += [
        Spec("int4", lambda b: ScalarQuantizer(4), adc),
        Spec("int8", lambda b: ScalarQuantizer(8), adc),
    ]
    return specs


def default_specs(methods: list[str] | None = None, supervised: bool = True) -> list[Spec]:
    """The default plan, optionally only the methods whose name starts with one of `methods`."""
    specs = [s for s in _specs() if supervised or not s.supervised]
    if methods:
        known = sorted({s.method for s in specs})
        unknown = [m for m in methods if not any(k.startswith(m) for k in known)]
        if unknown:
            raise WotdError(f"unknown method(s) {', '.join(unknown)}; known: {', '.join(known)}")
        specs = [s for s in specs if any(s.method.startswith(m) for m in methods)]
    return specs


@dataclass
class BenchConfig:
    """How much of the held-out data each measurement uses (all of it by default, except timing)."""

    neighbor_queries: int = 2000  # held-out words whose float top-10 neighbours are the truth
    spearman_words: int = 1000  # pairwise scores among this many held-out words (~500k pairs)
    timing_queries: int = 100  # single-query searches timed per row
    candidates: int = 100  # Hamming candidates reranked in "rescore" mode
    task_depth: int = 100  # MRR is cut at this rank
    seed: int = 0
    backend: str | None = None
    methods: list[str] | None = None
    supervised: bool = True
    extra: dict = field(default_factory=dict)


class Evaluator:
    """Precomputes the float truths once, then measures any index against them."""

    def __init__(self, data: LabData, cfg: BenchConfig):
        self.data, self.cfg = data, cfg
        rng = np.random.default_rng(cfg.seed)
        test = data.test_idx
        self.nq = np.sort(rng.choice(test, min(cfg.neighbor_queries, len(test)), replace=False))
        self.sp = np.sort(rng.choice(test, min(cfg.spearman_words, len(test)), replace=False))
        self.float_index = FloatIndex(data.X)
        self.truth = self._neighbours(self.float_index)
        tri = np.triu_indices(len(self.sp), 1)
        self.tri = tri
        self.float_pairs = (data.X[self.sp] @ data.X[self.sp].T)[tri]
        self.float_task = self.task(self.float_index)

    def _neighbours(self, index: CodeIndex) -> np.ndarray:
        """Top-10 ids of each neighbour query, itself removed."""
        _, ids = index.search(self.data.X[self.nq], 11)
        out = np.empty((len(self.nq), 10), dtype=np.int64)
        for r, (row, self_id) in enumerate(zip(ids, self.nq, strict=True)):
            out[r] = row[row != self_id][:10]
        return out

    def neighbour_recall(self, index: CodeIndex) -> float:
        got = self._neighbours(index)
        return float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, self.truth, strict=True)]))

    def task(self, index: CodeIndex) -> dict[str, float]:
        """R@1, R@10 and MRR@depth of definition -> word over the whole lexicon."""
        _, ids = index.search(self.data.Q, self.cfg.task_depth)
        hit = ids == self.data.test_idx[:, None]
        rank = np.where(hit.any(1), hit.argmax(1) + 1, 0)
        rr = np.where(rank > 0, 1.0 / np.maximum(rank, 1), 0.0)
        return {
            "r1": float((rank == 1).mean()),
            "r10": float(((rank > 0) & (rank <= 10)).mean()),
            "mrr": float(rr.mean()),
        }

    def spearman(self, index: CodeIndex) -> float:
        from scipy.stats import spearmanr

        scores = index.score_rows(self.data.X[self.sp], self.sp)[self.tri]
        return float(spearmanr(scores, self.float_pairs).statistic)

    def search_ms(self, index: CodeIndex) -> float:
        """Mean wall time of one single-query top-10 search on one thread, in ms. One thread, because
        faiss' OpenMP threads spin-wait: on a shared 2-core machine they made timings 10x noisier."""
        import faiss

        qs = self.data.Q[: self.cfg.timing_queries]
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            index.search(qs[:1], 10)  # warm-up (lazy allocations)
            t0 = time.perf_counter()
            for i in range(len(qs)):
                index.search(qs[i : i + 1], 10)
            return 1000 * (time.perf_counter() - t0) / max(len(qs), 1)
        finally:
            faiss.omp_set_num_threads(threads)

    def row(self, index: CodeIndex, base: dict) -> dict:
        t = self.task(index)
        f = self.float_task
        return base | {
            "neighbor_recall_at_10": self.neighbour_recall(index),
            "task_r1": t["r1"],
            "task_r10": t["r10"],
            "task_mrr": t["mrr"],
            "task_retention_r10": t["r10"] / f["r10"] if f["r10"] else float("nan"),
            "task_retention_mrr": t["mrr"] / f["mrr"] if f["mrr"] else float("nan"),
            "spearman": self.spearman(index),
            "search_ms": self.search_ms(index),
        }


def _fit(spec: Spec, data: LabData, backend: str | None) -> tuple[Quantizer, float]:
    q = spec.make(backend)
    t0 = time.perf_counter()
    if spec.supervised:
        if data.P is None:
            raise WotdError(f"{spec.method} needs the training definitions (load_lab_data(train_pairs=True))")
        q.fit(data.X_train, queries=data.P, targets=data.P_rows)
    else:
        q.fit(data.X_train)
    return q, time.perf_counter() - t0


def run_bench(data: LabData, cfg: BenchConfig | None = None, progress: Progress | None = None) -> list[dict]:
    """Rows of measurements (float32 first); see the module docstring for each field."""
    cfg = cfg or BenchConfig()
    specs = default_specs(cfg.methods, cfg.supervised and data.P is not None)
    if resolve_backend(cfg.backend) == "mlx":  # the reference rows run sentence-transformers, so torch
        specs = [spec for spec in specs if not spec.reference]
    ev = Evaluator(data, cfg)
    d = data.dim
    float_row = {
        "method": "float32",
        "scoring": "exact",
        "bits": 32 * d,
        "bytes_per_vector": 4 * d,
        "compression": 1.0,
        "encode_us": 0.0,
        "fit_s": 0.0,
        "reference": True,
    }
    rows = [ev.row(ev.float_index, float_row)]
    for i, spec in enumerate(specs):
        if progress is not None:
            progress("methods", i, len(specs))
        q, fit_s = _fit(spec, data, cfg.backend)
        t0 = time.perf_counter()
        codes = q.encode(data.X)
        encode_us = 1e6 * (time.perf_counter() - t0) / len(data.X)
        base = {
            "method": spec.method,
            "bits": int(q.bits),
            "bytes_per_vector": int(codes.shape[1]),
            "compression": 4 * d / codes.shape[1],
            "encode_us": encode_us,
            "fit_s": fit_s,
            "reference": spec.reference,
            "settings": q.describe(),
        }
        for mode in spec.modes:
            if isinstance(q, BinaryQuantizer):
                index = make_index(q, codes, mode, cfg.candidates)
            else:
                index = make_index(q, codes)
            rows.append(ev.row(index, base | {"scoring": mode}))
    if progress is not None:
        progress("methods", len(specs), len(specs))
    return rows
