"""The ``foracheck`` commands: parse the command line, call the domain, render.

Command docstrings are the ``--help`` text, written for patients and nurses.
Heavy modules (yaml, rich, a renderer) are imported inside the commands that
use them, so ``--version`` and ``--help`` stay as fast as Typer itself.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from foracheck import __version__, render
from foracheck.errors import (
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    ForacheckError,
    IncompleteError,
    InvalidChecklistError,
    UsageError,
)
from foracheck.paths import Locations
from foracheck.signals import Terminated, install_handlers

if TYPE_CHECKING:
    from foracheck.catalog import Catalog
    from foracheck.model import Progress

app = typer.Typer(
    name="foracheck",
    help=(
        "Get ready for a foraminotomy, one calm step at a time.\n\n"
        "Start with 'foracheck start'. Your answers are saved after each one, "
        "so you can stop and come back whenever you like.\n\n"
        "These checklists do not replace your care team's instructions."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class AppContext:
    """What every command needs, built once from the global options."""

    locations: Locations
    _catalog: Catalog | None = None

    @property
    def catalog(self) -> Catalog:
        """The checklists in use, loaded on first need."""
        if self._catalog is None:
            from foracheck.catalog import load_catalog

            self._catalog = load_catalog(self.locations)
        return self._catalog


VERSION_LINE = f"foracheck {__version__}"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(VERSION_LINE)
        raise typer.Exit()


@app.callback()
def _global_options(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Folder for your saved progress [env: FORACHECK_HOME].",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    checklists: Annotated[
        list[Path] | None,
        typer.Option(
            "--checklists",
            help="Extra checklist file or folder; repeat for more [env: FORACHECK_CHECKLISTS].",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_show_version, is_eager=True
        ),
    ] = False,
) -> None:
    ctx.obj = AppContext(Locations.resolve(home=home, checklists=checklists or ()))


def _app(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext)
    return obj


def _surgery_date(value: str | None) -> date | None:
    from foracheck.schedule import parse_surgery_date

    return None if value is None else parse_surgery_date(value)


@app.command("start")
def start_command(
    ctx: typer.Context,
    list_ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="[LIST_ID...]", help="Only these checklists (default: all)."),
    ] = None,
    surgery_date: Annotated[
        str | None,
        typer.Option(
            "--surgery-date", metavar="YYYY-MM-DD", help="Save or change your surgery date."
        ),
    ] = None,
    review: Annotated[
        bool,
        typer.Option("--review", help="Go through answered items too, to check or change them."),
    ] = False,
) -> None:
    """Go through your checklists one question at a time. Stop with q; come back any time."""
    from foracheck import session

    when = _surgery_date(surgery_date)
    session.require_terminal()
    context = _app(ctx)
    checklists = context.catalog.select(list_ids or [])
    everything = context.catalog.checklists
    code = session.run_start(context.locations, checklists, when, review, date.today(), everything)
    raise typer.Exit(code)


@app.command("status")
def status_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show how far you are, the days to surgery, what is due, and what to tell your surgeon."""
    context = _app(ctx)
    checklists = list(context.catalog.checklists)
    progress = _saved_progress(context)
    if as_json:
        from foracheck.model import Progress
        from foracheck.render import Options, render

        typer.echo(
            render("export", "json", checklists, progress or Progress(), Options()), nl=False
        )
        return
    from foracheck import ui

    ui.show_status(checklists, progress, date.today(), context.locations.progress_file)


@app.command("show")
def show_command(
    ctx: typer.Context,
    list_id: Annotated[str, typer.Argument(metavar="LIST_ID", help="The checklist to show.")],
) -> None:
    """Show one checklist's items, with your saved answers if there are any."""
    from foracheck import ui

    context = _app(ctx)
    checklist = context.catalog.get(list_id)
    ui.show_checklist(checklist, _saved_progress(context))


@app.command("list")
def list_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List the checklists: id, title, number of items and where each comes from."""
    from foracheck import listing

    catalog = _app(ctx).catalog
    typer.echo(listing.as_json(catalog) if as_json else listing.as_table(catalog), nl=False)


@app.command("mark")
def mark_command(
    ctx: typer.Context,
    list_id: Annotated[str, typer.Argument(metavar="LIST_ID", help="The checklist.")],
    item_id: Annotated[str, typer.Argument(metavar="ITEM_ID", help="The item in it.")],
    answer: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ANSWER]",
            help="done|not-yet|skip for tasks, yes|no for questions, or the text for text items "
            "(in quotes when it has spaces).",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            help="A note to keep with the answer. Without --note an earlier note is kept; "
            '--note "" removes it. With no ANSWER, only the note changes.',
        ),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the saved answer.")] = False,
) -> None:
    """Record one answer without questions (for nurses and scripts)."""
    from foracheck import marking

    context = _app(ctx)
    checklist = context.catalog.get(list_id)
    typed = marking.single_answer(answer or [])
    message = marking.mark(context.locations, checklist, item_id, typed, note, clear)
    typer.echo(message)


ListIds = Annotated[
    list[str] | None,
    typer.Argument(metavar="[LIST_ID...]", help="Only these checklists (default: all)."),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        dir_okay=False,
        help="Write to FILE (readable only by you) instead of the screen.",
    ),
]


def _format_option(purpose: render.Purpose) -> Any:
    """A --format option whose choices are the registry's formats for ``purpose``."""
    names = render.formats(purpose)

    def check(value: str) -> str:
        if value not in names:
            raise typer.BadParameter(f"'{value}' is not one of: {', '.join(names)}.")
        return value

    return typer.Option(
        "--format",
        metavar="|".join(names),
        callback=check,
        autocompletion=lambda: names,
        help=f"The output format (default: {names[0]}).",
        show_default=False,
    )


