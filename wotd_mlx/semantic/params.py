"""The model's parameter layout, shared by both backends so that one numpy weights dict loads into either.

Encoder: enc_in (d -> hidden), GELU, enc_out (hidden -> L_style + L_complexity + L_era + 1): one softmax
head per labelled part (its argmax is the code), then the FSQ scalar z of the free part (variation).
Softmax heads beat FSQ scalars on the labelled parts: style is nominal (synthetic 8-class data: 0.87 vs 0.48
held-out accuracy), and on the real lexicon distance-logit FSQ scalars regressed complexity and era to the
middle levels (quick run: complexity 0.23, era 0.16 exact; see BENCHMARKS.md for the softmax numbers).
Decoder: dec_in (P -> hidden), GELU, dec_out (hidden -> d). Linear weights are (out, in) in both backends.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

EPS = 1e-12  # floor of vector norms, so an all-zero decoder output cannot divide by zero


def n_labelled(levels: Sequence[int]) -> int:
    """Parts trained against labels: all but the last (variation, learned without labels)."""
    return len(levels) - 1


def head_bounds(levels: Sequence[int]) -> list[tuple[int, int]]:
    """(start, stop) columns of enc_out holding each labelled part's logits."""
    edges = np.cumsum([0, *levels[: n_labelled(levels)]])
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def n_outputs(levels: Sequence[int]) -> int:
    """Width of enc_out: the logits of every labelled part plus one FSQ scalar per free part."""
    return int(sum(levels[: n_labelled(levels)])) + len(levels) - n_labelled(levels)


def param_shapes(dim: int, hidden: int, levels: Sequence[int]) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every parameter; the names are the torch state_dict / MLX tree_flatten keys."""
    p, o = len(levels), n_outputs(levels)
    return {
        "enc_in.weight": (hidden, dim),
        "enc_in.bias": (hidden,),
        "enc_out.weight": (o, hidden),
        "enc_out.bias": (o,),
        "dec_in.weight": (hidden, p),
        "dec_in.bias": (hidden,),
        "dec_out.weight": (dim, hidden),
        "dec_out.bias": (dim,),
    }


def init_weights(dim: int, hidden: int, levels: Sequence[int], seed: int = 0) -> dict[str, np.ndarray]:
    """Seeded U(-1/sqrt(fan_in), 1/sqrt(fan_in)) init (torch's Linear default), same in both backends."""
    rng = np.random.default_rng(seed)
    shapes = param_shapes(dim, hidden, levels)
    out = {}
    for name, shape in shapes.items():
        fan_in = shapes[name.rsplit(".", 1)[0] + ".weight"][1]
        bound = 1.0 / np.sqrt(fan_in)
        out[name] = rng.uniform(-bound, bound, size=shape).astype(np.float32)
    return out


def check_weights(weights: dict[str, np.ndarray], dim: int, hidden: int, levels: Sequence[int]) -> None:
    """Raise ValueError unless `weights` has exactly the expected names and shapes."""
    want = param_shapes(dim, hidden, levels)
    got = {k: tuple(np.shape(v)) for k, v in weights.items()}
    if got != want:
        raise ValueError(f"weights do not match the model layout: expected {want}, got {got}")
