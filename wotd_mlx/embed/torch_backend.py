"""The PyTorch CPU embedder: transformers' AutoModel, the working path off Apple Silicon."""

from __future__ import annotations

import numpy as np
import torch
from transformers import AutoModel
from transformers.utils import logging as hf_logging

from .hf import HFEmbedder


class TorchEmbedder(HFEmbedder):
    """Embeds with transformers on the CPU; pooling follows the model's sentence-transformers config."""

    backend = "torch"

    def _load(self) -> None:
        hf_logging.disable_progress_bar()  # our own bars report progress; theirs would interleave on stderr
        self.model = AutoModel.from_pretrained(str(self.model_dir)).to("cpu").eval()

    def _hidden_states(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            out = self.model(
                input_ids=torch.from_numpy(input_ids), attention_mask=torch.from_numpy(attention_mask)
            )
        return out.last_hidden_state.float().numpy()
