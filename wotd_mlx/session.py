"""A trained run opened for use: what the CLI (and the app) call to encode, decode, search and pick words."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np

from .backend import resolve_backend
from .config import EmbedConfig
from .embed import Embedder, load_embedder
from .errors import WotdError, shown, valid_text
from .search import WordIndex
from .search.ranking import SenseRanker
from .search.space import SearchSpace
from .semantic import SemanticEncoder, parse_id
from .store import Run, Store
from .taste import service as taste

T = TypeVar("T")

MAX_RESULTS = 100
MAX_QUERY_CHARS = 1000
POOL_PER_WORD = 4  # the LM chooses among at least 4 candidates per word asked for, even in a sparse cell
# `generate`'s default: whichever method measures better in scripts/bench_lm.py (BENCHMARKS.md). Today the
# LM loses to retrieval on consistency, definitions and latency, so retrieval it is; `method="lm"` stays.
DEFAULT_METHOD = "retrieval"


def check_count(n: int, what: str = "-n") -> int:
    if not 1 <= n <= MAX_RESULTS:
        raise WotdError(f"{what} must be between 1 and {MAX_RESULTS}, got {n}")
    return n


@dataclass
class Wotd:
    """The latest finished run with its encoder, index and word codes loaded."""

    store: Store
    run: Run
    backend: str
    encoder: SemanticEncoder
    index: WordIndex
    codes: np.ndarray  # (n_words, parts): every lexicon word's semantic ID, aligned with index.words
    axes: dict[str, list[str]]
    space: SearchSpace = field(default_factory=SearchSpace)  # what search reads (search/space.py)
    _embedder: Embedder | None = field(default=None, repr=False)
    _search_embedder: Embedder | None = field(default=None, repr=False)
    _search: SenseRanker | None = field(default=None, repr=False)
    _generators: dict = field(default_factory=dict, repr=False)
    _load_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    learner: str = "thompson"  # how today's word is chosen: thompson | rocchio | none (taste/learner.py)

    @classmethod
    def open(cls, store: Store, backend: str | None = None) -> Wotd:
        """Open the newest finished run; a clear error if there is none."""
        backend = resolve_backend(backend)
        run = store.last_run("done")
        if run is None:
            raise WotdError(
                "no trained run yet; run `wotd train` first (or `wotd train --quick` for a fast one)"
            )
        path = Path(run.path)
        if not path.is_dir():
            raise WotdError(f"run {run.id}'s files are missing ({path}); run `wotd train` again")
        try:
            codes = np.load(path / "codes.npy").astype(np.int64)
            axes = json.loads((path / "axes.json").read_text())
            encoder, index = SemanticEncoder.load(path, backend), WordIndex.load(path)
            space = SearchSpace.load(path, run.metrics or {}, len(index))
        except (OSError, ValueError, WotdError) as exc:
            raise WotdError(f"run {run.id}'s files are damaged ({exc}); run `wotd train` again") from exc
        return cls(store, run, backend, encoder, index, codes, axes, space)

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(self.encoder.levels)

    @property
    def embedder(self) -> Embedder:
        """The run's embedder, in whose space its index, IDs and preferences live (loaded on first use)."""
        if self._embedder is None:
            self._embedder = load_embedder(EmbedConfig(**self.run.config["embed"]), self.backend)
        return self._embedder

    @property
    def search_embedder(self) -> Embedder:
        """What embeds search queries: the run's search-tuned model, if it has one (search/space.py)."""
        if self.space.model is None:
            return self.embedder
        if self._search_embedder is None:
            cfg = EmbedConfig(**self.run.config["embed"] | {"model": self.space.model})
            try:
                self._search_embedder = load_embedder(cfg, self.backend)
            except WotdError as exc:
                what = f"run {self.run.id}'s search model is missing ({exc}); run `wotd train` again"
                raise WotdError(what) from exc
        return self._search_embedder

    # ---- lookups -------------------------------------------------------------------------------------
    def lookup(self, words: Sequence[str]) -> list[str]:
        """Normalise and check words against the lexicon; one error naming every unknown word."""
        clean = [valid_text(w, f"the word {shown(w)}").strip().lower() for w in words]
        if not clean or any(not w for w in clean):
            raise WotdError("give at least one non-empty word")
        unknown = [w for w in clean if w not in self.index.position]
        if unknown:
            names = ", ".join(map(shown, unknown))
            raise WotdError(
                f"unknown word{'s' if len(unknown) > 1 else ''}: {names}; words must be in the "
                f'lexicon ({len(self.index)} words); `wotd search "a meaning"` finds words by meaning'
            )
        return clean

    def _rows(self, positions: Sequence[int], scores: Sequence[float] | None = None) -> list[dict]:
        words = [self.index.words[i] for i in positions]
        entries = self.store.entries(words)
        rows = []
        for j, (i, w) in enumerate(zip(positions, words, strict=True)):
            row = {
                "word": w,
                "definition": entries[w].definition if w in entries else "",
                "semantic_id": [int(x) for x in self.codes[i]],
            }
            if scores is not None:
                row["score"] = round(float(scores[j]), 4)
            rows.append(row)
        return rows

    def parse_id(self, text: str) -> tuple[int, ...]:
        return parse_id(text, self.levels)

    # ---- commands ------------------------------------------------------------------------------------
    def encode(self, words: Sequence[str]) -> list[dict]:
        """Each lexicon word's semantic ID."""
        clean = self.lookup(words)
        return [
            {"word": w, "semantic_id": [int(x) for x in self.codes[self.index.position[w]]]} for w in clean
        ]

    def encode_text(self, text: str, n: int = 5) -> dict:
        """The semantic ID of free text, embedded as a word's "word: definition" is, and the `n` lexicon
        words nearest it in the same space."""
        check_count(n)
        text = _query(text, "text", "a stormy sea")
        vec = self.embedder.embed([text])
        scores, idx = self.index.search(vec, n)
        sid = [int(x) for x in self.encoder.encode(vec)[0]]
        return {"text": text, "semantic_id": sid, "nearest": self._rows(idx[0], scores[0])}

    def decode(self, semantic_id: Sequence[int], n: int = 10) -> list[dict]:
        """The words nearest to the ID's codebook vector."""
        check_count(n)
        vec = self.encoder.decode(np.array([semantic_id]))
        _, idx = self.index.search(vec, n)
        return self._rows(idx[0])

    def generate(
        self, semantic_id: Sequence[int], n: int = 10, method: str | None = None, temperature: float = 0.0
    ) -> list[dict]:
        """Words for an ID: "retrieval" (the default, DEFAULT_METHOD) or "lm" (the run's fine-tuned LM,
        decoding constrained to the ID's `pool` of lexicon words). An LM definition that fails the check in
        lm/trust.py is replaced by the dictionary's: `definition_source` says which one each row shows."""
        check_count(n)
        method = method or DEFAULT_METHOD
        if not 0.0 <= temperature <= 2.0:  # refused whatever the method: bad input is never silently ignored
            raise WotdError(f"temperature must be between 0 and 2, got {temperature}")
        if method == "retrieval":
            dictionary = {"method": "retrieval", "definition_source": "dictionary"}
            return [r | dictionary for r in self.retrieve(semantic_id, n)]
        if method != "lm":
            raise WotdError(f"unknown method {method!r}; allowed: lm, retrieval")
        pool = self.pool(semantic_id, n)
        lines = self.generator().generate(semantic_id, n, temperature=temperature, only=pool)
        rows = self._rows([self.index.position[line.word] for line in lines])
        from .lm.trust import check_definitions, run_threshold

        verdicts = check_definitions(
            [r["word"] for r in rows],
            [line.definition for line in lines],
            [r["definition"] for r in rows],
            self.embedder.embed,
            run_threshold(Path(self.run.path) / "lm"),
        )
        for row, line, verdict in zip(rows, lines, verdicts, strict=True):
            row["dictionary_definition"] = row["definition"]
            row["lm_definition"] = line.definition
            row["method"] = "lm"
            row["definition_source"] = "lm" if verdict.ok else "dictionary"
            if verdict.ok:
                row["definition"] = line.definition
            else:
                row["definition_note"] = f"the LM's definition {verdict.reason}; showing the dictionary's"
        return rows

    def _ranked(self, semantic_id: Sequence[int]) -> tuple[np.ndarray, int]:
        """Every word's position, best fit to the ID first, and how many words share the ID's first three
        parts. Order: the ID's style/complexity/era, then its style, then how many of complexity and era
        match, then the exact ID, then similarity to the ID's codebook vector."""
        sid = np.asarray(semantic_id)
        sims = self.index.matrix() @ self.encoder.decode(sid[None])[0]
        match = self.codes == sid
        in_cell = match[:, :3].all(1)
        # lexsort sorts by the last key first
        order = np.lexsort((-sims, ~match.all(1), -match[:, 1:3].sum(1), ~match[:, 0], ~in_cell))
        return order, int(in_cell.sum())

    def retrieve(self, semantic_id: Sequence[int], n: int = 10) -> list[dict]:
        """Words for an ID by retrieval: the lexicon words whose own ID has the requested style, complexity
        and era (exact variation first), nearest the ID's codebook vector first; when the cell has fewer
        than n words, words of the same style fill up, those matching complexity or era first."""
        check_count(n)
        return self._rows(self._ranked(semantic_id)[0][:n])

    def pool(self, semantic_id: Sequence[int], n: int) -> np.ndarray:
        """The words the LM may choose from for an ID (positions in the index): all words whose own ID has its
        style, complexity and era, or, where fewer than 4n do, the 4n best fits by `retrieve`'s order. The
        LM picks and defines; the pool keeps its words true to the ID (the LM alone often misses: see
        BENCHMARKS.md)."""
        order, in_cell = self._ranked(semantic_id)
        return order[: max(in_cell, POOL_PER_WORD * n)]

    @property
    def has_lm(self) -> bool:
        return (Path(self.run.path) / "lm" / "lm.json").is_file()

    def generator(self, with_adapter: bool = True):
        """The run's LM generator, loaded on first use (a few seconds) and kept."""
        from .lm.generate import WordGenerator

        return self.loaded(
            "adapter" if with_adapter else "base",
            lambda: WordGenerator.for_run(
                Path(self.run.path), self.backend, self.index.words, self.axes, with_adapter
            ),
        )

    def loaded(self, key: str, build: Callable[[], T]) -> T:
        """The value kept under `key`, built by `build()` on first use and kept with the session."""
        with self._load_lock:  # concurrent first requests (the app) build it once
            if key not in self._generators:
                self._generators[key] = build()
        return self._generators[key]

    def search(self, text: str, k: int = 10) -> list[dict]:
        """Words whose meaning is closest to the text."""
        check_count(k, "-k")
        text = _query(text, "search text", "a person who studies insects")
        space = self.space
        if self._search is None:  # every sense of every word (search/multisense.py)
            words = self.index.matrix() if space.words is None else space.words
            self._search = SenseRanker(self.index.words, words, senses=space.senses)
        query = self.search_embedder.embed([text])
        scores, idx = self._search.top(query, k)
        rows = self._rows(idx, scores)
        for row, i, score in zip(rows, idx, scores, strict=True):
            if space.senses is not None and (sense := space.senses.matched(query, int(i), float(score))):
                row["definition"] = sense  # the sense the text matched, not the word's first one
        return rows

    # ---- word of the day and ratings, per named profile (logic in taste/service.py) -------------------
    def today(self, date: str | None = None, profile: str | None = None) -> dict:
        """The profile's word of the day for a date (default today), recorded so the same date gives the
        same word, with why it was chosen."""
        return taste.today(self, date, profile)

    def feedback(self, word: str, value: int, profile: str | None = None) -> dict:
        """Record a like (+1), dislike (-1) or skip (0) for a profile; returns how its taste's ID moved."""
        return taste.feedback(self, word, value, profile)

    def undo(self, profile: str | None = None) -> dict:
        """Take back the profile's last rating."""
        return taste.undo(self, profile)


