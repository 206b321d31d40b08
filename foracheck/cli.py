"""The ``foracheck`` commands: parse the command line, call the domain, render.

Command docstrings are the ``--help`` text, written for patients and nurses.
Heavy modules (yaml, rich, a renderer) are imported inside the commands that
use them, so ``--help`` stays as fast as Typer itself (``--version`` does not
even load Typer: see ``__main__``). Click's own endings (usage errors, Ctrl-C,
``ctx.exit``) are turned into our typed errors and codes here, so that
``exits.leave`` is the one place that prints a message and picks a code.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click.exceptions import ClickException, NoSuchOption  # Typer 0.28 vendors Click

from foracheck import __version__, render, stdio
from foracheck.errors import (
    EXIT_INCOMPLETE,
    IncompleteError,
    InvalidChecklistError,
    OutputError,
    UsageError,
)
from foracheck.exits import leave
from foracheck.i18n import _, ngettext
from foracheck.invocation import command as command_line
from foracheck.paths import Locations
from foracheck.safetext import shown
from foracheck.signals import install_handlers

if TYPE_CHECKING:
    from foracheck.catalog import Catalog
    from foracheck.model import Progress

app = typer.Typer(
    name="foracheck",
    help=_(
        "Get ready for a foraminotomy, one calm step at a time.\n\n"
        "Start with '{command}'. Your answers are saved after each one, "
        "so you can stop and come back whenever you like.\n\n"
        "These checklists do not replace your care team's instructions."
    ).format(command=command_line("start")),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class AppContext:
    """What every command needs, built once from the global options."""

    locations: Locations
    plain: bool = False  # the screen-reader mode; screens read it via accessible.plain_mode()
    _catalog: Catalog | None = None

    @property
    def catalog(self) -> Catalog:
        """The checklists in use, loaded on first need."""
        return self.load_catalog()

    def load_catalog(self, keep_cache: bool = True) -> Catalog:
        """The checklists in use; ``keep_cache=False`` writes nothing into the data folder
        (``print --from``: another patient's file on a nurse's computer)."""
        if self._catalog is None:
            from foracheck.catalog import load_catalog

            self._catalog = load_catalog(self.locations, keep_cache)
        return self._catalog


VERSION_LINE = f"foracheck {__version__}"


def _show_version(value: bool) -> None:
    if value:
        stdio.print_out(VERSION_LINE + "\n")
        raise typer.Exit()


def _home_folder(value: str | None) -> Path | None:
    """The --home folder; an empty one is refused rather than read as the current folder."""
    if value is None:
        return None
    if not value.strip():
        raise UsageError(
            _(
                "--home needs a folder name; an empty one would mean the current folder. "
                "Leave --home out to use the usual place."
            )
        )
    return Path(value).expanduser()


@app.callback()
def _global_options(
    ctx: typer.Context,
    home: Annotated[
        str | None,
        typer.Option(
            "--home",
            metavar="DIR",
            help=_("Folder for your saved progress [env: FORACHECK_HOME]."),
            show_default=False,
        ),
    ] = None,
    checklists: Annotated[
        list[Path] | None,
        typer.Option(
            "--checklists",
            help=_("Extra checklist file or folder; repeat for more [env: FORACHECK_CHECKLISTS]."),
            show_default=False,
        ),
    ] = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help=_(
                "Plain text for screen readers: no colour, every prompt in words "
                "[env: ACCESSIBLE=1; also on with TERM=dumb]."
            ),
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="CODE",
            help=_(
                "Language of the screens: en (English) or es (español) "
                "[env: FORACHECK_LANG; otherwise the locale]."
            ),
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help=_("Show the version and exit."), callback=_show_version, is_eager=True
        ),
    ] = False,
) -> None:
    from foracheck import i18n
    from foracheck.accessible import decide
    from foracheck.invocation import use_globals

    asked = None if lang is None else i18n.known(lang, "--lang")
    if asked is not None and asked != i18n.language():  # _run chose it already
        i18n.use_language(asked)
    locations = Locations.resolve(home=_home_folder(home), checklists=checklists or ())
    use_globals(home, [str(path) for path in checklists or ()])
    ctx.obj = AppContext(locations, plain=decide(plain))


def _app(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext)
    return obj


def _completion_catalog(ctx: typer.Context) -> Catalog | None:
    """The checklists as the command line being completed would load them, or None:
    a shell asking for completions gets none rather than an error."""
    from foracheck.catalog import load_catalog
    from foracheck.errors import ForacheckError

    root = ctx.find_root().params
    try:
        home = _home_folder(root.get("home"))
        locations = Locations.resolve(home=home, checklists=root.get("checklists") or ())
        return load_catalog(locations)
    except (ForacheckError, OSError, ValueError):
        return None


def _complete_list_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """`foracheck show <TAB>`: the ids of the checklists in use."""
    catalog = _completion_catalog(ctx)
    ids = [checklist.id for checklist in catalog.checklists] if catalog else []
    return [list_id for list_id in ids if list_id.startswith(incomplete)]


def _complete_item_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """`foracheck mark week-before <TAB>`: the item ids of the list already typed."""
    catalog = _completion_catalog(ctx)
    list_id = ctx.params.get("list_id")
    checklist = next((c for c in catalog.checklists if c.id == list_id), None) if catalog else None
    ids = [item.id for item in checklist.items] if checklist else []
    return [item_id for item_id in ids if item_id.startswith(incomplete)]


def _example_date() -> str:
    """An example surgery date for the help texts, four weeks from today."""
    from foracheck.dates import example_date

    return example_date(date.today()).isoformat()


def _surgery_date(value: str | None) -> date | None:
    """``--surgery-date`` by the one date rule; a refusal names the option."""
    from foracheck.schedule import parse_surgery_date

    try:
        return None if value is None else parse_surgery_date(value)
    except UsageError as error:
        raise UsageError(f"--surgery-date: {error.message}") from None


_BY_OPTION = typer.Option(
    "--by",
    metavar="WHO",
    help=_("Who gives the answers: patient (the default), caregiver or clinician."),
    show_default=False,
)


@app.command(
    "start",
    help=_(
        "Go through your checklists one question at a time. Stop with q; come back any time.\n\n"
        "With a surgery date saved, you are asked what is due today (and anything overdue), then "
        "told what comes next and when. --all goes through every list now.\n\n"
        "Example: foracheck start --surgery-date {example}"
    ).format(example=_example_date()),
)
def start_command(
    ctx: typer.Context,
    list_ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[LIST_ID...]",
            help=_("Only these checklists (default: all)."),
            autocompletion=_complete_list_ids,
        ),
    ] = None,
    surgery_date: Annotated[
        str | None,
        typer.Option(
            "--surgery-date", metavar="YYYY-MM-DD", help=_("Save or change your surgery date.")
        ),
    ] = None,
    review: Annotated[
        bool,
        typer.Option("--review", help=_("Go through answered items too, to check or change them.")),
    ] = False,
    by: Annotated[str | None, _BY_OPTION] = None,
    walk_all: Annotated[
        bool,
        typer.Option("--all", help=_("Go through every list now, not only what is due today.")),
    ] = False,
) -> None:
    from foracheck import dates, marking, session, ui

    when = _surgery_date(surgery_date)
    who = marking.answerer(by) or "patient"
    session.require_terminal()
    context = _app(ctx)
    checklists = context.catalog.select(list_ids or [])
    everything = context.catalog.checklists
    prompter = ui.PlainPrompter() if context.plain else ui.TerminalPrompter()
    whole = walk_all or bool(list_ids)  # named lists are walked whole
    code = session.run_start(
        context.locations,
        checklists,
        when,
        review,
        dates.today(),
        everything,
        prompter,
        by=who,
        whole=whole,
    )
    raise typer.Exit(code)


@app.command(
    "status",
    help=_(
        "Show where you are: the days to surgery, what to do now, what comes next, and how far "
        "you are in each list.\n\n"
        "Example: foracheck status"
    ),
)
def status_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON for scripts."))] = False,
) -> None:
    from foracheck import dates, screens

    context = _app(ctx)
    checklists = list(context.catalog.checklists)
    if as_json:
        from foracheck.model import Progress
        from foracheck.render.json_format import dumps

        progress = _sent_progress(context)
        stdio.print_out(dumps(screens.status_document(checklists, progress or Progress())))
        return
    progress = _shown_progress(context)
    screens.show_status(checklists, progress, dates.today(), context.locations.progress_file)


@app.command(
    "show",
    help=_(
        "Show one checklist's items, with their ids, timing and your saved answers.\n\n"
        "Example: foracheck show week-before"
    ),
)
def show_command(
    ctx: typer.Context,
    list_id: Annotated[
        str,
        typer.Argument(
            metavar="LIST_ID", help=_("The checklist to show."), autocompletion=_complete_list_ids
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON for scripts."))] = False,
) -> None:
    from foracheck import screens

    context = _app(ctx)
    checklist = context.catalog.get(list_id)
    if as_json:
        from foracheck.model import Progress
        from foracheck.render import Options, render

        progress = _sent_progress(context)
        stdio.print_out(render("export", "json", [checklist], progress or Progress(), Options()))
        return
    screens.show_checklist(checklist, _shown_progress(context), date.today())


@app.command(
    "list",
    help=_(
        "List the checklists: id, title, number of items and where each comes from.\n\n"
        "Example: foracheck list --json"
    ),
)
def list_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON for scripts."))] = False,
) -> None:
    from foracheck import listing

    context = _app(ctx)
    catalog = context.catalog
    if as_json:
        stdio.print_out(listing.as_json(catalog))
        return
    plain = context.plain
    stdio.print_out(listing.as_sentences(catalog) if plain else listing.as_table(catalog))


@app.command(
    "mark",
    help=_(
        "Record one answer without questions (for nurses and scripts).\n\n"
        'Example: foracheck mark week-before ask-about-blood-thinners done --note "Asked Dr. '
        'Lee"\n\n'
        "A text answer that starts with a dash goes after --, so that it is not read as an "
        'option: foracheck mark tell-your-surgeon which-medicines -- "- aspirin 81 mg"'
    ),
)
def mark_command(
    ctx: typer.Context,
    list_id: Annotated[
        str | None,
        typer.Argument(
            metavar="LIST_ID",
            help=_("The checklist."),
            autocompletion=_complete_list_ids,
            show_default=False,
        ),
    ] = None,
    item_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ITEM_ID",
            help=_("The item in it."),
            autocompletion=_complete_item_ids,
            show_default=False,
        ),
    ] = None,
    answer: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ANSWER]",
            help=_(
                "done, not-yet or 'does not apply' (skip) for tasks, yes or no for questions, "
                'the text for text items, or "don\'t know" to leave a text item open '
                "(in quotes when it has spaces; after -- when it starts with a dash)."
            ),
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            help=_(
                "A note to keep with the answer. Without --note an earlier note is kept; "
                '--note "" removes it. With no ANSWER, only the note changes.'
            ),
        ),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help=_("Remove the saved answer."))] = False,
    by: Annotated[str | None, _BY_OPTION] = None,
    batch: Annotated[
        str | None,
        typer.Option(
            "--batch",
            metavar="FILE",
            help=_(
                "Many answers at once, one a line: LIST_ID, ITEM_ID, ANSWER and an optional "
                "NOTE, separated by tabs (- reads standard input). Every line is checked "
                "first; one bad line saves nothing."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    from foracheck import marking

    context = _app(ctx)
    if batch is not None:
        if list_id is not None or note is not None or clear:
            raise UsageError(_("Use --batch on its own (with --by if needed), without ids."))
        from foracheck.batch import mark_batch

        who = marking.answerer(by)
        _tell_saved(mark_batch(context.locations, context.catalog, batch, who))
        return
    if list_id is None or item_id is None:  # optional only for --batch: Click's own error
        from typer._click.exceptions import MissingParameter

        name = "list_id" if list_id is None else "item_id"
        param = next(param for param in ctx.command.params if param.name == name)
        raise MissingParameter(ctx=ctx, param=param)
    checklist = context.catalog.get(list_id)
    typed = marking.single_answer(answer or [])
    who = marking.answerer(by)
    message = marking.mark(context.locations, checklist, item_id, typed, note, clear, who)
    _tell_saved(message)


def _tell_saved(message: str) -> None:
    """Print what a command has saved; when standard output fails, say it on standard error.

    The save has happened, so the exit code stays 0: a script must neither
    retry nor report as failed a save that succeeded.
    """
    try:
        stdio.print_out(shown(message) + "\n")
    except (OutputError, BrokenPipeError):
        stdio.abandon_stdout()
        stdio.say(
            _("{message} (This could not be shown on standard output.)").format(message=message)
        )


ListIds = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[LIST_ID...]",
        help=_("Only these checklists (default: all)."),
        autocompletion=_complete_list_ids,
    ),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        dir_okay=False,
        help=_("Write to FILE (readable only by you) instead of the screen."),
    ),
]


# Short names people type for a format (contract: ``md`` is accepted for ``markdown``).
FORMAT_ALIASES = {"md": "markdown"}


def _format_option(purpose: render.Purpose) -> Any:
    """A --format option whose choices are the registry's formats for ``purpose``."""
    names = render.formats(purpose)

    def check(value: str) -> str:
        value = FORMAT_ALIASES.get(value, value)
        if value not in names:
            raise typer.BadParameter(
                _("'{value}' is not one of: {choices}.").format(
                    value=value, choices=", ".join(names)
                )
            )
        return value

    return typer.Option(
        "--format",
        metavar="|".join(names),
        callback=check,
        autocompletion=lambda: names,
        help=_("The output format (default: {name}).").format(name=names[0]),
        show_default=False,
    )


