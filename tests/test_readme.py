"""The README and docs/ stay true to the repository: their Python examples run as written (fenced ```python
blocks, each on its own), every relative link points at a file that exists, docs/cli.md names every `wotd`
command and option the parser has and no other, and no page names a machine path."""

import argparse
import re
from pathlib import Path

import pytest

from wotd_mlx.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCKS = [
    (page, code)
    for page in PAGES
    for code in re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S)
]
# [text](target) and ![alt](target); a target may carry a "title" after a space
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
CLI_DOC = ROOT / "docs" / "cli.md"


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


def test_docs_have_examples():
    assert BLOCKS, "README.md and docs/*.md have no ```python examples"


@pytest.mark.parametrize("page,code", BLOCKS, ids=[f"{_name(p)}-block{i}" for i, (p, _) in enumerate(BLOCKS)])
def test_example_runs(page, code):
    exec(compile(code, str(page), "exec"), {"__name__": "readme_example"})


def relative_links(text: str) -> list[str]:
    """The link targets of a markdown text that name a file in the repository (no URL, no bare anchor)."""
    out = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, flags=re.I) or target.startswith("#"):
            continue  # http(s):, mailto: and the like, or an anchor in the same page
        out.append(target.split("#", 1)[0])
    return out


def test_relative_links_finds_only_file_targets():
    text = "[a](docs/x.md) ![p](docs/p.png) [b](https://e.org/y) [c](#top) [d](../B.md#part) [e](mailto:x@y)"
    assert relative_links(text) == ["docs/x.md", "docs/p.png", "../B.md"]


@pytest.mark.parametrize("page", PAGES, ids=[_name(p) for p in PAGES])
def test_relative_links_exist(page):
    missing = [t for t in relative_links(page.read_text()) if not (page.parent / t).exists()]
    assert not missing, f"{_name(page)} links to files that do not exist: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=[_name(p) for p in PAGES])
def test_no_machine_paths(page):
    text = page.read_text()
    found = sorted(set(re.findall(r"(?<![\w.~])/(?:work|tmp|home|root|Users)/\S*", text)))
    assert not found, f"{_name(page)} names machine paths: {found}"
    assert "FACTS.md" not in text, f"{_name(page)} cites FACTS.md, which is not in the repository"


def commands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, set[str]]:
    """Every command path of the parser ("bench search") with its long options."""
    out = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                path = f"{prefix}{name}"
                out[path] = {o for a in sub._actions for o in a.option_strings if o.startswith("--")}
                out.update(commands(sub, path + " "))
    return out


def test_cli_doc_names_every_command_and_option():
    text = CLI_DOC.read_text()
    cmds = commands(build_parser())
    missing = [p for p in cmds if not re.search(rf"`?wotd {re.escape(p)}(?![\w-])", text)]
    assert not missing, f"docs/cli.md does not name: {missing}"
    options = set().union(*cmds.values())
    undocumented = sorted(o for o in options if not re.search(rf"{re.escape(o)}(?![\w-])", text))
    assert not undocumented, f"docs/cli.md does not name these options: {undocumented}"
    unknown = sorted(set(re.findall(r"(?<![\w-])--[a-z][\w-]*", text)) - options)
    assert not unknown, f"docs/cli.md names options no command has: {unknown}"
