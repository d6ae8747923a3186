"""Training data for the LM: DSL examples from the lexicon and the encoder's IDs, tokenized segment by
segment, and one deterministic batch schedule that both backends (and a resumed run) follow."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..config import LMConfig
from ..errors import WotdError
from .dsl import SEPARATOR, PromptFormat, short_definition


@dataclass
class Example:
    """One training prompt and the lines that complete it."""

    semantic_id: tuple[int, ...]
    prompt: str
    lines: list[tuple[str, str]]  # (word, short definition)


def build_examples(
    words: Sequence[str],
    definitions: Sequence[str],
    codes: np.ndarray,
    names: dict[str, list[str]],
    fmt: PromptFormat,
    n_examples: int,
    lines_per_example: int,
    seed: int = 0,
) -> list[Example]:
    """`n_examples` prompts, each an occupied semantic ID with up to `lines_per_example` of its words.

    IDs are drawn with probability proportional to sqrt(population): every ID is seen, the big ones
    more often, and no ID swamps the rest."""
    cells: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for i, code in enumerate(codes):
        if definitions[i].strip():
            cells[tuple(int(x) for x in code)].append(i)
    if not cells:
        raise WotdError("no words with definitions to train the LM on")
    ids = sorted(cells)
    weights = np.sqrt([len(cells[c]) for c in ids])
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(ids), size=n_examples, p=weights / weights.sum())
    examples = []
    for p in picks:
        sid = ids[p]
        members = cells[sid]
        chosen = rng.choice(members, size=min(lines_per_example, len(members)), replace=False)
        lines = [(words[i], short_definition(definitions[i], fmt.definition_words)) for i in chosen]
        examples.append(Example(sid, fmt.prompt(sid, names), lines))
    return examples


def examples_for(
    words: Sequence[str],
    definitions: Sequence[str],
    codes: np.ndarray,
    names: dict[str, list[str]],
    cfg: LMConfig,
) -> list[Example]:
    """The training examples `cfg` asks for, as `wotd train` builds them (benchmarks rebuild them so)."""
    fmt = PromptFormat(cfg.names_in_prompt, cfg.definition_words)
    return build_examples(
        words, definitions, codes, names, fmt, cfg.examples, cfg.lines_per_example, cfg.seed
    )


class Tokens:
    """Token ids of the DSL pieces. Lines are tokenized piecewise (word, separator, " definition",
    newline) both in training and in constrained decoding, so the word tokens the LM learns are exactly
    the ones the decoder's trie walks."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.sep = self.encode(SEPARATOR)
        newline = self.encode("\n")
        if len(newline) != 1:
            raise WotdError(f"the LM's tokenizer must have a single newline token (got {newline})")
        self.newline = newline[0]
        self.bos = [tokenizer.bos_token_id] if tokenizer.bos_token_id is not None else []
        self.eos = tokenizer.eos_token_id
        self.pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (self.eos or 0)

    def encode(self, text: str) -> list[int]:
        return list(self.tokenizer.encode(text, add_special_tokens=False))

    def prompt(self, prompt: str) -> list[int]:
        return self.bos + self.encode(prompt)

    def line(self, word: str, definition: str) -> list[int]:
        return self.encode(word) + self.sep + self.encode(" " + definition) + [self.newline]

    def example(self, ex: Example) -> tuple[list[int], int]:
        """(ids, prompt length): the loss covers only the tokens after the prompt."""
        head = self.prompt(ex.prompt)
        body = [t for w, d in ex.lines for t in self.line(w, d)]
        return head + body, len(head)


def batch_schedule(n_examples: int, batch_size: int, iters: int, seed: int) -> list[list[int]]:
    """Example indices for every step: epochs of fresh permutations, cut into batches. Pure function of
    its arguments, so step k is the same batch on either backend and after a resume."""
    if n_examples < batch_size:
        raise WotdError(f"need at least batch_size={batch_size} examples, got {n_examples}")
    rng = np.random.default_rng(seed)
    per_epoch = n_examples // batch_size
    steps: list[list[int]] = []
    while len(steps) < iters:
        perm = rng.permutation(n_examples)
        steps.extend(perm[i * batch_size : (i + 1) * batch_size].tolist() for i in range(per_epoch))
    return steps[:iters]


@dataclass
class Batch:
    """A padded batch: inputs (B, T) and the flat positions in (B, T) whose next token is a target."""

    inputs: np.ndarray  # int32 (B, T): tokens 0..L-2 of each sequence, padded
    positions: np.ndarray  # int32 (N,): flat indices b * T + t of predicted positions
    targets: np.ndarray  # int32 (N,): the token that follows each position
    n_tokens: int  # real (non-pad) tokens in the batch, for tokens/s


def make_batch(seqs: Sequence[tuple[list[int], int]], pad: int) -> Batch:
    """Pad sequences and list the completion positions (after each prompt) as loss targets."""
    width = max(len(ids) for ids, _ in seqs) - 1
    inputs = np.full((len(seqs), width), pad, dtype=np.int32)
    positions, targets = [], []
    for b, (ids, prompt_len) in enumerate(seqs):
        inputs[b, : len(ids) - 1] = ids[:-1]
        for t in range(prompt_len - 1, len(ids) - 1):
            positions.append(b * width + t)
            targets.append(ids[t + 1])
    return Batch(
        inputs,
        np.asarray(positions, dtype=np.int32),
        np.asarray(targets, dtype=np.int32),
        sum(len(ids) for ids, _ in seqs),
    )
