import numpy as np
import pytest
from backends import TEST_BACKEND

from wotd_mlx.config import EncoderConfig
from wotd_mlx.errors import WotdError
from wotd_mlx.semantic import SemanticEncoder, grid, train_encoder


@pytest.fixture(scope="module")
def trained(make_clustered):
    X, y = make_clustered(3000, 32, seed=0)
    cfg = EncoderConfig(hidden=64, epochs=15, batch_size=128, holdout=0.2)
    return train_encoder(X, y, cfg, TEST_BACKEND), X, y


def test_training_learns_labels(trained):
    (enc, m), _, _ = trained
    acc = m["holdout"]["accuracy"]
    # per-style rounding of the split: about 20% held out
    assert abs(m["holdout"]["n"] - 600) <= 4 and m["holdout"]["n"] + m["n_train"] == 3000
    # Measured with softmax heads after 15 epochs: style 1.0, complexity/era 0.47/0.50 exact and 0.83/0.85
    # within one (chance: 0.125 exact, about 0.34 within one).
    assert acc["style"] > 0.9 and acc["complexity"] > 0.4 and acc["era"] > 0.4, acc
    assert min(m["holdout"]["within_one"].values()) > 0.75
    assert m["holdout"]["within_one"]["era"] >= acc["era"]
    assert m["loss"]["last"] < m["loss"]["first"]
    assert 0 < m["utilisation"]["codebook_used"] <= 1
    assert m["utilisation"]["parts"]["variation"]["used"] > 0.2  # variation is not collapsed to one value
    assert -1 <= m["holdout"]["mean_cosine"] <= 1


def test_codebook_equals_decoder(trained, levels):
    (enc, _), X, _ = trained
    ids = enc.encode(X[:50])
    assert ids.shape == (50, 4) and ids.dtype == np.int64
    assert enc.decode(ids).shape == (50, 32)
    g = grid(levels)
    np.testing.assert_allclose(enc.decode(g), enc.decode_with_model(g), atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(enc.codebook, axis=1), 1.0, atol=1e-5)


@pytest.mark.parity
def test_save_load_roundtrip_both_backends(trained, tmp_path):
    pytest.importorskip("torch")
    (enc, _), X, _ = trained
    enc.save(tmp_path)
    t = SemanticEncoder.load(tmp_path, "torch")
    np.testing.assert_array_equal(t.encode(X), enc.encode(X))
    np.testing.assert_array_equal(t.codebook, enc.codebook)
    pytest.importorskip("mlx.core")
    m = SemanticEncoder.load(tmp_path, "mlx")
    np.testing.assert_array_equal(m.encode(X[:200]), enc.encode(X[:200]))


def test_load_missing_or_corrupt(trained, tmp_path):
    with pytest.raises(WotdError, match="missing"):
        SemanticEncoder.load(tmp_path / "nope", TEST_BACKEND)
    (enc, _), _, _ = trained
    enc.save(tmp_path)
    (tmp_path / "encoder.safetensors").write_bytes(b"garbage")
    with pytest.raises(WotdError, match="corrupt"):
        SemanticEncoder.load(tmp_path, TEST_BACKEND)


def test_input_validation(make_clustered):
    X, y = make_clustered(20, 8)
    cfg = EncoderConfig(epochs=1)
    with pytest.raises(WotdError, match="labels must have shape"):
        train_encoder(X, y[:, :2], cfg, TEST_BACKEND)
    bad = y.copy()
    bad[0, 1] = 8
    with pytest.raises(WotdError, match=r"complexity labels span .*0\.\.7"):
        train_encoder(X, bad, cfg, TEST_BACKEND)
    with pytest.raises(WotdError, match="NaN"):
        train_encoder(np.full_like(X, np.nan), y, cfg, TEST_BACKEND)
    with pytest.raises(WotdError, match="unknown backend"):
        train_encoder(X, y, cfg, "jax")


def test_mlx_trains_tiny(make_clustered):
    pytest.importorskip("mlx.core")
    X, y = make_clustered(64, 16, seed=1)
    cfg = EncoderConfig(hidden=16, epochs=3, batch_size=32, holdout=0.25)
    enc, m = train_encoder(X, y, cfg, "mlx")
    assert enc.backend == "mlx" and m["holdout"]["n"] == 16
    assert m["loss"]["last"] < m["loss"]["first"]
    assert enc.encode(X).shape == (64, 4)


def test_training_is_deterministic(make_clustered):
    X, y = make_clustered(200, 16, seed=2)
    cfg = EncoderConfig(hidden=16, epochs=2, batch_size=64)
    (a, _), (b, _) = train_encoder(X, y, cfg, TEST_BACKEND), train_encoder(X, y, cfg, TEST_BACKEND)
    np.testing.assert_array_equal(a.codebook, b.codebook)


def test_encoding_and_decoding_need_no_framework(trained, tmp_path):
    """A rating, retrieval and today's word encode or decode: a new process must not pay for importing
    torch or MLX (seconds)."""
    import subprocess
    import sys

    (enc, _), X, _ = trained
    enc.save(tmp_path)
    np.save(tmp_path / "x.npy", X[:3])
    code = (
        "import sys, numpy as np\n"
        "from wotd_mlx.semantic import SemanticEncoder\n"
        f"e = SemanticEncoder.load({str(tmp_path)!r}, {TEST_BACKEND!r})\n"
        "e.decode(np.array([[0, 1, 2, 3]]))\n"
        f"print(e.encode(np.load({str(tmp_path / 'x.npy')!r})).tolist())\n"
        "print('torch' in sys.modules or 'mlx.core' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    out = run.stdout.split("\n")
    assert out[0] == str(enc.encode(X[:3]).tolist())
    assert out[1] == "False"


def test_numpy_encode_equals_the_backend_model(trained):
    """`encode` runs in numpy; the trained backend's own network gives the same codes and the same logits."""
    from wotd_mlx.semantic import numpy_model

    (enc, _), X, _ = trained
    mod, model = enc._network()
    np.testing.assert_array_equal(enc.encode(X), mod.encode_numpy(model, X))
    rng = np.random.default_rng(7)
    far = rng.normal(size=(500, X.shape[1])).astype(np.float32) * 3  # off the data, where the GELU bends
    np.testing.assert_array_equal(enc.encode(far), mod.encode_numpy(model, far))
    logits, u = numpy_model.forward(enc.weights, X[:64], enc.levels)
    assert u.shape == (64, 1) and ((u >= 0) & (u <= enc.levels[-1] - 1)).all()
    assert [g.shape[1] for g in logits] == list(enc.levels[:3])


def test_numpy_erf_matches_math_erf():
    import math

    from wotd_mlx.semantic.numpy_model import erf

    x = np.linspace(-6, 6, 2001)
    assert np.abs(erf(x) - np.array([math.erf(v) for v in x])).max() < 2e-7
