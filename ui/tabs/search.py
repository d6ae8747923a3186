"""The Search tab: describe a meaning, get the words closest to it, and like any of them in one click."""

from __future__ import annotations

import html

import gradio as gr
import pandas as pd

from wotd_mlx.errors import WotdError

from ..state import AppState
from ..views import friendly, words_table
from .today import with_profile


def like_row(demo: gr.Blocks, state: AppState, prefix: str) -> gr.Dropdown:
    """A picker of the shown words and a "Like this word" button that rates the picked word for the profile
    chosen in the Word-of-the-day tab (the ordinary feedback path); returns the picker to fill."""
    with gr.Row():
        pick = gr.Dropdown([], label="More like this: pick a word", elem_id=f"{prefix}-like-word", scale=3)
        button = gr.Button("Like this word", elem_id=f"{prefix}-like-button", scale=1)
    done = gr.Markdown(elem_id=f"{prefix}-liked")

    @friendly(state.home)
    def like(word: str | None, name: str | None) -> str:
        """Like the picked word for the profile: a line saying it was recorded."""
        if not word:
            raise WotdError("no word picked: show some words first, then pick one to like")
        w = state.session()
        with state.write_lock:
            out = w.feedback(word, 1, name or None)
        return (
            f"You liked **{html.escape(out['word'])}** (profile **{html.escape(out['profile'])}**, "
            f"{out['n_feedback']} ratings so far): your next words lean towards it. "
            "Undo it in the Word of the day tab."
        )

    with_profile(demo, lambda profile: button.click(like, [pick, profile], done, api_visibility="private"))
    return pick


def words_of(table) -> dict:
    """The picker's choices: the table's words in order, the first picked."""
    words = [] if table is None or "word" not in table else [str(x) for x in table["word"] if str(x)]
    return gr.update(choices=words, value=words[0] if words else None)


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
