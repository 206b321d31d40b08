"""The lazy command table: a run builds only its own command, and nothing a user sees
differs from the group Typer builds whole (help pages, usage errors, suggestions)."""

from __future__ import annotations

import contextlib
import io

import pytest
import typer
from typer._click import Command

from foracheck.cli import app
from foracheck.command_table import LazyCommands, lazy_group

COMMANDS = [info.name for info in app.registered_commands]


def _leave_as_built(command: object) -> None:
    """Typer's commands as they are (foracheck's own touches are tested through the CLI)."""


def run(group: Command, args: list[str]) -> tuple[int | str | None, str, str]:
    """Click's own handling of ``args`` (exit code, stdout, stderr), as a user meets it."""
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            group.main(args=args, prog_name="foracheck")
        except SystemExit as stop:
            code = stop.code
    return code, out.getvalue(), err.getvalue()


CASES = [
    [],
    ["--help"],
    *[[name, "--help"] for name in COMMANDS],
    ["bogus"],
    ["stat"],  # a near miss: Click suggests "status"
    ["status", "--bogus"],
    ["mark", "week-before"],
    ["--home"],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(args) or "(nothing)" for args in CASES])
def test_every_page_and_error_is_the_one_typer_gives(args: list[str]) -> None:
    assert run(lazy_group(app, _leave_as_built), args) == run(typer.main.get_command(app), args)


def test_a_run_builds_only_its_own_command() -> None:
    group = lazy_group(app, _leave_as_built)
    assert isinstance(group, typer.core.TyperGroup)
    table = group.commands
    assert isinstance(table, LazyCommands)
    assert list(table) == COMMANDS and not table.built()
    code, out, err = run(group, ["status", "--json"])
    assert code == 0, err
    assert '"checklists"' in out
    assert table.built() == ["status"]


def test_help_builds_every_command_and_lists_them_all() -> None:
    group = lazy_group(app, _leave_as_built)
    code, out, _ = run(group, ["--help"])
    assert code == 0
    assert isinstance(group, typer.core.TyperGroup) and isinstance(group.commands, LazyCommands)
    assert group.commands.built() == COMMANDS
    assert all(name in out for name in COMMANDS)
