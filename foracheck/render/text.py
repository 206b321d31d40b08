"""Plain text: a printable form for any printer, 80 columns wide.

Long text is wrapped, never cut; each list starts on a new page (a form feed).
Large print (``--large``) leaves a blank line between steps and never breaks a
word; a plain-text printer's letters are as large as its font, so the README
shows how to ask ``lp`` for bigger ones.
Control characters and bidirectional controls in a checklist or a note are shown
as U+FFFD (``safetext.shown``), so a printout piped to a terminal can never steer it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date

from foracheck.model import Checklist, Progress
from foracheck.render import Options
from foracheck.render.content import (
    Field,
    Patient,
    Row,
    care_team_reminder,
    form_progress,
    form_rows,
    nothing_to_tell,
    patient_fields,
    printout_patient,
    review_fields,
    sheet_label,
    source_label,
    split_lines,
    summary_blank,
    summary_entries,
    summary_intro,
    tell_your_surgeon,
    title,
)
from foracheck.safetext import shown

WIDTH = 80
BLANK = "_" * 40
PAGE_BREAK = "\f"
WRITE_IN_LINES = 2  # more lines to write on under a text question's first one
SUMMARY_WRITE_IN_LINES = 8


def wrap(text: str, first: str = "", rest: str | None = None, whole: bool = False) -> list[str]:
    """Lines of at most WIDTH columns, each line of ``text`` wrapped on its own;
    ``whole``: words are never broken, even one longer than a line."""
    rest = " " * len(first) if rest is None else rest
    lines: list[str] = []
    for number, line in enumerate(split_lines(shown(text))):
        prefix = first if number == 0 else rest
        wrapped = textwrap.wrap(
            line,
            WIDTH,
            initial_indent=prefix,
            subsequent_indent=rest,
            break_long_words=not whole,
            break_on_hyphens=not whole,
        )
        lines.extend(wrapped or [prefix.rstrip()])
    return lines


def _fields(fields: Sequence[Field]) -> list[str]:
    width = max(len(label) for label, _ in fields) + 2
    return [
        line for label, value in fields for line in wrap(value or BLANK, f"{label}:".ljust(width))
    ]


def _item(row: Row, number_width: int, large: bool) -> list[str]:
    box = "   " if row.pair else "[x]" if row.resolved else "[ ]"  # a pair has its own boxes
    first = f"{row.number:>{number_width}}. {box} "
    indent = " " * len(first)
    lines = wrap(row.item.text, first, whole=large)
    for kind, text in row.details():
        if kind == "write-in":
            lines += wrap(f"{text} {BLANK}", indent, whole=large)
            lines += _write_in(indent, WRITE_IN_LINES)
        else:
            written = f"{text} {BLANK}" if kind == "critical-write-in" else text
            lines += wrap(written, indent, whole=large)
    return [*lines, ""] if large else lines


def _write_in(indent: str, count: int) -> list[str]:
    """Empty lines to write on, as wide as the page allows."""
    return ["", *[indent + "_" * (WIDTH - len(indent) - 2), ""] * count][:-1]


def _heading(title: str) -> list[str]:
    lines = wrap(title)
    return [*lines, "=" * max(map(len, lines)), ""]


def _summary(
    checklists: Sequence[Checklist], progress: Progress, blank: bool, patient: Patient | None
) -> list[str]:
    """The "tell your surgeon" sheet, first because it is the one handed over."""
    lines = [
        title(),
        "",
        *_fields(patient_fields(progress, patient)),
        "",
        *_heading(tell_your_surgeon()),
    ]
    lines += [*wrap(summary_intro()), ""]
    if blank:
        return [*lines, *wrap(summary_blank()), *_write_in("", SUMMARY_WRITE_IN_LINES)]
    entries = summary_entries(checklists, progress)
    for first, *rest in entries:
        lines += wrap(first, "- ", "  ")
        lines += [line for text in rest for line in wrap(text, "  ")]
    return lines if entries else [*lines, *wrap(nothing_to_tell())]


def _sheet(
    checklist: Checklist,
    progress: Progress,
    patient: Patient | None,
    large: bool,
    today: date | None = None,
) -> list[str]:
    rows = form_rows(checklist, progress, today)
    fields = _fields(patient_fields(progress, patient))
    lines = [title(), "", *fields, "", *_heading(checklist.title)]
    if checklist.intro:
        lines += [*wrap(checklist.intro), ""]
    for row in rows:
        lines += _item(row, len(str(len(rows))), large)
    if not large:  # a large form has a blank line after every step already
        lines.append("")
    if checklist.source:
        where = [checklist.source.title, checklist.source.url or ""]
        lines += wrap("\n".join(where), f"{source_label()} ")
    lines += [*wrap(care_team_reminder()), "", *_fields(review_fields())]
    return lines


def printable(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """The summary sheet, then a form per list, each on its own page; every sheet
    ends with a line naming its list and its patient."""
    shown = form_progress(progress, options.blank)
    patient = printout_patient(options)
    sheets = [(tell_your_surgeon(), _summary(checklists, shown, options.blank, patient))]
    sheets += [
        (checklist.title, _sheet(checklist, shown, patient, options.large, options.local_day()))
        for checklist in checklists
    ]
    pages = [
        "\n".join([*lines, "", *wrap(sheet_label(title, number, len(sheets), patient))]) + "\n"
        for number, (title, lines) in enumerate(sheets, start=1)
    ]
    return PAGE_BREAK.join(pages)
