"""The Word of the day tab: today's word, like / dislike moving the preference, and the history."""

from __future__ import annotations

import gradio as gr

from ..state import AppState
from ..views import feedback_table, friendly, history_table, preference_move, today_card


def build(demo: gr.Blocks, state: AppState, tab: gr.Tab) -> None:
    """The tab's components and events (call inside a gr.Tab)."""
    with gr.Row():
        date = gr.Textbox(
            label="Date", placeholder="YYYY-MM-DD (blank: today)", elem_id="today-date", scale=3
        )
        show = gr.Button("Show the word", variant="primary", elem_id="today-button", scale=1)
    card = gr.Markdown(elem_id="today-card")
    with gr.Row():
        word = gr.Textbox(label="Word to rate", info="Today's word, or any lexicon word", elem_id="rate-word")
        like_btn = gr.Button("Like", elem_id="like-button", scale=0)
        dislike_btn = gr.Button("Dislike", elem_id="dislike-button", scale=0)
    moved = gr.Markdown(elem_id="preference")
    with gr.Row():
        history = gr.Dataframe(label="Past words of the day", interactive=False, elem_id="history")
        ratings = gr.Dataframe(label="Your ratings", interactive=False, elem_id="ratings")

    def tables() -> tuple:
        store = state.store
        return history_table(store.history(), store.feedback()), feedback_table(store.feedback())

    @friendly
    def today(day: str | None) -> tuple:
        """The word of the day for a date (blank: today): (card, the word, history, ratings)."""
        w = state.session()
        with state.write_lock:  # the first look at a date records its word
            result = w.today((day or "").strip() or None)
        return (today_card(result, w.axes), result["word"], *tables())

    def rate(value: int):
        @friendly
        def handler(text: str) -> tuple:
            w = state.session()
            with state.write_lock:
                result = w.feedback(text or "", value)
            return (preference_move(result, w.axes), *tables())

        handler.__doc__ = (
            f"{'Like' if value > 0 else 'Dislike'} a word: (how the preference moved, history, ratings)."
        )
        return handler

    @friendly
    def past() -> tuple:
        """Past words of the day with your ratings, and every rating."""
        return tables()

    show.click(today, date, [card, word, history, ratings], api_name="today", concurrency_limit=None)
    date.submit(today, date, [card, word, history, ratings], api_visibility="private")
    tab.select(today, date, [card, word, history, ratings], api_visibility="private")
    like_btn.click(rate(+1), word, [moved, history, ratings], api_name="like", concurrency_limit=None)
    dislike_btn.click(rate(-1), word, [moved, history, ratings], api_name="dislike", concurrency_limit=None)
    demo.load(past, None, [history, ratings], api_name="history")
