"""Time, counted in the patient's local calendar days: countdown and what is due.

A list (or item) with ``due_days_before: N`` is due from N days before the
surgery date on. An open item is *past due* once its moment has gone by: on or
after surgery day for things meant before it (N > 0), after surgery day for
things meant for the day itself (N = 0).
"""

from __future__ import annotations

from datetime import date

from foracheck.errors import UsageError
from foracheck.model import Checklist, Item
from foracheck.safetext import shown


def parse_surgery_date(text: str) -> date:
    """A YYYY-MM-DD date, or UsageError (exit 2) with an example."""
    try:
        if len(text.strip()) != len("YYYY-MM-DD"):
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"'{shown(text, multiline=False)}' is not a date foracheck understands. "
            "Please use YYYY-MM-DD, "
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


def due_days(checklist: Checklist, item: Item | None = None) -> int | None:
    """The item's own due setting, else its list's."""
    if item is not None and item.due_days_before is not None:
        return item.due_days_before
    return checklist.due_days_before


def is_due(
    checklist: Checklist, surgery_date: date | None, today: date, item: Item | None = None
) -> bool:
    """Whether the list (or item) has come due; never without a surgery date."""
    due = due_days(checklist, item)
    if surgery_date is None or due is None:
        return False
    return days_until(surgery_date, today) <= due


def is_past_due(checklist: Checklist, item: Item, surgery_date: date | None, today: date) -> bool:
    """Whether the moment for an item has gone by (see the module docstring)."""
    due = due_days(checklist, item)
    if surgery_date is None or due is None:
        return False
    days = days_until(surgery_date, today)
    return days <= 0 if due > 0 else days < 0
