"""A Gemma-3 GGUF (llama.cpp's layout) -> a transformers model directory (`Gemma3ForCausalLM`, bf16
safetensors) that transformers and mlx-lm both load, with gguf-py and numpy only: no torch.

It undoes what llama.cpp's converter did, as transformers' own GGUF loader does for gemma3: tensor names
back to transformers', and the `+1` llama.cpp adds to every RMSNorm weight (Gemma scales by `1 + w`)
taken off again. Gemma's q/k projections are stored unpermuted (llama.cpp permutes only llama-style rope),
so no weight is reshaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from ..errors import WotdError

ARCHITECTURE = "gemma3"
# llama.cpp's per-layer tensor names -> transformers' (Gemma3DecoderLayer)
LAYER_NAMES = {
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "attn_q_norm": "self_attn.q_norm",
    "attn_k_norm": "self_attn.k_norm",
    "attn_norm": "input_layernorm",
    "post_attention_norm": "post_attention_layernorm",
    "ffn_norm": "pre_feedforward_layernorm",
    "post_ffw_norm": "post_feedforward_layernorm",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
}
TOP_NAMES = {"token_embd": "model.embed_tokens", "output_norm": "model.norm", "output": "lm_head"}
# GGUF metadata (under `gemma3.`) -> Gemma3TextConfig, as transformers' GGUF config mapping reads it
CONFIG_KEYS = {
    "context_length": "max_position_embeddings",
    "block_count": "num_hidden_layers",
    "feed_forward_length": "intermediate_size",
    "embedding_length": "hidden_size",
    "rope.freq_base": "rope_theta",
    "attention.key_length": "head_dim",
    "attention.head_count": "num_attention_heads",
    "attention.head_count_kv": "num_key_value_heads",
    "attention.layer_norm_rms_epsilon": "rms_norm_eps",
    "attention.sliding_window": "sliding_window",
    "vocab_size": "vocab_size",
}
REQUIRED_KEYS = ("block_count", "embedding_length", "feed_forward_length", "attention.head_count")
TOKEN_IDS = {
    "bos": "bos_token_id", "eos": "eos_token_id", "unknown": "unk_token_id", "padding": "pad_token_id"
}  # fmt: skip
CHUNK_ELEMENTS = 1 << 22  # rows dequantised and rounded at a time: bounds the peak memory to tens of MB


def convert_gguf(gguf_path: Path, out_dir: Path, progress: Callable[[str], None] | None = None) -> None:
    """Write config.json, model.safetensors (bf16, the tied `lm_head` left out) and the tokenizer files for
    the Gemma-3 GGUF at `gguf_path` into the existing directory `out_dir`."""
    say = progress or (lambda msg: None)
    say("reading the GGUF's metadata")
    reader = open_gguf(gguf_path)
    config = gemma3_config(reader)
    tensors = tensor_plan(reader, config)
    say(f"dequantizing {len(tensors)} tensors to bf16 with numpy")
    write_bf16_safetensors(out_dir / "model.safetensors", tensors)
    say("writing the config and the tokenizer")
    write_config(config, out_dir)
    write_tokenizer(reader, out_dir)


def open_gguf(path: Path):
    """A `gguf.GGUFReader` on `path`, or a WotdError saying why it cannot be read as a Gemma-3 GGUF."""
    try:
        from gguf import GGUFReader
    except ImportError as e:
        raise WotdError("reading a GGUF needs the `gguf` package (pip install gguf)") from e
    path = Path(path)
    if not path.is_file():
        raise WotdError(f"no GGUF file at {path}")
    try:
        reader = GGUFReader(path)
    except (ValueError, OSError, IndexError) as e:  # gguf-py's own errors for a bad magic or a cut file
        raise WotdError(f"{path} is not a readable GGUF file ({e})") from e
    arch = field(reader, "general.architecture")
    if arch != ARCHITECTURE:
        raise WotdError(f"{path} holds a {arch!r} model; only {ARCHITECTURE!r} (Gemma-3 text) GGUFs convert")
    return reader


_MISSING = object()


def field(reader, key: str, default=_MISSING):
    """One metadata value (a str, number, bool or list); `default` when absent, else a WotdError."""
    f = reader.fields.get(key)
    if f is None:
        if default is _MISSING:
            raise WotdError(f"the GGUF has no {key!r} metadata, which a Gemma-3 conversion needs")
        return default
    return f.contents()


def gemma3_config(reader) -> dict:
    """The keyword arguments of transformers' `Gemma3TextConfig` that the GGUF states, as transformers'
    GGUF loader derives them (the rest are the config class's defaults)."""
    for key in REQUIRED_KEYS:
        field(reader, f"{ARCHITECTURE}.{key}")
    config = {
        name: field(reader, f"{ARCHITECTURE}.{key}")
        for key, name in CONFIG_KEYS.items()
        if f"{ARCHITECTURE}.{key}" in reader.fields
    }
    for key, name in TOKEN_IDS.items():
        if (value := field(reader, f"tokenizer.ggml.{key}_token_id", None)) is not None:
            config[name] = value
    if "vocab_size" not in config:  # llama.cpp writes it only when it differs from the vocabulary's length
        config["vocab_size"] = len(field(reader, "tokenizer.ggml.tokens"))
    if (name := field(reader, "general.name", None)) is not None:
        config["_model_name_or_path"] = name
    # llama.cpp writes the output projection only when it is not the embedding matrix
    config["tie_word_embeddings"] = all(t.name != "output.weight" for t in reader.tensors)
    return config


def hf_name(gguf_name: str) -> str:
    """llama.cpp's tensor name -> transformers' Gemma3ForCausalLM parameter name."""
    stem, _, suffix = gguf_name.rpartition(".")
    if suffix == "weight":  # Gemma-3 has no biases
        if m := re.fullmatch(r"blk\.(\d+)\.(\w+)", stem):
            if m[2] in LAYER_NAMES:
                return f"model.layers.{m[1]}.{LAYER_NAMES[m[2]]}.weight"
        elif stem in TOP_NAMES:
            return f"{TOP_NAMES[stem]}.weight"
    raise WotdError(f"GGUF tensor {gguf_name!r} has no place in a Gemma-3 text model")


def tensor_plan(reader, config: dict) -> dict[str, object]:
    """transformers name -> the GGUF tensor it comes from, every parameter present (a missing one would load
    as random init); the tied `lm_head` is not written: both loaders tie it to the embedding."""
    plan = {hf_name(t.name): t for t in reader.tensors}
    if config["tie_word_embeddings"]:
        plan.pop("lm_head.weight", None)
    layers = [
        f"model.layers.{i}.{n}.weight"
        for i in range(config["num_hidden_layers"])
        for n in LAYER_NAMES.values()
    ]
    missing = sorted({"model.embed_tokens.weight", "model.norm.weight", *layers} - set(plan))
    if missing:
        raise WotdError(f"the GGUF lacks {len(missing)} Gemma-3 tensors: {', '.join(missing[:5])}")
    vocab, hidden = config["vocab_size"], config["hidden_size"]
    if (shape := hf_shape(plan["model.embed_tokens.weight"])) != (vocab, hidden):
        raise WotdError(f"the GGUF's embedding is {shape}, its metadata says {(vocab, hidden)}")
    return dict(sorted(plan.items()))


def hf_shape(tensor) -> tuple[int, ...]:
    """GGUF lists dimensions innermost first; numpy and transformers outermost first."""
    return tuple(int(d) for d in reversed(tensor.shape))


def float_chunks(tensor) -> Iterator[np.ndarray]:
    """The tensor dequantised to float32, a block of rows at a time (quantisation blocks never span rows),
    with llama.cpp's `+1` on RMSNorm weights undone."""
    from gguf.quants import dequantize

    shape = hf_shape(tensor)
    rows = tensor.data.reshape(-1, tensor.data.shape[-1]) if len(shape) > 1 else tensor.data.reshape(1, -1)
    step = max(1, CHUNK_ELEMENTS // shape[-1])
    norm = tensor.name.endswith("norm.weight")
    for start in range(0, rows.shape[0], step):
        try:
            values = dequantize(rows[start : start + step], tensor.tensor_type)
        except NotImplementedError as e:
            raise WotdError(
                f"gguf-py cannot dequantize {tensor.name} ({tensor.tensor_type.name}); "
                "upgrade the gguf package"
            ) from e
        values = values.astype(np.float32, copy=False)
        # in float32, before rounding, as transformers does: the same bits come out
        yield values - np.float32(1) if norm else values


def bf16_bits(values: np.ndarray) -> np.ndarray:
    """float32 -> bfloat16 bit patterns (uint16), rounded to nearest even as torch rounds; NaN stays NaN."""
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    rounded = (bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))) >> np.uint32(16)
    out = rounded.astype(np.uint16)
    out[np.isnan(values)] = 0x7FC0
    return out


