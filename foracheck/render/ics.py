"""iCalendar (RFC 5545): the open tasks and the surgery day, for a phone's calendar.

Every event is all-day (``VALUE=DATE``, the end date exclusive), so it lands on
the patient's own calendar days in any time zone, with a display alarm relative to
its start (never a UTC time). Each alarm is still to come when the file is written:
09:00 on a step's first day, or, for a step already begun, the next 09:00 (the event
then starts on the export day, its window still said in words); the surgery day's
at 18:00 the evening before. The file holds checklist text only, never an answer or
a note, since a calendar is often synced and shared: that is also why open questions
are not events of their own but one event a day, "Answer 3 questions in foracheck",
without their text. UIDs are derived from ids (or a question day's distance from the
surgery), never from a person or a machine (RFC 7986, 5.3), and ``SEQUENCE`` is the
number of times the surgery date has moved, so exporting again after a move updates
the events a phone already has.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from foracheck import __version__
from foracheck.answers import date_format
from foracheck.errors import UsageError
from foracheck.i18n import _, ngettext
from foracheck.invocation import command
from foracheck.model import Checklist, Progress
from foracheck.presentation import Row, care_team_reminder, exported_rows, title, when_label
from foracheck.render import Options
from foracheck.safetext import shown
from foracheck.timeline import window_dates

CRLF = "\r\n"
MAX_OCTETS = 75  # per line, CRLF excluded (RFC 5545, 3.1)
MORNING = time(9)  # a step's reminder, in whatever time zone the phone is in
EVENING_BEFORE = "-PT6H"  # the surgery day's reminder: 18:00 the day before
# A fixed namespace: UIDs depend on ids only, the same for every export and every person.
_UID_NAMESPACE = uuid.UUID("6f1f3c1e-5b7a-4c55-9a43-2f1d0c3e8b27")


def no_surgery_date() -> str:
    """Why the calendar cannot be made, and the command that saves a surgery date."""
    return _(
        "The calendar needs a surgery date, since every step's days are counted from it. "
        "Save one with: {command}"
    ).format(command=command("date", date_format()))


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


@dataclass(frozen=True)
class _Clock:
    """When the file is written: the patient's day and the wall-clock time on it."""

    today: date
    time_of_day: time

    def next_morning(self, day: date) -> date:
        """The day of the first 09:00 on or after ``day`` that is still to come."""
        if day > self.today:
            return day
        return self.today if self.time_of_day < MORNING else self.today + timedelta(days=1)

    def before_evening(self, day: date) -> bool:
        """Whether 18:00 on the day before ``day`` is still to come."""
        eve = day - timedelta(days=1)
        return self.today < eve or (self.today == eve and self.time_of_day < time(18))


@dataclass(frozen=True)
class _Event:
    """An all-day event from ``first`` to ``last`` inclusive; ``trigger``: its alarm,
    relative to the start, or None for none."""

    uid: str
    first: date
    last: date
    summary: str
    description: str
    trigger: str | None

    def lines(self, stamp: str, sequence: int) -> list[str]:
        alarm = [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape(self.summary)}",
            f"TRIGGER;RELATED=START:{self.trigger}",
            "END:VALARM",
        ]
        return [
            "BEGIN:VEVENT",
            f"UID:{self.uid}",
            f"DTSTAMP:{stamp}",
            f"SEQUENCE:{sequence}",
            f"DTSTART;VALUE=DATE:{_day(self.first)}",
            f"DTEND;VALUE=DATE:{_day(self.last + timedelta(days=1))}",
            f"SUMMARY:{escape(self.summary)}",
            f"DESCRIPTION:{escape(self.description)}",
            "TRANSP:TRANSPARENT",
            *(alarm if self.trigger else []),
            "END:VEVENT",
        ]


