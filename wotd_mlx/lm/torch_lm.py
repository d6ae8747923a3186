"""The torch path: transformers for the model, PEFT for LoRA (same rank, scale, blocks and layers as the
mlx-lm path), our own training step, and a KV-cached stepper for decoding."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ..config import LMConfig
from ..memory import peak_rss_mb
from .adapters import canonical_to_peft, peft_to_canonical
from .checkpoint import Checkpoint
from .data import Batch, make_batch


def load_model(lm_dir: Path) -> torch.nn.Module:
    """The base model in float32 (CPU bf16 matmuls are slow), in eval mode."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(lm_dir), dtype=torch.float32)
    return model.eval()


def load_tokenizer(lm_dir: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(lm_dir))


def target_modules(cfg: LMConfig, n_layers: int) -> str:
    """A PEFT regex naming exactly the modules mlx-lm converts: `keys` in the last `num_layers` blocks."""
    layers = "|".join(str(i) for i in range(max(n_layers - cfg.num_layers, 0), n_layers))
    keys = "|".join(k.replace(".", r"\.") for k in cfg.keys)
    return rf".*\.layers\.({layers})\.({keys})"


def add_lora(model: torch.nn.Module, cfg: LMConfig) -> torch.nn.Module:
    """Wrap the model with PEFT LoRA; PEFT's scaling lora_alpha / r equals mlx-lm's `scale`."""
    from peft import LoraConfig, get_peft_model

    n_layers = model.config.num_hidden_layers
    config = LoraConfig(
        r=cfg.rank,
        lora_alpha=cfg.scale * cfg.rank,
        lora_dropout=cfg.dropout,
        target_modules=target_modules(cfg, n_layers),
        bias="none",
        task_type="CAUSAL_LM",
    )
    torch.manual_seed(cfg.seed)
    return get_peft_model(model, config)


def get_adapter(model) -> dict[str, np.ndarray]:
    """The LoRA weights in canonical naming (see adapters.py)."""
    from peft import get_peft_model_state_dict

    state = get_peft_model_state_dict(model)
    return peft_to_canonical({k: v.detach().cpu().numpy() for k, v in state.items()})


def set_adapter(model, weights: dict[str, np.ndarray]) -> None:
    from peft import set_peft_model_state_dict

    state = {k: torch.from_numpy(v.astype(np.float32)) for k, v in canonical_to_peft(weights).items()}
    result = set_peft_model_state_dict(model, state)
    missing = [k for k in result.missing_keys if "lora_" in k]
    if missing or result.unexpected_keys:
        raise ValueError(
            f"adapter does not fit the model: missing {missing[:3]}, unexpected {result.unexpected_keys[:3]}"
        )


class TorchLoRA:
    """AdamW on the LoRA weights; the loss runs the output layer only where there are targets (the
    completion), which matters when a 262k-token vocabulary dominates the compute."""

    def __init__(self, model, cfg: LMConfig):
        self.model = model
        base = model.get_base_model()
        self.decoder, self.head = base.get_decoder(), base.get_output_embeddings()
        self.softcap = getattr(base.config, "final_logit_softcapping", None)
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.opt = torch.optim.AdamW(
            self.params, lr=cfg.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=cfg.weight_decay
        )

    def loss(self, batch: Batch) -> torch.Tensor:
        """Mean cross-entropy over the batch's real target tokens (padding slots weigh 0)."""
        hidden = self.decoder(input_ids=torch.from_numpy(batch.inputs).long()).last_hidden_state
        picked = hidden.reshape(-1, hidden.shape[-1])[torch.from_numpy(batch.positions).long()]
        logits = self.head(picked).float()
        if self.softcap:
            logits = torch.tanh(logits / self.softcap) * self.softcap
        ce = F.cross_entropy(logits, torch.from_numpy(batch.targets).long(), reduction="none")
        weights = torch.from_numpy(batch.weights)
        return (ce * weights).sum() / weights.sum()

    def step(self, batch: Batch) -> float:
        self.model.train()
        loss = self.loss(batch)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return float(loss.detach())

    def optimizer_state(self) -> dict[str, np.ndarray]:
        state = self.opt.state_dict()["state"]
        return {
            f"{i}.{k}": v.detach().cpu().numpy().reshape(v.shape)
            for i, s in state.items()
            for k, v in s.items()
        }

    def load_optimizer_state(self, flat: dict[str, np.ndarray]) -> None:
        state: dict[int, dict] = {}
        for key, value in flat.items():
            i, name = key.split(".", 1)
            state.setdefault(int(i), {})[name] = torch.from_numpy(np.array(value))
        self.opt.load_state_dict({"state": state, "param_groups": self.opt.state_dict()["param_groups"]})


