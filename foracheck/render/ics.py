"""iCalendar (RFC 5545): the open steps and the surgery day, for a phone's calendar.

Every event is all-day (``VALUE=DATE``, the end date exclusive), so it lands on
the patient's own calendar days in any time zone, with a display alarm on its
first morning (a trigger relative to the start, never a UTC time). The file holds
checklist text only, never an answer or a note: a calendar is often synced and
shared. UIDs are derived from the list and item ids alone, so exporting again
updates the same events, and nothing in them names the patient or the machine
(RFC 7986, section 5.3).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta, timezone

from foracheck import __version__
from foracheck.errors import UsageError
from foracheck.i18n import _
from foracheck.invocation import command
from foracheck.model import Checklist, Progress
from foracheck.render import Options
from foracheck.render.content import Row, care_team_reminder, exported_rows, title, when_label
from foracheck.safetext import shown
from foracheck.timeline import window_dates

CRLF = "\r\n"
MAX_OCTETS = 75  # per line, CRLF excluded (RFC 5545, 3.1)
ALARM_AT = "PT9H"  # 09:00 on the first day, in whatever time zone the phone is in
# A fixed namespace: UIDs depend on ids only, the same for every export and every person.
_UID_NAMESPACE = uuid.UUID("6f1f3c1e-5b7a-4c55-9a43-2f1d0c3e8b27")


def no_surgery_date() -> str:
    """Why the calendar cannot be made, and the command that saves a surgery date."""
    return _(
        "The calendar needs a surgery date, since every step's days are counted from it. "
        "Save one with: {command}"
    ).format(command=command("start", "--surgery-date", "YYYY-MM-DD"))


def escape(text: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and newlines escaped."""
    lines = re.split(r"\r\n|\r|\n", shown(text.strip()))
    escaped = (
        line.replace("\t", " ").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        for line in lines
    )
    return "\\n".join(escaped)


def fold(line: str) -> str:
    """One content line, folded at 75 octets without splitting a UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > MAX_OCTETS:
            parts.append(current)
            current, size = " ", 1  # a continuation line starts with one space
        current += char
        size += width
    parts.append(current)
    return CRLF.join(parts) + CRLF


def _day(day: date) -> str:
    return day.strftime("%Y%m%d")


def _uid(*ids: str) -> str:
    return str(uuid.uuid5(_UID_NAMESPACE, "/".join(ids)))


def _event(
    uid: str, first: date, last: date, summary: str, description: str, stamp: str
) -> list[str]:
    """An all-day event from ``first`` to ``last`` inclusive, with an alarm on its first day."""
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_day(first)}",
        f"DTEND;VALUE=DATE:{_day(last + timedelta(days=1))}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape(summary)}",
        f"TRIGGER;RELATED=START:{ALARM_AT}",
        "END:VALARM",
        "END:VEVENT",
    ]


def _step_events(
    checklist: Checklist, rows: Sequence[Row], surgery: date, stamp: str
) -> Iterator[str]:
    """The open steps that have a window; an ongoing step is shown on its first day."""
    for row in rows:
        if row.resolved or row.window is None or row.missed:  # missed: past doing
            continue
        first, last = window_dates(row.window, surgery)
        parts = [f"{checklist.title}\n{when_label()} {row.when_phrase}", row.item.details]
        description = "\n\n".join(part for part in (*parts, care_team_reminder()) if part)
        uid = _uid("step", checklist.id, row.item.id)
        yield from _event(uid, first, last or first, row.item.text, description, stamp)


def _stamp(now: datetime | None) -> str:
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def export(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """The calendar: the surgery day, then each open step with a window, list by list."""
    surgery = progress.surgery_date
    if surgery is None:
        raise UsageError(no_surgery_date())
    stamp = _stamp(options.now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//foracheck//foracheck {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(title())}",
        *_event(
            _uid("surgery-day"), surgery, surgery, _("Surgery day"), care_team_reminder(), stamp
        ),
    ]
    for checklist in checklists:
        lines += _step_events(
            checklist, exported_rows(checklist, progress, options.local_day()), surgery, stamp
        )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
