"""The surgery timeline: when each step is meant to happen, and where it stands today.

Clinicians write windows the way they speak ("2 weeks before", "surgery day",
"4 weeks after"); this module reads those phrases, turns a window into the
patient's local calendar days, and says whether an open step is upcoming, due
or overdue. One rule, used by ``status``, ``start``, ``print``, the exports and
the calendar. Pure: no I/O, no clock (``today`` is always given).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from foracheck.i18n import _, ngettext
from foracheck.model import Answer, Checklist, Item, Window, is_resolved, offset_phrase

StepState = Literal["upcoming", "due", "overdue", "missed", "resolved"]
STEP_STATES: tuple[StepState, ...] = ("upcoming", "due", "overdue", "missed", "resolved")
SURGERY_DAY = "surgery day"
MAX_DAYS = 366  # a year either side of surgery; anything further is a typing slip
PHRASE_EXAMPLES = "'2 weeks before', '1 day before', 'surgery day', '3 days after'"
_PHRASE = re.compile(r"([0-9]{1,6}) +(day|days|week|weeks) +(before|after)")
_UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
# Near misses a clinician might write, and what they surely meant.
_ALIASES = {
    "day of surgery": SURGERY_DAY,
    "surgery-day": SURGERY_DAY,
    "the surgery day": SURGERY_DAY,
    "on surgery day": SURGERY_DAY,
    "surgery": SURGERY_DAY,
    "day 0": SURGERY_DAY,
}
_WORDS = ("day", "days", "week", "weeks", "before", "after")
# English names, the catalog's keys: ``weekday_name`` and ``month_name`` show them
# in the run's language (never the C locale's), and every date shown goes through them.
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (  # shared with schedule's date messages
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class PhraseError(ValueError):
    """A timing phrase foracheck cannot read; the message says what it expects."""


def parse_offset(text: str) -> int:
    """Days from the surgery day for a phrase ("1 week before" is -7), or PhraseError."""
    offset = _read(text)
    if offset is None:
        raise PhraseError(_unreadable(text, " ".join(text.lower().split())))
    if abs(offset) > MAX_DAYS:
        raise PhraseError(_("'{text}' is more than a year from surgery").format(text=text))
    return offset


def _read(text: str) -> int | None:
    """The offset of an exactly written phrase (spaces aside), or None."""
    phrase = " ".join(text.split())
    if phrase == SURGERY_DAY:
        return 0
    match = _PHRASE.fullmatch(phrase)
    if match is None:
        return None
    days = int(match[1]) * _UNIT_DAYS[match[2]]
    return -days if match[3] == "before" else days


def _unreadable(text: str, phrase: str) -> str:
    guess = _ALIASES.get(phrase) or _respelled(phrase)
    if guess:  # the phrases stay English: a checklist file is always read in English
        return _(
            "'{text}' is not a timing foracheck reads (did you mean '{guess}'?); "
            "write it like {examples}"
        ).format(text=text, guess=guess, examples=PHRASE_EXAMPLES)
    return _("'{text}' is not a timing foracheck reads; write it like {examples}").format(
        text=text, examples=PHRASE_EXAMPLES
    )


def _respelled(phrase: str) -> str | None:
    """The phrase with misspelled words corrected, when that makes it readable."""
    import difflib  # only for a phrase that is already wrong; status need not load it

    if difflib.get_close_matches(phrase, [SURGERY_DAY], n=1, cutoff=0.75):
        return SURGERY_DAY
    trimmed = phrase.removesuffix(" the surgery").removesuffix(" surgery")
    words = re.sub(r"([0-9])([a-z])", r"\1 \2", trimmed).replace("-", " ").split()
    fixed = [
        word
        if word.isdigit()
        else next(iter(difflib.get_close_matches(word, _WORDS, n=1, cutoff=0.6)), word)
        for word in words
    ]
    candidate = " ".join(fixed)  # the original did not parse, so any candidate that does differs
    offset = _read(candidate)
    if offset is None:
        return None
    return candidate if offset % 7 == 0 else offset_phrase(offset)  # "3 day" reads "3 days"


def window_of(checklist: Checklist, item: Item) -> Window | None:
    """The item's own window, else its list's, else None (no timing at all)."""
    return item.when if item.when is not None else checklist.when


def window_dates(window: Window, surgery_date: date) -> tuple[date, date | None]:
    """The first and last local calendar day of a window (no last day: ongoing)."""
    start = surgery_date + timedelta(days=window.start)
    end = None if window.end is None else surgery_date + timedelta(days=window.end)
    return start, end


def step_state(
    item: Item,
    answer: Answer | None,
    window: Window | None,
    surgery_date: date | None,
    today: date,
) -> StepState:
    """Where a step stands on ``today``, per the contract's one rule.

    Resolved beats everything. Without a surgery date or a window nothing is
    upcoming or overdue: an open step is simply due (to do). Otherwise it is
    upcoming before its first day, overdue after its last, due in between; and
    missed once the surgery day is over, when its last day was on or before it:
    a recovering patient is never told to fast or to get a scan.
    """
    if is_resolved(item, answer):
        return "resolved"
    if window is None or surgery_date is None:
        return "due"
    start, end = window_dates(window, surgery_date)
    if today < start:
        return "upcoming"
    if end is not None and today > end:
        return "missed" if end <= surgery_date < today else "overdue"
    return "due"


def _shown_offset(offset: int) -> str:
    """``offset_phrase`` in the run's language: "2 weeks before", "surgery day"."""
    if offset == 0:
        return _("surgery day")
    days = abs(offset)
    if days % 7 == 0:
        weeks = days // 7
        if offset < 0:
            return ngettext("{n} week before", "{n} weeks before", weeks).format(n=weeks)
        return ngettext("{n} week after", "{n} weeks after", weeks).format(n=weeks)
    if offset < 0:
        return ngettext("{n} day before", "{n} days before", days).format(n=days)
    return ngettext("{n} day after", "{n} days after", days).format(n=days)


