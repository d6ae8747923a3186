"""Tiny-LM fixtures: DSL examples over real words and random starting adapters."""

from __future__ import annotations

import numpy as np
import pytest
from tiny_lm import NAMES, WORDS

from wotd_mlx.lm.data import Tokens, build_examples
from wotd_mlx.lm.dsl import PromptFormat


@pytest.fixture(scope="session")
def examples():
    rng = np.random.default_rng(0)
    codes = np.stack(
        [rng.integers(0, 2, len(WORDS)), rng.integers(0, 2, len(WORDS))] + [np.zeros(len(WORDS), int)] * 2, 1
    )
    defs = [f"The meaning of {w}; with more words" for w in WORDS]
    return build_examples(WORDS, defs, codes, NAMES, PromptFormat(), 16, 3, seed=0)


@pytest.fixture(scope="session")
def toks(tiny_lm_dir):
    from transformers import AutoTokenizer

    return Tokens(AutoTokenizer.from_pretrained(str(tiny_lm_dir)))


@pytest.fixture(scope="session")
def start_adapter(tiny_lm_dir):
    """Random LoRA weights (B non-zero, unlike a fresh init) in canonical naming, for both backends."""
    from tiny_lm import tiny_cfg

    from wotd_mlx.lm import torch_lm

    model = torch_lm.add_lora(torch_lm.load_model(tiny_lm_dir), tiny_cfg())
    rng = np.random.default_rng(1)
    return {k: rng.normal(0, 0.2, v.shape).astype(np.float32) for k, v in torch_lm.get_adapter(model).items()}
