"""The Search tab: describe a meaning, get the words closest to it, and like any of them in one click."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from wotd_mlx.errors import WotdError

from ..state import AppState
from ..views import friendly, words_table
from .common import like_row, words_of


def build(demo: gr.Blocks, state: AppState) -> None:
    """The tab's components and events (call inside a gr.Tab)."""
    with gr.Row():
        text = gr.Textbox(
            label="Describe a meaning",
            placeholder="a person who studies insects",
            elem_id="search-text",
            scale=4,
        )
        k = gr.Slider(1, 50, value=10, step=1, label="How many words", scale=1)
    go = gr.Button("Search", variant="primary", elem_id="search-button")
    results = gr.Dataframe(
        pd.DataFrame(columns=["word", "score", "definition", "semantic ID"]),
        label="Closest words",
        wrap=True,
        interactive=False,
        elem_id="search-results",
    )
    pick = like_row(demo, state, "search")

    @friendly(state.home)
    def search(query: str, count) -> object:
        """Words whose meaning is closest to the text, best first, with scores and semantic IDs."""
        w = state.session()
        try:
            count = int(count)
        except (TypeError, ValueError):
            raise WotdError(f"the number of words must be a whole number, got {count!r}") from None
        return words_table(w.search(query or "", count), w.axes)

    for event in (
        go.click(search, [text, k], results, api_name="search", concurrency_limit=None),
        text.submit(search, [text, k], results, api_visibility="private", concurrency_limit=None),
    ):
        event.success(words_of, results, pick, api_visibility="private")