def _write(text: str, output: Path | None, locations: Locations) -> None:
    """Print, or replace FILE all at once (0600: it may hold health information).

    FILE must be a regular file or nothing yet (a FIFO, device or link is never
    replaced) and must lie outside the data folder, whose files only the store
    writes, under its lock.
    """
    if output is None:
        stdio.print_out(text)
        return
    if locations.holds(output):
        raise UsageError(
            _(
                "--output {output} is inside the data folder {home}, where foracheck "
                "keeps your saved answers. Please choose a file somewhere else."
            ).format(
                output=shown(str(output), multiline=False),
                home=shown(str(locations.home), multiline=False),
            )
        )
    from foracheck.fsutil import PRIVATE_FILE, atomic_write_text

    atomic_write_text(output, text, PRIVATE_FILE)


def _printout_patient(name: str | None, born: str | None) -> tuple[str | None, date | None]:
    """--patient and --born checked; neither is ever repeated in an error (health data)."""
    from foracheck.safetext import unsafe_character

    if name is not None and (not name.strip() or len(name) > 100 or "\n" in name):
        raise UsageError(_("--patient needs a name on one line, at most 100 characters."))
    if name is not None and unsafe_character(name, multiline=False) is not None:
        raise UsageError(_("--patient holds a character that cannot be printed safely."))
    if born is None:
        return (name.strip() if name else None), None
    from foracheck.answers import date_format
    from foracheck.dates import DateProblem, parse_date, today

    needs = _("--born needs a past date written {format}, for example 1954-03-02.").format(
        format=date_format()
    )
    try:
        birth = parse_date(born, echo=False)  # never repeated: health information
    except DateProblem as problem:
        raise UsageError(f"{needs} {problem}") from None
    if birth > today():
        raise UsageError(needs)
    return (name.strip() if name else None), birth