def write_bf16_safetensors(path: Path, tensors: dict[str, object]) -> None:
    """Stream the tensors, dequantised and rounded to bf16, into one safetensors file. numpy has no bf16,
    so the header (dtype tag BF16) is written here and the raw uint16 bits after it, one chunk at a time."""
    header: dict[str, dict] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, tensor in tensors.items():
        shape = hf_shape(tensor)
        size = 2 * int(np.prod(shape))
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)  # the format pads the header with spaces to 8-byte alignment
    with open(path, "wb") as out:
        out.write(len(raw).to_bytes(8, "little"))
        out.write(raw)
        for name, tensor in tensors.items():
            written = 0
            for chunk in float_chunks(tensor):
                written += out.write(bf16_bits(chunk).tobytes())
            start, end = header[name]["data_offsets"]
            if written != end - start:
                raise WotdError(f"GGUF tensor {tensor.name} came out {written} bytes, not {end - start}")


def write_config(config: dict, out_dir: Path) -> None:
    """config.json as transformers writes it for this model in bf16, plus the three keys mlx-lm's gemma3_text
    reads instead of `rope_parameters` and `layer_types` (its defaults fit only Gemma-3-270M)."""
    from transformers import Gemma3TextConfig

    cfg = Gemma3TextConfig(**config)
    cfg.dtype = "bfloat16"
    cfg.save_pretrained(out_dir)
    data = json.loads((out_dir / "config.json").read_text())
    rope = data.get("rope_parameters", {})
    layers = data.get("layer_types", [])
    extra = {
        "rope_theta": rope.get("full_attention", {}).get("rope_theta"),
        "rope_local_base_freq": rope.get("sliding_attention", {}).get("rope_theta"),
        # mlx-lm makes layer i global when (i + 1) % pattern == 0
        "sliding_window_pattern": _pattern(layers),
    }
    data |= {k: v for k, v in extra.items() if v is not None}
    (out_dir / "config.json").write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def _pattern(layer_types: list[str]) -> int | None:
    full = [i for i, t in enumerate(layer_types) if t == "full_attention"]
    if not full:
        return None
    period = full[0] + 1
    if layer_types != [
        ("full_attention" if (i + 1) % period == 0 else "sliding_attention") for i in range(len(layer_types))
    ]:
        raise WotdError(f"mlx-lm cannot express these Gemma-3 layer types (not periodic): {layer_types}")
    return period


