"""The MLX fine-tune against the reference: the packaged MiniLM, one batch (4 anchors, 4 positives, 4 hard
negatives), the same MultipleNegativesRankingLoss and, after one clipped AdamW step, the same weights.

The torch side is plain torch + sentence-transformers' own MultipleNegativesRankingLoss on a
SentenceTransformer, frozen by finetune_torch.freeze_below, stepped with torch.optim.AdamW as transformers'
Trainer builds it (weight decay 0) and its gradient clipping (max norm 1). Both sides run with dropout off
(eval): dropout masks come from different generators. This file imports nothing that loads faiss (torch and
faiss-cpu abort when loaded together on macOS): finetune.py would, through the search package.
"""

import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("sentence_transformers")
pytest.importorskip("mlx.core")
pytest.importorskip("mlx_embeddings")
pytestmark = pytest.mark.parity

from wotd_mlx.embed import finetune_mlx as fm  # noqa: E402
from wotd_mlx.embed.finetune_common import MAX_GRAD_NORM, FinetuneConfig  # noqa: E402
from wotd_mlx.embed.finetune_torch import freeze_below  # noqa: E402

COLS = {
    "anchor": ["a person who studies insects", "a young cat", "fear of heights", "a sweet yellow fruit"],
    "positive": [
        "entomologist: one who studies insects.",
        "kitten: a young cat.",
        "acrophobia: a morbid dread of high places.",
        "banana: the elongated fruit of a tropical plant.",
    ],
    "negative": [
        "ornithologist: one who studies birds.",
        "puppy: a young dog.",
        "cliff: a steep rock face.",
        "lemon: an acid yellow fruit.",
    ],
}
LR = 1e-3  # far above the default so that one step moves every trainable weight by about lr
TRAIN_LAYERS = 1
LOSS_RTOL = 1e-4
GRAD_RTOL = 1e-4  # of the layer's largest gradient: float32 sums in another order
# Adam's first step is lr * g / (|g| + eps) after bias correction, about lr * sign(g): where |g| is within a
# few orders of eps (1e-8) the rounding of g decides the step. Measured on this batch: 7 to 22 elements of
# each 147k-590k weight matrix differ by 1e-5 to 1.1e-4, every other element by under 1e-6.
WEIGHT_ATOL, WEIGHT_MAX_ATOL, WEIGHT_MAX_OFF = 1e-6, 0.2 * LR, 1e-3  # at most 0.1% of elements past 1e-6
# The key bias adds q.b_k to every score of a query, which softmax ignores: its exact gradient is 0 and
# both frameworks step it by rounding noise amplified by Adam. It is compared by size only.
NOISE_ONLY = "encoder.layer.5.attention.self.key.bias"
TRAINED, FROZEN = "encoder.layer.5.", ("embeddings.", "encoder.layer.0.", "encoder.layer.4.")


