"""The Word-of-the-day tab through gradio_client on a launched app: profiles kept apart, why a word was
chosen, the learned taste, undo, a reset that asks first, and old one-argument calls still working."""

import socket
import sys
from pathlib import Path

import pytest
from backends import TEST_BACKEND

ROOT = Path(__file__).parents[2]
if str(ROOT) not in sys.path:  # `ui` is a top-level folder of the repo, not an installed package
    sys.path.insert(0, str(ROOT))
pytest.importorskip("gradio", reason="the app needs gradio (the `app` extra)")
from gradio_client import Client  # noqa: E402
from gradio_client.exceptions import AppError  # noqa: E402

from ui.app import build_app, serve  # noqa: E402


def rows(table: dict) -> list[dict]:
    return [dict(zip(table["headers"], r, strict=True)) for r in table["data"]]


@pytest.fixture
def client(home):
    demo = build_app(home, TEST_BACKEND)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _, url, _ = serve(demo, port=port, block=False, quiet=True)
    try:
        yield Client(url, verbose=False, download_files=False)
    finally:
        demo.close()
        demo.wotd_state.close()


def test_profiles_why_taste_undo_and_reset(client, dump):
    card, word, history, _ = client.predict("2027-01-01", api_name="/today")  # profile omitted: "default"
    assert "Why this word." in card and "exploring" in card
    assert "no likes yet" in client.predict("default", api_name="/taste")
    client.predict("alice", api_name="/add_profile")
    moved, _, ratings = client.predict("sea001", "alice", api_name="/like")
    assert "You liked **sea001**" in moved and rows(ratings)[0]["word"] == "sea001"
    taste = client.predict("alice", api_name="/taste")
    assert "1 likes" in taste and "profile alice" in taste
    _, ratings = client.predict("default", api_name="/history")
    assert rows(ratings) == [] and "0 likes" in client.predict("default", api_name="/taste")
    moved, _, ratings = client.predict("alice", api_name="/undo")
    assert "Took back your like of **sea001**" in moved and rows(ratings) == []
    with pytest.raises(AppError, match="nothing to undo"):
        client.predict("alice", api_name="/undo")
    moved, _, ratings = client.predict("song001", "alice", api_name="/skip")
    assert "You skipped **song001**" in moved and "skip" in str(ratings)
    client.predict("alice", api_name="/undo")
    client.predict("leaf001", "alice", api_name="/dislike")
    before = dump()
    with pytest.raises(AppError, match="Tick"):
        client.predict(False, "alice", api_name="/reset")
    assert dump() == before
    moved, *_ = client.predict(True, "alice", api_name="/reset")
    assert "Forgot 1 ratings of profile **alice**" in moved
    with pytest.raises(AppError, match="bob"):  # gradio refuses a profile not in the picker
        client.predict("2027-01-01", "bob", api_name="/today")
