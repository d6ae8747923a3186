"""Hypothesis strategies for bad input, shared by the CLI and the app fuzz tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Inputs that have broken parsers elsewhere: numbers in other scripts and forms, lone surrogates (Linux gives
# argv bytes that are not UTF-8 as surrogates), combining and bidi marks, separators, NUL, SQL, huge strings.
SAMPLES = [
    "", " ", "\x00", "\t\n", "-1", "0", "1e3", "nan", "inf", "-inf", "0x10", "１", "٣", "Ⅻ", "1_0", "\ud800",
    "\udcff", "é", "e\u0301", "🙂", "\u202e", "NULL", "'; DROP TABLE feedback;--", "%s", "9" * 5000,
    "a" * 3000, ",,,", "2,1,3,0,", "(2,1,3,0)", "[2 ,1, 3,0 ]", "2;1;3;0", "1,1,1,1\n",
]  # fmt: skip

ODD = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec=None, categories=None), max_size=12),  # any code point
    st.sampled_from(SAMPLES),
)
IDS = st.one_of(st.lists(st.integers(-3, 12), max_size=6).map(lambda v: ",".join(map(str, v))), ODD)
DATES = st.one_of(st.dates().map(lambda d: d.isoformat()), ODD)
