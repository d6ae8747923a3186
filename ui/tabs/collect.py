"""The Collect tab: a profile's favourites and named lists (keep/lists.py): add and remove words, create and
rename lists, browse one with a search-within filter; export it (or the history) to CSV or to an Anki deck
as a download, and import a CSV list (keep/export.py: any bad row, reported by its line, and nothing is
written)."""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

import gradio as gr
import pandas as pd

from wotd_mlx.errors import WotdError
from wotd_mlx.keep import export, lists
from wotd_mlx.taste.service import DEFAULT_PROFILE

from ..state import AppState
from ..views import friendly
from .common import profile_picker

FAV = "fav"  # the collection picker's value for the favourites; a named list's is LIST + its name
LIST = "list:"
COLUMNS = ["word", "pos", "definition", "added"]
SOURCES = [("The collection above", "collection"), ("History (past words of the day)", "history")]


def collections(store, profile: str) -> list[tuple[str, str]]:
    """The picker's choices: the favourites, then each named list with its size."""
    named = lists.show(store, profile)["lists"]
    return [("Favourites", FAV)] + [(f"{x['name']} ({x['words']} words)", LIST + x["name"]) for x in named]


def list_name(choice: str | None) -> str | None:
    """The named list a picker value stands for (None: the favourites)."""
    if not choice or choice == FAV:
        return None
    if not choice.startswith(LIST):
        raise WotdError(f"unknown collection {choice!r}: pick the favourites or a list")
    return choice[len(LIST) :]


def words_frame(rows: list[dict]) -> pd.DataFrame:
    """Kept words as a table, oldest first, with when each was added."""
    out = [
        {
            "word": r["word"],
            "pos": r["pos"],
            "definition": r["definition"],
            "added": pd.Timestamp(r["added"], unit="s").strftime("%Y-%m-%d %H:%M") if r["added"] else "",
        }
        for r in rows
    ]
    return pd.DataFrame(out, columns=COLUMNS)


