"""The Explore tab: pick a semantic ID by its level names (or take a word's, or any text's) and get words for
it, by LM or retrieval; like any of the words in one click."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from wotd_mlx.errors import WotdError
from wotd_mlx.semantic.ids import format_id
from wotd_mlx.session import DEFAULT_METHOD

from ..state import AppState
from ..views import AXES, fit, friendly, id_names, words_table
from .common import like_row, words_of

METHODS = [("Retrieval from the lexicon", "retrieval"), ("Fine-tuned LM", "lm")]
DEFAULT_ID = (0, 3, 2, 0)


def _index(axes: dict[str, list[str]], axis: str, label) -> int:
    names = axes[axis]
    if label in names:
        return names.index(label)
    raise WotdError(f"unknown {axis} {label!r}; allowed: {', '.join(names)}")


def _source(row: dict) -> str:
    return "LM" if row["definition_source"] == "lm" else "dictionary (LM's failed the check)"


def _dropdown_values(sid, axes: dict[str, list[str]]) -> list:
    return [gr.update(choices=axes[a], value=axes[a][int(v)]) for a, v in zip(AXES, sid, strict=True)]


def build(demo: gr.Blocks, state: AppState, tab: gr.Tab) -> None:
    """The tab's components and events (call inside a gr.Tab)."""
    axes = state.axes()
    start = tuple(min(v, len(axes[a]) - 1) for a, v in zip(AXES, DEFAULT_ID, strict=True))
    gr.Markdown(
        "Pick a style, complexity, era and variation: together they are a **semantic ID**. "
        "Each word comes back with its own ID, so you can see whether it fits."
    )
    with gr.Row():
        pickers = [
            gr.Dropdown(axes[a], value=axes[a][v], label=a.capitalize(), elem_id=f"explore-{a}")
            for a, v in zip(AXES, start, strict=True)
        ]
    with gr.Row():
        sid = gr.Textbox(
            format_id(start),
            label="Semantic ID (style, complexity, era, variation)",
            info="Type an ID and press Enter to set the pickers.",
            elem_id="explore-id",
        )
        word = gr.Textbox(label="Or start from a word", placeholder="e.g. abbey", elem_id="explore-word")
        word_btn = gr.Button("Use its ID", scale=0)
    with gr.Row():
        free = gr.Textbox(
            label="Or describe anything", placeholder="e.g. a stormy sea", elem_id="explore-text", scale=4
        )
        free_btn = gr.Button("Encode it", scale=0, elem_id="explore-text-button")
    with gr.Row():
        n = gr.Slider(1, 50, value=10, step=1, label="How many words")
        # the default is the method that measures better (session.DEFAULT_METHOD, BENCHMARKS.md)
        method = gr.Radio(METHODS, value=DEFAULT_METHOD, label="Method", elem_id="explore-method")
        temperature = gr.Slider(0.0, 2.0, value=0.0, step=0.1, label="LM temperature (0: greedy)")
    go = gr.Button("Generate", variant="primary", elem_id="generate-button")
    status = gr.Markdown(elem_id="explore-status")
    results = gr.Dataframe(
        pd.DataFrame(columns=["word", "definition", "semantic ID", "fits the ID?"]),
        label="Words",
        wrap=True,
        interactive=False,
        elem_id="explore-results",
    )
    pick = like_row(demo, state, "explore")

    @friendly(state.home)
    def compose(*labels) -> str:
        """The ID the four pickers spell."""
        axes = state.axes()
        return format_id([_index(axes, a, label) for a, label in zip(AXES, labels, strict=True)])

    @friendly(state.home)
    def apply_id(text: str) -> list:
        """Set the pickers from a typed ID."""
        w = state.session()
        return _dropdown_values(w.parse_id(text), w.axes)

    @friendly(state.home)
    def use_word(text: str) -> list:
        """Set the pickers (and the ID) from a lexicon word's own ID."""
        w = state.session()
        (row,) = w.encode([text or ""])
        return [*_dropdown_values(row["semantic_id"], w.axes), format_id(row["semantic_id"])]

    @friendly(state.home)
    def use_text(text: str) -> list:
        """Set the pickers (and the ID) from free text's ID: its embedding through the semantic encoder."""
        w = state.session()
        sid = w.encode_text(text or "", 1)["semantic_id"]
        return [*_dropdown_values(sid, w.axes), format_id(sid)]

    @friendly(state.home)
    def generate(text: str, count, how: str, temp) -> tuple:
        """Words for a semantic ID like "2,1,3,0": (a summary line, a table of words with their own IDs)."""
        w = state.session()
        wanted = w.parse_id(text)
        if how == "lm" and not w.has_lm:
            raise WotdError(
                'this run has no fine-tuned LM: choose Retrieval, or train again with "Also fine-tune the '
                'LM" ticked in the Train tab'
            )
        try:
            count, temp = int(count), float(temp)
        except (TypeError, ValueError):
            raise WotdError("the count and the temperature must be numbers") from None
        rows = w.generate(wanted, count, how, temp)
        fits = [fit(wanted, r["semantic_id"]) for r in rows]
        source = "the fine-tuned LM" if how == "lm" else "retrieval"
        summary = (
            f"{len(rows)} words from {source} for `{format_id(wanted)}` ({id_names(wanted, w.axes)}): "
            f"{fits.count('exact')} have exactly this ID, "
            f"{sum(f in ('exact', 'same style, complexity, era') for f in fits)} the same style, "
            "complexity and era."
        )
        table = words_table(rows, w.axes, wanted)
        if how == "lm":
            kept = sum(r["definition_source"] == "lm" for r in rows)
            summary += (
                f" The LM's own definition is shown for {kept} of them; the others repeated their word or "
                "did not match its meaning, so the dictionary's is shown (marked in *definition from*)."
            )
            table.insert(2, "definition from", [_source(r) for r in rows])
        return summary, table

    @friendly(state.home)
    def refresh(how: str) -> list:
        """The current run's level names (a newer run may differ); retrieval if it has no LM."""
        w = state.session_or_none()
        axes = w.axes if w else state.axes()
        choices = [gr.update(choices=axes[a]) for a in AXES]
        no_lm = w is not None and not w.has_lm and how == "lm"
        return [*choices, gr.update(value="retrieval") if no_lm else gr.update()]

    for picker in pickers:
        picker.change(compose, pickers, sid, api_visibility="private", queue=False)
    sid.submit(apply_id, sid, pickers, api_visibility="private")
    word.submit(use_word, word, [*pickers, sid], api_visibility="private")
    word_btn.click(use_word, word, [*pickers, sid], api_visibility="private")
    free.submit(use_text, free, [*pickers, sid], api_visibility="private")
    free_btn.click(use_text, free, [*pickers, sid], api_name="encode_text")
    # Generation requests run concurrently (no queue limit); the LM's own lock serialises model calls.
    go.click(
        generate,
        [sid, n, method, temperature],
        [status, results],
        api_name="generate",
        concurrency_limit=None,
    ).success(words_of, results, pick, api_visibility="private")
    for event in (demo.load, tab.select):  # a newer run may have other levels, or no LM
        event(refresh, method, [*pickers, method], api_visibility="private")
