import numpy as np
import pytest

TEXTS = [
    "entomologist: one who studies insects.",
    "cat",
    "a considerably longer text, so that the batch needs padding for the short ones",
    "banana: a fruit",
]


def test_torch_normalised_and_order_preserving(torch_embedder):
    vecs = torch_embedder.embed(TEXTS, batch_size=2)  # several batches, sorted by length inside
    assert vecs.dtype == np.float32 and vecs.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    for text, vec in zip(TEXTS, vecs, strict=True):  # each row is that text's vector, unpadded
        np.testing.assert_allclose(vec, torch_embedder.embed([text])[0], atol=1e-5)


def test_empty_input(torch_embedder):
    assert torch_embedder.embed([]).shape == (0, 384)


def test_progress_reports_every_batch(torch_embedder):
    seen = []
    torch_embedder.embed(TEXTS * 2, batch_size=3, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(3, 8), (6, 8), (8, 8)]


def test_torch_matches_sentence_transformers(torch_embedder, minilm_dir):
    st = pytest.importorskip("sentence_transformers")
    model = st.SentenceTransformer(str(minilm_dir), device="cpu")
    ref = model.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    assert np.abs(torch_embedder.embed(TEXTS) - ref).max() < 1e-4


def test_mlx_matches_torch(mlx_embedder, torch_embedder):
    # MLX CPU on Linux is ~50x slower than torch: four short texts only.
    assert mlx_embedder.backend == "mlx" and mlx_embedder.model_id == torch_embedder.model_id
    diff = np.abs(mlx_embedder.embed(TEXTS, batch_size=2) - torch_embedder.embed(TEXTS)).max()
    assert diff < 1e-4


def test_definition_brings_meaning(torch_embedder):
    query, good, bad = torch_embedder.embed(
        ["a person who studies insects", "entomologist: one who studies insects", "banana: a fruit"]
    )
    assert query @ good > query @ bad
