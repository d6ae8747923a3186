"""The MLX embedder (mlx-embeddings): the native fast path on Apple Silicon, slow on Linux CPU."""

from __future__ import annotations

import mlx.core as mx
import numpy as np
from mlx_embeddings import load

from ..mlx_thread import on_mlx_thread
from .hf import HFEmbedder


class MLXEmbedder(HFEmbedder):
    """Embeds with an mlx-embeddings model; pooling is done here, not by mlx-embeddings."""

    backend = "mlx"

    # Built and called on the MLX thread, whichever thread asks (mlx_thread.py).
    @on_mlx_thread
    def _load(self) -> None:
        # The tokenizer mlx-embeddings returns is dropped: HFEmbedder's is the same files, used by both paths.
        self.model, _ = load(str(self.model_dir))

    @on_mlx_thread
    def _hidden_states(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        # We pool last_hidden_state ourselves: mlx-embeddings' `text_embeds` is always masked mean pooling
        # (whatever 1_Pooling/config.json says), and its `pooler_output` is BERT's dense+tanh pooler, which
        # is not sentence-transformers' CLS pooling.
        out = self.model(mx.array(input_ids), attention_mask=mx.array(attention_mask))
        return np.array(out.last_hidden_state.astype(mx.float32))
