"""What both fine-tunes share: the learning-rate schedule against transformers' own, the checks of bad input,
and the staging directory that leaves nothing half-written."""

import pytest

from wotd_mlx.embed.finetune_common import (
    FinetuneConfig,
    TooFewPairs,
    checked,
    checked_columns,
    linear_lr,
    staging_dir,
    warmup_steps,
)
from wotd_mlx.embed.zoo import finetuned_root
from wotd_mlx.errors import WotdError


@pytest.mark.parametrize("total, ratio", [(8, 0.1), (64, 0.1), (10, 0.0), (3, 0.5)])
def test_linear_lr_is_transformers_schedule(total, ratio):
    torch = pytest.importorskip("torch")
    from transformers import get_linear_schedule_with_warmup

    lr = 5e-5
    warmup = warmup_steps(total, FinetuneConfig(warmup_ratio=ratio))
    opt = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    sched = get_linear_schedule_with_warmup(opt, warmup, total)
    for step in range(total):  # the lr each optimizer step runs at, as the Trainer steps the scheduler
        assert linear_lr(step, lr, warmup, total) == pytest.approx(opt.param_groups[0]["lr"], abs=1e-15)
        opt.step()
        sched.step()


def test_linear_lr_warms_up_then_decays_to_zero():
    lrs = [linear_lr(s, 1.0, 2, 10) for s in range(11)]
    assert lrs[:3] == [0.0, 0.5, 1.0] and lrs[-1] == 0.0
    assert all(a > b for a, b in zip(lrs[2:], lrs[3:], strict=False))


@pytest.mark.parametrize(
    "cfg, what",
    [
        (FinetuneConfig(batch_size=1), "batch_size"),
        (FinetuneConfig(pairs=8, batch_size=16), "batch_size"),
        (FinetuneConfig(lr=0), "learning rate"),
        (FinetuneConfig(warmup_ratio=1.5), "warmup_ratio"),
        (FinetuneConfig(max_length=1), "max_length"),
    ],
)
def test_bad_config_is_a_clear_error(cfg, what):
    with pytest.raises(WotdError, match=what):
        checked(cfg)


def test_bad_columns_are_a_clear_error():
    cfg = FinetuneConfig(pairs=2, batch_size=2)
    with pytest.raises(WotdError, match="anchor, positive"):
        checked_columns({"anchor": ["a", "b"]}, cfg)
    with pytest.raises(WotdError, match="differ in length"):
        checked_columns({"anchor": ["a", "b"], "positive": ["c"]}, cfg)
    with pytest.raises(TooFewPairs, match="one batch of 2"):
        checked_columns({"anchor": ["a"], "positive": ["c"]}, cfg)
    cols = {"anchor": ["a", "b"], "positive": ["c", "d"], "negative": ["e", "f"]}
    assert checked_columns(cols, cfg) is cols


def test_staging_dir_leaves_nothing_when_training_fails(tmp_path):
    root = finetuned_root(tmp_path)
    root.mkdir(parents=True)
    (root / ".partial-1").mkdir()  # a killed run's leftovers
    with pytest.raises(RuntimeError), staging_dir(tmp_path) as staging:
        (staging / "model.safetensors").write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert list(root.iterdir()) == []


def test_a_backend_that_is_not_installed_is_a_clear_error(tmp_path):
    from backends import HAS_TORCH

    from wotd_mlx.embed.finetune import train_and_save

    if HAS_TORCH:
        pytest.skip("torch is installed (the torch-free venv runs this)")
    cols = {"anchor": ["a", "b"], "positive": ["c", "d"]}
    with pytest.raises(WotdError, match=r"fine-tuning on torch needs torch: pip install 'wotd-mlx\[torch\]'"):
        train_and_save(cols, FinetuneConfig(pairs=2, batch_size=2), tmp_path, backend="torch")
    assert not list(finetuned_root(tmp_path).glob("*"))
