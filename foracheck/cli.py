"""The ``foracheck`` commands: parse the command line, call the domain, render.

Only the command table lives here: each command's options and a thin function
that hands them to the module owning its work. Command docstrings are the
``--help`` text, written for patients and nurses. Heavy modules (yaml, rich, a
renderer) are imported inside the commands that use them, so ``--help`` stays
as fast as Typer itself (``--version`` does not even load Typer: see
``__main__``). Click's own endings (usage errors, Ctrl-C, ``ctx.exit``) are
turned into our typed errors and codes in ``_run`` (``framework.usage_error``),
so that ``exits.leave`` is the one place that prints a message and picks a code.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer._click.exceptions import ClickException  # Typer 0.28 vendors Click

from foracheck import __version__, render, stdio
from foracheck.context import app_context, complete_item_ids, complete_list_ids
from foracheck.errors import EXIT_INCOMPLETE, InvalidChecklistError
from foracheck.exits import leave
from foracheck.i18n import _
from foracheck.invocation import command as command_line
from foracheck.output import tell_saved, write

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


VERSION_LINE = f"foracheck {__version__}"


def _show_version(value: bool) -> None:
    if value:
        stdio.print_out(VERSION_LINE + "\n")
        raise typer.Exit()


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
    from foracheck.context import from_globals

    ctx.obj = from_globals(home, checklists, plain, lang)


def _example_date() -> str:
    """An example surgery date for the help texts, four weeks from today."""
    from foracheck.dates import example_date

    return example_date(date.today()).isoformat()


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
            autocompletion=complete_list_ids,
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
    from foracheck import schedule, session

    when = schedule.surgery_date_option(surgery_date)
    context = app_context(ctx)
    code = session.start(context, list_ids or [], when, review, by, walk_all)
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
    from foracheck import screens

    context = app_context(ctx)
    screens.status(context.catalog.checklists, context.locations, as_json)


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
            metavar="LIST_ID", help=_("The checklist to show."), autocompletion=complete_list_ids
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON for scripts."))] = False,
) -> None:
    from foracheck import screens

    context = app_context(ctx)
    checklist = context.catalog.get(list_id)
    screens.show(checklist, context.locations, as_json, date.today())


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

    context = app_context(ctx)
    stdio.print_out(listing.listed(context.catalog, as_json, context.plain))


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
            autocompletion=complete_list_ids,
            show_default=False,
        ),
    ] = None,
    item_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ITEM_ID",
            help=_("The item in it."),
            autocompletion=complete_item_ids,
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
    from foracheck import batch as batches
    from foracheck import marking

    context = app_context(ctx)
    if batch is not None:
        alone = list_id is None and note is None and not clear
        tell_saved(batches.mark_lines(context.locations, context.catalog, batch, by, alone))
        return
    if list_id is None or item_id is None:  # optional only for --batch: Click's own error
        from typer._click.exceptions import MissingParameter

        name = "list_id" if list_id is None else "item_id"
        param = next(param for param in ctx.command.params if param.name == name)
        raise MissingParameter(ctx=ctx, param=param)
    ids = (list_id, item_id)
    words = answer or []
    tell_saved(marking.mark_typed(context.locations, context.catalog, ids, words, note, clear, by))


ListIds = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[LIST_ID...]",
        help=_("Only these checklists (default: all)."),
        autocompletion=complete_list_ids,
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
    from foracheck import printing

    header = printing.printout_patient(patient, born)
    context = app_context(ctx)
    options = render.Options(blank=blank, large=large, patient=header[0], born=header[1])
    write(
        printing.printout(context, list_ids or [], fmt, options, from_file),
        output,
        context.locations,
    )


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
    from foracheck import exporting

    gates = {
        "--require-complete": require_complete,
        "--require-due": require_due,
        "--require-critical": require_critical,
    }
    context = app_context(ctx)
    exporting.export(context, list_ids or [], fmt, output, blank, gates, date.today())


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
    from foracheck import printing

    context = app_context(ctx)
    write(printing.fillable_form(context, list_ids or [], large), output, context.locations)


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
    from foracheck.catalog import validate

    lines, problems = validate(files)
    for line in lines:
        stdio.print_out(line)
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

    context = app_context(ctx)
    if not yes and not marking.agreed_to_reset():
        raise typer.Exit(EXIT_INCOMPLETE)
    tell_saved(marking.reset(context.locations))


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

    context = app_context(ctx)
    if surgery_date is None and not clear:
        stdio.print_out(surgery.show(context.locations, date.today()) + "\n")
        return
    tell_saved(surgery.change(context.locations, surgery_date, clear, yes, date.today()))


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

    context = app_context(ctx)
    if value is None:
        stdio.print_out(preferences.show(context.locations, name) + "\n")
        return
    assert name is not None  # Click fills NAME first
    tell_saved(preferences.change(context.locations, name, value))


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

    context = app_context(ctx)
    checklists = context.catalog.checklists
    who = marking.answerer(by)
    tell_saved(importing.import_file(context.locations, checklists, file, dry_run, who))


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
    from foracheck.safetext import shown

    typer.echo(shown(marking.restore(app_context(ctx).locations, source)))


def _run(args: list[str]) -> int:
    """Run the command line; every ending of Click's becomes a code or one of our errors.

    Help pages, Rich screens and our own output all write to standard output from
    in here; ``stdio.printing`` turns a failure of that stream into OutputError.
    """
    from foracheck import remembered
    from foracheck.command_table import lazy_group
    from foracheck.signals import unwind_on_signals

    remembered.decide(args)  # the language and mode, before anything is shown
    from foracheck.framework import finish, localized_help_if_needed

    command = lazy_group(app, finish)  # builds only the command that runs
    localized_help_if_needed(command)
    if os.environ.get("_FORACHECK_COMPLETE"):  # a shell asking for completions: Typer's protocol
        command.main(args=args, prog_name="foracheck")
    try:
        with stdio.printing(), command.make_context("foracheck", list(args)) as ctx:
            unwind_on_signals()
            command.invoke(ctx)
    except typer.Exit as stop:
        return stop.exit_code
    except typer.Abort as stop:  # Click's prompts turn Ctrl-C and Ctrl-D into this
        if isinstance(stop.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        raise EOFError from None
    except ClickException as error:
        from foracheck.framework import usage_error

        raise usage_error(error) from None
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
