"""Click's table of foracheck's commands, each built only when it is used.

Typer turns every command function into a Click command before any runs: it
reads each signature and evaluates its annotations, which costs more than the
whole of ``status``'s own work. This table knows every name at once and builds
a command the first time Click asks for it, so a run builds the global options
and its own command only. ``--help`` and shell completion, which list every
command, build them all, exactly as Typer would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping

import typer
from typer._click import Command  # Typer 0.28 vendors Click
from typer.core import TyperGroup
from typer.main import get_command_from_info, get_command_name
from typer.models import CommandInfo


class LazyCommands(MutableMapping[str, Command]):
    """Command name to Click command, built from Typer's record on first access."""

    def __init__(self, app: typer.Typer, finish: Callable[[Command], None]) -> None:
        self._app = app
        self._finish = finish
        self._table: dict[str, Command | CommandInfo] = {
            _name(info): info for info in app.registered_commands
        }

    def __getitem__(self, name: str) -> Command:
        entry = self._table[name]
        if isinstance(entry, CommandInfo):
            entry = self._table[name] = get_command_from_info(
                entry,
                pretty_exceptions_short=self._app.pretty_exceptions_short,
                rich_markup_mode=self._app.rich_markup_mode,
            )
            self._finish(entry)
        return entry

    def __setitem__(self, name: str, command: Command) -> None:
        self._table[name] = command

    def __delitem__(self, name: str) -> None:
        del self._table[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def built(self) -> list[str]:
        """The names of the commands built so far (for the tests)."""
        return [name for name, entry in self._table.items() if isinstance(entry, Command)]


def _name(info: CommandInfo) -> str:
    """The command's name, as Typer would give it."""
    assert info.callback is not None, "every command has a function"
    return info.name or get_command_name(info.callback.__name__)


def lazy_group(app: typer.Typer, finish: Callable[[Command], None]) -> Command:
    """The Click group of ``app``, as ``typer.main.get_command`` makes it, but lazy.

    The group itself (the global options, their callback, the completion options)
    is Typer's own, made from the app with its commands set aside for the moment.
    ``finish`` is given each command once it is built (foracheck's touches to
    Typer's output, such as its usage lines).
    """
    if app.registered_groups:  # sub-apps are not lazy: Typer builds the whole group
        group = typer.main.get_command(app)
        for command in getattr(group, "commands", {}).values():
            finish(command)
        return group
    commands = app.registered_commands
    app.registered_commands = []
    try:
        group = typer.main.get_command(app)
    finally:
        app.registered_commands = commands
    assert isinstance(group, TyperGroup)
    group.commands = LazyCommands(app, finish)
    return group