@app.command(
    "print",
    help=_(
        "Make a paper form for each checklist: filled in from the saved answers, or --blank.\n\n"
        'The first sheet is the "tell your surgeon" summary, to hand over. Every item is on the '
        "forms, with follow-up questions and when they apply. Each list starts a new page. Print "
        "the text with 'foracheck print | lp', or save --format html and print it from a "
        "browser.\n\n"
        'Example: foracheck print --format html --patient "Ana Ruiz" --born 1954-03-02 -o '
        "forms.html"
    ),
)
def print_command(
    ctx: typer.Context,
    list_ids: ListIds = None,
    fmt: Annotated[str, _format_option("print")] = render.formats("print")[0],
    blank: Annotated[
        bool, typer.Option("--blank", help=_("Empty boxes and no answers, to fill in by hand."))
    ] = False,
    large: Annotated[
        bool,
        typer.Option("--large", help=_("Large print: 18 pt HTML, more space between steps.")),
    ] = False,
    patient: Annotated[
        str | None,
        typer.Option(
            "--patient",
            metavar="NAME",
            help=_("The patient's name for every page's header (this printout only, never saved)."),
        ),
    ] = None,
    born: Annotated[
        str | None,
        typer.Option(
            "--born",
            metavar="YYYY-MM-DD",
            help=_("The patient's date of birth for every page (this printout only, never saved)."),
        ),
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="FILE",
            dir_okay=False,
            help=_(
                "Print the answers in FILE (anything import reads: a JSON or FHIR export, a "
                "filled form) instead of the saved ones; the data folder is not touched."
            ),
        ),
    ] = None,
    output: Output = None,
) -> None:
    header = _printout_patient(patient, born)
    if blank and from_file is not None:
        raise UsageError(_("--blank prints no answers, so it cannot be used with --from."))
    context = _app(ctx)
    checklists = context.load_catalog(keep_cache=from_file is None).select(list_ids or [])
    if from_file is not None:
        from foracheck import importing

        progress: Progress | None = importing.received_progress(
            context.catalog.checklists, from_file
        )
    else:
        progress = None if blank else _shown_progress(context, to_stderr=True)
    from foracheck.model import Progress

    options = render.Options(blank=blank, large=large, patient=header[0], born=header[1])
    text = render.render("print", fmt, checklists, progress or Progress(), options)
    _write(text, output, context.locations)


