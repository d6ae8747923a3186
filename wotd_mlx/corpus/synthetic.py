"""Synthetic training corpora: words for Style x Complexity x Era cells from an OpenAI-compatible LLM.

The second corpus source beside the offline lexicon (`sample.py`). For each chosen cell the model is asked,
with a JSON schema (structured output), for words with short definitions; every word is validated (a single
real English word, a GCIDE headword or known to wordfreq, not already anywhere in the synthetic corpus, a
definition of 3..200 characters) and each accepted answer is committed in one transaction with the cell's
request and token counters (`store/synthetic.py`). An interrupted run therefore resumes where it stopped
and never duplicates a word.

Which cells: 512 cells x 100 words is 51,200 words, so by default `n_cells=12` cells (the original
design's 12 corpora) are chosen greedily to cover every level of every axis, like the lexicon sampler,
from a seeded order; the choice is a prefix of the choice for any larger n, so `--cells 20` extends
a 12-cell corpus. `n_cells=None` takes every cell.

Faults: the openai client retries 429/5xx/timeouts itself (see `openai_client.py`); here a malformed,
cut-off or empty answer, or a transport fault that outlasted those retries, costs one "fruitless"
attempt followed by our own exponential backoff. After `max_fruitless` fruitless attempts in a row a cell
is skipped with a warning (a later run retries it); `max_skipped` skipped cells in a row, an unreachable
server or a refusal (bad key, unknown model) stop the run with a WotdError, everything accepted so far
kept.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from wotd_mlx.config import DEFAULT_LEVELS
from wotd_mlx.corpus.labels import axis_names, validate_levels
from wotd_mlx.corpus.openai_client import Endpoint, describe_error, fatal_error
from wotd_mlx.corpus.prompting import (
    ANSWER_SCHEMA,
    MalformedAnswer,
    build_messages,
    is_english_word,
    parse_answer,
    validate_items,
)
from wotd_mlx.errors import WotdError
from wotd_mlx.store import Store
from wotd_mlx.store import synthetic as db

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (stage, done, total), like pipeline.train
Cell = tuple[int, int, int]

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_CELLS = 12


@dataclass
class SyntheticConfig:
    """One `wotd corpus generate` run."""

    model: str = DEFAULT_MODEL
    per_cell: int = 100
    n_cells: int | None = DEFAULT_CELLS  # None: every Style x Complexity x Era cell
    levels: tuple[int, ...] = DEFAULT_LEVELS
    batch: int = 50  # most words asked for in one request (halved when answers get cut off)
    max_fruitless: int = 4  # attempts in a row that add no word before a cell is skipped
    max_skipped: int = 3  # cells skipped in a row before the run stops
    backoff_s: float = 1.0  # our own backoff base (doubling) after a fruitless attempt
    max_backoff_s: float = 30.0
    seed: int = 0
    temperature: float | None = None  # None: the server's default (some models accept no other)


# ---- cells ---------------------------------------------------------------------------------------------


def choose_cells(levels: Sequence[int], n_cells: int | None = DEFAULT_CELLS, seed: int = 0) -> list[Cell]:
    """n_cells cells covering every level of every axis (greedy over a seeded order); None: all cells."""
    s, c, e = validate_levels(levels)[:3]
    every = [(i, j, k) for i in range(s) for j in range(c) for k in range(e)]
    if n_cells is None or n_cells >= len(every):
        return every
    pool = every[:]
    random.Random(seed).shuffle(pool)
    chosen: list[Cell] = []
    covered: set[tuple[int, int]] = set()
    while len(chosen) < n_cells:
        best = max(pool, key=lambda cell: len(set(enumerate(cell)) - covered))  # first max wins: stable
        pool.remove(best)
        chosen.append(best)
        covered |= set(enumerate(best))
    return chosen


def cell_name(cell: Cell, names: dict[str, list[str]]) -> str:
    """The stored corpus name; prefixed so it never collides with the lexicon corpus of the same cell."""
    s, c, e = cell
    return f"synthetic · {names['style'][s]} · {names['complexity'][c]} · {names['era'][e]}"


def _tokens(response: Any) -> tuple[int, int]:
    usage = getattr(response, "usage", None)  # some local servers send none
    return (int(getattr(usage, "prompt_tokens", 0) or 0), int(getattr(usage, "completion_tokens", 0) or 0))


# ---- the generate loop ---------------------------------------------------------------------------------


class _Run:
    """State of one generate call: the client, what is already stored, and this run's counters."""

    def __init__(self, store: Store, cfg: SyntheticConfig, client: Any, endpoint: Endpoint, is_word):
        self.store, self.cfg, self.client, self.endpoint, self.is_word = store, cfg, client, endpoint, is_word
        self.seen = db.all_words(store)
        self.use_schema = True
        self.batch = cfg.batch
        self.requests = self.failed = self.rejected = self.prompt_tokens = self.completion_tokens = 0

    def ask(self, cell: Cell, n: int, have: Sequence[str]) -> Any:
        """One chat completion; openai.BadRequestError once more without the schema if it was refused."""
        import openai

        kwargs: dict[str, Any] = {
            "model": self.cfg.model,
            "messages": build_messages(cell, self.cfg.levels, n, have),
            # Local servers default to a few hundred tokens (mlx_lm.server: 512); a word needs ~40.
            ("max_tokens" if self.endpoint.base_url else "max_completion_tokens"): 60 * n + 400,
        }
        if self.cfg.temperature is not None:
            kwargs["temperature"] = self.cfg.temperature
        if self.use_schema:
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "word_list", "strict": True, "schema": ANSWER_SCHEMA},
            }
        self.requests += 1
        try:
            return self.client.chat.completions.create(**kwargs)
        except openai.BadRequestError as exc:
            if not self.use_schema:
                raise
            # Servers without structured output refuse response_format: the prompt alone asks for JSON.
            log.warning(
                "%s refused the JSON schema (%s); asking without it",
                self.endpoint.url,
                describe_error(exc, self.endpoint.api_key),
            )
            self.use_schema = False
            return self.ask(cell, n, have)

    def fill(self, cell: Cell, name: str, progress: Callable[[], None]) -> str | None:
        """Fill one cell up to per_cell words; None when full, else why it was skipped."""
        import openai

        cfg, fruitless, problem = self.cfg, 0, ""
        have = db.cell_words(self.store, cell)
        while len(have) < cfg.per_cell:
            if fruitless >= cfg.max_fruitless:
                return f"{fruitless} attempts in a row added no word (last: {problem})"
            if fruitless:
                delay = min(cfg.max_backoff_s, cfg.backoff_s * 2 ** (fruitless - 1))
                time.sleep(delay * random.uniform(0.75, 1.0))
            need = cfg.per_cell - len(have)
            ask = min(self.batch, need + max(2, need // 5))  # a little slack: some words get rejected
            try:
                response = self.ask(cell, ask, have)
            except (openai.APITimeoutError, openai.RateLimitError, openai.InternalServerError) as exc:
                fruitless, problem = fruitless + 1, describe_error(exc, self.endpoint.api_key)
                log.warning("%s: request failed after the client's retries: %s", name, problem)
                continue
            except openai.APIConnectionError as exc:
                why = describe_error(exc, self.endpoint.api_key)
                raise WotdError(
                    f"cannot reach {self.endpoint.url} ({why}): is the server running? "
                    "Words so far are saved; run the same command again to resume"
                ) from None
            except openai.APIStatusError as exc:
                if exc.status_code in (408, 409) or exc.status_code >= 500:
                    fruitless, problem = fruitless + 1, describe_error(exc, self.endpoint.api_key)
                    log.warning("%s: request failed after the client's retries: %s", name, problem)
                    continue
                raise fatal_error(exc, self.endpoint, cfg.model) from None
            tokens = _tokens(response)
            self.prompt_tokens += tokens[0]
            self.completion_tokens += tokens[1]
            try:
                items = parse_answer(response)
            except MalformedAnswer as exc:
                db.record_failure(self.store, cell, tokens, cfg.model)
                self.failed += 1
                fruitless, problem = fruitless + 1, str(exc)
                log.warning("%s: unusable answer skipped: %s", name, problem)
                if "cut off" in problem and self.batch > 5:
                    self.batch = max(5, self.batch // 2)  # ask for fewer words so answers fit
                continue
            accepted, rejected = validate_items(items, self.seen, self.is_word, need)
            n_rejected = sum(rejected.values())
            self.rejected += n_rejected
            if rejected:
                log.warning(
                    "%s: rejected %d word(s): %s",
                    name,
                    n_rejected,
                    ", ".join(f"{k} x{v}" for k, v in rejected.items()),
                )
            db.commit_answer(self.store, cell, name, accepted, tokens, cfg.model, n_rejected)
            self.seen.update(w for w, _ in accepted)
            have = have + [w for w, _ in accepted]
            fruitless, problem = (0, "") if accepted else (fruitless + 1, "no new valid word")
            progress()
        return None


def generate_synthetic(
    store: Store,
    cfg: SyntheticConfig,
    client: Any,
    endpoint: Endpoint,
    progress: Progress | None = None,
    is_word: Callable[[str], bool] | None = None,
) -> dict:
    """Fill the chosen cells to cfg.per_cell words through `client` (an openai.OpenAI); resumable.
    Returns a summary with word counts, skipped cells and this run's requests and tokens."""
    progress = progress or (lambda stage, done, total: None)
    levels = validate_levels(cfg.levels)
    if cfg.per_cell < 1 or cfg.batch < 1:
        raise WotdError(f"per_cell and batch must be >= 1, got {cfg.per_cell} and {cfg.batch}")
    db.ensure_schema(store)
    previous = db.stored_levels(store)
    if previous is not None and previous != levels[:3]:
        raise WotdError(
            f"the stored synthetic corpus was generated for levels {','.join(map(str, previous))} (style,"
            f"complexity,era), not {','.join(map(str, levels[:3]))}: use those levels or pass --reset"
        )
    if previous is None:
        db.set_levels(store, levels)
    cells = choose_cells(levels, cfg.n_cells, cfg.seed)
    names = axis_names(levels)
    run = _Run(store, cfg, client, endpoint, is_word or is_english_word)
    total = len(cells) * cfg.per_cell
    counts = {cell: len(db.cell_words(store, cell)) for cell in cells}

    def report() -> None:
        progress("synthetic", sum(min(n, cfg.per_cell) for n in counts.values()), total)

    report()
    skipped: list[dict] = []
    in_a_row = 0  # cells skipped one after another: the server or model is not coping, stop asking
    for cell in cells:
        name = cell_name(cell, names)

        def step(cell: Cell = cell) -> None:
            counts[cell] = len(db.cell_words(store, cell))
            report()

        why = run.fill(cell, name, step)
        counts[cell] = len(db.cell_words(store, cell))
        if why is None:
            in_a_row = 0
            continue
        log.warning(
            "%s: skipped with %d/%d words: %s (a later run retries it)", name, counts[cell], cfg.per_cell, why
        )
        skipped.append({"name": name, "words": counts[cell], "reason": why})
        in_a_row += 1
        if in_a_row >= cfg.max_skipped:
            raise WotdError(
                f"stopped: {in_a_row} cells in a row could not be filled (last: {why}); "
                "words so far are saved, run the same command again to resume"
            )
    return {
        "model": cfg.model,
        "base_url": endpoint.url,
        "levels": list(levels[:3]),
        "cells": len(cells),
        "per_cell": cfg.per_cell,
        "words": sum(min(n, cfg.per_cell) for n in counts.values()),
        "complete_cells": sum(n >= cfg.per_cell for n in counts.values()),
        "skipped": skipped,
        "requests": run.requests,
        "failed_requests": run.failed,
        "rejected_words": run.rejected,
        "tokens": {"prompt": run.prompt_tokens, "completion": run.completion_tokens},
        "structured_output": run.use_schema,
    }


def load_synthetic_corpora(store: Store, levels: Sequence[int] = DEFAULT_LEVELS) -> list[dict]:
    """The stored synthetic corpora in the pipeline's corpus shape (name, style, complexity, era, words as
    (word, definition, split)); WotdError if none was generated or it was for other levels."""
    levels = validate_levels(levels)
    db.ensure_schema(store)
    corpora = [c for c in store.corpora(db.SOURCE) if c["words"]]
    if not corpora:
        raise WotdError(
            "no synthetic corpus yet: run `wotd corpus generate` first (see README, Synthetic corpora)"
        )
    previous = db.stored_levels(store)
    if previous is not None and previous != levels[:3]:
        raise WotdError(
            f"the synthetic corpus was generated for levels {','.join(map(str, previous))} (style,complexity,"
            f"era), not {','.join(map(str, levels[:3]))}: train with those levels or regenerate with --reset"
        )
    return [
        {k: c[k] for k in ("name", "style", "complexity", "era")}
        | {"words": [(w["word"], w["definition"], w["split"]) for w in c["words"]]}
        for c in corpora
    ]
