"""The Review tab: the words a profile was shown or kept, reviewed with spaced repetition (keep/review.py,
FSRS). "What does X mean?" among four definitions, Check reveals right or wrong and the full entry, then
Again / Hard / Good / Easy records the grade and the next due word follows. "Hear it" plays the word's
pronunciation (keep/speech.py), or says why it cannot and shows the IPA."""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from pathlib import Path

import gradio as gr

from wotd_mlx.errors import WotdError
from wotd_mlx.keep import distractors, export, review, speech
from wotd_mlx.taste.service import DEFAULT_PROFILE

from ..state import AppState
from ..views import friendly
from .common import profile_picker

GRADES = ("again", "hard", "good", "easy")
# Gradio serves files from the temp folder (and the working folder) only: the cached audio under the data
# folder is copied here before the page gets it.
AUDIO_DIR = Path(tempfile.gettempdir()) / "wotd-audio"


def nothing_due(state: dict) -> str:
    """Why there is nothing to review (an answer, not an error): no words yet, or none due before a time."""
    if not state["reviewing"]:
        return (
            "**Nothing to review yet.** The words you are shown in the Word of the day tab, and the words "
            "you keep in the Collect tab, come up here for review."
        )
    when = state["next_due"]
    at = f" The next one is due {when[:16].replace('T', ' ')} UTC." if when else ""
    return f"**Nothing is due now** ({state['reviewing']} words in review, {state['known']} known).{at}"


def due_text(state: dict) -> str:
    """The due count line: how many words are due now, how many of them new, or why none."""
    n = state["due"]
    if n == 0:
        return nothing_due(state)
    return (
        f"**{n} word{'s' if n != 1 else ''} due for review** ({state['new']} new; {state['reviewing']} in "
        f"review, {state['known']} known)."
    )


def entry_card(row: dict) -> str:
    """A word's full entry as Markdown: word, IPA, part of speech, definition, modern gloss, example and
    etymology."""
    ipa = f" <code>/{html.escape(row['ipa'])}/</code>" if row["ipa"] else ""
    lines = [
        f"### {html.escape(row['word'])}{ipa} <small>({html.escape(row['pos'] or '?')})</small>",
        "",
        f"**Definition.** {html.escape(row['definition'])}",
    ]
    if row["modern_gloss"]:
        lines += ["", f"**In today's words.** {html.escape(row['modern_gloss'])}"]
    lines += [
        "",
        f"**Example.** {html.escape(row['example'] or 'none in the dictionary')}",
        "",
        f"**Etymology.** {html.escape(row['etymology'] or 'not recorded')}",
    ]
    return "\n".join(lines)


def right_option(w, item: dict) -> int:
    """The number of the item's right option: the one showing the word's own (masked) definition."""
    definition, _, _ = review.options_for(w, item["word"])
    masked = distractors.mask(definition, item["word"])
    for option in item["options"]:
        if option["definition"] == masked:
            return option["number"]
    raise WotdError(f"the review item of {item['word']!r} changed meanwhile; press Start review again")


def audio_copy(path: Path) -> str:
    """The audio file copied (atomically) into the folder the page may read from; returns the copy's path."""
    AUDIO_DIR.mkdir(exist_ok=True)
    final = AUDIO_DIR / path.name
    tmp = AUDIO_DIR / f".{path.name}.{os.getpid()}.part"
    try:
        shutil.copyfile(path, tmp)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return str(final)


