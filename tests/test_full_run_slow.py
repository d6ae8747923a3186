"""The default `wotd train` on the whole lexicon with the real MiniLM (what `make run` does), plus the
optional LM stage on the real Gemma-3-270M (torch): 10 LoRA steps (`--lm-iters` turns it on).

Slow (about 12 minutes on 2 cores: embedding 37k words and 44k other senses, preparing Gemma from its wheel,
10 LoRA steps), so it is not part of `make test` (which stays under 10 minutes) but of
`make test-slow`; CI runs both (.ci/run). Quality floors sit well below the measured values in BENCHMARKS.md
and well above the trivial baselines, so a real regression fails.
"""

import csv
import os
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

from wotd_mlx.cli import main
from wotd_mlx.config import DEFAULT_EMBEDDER
from wotd_mlx.search.evalsets import load_descriptions
from wotd_mlx.session import Wotd
from wotd_mlx.store import Store

pytestmark = pytest.mark.slow
QUERIES = Path(__file__).parents[1] / "scripts" / "data" / "meaning_queries.tsv"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    torch = pytest.importorskip("torch")
    home = tmp_path_factory.mktemp("full")
    mp = pytest.MonkeyPatch()
    mp.setenv("WOTD_HOME", str(home))
    # `make test-slow` runs it alone in one process, so it may use every core (measured: beside `make test`'s
    # other worker it took 13.7 min, alone 8.5 min).
    threads = torch.get_num_threads()
    torch.set_num_threads(os.cpu_count() or 1)
    assert main(["train", "--backend", "torch", "--lm-iters", "10", "--json"]) == 0
    store = Store(home / "wotd.db")
    yield Wotd.open(store, "torch")
    store.close()
    torch.set_num_threads(threads)
    mp.undo()


def test_default_run_metrics(trained):
    m = trained.run.metrics
    assert m["lexicon_words"] > 30000
    counts = m["label_counts"]
    assert all(min(v) >= 300 for v in counts.values()), counts  # every level of every axis can be learned
    held = m["encoder"]["holdout"]
    majority = {axis: max(v) / sum(v) for axis, v in counts.items()}
    assert held["accuracy"]["style"] > majority["style"]
    assert held["accuracy"]["era"] > majority["era"]
    assert held["accuracy"]["complexity"] > 2 / 8  # twice chance on 8 balanced levels
    assert m["encoder"]["utilisation"]["parts"]["variation"]["used"] == 1.0
    assert held["mean_cosine"] > 0.3
    assert m["embedder_finetune"]["steps"] == 64 and m["search_embedder"] == m["embedder_finetune"]["path"]
    assert m["search_senses"] > 30000
    assert trained.embedder.model_id == DEFAULT_EMBEDDER  # the index and IDs stay in the base model's space


def test_search_by_meaning_finds_the_word(trained):
    top = [r["word"] for r in trained.search("a person who studies insects", 5)]
    assert "entomologist" in top
    with QUERIES.open() as f:
        rows = [(r["query"], r["word"]) for r in csv.DictReader(f, delimiter="\t")]
    pairs = [(q, w) for q, w in rows if w in trained.index.position]
    assert len(pairs) >= 30
    hits = sum(w in {r["word"] for r in trained.search(q, 10)} for q, w in pairs)
    assert hits / len(pairs) >= 0.5  # measured 0.70 (scripts/eval_encoder.py)


def test_search_finds_described_words(trained):
    """The hand-written descriptions of `wotd bench search` (never trained or tuned on): measured 0.741 top-10
    for the fine-tuned model over every sense (BENCHMARKS.md); the floor is the issue's target, above the base
    model over every sense (0.673)."""
    rows = load_descriptions()
    hits = sum(w in {r["word"] for r in trained.search(q, 10)} for q, w in rows)
    assert hits / len(rows) >= 0.70


def test_generate_returns_words_of_the_requested_cell(trained):
    rows = trained.generate((2, 4, 5, 1), 10, method="retrieval")
    assert len(rows) == 10 and len({r["word"] for r in rows}) == 10
    assert sum(r["semantic_id"][:3] == [2, 4, 5] for r in rows) >= 5


def test_real_lm_trains_and_writes_lexicon_words(trained):
    """A few LoRA steps on the real Gemma-3-270M train every adapted layer, and constrained generation
    returns distinct lexicon words with definitions written by the model."""
    lm = trained.run.metrics["lm"]
    # Ten steps are warm-up: the two 5-step windows' losses differ by batch noise (measured 3.758 -> 3.772 on
    # one run, 3.81 -> 3.67 on another), so "the loss fell" is not asserted here; tests/lm/test_backends.py
    # checks that training lowers the loss, deterministically, on the tiny model. Here: every LoRA B matrix
    # (zero at initialisation) moved, so gradients reached all adapted layers of the real model.
    assert lm["steps"] == 10 and 0 < lm["final_loss"] < 10 and 0 < lm["first_loss"] < 10
    adapter = load_file(str(next((Path(trained.run.path) / "lm" / "adapter").glob("*.safetensors"))))
    moved = [float(np.abs(v).max()) for k, v in adapter.items() if "lora_B" in k]
    assert moved and min(moved) > 0
    assert 0 < lm["peak_memory_mb"] < 8 * 1024
    rows = trained.generate((2, 1, 3, 0), 5, method="lm")
    assert [r["method"] for r in rows] == ["lm"] * 5
    assert len({r["word"] for r in rows}) == 5
    assert all(r["word"] in trained.index.position and r["definition"] for r in rows)
