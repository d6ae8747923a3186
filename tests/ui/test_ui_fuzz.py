"""Property-based fuzz of the launched app's handlers through gradio_client (a real HTTP server): odd IDs,
counts, methods, temperatures, dates, words and search text. Every call either answers or fails with a short
readable message (never a traceback, never "Something went wrong", which marks a bug), and a failed call
leaves the database dump as it was."""

from __future__ import annotations

import pytest
from app_harness import db_dump
from fuzz_inputs import DATES, IDS, ODD  # tests/ is on sys.path (rootdir conftest)
from gradio_client.exceptions import AppError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
NUMBERS = st.one_of(st.integers(-5, 120), st.floats(-10, 200, allow_nan=False, width=32))


def call(app, api: str, *args) -> None:
    before = db_dump(app.home)
    try:
        app.client().predict(*args, api_name=api)
    except AppError as exc:
        text = str(exc)
        assert "Traceback" not in text and 'File "' not in text and len(text) < 500, (api, args, text)
        assert "Something went wrong" not in text, (api, args, text)  # the app's words for a bug
        assert db_dump(app.home) == before, (api, args)


@FUZZ
@given(sid=IDS, n=NUMBERS, method=st.sampled_from(["retrieval", "lm", "magic"]), temp=NUMBERS)
def test_generate(app, sid, n, method, temp):
    call(app, "/generate", sid, n, method, temp)


@FUZZ
@given(text=ODD, k=NUMBERS)
def test_search(app, text, k):
    call(app, "/search", text, k)


@FUZZ
@given(date=DATES, word=ODD, api=st.sampled_from(["/like", "/dislike"]))
def test_today_and_rating(app, date, word, api):
    call(app, "/today", date)
    call(app, api, word)


@pytest.mark.parametrize("color", ["style", "era", "nope", ""])
def test_lab_colours(app, color):
    call(app, "/lab", color)