def build(demo: gr.Blocks, state: AppState, tab: gr.Tab) -> None:
    """The tab's components and events (call inside a gr.Tab)."""
    profile = profile_picker(demo, state, tab, "review")
    due = gr.Markdown(elem_id="review-due")
    start = gr.Button("Start review", variant="primary", elem_id="review-start")
    current = gr.State(None)  # the item on show: its word, options and, once checked, the choice
    with gr.Column(visible=False, elem_id="review-item") as box:
        question = gr.Markdown(elem_id="review-question")
        options = gr.Radio([], label="Choose its meaning", elem_id="review-options")
        with gr.Row():
            check = gr.Button("Check", variant="primary", elem_id="review-check")
            hear = gr.Button("Hear it", elem_id="review-hear")
        audio = gr.Audio(
            visible=False, interactive=False, autoplay=True, label="Pronunciation", elem_id="review-audio"
        )
        spoken = gr.Markdown(elem_id="review-speech")
        verdict = gr.Markdown(elem_id="review-verdict")
        entry = gr.Markdown(elem_id="review-entry", padding=True)
        with gr.Row(visible=False, elem_id="review-grades") as grades:
            grade_buttons = [
                gr.Button(g.capitalize(), elem_id=f"review-{g}", variant="primary" if g == "good" else None)
                for g in GRADES
            ]
    result = gr.Markdown(elem_id="review-result")

    @friendly(state.home)
    def due_view(name: str | None) -> str:
        """The profile's due count, or why nothing is due."""
        return due_text(review.due(state.store, name or DEFAULT_PROFILE))

    @friendly(state.home)
    def next_item(name: str | None) -> tuple:
        """The next due word's question and its four definitions, or the nothing-due message."""
        w = state.session()
        out = review.item(w, name or DEFAULT_PROFILE)
        it = out["item"]
        hidden = [gr.update(visible=False), gr.update(visible=False), ""]  # audio, grades, spoken
        if it is None:
            return (nothing_due(out), None, gr.update(visible=False), "", gr.update(), "", "", *hidden)
        ask = (
            f"## What does *{html.escape(it['word'])}* mean?\n\n"
            f"<small>({html.escape(it['pos'] or '?')}) · {'a new word' if it['new'] else 'seen before'}"
            f" · {out['due']} due</small>"
        )
        choices = [(o["definition"], o["number"]) for o in it["options"]]
        radio = gr.update(choices=choices, value=None, interactive=True)
        keep = {"word": it["word"], "options": it["options"], "choice": None}
        return (due_text(out), keep, gr.update(visible=True), ask, radio, "", "", *hidden)

    @friendly(state.home)
    def check_answer(choice, item: dict | None) -> tuple:
        """Reveal whether the chosen definition is right, and the word's full entry; the grades follow."""
        if not item:
            raise WotdError("press Start review first")
        if item["choice"] is not None:
            raise WotdError("this answer is checked already: grade it with Again, Hard, Good or Easy")
        if choice is None:
            raise WotdError("choose one of the four meanings first, then press Check")
        w = state.session()
        right = right_option(w, item)
        (row,) = export.rows(w.store, [item["word"]])
        if int(choice) == right:
            said = "**Right.** How well did you know it?"
        else:
            said = (
                f"**Not quite**: it is option {right}. A wrong choice is recorded as Again whatever you pick "
                "below, so the word comes back soon."
            )
        checked = item | {"choice": int(choice)}
        return said, entry_card(row), gr.update(interactive=False), gr.update(visible=True), checked

    def grade(rating: str):
        @friendly(state.home)
        def handler(item: dict | None, name: str | None) -> tuple:
            if not item or item["choice"] is None:
                raise WotdError("press Check first: the grade goes with a checked answer")
            w = state.session()
            out = review.answer(w, name or DEFAULT_PROFILE, item["word"], item["choice"], rating)
            said = f"**{html.escape(out['word'])}**: {out['rating']}"
            if out["rating"] != out["rating_given"]:
                said += " (the choice was wrong)"
            said += f"; next review in {out['interval_days']:.1f} days" + (" (known)" if out["known"] else "")
            return said + ".", None, gr.update(visible=False)

        handler.__doc__ = f"Record {rating.capitalize()} for the checked word; the next due word follows."
        return handler

    @friendly(state.home)
    def say(item: dict | None) -> tuple:
        """The word's pronunciation, or why there is none and its IPA."""
        if not item:
            raise WotdError("press Start review first")
        word = item["word"]
        (row,) = export.rows(state.store, [word])
        ipa = f"IPA: `/{row['ipa']}/`" if row["ipa"] else "No IPA is recorded for this word."
        try:
            made = speech.speak(state.home, word)
        except WotdError as exc:  # no engine on this machine: the IPA is the pronunciation shown
            return gr.update(visible=False, value=None), f"{html.escape(str(exc))}. {ipa}"
        return gr.update(visible=True, value=audio_copy(Path(made["path"]))), ipa

    private = {"api_visibility": "private"}
    item_outs = [due, current, box, question, options, verdict, entry, audio, grades, spoken]
    for event in (demo.load, profile.change, tab.select):
        event(due_view, profile, due, **private)
    profile.change(lambda: (None, gr.update(visible=False), ""), None, [current, box, result], **private)
    start.click(next_item, profile, item_outs, **private).success(lambda: "", None, result, **private)
    check.click(check_answer, [options, current], [verdict, entry, options, grades, current], **private)
    for rating, button in zip(GRADES, grade_buttons, strict=True):
        button.click(grade(rating), [current, profile], [result, current, grades], **private).success(
            next_item, profile, item_outs, **private
        )
    hear.click(say, current, [audio, spoken], **private)