def _of_surgery(offset: int) -> str:
    """ "1 day before surgery", "2 weeks after surgery", "surgery day"."""
    if offset == 0:
        return _("surgery day")
    return _("{offset} surgery").format(offset=_shown_offset(offset))


def window_phrase(window: Window) -> str:
    """A window in words, for blank forms and Markdown.

    "1 day before surgery", "from 2 weeks before surgery until 1 day before",
    "from surgery day on".
    """
    if window.end == window.start:
        return _of_surgery(window.start)
    if window.end is None:
        if window.start == 0:  # its own sentence: some languages join "from" and "the day"
            return _("from surgery day on")
        return _("from {start} on").format(start=_of_surgery(window.start))
    return _("from {start} until {end}").format(
        start=_of_surgery(window.start), end=_shown_offset(window.end)
    )


def weekday_name(day: date) -> str:
    """The day of the week, in the run's language."""
    return _(_WEEKDAYS[day.weekday()])


def month_name(month: int) -> str:
    """A month's name (1 is January), in the run's language."""
    return _(MONTHS[month - 1])


def near_day(day: date, today: date) -> str | None:
    """ "today", "tomorrow" or "yesterday" for a day next to ``today``, else None."""
    words = {0: _("today"), 1: _("tomorrow"), -1: _("yesterday")}
    return words.get((day - today).days)


def day_text(day: date, surgery_date: date) -> str:
    """A calendar day as people say it: "Thursday 26 November" (with the year if it differs)."""
    words = {"weekday": weekday_name(day), "day": day.day, "month": month_name(day.month)}
    if day.year == surgery_date.year:
        return _("{weekday} {day} {month}").format(**words)
    return _("{weekday} {day} {month} {year}").format(**words, year=day.year)


def dates_text(window: Window, surgery_date: date) -> str:
    """A window as dates: "on Monday 30 November", "from Tuesday 1 December",
    "from Monday 16 November, by Thursday 26 November"."""
    start, end = window_dates(window, surgery_date)
    first = day_text(start, surgery_date)
    if end == start:
        return _("on {day}").format(day=first)
    if end is None:
        return _("from {day}").format(day=first)
    return _("from {first}, by {last}").format(first=first, last=day_text(end, surgery_date))


def timing_text(window: Window, surgery_date: date | None) -> str:
    """Dates when the surgery date is known, else the phrase: what paper shows."""
    return window_phrase(window) if surgery_date is None else dates_text(window, surgery_date)
