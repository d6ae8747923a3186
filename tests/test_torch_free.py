"""The MLX path with no torch in the process: a tiny `wotd train` and every command a person uses after it,
each in its own process (tests/torch_free_cli.py fails any that imports torch, sentence-transformers or peft).

`make test` runs this in the torch-free venv that stands in for a Mac's. Where torch is installed,
transformers imports it on its own, so the check would say nothing about this project's code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from backends import HAS_TORCH  # noqa: E402

pytest.importorskip("mlx.core")
pytest.importorskip("mlx_embeddings")
if HAS_TORCH:  # transformers imports torch whenever it is installed, MLX path or not (its tokenizers do)
    pytest.skip("these checks run in the torch-free venv (make test's MLX pass)", allow_module_level=True)
pytestmark = pytest.mark.mlx

RUNNER = Path(__file__).with_name("torch_free_cli.py")
# The default embedder and its search fine-tune on MLX, at the smallest size that fills two fine-tuning
# batches; the tiny LM for `generate --method lm`. MLX on a Linux CPU embeds a few texts per second.
TINY_MLX = ["--max-words", "150", "--epochs", "2"]
TINY_MLX += ["--finetune-pairs", "64"]


def wotd(home: Path, *argv: str) -> subprocess.CompletedProcess:
    env = os.environ | {"WOTD_HOME": str(home), "WOTD_BACKEND": "mlx"}
    return subprocess.run([sys.executable, str(RUNNER), *argv], env=env, capture_output=True, text=True)


def ok_json(home: Path, *argv: str):
    run = wotd(home, *argv, "--json")
    assert run.returncode == 0, (argv, run.stderr[-2000:])
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def mlx_home(tmp_path_factory, tiny_lm_dir):
    home = tmp_path_factory.mktemp("wotd-mlx-home")
    summary = ok_json(home, "train", *TINY_MLX, "--lm", str(tiny_lm_dir), "--lm-iters", "2")
    assert summary["backend"] == "mlx"
    return home, summary


def test_train_runs_every_stage_on_mlx(mlx_home):
    _, summary = mlx_home
    metrics = summary["metrics"]
    assert metrics["embedder_finetune"]["steps"] == 2  # 64 pairs, batches of 32
    assert summary["status"] == "done" and "definition_threshold" in metrics["lm"]


def test_encode_decode_generate_search(mlx_home):
    home, _ = mlx_home
    words = json.loads(next((home / "runs").glob("*/words.json")).read_text())
    (encoded,) = ok_json(home, "encode", words[0])
    sid = ",".join(map(str, encoded["semantic_id"]))
    assert len(ok_json(home, "decode", sid, "-n", "3")) == 3
    assert len(ok_json(home, "generate", sid, "-n", "3")) == 3
    lm = ok_json(home, "generate", sid, "-n", "2", "--method", "lm")
    assert lm and all(row["word"] for row in lm)
    hits = ok_json(home, "search", "a large body of salt water", "-k", "5")
    assert len(hits) == 5 and all(h["word"] in words for h in hits)


def test_today_like_undo_profile(mlx_home, tmp_path):
    import shutil

    home = tmp_path / "home"
    shutil.copytree(mlx_home[0], home)
    first = ok_json(home, "today", "--date", "2026-01-05")
    assert ok_json(home, "today", "--date", "2026-01-05")["word"] == first["word"]  # fixed per date
    ok_json(home, "like", first["word"])
    assert ok_json(home, "profile")["likes"] == 1
    ok_json(home, "feedback", "--undo")
    bad = wotd(home, "like", "notaword-xyz")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_commands_before_any_training(tmp_path):
    info = ok_json(tmp_path, "info")
    assert info["backend"] == "mlx"
    none_yet = wotd(tmp_path, "today")
    assert none_yet.returncode == 2 and "Traceback" not in none_yet.stderr


def test_the_app_builds_on_mlx_without_torch(tmp_path):
    pytest.importorskip("gradio")
    code = (
        "import sys\n"
        f"sys.path[:0] = [{str(RUNNER.parents[1])!r}, {str(RUNNER.parent)!r}]\n"
        "from backends import TORCH_MODULES\n"
        "from ui.app import build_app\n"
        f"build_app({str(tmp_path)!r}, 'mlx')\n"
        "print([m for m in TORCH_MODULES if m in sys.modules])\n"
    )
    env = os.environ | {"WOTD_HOME": str(tmp_path), "WOTD_BACKEND": "mlx"}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "[]"
