"""Session fixtures shared across test folders."""

from __future__ import annotations

import pytest
from tiny_lm import build_tiny_lm  # tests/ is on sys.path (rootdir conftest)

# Text the tiny tokenizer learns its merges from: the prompt language and common English letter runs.
# Byte-level BPE still spells any lexicon word, so constrained decoding can reach every word.
TOKENIZER_TEXT = [
    "<wotd> id=0,1,2,3 | everyday / common / Old English\n",
    "<wotd> id=4,5,6,7 | life sciences & medicine / rare / modern coinages\n",
    "abate: To lessen; to diminish\nabbey: A monastery or society of persons\n",
    "the and of to a in that is was he for it with as his on be at by i this had not are but from or\n",
    "tion ing ness ment able ous ity ical ship less ful ence ance ism ist ize ate ive\n",
]


@pytest.fixture(scope="session")
def tiny_lm_dir(tmp_path_factory):
    """A tiny random Gemma-3-architecture LM directory that both backends load."""
    return build_tiny_lm(tmp_path_factory.mktemp("tiny-lm"), TOKENIZER_TEXT * 20)


@pytest.fixture(scope="session")
def trained_home(tmp_path_factory, tiny_lm_dir):
    """One home trained once per session through the CLI (tiny lexicon, tiny LM). Read-only: tests that write
    or damage a home take a private copy (cli_harness.copy_home)."""
    from cli_harness import TINY, home_env, run_cli

    path = tmp_path_factory.mktemp("wotd-trained-home")
    with home_env(path):
        code, _, err = run_cli(["train", *TINY, "--lm", str(tiny_lm_dir), "--lm-iters", "4", "--json"])
    assert code == 0, err
    return path