class TorchStepper:
    """Next-token logits over a KV cache (see decode.Stepper)."""

    def __init__(self, model):
        import inspect

        self.model, self.cache = model.eval(), None
        # transformers 5.x renames `past_key_values` to `cache` (the old name warns); 4.x knows only the old
        params = inspect.signature(model.forward).parameters
        self.cache_arg = "cache" if "cache" in params else "past_key_values"

    @torch.inference_mode()
    def _run(self, ids: list[int]) -> np.ndarray:
        out = self.model(
            input_ids=torch.tensor([ids]), use_cache=True, logits_to_keep=1, **{self.cache_arg: self.cache}
        )
        self.cache = getattr(out, self.cache_arg)
        return out.logits[0, -1].float().numpy()

    def start(self, ids: list[int]) -> np.ndarray:
        self.cache = None
        return self._run(ids)

    def step(self, token: int) -> np.ndarray:
        return self._run([token])


def load_for_generation(lm_dir: Path, adapter: dict[str, np.ndarray] | None, cfg: LMConfig | None):
    """A stepper over the base model, with the adapter merged into its weights when given."""
    model = load_model(lm_dir)
    if adapter is not None:
        model = add_lora(model, cfg)
        set_adapter(model, adapter)
        model = model.merge_and_unload()
    return TorchStepper(model)


def train(
    lm_dir: Path,
    cfg: LMConfig,
    seqs: Sequence[tuple[list[int], int]],
    schedule: Sequence[Sequence[int]],
    start: Checkpoint | None,
    pad: int,
    window: Callable,
    adapter_dir: Path,
) -> None:
    """Train from `start` (or from scratch) to the end of `schedule`; write PEFT's adapter files."""
    torch.manual_seed(cfg.seed)
    model = add_lora(load_model(lm_dir), cfg)
    trainer = TorchLoRA(model, cfg)
    first = 0
    if start is not None:
        set_adapter(model, start.adapter)
        trainer.load_optimizer_state(start.optimizer)
        first = start.step
    total, losses, tokens, trained, elapsed = len(schedule), [], 0, 0, 0.0
    for step in range(first + 1, total + 1):
        # eager torch gains nothing from fixed shapes: each batch is padded only to its own longest sequence
        batch = make_batch([seqs[i] for i in schedule[step - 1]], pad)
        tic = time.perf_counter()
        losses.append(trainer.step(batch))
        elapsed += time.perf_counter() - tic
        tokens += batch.n_tokens
        if step % cfg.steps_per_report == 0 or step == total:
            trained += tokens
            window(
                step,
                float(np.mean(losses)),
                tokens / elapsed,
                trained,
                peak_rss_mb(),
                lambda: (get_adapter(model), trainer.optimizer_state()),
            )
            losses, tokens, elapsed = [], 0, 0.0
    model.save_pretrained(str(adapter_dir))


def write_adapter(lm_dir: Path, cfg: LMConfig, weights: dict[str, np.ndarray], adapter_dir: Path) -> None:
    """PEFT adapter files for canonical weights."""
    model = add_lora(load_model(lm_dir), cfg)
    set_adapter(model, weights)
    model.save_pretrained(str(adapter_dir))
