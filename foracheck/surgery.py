"""``foracheck date``: the surgery date shown or set without a terminal (nurses, scripts).

The same rule as the walk: a date in the past or more than a year ahead is
almost surely a typo, so a script must say ``--yes`` to keep it; the walk asks.
The date is saved with the same lock (waited for, like ``mark``) and durability
as every answer.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from foracheck.answers import date_format
from foracheck.errors import UsageError
from foracheck.i18n import _
from foracheck.invocation import command
from foracheck.paths import Locations
from foracheck.schedule import countdown, date_warning, parse_surgery_date


def show(locations: Locations, today: date) -> str:
    """The saved date and its countdown, or how to save one."""
    from foracheck.store import read_progress

    progress = read_progress(locations)
    saved = progress.surgery_date if progress is not None else None
    if saved is None:
        return _("No surgery date is saved yet. Save one with: {command}").format(
            command=command("date", date_format())
        )
    said = _("Your surgery date: {date}.").format(date=saved.isoformat())
    return f"{said} {countdown(saved, today)}"


def change(locations: Locations, typed: str | None, clear: bool, yes: bool, today: date) -> str:
    """Save ``typed`` (checked as the walk checks it) or clear the date; what to say."""
    from foracheck.store import open_for_writing

    if clear and typed is not None:
        raise UsageError(_("Give a date or --clear, not both."))
    new = None if typed is None else parse_surgery_date(typed)
    warning = None if new is None else date_warning(new, today)
    if new is not None and warning is not None and not yes:
        again = command("date", new.isoformat(), "--yes")
        raise UsageError(
            _("{warning} Nothing was saved. If the date is right, run: {command}").format(
                warning=warning, command=again
            )
        )
    with open_for_writing(locations, "date") as writer:
        progress = writer.progress
        if progress.surgery_date == new:
            if new is None:
                return _("No surgery date was saved; nothing changed.")
            return _("The surgery date is already {date}; nothing changed.").format(
                date=new.isoformat()
            )
        writer.save(dataclasses.replace(progress, surgery_date=new))
    if new is None:
        return _("The surgery date is cleared.")
    saved = _("Surgery date saved: {date}.").format(date=new.isoformat())
    return f"{saved} {countdown(new, today)}"