@app.command(
    "export",
    help=_(
        "Write the checklists and saved answers as Markdown, JSON or FHIR, for scripts and "
        "records.\n\n"
        "Only the items that apply are included. Never asks anything. --format ics writes the "
        "open steps and the surgery day as a calendar for your phone (it needs a saved surgery "
        "date, and holds no answers or notes).\n\n"
        "Example: foracheck export --format json --output answers.json"
    ),
)
def export_command(
    ctx: typer.Context,
    list_ids: ListIds = None,
    fmt: Annotated[str, _format_option("export")] = render.formats("export")[0],
    output: Output = None,
    require_complete: Annotated[
        bool,
        typer.Option(
            "--require-complete", help=_("Exit with code 1, after writing, if any item is open.")
        ),
    ] = False,
    blank: Annotated[
        bool,
        typer.Option(
            "--blank",
            help=_("The lists without any answers (FHIR: the Questionnaires alone, for forms)."),
        ),
    ] = False,
    require_critical: Annotated[
        bool,
        typer.Option(
            "--require-critical",
            help=_("Exit with code 1, after writing, if an important (critical) step is open."),
        ),
    ] = False,
    require_due: Annotated[
        bool,
        typer.Option(
            "--require-due",
            help=_("Exit with code 1, after writing, if a step due or overdue today is open."),
        ),
    ] = False,
) -> None:
    gates = {
        "--require-complete": require_complete,
        "--require-due": require_due,
        "--require-critical": require_critical,
    }
    if blank and any(gates.values()):
        flag = next(name for name, wanted in gates.items() if wanted)
        raise UsageError(
            _("--blank exports no answers, so {flag} has nothing to check.").format(flag=flag)
        )
    context = _app(ctx)
    checklists = context.catalog.select(list_ids or [])
    saved = None if blank else _sent_progress(context)
    from foracheck.model import Progress

    progress = saved or Progress()
    text = render.render("export", fmt, checklists, progress, render.Options(blank=blank))
    if saved is None and not blank:  # said only once the export is sure to be written
        stdio.say(_("No answers are saved yet; exporting the lists with every item open."))
    _write(text, output, context.locations)
    if any(gates.values()):
        from foracheck.render.content import incomplete_message

        due_on = date.today() if require_due and not require_complete else None
        message = incomplete_message(checklists, progress, not require_complete, due_on)
        if message is None and require_due and require_critical:
            message = incomplete_message(checklists, progress, critical_only=True)
        if message:
            raise IncompleteError(message)


