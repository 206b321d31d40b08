"""Time, counted in the patient's local calendar days: the countdown and what has begun.

The rule for a single step (upcoming, due, overdue) is ``timeline.step_state``;
this module answers the coarser questions of the walk and the status screen.
"""

from __future__ import annotations

from datetime import date

from foracheck.errors import UsageError
from foracheck.model import Window
from foracheck.timeline import window_dates


def parse_surgery_date(text: str) -> date:
    """A YYYY-MM-DD date, or UsageError (exit 2) with an example."""
    try:
        if len(text.strip()) != len("YYYY-MM-DD"):
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"'{text}' is not a date foracheck understands. Please use YYYY-MM-DD, "
            "for example 2026-12-01."
        ) from None


def days_until(surgery_date: date, today: date) -> int:
    """Whole calendar days from today to surgery (negative once it has passed)."""
    return (surgery_date - today).days


def countdown(surgery_date: date | None, today: date) -> str:
    """'Surgery in 5 days', 'Surgery is today', and so on."""
    if surgery_date is None:
        return (
            "No surgery date saved yet (add one with: foracheck start --surgery-date YYYY-MM-DD)."
        )
    days = days_until(surgery_date, today)
    when = surgery_date.isoformat()
    if days > 1:
        return f"Surgery in {days} days ({when})."
    if days == 1:
        return f"Surgery is tomorrow ({when})."
    if days == 0:
        return f"Surgery is today ({when})."
    ago = -days
    return f"Surgery was {ago} day{'s' * (ago != 1)} ago ({when})."


def has_begun(window: Window | None, surgery_date: date | None, today: date) -> bool:
    """Whether a window's first day has come; never without a window or a surgery date."""
    if window is None or surgery_date is None:
        return False
    return today >= window_dates(window, surgery_date)[0]
