"""The command-line framework's own words, said in the chosen language.

Typer 0.28 carries its own copy of Click, whose messages ("No such command",
"Usage:", "Show this message and exit.") are plain English strings, not
gettext calls. foracheck says them itself: a usage error is rebuilt here from
what Click knows (the one exit point receives every one), and every help page
is passed through ``help_page``, which puts the headings and fixed phrases in
the chosen language. Command names, option names and ids stay as typed. In
English the words are Click's own, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, NoReturn

from foracheck.errors import UsageError
from foracheck.i18n import ENGLISH, _, language
from foracheck.invocation import command as command_line

if TYPE_CHECKING:
    from typer._click.exceptions import ClickException

# Click's fixed phrases in help pages, translated where they stand.
_HEADINGS = ("Usage:", "Arguments:", "Options:", "Commands:")


def _phrases() -> list[tuple[str, str]]:
    """Click's and Typer's fixed help phrases and their words in the chosen language."""
    return [
        ("Show this message and exit.", _("Show this message and exit.")),
        (
            "Install completion for the current shell.",
            _("Install completion for the current shell."),
        ),
        (
            "Show completion for the current shell, to copy it or customize the installation.",
            _("Show completion for the current shell, to copy it or customize the installation."),
        ),
        ("[required]", _("[required]")),
        ("[OPTIONS]", _("[OPTIONS]")),
        ("COMMAND [ARGS]...", _("COMMAND [ARGS]...")),
    ]


def _heading(english: str) -> str:
    words = {
        "Usage:": _("Usage:"),
        "Arguments:": _("Arguments:"),
        "Options:": _("Options:"),
        "Commands:": _("Commands:"),
    }
    return words[english]


def help_page(text: str) -> str:
    """A help page (or a usage line) with Click's own words in the chosen language.

    Help texts of our own are translated too when they were made in English
    (an in-process run that switched language after the commands were defined).
    """
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        for english in _HEADINGS:
            if line.startswith(english):
                line = _heading(english) + line[len(english) :]
                break
        if stripped and _(stripped) != stripped:
            line = line.replace(stripped, _(stripped))
        for english, said in _phrases():
            line = line.replace(english, said)
        lines.append(line)
    return "\n".join(lines)


def localized_help(command: Any) -> None:
    """Make ``command``'s help page speak the chosen language (see ``help_page``)."""
    original: Callable[[Any], str] = command.get_help
    usage: Callable[[Any], str] = command.get_usage

    def get_help(ctx: Any) -> str:
        return help_page(original(ctx))

    def get_usage(ctx: Any) -> str:
        return help_page(usage(ctx))

    command.get_help = get_help
    command.get_usage = get_usage
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
    if getattr(command, "help", None):
        command.help = _(command.help)


Said = Callable[["re.Match[str]"], str]


@cache
def _messages() -> list[tuple[re.Pattern[str], Said]]:
    """Click's error messages (as ``format_message`` gives them) and ours, by pattern:
    compiled on the first usage error only, never on a command's way."""
    return [
        (
            re.compile(r"No such command '(?P<name>.*)'\.", re.S),
            lambda m: _("No such command '{name}'.").format(name=m["name"]),
        ),
        (
            re.compile(
                r"No such option: (?P<name>\S+)"
                r"(?: \(Possible options: (?P<choices>.*)\)| Did you mean (?P<close>\S+)\?)?",
                re.S,
            ),
            lambda m: (
                _("No such option: {name}").format(name=m["name"])
                + (" " + _("Did you mean {name}?").format(name=m["close"]) if m["close"] else "")
                + (
                    " " + _("(Possible options: {choices})").format(choices=m["choices"])
                    if m["choices"]
                    else ""
                )
            ),
        ),
        (
            re.compile(r"Missing argument '(?P<name>.*)'\.", re.S),
            lambda m: _("Missing argument '{name}'.").format(name=m["name"]),
        ),
        (
            re.compile(r"Missing option '(?P<name>.*)'\.", re.S),
            lambda m: _("Missing option '{name}'.").format(name=m["name"]),
        ),
        (
            re.compile(r"Option '(?P<name>.*)' requires an argument\.", re.S),
            lambda m: _("Option '{name}' requires an argument.").format(name=m["name"]),
        ),
        (
            re.compile(r"Option '(?P<name>.*)' does not take a value\.", re.S),
            lambda m: _("Option '{name}' does not take a value.").format(name=m["name"]),
        ),
        (
            re.compile(r"Invalid value for (?P<name>.*?): (?P<why>.*)", re.S),
            lambda m: _("Invalid value for {name}: {why}").format(name=m["name"], why=m["why"]),
        ),
        (
            re.compile(r"Got unexpected extra arguments? \((?P<words>.*)\)", re.S),
            lambda m: _("Got unexpected extra arguments ({words})").format(words=m["words"]),
        ),
        (re.compile(r"Missing command\."), lambda m: _("Missing command.")),
    ]


def _option_hint(match: re.Match[str]) -> str:
    """Click's "Did you mean ...?" or "(Possible options: ...)" after an unknown option."""
    if match["close"]:
        return " " + _("Did you mean {name}?").format(name=match["close"])
    if match["choices"]:
        return " " + _("(Possible options: {choices})").format(choices=match["choices"])
    return ""


