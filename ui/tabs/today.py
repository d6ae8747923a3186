"""The Word of the day tab: a profile picker, today's word as a card with Like / Dislike / Skip for the shown
word, the first-day slate for a profile with no ratings, undo, the learned taste in plain words, the words
due for review, and the history. Other dates and rating any typed word sit in a collapsed section."""

from __future__ import annotations

import html

import gradio as gr

from wotd_mlx.errors import WotdError
from wotd_mlx.keep import review
from wotd_mlx.taste import profile as taste_profile
from wotd_mlx.taste import service
from wotd_mlx.taste import slate as taste_slate

from ..state import AppState
from ..views import feedback_table, friendly, history_table, preference_move, today_card
from .common import publish_profile

DEFAULT = service.DEFAULT_PROFILE
ANSWERS = ["like", "dislike", "skip"]  # the slate's choices, as slate.ANSWERS reads them


def _due_text(n: int) -> str:
    if n == 0:
        return "No words due for review."
    return f"**{n} word{'s' if n != 1 else ''} due for review.**"


def build(demo: gr.Blocks, state: AppState, tab: gr.Tab) -> None:
    """The tab's components and events (call inside a gr.Tab)."""
    with gr.Row():
        profile = gr.Dropdown(
            choices=state.store.profiles(), value=DEFAULT, label="Profile", elem_id="profile-picker", scale=2
        )
        new_name = gr.Textbox(label="New profile", placeholder="e.g. alice", elem_id="new-profile", scale=2)
        add = gr.Button("Add profile", elem_id="add-profile", scale=1)
    due = gr.Markdown(elem_id="due-count")
    shown = gr.State("")  # the word on the card: what the card's buttons rate
    with gr.Group(elem_id="word-card"):
        card = gr.Markdown(elem_id="today-card", padding=True)
        with gr.Row():
            like_btn = gr.Button("Like", variant="primary", elem_id="like-button")
            dislike_btn = gr.Button("Dislike", elem_id="dislike-button")
            skip_btn = gr.Button("Skip", elem_id="skip-button")  # "not today": a weak dislike
            undo_btn = gr.Button("Undo last rating", elem_id="undo-button")
    moved = gr.Markdown(elem_id="preference")

    skipped = gr.State([])  # profiles whose slate was skipped in this page
    slate_words = gr.State([])
    with gr.Column(visible=False, elem_id="slate") as slate_box:
        gr.Markdown(
            "### Your first words\nNo ratings yet: say what you think of these words, which differ in topic, "
            "style and age, so your word of the day can learn your taste. Leave a word unanswered to pass it."
        )
        radios = [
            gr.Radio(ANSWERS, label=f"word {i + 1}", visible=False, elem_id=f"slate-{i}")
            for i in range(taste_slate.SLATE_SIZE)
        ]
        with gr.Row():
            save_btn = gr.Button("Save answers", variant="primary", elem_id="slate-save")
            pass_btn = gr.Button("Skip the slate", elem_id="slate-skip")

    with gr.Accordion("Other days and words", open=False, elem_id="other-days"):
        with gr.Row():
            date = gr.Textbox(
                label="Date", placeholder="YYYY-MM-DD (blank: today)", elem_id="today-date", scale=3
            )
            show = gr.Button("Show the word", elem_id="today-button", scale=1)
        with gr.Row():
            word = gr.Textbox(
                label="Word to rate", info="Today's word, or any lexicon word", elem_id="rate-word"
            )
            any_like = gr.Button("Like", elem_id="rate-like", scale=0)
            any_dislike = gr.Button("Dislike", elem_id="rate-dislike", scale=0)
            any_skip = gr.Button("Skip", elem_id="rate-skip", scale=0)
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
        """The profile's learned taste in plain words (shown after every event that changes it)."""
        summary = taste_profile.render(taste_profile.summary(state.session(), name or DEFAULT))
        return "#### Your taste\n\n" + html.escape(summary).replace("\n", "\n\n")

    @friendly(state.home)
    def today(day: str | None, name: str = DEFAULT) -> tuple:
        """The profile's word of the day for a date (blank: today): (card, the word, history, ratings)."""
        w = state.session()
        result = w.today((day or "").strip() or None, name or DEFAULT)
        shown_card = today_card(result, w.axes) + f"\n\n**Why this word.** {html.escape(result['why'])}"
        return (shown_card, result["word"], *tables(name))

    @friendly(state.home)
    def due_count(name: str) -> str:
        """How many words the profile has due for review."""
        n = review.due(state.store, name or DEFAULT)["due"]
        return _due_text(n)

    @friendly(state.home)
    def slate_view(name: str, passed: list) -> list:
        """The slate for a profile with no ratings (unless skipped here); hidden otherwise."""
        name = name or DEFAULT
        hidden = [gr.update(visible=False), [], *[gr.update(visible=False, value=None) for _ in radios]]
        if name in passed or state.store.feedback(name):
            return hidden
        words = taste_slate.slate(state.session(), name)["words"]
        updates = [
            gr.update(visible=True, value=None, label=x["word"], info=x["definition"]) for x in words
        ] + [gr.update(visible=False, value=None) for _ in radios[len(words) :]]
        return [gr.update(visible=True), [x["word"] for x in words], *updates]

    @friendly(state.home)
    def save_slate(name: str, words: list, *answers) -> tuple:
        """Rate the slate's answered words in one go (an unknown word stops all of them)."""
        given = {x: taste_slate.ANSWERS[a] for x, a in zip(words, answers, strict=False) if a in ANSWERS}
        if not given:
            raise WotdError("choose Like, Dislike or Skip for at least one word first; nothing was saved")
        out = taste_slate.rate(state.session(), name or DEFAULT, given)
        done = ", ".join(f"{html.escape(r['word'])} ({r['feedback']})" for r in out["rated"])
        n = len(out["rated"])
        return (
            f"Saved {n} answer{'s' if n != 1 else ''}: {done}. Undo takes back the last one.",
            *tables(name),
        )

    def pass_slate(name: str, passed: list) -> list:
        """Hide the slate for this profile in this page."""
        return [*passed, name or DEFAULT]

    def rate(value: int, from_card: bool):
        @friendly(state.home)
        def handler(text: str, name: str = DEFAULT) -> tuple:
            if from_card and not text:
                raise WotdError("no word on the card yet: wait for today's word to show")
            w = state.session()
            result = w.feedback(text or "", value, name or DEFAULT)
            return (preference_move(result, w.axes), *tables(name))

        verb = {1: "Like", -1: "Dislike", 0: "Skip"}[value]
        handler.__doc__ = (
            f"{verb} {'the shown' if from_card else 'a'} word: (how the taste moved, history, ratings)."
        )
        return handler

    @friendly(state.home)
    def undo(name: str = DEFAULT) -> tuple:
        """Take back the profile's last rating: (what was undone, history, ratings)."""
        w = state.session()
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
        out = service.reset(w, name or DEFAULT)
        return (f"Forgot {out['forgotten']} ratings of profile **{out['profile']}**.", False, *tables(name))

    @friendly(state.home)
    def add_profile(text: str):
        """Add a named profile and switch to it."""
        w = state.session()
        out = service.create_profile(w, (text or "").strip())
        return gr.Dropdown(choices=out["profiles"], value=out["profile"]), ""

    @friendly(state.home)
    def past(name: str = DEFAULT) -> tuple:
        """Past words of the day with your ratings, and every rating."""
        return tables(name)

    # The endpoints keep their outputs; the taste panel, the card's word, the due count and the slate follow.
    outs = [card, word, history, ratings]
    rated = [moved, history, ratings]
    slate_outs = [slate_box, slate_words, *radios]
    private = {"api_visibility": "private"}
    for event in (
        show.click(today, [date, profile], outs, api_name="today", concurrency_limit=None),
        date.submit(today, [date, profile], outs, **private),
        tab.select(today, [date, profile], outs, **private),
        profile.change(today, [date, profile], outs, **private),
    ):
        event.success(learned, profile, taste, **private)
        event.success(lambda text: text, word, shown, **private)
        event.success(due_count, profile, due, **private)
        event.success(slate_view, [profile, skipped], slate_outs, **private)
    for event in (
        like_btn.click(rate(+1, True), [shown, profile], rated, concurrency_limit=None, **private),
        dislike_btn.click(rate(-1, True), [shown, profile], rated, concurrency_limit=None, **private),
        skip_btn.click(rate(0, True), [shown, profile], rated, concurrency_limit=None, **private),
        any_like.click(rate(+1, False), [word, profile], rated, api_name="like", concurrency_limit=None),
        any_dislike.click(
            rate(-1, False), [word, profile], rated, api_name="dislike", concurrency_limit=None
        ),
        any_skip.click(rate(0, False), [word, profile], rated, api_name="skip", concurrency_limit=None),
        undo_btn.click(undo, profile, rated, api_name="undo", concurrency_limit=None),
        reset_btn.click(reset, [sure, profile], [moved, sure, history, ratings], api_name="reset"),
        save_btn.click(save_slate, [profile, slate_words, *radios], rated, **private),
        demo.load(past, profile, [history, ratings], api_name="history"),
    ):
        event.success(learned, profile, taste, **private)
        event.success(slate_view, [profile, skipped], slate_outs, **private)
    pass_btn.click(pass_slate, [profile, skipped], skipped, **private).then(
        slate_view, [profile, skipped], slate_outs, **private
    )
    add.click(add_profile, new_name, [profile, new_name], api_name="add_profile")
    taste_btn.click(learned, profile, taste, api_name="taste")

    publish_profile(demo, profile)
