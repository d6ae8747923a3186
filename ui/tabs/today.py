"""The Word of the day tab: a profile picker, today's word with why it was chosen, like / dislike / skip /
undo, the learned taste, and the history."""

from __future__ import annotations

import html

import gradio as gr

from wotd_mlx.taste import profile as taste_profile
from wotd_mlx.taste import service

from ..state import AppState
from ..views import feedback_table, friendly, history_table, preference_move, today_card

DEFAULT = service.DEFAULT_PROFILE


def build(demo: gr.Blocks, state: AppState, tab: gr.Tab) -> None:
    """The tab's components and events (call inside a gr.Tab)."""
    with gr.Row():
        profile = gr.Dropdown(
            choices=state.store.profiles(), value=DEFAULT, label="Profile", elem_id="profile-picker", scale=2
        )
        new_name = gr.Textbox(label="New profile", placeholder="e.g. alice", elem_id="new-profile", scale=2)
        add = gr.Button("Add profile", elem_id="add-profile", scale=1)
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
        skip_btn = gr.Button("Skip", elem_id="skip-button", scale=0)  # "not today": a weak dislike
        undo_btn = gr.Button("Undo last rating", elem_id="undo-button", scale=0)
    moved = gr.Markdown(elem_id="preference")
    with gr.Row():
        taste = gr.Markdown(elem_id="taste")
        taste_btn = gr.Button("Show my taste", elem_id="taste-button", scale=0)
    with gr.Row():
        history = gr.Dataframe(label="Past words of the day", interactive=False, elem_id="history")
        ratings = gr.Dataframe(label="Your ratings", interactive=False, elem_id="ratings")
    with gr.Row():
        sure = gr.Checkbox(label="Yes, forget every rating of this profile", elem_id="reset-sure")
        reset_btn = gr.Button("Reset this profile's taste", variant="stop", elem_id="reset-button", scale=0)

    def tables(name: str) -> tuple:
        """History and ratings of a profile."""
        name = service.check_profile(state.session(), name or DEFAULT)
        store = state.store
        return history_table(store.history(name), store.feedback(name)), feedback_table(store.feedback(name))

    @friendly(state.home)
    def learned(name: str = DEFAULT) -> str:
        """The profile's learned taste as Markdown (shown after every event that changes it)."""
        summary = taste_profile.render(taste_profile.summary(state.session(), name or DEFAULT))
        return "#### Your taste\n\n" + html.escape(summary).replace("\n", "\n\n")

    @friendly(state.home)
    def today(day: str | None, name: str = DEFAULT) -> tuple:
        """The profile's word of the day for a date (blank: today): (card, the word, history, ratings)."""
        w = state.session()
        with state.write_lock:  # the first look at a date records its word
            result = w.today((day or "").strip() or None, name or DEFAULT)
        shown = today_card(result, w.axes) + f"\n\n**Why this word.** {html.escape(result['why'])}"
        return (shown, result["word"], *tables(name))

    def rate(value: int):
        @friendly(state.home)
        def handler(text: str, name: str = DEFAULT) -> tuple:
            w = state.session()
            with state.write_lock:
                result = w.feedback(text or "", value, name or DEFAULT)
            return (preference_move(result, w.axes), *tables(name))

        verb = {1: "Like", -1: "Dislike", 0: "Skip"}[value]
        handler.__doc__ = f"{verb} a word: (how the taste moved, history, ratings)."
        return handler

    @friendly(state.home)
    def undo(name: str = DEFAULT) -> tuple:
        """Take back the profile's last rating: (what was undone, history, ratings)."""
        w = state.session()
        with state.write_lock:
            out = w.undo(name or DEFAULT)
        gone = out["undone"]
        text = f"Took back your {gone['feedback']} of **{html.escape(gone['word'])}**."
        return (text, *tables(name))

    @friendly(state.home)
    def reset(yes: bool, name: str = DEFAULT) -> tuple:
        """Forget every rating of the profile (only with the box ticked)."""
        if not yes:
            raise gr.Error("Tick 'Yes, forget every rating of this profile' first: a reset cannot be undone.")
        w = state.session()
        with state.write_lock:
            out = service.reset(w, name or DEFAULT)
        return (f"Forgot {out['forgotten']} ratings of profile **{out['profile']}**.", False, *tables(name))

    @friendly(state.home)
    def add_profile(text: str):
        """Add a named profile and switch to it."""
        w = state.session()
        with state.write_lock:
            out = service.create_profile(w, (text or "").strip())
        return gr.Dropdown(choices=out["profiles"], value=out["profile"]), ""

    @friendly(state.home)
    def past(name: str = DEFAULT) -> tuple:
        """Past words of the day with your ratings, and every rating."""
        return tables(name)

    # The endpoints keep their outputs; the taste panel follows each of them.
    outs = [card, word, history, ratings]
    rated = [moved, history, ratings]
    for event in (
        show.click(today, [date, profile], outs, api_name="today", concurrency_limit=None),
        date.submit(today, [date, profile], outs, api_visibility="private"),
        tab.select(today, [date, profile], outs, api_visibility="private"),
        profile.change(today, [date, profile], outs, api_visibility="private"),
        like_btn.click(rate(+1), [word, profile], rated, api_name="like", concurrency_limit=None),
        dislike_btn.click(rate(-1), [word, profile], rated, api_name="dislike", concurrency_limit=None),
        skip_btn.click(rate(0), [word, profile], rated, api_name="skip", concurrency_limit=None),
        undo_btn.click(undo, profile, rated, api_name="undo", concurrency_limit=None),
        reset_btn.click(reset, [sure, profile], [moved, sure, history, ratings], api_name="reset"),
        demo.load(past, profile, [history, ratings], api_name="history"),
    ):
        event.success(learned, profile, taste, api_visibility="private")
    add.click(add_profile, new_name, [profile, new_name], api_name="add_profile")
    taste_btn.click(learned, profile, taste, api_name="taste")
