"""Words for a semantic ID from the fine-tuned LM: trie-constrained decoding over the lexicon."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import mlx_thread
from ..errors import WotdError
from .adapters import read_adapter
from .data import Tokens
from .decode import Line, Stepper, constrained_lines, free_text
from .dsl import PromptFormat
from .train import backend_module, load_tokenizer
from .trie import WordTrie


def _on(backend: str, fn, *args, **kwargs):
    # An MLX model is loaded and called on the MLX thread whichever thread asks (mlx_thread.py); a generation
    # is one hop there, not one per token.
    return mlx_thread.call(fn, *args, **kwargs) if backend == "mlx" else fn(*args, **kwargs)


@dataclass
class WordGenerator:
    """A base LM (with or without a LoRA adapter) and the lexicon trie it is constrained to."""

    stepper: Stepper
    toks: Tokens
    trie: WordTrie
    fmt: PromptFormat
    names: dict[str, list[str]]
    backend: str = "torch"

    def __post_init__(self):
        self._lock = threading.Lock()  # one KV cache per generator: one generation at a time

    def _run(self, fn, *args, **kwargs):
        return _on(self.backend, fn, *args, **kwargs)

    @classmethod
    def load(
        cls,
        lm_dir: Path,
        backend: str,
        words: Sequence[str],
        names: dict[str, list[str]],
        fmt: PromptFormat,
        adapter_dir: Path | None = None,
    ) -> WordGenerator:
        """Load the model on `backend` (with the adapter in `adapter_dir`, either format); build the trie."""
        adapter, cfg = read_adapter(adapter_dir) if adapter_dir is not None else (None, None)
        tokenizer = load_tokenizer(lm_dir)
        stepper = _on(backend, backend_module(backend).load_for_generation, lm_dir, adapter, cfg)
        toks = Tokens(tokenizer)
        trie = WordTrie(words, lambda ws: tokenizer(list(ws), add_special_tokens=False)["input_ids"])
        return cls(stepper, toks, trie, fmt, names, backend)

    @classmethod
    def for_run(
        cls,
        run_dir: Path,
        backend: str,
        words: Sequence[str],
        names: dict[str, list[str]],
        with_adapter: bool = True,
    ) -> WordGenerator:
        """The LM of a finished run (its `lm/lm.json`); `with_adapter=False` gives the bare base model."""
        info_path = Path(run_dir) / "lm" / "lm.json"
        if not info_path.is_file():
            raise WotdError(
                "this run has no fine-tuned LM (the default `wotd train` leaves it out); use --method "
                "retrieval, or train one with `wotd train --with-lm` (15-20 min on 2 cores)"
            )
        info = json.loads(info_path.read_text())
        lm_dir = Path(info["model_dir"])
        if not lm_dir.is_dir():
            raise WotdError(
                f"the run's base LM is missing ({lm_dir}); run `wotd models prepare` or train again"
            )
        adapter = Path(run_dir) / "lm" / "adapter" if with_adapter else None
        return cls.load(lm_dir, backend, words, names, PromptFormat(**info["format"]), adapter)

    def generate(
        self,
        semantic_id: Sequence[int],
        n: int,
        temperature: float = 0.0,
        seed: int = 0,
        only: Iterable[int] | None = None,
    ) -> list[Line]:
        """n distinct lexicon words with the model's definitions, for the ID; `only` (indices into the
        generator's words) limits the choice to those words."""
        prompt = self.fmt.prompt(semantic_id, self.names)
        with self._lock:
            return self._run(
                constrained_lines,
                self.stepper, self.toks, self.trie, prompt, n, temperature=temperature, seed=seed, only=only,
            )  # fmt: skip

    def define(self, semantic_id: Sequence[int], word: int) -> str:
        """The model's definition of one lexicon word (an index into its words) under the ID's prompt."""
        return self.generate(semantic_id, 1, only=[word])[0].definition

    def free(self, semantic_id: Sequence[int], n: int, max_tokens: int = 256) -> str:
        """Unconstrained greedy completion (to measure format adherence and real-word rate)."""
        with self._lock:
            prompt = self.fmt.prompt(semantic_id, self.names)
            return self._run(free_text, self.stepper, self.toks, prompt, n, max_tokens)
