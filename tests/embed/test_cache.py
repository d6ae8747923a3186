import numpy as np
import pytest

from wotd_mlx.embed import Embedder, embed_cached
from wotd_mlx.embed import cache as cache_mod
from wotd_mlx.store.db import Store


class CountingEmbedder(Embedder):
    """Deterministic fake vectors; records every text that reached the 'model'."""

    model_id = "fake-model"
    dim = 8
    backend = "fake"

    def __init__(self, fail_after: int | None = None):
        self.seen: list[str] = []
        self.fail_after = fail_after

    def _embed_batch(self, texts):
        if self.fail_after is not None and len(self.seen) >= self.fail_after:
            raise KeyboardInterrupt
        self.seen += texts
        rng = [np.random.default_rng(abs(hash(t)) % 2**32) for t in texts]
        return np.stack([r.normal(size=self.dim) for r in rng]).astype(np.float32)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.db") as s:
        yield s


def test_second_call_reads_cache(store):
    emb = CountingEmbedder()
    texts = ["b", "a", "b", "c"]  # a duplicate: embedded once
    first = embed_cached(emb, texts, store)
    assert sorted(emb.seen) == ["a", "b", "c"]
    assert store.embedding_count("fake-model") == 3
    np.testing.assert_array_equal(first[0], first[2])
    emb.seen.clear()
    second = embed_cached(emb, texts, store)
    assert emb.seen == []  # no model call at all
    np.testing.assert_array_equal(first, second)


def test_partial_cache_embeds_only_misses(store):
    emb = CountingEmbedder()
    embed_cached(emb, ["a", "b"], store)
    emb.seen.clear()
    got = embed_cached(emb, ["c", "a", "d", "b"], store)
    assert sorted(emb.seen) == ["c", "d"]
    np.testing.assert_array_equal(got, emb.embed(["c", "a", "d", "b"]))
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-6)


def test_empty_input(store):
    assert embed_cached(CountingEmbedder(), [], store).shape == (0, 8)


def test_interrupted_run_keeps_finished_chunks(store, monkeypatch):
    monkeypatch.setattr(cache_mod, "WRITE_CHUNK", 4)
    texts = [f"w{i}" for i in range(10)]
    with pytest.raises(KeyboardInterrupt):
        embed_cached(CountingEmbedder(fail_after=8), texts, store, batch_size=2)
    assert store.embedding_count("fake-model") == 8  # two whole chunks written before the interrupt
    emb = CountingEmbedder()
    progress = []
    embed_cached(emb, texts, store, progress=lambda d, t: progress.append((d, t)))
    assert sorted(emb.seen) == ["w8", "w9"]
    assert progress[-1] == (2, 2)


def test_real_model_cache_roundtrip(store, torch_embedder):
    texts = ["cat", "entomologist: one who studies insects.", "cat"]
    first = embed_cached(torch_embedder, texts, store)
    assert store.embedding_count(torch_embedder.model_id) == 2
    np.testing.assert_allclose(first, torch_embedder.embed(texts), atol=1e-6)
    np.testing.assert_array_equal(embed_cached(torch_embedder, texts, store), first)
