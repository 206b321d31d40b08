"""The command-line options several commands share, declared once for all of them.

Their help texts are the ``--help`` pages' words (cli.po translates them, as it
does ``cli.py``'s own): ``--by``, ``--json``, ``--output``, ``--format`` and the
``LIST_ID...`` argument.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from foracheck import __version__, render, stdio
from foracheck.context import complete_list_ids
from foracheck.i18n import _

VERSION_LINE = f"foracheck {__version__}"


def show_version(value: bool) -> None:
    """``--version`` (when ``__main__`` did not answer it before Typer loaded)."""
    if value:
        stdio.print_out(VERSION_LINE + "\n")
        raise typer.Exit()


def example_date(today: date) -> str:
    """An example surgery date for the help texts, four weeks from ``today``."""
    from foracheck.dates import example_date

    return example_date(today).isoformat()


BY_OPTION = typer.Option(
    "--by",
    metavar="WHO",
    help=_("Who gives the answers: patient (the default), caregiver or clinician."),
    show_default=False,
)
AsJson = Annotated[bool, typer.Option("--json", help=_("Print JSON for scripts."))]
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


def format_option(purpose: render.Purpose) -> Any:
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
