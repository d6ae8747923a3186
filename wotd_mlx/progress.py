"""The commands' progress bars: one tqdm bar per stage, on stderr (stdout carries the JSON result)."""

from __future__ import annotations

import sys
from typing import Any


class Bars:
    """progress(stage, done, total) drawing one bar per stage; a new stage closes the bars before it."""

    def __init__(self, unit: str = "it"):
        self.unit = unit
        self.bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Move the stage's bar to done of total, opening it (and closing the others) on first report."""
        # Imported on first use: commands that report no progress never load tqdm.
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            # A stage that reports again later gets a fresh bar rather than updating a closed one.
            self.close()
            self.bars.clear()
            bar = self.bars[stage] = tqdm(
                total=total, desc=f"{stage:>8}", unit=self.unit, file=sys.stderr, dynamic_ncols=True
            )
        bar.total = total
        bar.n = done
        bar.refresh()

    def lm_report(self, rep: Any) -> None:
        """Loss, speed and memory of the LM's training, beside its bar."""
        bar = self.bars.get("lm")
        if bar is not None:
            bar.set_postfix_str(
                f"loss {rep.loss:.3f}, {rep.tokens_per_s:.0f} tok/s, peak {rep.peak_memory_mb / 1024:.1f} GB"
            )

    def close(self) -> None:
        """Close every bar (each stays on screen with its last count)."""
        for bar in self.bars.values():
            bar.close()

    def __enter__(self) -> Bars:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
