"""Every sentence the walk writes, read from its source: the message ids of ``_()`` and
``ngettext()`` in session, walk, ui and accessible, and of the tables shown through
``_(TABLE[...])``. test_session_spanish.py checks that walk.po translates each one."""

from __future__ import annotations

import ast
import inspect
from types import ModuleType

from foracheck import accessible, session, ui, walk

MODULES = (session, walk, ui, accessible)


def _strings(module: ModuleType, node: ast.expr) -> list[str]:
    """The message ids an argument of ``_()`` stands for."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name):  # a module constant: _(IMPORTANT)
        value = getattr(module, node.id)
        assert isinstance(value, str), node.id
        return [value]
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):  # _(TABLE[kind])
        table = getattr(module, node.value.id)
        return list(table.values())
    raise AssertionError(f"{module.__name__}: _() of {ast.dump(node)}")


def walk_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """(singular messages, (singular, plural) pairs) of the walk's own words."""
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for module in MODULES:
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id == "_":
                singles.update(_strings(module, node.args[0]))
            elif node.func.id == "ngettext":
                one, many = node.args[0], node.args[1]
                assert isinstance(one, ast.Constant) and isinstance(many, ast.Constant)
                plurals.add((one.value, many.value))
    return singles, plurals


if __name__ == "__main__":
    one, many = walk_messages()
    for message in sorted(one):
        print(repr(message))
    for pair in sorted(many):
        print(repr(pair))
