"""What several tabs share: the profile picker of the Word-of-the-day tab, and a "Like this word" row that
rates a shown word for that profile. A module of its own so that no tab imports another tab."""

from __future__ import annotations

import html
from collections.abc import Callable

import gradio as gr

from wotd_mlx.errors import WotdError
from wotd_mlx.taste.service import DEFAULT_PROFILE

from ..state import AppState
from ..views import friendly


def with_profile(demo: gr.Blocks, wire: Callable[[gr.Dropdown], None]) -> None:
    """Call `wire(profile picker)` now if this tab is built, else as soon as build() makes the picker (so
    other tabs rate words for the profile picked here, whatever order the tabs are built in)."""
    picker = getattr(demo, "wotd_profile", None)
    if picker is not None:
        wire(picker)
    else:
        demo.__dict__.setdefault("wotd_profile_waiting", []).append(wire)


def publish_profile(demo: gr.Blocks, picker: gr.Dropdown) -> None:
    """Make `picker` the app's profile picker and wire every tab that asked for it before it existed."""
    demo.wotd_profile = picker
    for wire in demo.__dict__.pop("wotd_profile_waiting", []):
        wire(picker)


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


def profile_picker(demo: gr.Blocks, state: AppState, tab: gr.Tab, prefix: str) -> gr.Dropdown:
    """A tab's own profile picker that follows the Word-of-the-day tab's (picking or adding a profile there
    picks it here too) and refreshes its choices whenever its tab is opened."""
    default = DEFAULT_PROFILE
    picker = gr.Dropdown(
        choices=state.store.profiles(),
        value=default,
        label="Profile",
        info="The Word of the day tab's profile; add profiles there",
        elem_id=f"{prefix}-profile",
    )

    def refresh(name: str | None) -> dict:
        names = state.store.profiles()
        return gr.update(choices=names, value=name if name in names else default)

    with_profile(demo, lambda main: main.change(refresh, main, picker, api_visibility="private"))
    tab.select(refresh, picker, picker, api_visibility="private")
    return picker