def describe(store: Store, backend: str | None = None) -> dict:
    """What `wotd info` shows: backend, models, database path and size, ratings per profile, last run."""
    run = store.last_run(None)
    done = store.last_run("done")
    size = store.path.stat().st_size + sum(
        p.stat().st_size for p in store.path.parent.glob(store.path.name + "-*") if p.is_file()
    )

    by_profile = {name: len(store.feedback(name)) for name in store.profiles()}

    def summary(r: Run | None) -> dict | None:
        if r is None:
            return None
        return {
            "id": r.id,
            "status": r.status,
            "backend": r.backend,
            "embedder": r.embedder,
            "path": r.path,
            "levels": r.config.get("encoder", {}).get("levels"),
            "metrics": r.metrics,
            "timings": r.timings,
        }

    return {
        "backend": resolve_backend(backend),
        "embedder": done.embedder if done else EmbedConfig().model,
        "database": str(store.path),
        "database_bytes": size,
        "lexicon_words": store.lexicon_size(),
        "cached_embeddings": store.embedding_count(),
        "feedback": sum(by_profile.values()),  # every profile's ratings
        "feedback_by_profile": by_profile,
        "last_run": summary(run),
        "last_finished_run": summary(done) if done and (not run or done.id != run.id) else None,
    }


def _query(text: str, what: str, example: str) -> str:
    """Free text to embed, stripped; WotdError when it is empty or longer than MAX_QUERY_CHARS."""
    text = valid_text(text, what).strip()
    if not text:
        raise WotdError(f'empty {what}; describe a meaning, e.g. "{example}"')
    if len(text) > MAX_QUERY_CHARS:
        raise WotdError(f"{what} is {len(text)} characters; at most {MAX_QUERY_CHARS} are allowed")
    return text