def _write(text: str, output: Path | None) -> None:
    """Print, or replace FILE all at once (0600: it may hold health information)."""
    if output is None:
        typer.echo(text, nl=False)
        return
    from foracheck.fsutil import PRIVATE_FILE, atomic_write_text

    atomic_write_text(output, text, PRIVATE_FILE)


@app.command("print")
def print_command(
    ctx: typer.Context,
    list_ids: ListIds = None,
    fmt: Annotated[str, _format_option("print")] = render.formats("print")[0],
    blank: Annotated[
        bool, typer.Option("--blank", help="Empty boxes and no answers, to fill in by hand.")
    ] = False,
    output: Output = None,
) -> None:
    """Make a paper form for each checklist: filled in from the saved answers, or --blank.

    Every item is on it, with follow-up questions and when they apply. Each list
    starts a new page. Print the text with 'foracheck print | lp', or save
    --format html and print it from a browser.
    """
    context = _app(ctx)
    checklists = context.catalog.select(list_ids or [])
    progress = None if blank else _saved_progress(context)
    from foracheck.model import Progress

    options = render.Options(blank=blank)
    _write(render.render("print", fmt, checklists, progress or Progress(), options), output)


@app.command("export")
def export_command(
    ctx: typer.Context,
    list_ids: ListIds = None,
    fmt: Annotated[str, _format_option("export")] = render.formats("export")[0],
    output: Output = None,
    require_complete: Annotated[
        bool,
        typer.Option(
            "--require-complete", help="Exit with code 1, after writing, if any item is open."
        ),
    ] = False,
    blank: Annotated[
        bool,
        typer.Option(
            "--blank",
            help="The lists without any answers (FHIR: the Questionnaires alone, for forms).",
        ),
    ] = False,
) -> None:
    """Write the checklists and saved answers as Markdown, JSON or FHIR, for scripts and records.

    Only the items that apply are included. Never asks anything.
    """
    if blank and require_complete:
        raise UsageError("--blank exports no answers, so --require-complete has nothing to check.")
    context = _app(ctx)
    checklists = context.catalog.select(list_ids or [])
    progress = None if blank else _saved_progress(context)
    from foracheck.model import Progress

    if progress is None and not blank:
        typer.echo("No answers are saved yet; exporting the lists with every item open.", err=True)
    progress = progress or Progress()
    options = render.Options(blank=blank)
    _write(render.render("export", fmt, checklists, progress, options), output)
    if require_complete:
        from foracheck.render.content import incomplete_message

        message = incomplete_message(checklists, progress)
        if message:
            raise IncompleteError(message)


@app.command("validate")
def validate_command(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="Checklist YAML files (or folders of them)."),
    ],
) -> None:
    """Check checklist files; every problem is printed as FILE:LINE:COL: message."""
    from foracheck.catalog import checklist_files, duplicate_id_problems, load_files

    paths = [file for path in files for file in checklist_files(path)]
    checklists, problems = load_files(paths, bundled=False)
    problems += duplicate_id_problems(checklists)
    for checklist in checklists:
        count = len(checklist.items)
        typer.echo(f"{checklist.path}: ok ({checklist.id}, {count} item{'s' * (count != 1)})")
    if problems:
        raise InvalidChecklistError(problems)


@app.command("reset")
def reset_command(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Forget your saved answers. A copy is kept, and the message says where."""
    from foracheck import marking

    context = _app(ctx)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(
                "'foracheck reset' asks before it forgets; without a terminal, add --yes."
            )
        if not typer.confirm("Forget all your saved answers? A copy will be kept", default=False):
            typer.echo("Nothing was changed.")
            raise typer.Exit(1)
    typer.echo(marking.reset(context.locations))


def _saved_progress(context: AppContext) -> Progress | None:
    """The saved progress, or None when nothing is saved yet."""
    from foracheck.store import read_progress

    return read_progress(context.locations)


def _report(error: ForacheckError) -> NoReturn:
    typer.echo(error.message, err=True)
    sys.exit(error.exit_code)


def _tolerate_plain_terminals() -> None:
    """Never crash on an ASCII-only terminal: show a stand-in for what it cannot print."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _closed_pipe() -> NoReturn:
    """The reader went away (``foracheck export | head -1``): stop quietly.

    Exit 1, as Click does when it meets the closed pipe itself; standard output
    now points at the null device so the final flush cannot complain.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_INCOMPLETE)


def main(argv: list[str] | None = None) -> NoReturn:
    """Run foracheck; the one place where errors become messages and exit codes."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:  # the common case, answered before Typer builds every command
        print(VERSION_LINE)
        sys.exit(0)
    _tolerate_plain_terminals()
    install_handlers()
    command = typer.main.get_command(app)
    try:
        command.main(args=args, prog_name="foracheck")
    except ForacheckError as error:
        _report(error)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except Terminated as stop:
        sys.exit(stop.exit_code)
    except BrokenPipeError:
        _closed_pipe()
    sys.exit(0)
