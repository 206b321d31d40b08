"""The one rule for dates and times, at every door (guarantee 19).

Every date a person or a file gives foracheck (a surgery date typed at ``start``
or in the walk, ``print --born``, a list's ``source.reviewed``, a date in an
import, a restored or saved progress file) is read by ``parse_date``; every
answer time by ``parse_time``. Both are strict: only ``YYYY-MM-DD`` (never a
week date such as ``2026-W48-1`` or ``20261201``, which ``date.fromisoformat``
would take) and only RFC 3339 times with an offset. Both keep to years a person
could mean (1900 to 2099): a date like 9999-12-31 would overflow the day
arithmetic of every later command, and an answer time in 9999 would win every
later "newer answer wins" comparison. Times are written in one form,
``YYYY-MM-DDTHH:MM:SS±HH:MM``, which the shipped JSON Schema and FHIR's
``dateTime`` both accept.

The clock's own offset is checked too: a ``TZ`` of 24 hours or more, or one
with seconds or beyond ±14:00, is not a place on Earth; the time is then taken
in UTC, and the user is told once.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, timezone

from foracheck.i18n import _, ngettext

FIRST_YEAR = 1900
LAST_YEAR = 2099
# FHIR's dateTime allows offsets from -14:00 to +14:00, in whole minutes; so do we.
MAX_OFFSET = timedelta(hours=14)
# A clock a little ahead is no attack; an answer given after tomorrow is.
FUTURE_SLACK = timedelta(days=1)
# Older than any answer foracheck takes: where a time that cannot be trusted ranks.
EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=timezone.utc)

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})"
)

_clock_notice_given = False


class DateProblem(ValueError):
    """A date or time that is not one foracheck takes; ``str()`` is the sentence to show."""


def parse_date(text: str, echo: bool = True) -> date:
    """A ``YYYY-MM-DD`` calendar date between 1900 and 2099, or DateProblem saying why not.

    With ``echo`` false the sentence never repeats the date nor its month and year
    (a date of birth is health information); the reasons are the same.
    """
    typed = text.strip()
    match = _DATE.fullmatch(typed)
    if match is None or match.group(1) == "0000":  # not echoed: it could be anything
        raise DateProblem(_unreadable())
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        if not echo:
            raise DateProblem(_("That date has no such month: months go from 01 to 12."))
        message = _("'{typed}' has no month {month}: months go from 01 to 12.")
        raise DateProblem(message.format(typed=typed, month=month))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateProblem(_out_of_range(typed) if echo else _out_of_range_unsaid())
    days = _days_in_month(year, month)
    if not 1 <= day <= days:
        raise DateProblem(_not_in_calendar(typed, year, month, days, echo))
    return date(year, month, day)


def _unreadable() -> str:
    """The sentence for text that is no date: the language's format word, an example
    built from today (four weeks on, never one already past)."""
    from foracheck.answers import date_format

    return _(
        "That is not a date foracheck understands. Please use {format}, for example {example}."
    ).format(format=date_format(), example=example_date(today()).isoformat())


def example_date(today: date) -> date:
    """A date to show as an example: four weeks from today, never one already past."""
    return today + timedelta(days=28)


def _not_in_calendar(typed: str, year: int, month: int, days: int, echo: bool) -> str:
    if not echo:
        message = ngettext(
            "That date is not a day in the calendar: its month has {days} day.",
            "That date is not a day in the calendar: its month has {days} days.",
            days,
        )
        return message.format(days=days)
    from foracheck.timeline import month_name

    message = ngettext(
        "'{typed}' is not a day in the calendar: {month} {year} has {days} day.",
        "'{typed}' is not a day in the calendar: {month} {year} has {days} days.",
        days,
    )
    return message.format(typed=typed, month=month_name(month), year=year, days=days)


def _out_of_range(typed: str) -> str:
    message = _("'{typed}' is not a date foracheck accepts: years go from {first} to {last}.")
    return message.format(typed=typed, first=FIRST_YEAR, last=LAST_YEAR)


def _out_of_range_unsaid() -> str:
    message = _("That date is not one foracheck accepts: years go from {first} to {last}.")
    return message.format(first=FIRST_YEAR, last=LAST_YEAR)


def in_range(day: date) -> bool:
    """Whether a date lies in the years foracheck accepts."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _days_in_month(year: int, month: int) -> int:
    """The Gregorian calendar's days in a month (``calendar.monthrange``'s, without importing
    ``calendar``: every command that reads a saved date checks it)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_time(text: str, now: datetime | None = None) -> datetime:
    """An RFC 3339 time with an offset, in range and not later than tomorrow; else DateProblem.

    ``now`` (aware) is the moment to compare with; None skips the "later than
    tomorrow" check (a saved file read back on a machine whose clock was once ahead).
    """
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise DateProblem(  # not echoed: it could be anything (an answer in the wrong field)
            _(
                "That is not a date and time foracheck understands: it must be written "
                "like 2026-11-20T09:30:00+01:00, with its offset from UTC."
            )
        )
    day_text, hour, minute, second, fraction, offset = match.groups()
    if not FIRST_YEAR <= int(day_text[:4]) <= LAST_YEAR:
        raise DateProblem(_out_of_range(text.strip()))
    day = parse_date(day_text)
    moment = _moment(day, int(hour), int(minute), int(second), fraction, offset, text.strip())
    if now is not None and moment > now + FUTURE_SLACK:
        message = _("'{typed}' is later than tomorrow: an answer cannot have been given then.")
        raise DateProblem(message.format(typed=text.strip()))
    return moment


def _moment(
    day: date, hour: int, minute: int, second: int, fraction: str | None, offset: str, typed: str
) -> datetime:
    sign, hours, minutes = (1, 0, 0) if offset == "Z" else _offset_parts(offset)
    shift = timedelta(hours=hours, minutes=minutes)
    if hour > 23 or minute > 59 or second > 59 or minutes > 59 or shift > MAX_OFFSET:
        message = _("'{typed}' is not a time of day with an offset foracheck accepts.")
        raise DateProblem(message.format(typed=typed))
    micro = int((fraction or "0").ljust(6, "0")[:6])
    zone = timezone(sign * shift)
    return datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=zone)


def _offset_parts(offset: str) -> tuple[int, int, int]:
    return (-1 if offset[0] == "-" else 1), int(offset[1:3]), int(offset[4:6])


def format_time(moment: datetime) -> str:
    """The one written form: ``YYYY-MM-DDTHH:MM:SS±HH:MM`` (seconds, never ``Z``)."""
    return moment.isoformat(timespec="seconds")


def normal_time(text: str, now: datetime | None = None) -> str:
    """``text`` checked by ``parse_time`` and written in the one form."""
    return format_time(parse_time(text, now))


def local_now() -> datetime:
    """Now, in the local time zone when it is one on Earth, else in UTC (said once)."""
    utc = datetime.now(timezone.utc)
    try:
        local = utc.astimezone()
    except (ValueError, OverflowError, OSError):  # TZ=UTC+24: no such offset
        local = None
    offset = local.utcoffset() if local is not None else None
    if local is None or offset is None or not _earthly(offset):
        _tell_clock_once()
        return utc
    return local


def _earthly(offset: timedelta) -> bool:
    return abs(offset) <= MAX_OFFSET and offset % timedelta(minutes=1) == timedelta(0)


def _tell_clock_once() -> None:
    global _clock_notice_given
    if _clock_notice_given:
        return
    _clock_notice_given = True
    from foracheck.safetext import shown
    from foracheck.stdio import say

    zone = shown(os.environ.get("TZ", ""), multiline=False)
    say(
        _(
            "Note: the time zone setting TZ={zone} is not one foracheck can use, so times "
            "are in UTC."
        ).format(zone=zone)
    )


def today() -> date:
    """Today's date where the patient is (UTC when the time zone setting is unusable)."""
    return local_now().date()


def now_text() -> str:
    """The current time in the one written form."""
    return format_time(local_now())