def write_tokenizer(reader, out_dir: Path) -> None:
    """tokenizer.json and tokenizer_config.json from the GGUF's tokenizer metadata, built by transformers'
    own GGUF tokenizer converter (torch-free: it needs only `tokenizers`)."""
    try:  # transformers >= 5.x keeps it here; earlier releases in integrations.ggml
        from transformers.integrations.gguf.gguf_tokenizer_mapping import (
            GGUF_TOKENIZER_MAPPING,
            convert_gguf_tokenizer,
        )
    except ImportError:
        from transformers.integrations.ggml import GGUF_TOKENIZER_MAPPING, convert_gguf_tokenizer
    from transformers import GemmaTokenizer

    def group(name: str) -> dict:
        keys = [(f"tokenizer.{key}", hf) for key, hf in GGUF_TOKENIZER_MAPPING[name].items()]
        return {hf: field(reader, key) for key, hf in keys if key in reader.fields}

    spec, kwargs = group("tokenizer"), group("tokenizer_config")
    if "tokens" not in spec:
        raise WotdError("the GGUF has no tokenizer vocabulary (tokenizer.ggml.tokens)")
    if spec.get("tokenizer_type") == "llama":  # llama.cpp adds BOS to a sentencepiece vocabulary by default
        kwargs.setdefault("add_bos_token", True)
    for key, hf in TOKEN_IDS.items():
        token_id = field(reader, f"tokenizer.ggml.{key}_token_id", None)
        kwargs[hf.removesuffix("_id")] = spec["tokens"][token_id] if token_id is not None else None
    try:
        backend, extra = convert_gguf_tokenizer(ARCHITECTURE, spec)
    except (ValueError, KeyError) as e:
        raise WotdError(f"cannot build a tokenizer from the GGUF's metadata ({e})") from e
    GemmaTokenizer(tokenizer_object=backend, **kwargs, **extra).save_pretrained(out_dir)
