"""Training examples, token layout and batches: the loss sees exactly the completion tokens."""

import numpy as np
import pytest

from wotd_mlx.corpus import axis_names
from wotd_mlx.errors import WotdError
from wotd_mlx.lm.data import Tokens, batch_schedule, build_examples, make_batch
from wotd_mlx.lm.dsl import PromptFormat

NAMES = axis_names((8, 8, 8, 5))
WORDS = ["abate", "abbey", "cat", "catalog", "dog", "doge", "zeal", "zealot"]
DEFS = [f"Meaning number {i}; more text" for i in range(len(WORDS))]
CODES = np.array([[0, 0, 0, 0]] * 4 + [[1, 2, 3, 4]] * 3 + [[5, 5, 5, 0]])


def test_examples_use_only_words_of_their_id():
    ex = build_examples(WORDS, DEFS, CODES, NAMES, PromptFormat(), 50, 3, seed=1)
    assert len(ex) == 50
    by_id = {
        tuple(c): {w for w, cc in zip(WORDS, CODES, strict=True) if tuple(cc) == tuple(c)} for c in CODES
    }
    for e in ex:
        assert e.prompt.startswith("<wotd> id=" + ",".join(map(str, e.semantic_id)))
        assert {w for w, _ in e.lines} <= by_id[e.semantic_id]
        assert len({w for w, _ in e.lines}) == len(e.lines) <= 3
        assert all(d == f"Meaning number {WORDS.index(w)}" for w, d in e.lines)
    assert {e.semantic_id for e in ex} == set(by_id)  # every occupied ID is drawn


def test_example_tokens_and_prompt_mask(tiny_lm_dir):
    from transformers import AutoTokenizer

    toks = Tokens(AutoTokenizer.from_pretrained(str(tiny_lm_dir)))
    (ex,) = build_examples(WORDS, DEFS, CODES, NAMES, PromptFormat(), 1, 2)
    ids, prompt_len = toks.example(ex)
    assert ids[0] == toks.tokenizer.bos_token_id
    text = toks.tokenizer.decode(ids, skip_special_tokens=True)
    assert text == ex.prompt + "".join(f"{w}: {d}\n" for w, d in ex.lines)
    assert toks.tokenizer.decode(ids[prompt_len:]) == "".join(f"{w}: {d}\n" for w, d in ex.lines)


def test_batch_targets_are_the_next_completion_tokens():
    seqs = [([1, 2, 3, 4, 5], 2), ([6, 7, 8], 1)]
    b = make_batch(seqs, pad=0)
    assert b.inputs.tolist() == [[1, 2, 3, 4], [6, 7, 0, 0]]
    flat = b.inputs.reshape(-1)
    # targets follow the prompt: tokens 3,4,5 of the first sequence, 7,8 of the second
    assert b.targets.tolist() == [3, 4, 5, 7, 8]
    assert flat[b.positions].tolist() == [2, 3, 4, 6, 7]
    assert b.n_tokens == 8


def test_schedule_is_deterministic_and_covers_every_example_each_epoch():
    s = batch_schedule(20, 4, 12, seed=3)
    assert s == batch_schedule(20, 4, 12, seed=3) and len(s) == 12
    first_epoch = sorted(i for batch in s[:5] for i in batch)
    assert first_epoch == list(range(20))
    with pytest.raises(WotdError, match="at least batch_size"):
        batch_schedule(3, 4, 1, seed=0)