def _morning_event(
    uid: str, first: date, last: date, summary: str, description: str, clock: _Clock
) -> _Event:
    """An event whose alarm is the next 09:00 from its first day; one already begun
    starts on the day it is written, and lasts at least until its alarm."""
    start = max(first, clock.today)
    alarm = clock.next_morning(start)
    days = (alarm - start).days
    trigger = f"P{days}DT9H" if days else "PT9H"
    return _Event(uid, start, max(last, alarm), summary, description, trigger)


def important(text: str) -> str:
    """A critical step's title: it says so first."""
    return _("Important: {text}").format(text=text)


def _open_rows(checklist: Checklist, progress: Progress, today: date) -> Iterator[Row]:
    """Open steps with a window that are not missed (a missed step is past doing)."""
    for row in exported_rows(checklist, progress, today):
        if not row.resolved and row.window is not None and not row.missed:
            yield row


def _step_events(
    checklist: Checklist, progress: Progress, surgery: date, clock: _Clock
) -> Iterator[_Event]:
    """The open tasks; an ongoing one (no last day) is shown on its first day."""
    for row in _open_rows(checklist, progress, clock.today):
        if row.item.type != "task" or row.window is None:
            continue
        first, last = window_dates(row.window, surgery)
        parts = [f"{checklist.title}\n{when_label()} {row.when_phrase}", row.item.details]
        description = "\n\n".join(part for part in (*parts, care_team_reminder()) if part)
        summary = important(row.item.text) if row.item.critical else row.item.text
        uid = _uid("step", checklist.id, row.item.id)
        yield _morning_event(uid, first, last or first, summary, description, clock)


def _question_events(
    checklists: Sequence[Checklist], progress: Progress, surgery: date, clock: _Clock
) -> list[_Event]:
    """One event a day for the open questions whose window starts (or, begun, goes on)
    that day: how many, never which (a calendar is often shared)."""
    days: dict[date, list[Row]] = {}
    keys: dict[date, list[tuple[str, str]]] = {}
    for checklist in checklists:
        for row in _open_rows(checklist, progress, clock.today):
            if row.item.type != "task" and row.window is not None:
                first, _last = window_dates(row.window, surgery)
                day = max(first, clock.today)
                days.setdefault(day, []).append(row)
                keys.setdefault(day, []).append((checklist.id, row.item.id))
    events = []
    for day, rows in sorted(days.items()):
        count = ngettext(
            "Answer {count} question in foracheck",
            "Answer {count} questions in foracheck",
            len(rows),
        ).format(count=len(rows))
        summary = important(count) if any(row.item.critical for row in rows) else count
        description = "\n\n".join([_questions_hint(), care_team_reminder()])
        # named by its first question's ids, which stay together when the date moves
        uid = _uid("questions", *keys[day][0])
        events.append(_morning_event(uid, day, day, summary, description, clock))
    return events


def _questions_hint() -> str:
    """What a question day's event says instead of the questions."""
    return _("Open foracheck to see and answer them: {command}").format(command=command("start"))


def _surgery_event(surgery: date, clock: _Clock) -> _Event:
    """The surgery day, its reminder the evening before (none once that has passed)."""
    trigger = EVENING_BEFORE if clock.before_evening(surgery) else None
    uid = _uid("surgery-day")
    return _Event(uid, surgery, surgery, _("Surgery day"), care_team_reminder(), trigger)


def _stamp(now: datetime) -> str:
    return now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def export(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """The calendar: the surgery day, each open task list by list, then the question days."""
    surgery = progress.surgery_date
    if surgery is None:
        raise UsageError(no_surgery_date())
    now = options.now or datetime.now().astimezone()
    clock = _Clock(options.local_day(), now.time())
    events = [_surgery_event(surgery, clock)]
    for checklist in checklists:
        events += _step_events(checklist, progress, surgery, clock)
    events += _question_events(checklists, progress, surgery, clock)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//foracheck//foracheck {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(title())}",
    ]
    for event in events:
        lines += event.lines(_stamp(now), progress.date_changes)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
