"""Session fixtures shared across test folders."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile

if os.environ.get("PYTEST_XDIST_WORKER"):  # `make test` runs two workers: one torch thread each, no spinning
    os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest  # noqa: E402
from backends import TORCH_MODULES  # noqa: E402  (tests/ is on sys.path: rootdir conftest)
from tiny_lm import build_tiny_lm  # noqa: E402

# Text the tiny tokenizer learns its merges from: the prompt language and common English letter runs.
# Byte-level BPE still spells any lexicon word, so constrained decoding can reach every word.
TOKENIZER_TEXT = [
    "<wotd> id=0,1,2,3 | everyday / common / Old English\n",
    "<wotd> id=4,5,6,7 | life sciences & medicine / rare / modern coinages\n",
    "abate: To lessen; to diminish\nabbey: A monastery or society of persons\n",
    "the and of to a in that is was he for it with as his on be at by i this had not are but from or\n",
    "tion ing ness ment able ous ity ical ship less ful ence ance ism ist ize ate ive\n",
]


def pytest_configure(config):
    """The suite's own lexicon cache (wotd_mlx/corpus/cache.py), empty at the start like a fresh machine's:
    the first training builds the lexicon, later ones (their subprocesses and the other worker) read it."""
    shared = os.environ.get("WOTD_TEST_CACHE_DIR")  # set by the controller of a `pytest -n` run
    if shared and os.environ.get("PYTEST_XDIST_WORKER"):
        os.environ["WOTD_CACHE_DIR"] = shared
        return
    config._wotd_cache = tempfile.mkdtemp(prefix="wotd-test-cache-")
    os.environ["WOTD_CACHE_DIR"] = os.environ["WOTD_TEST_CACHE_DIR"] = config._wotd_cache


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_wotd_cache", ""), ignore_errors=True)


def process_mix_problems(markexpr: str) -> list[str]:
    """What this test process loaded that it must not have.

    `WOTD_TORCH_FREE=1` (the Makefile's MLX pass) promises no torch, sentence-transformers or peft: the MLX
    path's own promise. A parity run (`-m parity`, the only place torch meets MLX on a Mac) promises no faiss:
    the torch and faiss-cpu wheels each bundle libomp on macOS, and a process with both aborts (OMP Error #15)
    or crashes inside faiss."""
    problems = []
    if os.environ.get("WOTD_TORCH_FREE") == "1":
        problems += [f"{name} was imported" for name in TORCH_MODULES if name in sys.modules]
    if markexpr.strip() == "parity" and "faiss" in sys.modules and "torch" in sys.modules:
        problems.append("faiss was imported beside torch")
    return problems


def _holds_parity_tests(path) -> bool:
    files = [path] if path.is_file() else path.rglob("test_*.py")
    return any("pytest.mark.parity" in f.read_text() for f in files)


def pytest_ignore_collect(collection_path, config):
    """A parity run (`-m parity`) visits only the test files (and folders, whose conftest.py are loaded) that
    hold parity tests: the others would import faiss (see process_mix_problems)."""
    if (config.getoption("markexpr") or "").strip() != "parity":
        return None
    name = collection_path.name
    if collection_path.is_dir() or (name.startswith("test_") and name.endswith(".py")):
        return None if _holds_parity_tests(collection_path) else True
    return None


@pytest.fixture(scope="session", autouse=True)
def process_keeps_its_promise(request):
    """Fails the run (an error at the last teardown, in each worker too) if process_mix_problems finds any."""
    yield
    problems = process_mix_problems(request.config.getoption("markexpr") or "")
    assert not problems, "this test process broke its promise: " + "; ".join(problems)


# The longest work units, started first so that the two workers finish together.
LONG_GROUPS = ("trained_home", "ui", "tests/test_cli.py", "tests/test_pipeline.py")


def _group(item) -> str:
    if "trained_home" in item.fixturenames:
        return "trained_home"
    return "ui" if item.nodeid.startswith("tests/ui/") else item.nodeid.split("::")[0]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Work units for `make test`'s two workers (`--dist loadgroup`): a file's tests stay together so its
    module fixtures are built once, and tests sharing an expensive session fixture (a trained home, the app)
    stay together so it is trained once."""
    rank = {}
    for item in items:
        group = _group(item)
        item.add_marker(pytest.mark.xdist_group(group))
        rank[item] = LONG_GROUPS.index(group) if group in LONG_GROUPS else len(LONG_GROUPS)
    items.sort(key=rank.__getitem__)  # stable: otherwise as collected


def pytest_xdist_node_collection_finished(node, ids):
    """Stop when xdist is not grouping: the shared trainings would then run once per worker (twice the time).
    pytest-xdist 3.8 marks a test's group in its node id, which pytest 9.2 ignores (pytest-xdist#1386)."""
    if node.config.getvalue("dist") == "loadgroup" and any("@" not in nodeid for nodeid in ids):
        pytest.exit(
            "pytest-xdist's --dist loadgroup is not grouping tests with this pytest (pytest-xdist#1386); "
            "install the pinned dev extra (pip install -e '.[dev]') or run `make test TEST_WORKERS=0`",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


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
        # the default fine-tune of the embedder, on fewer pairs (8 steps), and the optional LM stage
        lm = ["--lm", str(tiny_lm_dir), "--lm-iters", "4"]
        code, out, err = run_cli(["train", *TINY, "--finetune-pairs", "256", *lm, "--json"])
    assert code == 0, err
    assert json.loads(out)["metrics"]["embedder_finetune"]["steps"] == 8  # and stdout is only the JSON
    return path
