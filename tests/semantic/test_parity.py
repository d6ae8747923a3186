"""Torch, MLX and numpy (inference only): one weights dict, same outputs; torch and MLX take the same AdamW
step."""

import numpy as np
import pytest

pytest.importorskip("mlx.core")
pytest.importorskip("torch")
pytestmark = pytest.mark.parity
from wotd_mlx.semantic import grid, init_weights  # noqa: E402
from wotd_mlx.semantic import mlx_model as mm  # noqa: E402
from wotd_mlx.semantic import numpy_model as nm  # noqa: E402
from wotd_mlx.semantic import torch_model as tm  # noqa: E402

D, H = 16, 8


@pytest.fixture
def setup(levels):
    w = init_weights(D, H, levels, seed=3)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, D)).astype(np.float32)
    y = np.stack([rng.integers(0, L, 24) for L in levels[:3]], 1)
    return w, x, y


def test_forward_parity(levels, setup):
    import mlx.core as mx
    import torch

    w, x, _ = setup
    t, m = tm.build(w, D, H, levels), mm.build(w, D, H, levels)
    with torch.no_grad():
        tl, tu = t(torch.from_numpy(x))
    ml, mu = m(mx.array(x))
    assert len(tl) == len(ml) == len(levels) - 1
    for a, b in zip(tl, ml, strict=True):
        np.testing.assert_allclose(a.numpy(), np.array(b), atol=1e-4)
    tu, mu = tu.numpy(), np.array(mu)
    np.testing.assert_allclose(tu, mu, atol=1e-4)
    np.testing.assert_array_equal(tm.encode_numpy(t, x), mm.encode_numpy(m, x))
    np.testing.assert_array_equal(nm.encode(w, x, levels), tm.encode_numpy(t, x))
    nl, nu = nm.forward(w, x, levels)
    for a, b in zip(tl, nl, strict=True):
        np.testing.assert_allclose(a.numpy(), b, atol=1e-5)
    np.testing.assert_allclose(tu, nu, atol=1e-5)
    g = grid(levels)
    np.testing.assert_allclose(tm.decode_numpy(t, g), mm.decode_numpy(m, g), atol=1e-4)
    assert set(mm.get_weights(m)) == set(tm.get_weights(t)) == set(w)


def test_train_step_parity(levels, setup):
    w, x, y = setup
    t, m = tm.build(w, D, H, levels), mm.build(w, D, H, levels)
    tt, mt = tm.TorchTrainer(t, 3e-3, 1e-4, 1.0), mm.MlxTrainer(m, 3e-3, 1e-4, 1.0)
    for _ in range(2):
        assert tt.step(x, y) == pytest.approx(mt.step(x, y), abs=1e-4)
    wt, wm = tm.get_weights(t), mm.get_weights(m)
    # Adam normalises each gradient by sqrt(v): a float32 gradient difference of ~1e-7 moves a weight by at
    # most ~lr * 1e-7/|g|, so after two steps weights agree far below lr (3e-3); 1e-4 leaves margin for
    # tiny gradients, where Adam's update is most sensitive to rounding.
    for k in wt:
        np.testing.assert_allclose(wt[k], wm[k], atol=1e-4, err_msg=k)
        assert not np.allclose(wt[k], w[k])  # the step did move every parameter