@app.command(
    "form",
    help=_(
        "Make a form to fill in with any web browser, offline: one HTML file, filled in with "
        "the answers saved so far.\n\n"
        'Send it to the patient (e-mail, USB stick). "Save my answers" in the form saves a '
        "file that '{command}' brings back.\n\n"
        "Example: foracheck form --output form.html"
    ).format(command=command_line("import", "FILE")),
)
def form_command(
    ctx: typer.Context,
    list_ids: ListIds = None,
    large: Annotated[
        bool, typer.Option("--large", help=_("Larger text (at least 1.25 times the usual size)."))
    ] = False,
    output: Output = None,
) -> None:
    context = _app(ctx)
    checklists = context.catalog.select(list_ids or [])
    from foracheck.model import Progress

    progress = _sent_progress(context)  # a lost state refuses (65): never a blank form
    options = render.Options(large=large)
    _write(
        render.render("form", "html", checklists, progress or Progress(), options),
        output,
        context.locations,
    )


@app.command(
    "validate",
    help=_(
        "Check checklist files; every problem is printed as FILE:LINE:COL: message.\n\n"
        "Example: foracheck validate my-clinic/week-before.yaml"
    ),
)
def validate_command(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help=_("Checklist YAML files (or folders of them).")),
    ],
) -> None:
    from foracheck.catalog import checklist_files, duplicate_id_problems, load_files

    paths = [file for path in files for file in checklist_files(path)]
    checklists, problems = load_files(paths, bundled=False)
    problems += duplicate_id_problems(checklists)
    for checklist in checklists:
        count = len(checklist.items)
        items = ngettext("{count} item", "{count} items", count).format(count=count)
        where = shown(str(checklist.path), multiline=False)  # a file name can hold anything
        stdio.print_out(f"{where}: ok ({checklist.id}, {items})\n")
    if problems:
        raise InvalidChecklistError(problems)


