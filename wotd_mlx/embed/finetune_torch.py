"""The torch fine-tune of the embedder (the Linux/Windows path): sentence-transformers' trainer on the CPU.

SentenceTransformerTrainer with MultipleNegativesRankingLoss (scale 20, cosine; in-batch negatives plus the
mined hard negative), the "no_duplicates" batch sampler, AdamW with linear warmup and decay, and only the top
`train_layers` transformer layers trainable. finetune_mlx.py is the same training on MLX.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from .finetune_common import (
    FinetuneConfig,
    Progress,
    TooFewPairs,
    check_train_layers,
    publish,
    staging_dir,
    total_steps,
    warmup_steps,
)
from .models import resolve_model_dir


def freeze_below(model, train_layers: int) -> None:
    """Freeze the token embeddings and every transformer layer below the top `train_layers` of a
    SentenceTransformer (its pooler gets no gradient: the loss never reads it)."""
    encoder = model[0].auto_model
    layers = encoder.encoder.layer
    check_train_layers(train_layers, len(layers))
    for p in encoder.embeddings.parameters():
        p.requires_grad = False
    for layer in layers[: len(layers) - train_layers]:
        for p in layer.parameters():
            p.requires_grad = False


def train_and_save_torch(
    cols: dict[str, list[str]],
    cfg: FinetuneConfig,
    home: Path,
    progress: Progress | None = None,
    data_s: float = 0.0,
    key: str = "",
) -> dict:
    """Train on ready columns with sentence-transformers and publish the versioned model (finetune_common)."""
    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from transformers import TrainerCallback
    from transformers.trainer_callback import PrinterCallback

    torch.manual_seed(cfg.seed)
    model = SentenceTransformer(str(resolve_model_dir(cfg.base)), device="cpu")
    model.max_seq_length = cfg.max_length
    freeze_below(model, cfg.train_layers)
    model.model_card_data.widget = [{"text": ""}]  # no card is written: skips its "widget examples" bar
    steps = total_steps(cols, cfg)

    class _Bar(TrainerCallback):
        def on_step_end(self, args, state, control, **kw):
            if progress:
                progress("finetune", state.global_step, steps)

    with staging_dir(home) as staging:
        args = SentenceTransformerTrainingArguments(
            output_dir=str(staging / "trainer"),
            per_device_train_batch_size=cfg.batch_size,
            num_train_epochs=1,
            learning_rate=cfg.lr,
            warmup_steps=warmup_steps(steps, cfg),
            batch_sampler="no_duplicates",  # a duplicate text in a batch would be a false in-batch negative
            save_strategy="no",
            report_to="none",
            logging_steps=max(1, steps // 10),
            seed=cfg.seed,
            use_cpu=True,
            disable_tqdm=progress is not None,
            dataloader_drop_last=True,
        )
        trainer = SentenceTransformerTrainer(
            model=model,
            args=args,
            train_dataset=Dataset.from_dict(cols),
            loss=MultipleNegativesRankingLoss(model),
            callbacks=[_Bar()],
        )
        trainer.remove_callback(PrinterCallback)  # its print() of each log would break `--json`'s stdout
        t1 = time.time()
        result = trainer.train()
        if result.global_step == 0:  # the sampler could not fill one batch of distinct texts
            raise TooFewPairs("no batch of distinct training pairs in this lexicon; nothing was trained")
        t_train = time.time() - t1
        shutil.rmtree(staging / "trainer", ignore_errors=True)  # the trainer's own output dir: not a model
        model.save(str(staging), create_model_card=False)  # a card would print "Computing widget examples"
        facts = {"backend": "torch", "key": key, "data_s": data_s, "train_s": t_train}
        return publish(staging, cfg, cols, facts | {"train_loss": result.training_loss})
