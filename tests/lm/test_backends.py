"""MLX (mlx-lm) and torch (PEFT) on the same tiny model and the same LoRA weights: same modules, same loss,
same training steps, same next-token logits, same constrained words. MLX runs on tiny inputs only."""

from __future__ import annotations

import numpy as np
import pytest
from tiny_lm import WORDS, tiny_cfg

torch = pytest.importorskip("torch")  # a Mac's torch-free venv collects this file too
F = pytest.importorskip("torch.nn.functional")
from wotd_mlx.lm import torch_lm  # noqa: E402  (after the skip: it imports torch)
from wotd_mlx.lm.adapters import read_adapter  # noqa: E402
from wotd_mlx.lm.checkpoint import Checkpoint  # noqa: E402
from wotd_mlx.lm.data import make_batch  # noqa: E402
from wotd_mlx.lm.decode import constrained_lines  # noqa: E402
from wotd_mlx.lm.train import train_lora  # noqa: E402
from wotd_mlx.lm.trie import WordTrie  # noqa: E402

mx = pytest.importorskip("mlx.core")
mlx_backend = pytest.importorskip("wotd_mlx.lm.mlx_lm_backend")


def _batch(toks, examples):
    return make_batch([toks.example(e) for e in examples[:4]], toks.pad)


def test_lora_modules_match(tiny_lm_dir, start_adapter):
    mm = mlx_backend.add_lora(mlx_backend.load_model(tiny_lm_dir), tiny_cfg())
    assert {k: v.shape for k, v in mlx_backend.get_adapter(mm).items()} == {
        k: v.shape for k, v in start_adapter.items()
    }
    assert len(start_adapter) == 2 * 7  # 7 linear layers of the last block, A and B each


def test_loss_on_target_positions_equals_full_logits_and_backends_agree(
    tiny_lm_dir, toks, examples, start_adapter
):
    cfg = tiny_cfg()
    batch = _batch(toks, examples)
    tm = torch_lm.add_lora(torch_lm.load_model(tiny_lm_dir), cfg)
    torch_lm.set_adapter(tm, start_adapter)
    sliced = torch_lm.TorchLoRA(tm, cfg).loss(batch).item()
    with torch.no_grad():
        logits = tm(input_ids=torch.from_numpy(batch.inputs).long()).logits
        flat = logits.reshape(-1, logits.shape[-1])[torch.from_numpy(batch.positions).long()]
        full = F.cross_entropy(flat, torch.from_numpy(batch.targets).long()).item()
    assert sliced == pytest.approx(full, rel=1e-5)

    mm = mlx_backend.add_lora(mlx_backend.load_model(tiny_lm_dir), cfg)
    mlx_backend.set_adapter(mm, start_adapter)
    loss, ntoks = mlx_backend.sliced_loss(mm, *mlx_backend.batch_arrays(batch))
    assert loss.item() == pytest.approx(full, rel=1e-4)
    assert ntoks.item() == batch.n_tokens


def _train(backend, tiny_lm_dir, examples, out, start_adapter, on_report=None):
    """Train from the shared start adapter by resuming a hand-made step-0 checkpoint."""
    from wotd_mlx.lm.checkpoint import Checkpoints

    Checkpoints(out / "checkpoints").save(Checkpoint(0, start_adapter, {}, {"backend": backend, "curve": []}))
    return train_lora(tiny_lm_dir, out, examples, tiny_cfg(), backend, on_report=on_report)


@pytest.fixture(scope="module")
def trained(tiny_lm_dir, examples, start_adapter, tmp_path_factory):
    out = {}
    for backend in ("torch", "mlx"):
        path = tmp_path_factory.mktemp(f"train-{backend}")
        curve = []
        _train(backend, tiny_lm_dir, examples, path, start_adapter, on_report=curve.append)
        out[backend] = (path, curve)
    return out


def test_training_steps_agree(trained):
    (tpath, tcurve), (mpath, mcurve) = trained["torch"], trained["mlx"]
    assert [r.step for r in tcurve] == [r.step for r in mcurve] == [1, 2, 3, 4]
    np.testing.assert_allclose([r.loss for r in tcurve], [r.loss for r in mcurve], rtol=2e-4)
    assert tcurve[-1].loss < tcurve[0].loss  # lr 1e-2 on 16 examples: it learns
    tw, tcfg = read_adapter(tpath / "adapter")  # PEFT's files
    mw, mcfg = read_adapter(mpath / "adapter")  # mlx-lm's files
    assert (tcfg.rank, tcfg.scale, tcfg.num_layers, set(tcfg.keys)) == (
        mcfg.rank, mcfg.scale, mcfg.num_layers, set(mcfg.keys)
    )  # fmt: skip
    for k in tw:
        np.testing.assert_allclose(tw[k], mw[k], atol=2e-4, rtol=2e-3)


def test_each_library_loads_its_own_adapter(trained, tiny_lm_dir, toks):
    """`mlx_lm.load(model, adapter_path=...)` and `PeftModel.from_pretrained` read the files we wrote."""
    import mlx_lm
    from peft import PeftModel

    ids = toks.prompt("<wotd> id=1,0,0,0 | literary & archaic / very common / Old English\n")
    model, _ = mlx_lm.load(str(tiny_lm_dir), adapter_path=str(trained["mlx"][0] / "adapter"))
    mlx_logits = np.array(model(mx.array([ids]))[0, -1])
    peft = PeftModel.from_pretrained(torch_lm.load_model(tiny_lm_dir), str(trained["torch"][0] / "adapter"))
    with torch.no_grad():
        torch_logits = peft(input_ids=torch.tensor([ids])).logits[0, -1].numpy()
    np.testing.assert_allclose(mlx_logits, torch_logits, atol=2e-3)


def test_steppers_and_constrained_words_agree(trained, tiny_lm_dir, toks):
    weights, cfg = read_adapter(trained["torch"][0] / "adapter")
    steppers = {
        "torch": torch_lm.load_for_generation(tiny_lm_dir, weights, cfg),
        "mlx": mlx_backend.load_for_generation(tiny_lm_dir, weights, cfg),
    }
    ids = toks.prompt("<wotd> id=0,1,0,0\n")
    first = {b: s.start(ids) for b, s in steppers.items()}
    # torch merges the adapter into the weights for speed, MLX keeps it separate: float32 rounding differs
    np.testing.assert_allclose(first["torch"], first["mlx"], atol=1e-3)
    nxt = {b: s.step(int(np.argmax(first[b]))) for b, s in steppers.items()}
    np.testing.assert_allclose(nxt["torch"], nxt["mlx"], atol=1e-3)

    trie = WordTrie(WORDS, lambda ws: toks.tokenizer(list(ws), add_special_tokens=False)["input_ids"])
    lines = {
        b: constrained_lines(s, toks, trie, "<wotd> id=0,1,0,0\n", 5, max_definition_tokens=6)
        for b, s in steppers.items()
    }
    assert [x.word for x in lines["torch"]] == [x.word for x in lines["mlx"]]
    assert len({x.word for x in lines["torch"]}) == 5 and {x.word for x in lines["torch"]} <= set(WORDS)
