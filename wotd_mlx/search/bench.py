"""`wotd bench search`: the reverse-dictionary benchmark, every embedder and search method in one run.

For each model: the lexicon's "word: definition" vectors, its other senses' and its word-alone vectors (all
through the embedding cache), the queries of both evaluation sets, acc@1/10/100 and median rank per method,
and the warm time per query (embed one query, score the whole lexicon, take the top 10), all on the same
lexicon and queries. Methods: `definition` (one vector per word), `senses` (the best of a word's senses, as
`wotd search` does) and `fused` (senses, word-alone vector and frequency prior, weights tuned on dev senses).
The held-out sense queries are left out of the other senses indexed here (each would be its own answer);
the rest of their words' senses stay, as for every other word.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..config import DEFAULT_EMBEDDER, EmbedConfig
from ..corpus.gcide import by_headword, load_gcide
from ..corpus.modern import installed_glosses
from ..embed import embed_cached, load_embedder, word_text
from ..store import Store
from .evalsets import heldout_senses, load_descriptions
from .fusion import SEARCH, FusionIndex, FusionWeights, metrics, target_ranks, tune
from .multisense import SenseVectors, sense_rows

Progress = Callable[[str, int, int], None]


@dataclass
class SearchBenchConfig:
    """Which models to compare and how large the held-out sense sets are."""

    models: Sequence[str] = (DEFAULT_EMBEDDER,)
    backend: str | None = None
    senses: int = 500  # held-out GCIDE sense queries (test split), and as many dev queries for tuning
    timing_queries: int = 50
    methods: Sequence[str] = ("definition", "senses", "fused")


@dataclass
class EvalData:
    """Everything that does not depend on the model: lexicon, queries and their target positions."""

    words: list[str]
    texts: list[str]
    zipf: np.ndarray
    sets: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    sense_owner: list[int] = field(default_factory=list)
    senses: list[str] = field(default_factory=list)

    def targets(self, name: str) -> list[int]:
        pos = {w: i for i, w in enumerate(self.words)}
        return [pos.get(w, -1) for _, w in self.sets[name]]


def load_eval_data(store: Store, senses: int) -> EvalData:
    """The lexicon as the index sees it plus the three query sets (descriptions, test senses, dev senses)."""
    lexicon = store.lexicon()
    gcide = by_headword(load_gcide())
    data = EvalData(
        words=[e.word for e in lexicon],
        texts=[word_text(e.word, e.definition, "word_definition") for e in lexicon],
        zipf=np.array([e.zipf for e in lexicon], dtype=np.float32),
    )
    data.sets = {
        "descriptions": load_descriptions(),
        "senses": heldout_senses(lexicon, gcide, "test", senses),
        "dev": heldout_senses(lexicon, gcide, "dev", senses),
    }
    queries = {q for name in ("senses", "dev") for q, _ in data.sets[name]}
    data.sense_owner, data.senses = sense_rows(
        data.words, [e.definition for e in lexicon], gcide, exclude=queries, modern=installed_glosses()
    )
    return data


def fusion_index(store: Store, embedder, data: EvalData, progress: Progress | None = None) -> FusionIndex:
    """The lexicon's definition, other-sense and word-alone vectors for one embedder, through the cache."""

    def bar(stage: str):
        return (lambda d, n: progress(stage, d, n)) if progress else None

    definition = embed_cached(embedder, data.texts, store, progress=bar("index"))
    texts = [
        word_text(data.words[i], s, "word_definition")
        for i, s in zip(data.sense_owner, data.senses, strict=True)
    ]
    senses = SenseVectors(
        np.array(data.sense_owner), embed_cached(embedder, texts, store, progress=bar("senses")), data.senses
    )
    alone = embed_cached(embedder, data.words, store, progress=bar("words"))
    return FusionIndex(data.words, definition, alone, data.zipf, senses)


def time_queries(embedder, index: FusionIndex, weights: FusionWeights, queries: Sequence[str]) -> float:
    """Warm milliseconds per query: embed one query, fuse scores over the lexicon, top 10."""
    index.top(embedder.embed([queries[0]]), weights, 10)  # warm-up (first call allocates)
    t = time.perf_counter()
    for q in queries:
        index.top(embedder.embed([q]), weights, 10)
    return 1000 * (time.perf_counter() - t) / len(queries)


def bench_model(
    store: Store, model: str, data: EvalData, cfg: SearchBenchConfig, progress: Progress | None = None
) -> list[dict]:
    """Rows (one per method and evaluation set) for one embedder."""
    embedder = load_embedder(EmbedConfig(model=model), cfg.backend)
    index = fusion_index(store, embedder, data, progress)
    vectors = {name: embedder.embed([q for q, _ in rows]) for name, rows in data.sets.items()}
    weights = {"definition": FusionWeights(), "senses": SEARCH}
    if "fused" in cfg.methods:
        weights["fused"] = tune(index, vectors["dev"], data.targets("dev"))
    timing = [q for q, _ in data.sets["descriptions"][: cfg.timing_queries]]
    rows = []
    for method in cfg.methods:
        w = weights[method]
        ms = time_queries(embedder, index, w, timing)
        for name in ("descriptions", "senses"):
            ranks = target_ranks(index.scores(vectors[name], w), data.targets(name))
            rows.append(
                {
                    "model": embedder.model_id,
                    "method": method,
                    "weights": w.to_dict(),
                    "set": name,
                    "queries": len(ranks),
                    **metrics(ranks),
                    "ms_per_query": round(ms, 1),
                }
            )
    return rows


def run_search_bench(store: Store, cfg: SearchBenchConfig, progress: Progress | None = None) -> list[dict]:
    """Every model x method x evaluation set on the same lexicon and queries."""
    data = load_eval_data(store, cfg.senses)
    return [row for model in cfg.models for row in bench_model(store, model, data, cfg, progress)]


def markdown(rows: Sequence[dict]) -> str:
    """The comparison table, one line per model, method and set."""
    head = "| model | method | set | queries | acc@1 | acc@10 | acc@100 | median rank | ms/query |"
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['method']} {_weights(r['weights'])} | {r['set']} | {r['queries']} | "
            f"{r['acc@1']:.3f} | {r['acc@10']:.3f} | {r['acc@100']:.3f} | {r['median_rank']} | "
            f"{r['ms_per_query']} |"
        )
    return "\n".join(lines)


def _weights(w: dict) -> str:
    return "" if not any(w.values()) else "(" + ", ".join(f"{k} {v:g}" for k, v in w.items() if v) + ")"
