"""Time, counted in the patient's local calendar days: the countdown and what has begun.

The rule for a single step (upcoming, due, overdue) is ``timeline.step_state``;
this module answers the coarser questions of the walk and the status screen.
"""

from __future__ import annotations

from datetime import date

from foracheck.answers import date_format
from foracheck.errors import UsageError
from foracheck.i18n import _, ngettext
from foracheck.invocation import command
from foracheck.model import Window
from foracheck.timeline import day_text, window_dates

# A surgery date further than this from today is almost surely a typo (a wrong year).
FAR_AWAY_DAYS = 366


def parse_surgery_date(text: str) -> date:
    """A YYYY-MM-DD calendar date (the one rule of ``foracheck.dates``), or UsageError
    (exit 2) that says what is wrong."""
    from foracheck.dates import DateProblem, parse_date

    try:
        return parse_date(text)
    except DateProblem as problem:
        raise UsageError(str(problem)) from None


def surgery_date_option(value: str | None) -> date | None:
    """``--surgery-date`` by the one date rule; a refusal names the option."""
    try:
        return None if value is None else parse_surgery_date(value)
    except UsageError as error:
        raise UsageError(f"--surgery-date: {error.message}") from None


def far_away_warning(surgery_date: date, today: date) -> str | None:
    """A sentence when a date is more than a year from today (likely a typo), else None."""
    days = days_until(surgery_date, today)
    if abs(days) <= FAR_AWAY_DAYS:
        return None
    if days > 0:
        message = _("{date} is more than a year from now. Please check the year before you go on.")
    else:
        message = _("{date} is more than a year ago. Please check the year before you go on.")
    return message.format(date=surgery_date.isoformat())


def date_warning(surgery_date: date, today: date) -> str | None:
    """Why a surgery date needs a second look (in the past, or more than a year ahead:
    almost surely a typo), else None. The walk asks; ``date`` wants ``--yes``."""
    days = days_until(surgery_date, today)
    if days < 0:
        ago = -days
        message = ngettext(
            "{date} was {days} day ago. Please check the date before you go on.",
            "{date} was {days} days ago. Please check the date before you go on.",
            ago,
        )
        return message.format(date=surgery_date.isoformat(), days=ago)
    return far_away_warning(surgery_date, today)


def days_until(surgery_date: date, today: date) -> int:
    """Whole calendar days from today to surgery (negative once it has passed)."""
    return (surgery_date - today).days


def countdown(surgery_date: date | None, today: date) -> str:
    """Where the patient is on the timeline, in calm words: 'Surgery in 3 days: Friday
    27 November.', 'Surgery is today.', 'Surgery was 2 days ago.'"""
    if surgery_date is None:
        add = command("date", date_format())
        return _("No surgery date saved yet. Add it with: {command}").format(command=add)
    days = days_until(surgery_date, today)
    when = day_text(surgery_date, today)
    if days > 1:
        message = ngettext(
            "Surgery in {days} day: {when}.", "Surgery in {days} days: {when}.", days
        )
        return message.format(days=days, when=when)
    if days == 1:
        return _("Surgery is tomorrow: {when}.").format(when=when)
    if days == 0:
        return _("Surgery is today.")
    ago = -days
    message = ngettext(
        "Surgery was {days} day ago, on {when}.", "Surgery was {days} days ago, on {when}.", ago
    )
    return message.format(days=ago, when=when)


def has_begun(window: Window | None, surgery_date: date | None, today: date) -> bool:
    """Whether a window's first day has come; never without a window or a surgery date."""
    if window is None or surgery_date is None:
        return False
    return today >= window_dates(window, surgery_date)[0]
