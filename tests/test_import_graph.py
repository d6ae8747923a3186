"""The package's modules import each other without circles.

A circle (a strongly connected component of two or more modules) makes import
order matter and forces function-local imports; this reads every module's
imports with `ast` (no framework is imported) and fails on any circle, naming
its members and the edges between them.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "wotd_mlx"


def _module_name(path: Path, root: Path) -> str:
    """Dotted name of a module file, `root` being the package folder."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    """True for `if TYPE_CHECKING:` and `if typing.TYPE_CHECKING:`."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement in the tree, function-local ones too, except under `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            # The guarded body never runs; its `else` branch does.
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The package modules one import statement loads (resolved relative to `module`)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        # `from pkg import sub` names the module pkg.sub where there is one, else a name in pkg.
        names = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in known else prefix for a in node.names]
    targets: set[str] = set()
    for name in names:
        # The edge goes to the deepest package module named (a.b.c, else a.b, else a).
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != module:
            targets.add(name)
    return targets


def import_graph(root: Path) -> dict[str, set[str]]:
    """Map each module of the package at `root` to the package modules it imports."""
    files = {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    known = set(files)
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        edges: set[str] = set()
        for node in _imports(tree):
            edges |= _targets(node, module, is_package, known)
        graph[module] = edges
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of two or more modules (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, list[str]]] = [(start, sorted(graph.get(start, ())))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def describe(graph: dict[str, set[str]], found: list[list[str]]) -> str:
    """Each circle's members and the import edges inside it, one circle a paragraph."""
    lines: list[str] = []
    for members in found:
        inside = set(members)
        lines.append(f"circle of {len(members)}: {', '.join(members)}")
        for module in members:
            for target in sorted(graph[module] & inside):
                lines.append(f"  {module} -> {target}")
    return "\n".join(lines)


def test_package_has_no_import_circles() -> None:
    graph = import_graph(PACKAGE_DIR)
    assert "wotd_mlx.cli" in graph and "wotd_mlx.embed.base" in graph
    found = circles(graph)
    assert not found, "import circles in wotd_mlx:\n" + describe(graph, found)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_check_finds_a_circle_in_a_small_package(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    _write(pkg / "__init__.py", "")
    _write(pkg / "a.py", "from . import b\n")
    # A function-local import still closes a circle.
    _write(pkg / "sub" / "__init__.py", "")
    _write(pkg / "sub" / "b.py", "def f():\n    from ..a import x\n    return x\n")
    _write(pkg / "b.py", "from .sub.b import f\n")
    # Imports under TYPE_CHECKING never run, so they make no circle.
    _write(pkg / "c.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .d import y\n")
    _write(pkg / "d.py", "import pkg.c\n")
    graph = import_graph(pkg)
    assert graph["pkg.sub.b"] == {"pkg.a"}
    assert graph["pkg.c"] == set()
    assert graph["pkg.d"] == {"pkg.c"}
    found = circles(graph)
    assert found == [["pkg.a", "pkg.b", "pkg.sub.b"]]
    text = describe(graph, found)
    assert "pkg.a -> pkg.b" in text and "pkg.sub.b -> pkg.a" in text
