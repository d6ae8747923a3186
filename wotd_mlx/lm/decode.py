"""Decoding loops shared by both backends: trie-constrained lines (real, distinct words) and free text
(to measure how well a model keeps the format on its own). A backend supplies only a `Stepper`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .data import Tokens
from .trie import WordTrie


class Stepper(Protocol):
    """Incremental next-token logits over a KV cache."""

    def start(self, ids: list[int]) -> np.ndarray:
        """Reset, feed the prompt, return the logits for the next token."""

    def step(self, token: int) -> np.ndarray:
        """Feed one token, return the logits for the next one."""


@dataclass
class Line:
    word: str
    definition: str


class _Chooser:
    """Greedy (temperature 0) or sampled choice among a set of tokens."""

    def __init__(self, temperature: float, seed: int):
        self.temperature, self.rng = temperature, np.random.default_rng(seed)

    def __call__(self, logits: np.ndarray, allowed: np.ndarray | None = None) -> int:
        scores = logits.astype(np.float64) if allowed is None else logits[allowed].astype(np.float64)
        scores = scores / self.temperature if self.temperature > 0 else scores
        scores -= scores.max()
        logp = scores - np.log(np.exp(scores).sum())
        j = int(np.argmax(logp)) if self.temperature <= 0 else int(self.rng.choice(len(logp), p=np.exp(logp)))
        return j if allowed is None else int(allowed[j])


def constrained_lines(
    stepper: Stepper,
    toks: Tokens,
    trie: WordTrie,
    prompt: str,
    n: int,
    max_definition_tokens: int = 24,
    temperature: float = 0.0,
    seed: int = 0,
    only: Iterable[int] | None = None,
) -> list[Line]:
    """n lines "word: definition" whose words are distinct trie (lexicon) words, restricted to the word
    indices in `only` when given; the definitions are free text from the model, cut at
    `max_definition_tokens`."""
    choose = _Chooser(temperature, seed)
    banned = np.array(sorted({t for t in (toks.eos, toks.pad, *toks.bos) if t is not None}), dtype=np.int64)
    cursor = trie.cursor(only)
    logits = stepper.start(toks.prompt(prompt))
    lines: list[Line] = []
    while len(lines) < n and not cursor.exhausted():
        path: list[int] = []
        while True:  # the word: walk the trie until the model picks the separator at a word's end
            allowed = cursor.allowed() + ([toks.sep[0]] if cursor.can_end() else [])
            tok = choose(logits, np.asarray(allowed, dtype=np.int64))
            if tok == toks.sep[0] and cursor.can_end():
                break
            cursor.advance(tok)
            path.append(tok)
            logits = stepper.step(tok)
        word = trie.words[cursor.finish(path)]
        for t in toks.sep:
            logits = stepper.step(t)
        definition: list[int] = []
        while True:  # the definition: free text up to a newline (never empty, never EOS)
            masked = logits.copy()
            masked[banned] = -np.inf
            if not definition:
                masked[toks.newline] = -np.inf
            tok = toks.newline if len(definition) >= max_definition_tokens else choose(masked)
            if tok == toks.newline and len(lines) == n - 1:
                break  # the last line needs no further logits
            logits = stepper.step(tok)
            if tok == toks.newline:
                break
            definition.append(tok)
        # a cut-off multi-byte character decodes to U+FFFD; drop it rather than show it
        text = toks.tokenizer.decode(definition, skip_special_tokens=True).replace("\ufffd", "").strip()
        lines.append(Line(word, text))
    return lines


def free_text(stepper: Stepper, toks: Tokens, prompt: str, n_lines: int, max_tokens: int = 256) -> str:
    """Greedy unconstrained completion of up to `n_lines` lines (for format-adherence measurements)."""
    logits = stepper.start(toks.prompt(prompt))
    out: list[int] = []
    newlines = 0
    while len(out) < max_tokens:
        tok = int(np.argmax(logits))
        if tok == toks.eos:
            break
        out.append(tok)
        newlines += tok == toks.newline
        if newlines >= n_lines:
            break
        logits = stepper.step(tok)
    return toks.tokenizer.decode(out, skip_special_tokens=True)
