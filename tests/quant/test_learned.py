"""Learned binary codes: MLX and torch agree (forward, loss, AdamW steps, a short training run), and
training improves on the PCA code it starts from."""

import numpy as np
import pytest
from backends import TEST_BACKEND

from wotd_mlx.errors import WotdError
from wotd_mlx.quant.learned import (
    LearnedBinary,
    LearnedConfig,
    beta_at,
    exact_neighbours,
    forward_numpy,
    init_weights,
    train_codes,
)
from wotd_mlx.quant.matryoshka import MatryoshkaBinary

D, BITS = 16, 8


@pytest.fixture
def tiny():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(48, D)).astype(np.float32) + 0.3
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    q = (x[:12] + 0.2 * rng.normal(size=(12, D))).astype(np.float32)
    return x, q


def trainers(cfg, x, perturb=True):
    pytest.importorskip("mlx.core")
    pytest.importorskip("torch")
    from wotd_mlx.quant.learned_mlx import MlxCodeTrainer
    from wotd_mlx.quant.learned_torch import TorchCodeTrainer

    mean, w = init_weights(x, cfg)
    if perturb and cfg.hidden:  # a non-zero MLP output layer, so the branch is exercised
        w["mlp_out.weight"] = (
            np.random.default_rng(1).normal(size=w["mlp_out.weight"].shape).astype(np.float32)
        )
    return mean, w, TorchCodeTrainer(w, mean, cfg), MlxCodeTrainer(w, mean, cfg)


@pytest.mark.parity
@pytest.mark.parametrize("relax", ["tanh", "ste"])
@pytest.mark.parametrize("hidden", [0, 8])
def test_forward_loss_and_adamw_steps_agree(tiny, relax, hidden):
    x, q = tiny
    cfg = LearnedConfig(bits=BITS, hidden=hidden, relax=relax, lr=1e-2)
    mean, w, t, m = trainers(cfg, x)
    np.testing.assert_allclose(t.forward(x), m.forward(x), atol=1e-5)
    np.testing.assert_allclose(t.forward(x), forward_numpy(w, mean, x), atol=1e-5)
    assert t.loss(x, 2.0, q, x[:12]) == pytest.approx(m.loss(x, 2.0, q, x[:12]), abs=1e-4)
    for beta in (1.0, 3.0):
        assert t.step(x, beta, q, x[:12]) == pytest.approx(m.step(x, beta, q, x[:12]), abs=1e-4)
    wt, wm = t.weights(), m.weights()
    assert set(wt) == set(wm) == set(w)
    for k in wt:
        np.testing.assert_allclose(wt[k], wm[k], atol=1e-4, err_msg=k)
        assert not np.allclose(wt[k], w[k])  # every parameter moved


def numpy_neighbours(x: np.ndarray, k: int) -> np.ndarray:
    """Exact top-k cosine neighbours, self excluded: what faiss' flat search gives, for a process with torch
    (torch and faiss must not share a process on macOS)."""
    scores = x @ x.T
    np.fill_diagonal(scores, -np.inf)
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


@pytest.mark.parity
def test_short_training_runs_agree_across_backends(tiny, monkeypatch):
    pytest.importorskip("mlx.core")
    pytest.importorskip("torch")
    import wotd_mlx.quant.learned as learned

    monkeypatch.setattr(learned, "_search_neighbours", numpy_neighbours)
    x, q = tiny
    cfg = LearnedConfig(bits=BITS, epochs=2, batch_size=16, neighbours=3, lr=5e-3)
    mt, wt, ht = train_codes(x, cfg, "torch", q, np.arange(12))
    mm, wm, hm = train_codes(x, cfg, "mlx", q, np.arange(12))
    np.testing.assert_allclose(mt, mm)
    np.testing.assert_allclose(ht, hm, atol=1e-4)
    for k in wt:
        np.testing.assert_allclose(wt[k], wm[k], atol=1e-4, err_msg=k)


def test_training_is_deterministic(tiny):
    x, _ = tiny
    cfg = LearnedConfig(bits=BITS, epochs=2, batch_size=16, neighbours=3)
    a = train_codes(x, cfg, TEST_BACKEND)[1]
    b = train_codes(x, cfg, TEST_BACKEND)[1]
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])


def test_init_is_the_balanced_pca_code(random_vectors):
    cfg = LearnedConfig(bits=12)
    mean, w = init_weights(random_vectors, cfg)
    h = forward_numpy(w, mean, random_vectors)
    pca_bits = MatryoshkaBinary(12).fit(random_vectors).bits_of(random_vectors)
    np.testing.assert_array_equal(h > 0, pca_bits)  # same components and median thresholds


def test_learning_improves_neighbour_recall_over_pca(minilm_words, recall):
    _, x = minilm_words
    pca = MatryoshkaBinary(32).fit(x)
    learned = LearnedBinary(32, backend=TEST_BACKEND, epochs=30, batch_size=64).fit(x)
    got = {m.name: recall(x, m.similarity(m.encode(x), m.encode(x))) for m in (pca, learned)}
    assert got["learned"] > got["matryoshka"] + 0.02, got


def test_supervised_fit_needs_matching_pairs(tiny):
    x, q = tiny
    with pytest.raises(WotdError, match="pair"):
        LearnedBinary(BITS, backend=TEST_BACKEND).fit(x, queries=q, targets=np.arange(5))
    model = LearnedBinary(BITS, backend=TEST_BACKEND, epochs=1, batch_size=16).fit(x, q, np.arange(12))
    assert model.supervised and model.encode(x).shape == (len(x), 1)


def test_config_and_helpers_validate():
    with pytest.raises(WotdError, match="relaxation"):
        LearnedBinary(8, relax="round")
    assert beta_at(0, 10, 30.0) == 1.0 and beta_at(9, 10, 30.0) == pytest.approx(30.0)
    x = np.eye(4, dtype=np.float32) + 0.1
    nb = exact_neighbours(x / np.linalg.norm(x, axis=1, keepdims=True), 2)
    assert nb.shape == (4, 2) and all(i not in row for i, row in enumerate(nb))
