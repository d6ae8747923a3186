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


# mlx-lm pads its own batches to multiples of 32 for the same reason: a compiled step is traced again for
# every new input shape, so the widths must come from a small set.
LENGTH_BUCKET = 32
# Target slots in multiples of 64 rather than one count for the whole schedule: on the default LMConfig over
# the lexicon, 7 shapes instead of 2 but 7% spare slots instead of 18-20%, and every spare slot runs the
# 262k-token output layer (scripts/bench_lora_shapes.py: 1-5% less CPU work per step, Gemma-3-270M, MLX CPU).
TARGET_BUCKET = 64


@dataclass(frozen=True)
class BatchShape:
    """How batches are padded: widths rounded up to `multiple` (never past `max_width`); target slots
    rounded up to `target_multiple` (never past `max_targets`), or always `max_targets` when
    `target_multiple` is None. The default pads each batch to its own longest sequence and target count."""

    multiple: int = 1
    max_width: int | None = None
    target_multiple: int | None = 1
    max_targets: int | None = None

    def width(self, longest: int) -> int:
        return _round_up(longest, self.multiple, self.max_width)

    def slots(self, n_targets: int) -> int:
        if self.target_multiple is None:
            return n_targets if self.max_targets is None else self.max_targets
        return _round_up(n_targets, self.target_multiple, self.max_targets)


def _round_up(n: int, multiple: int, cap: int | None) -> int:
    m = -(-n // multiple) * multiple
    return m if cap is None else min(m, cap)  # below n when n is past the cap: make_batch refuses it


def fixed_shape(
    seqs: Sequence[tuple[list[int], int]],
    schedule: Sequence[Sequence[int]],
    multiple: int = LENGTH_BUCKET,
    target_multiple: int | None = None,
) -> BatchShape:
    """Widths bucketed to `multiple` and capped at the longest input of `seqs`; target slots bucketed to
    `target_multiple` or, when None, one count for every batch of `schedule` (its largest). A compiled step
    then sees a few shapes. A function of the whole schedule, so a resumed run pads the same way."""
    for name, value in (("length bucket", multiple), ("target bucket", target_multiple)):
        if value is not None and value < 1:
            raise WotdError(f"the {name} must be a positive number of tokens, got {value}")
    if not schedule:
        return BatchShape(multiple)
    targets = [len(ids) - prompt_len for ids, prompt_len in seqs]
    return BatchShape(
        multiple,
        max(len(ids) for ids, _ in seqs) - 1,
        target_multiple,
        max(sum(targets[i] for i in idx) for idx in schedule),
    )


@dataclass
class Batch:
    """A padded batch: inputs (B, T), the flat positions in (B, T) whose next token is a target, and a
    weight per target slot (0 on padding slots, which point at position 0 and target the pad token)."""

    inputs: np.ndarray  # int32 (B, T): tokens 0..L-2 of each sequence, right-padded
    positions: np.ndarray  # int32 (N,): flat indices b * T + t of predicted positions
    targets: np.ndarray  # int32 (N,): the token that follows each position
    weights: np.ndarray  # float32 (N,): 1 for a real target, 0 for a padding slot
    n_tokens: int  # real (non-pad) tokens in the batch, for tokens/s

    @property
    def n_targets(self) -> int:
        """Real targets (the loss averages over these)."""
        return int(self.weights.sum())


def make_batch(seqs: Sequence[tuple[list[int], int]], pad: int, shape: BatchShape | None = None) -> Batch:
    """Pad sequences and list the completion positions (after each prompt) as loss targets.

    Padding goes on the right, so under causal attention no real position sees it: a padded batch has the
    loss of the unpadded one as long as the loss is weighted by `weights`."""
    shape = shape or BatchShape()
    longest = max(len(ids) for ids, _ in seqs) - 1
    width = shape.width(longest)
    if width < longest:
        raise WotdError(f"a sequence of {longest + 1} tokens does not fit the batch width {width}")
    inputs = np.full((len(seqs), width), pad, dtype=np.int32)
    positions, targets = [], []
    for b, (ids, prompt_len) in enumerate(seqs):
        inputs[b, : len(ids) - 1] = ids[:-1]
        for t in range(prompt_len - 1, len(ids) - 1):
            positions.append(b * width + t)
            targets.append(ids[t + 1])
    n = len(targets)
    slots = shape.slots(n)
    if slots < n:
        raise WotdError(f"a batch has {n} targets, more than its {slots} target slots")
    weights = np.zeros(slots, dtype=np.float32)
    weights[:n] = 1.0
    return Batch(
        inputs,
        np.asarray(positions + [0] * (slots - n), dtype=np.int32),
        np.asarray(targets + [pad] * (slots - n), dtype=np.int32),
        weights,
        sum(len(ids) for ids, _ in seqs),
    )
