"""The wotd app: `python -m ui.app` (or `make app`) serves it on 127.0.0.1 and opens the browser."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import gradio as gr

from wotd_mlx.backend import resolve_backend
from wotd_mlx.config import wotd_home
from wotd_mlx.errors import WotdError

from .state import AppState
from .tabs import collect, explore, lab, review, search, today, train
from .views import friendly

CSS = """
.wotd-stages { display: grid; gap: 4px; }
.wotd-stage { display: grid; grid-template-columns: 18em 1fr 6em; align-items: center; gap: 8px; }
.wotd-stage progress { width: 100%; height: 14px; }
"""
# System fonts: the page needs nothing from the network.
THEME = gr.themes.Soft(
    font=["system-ui", "-apple-system", "Segoe UI", "sans-serif"], font_mono=["ui-monospace", "monospace"]
)


def build_app(home: Path | None = None, backend: str | None = None) -> gr.Blocks:
    """The whole app for a WOTD home (default `$WOTD_HOME` or ~/.wotd); its AppState is `demo.wotd_state`."""
    state = AppState(Path(home) if home is not None else wotd_home(), backend)
    with gr.Blocks(title="Word of the Day", analytics_enabled=False) as demo:
        gr.Markdown("# Word of the Day\nA local word of the day that learns which words you like.")
        header = gr.Markdown(elem_id="app-header")
        with gr.Tabs() as tabs:
            with gr.Tab("Train", id="train"):
                train.build(demo, state)
            with gr.Tab("Explore", id="explore") as tab:
                explore.build(demo, state, tab)
            with gr.Tab("Word of the day", id="today") as tab:
                today.build(demo, state, tab)
            with gr.Tab("Review", id="review") as tab:
                review.build(demo, state, tab)
            with gr.Tab("Collect", id="collect") as tab:
                collect.build(demo, state, tab)
            with gr.Tab("Search", id="search"):
                search.build(demo, state)
            with gr.Tab("Lab", id="lab") as tab:
                lab.build(demo, state, tab)

        @friendly(state.home)
        def info() -> str:
            """Backend, data folder and the run in use."""
            w = state.session_or_none()
            run = f"run {w.run.id} ({len(w.index)} words, LM: {'yes' if w.has_lm else 'no'})" if w else "none"
            return (
                f"Backend **{resolve_backend(backend)}** · data in `{state.home}` · trained run in use: {run}"
            )

        demo.load(info, None, header, api_name="info")
        tabs.select(info, None, header, api_visibility="private")  # a run may have finished meanwhile
    # Events without their own limit (the app-level default) may also run side by side.
    demo.queue(default_concurrency_limit=None)
    demo.wotd_state = state
    return demo


def serve(
    demo: gr.Blocks,
    host: str = "127.0.0.1",
    port: int | None = None,
    share: bool = False,
    inbrowser: bool = False,
    block: bool = True,
    quiet: bool = False,
):
    """Launch the app (local only unless `share`); with `block=False` it returns at once (tests)."""
    return demo.launch(
        server_name=host,
        server_port=port,
        share=share,
        inbrowser=inbrowser,
        prevent_thread_lock=not block,
        show_error=False,  # handlers raise readable gr.Error messages; nothing else reaches the page
        quiet=quiet,
        theme=THEME,
        css=CSS,
        ssr_mode=False,
        mcp_server=False,
        footer_links=["api"],
    )


def build_parser() -> argparse.ArgumentParser:
    """The app's command line: local by default, no share link unless asked."""
    p = argparse.ArgumentParser(prog="wotd-app", description="The Word of the Day web app (local).")
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine)"
    )
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--share", action="store_true", help="also make a public gradio.live link (needs network)")
    p.add_argument("--backend", choices=["auto", "mlx", "torch"], default=None, help="array backend")
    p.add_argument("--home", type=Path, default=None, help="data folder (default $WOTD_HOME or ~/.wotd)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m ui.app` / `make app`: build the app and serve it until Ctrl-C."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("wotd").setLevel(logging.INFO)  # the app's own messages, not every HTTP request
    try:
        demo = build_app(args.home, args.backend)
    except WotdError as exc:
        print(f"wotd-app: error: {exc}", file=sys.stderr)
        return 2
    try:
        serve(demo, args.host, args.port, args.share, inbrowser=not args.no_browser)
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # the port is taken, or the address is not this machine's
        print(f"wotd-app: error: {exc} (choose another with --port)", file=sys.stderr)
        return 2
    finally:
        demo.wotd_state.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
