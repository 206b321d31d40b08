"""The documents a person fills in: paper forms (``print``) and the browser form (``form``).

``print --patient/--born`` are checked here and never repeated in an error (health
data); ``print --from`` reads another patient's file without touching the data folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from foracheck import render
from foracheck.errors import UsageError
from foracheck.i18n import _

if TYPE_CHECKING:
    from foracheck.context import AppContext
    from foracheck.model import Progress


def printout_patient(name: str | None, born: str | None) -> tuple[str | None, date | None]:
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


def printout(
    context: AppContext,
    list_ids: Sequence[str],
    fmt: str,
    options: render.Options,
    from_file: Path | None,
) -> str:
    """The paper forms of ``print``: from the saved answers, ``from_file``'s, or blank."""
    if options.blank and from_file is not None:
        raise UsageError(_("--blank prints no answers, so it cannot be used with --from."))
    checklists = context.load_catalog(keep_cache=from_file is None).select(list_ids)
    if from_file is not None:
        from foracheck import importing

        progress: Progress | None = importing.received_progress(
            context.catalog.checklists, from_file
        )
    else:
        from foracheck.lost import shown_progress

        progress = None if options.blank else shown_progress(context.locations, to_stderr=True)
    from foracheck.model import Progress

    return render.render("print", fmt, checklists, progress or Progress(), options)


def fillable_form(context: AppContext, list_ids: Sequence[str], large: bool) -> str:
    """The browser form of ``form``, filled in with the answers saved so far."""
    checklists = context.catalog.select(list_ids)
    from foracheck.lost import read_sent
    from foracheck.model import Progress

    progress = read_sent(context.locations)  # a lost state refuses (65): never a blank form
    options = render.Options(large=large)
    return render.render("form", "html", checklists, progress or Progress(), options)
