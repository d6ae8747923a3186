"""Each MLX model the app serves (the embedder, the semantic encoder, the LM generator), loaded on one thread
and called on others, as Gradio's worker threads and the app's training thread do: loaded on the main thread
and called from a `threading.Thread` and from a `concurrent.futures` pool, then loaded in one short-lived
worker and called from another. Every call gives the main thread's answer, and the process exits cleanly:
since mlx 0.31.2 a thread that built an MLX model and ended without freeing its streams made the process
abort at exit ("terminate called without an active exception"), which is why the models run on the MLX
thread (wotd_mlx/mlx_thread.py).

Each case runs in a child process (this file run as a script) so that its exit status can be checked."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

# Short-lived threads that each load the model: before the fix, 16 such threads building the encoder made
# the exit abort in most runs.
LOADS = {"embedder": 3, "encoder": 16, "generator": 8}
ID = (2, 1, 3, 0)


def _load_embedder():
    from wotd_mlx.config import EmbedConfig
    from wotd_mlx.embed import load_embedder

    return load_embedder(EmbedConfig(), "mlx")


def _use_embedder(model) -> list:
    return np.round(model.embed(["a cat", "the open sea"]), 5).tolist()


ENC_LEVELS, ENC_DIM, ENC_HIDDEN = (8, 8, 8, 5), 24, 16
ENC_X = np.random.default_rng(0).standard_normal((5, ENC_DIM)).astype(np.float32)


def _load_encoder():
    from wotd_mlx.semantic import SemanticEncoder
    from wotd_mlx.semantic.params import init_weights

    weights = init_weights(ENC_DIM, ENC_HIDDEN, ENC_LEVELS, seed=3)
    codebook = np.zeros((int(np.prod(ENC_LEVELS)), ENC_DIM), np.float32)  # encode does not read it
    encoder = SemanticEncoder(ENC_LEVELS, ENC_DIM, ENC_HIDDEN, weights, codebook, "mlx")
    encoder.encode(ENC_X[:1])  # builds its MLX network (lazily, on first use)
    return encoder


def _use_encoder(model) -> list:
    return model.encode(ENC_X).tolist()


def _make_adapter(lm_dir: str, adapter_dir: str) -> None:
    """A LoRA adapter for the tiny LM (its random start), in mlx-lm's files, as a trained run has one."""
    from tiny_lm import tiny_cfg  # tests/ is sys.path[0] of the child

    from wotd_mlx.lm import mlx_lm_backend as mlb
    from wotd_mlx.lm.adapters import save_mlx_adapter

    model = mlb.add_lora(mlb.load_model(Path(lm_dir)), tiny_cfg())
    save_mlx_adapter(Path(adapter_dir), mlb.get_adapter(model), tiny_cfg())


def _load_generator(lm_dir: str, adapter_dir: str):
    from tiny_lm import NAMES, WORDS

    from wotd_mlx.lm.dsl import PromptFormat
    from wotd_mlx.lm.generate import WordGenerator

    return WordGenerator.load(Path(lm_dir), "mlx", WORDS, NAMES, PromptFormat(), Path(adapter_dir))


def _use_generator(model) -> list:
    return [[line.word, line.definition] for line in model.generate(ID, 3)]


def _in_thread(fn, *args):
    out: dict = {}

    def work():
        try:
            out["value"] = fn(*args)
        except Exception as exc:  # reported to the parent as the case's result
            out["value"] = f"{type(exc).__name__}: {exc}"

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return out["value"]


def child(kind: str, *args: str) -> dict:
    """Every cross-thread case for one model; each result should equal the main thread's."""
    load = {"embedder": _load_embedder, "encoder": _load_encoder, "generator": _load_generator}[kind]
    use = {"embedder": _use_embedder, "encoder": _use_encoder, "generator": _use_generator}[kind]
    if kind == "generator":
        _make_adapter(*args)
    model = load(*args)
    results = {"main": use(model), "thread": _in_thread(use, model)}
    with ThreadPoolExecutor(2) as pool:
        results["pool"] = [f.result() for f in [pool.submit(use, model) for _ in range(2)]]
    loaded = [_in_thread(load, *args) for _ in range(LOADS[kind])]  # each in its own thread, which then ends
    results["loaded_in_a_worker"] = [_in_thread(use, m) for m in loaded[:2]]
    with ThreadPoolExecutor(1) as pool:
        pooled = pool.submit(load, *args).result()
    results["loaded_in_a_pool"] = _in_thread(use, pooled)
    results["main_again"] = use(model)
    return results


def run_child(kind: str, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, kind, *map(str, args)], capture_output=True, text=True, timeout=600
    )
    assert "terminate called" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def check(results: dict) -> None:
    ref = results["main"]
    assert ref and not isinstance(ref, str), ref
    assert results["thread"] == ref
    assert results["pool"] == [ref, ref]
    assert results["loaded_in_a_worker"] == [ref, ref]
    assert results["loaded_in_a_pool"] == ref
    assert results["main_again"] == ref


@pytest.mark.mlx
def test_encoder_across_threads():
    pytest.importorskip("mlx.core")
    check(run_child("encoder"))


@pytest.mark.mlx
def test_embedder_across_threads():
    pytest.importorskip("mlx.core")
    pytest.importorskip("mlx_embeddings")
    check(run_child("embedder"))


@pytest.mark.mlx
def test_generator_across_threads(tiny_lm_dir, tmp_path):
    pytest.importorskip("mlx_lm")
    results = run_child("generator", tiny_lm_dir, tmp_path / "adapter")
    check(results)
    assert len({word for word, _ in results["main"]}) == 3


@pytest.mark.mlx
def test_mlx_thread_reraises_and_runs_nested_calls_in_place():
    from wotd_mlx import mlx_thread

    def where() -> str:
        return threading.current_thread().name

    assert mlx_thread.call(where) == mlx_thread.THREAD_NAME
    assert mlx_thread.call(mlx_thread.call, where) == mlx_thread.THREAD_NAME  # no deadlock when nested
    with pytest.raises(ZeroDivisionError):
        mlx_thread.call(lambda: 1 / 0)
    assert mlx_thread.call(where) == mlx_thread.THREAD_NAME  # still serving after an error


if __name__ == "__main__":
    print(json.dumps(child(*sys.argv[1:])))
