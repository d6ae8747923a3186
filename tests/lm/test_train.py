"""Interrupted LoRA training resumes from its last checkpoint and ends where an uninterrupted run ends."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest
from tiny_lm import tiny_cfg

from wotd_mlx.errors import WotdError
from wotd_mlx.lm.adapters import read_adapter
from wotd_mlx.lm.checkpoint import Checkpoint, Checkpoints
from wotd_mlx.lm.train import train_lora

# a mark, not importorskip in the body: without torch the tiny-LM fixture itself cannot be built
NEEDS_TORCH = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs torch")


class Stop(KeyboardInterrupt):
    pass


def _stop_at(step):
    def report(rep):
        if rep.step == step:
            raise Stop

    return report


@pytest.mark.parametrize(
    "backend", [pytest.param("torch", marks=NEEDS_TORCH), pytest.param("mlx", marks=pytest.mark.mlx)]
)
def test_resume_continues_to_the_same_adapter(backend, tiny_lm_dir, examples, tmp_path):
    if backend == "mlx":
        pytest.importorskip("mlx.core")
    cfg = tiny_cfg(iters=6, steps_per_report=1, steps_per_save=2)
    whole = train_lora(tiny_lm_dir, tmp_path / "whole", examples, cfg, backend)

    out = tmp_path / "interrupted"
    with pytest.raises(Stop):
        train_lora(tiny_lm_dir, out, examples, cfg, backend, on_report=_stop_at(5))
    assert Checkpoints(out / "checkpoints").latest().step == 4  # step 5 was reported, not yet saved
    assert not (out / "adapter").exists()
    resumed = train_lora(tiny_lm_dir, out, examples, cfg, backend)
    assert resumed["resumed_from_step"] == 4 and resumed["steps"] == 6
    curve = json.loads((out / "curve.json").read_text())
    assert [c["step"] for c in curve] == [1, 2, 3, 4, 5, 6]  # step 5's first report is not kept twice
    assert resumed["final_loss"] == pytest.approx(whole["final_loss"], rel=1e-4)
    a, _ = read_adapter(tmp_path / "whole" / "adapter")
    b, _ = read_adapter(out / "adapter")
    for k in a:
        np.testing.assert_allclose(a[k], b[k], atol=1e-5)


def test_checkpoint_from_the_other_backend_is_refused(examples, tmp_path):
    Checkpoints(tmp_path / "checkpoints").save(Checkpoint(2, {}, {}, {"backend": "mlx", "curve": []}))
    with pytest.raises(WotdError, match="made with mlx"):  # refused before any model is read
        train_lora(tmp_path / "no-model", tmp_path, examples, tiny_cfg(), "torch")


def test_checkpoints_keep_only_the_newest_complete_one(tmp_path):
    ckpts = Checkpoints(tmp_path)
    for step in (2, 4):
        ckpts.save(Checkpoint(step, {"w": np.full(3, step, np.float32)}, {}, {"backend": "torch"}))
    (tmp_path / ".step-000006.tmp").mkdir()  # a save killed half-way is ignored
    latest = ckpts.latest()
    assert latest.step == 4 and latest.adapter["w"].tolist() == [4, 4, 4]
    assert sorted(p.name for p in tmp_path.glob("step-*")) == ["step-000004"]


def test_save_cadence_must_fall_on_reports(examples, tmp_path):
    with pytest.raises(WotdError, match="multiple of steps_per_report"):  # before any model is read
        cfg = tiny_cfg(steps_per_report=3, steps_per_save=4)
        train_lora(tmp_path / "no-model", tmp_path, examples, cfg, "torch")
