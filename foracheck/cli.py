"""The ``foracheck`` command table: each command's options and a thin function that
parses them, calls the module owning the work, and shows its sentence.

Help texts are in ``helptext`` and the options several commands share in
``options``. Heavy modules (yaml, rich, a renderer) are imported inside the commands
that use them, so ``--help`` stays as fast as Typer itself. Click's own endings
become our typed errors in ``framework.run``, so that ``exits.leave`` is the one
place that prints a message and picks a code.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from foracheck import render, stdio
from foracheck.context import app_context, complete_item_ids, complete_list_ids
from foracheck.errors import EXIT_INCOMPLETE, InvalidChecklistError
from foracheck.exits import leave
from foracheck.framework import end_run
from foracheck.helptext import pages
from foracheck.i18n import _
from foracheck.options import BY_OPTION, AsJson, ListIds, Output, format_option, show_version
from foracheck.output import tell_saved, write

HELP = pages(date.today())
app = typer.Typer(
    name="foracheck",
    help=HELP["foracheck"],
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
            "--version", help=_("Show the version and exit."), callback=show_version, is_eager=True
        ),
    ] = False,
) -> None:
    from foracheck.context import from_globals

    ctx.obj = from_globals(home, checklists, plain, lang)


@app.command("start", help=HELP["start"])
def start_command(
    ctx: typer.Context,
    list_ids: ListIds = None,
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
    by: Annotated[str | None, BY_OPTION] = None,
    walk_all: Annotated[
        bool,
        typer.Option("--all", help=_("Go through every list now, not only what is due today.")),
    ] = False,
) -> None:
    from foracheck import schedule, session

    when = schedule.surgery_date_option(surgery_date)
    raise typer.Exit(session.start(app_context(ctx), list_ids or [], when, review, by, walk_all))


@app.command("status", help=HELP["status"])
def status_command(ctx: typer.Context, as_json: AsJson = False) -> None:
    from foracheck import screens

    context = app_context(ctx)
    screens.status(context.catalog.checklists, context.locations, as_json)


@app.command("show", help=HELP["show"])
def show_command(
    ctx: typer.Context,
    list_id: Annotated[
        str,
        typer.Argument(
            metavar="LIST_ID", help=_("The checklist to show."), autocompletion=complete_list_ids
        ),
    ],
    as_json: AsJson = False,
) -> None:
    from foracheck import screens

    context = app_context(ctx)
    checklist = context.catalog.get(list_id)
    screens.show(checklist, context.locations, as_json, date.today())


@app.command("list", help=HELP["list"])
def list_command(ctx: typer.Context, as_json: AsJson = False) -> None:
    from foracheck import listing

    context = app_context(ctx)
    stdio.print_out(listing.listed(context.catalog, as_json, context.plain))


@app.command("mark", help=HELP["mark"])
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
    by: Annotated[str | None, BY_OPTION] = None,
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
        tell_saved(batches.mark_lines(context, batch, by, alone))
        return
    if list_id is None or item_id is None:  # optional only for --batch: Click's own error
        from foracheck.framework import missing_argument

        missing_argument(ctx, "list_id" if list_id is None else "item_id")
    ids = (list_id, item_id)
    words = answer or []
    tell_saved(marking.mark_typed(context.locations, context.catalog, ids, words, note, clear, by))


@app.command("print", help=HELP["print"])
def print_command(
    ctx: typer.Context,
    list_ids: ListIds = None,
    fmt: Annotated[str, format_option("print")] = render.formats("print")[0],
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
    text = printing.printout(context, list_ids or [], fmt, options, from_file)
    write(text, output, context.locations)


@app.command("export", help=HELP["export"])
def export_command(
    ctx: typer.Context,
    list_ids: ListIds = None,
    fmt: Annotated[str, format_option("export")] = render.formats("export")[0],
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


@app.command("form", help=HELP["form"])
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


@app.command("validate", help=HELP["validate"])
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


@app.command("reset", help=HELP["reset"])
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


@app.command("date", help=HELP["date"])
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


@app.command("settings", help=HELP["settings"])
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


@app.command("import", help=HELP["import"])
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


@app.command("restore", help=HELP["restore"])
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
    """Run the command line; every ending of Click's becomes a code or one of our errors."""
    from foracheck import framework, remembered
    from foracheck.command_table import lazy_group

    remembered.decide(args)  # the language and mode, before anything is shown
    command = lazy_group(app, framework.finish)  # builds only the command that runs
    return framework.run(command, args)


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
            end_run()
    end_run()
    sys.exit(code)
