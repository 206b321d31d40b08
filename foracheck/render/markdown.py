"""Markdown: the default export, and a printable form.

Every piece of text from a checklist or an answer goes through ``escape``
(``markdown_escape``: the rules, shared with FHIR's Markdown fields), so that a
Markdown renderer shows exactly the characters that were written.
"""

from __future__ import annotations

from collections.abc import Sequence

from foracheck.model import Checklist, Progress
from foracheck.presentation import (
    Field,
    Patient,
    Row,
    act_now_text,
    care_team_reminder,
    export_time,
    exported_label,
    form_progress,
    form_rows,
    important_mark,
    listed_rows,
    missed_mark,
    note_label,
    nothing_to_tell,
    patient_fields,
    printed_line,
    printout_patient,
    review_fields,
    sheet_label,
    source_label,
    summary_blank,
    summary_entries,
    summary_intro,
    summary_rows,
    surgery_date_label,
    surgery_date_text,
    tell_your_surgeon,
    title,
    when_label,
)
from foracheck.render import Options
from foracheck.render.markdown_escape import HARD_BREAK, escape

BLANK = "_" * 24
SHEET_BREAK = "\n---\n\n"
WRITE_IN_LINES = 2  # more lines to write on under a text question's first one
SUMMARY_WRITE_IN_LINES = 8
LONG_BLANK = "_" * 60


def _list_item(first: str, indent: str, extra: Sequence[str]) -> str:
    """A list item's first line, then one hard-broken line per extra, kept inside it."""
    return (HARD_BREAK + indent).join([first, *extra]) + "\n"


def _task(marker: str, resolved: bool, text: str, extra: Sequence[str]) -> str:
    """A task-list item: the marker, the box and the escaped text, then the extras."""
    box = "[x]" if resolved else "[ ]"
    return _list_item(f"{marker}{box} {text}", " " * len(marker), extra)


def _note(row: Row, indent: str) -> list[str]:
    return [escape(f"{note_label()} {row.note}", indent)] if row.note else []


def _when(row: Row, indent: str) -> list[str]:
    return [escape(f"{when_label()} {row.when_phrase}", indent)] if row.when_phrase else []


def _export_item(row: Row) -> str:
    """A task-list item; an answer saved to a question that does not apply now is a
    plain list item (no box: it is neither open nor done), marked as saved earlier."""
    alert = [escape(act_now_text(row.alert), "  ")] if row.alert else []
    extra = [*_when(row, "  "), *alert, *_note(row, "  ")]
    if row.hidden:
        return _list_item(f"- {escape(row.headline, '  ')}", "  ", extra)
    return _task("- ", row.resolved, escape(row.headline + _mark(row), "  "), extra)


def _mark(row: Row) -> str:
    """ " (not done before surgery)" on a missed step, " (important)" on another critical one."""
    if row.missed:
        return f" {missed_mark()}"
    return f" {important_mark()}" if row.item.critical else ""


def _surgeon_item(row: Row) -> str:
    return _list_item(f"- {escape(row.headline, '  ')}", "  ", _note(row, "  "))


def export(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """The export: a title, the surgery date, the export time, every list, the summary."""
    parts = [
        f"# {title()}\n",
        f"{surgery_date_label()}: {surgery_date_text(progress)}\n",
        f"{exported_label()} {export_time(options.now)}\n",
    ]
    for checklist in checklists:
        rows = listed_rows(checklist, progress, options.local_day())
        # The list's intro, in its own words: among them, that it does not replace the
        # care team's instructions (the contract asks every place a list appears to say so).
        intro = f"{escape(checklist.intro)}\n\n" if checklist.intro else ""
        parts.append(f"## {escape(checklist.title)}\n\n{intro}" + "".join(map(_export_item, rows)))
    notes = "".join(map(_surgeon_item, summary_rows(checklists, progress)))
    parts.append(f"## {tell_your_surgeon()}\n\n" + (notes or f"{nothing_to_tell()}\n"))
    return "\n".join(parts)


def _fields(fields: Sequence[Field]) -> str:
    lines = [f"{label}: {escape(value or BLANK)}" for label, value in fields]
    return HARD_BREAK.join(lines) + "\n"


def _form_item(row: Row, large: bool) -> str:
    """One step; in large print a blank line follows, which renderers show as more space."""
    marker = f"{row.number}. "
    indent = " " * len(marker)
    extra = []
    for kind, text in row.details():
        if kind == "write-in":
            extra += [escape(f"{text} {BLANK}", indent), *[escape(LONG_BLANK)] * WRITE_IN_LINES]
        else:
            extra.append(escape(f"{text} {BLANK}" if kind == "critical-write-in" else text, indent))
    text = escape(row.item.text, indent)
    if row.box in (None, "not-applicable"):  # a pair's own boxes, a circled yes/no, or
        item = _list_item(f"{marker}{text}", indent, extra)  # "does not apply" in words
    else:
        item = _task(marker, row.box == "ticked", text, extra)
    return item + ("\n" if large else "")


def _summary(
    checklists: Sequence[Checklist],
    progress: Progress,
    blank: bool,
    patient: Patient | None,
    printed: str | None,
) -> str:
    """The "tell your surgeon" sheet, first because it is the one handed over."""
    parts = [
        f"# {tell_your_surgeon()}\n",
        f"{escape(title())}\n",
        _fields(patient_fields(progress, patient)),
        *([escape(printed) + "\n"] if printed else []),
        escape(summary_intro()) + "\n",
    ]
    if blank:
        lines = [escape(summary_blank()), *[escape(LONG_BLANK)] * SUMMARY_WRITE_IN_LINES]
        return "\n".join([*parts, HARD_BREAK.join(lines) + "\n"])
    entries = summary_entries(checklists, progress)
    notes = [
        _list_item(f"- {escape(first, '  ')}", "  ", [escape(text, "  ") for text in rest])
        for first, *rest in entries
    ]
    return "\n".join([*parts, "".join(notes) or f"{nothing_to_tell()}\n"])


def _sheet(checklist: Checklist, progress: Progress, options: Options, printed: str | None) -> str:
    patient = printout_patient(options)
    source = checklist.source
    parts = [
        f"# {escape(checklist.title)}\n",
        f"{escape(title())}\n",
        _fields(patient_fields(progress, patient)),
        *([escape(printed) + "\n"] if printed else []),
    ]
    if checklist.intro:
        parts.append(escape(checklist.intro) + "\n")
    rows = form_rows(checklist, progress, options.local_day())
    parts.append("".join(_form_item(row, options.large) for row in rows))
    if source:
        where = [source.title, *([source.url] if source.url else [])]
        parts.append(f"{source_label()} {escape(', '.join(where))}\n")
    parts.append(escape(care_team_reminder()) + "\n")
    parts.append(_fields(review_fields()))
    return "\n".join(parts)


def printable(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """The summary sheet, then a form per list, as Markdown, with a thematic break
    between them; every sheet ends with a line naming its list and its patient."""
    shown = form_progress(progress, options.blank)
    patient = printout_patient(options)
    printed = None if options.blank else printed_line(checklists, shown, options.now)
    summary = _summary(checklists, shown, options.blank, patient, printed)
    sheets = [(tell_your_surgeon(), summary)]
    sheets += [
        (checklist.title, _sheet(checklist, shown, options, printed)) for checklist in checklists
    ]
    return SHEET_BREAK.join(
        f"{text}\n{escape(sheet_label(title, number, len(sheets), patient))}\n"
        for number, (title, text) in enumerate(sheets, start=1)
    )
