"""Stage 5: LoRA fine-tuning of a small causal LM on the semantic-ID prompt language, and generation."""

from .dsl import PromptFormat
from .models import prepare_default_lm, resolve_lm_dir

__all__ = ["PromptFormat", "prepare_default_lm", "resolve_lm_dir"]