def _torch_step(minilm_dir, max_length: int) -> tuple[float, dict, dict, dict]:
    """Loss, gradients and weights (before, after) of one reference step."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    model = SentenceTransformer(str(minilm_dir), device="cpu")
    model.max_seq_length = max_length
    freeze_below(model, TRAIN_LAYERS)
    model.eval()
    bert = model[0].auto_model
    before = {k: v.detach().numpy().copy() for k, v in bert.state_dict().items()}
    loss_fn = MultipleNegativesRankingLoss(model)  # scale 20, cosine: the trainer's loss
    features = [model.preprocess(COLS[c]) for c in ("anchor", "positive", "negative")]
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(trainable, lr=LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    loss = loss_fn(features, None)
    loss.backward()
    grads = {k: p.grad.numpy().copy() for k, p in bert.named_parameters() if p.grad is not None}
    torch.nn.utils.clip_grad_norm_(trainable, MAX_GRAD_NORM)
    opt.step()
    after = {k: v.detach().numpy().copy() for k, v in bert.state_dict().items()}
    return loss.item(), grads, before, after


def _mlx_step(minilm_dir, max_length: int) -> tuple[float, dict, dict]:
    """Loss, gradients (of finetune_mlx's loss) and weights after one of finetune_mlx's training steps."""
    import mlx.nn as nn
    from mlx.utils import tree_flatten
    from transformers import AutoTokenizer

    model = fm.load_bert(minilm_dir)
    fm.freeze_below(model, TRAIN_LAYERS)
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(str(minilm_dir))
    batch = fm.make_batch(tokenizer, COLS, list(range(4)), max_length)
    _, grads = nn.value_and_grad(model, fm.mnrl_loss)(model, batch)
    loss = fm.make_step(model, fm.adamw(LR))(batch)
    flat = lambda tree: {k: np.array(v) for k, v in tree_flatten(tree)}  # noqa: E731
    return loss, flat(grads), flat(model.parameters())


@pytest.fixture(scope="module")
def steps(minilm_dir):
    max_length = FinetuneConfig().max_length
    return _torch_step(minilm_dir, max_length), _mlx_step(minilm_dir, max_length)


def test_loss_matches_sentence_transformers(steps):
    (t_loss, *_), (m_loss, *_) = steps
    assert t_loss > 0.1  # a real ranking problem, not a saturated one (the negatives are near)
    assert m_loss == pytest.approx(t_loss, rel=LOSS_RTOL)


def test_gradients_match_on_the_trainable_layer_only(steps):
    (_, t_grads, _, _), (_, m_grads, _) = steps
    assert set(t_grads) == set(m_grads) == {k for k in t_grads if k.startswith(TRAINED)}
    assert len(t_grads) == 16  # attention q/k/v/out, the feed-forward pair, two LayerNorms: weight + bias
    scale = max(np.abs(g).max() for g in t_grads.values())
    for k, g in t_grads.items():
        np.testing.assert_allclose(m_grads[k], g, rtol=0, atol=GRAD_RTOL * scale, err_msg=k)
    for g in (t_grads[NOISE_ONLY], m_grads[NOISE_ONLY]):
        assert np.abs(g).max() < 1e-5 * scale  # zero but for rounding, on both sides


def test_one_adamw_step_moves_the_same_weights_the_same_way(steps):
    (_, t_grads, before, t_after), (_, _, m_after) = steps
    assert set(m_after) == set(t_after) - {"embeddings.position_ids"}  # transformers' names on both sides
    for k in t_grads:
        t_step, m_step = t_after[k] - before[k], m_after[k] - before[k]
        if k == NOISE_ONLY:
            assert np.abs(t_step).max() < 0.5 * LR and np.abs(m_step).max() < 0.5 * LR
            continue
        assert np.abs(t_step).max() == pytest.approx(LR, rel=0.01), k  # Adam's first step: about lr
        diff = np.abs(m_after[k] - t_after[k])
        assert diff.max() <= WEIGHT_MAX_ATOL, k
        assert (diff > WEIGHT_ATOL).mean() <= WEIGHT_MAX_OFF, k


def test_frozen_layers_stay_identical(steps):
    (_, _, before, t_after), (_, _, m_after) = steps
    frozen = [k for k in before if k.startswith(FROZEN) and k in m_after]
    assert "embeddings.word_embeddings.weight" in frozen and len(frozen) > 16
    for k in frozen + ["pooler.dense.weight"]:  # the pooler is outside the loss: no gradient, no step
        np.testing.assert_array_equal(t_after[k], before[k], err_msg=k)
        np.testing.assert_array_equal(m_after[k], before[k], err_msg=k)


def test_what_this_file_imports_never_loads_faiss():
    """In a fresh interpreter (this one may hold faiss from other test files of a full run)."""
    imports = "import torch, sentence_transformers, mlx_embeddings, wotd_mlx.embed, " + ", ".join(
        ["wotd_mlx.embed.finetune_mlx", "wotd_mlx.embed.finetune_torch", "wotd_mlx.embed.finetune_common"]
    )
    code = f"import sys; {imports}; assert 'faiss' not in sys.modules, 'faiss was loaded'"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=300)
