"""The Lab tab: the compression lab's last results (table and plot, from `wotd bench quantizers`), the
encoder's metrics, and a 2-D map of the word embeddings coloured by semantic ID."""

from __future__ import annotations

import threading

import gradio as gr
import numpy as np
import pandas as pd

from wotd_mlx.errors import WotdError
from wotd_mlx.quant.plot import lab_results, markdown_table

from ..state import AppState
from ..views import AXES, friendly

NO_BENCH = (
    "No compression-lab results yet. Run `wotd bench quantizers` (about as long as a full training; "
    "`--max-words 5000` for a quick look) and press **Refresh**: its table and plot appear here."
)

MAP_POINTS = 3000  # enough to see the structure; a browser plot of all 35k points is slow to draw


def flatten(metrics: dict, prefix: str = "") -> list[dict]:
    """Nested numeric metrics as (metric, value) rows, e.g. "holdout.accuracy.style"."""
    rows = []
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += flatten(value, name + ".")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            rows.append({"metric": name, "value": round(float(value), 4)})
    return rows


def level_column(axis: str, run_id: int) -> str:
    # The plot keeps a colour column's categories from its first data; a name per run starts afresh.
    return f"{axis} (run {run_id})"


def pca_map(
    matrix: np.ndarray, codes: np.ndarray, words: list[str], axes: dict, n: int, run_id: int
) -> pd.DataFrame:
    """A 2-D PCA projection of a fixed sample of the embeddings, with each word's level names."""
    rng = np.random.default_rng(0)
    pick = np.sort(rng.choice(len(words), size=min(n, len(words)), replace=False))
    X = matrix[pick].astype(np.float64)
    X -= X.mean(0)
    # The top two right singular vectors are the principal axes.
    _, _, vt = np.linalg.svd(X, full_matrices=False)
    xy = X @ vt[:2].T
    frame = {"x": xy[:, 0], "y": xy[:, 1], "word": [words[i] for i in pick]}
    for j, axis in enumerate(AXES[: codes.shape[1]]):
        frame[level_column(axis, run_id)] = [axes[axis][int(c)] for c in codes[pick, j]]
    return pd.DataFrame(frame)


def build(demo: gr.Blocks, state: AppState, tab: gr.Tab) -> None:
    """The tab's components and events (call inside a gr.Tab)."""
    with gr.Accordion("Compression lab: word embeddings compressed, quality against size", open=True):
        bench_text = gr.Markdown(elem_id="lab-bench")
        bench_plot = gr.Image(type="pil", label="Quality against bytes per vector", show_label=True)
    gr.Markdown(
        "The semantic encoder's held-out metrics and a 2-D map of the word embeddings (PCA of "
        f"{MAP_POINTS} words), coloured by one part of each word's semantic ID."
    )
    with gr.Row():
        color = gr.Radio(list(AXES), value="style", label="Colour by", elem_id="lab-colour")
        refresh_btn = gr.Button("Refresh", scale=0)
    with gr.Row():
        metrics = gr.Dataframe(
            pd.DataFrame(columns=["metric", "value"]),
            label="Encoder metrics",
            interactive=False,
            column_widths=["70%", "30%"],
            scale=1,
        )
        plot = gr.ScatterPlot(
            None,  # not an empty frame: the plot would keep that frame's (empty) colour categories
            x="x",
            y="y",
            title="Word embeddings, PCA",
            height=480,
            scale=2,
        )
    cache: dict[int, pd.DataFrame] = {}
    lock = threading.Lock()

    @friendly(state.home)
    def lab(axis: str) -> tuple:
        """The encoder's metrics and the embedding map coloured by one axis of the semantic ID."""
        if axis not in AXES:
            raise WotdError(f"unknown axis {axis!r}; allowed: {', '.join(AXES)}")
        w = state.session()
        with lock:  # the projection is computed once per run
            if w.run.id not in cache:
                cache.clear()
                cache[w.run.id] = pca_map(
                    w.index.matrix(), w.codes, w.index.words, w.axes, MAP_POINTS, w.run.id
                )
            frame = cache[w.run.id]
        levels = [c for c in frame.columns if c not in ("x", "y", "word")]
        rows = flatten(w.run.metrics.get("encoder") or {})
        plot = gr.update(value=frame, color=level_column(axis, w.run.id), tooltip=["word", *levels])
        return pd.DataFrame(rows, columns=["metric", "value"]), plot

    @friendly(state.home)
    def bench() -> tuple:
        """The compression lab's last results: (a Markdown table with its settings, the plot)."""
        try:
            found = lab_results(state.home)
        except (OSError, ValueError, KeyError) as exc:
            raise WotdError(
                f"the compression lab's saved results are unreadable ({exc}); "
                "run `wotd bench quantizers` again"
            ) from None
        if found is None:
            return NO_BENCH, None
        rows, png, meta = found
        head = f"**{meta.get('title', 'Last run')}**, embedder `{meta.get('embedder', '?')}`"
        if "seconds" in meta:
            head += f", {meta['seconds']:.0f} s"
        image = None
        if png is not None:
            from PIL import Image  # a copy in memory: gradio serves it without access to the data folder

            with Image.open(png) as img:
                image = img.copy()
        return f"{head}\n\n{markdown_table(rows)}", image

    refresh_btn.click(lab, color, [metrics, plot], api_name="lab")
    refresh_btn.click(bench, None, [bench_text, bench_plot], api_name="compression")
    for event in (tab.select, color.change):
        event(lab, color, [metrics, plot], api_visibility="private")
    tab.select(bench, None, [bench_text, bench_plot], api_visibility="private")