@app.command(
    "reset",
    help=_(
        "Forget your saved answers. A copy is kept, and the message says where.\n\n"
        "Example: foracheck reset --yes"
    ),
)
def reset_command(
    ctx: typer.Context,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help=_("Do not ask for confirmation."))
    ] = False,
) -> None:
    from foracheck import marking

    context = _app(ctx)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(
                _("'{command}' asks before it forgets; without a terminal, add --yes.").format(
                    command=command_line("reset")
                )
            )
        if not _confirm_reset():
            stdio.print_out(_("Nothing was changed.") + "\n")
            raise typer.Exit(EXIT_INCOMPLETE)
    _tell_saved(marking.reset(context.locations))


def _confirm_reset() -> bool:
    """Ask until the answer is yes or no (Enter is no): the one confirmation loop and
    vocabulary of every prompt. Ctrl-C ends with 130, Ctrl-D with 1."""
    from foracheck.answers import confirm

    def read() -> str:
        stdio.print_out(_("Forget all your saved answers? A copy will be kept [y/N]: "))
        typed = sys.stdin.readline()
        if not typed:
            raise EOFError
        return typed

    def again() -> None:
        stdio.print_out(_("Please type y to forget your saved answers, or n to keep them.") + "\n")

    return confirm(read, again, empty=False)