def export_name(profile: str, what: str, suffix: str) -> str:
    """A readable download name, e.g. wotd-default-list-birds.apkg (only letters, digits and dashes)."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{profile} {what}".lower()).strip("-") or "words"
    return f"wotd-{slug[:60]}{suffix}"


def build(demo: gr.Blocks, state: AppState, tab: gr.Tab) -> None:
    """The tab's components and events (call inside a gr.Tab)."""
    profile = profile_picker(demo, state, tab, "collect")
    with gr.Row():
        which = gr.Dropdown(
            [("Favourites", FAV)], value=FAV, label="Collection", elem_id="collect-which", scale=2
        )
        new_list = gr.Textbox(label="New list", placeholder="e.g. birds", elem_id="collect-new-list")
        create_btn = gr.Button("Create list", elem_id="collect-create", scale=0)
        rename_to = gr.Textbox(label="Rename the list to", elem_id="collect-rename-to")
        rename_btn = gr.Button("Rename list", elem_id="collect-rename", scale=0)
    with gr.Row():
        word = gr.Textbox(label="Word", placeholder="a lexicon word", elem_id="collect-word", scale=3)
        add_btn = gr.Button("Add", variant="primary", elem_id="collect-add", scale=0)
        remove_btn = gr.Button("Remove", elem_id="collect-remove", scale=0)
    done = gr.Markdown(elem_id="collect-status")
    find = gr.Textbox(
        label="Search within", placeholder="a word or part of a definition", elem_id="collect-find"
    )
    table = gr.Dataframe(
        pd.DataFrame(columns=COLUMNS), label="Words", wrap=True, interactive=False, elem_id="collect-words"
    )
    with gr.Accordion("Export and import", open=True, elem_id="collect-files"):
        with gr.Row():
            source = gr.Radio(SOURCES, value="collection", label="Export", elem_id="collect-source")
            csv_btn = gr.Button("Export CSV", elem_id="collect-export-csv", scale=0)
            anki_btn = gr.Button("Export Anki deck (.apkg)", elem_id="collect-export-anki", scale=0)
        download = gr.File(label="Download", interactive=False, elem_id="collect-download")
        with gr.Row():
            upload = gr.File(label="CSV to import", file_types=[".csv"], elem_id="collect-upload")
            into = gr.Textbox(
                label="Into the list",
                info="made if missing",
                placeholder="e.g. imported",
                elem_id="collect-into",
            )
            import_btn = gr.Button("Import CSV", elem_id="collect-import", scale=0)

    def picked(name: str | None, value: str) -> dict:
        """The collection picker with the profile's collections, `value` picked (call under the lock)."""
        return gr.update(choices=collections(state.store, name or DEFAULT_PROFILE), value=value)

    def named(choice: str | None, action: str) -> str:
        name = list_name(choice)
        if name is None:
            raise WotdError(f"pick a named list to {action} (the favourites are not a named list)")
        return name

    @friendly(state.home)
    def browse(name: str | None, choice: str | None, text: str) -> tuple:
        """The profile's collections, and the picked one's words (those matching the filter, if any)."""
        name = name or DEFAULT_PROFILE
        choices = collections(state.store, name)
        if choice not in [v for _, v in choices]:
            choice = FAV
        lst = list_name(choice)
        if (text or "").strip():
            out = lists.search(state.store, name, text, lst, favourites_only=lst is None)
        elif lst is None:
            out = lists.favourites(state.store, name)
        else:
            out = lists.show(state.store, name, lst)
        return gr.update(choices=choices, value=choice), words_frame(out["words"])

    def edit(adding: bool):
        @friendly(state.home)
        def handler(name: str | None, choice: str | None, text: str) -> tuple:
            lst = list_name(choice)
            where = "the favourites" if lst is None else f"list {html.escape(lst)}"
            if lst is None:
                do = lists.add_favourite if adding else lists.remove_favourite
                out = do(state.store, name, text or "")
            elif adding:
                out = lists.add(state.store, name, lst, [text or ""])
            else:
                out = lists.remove(state.store, name, lst, text or "")
            if not adding:
                return f"Removed **{html.escape(out['word'])}** from {where}.", ""
            word = out["word"] if lst is None else (out["added"] or out["already"])[0]
            size = out["favourites"] if lst is None else out["words"]
            said = "added to" if out["added"] else "is already in"
            return f"**{html.escape(word)}** {said} {where} ({size} words).", ""

        handler.__doc__ = (
            "Add the word to the picked collection (an unknown word: a message, and nothing is written)."
            if adding
            else "Take the word out of the picked collection."
        )
        return handler

    @friendly(state.home)
    def create(name: str | None, text: str) -> tuple:
        """A new, empty named list, picked at once."""
        out = lists.create(state.store, name, text or "")
        choice = picked(name, LIST + out["list"])
        return f"Created list **{html.escape(out['list'])}**.", choice, ""

    @friendly(state.home)
    def rename(name: str | None, choice: str | None, text: str) -> tuple:
        """Give the picked named list another name."""
        old = named(choice, "rename")
        out = lists.rename(state.store, name, old, text or "")
        choice = picked(name, LIST + out["list"])
        return f"List {html.escape(old)} is now **{html.escape(out['list'])}**.", choice, ""

    def export_to(fmt: str):
        @friendly(state.home)
        def handler(name: str | None, choice: str | None, what: str) -> tuple:
            src = {"history": True} if what == "history" else {}
            if not src:
                lst = list_name(choice)
                src = {"favourites": True} if lst is None else {"list_name": lst}
            suffix = ".csv" if fmt == "csv" else ".apkg"
            label = (
                "history" if "history" in src else "favourites" if "favourites" in src else src["list_name"]
            )
            # A folder of its own per export: two exports at once never write the same file, and the page
            # reads it from the temp folder, where the app may serve files.
            out = Path(tempfile.mkdtemp(prefix="wotd-export-")) / export_name(
                name or DEFAULT_PROFILE, label, suffix
            )
            if fmt == "csv":
                made = export.to_csv(state.store, name, out, **src)
            else:
                made = export.to_anki(state.store, name, out, state.home, **src)
            extra = f", {made['audio']} with audio" if fmt == "anki" else ""
            said = (
                f"Exported {made['words']} words of the {html.escape(made['source'])}{extra}: download below."
            )
            return said, made["path"]

        handler.__doc__ = (
            f"Write the chosen words as {'CSV' if fmt == 'csv' else 'an Anki deck'} to download."
        )
        return handler

    @friendly(state.home)
    def import_file(name: str | None, path: str | None, target: str) -> tuple:
        """Add an uploaded CSV's words to a named list: all of them, or none if any row is bad."""
        if not path:
            raise WotdError("choose a CSV file to import first (a header row with a 'word' column)")
        out = export.import_csv(state.store, name, Path(path), target or "")
        choice = picked(name, LIST + out["list"])
        made = " (a new list)" if out["created"] else ""
        said = (
            f"Imported {out['added']} new words into list **{html.escape(out['list'])}**{made}; "
            f"{out['already']} were there already, {out['words']} in all."
        )
        return said, choice

    private = {"api_visibility": "private"}
    view = [profile, which, find]
    for event in (demo.load, tab.select, profile.change, which.input, find.change):
        event(browse, view, [which, table], **private)
    for event in (
        add_btn.click(edit(True), [profile, which, word], [done, word], **private),
        word.submit(edit(True), [profile, which, word], [done, word], **private),
        remove_btn.click(edit(False), [profile, which, word], [done, word], **private),
        create_btn.click(create, [profile, new_list], [done, which, new_list], **private),
        rename_btn.click(rename, [profile, which, rename_to], [done, which, rename_to], **private),
        import_btn.click(import_file, [profile, upload, into], [done, which], **private),
    ):
        event.success(browse, view, [which, table], **private)
    csv_btn.click(export_to("csv"), [profile, which, source], [done, download], **private)
    anki_btn.click(export_to("anki"), [profile, which, source], [done, download], **private)
