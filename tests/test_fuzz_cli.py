"""Property-based fuzz of the `wotd` CLI on a trained home: odd IDs, words, dates, counts, search text (odd
Unicode, huge, empty), flags in the wrong place. Every call ends with exit 0, or exit 2 with exactly one clear
stderr line and the database dump unchanged; never a traceback. A few real processes check the same from the
outside (argv bytes that are not UTF-8 arrive as surrogates, exit codes are the process's own)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from cli_harness import assert_one_clear_line, copy_home, db_dump, home_env, run_cli
from fuzz_inputs import DATES, IDS, ODD
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

# Bounded so the whole module takes seconds; `deadline=None` because a loaded machine is slow, not wrong.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

INTS = st.one_of(st.integers(-(10**6), 10**6).map(str), ODD)
FLAGS = st.sampled_from(
    ["--json", "--backend", "torch", "-n", "-k", "--date", "--method", "lm", "--nope", "-", "--"]
)


@pytest.fixture(scope="module")
def home(trained_home, tmp_path_factory):
    """A private copy of the session's trained home: valid `today` and `like` calls write to it."""
    with home_env(copy_home(trained_home, tmp_path_factory.mktemp("fuzz") / "home")) as path:
        yield path


def check(argv: list[str], home) -> int:
    before = db_dump(home)
    code, _, err = run_cli(argv)
    assert code in (0, 2), (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    if code == 2:
        assert_one_clear_line(code, err, argv)
        assert db_dump(home) == before, argv
    return code


@FUZZ
@given(
    cmd=st.sampled_from(["decode", "generate"]),
    sid=IDS,
    n=st.one_of(st.none(), INTS),
    method=st.one_of(st.none(), st.sampled_from(["lm", "retrieval"]), ODD),
    temperature=st.one_of(st.none(), st.floats(allow_nan=True).map(str), ODD),
    json=st.booleans(),
)
def test_ids_counts_methods_temperatures(home, cmd, sid, n, method, temperature, json):
    argv = [cmd, "--", sid] if sid.startswith("-") else [cmd, sid]
    argv += ["-n", n] if n is not None else []
    if cmd == "generate":
        argv += ["--method", method] if method is not None else []
        argv += ["--temperature", temperature] if temperature is not None else []
    check(argv + (["--json"] if json else []), home)


@FUZZ
@given(words=st.lists(ODD, min_size=0, max_size=4), json=st.booleans())
def test_encode_words(home, words, json):
    check(["encode", *(["--json"] if json else []), "--", *words], home)


@settings(FUZZ, max_examples=12)  # each search embeds its text with the real MiniLM
@given(text=st.one_of(ODD, st.text(min_size=990, max_size=1100)), k=st.one_of(st.none(), INTS))
@example(text="\udc80\udc81 meaning", k=None)  # argv bytes that are not UTF-8 (found by this fuzz)
def test_search_text(home, text, k):
    check(["search", "--", text] if k is None else ["search", "-k", k, "--", text], home)


@FUZZ
@given(date=DATES)
def test_today_dates(home, date):
    check(["today", "--date", date], home)


@FUZZ
@given(verb=st.sampled_from(["like", "dislike"]), word=ODD)
def test_feedback_words(home, verb, word):
    check([verb, "--", word], home)


@FUZZ
@given(
    tokens=st.lists(
        st.one_of(FLAGS, st.sampled_from(["encode", "decode", "generate", "search", "today", "info"]), ODD),
        max_size=6,
    ),
    extra=st.sampled_from(
        [
            ["--resume", "--max-words", "5"],
            ["--max-words", "0"],
            ["--max-words", "many"],
            ["--levels", "8,8,8"],
            ["--levels", "1,8,8,5"],
            ["--epochs", "-1"],
            ["--corpus", "wiki"],
            ["--lm-iters", "1.5"],
        ]
    ),
)
def test_flags_in_the_wrong_place(home, tokens, extra):
    """Shuffled commands, flags and values; `train` only with settings it must refuse before doing work."""
    check(tokens, home)
    check(["train", *tokens[:2], *extra], home)


BYTES_ARGV = [
    [b"decode", b"\xff\xfe,1,1,1"],
    [b"like", b"caf\xe9"],
    [b"search", b"\x80\x81 meaning"],
    [b"today", b"--date", b"2026-02-30"],
]


@pytest.mark.parametrize("argv", BYTES_ARGV, ids=[b" ".join(a).decode("latin-1") for a in BYTES_ARGV])
def test_real_processes_with_raw_bytes(home, argv):
    before = db_dump(home)
    proc = subprocess.run([sys.executable.encode(), b"-m", b"wotd_mlx.cli", *argv], capture_output=True)
    err = proc.stderr.decode("utf-8", "backslashreplace")
    if proc.returncode != 0:
        assert_one_clear_line(proc.returncode, err, argv)
    assert db_dump(home) == before