@app.command(
    "date",
    help=_(
        "Show the surgery date, or save it without questions (for nurses and scripts).\n\n"
        "The date is checked as the walk checks it: one in the past or more than a year "
        "ahead is saved only with --yes.\n\n"
        "Example: foracheck date {example}"
    ).format(example=_example_date()),
)
def date_command(
    ctx: typer.Context,
    surgery_date: Annotated[
        str | None,
        typer.Argument(metavar="[YYYY-MM-DD]", help=_("The new surgery date."), show_default=False),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help=_("Forget the saved date."))] = False,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help=_("Keep a date in the past or more than a year ahead.")),
    ] = False,
) -> None:
    from foracheck import surgery

    context = _app(ctx)
    if surgery_date is None and not clear:
        stdio.print_out(surgery.show(context.locations, date.today()) + "\n")
        return
    _tell_saved(surgery.change(context.locations, surgery_date, clear, yes, date.today()))


@app.command(
    "settings",
    help=_(
        "Show or change what this data folder remembers: language (en, es) and plain "
        "(on, off). Every command run on the folder then uses them.\n\n"
        "Example: foracheck settings language es"
    ),
)
def settings_command(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(metavar="[NAME]", help=_("language or plain."), show_default=False),
    ] = None,
    value: Annotated[
        str | None,
        typer.Argument(metavar="[VALUE]", help=_("The new value."), show_default=False),
    ] = None,
) -> None:
    from foracheck import preferences

    context = _app(ctx)
    if value is None:
        stdio.print_out(preferences.show(context.locations, name) + "\n")
        return
    assert name is not None  # Click fills NAME first
    _tell_saved(preferences.change(context.locations, name, value))


