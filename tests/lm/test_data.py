"""Training examples, token layout and batches: the loss sees exactly the completion tokens."""

import importlib.util

import numpy as np
import pytest
from tiny_lm import tiny_cfg

from wotd_mlx.corpus import axis_names
from wotd_mlx.errors import WotdError
from wotd_mlx.lm.data import BatchShape, Tokens, batch_schedule, build_examples, fixed_shape, make_batch
from wotd_mlx.lm.dsl import PromptFormat

NAMES = axis_names((8, 8, 8, 5))
# a mark, not importorskip in the body: without torch the tiny-LM fixture itself cannot be built
NEEDS_TORCH = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs torch")
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
    assert b.weights.tolist() == [1, 1, 1, 1, 1] and b.n_targets == 5
    assert b.n_tokens == 8


def test_bucketed_batch_keeps_the_targets_and_masks_the_extra_slots():
    seqs = [([1, 2, 3, 4, 5], 2), ([6, 7, 8], 1)]
    fixed = BatchShape(multiple=8, max_width=6, target_multiple=None, max_targets=7)
    b = make_batch(seqs, pad=0, shape=fixed)
    assert b.inputs.tolist() == [[1, 2, 3, 4, 0, 0], [6, 7, 0, 0, 0, 0]]  # 8 capped at the longest input
    flat = b.inputs.reshape(-1)
    assert flat[b.positions[:5]].tolist() == [2, 3, 4, 6, 7] and b.targets[:5].tolist() == [3, 4, 5, 7, 8]
    assert b.weights.tolist() == [1, 1, 1, 1, 1, 0, 0] and b.n_targets == 5
    assert b.positions[5:].tolist() == [0, 0] and b.n_tokens == 8
    assert make_batch(seqs, 0, BatchShape(multiple=4)).inputs.shape == (2, 4)
    with pytest.raises(WotdError, match="more than its 4 target slots"):
        make_batch(seqs, 0, BatchShape(target_multiple=None, max_targets=4))
    with pytest.raises(WotdError, match="does not fit the batch width 3"):
        make_batch(seqs, 0, BatchShape(max_width=3))


def test_fixed_shape_gives_a_few_shapes_over_a_schedule():
    rng = np.random.default_rng(0)
    lengths, prompts = rng.integers(20, 120, 64), rng.integers(5, 15, 64)
    seqs = [(list(range(int(n))), int(p)) for n, p in zip(lengths, prompts, strict=True)]
    schedule = batch_schedule(len(seqs), 8, 40, seed=0)
    shape = fixed_shape(seqs, schedule, multiple=32)
    assert shape.max_width == max(len(ids) for ids, _ in seqs) - 1
    tight = {make_batch([seqs[i] for i in idx], 0).inputs.shape for idx in schedule}
    batches = [make_batch([seqs[i] for i in idx], 0, shape) for idx in schedule]
    shapes = {(b.inputs.shape, b.positions.shape) for b in batches}
    assert {inputs[1] for inputs, _ in shapes} <= {32, 64, 96, shape.max_width}
    assert len({p for _, p in shapes}) == 1 and len(shapes) <= 4 < len(tight)
    assert max(b.n_targets for b in batches) == shape.max_targets  # the fullest batch has no spare slot
    by64 = [make_batch([seqs[i] for i in idx], 0, fixed_shape(seqs, schedule, 32, 64)) for idx in schedule]
    assert {len(b.weights) for b in by64} <= {64 * k for k in range(1, 20)} | {shape.max_targets}
    assert all(len(b.weights) - 64 < b.n_targets <= len(b.weights) for b in by64)
    with pytest.raises(WotdError, match="length bucket must be a positive"):
        fixed_shape(seqs, schedule, multiple=0)
    with pytest.raises(WotdError, match="target bucket must be a positive"):
        fixed_shape(seqs, schedule, target_multiple=0)


def _random_like(weights: dict) -> dict:
    rng = np.random.default_rng(1)  # B non-zero too, unlike a fresh LoRA, so the adapter matters
    return {k: rng.normal(0, 0.2, v.shape).astype(np.float32) for k, v in weights.items()}


def _value_and_grads(backend, lm_dir):
    """(batch -> (loss, gradients of the LoRA weights)) for a LoRA model with random non-zero weights."""
    cfg = tiny_cfg()
    if backend == "torch":
        from wotd_mlx.lm import torch_lm

        model = torch_lm.add_lora(torch_lm.load_model(lm_dir), cfg)
        torch_lm.set_adapter(model, _random_like(torch_lm.get_adapter(model)))
        trainer = torch_lm.TorchLoRA(model, cfg)

        def run(batch):
            trainer.opt.zero_grad(set_to_none=True)
            loss = trainer.loss(batch)
            loss.backward()
            return loss.item(), [p.grad.numpy().copy() for p in trainer.params]

        return run
    pytest.importorskip("mlx.core")
    import mlx.nn as nn
    from mlx.utils import tree_flatten

    from wotd_mlx.lm import mlx_lm_backend as mb

    model = mb.add_lora(mb.load_model(lm_dir), cfg)
    mb.set_adapter(model, _random_like(mb.get_adapter(model)))
    value_and_grad = nn.value_and_grad(model, mb.sliced_loss)

    def run(batch):
        (loss, _), grads = value_and_grad(model, *mb.batch_arrays(batch))
        return loss.item(), [np.array(g) for _, g in tree_flatten(grads)]

    return run


@pytest.mark.parametrize(
    "backend", [pytest.param("torch", marks=NEEDS_TORCH), pytest.param("mlx", marks=pytest.mark.mlx)]
)
def test_padding_and_masking_leave_loss_and_gradients_unchanged(backend, tiny_lm_dir, toks, examples):
    """A bucketed batch with spare target slots has the loss and gradients of the unpadded batch."""
    seqs = [toks.example(e) for e in examples]
    schedule = batch_schedule(len(seqs), 4, 8, seed=0)
    shape = fixed_shape(seqs, schedule, multiple=32)
    idx = min(schedule, key=lambda ix: sum(len(seqs[i][0]) - seqs[i][1] for i in ix))  # most spare slots
    tight = make_batch([seqs[i] for i in idx], toks.pad)  # the batch as it was: padded to itself only
    padded = make_batch([seqs[i] for i in idx], toks.pad, shape)
    assert tight.inputs.shape[1] == max(len(seqs[i][0]) for i in idx) - 1 and tight.weights.all()
    assert padded.inputs.shape[1] > tight.inputs.shape[1] and len(padded.weights) > padded.n_targets
    run = _value_and_grads(backend, tiny_lm_dir)
    (loss_t, grads_t), (loss_p, grads_p) = run(tight), run(padded)
    assert loss_p == pytest.approx(loss_t, rel=1e-5)
    assert len(grads_t) == len(grads_p) == 14
    for gt, gp in zip(grads_t, grads_p, strict=True):
        np.testing.assert_allclose(gp, gt, rtol=1e-4, atol=1e-6)


def test_schedule_is_deterministic_and_covers_every_example_each_epoch():
    s = batch_schedule(20, 4, 12, seed=3)
    assert s == batch_schedule(20, 4, 12, seed=3) and len(s) == 12
    first_epoch = sorted(i for batch in s[:5] for i in batch)
    assert first_epoch == list(range(20))
    with pytest.raises(WotdError, match="at least batch_size"):
        batch_schedule(3, 4, 1, seed=0)
