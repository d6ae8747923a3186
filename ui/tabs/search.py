"""The Search tab: describe a meaning, get the words closest to it, and like any of them in one click; look
up any word's whole entry."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from wotd_mlx.errors import WotdError
from wotd_mlx.show import show

from ..state import AppState
from ..views import entry_page, friendly, words_table
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

    with gr.Accordion("Look up a word", open=False, elem_id="lookup"):
        with gr.Row():
            word = gr.Textbox(label="Word", placeholder="abate", elem_id="lookup-word", scale=4)
            look = gr.Button("Look up", elem_id="lookup-button", scale=1)
        entry = gr.Markdown(elem_id="lookup-entry")

    @friendly(state.home)
    def lookup(text: str) -> str:
        """A word's whole entry: every Webster sense with its labels, modern glosses, IPA, etymology, ID."""
        return entry_page(show(state.store, text or ""))

    look.click(lookup, word, entry, api_name="lookup", concurrency_limit=None)
    word.submit(lookup, word, entry, api_visibility="private", concurrency_limit=None)