@app.command(
    "import",
    help=_(
        "Bring answers back from a foracheck JSON export or FHIR file (another computer, a "
        "nurse).\n\n"
        "All or nothing: a file that does not fit the checklists in use is refused and nothing "
        "changes. Where an answer is saved already, the newer one is kept.\n\n"
        "Example: foracheck import --dry-run answers.json"
    ),
)
def import_command(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help=_(
                "A foracheck JSON export or filled form, or a FHIR QuestionnaireResponse (or "
                "Bundle) to foracheck's questionnaires, from any form tool."
            ),
            dir_okay=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Show what would change, and change nothing."))
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="WHO",
            help=_(
                "Who gave the answers where the file does not say: patient (the default), "
                "caregiver or clinician."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    from foracheck import importing, marking

    context = _app(ctx)
    checklists = context.catalog.checklists
    who = marking.answerer(by)
    _tell_saved(importing.import_file(context.locations, checklists, file, dry_run, who))


@app.command(
    "restore",
    help=_(
        "Bring back your last good answers: the backup, or a copy foracheck kept.\n\n"
        "What is there now is kept as a copy first, so nothing is lost either way.\n\n"
        "Example: foracheck restore --from progress.json.bak-20261122T061000"
    ),
)
def restore_command(
    ctx: typer.Context,
    source: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="FILE",
            dir_okay=False,
            help=_("A kept copy (such as progress.json.bak-20261122T061000) or a progress file."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from foracheck import marking

    typer.echo(shown(marking.restore(_app(ctx).locations, source)))


def _shown_progress(context: AppContext, to_stderr: bool = False) -> Progress | None:
    """The saved progress for a screen, or None when nothing is saved yet; a lost state
    is said first (naming ``foracheck restore``), on standard output unless ``to_stderr``
    (a printout or a file is a document, not the place for it), and is then shown as
    lists without answers, never as "nothing saved yet"."""
    from foracheck.lost import read_shown

    progress, notice = read_shown(context.locations)
    if notice is None:
        return progress
    if to_stderr:
        stdio.say(notice)
    else:
        stdio.print_out(shown(notice) + "\n\n")
    from foracheck.model import Progress

    return Progress()  # not None: nothing below may say "no answers are saved yet"


def _sent_progress(context: AppContext) -> Progress | None:
    """The saved progress for what is sent on; a lost state refuses (65), never blank."""
    from foracheck.lost import read_sent

    return read_sent(context.locations)


_OPTION_NAME = re.compile(r"--[a-z][a-z-]*")


def dash_answer() -> str:
    """How to give a text answer that starts with a dash (it looked like an option)."""
    example = command_line("mark", "LIST_ID", "ITEM_ID", "--", '"- your answer"')
    return _(
        "That is not an option of 'foracheck mark'. An answer that starts with a dash goes "
        "after --, for example: {example}"
    ).format(example=example)


def _usage_error(error: ClickException) -> UsageError:
    """Click's error as ours, with Click's own text unless that text could hold an answer.

    An unknown "option" given to ``mark`` may be a text answer that starts with a
    dash; it is not repeated, and the way to give such an answer is shown.
    """
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
    from foracheck.framework import usage_error_text

    path = context.command_path if context is not None else None
    text = usage_error_text(error, f"{path} -h" if path else None)
    usage = UsageError(text.rstrip("\n"))
    usage.exit_code = error.exit_code
    return usage


def _unwind_on_signals() -> None:
    """From here on files may be opened and written: a signal must unwind through
    ``finally`` blocks (release the lock, remove temp files), not end at once."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    install_handlers()


def _finish(command: Any) -> None:
    """Our touches to each command Click builds: plain metavars, help in our words."""
    _plain_metavars(command)
    _localized_help(command)


def _localized_help(command: Any) -> None:
    """Help pages in the chosen language (English help is Click's own, untouched)."""
    from foracheck.i18n import ENGLISH, language

    if language() != ENGLISH:
        from foracheck.framework import localized_help

        localized_help(command)


def _plain_metavars(command: Any) -> None:
    """Usage lines say LIST_ID, as the help and docs/commands.md do, not Typer's {LIST_ID}."""
    for param in command.params:
        if getattr(param, "param_type_name", "") == "argument" and param.metavar:

            def plain(ctx: Any, *, usage: bool = False, name: str = param.metavar) -> str:
                return name

            param.make_metavar = plain


GLOBAL_OPTIONS = ("--home", "--checklists", "--plain", "--version")


def _misplaced_global(error: ClickException, command: str | None) -> UsageError | None:
    """A global option given after the command: say where it goes, with the line to type."""
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


def _run(args: list[str]) -> int:
    """Run the command line; every ending of Click's becomes a code or one of our errors.

    Help pages, Rich screens and our own output all write to standard output from
    in here; ``stdio.printing`` turns a failure of that stream into OutputError.
    """
    from foracheck import remembered
    from foracheck.command_table import lazy_group

    remembered.decide(args)  # the language and mode, before anything is shown
    command = lazy_group(app, _finish)  # builds only the command that runs
    _localized_help(command)
    if os.environ.get("_FORACHECK_COMPLETE"):  # a shell asking for completions: Typer's protocol
        command.main(args=args, prog_name="foracheck")
    try:
        with stdio.printing(), command.make_context("foracheck", list(args)) as ctx:
            _unwind_on_signals()
            command.invoke(ctx)
    except typer.Exit as stop:
        return stop.exit_code
    except typer.Abort as stop:  # Click's prompts turn Ctrl-C and Ctrl-D into this
        if isinstance(stop.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        raise EOFError from None
    except ClickException as error:
        raise _usage_error(error) from None
    return 0


def main(argv: list[str] | None = None) -> NoReturn:
    """Run foracheck; every ending that is not the command's own code goes to ``exits.leave``."""
    try:
        stdio.prepare()
        code = _run(sys.argv[1:] if argv is None else argv)
        stdio.flush_stdout()
    except BaseException as error:  # the one exit point maps every ending
        try:
            leave(error)
        finally:
            _end_run()
    _end_run()
    sys.exit(code)


def _end_run() -> None:
    """Forget what this run read and was given (in-process callers run many)."""
    from foracheck import invocation, remembered

    remembered.forget()
    invocation.use_globals(None, [])
