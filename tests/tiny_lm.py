"""A tiny random Gemma-3-architecture causal LM with a small byte-level BPE tokenizer, built in-process and
saved as a model directory that transformers and mlx-lm both load (the same layout as the real one)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

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


def gemma3_shapes(config) -> dict[str, tuple[int, ...]]:
    """Every parameter of `Gemma3ForCausalLM(config)` (tied `lm_head` left out) and its shape, in
    transformers' names."""
    h, hd, inter = config.hidden_size, config.head_dim, config.intermediate_size
    q, kv = config.num_attention_heads * hd, config.num_key_value_heads * hd
    layer = {
        "input_layernorm": (h,), "post_attention_layernorm": (h,),
        "pre_feedforward_layernorm": (h,), "post_feedforward_layernorm": (h,),
        "self_attn.q_proj": (q, h), "self_attn.k_proj": (kv, h), "self_attn.v_proj": (kv, h),
        "self_attn.o_proj": (h, q), "self_attn.q_norm": (hd,), "self_attn.k_norm": (hd,),
        "mlp.gate_proj": (inter, h), "mlp.up_proj": (inter, h), "mlp.down_proj": (h, inter),
    }  # fmt: skip
    shapes = {"model.embed_tokens.weight": (config.vocab_size, h), "model.norm.weight": (h,)}
    for i in range(config.num_hidden_layers):
        shapes |= {f"model.layers.{i}.{name}.weight": shape for name, shape in layer.items()}
    return shapes


def tiny_config(vocab_size: int, layers: int = 2, **special_ids):
    """The tiny Gemma-3 text config (transformers' class: it needs no torch)."""
    from transformers import Gemma3TextConfig

    return Gemma3TextConfig(
        vocab_size=vocab_size,
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
        tie_word_embeddings=True,
        **special_ids,
    )


def build_tiny_lm(
    path: Path, texts: Sequence[str], vocab_size: int = 400, layers: int = 2, seed: int = 0
) -> Path:
    """Train a BPE tokenizer on `texts`, create a random tiny model, and save both to `path`, with numpy
    and transformers' config classes only (no torch: the torch-free venv builds it too)."""
    from safetensors.numpy import save_file
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import GenerationConfig, PreTrainedTokenizerFast

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

    ids = {f"{t}_token_id": getattr(hf_tok, f"{t}_token_id") for t in ("pad", "bos", "eos")}
    config = tiny_config(len(hf_tok), layers, **ids)
    rng = np.random.default_rng(seed)
    # matrices larger than the default init, so the random model has non-trivial preferences; the RMSNorm
    # weights stay at their init, zero (Gemma scales by 1 + w)
    weights = {
        name: (rng.normal(0, 0.2, shape) if len(shape) > 1 else np.zeros(shape)).astype(np.float32)
        for name, shape in gemma3_shapes(config).items()
    }
    save_file(weights, str(path / "model.safetensors"), metadata={"format": "pt"})
    # what `save_pretrained` of the model writes beside its weights
    config.architectures = ["Gemma3ForCausalLM"]
    config.dtype = "float32"
    config.save_pretrained(path)
    GenerationConfig.from_model_config(config).save_pretrained(path)
    cfg = json.loads((path / "config.json").read_text())
    (path / "config.json").write_text(json.dumps({**cfg, "sliding_window_pattern": layers}, indent=2))
    return path