def error_message(message: str) -> str:
    """Click's error message in the chosen language (as it is when not one we know)."""
    for pattern, said in _messages():
        match = pattern.fullmatch(message)
        if match is not None:
            return said(match)
    return message


def usage_error_text(error: Any, try_hint: str | None) -> str:
    """What Click's ``UsageError.show`` writes, in the chosen language:
    the usage line, "Try ... for help.", then "Error: ..."."""
    lines = []
    context = getattr(error, "ctx", None)
    if context is not None:
        lines.append(context.get_usage())
        if try_hint is not None:
            lines.append(_("Try '{command}' for help.").format(command=try_hint))
        lines.append("")
    lines.append(f"{_('Error:')} {error_message(error.format_message())}")
    return "\n".join(lines)


def finish(command: Any) -> None:
    """Our touches to each command Click builds: plain metavars, help in our words."""
    _plain_metavars(command)
    localized_help_if_needed(command)


def localized_help_if_needed(command: Any) -> None:
    """Help pages in the chosen language (English help is Click's own, untouched)."""
    if language() != ENGLISH:
        localized_help(command)


def _plain_metavars(command: Any) -> None:
    """Usage lines say LIST_ID, as the help and docs/commands.md do, not Typer's {LIST_ID}."""
    for param in command.params:
        if getattr(param, "param_type_name", "") == "argument" and param.metavar:

            def plain(ctx: Any, *, usage: bool = False, name: str = param.metavar) -> str:
                return name

            param.make_metavar = plain


_OPTION_NAME = re.compile(r"--[a-z][a-z-]*")
GLOBAL_OPTIONS = ("--home", "--checklists", "--plain", "--version")


def dash_answer() -> str:
    """How to give a text answer that starts with a dash (it looked like an option)."""
    example = command_line("mark", "LIST_ID", "ITEM_ID", "--", '"- your answer"')
    return _(
        "That is not an option of 'foracheck mark'. An answer that starts with a dash goes "
        "after --, for example: {example}"
    ).format(example=example)


def usage_error(error: ClickException) -> UsageError:
    """Click's error as ours, with Click's own text unless that text could hold an answer.

    An unknown "option" given to ``mark`` may be a text answer that starts with a
    dash; it is not repeated, and the way to give such an answer is shown.
    """
    from typer._click.exceptions import NoSuchOption  # Typer 0.28 vendors Click

    context = getattr(error, "ctx", None)
    command = context.command.name if context is not None else None
    if (
        isinstance(error, NoSuchOption)
        and command == "mark"
        and not _OPTION_NAME.fullmatch(error.option_name)
    ):
        return UsageError(dash_answer())
    misplaced = _misplaced_global(error, command)
    if misplaced is not None:
        return misplaced
    path = context.command_path if context is not None else None
    text = usage_error_text(error, f"{path} -h" if path else None)
    usage = UsageError(text.rstrip("\n"))
    usage.exit_code = error.exit_code
    return usage


def _misplaced_global(error: ClickException, command: str | None) -> UsageError | None:
    """A global option given after the command: say where it goes, with the line to type."""
    from typer._click.exceptions import NoSuchOption

    name = getattr(error, "option_name", None)
    if not isinstance(error, NoSuchOption) or command is None or name not in GLOBAL_OPTIONS:
        return None
    value = {"--home": ["DIR"], "--checklists": ["PATH"]}.get(name, [])
    example = command_line(name, *value, command, with_globals=False)
    return UsageError(
        _(
            "{name} is a global option: it goes before the command name, for example: {example}"
        ).format(name=name, example=example)
    )


def run(command: Any, args: list[str]) -> int:
    """Run the command line on ``command`` (the whole group); every ending of Click's
    becomes a code or one of our errors.

    Help pages, Rich screens and our own output all write to standard output from
    in here; ``stdio.printing`` turns a failure of that stream into OutputError.
    """
    import os

    import typer
    from typer._click.exceptions import ClickException

    from foracheck import stdio
    from foracheck.signals import unwind_on_signals

    localized_help_if_needed(command)
    if os.environ.get("_FORACHECK_COMPLETE"):  # a shell asking for completions: Typer's protocol
        command.main(args=args, prog_name="foracheck")
    try:
        with stdio.printing(), command.make_context("foracheck", list(args)) as ctx:
            unwind_on_signals()
            command.invoke(ctx)
    except typer.Exit as stop:
        return int(stop.exit_code)
    except typer.Abort as stop:  # Click's prompts turn Ctrl-C and Ctrl-D into this
        if isinstance(stop.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        raise EOFError from None
    except ClickException as error:
        raise usage_error(error) from None
    return 0


def missing_argument(ctx: Any, name: str) -> NoReturn:
    """Click's own "Missing argument" error, for an argument optional only sometimes."""
    from typer._click.exceptions import MissingParameter

    param = next(param for param in ctx.command.params if param.name == name)
    raise MissingParameter(ctx=ctx, param=param)


def end_run() -> None:
    """Forget what this run read and was given (in-process callers run many)."""
    from foracheck import invocation, remembered

    remembered.forget()
    invocation.use_globals(None, [])
