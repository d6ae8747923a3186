"""A tiny random Gemma-3-architecture causal LM with a small byte-level BPE tokenizer, built in-process and
saved as a model directory that transformers and mlx-lm both load (the same layout as the real one)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from wotd_mlx.config import LMConfig
from wotd_mlx.corpus import axis_names

SPECIALS = ["<pad>", "<eos>", "<bos>", "<unk>"]
WORDS = [
    "abate", "abbey", "cat", "catalog", "cats", "dog", "doge", "zeal", "zealot", "quiet", "quietus",
    "run", "runner", "entomologist", "pulchritude", "obstreperous",
]  # fmt: skip
NAMES = axis_names((8, 8, 8, 5))


def tiny_cfg(**kw) -> LMConfig:
    base = dict(iters=4, batch_size=4, rank=4, num_layers=1, lr=1e-2, steps_per_report=1, steps_per_save=2)
    return LMConfig(**(base | kw))


def build_tiny_lm(
    path: Path, texts: Sequence[str], vocab_size: int = 400, layers: int = 2, seed: int = 0
) -> Path:
    """Train a BPE tokenizer on `texts`, create a random tiny model, and save both to `path`."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIALS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(texts, trainer)
    hf_tok = PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="<pad>", eos_token="<eos>", bos_token="<bos>", unk_token="<unk>"
    )
    path.mkdir(parents=True, exist_ok=True)
    hf_tok.save_pretrained(path)

    torch.manual_seed(seed)
    config = Gemma3TextConfig(
        vocab_size=len(hf_tok),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=layers,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=16,
        query_pre_attn_scalar=16,
        max_position_embeddings=4096,
        sliding_window=512,
        # mlx-lm makes every `sliding_window_pattern`-th layer global and needs at least one; say so in
        # config.json for it, and mirror the same layer types for transformers
        layer_types=["sliding_attention"] * (layers - 1) + ["full_attention"],
        pad_token_id=hf_tok.pad_token_id,
        bos_token_id=hf_tok.bos_token_id,
        eos_token_id=hf_tok.eos_token_id,
        tie_word_embeddings=True,
    )
    model = Gemma3ForCausalLM(config).float()
    with torch.no_grad():  # larger than the default init, so the random model has non-trivial preferences
        for p in model.parameters():
            if p.dim() > 1:
                p.normal_(0, 0.2)
    model.save_pretrained(path)
    cfg = json.loads((path / "config.json").read_text())
    (path / "config.json").write_text(json.dumps({**cfg, "sliding_window_pattern": layers}, indent=2))
    return path
