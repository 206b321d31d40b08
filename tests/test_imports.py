"""foracheck's modules import one another in layers, never in a circle.

A circle forces a deferred import to break it at run time and makes the order
in which modules load matter. Imports read only by the type checker (under
``if TYPE_CHECKING:``) do not count: they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import ROOT

PACKAGE = ROOT / "foracheck"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class _Imports(ast.NodeVisitor):
    """Every module named by an import that runs, deferred ones inside functions included."""

    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if getattr(test, "id", None) == "TYPE_CHECKING" or getattr(test, "attr", None) == (
            "TYPE_CHECKING"
        ):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.found.update(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module:
            self.found.add(node.module)
            self.found.update(f"{node.module}.{alias.name}" for alias in node.names)


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module name to the package's modules it imports."""
    files = {_module_name(path): path for path in package.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        visitor = _Imports()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        graph[name] = {found for found in visitor.found if found in files and found != name}
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for target in graph[stack.pop()]:
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def test_the_scan_sees_the_imports() -> None:
    """The check below must see real edges, or it would pass on nothing."""
    graph = import_graph()
    assert "foracheck.i18n" in graph["foracheck.errors"]
    assert "foracheck.exit_codes" in graph["foracheck.i18n"]
    assert "foracheck.errors" in reachable(graph, "foracheck.cli")


def test_no_module_imports_itself_through_others() -> None:
    graph = import_graph()
    circles = sorted(name for name in graph if name in reachable(graph, name))
    assert circles == []


def test_errors_and_i18n_do_not_import_each_other() -> None:
    graph = import_graph()
    assert "foracheck.errors" not in reachable(graph, "foracheck.i18n")
