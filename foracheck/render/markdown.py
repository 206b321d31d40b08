"""Markdown: the default export, and a printable form.

Every piece of text from a checklist or an answer goes through ``escape``, so
that a Markdown renderer shows exactly the characters that were written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from foracheck.model import Checklist, Progress, answer_label, surgeon_notes
from foracheck.render import Options
from foracheck.render.content import (
    CARE_TEAM_REMINDER,
    EXPORTED,
    NOTE,
    NOTHING_TO_TELL,
    PATIENT_FIELDS,
    REVIEW_FIELDS,
    RULED_OUT,
    SOURCE,
    SURGERY_DATE,
    TELL_YOUR_SURGEON,
    TITLE,
    Row,
    export_time,
    exported_rows,
    form_progress,
    form_rows,
    surgery_date_text,
)

# Characters with a meaning anywhere in a line (CommonMark, GitHub's extensions,
# and the braces and dollars that MDX and math renderers read).
_INLINE = re.compile(r"([\\`*_{}\[\]<>#+|~&$])")
# What only means something at the start of a line: list markers, setext underlines,
# thematic breaks and ordered-list numbers ("1." or "1)").
_LINE_START = re.compile(r"^(\s*)(?:([-=])|([0-9]{1,9})([.)]))")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
HARD_BREAK = "\\\n"
BLANK = "_" * 24
SHEET_BREAK = "\n---\n\n"


def _escape_start(match: re.Match[str]) -> str:
    indent, marker, number, delimiter = match.groups()
    return indent + ("\\" + marker if marker else number + "\\" + delimiter)


def escape(text: str, indent: str = "") -> str:
    """Text that Markdown shows exactly as written.

    Significant punctuation is backslash-escaped; line breaks become hard
    breaks, with ``indent`` after each so the text stays inside a list item.
    Leading and trailing whitespace is dropped, as any renderer would.
    """
    lines = _LINE_BREAK.split(text.strip())
    escaped = (_LINE_START.sub(_escape_start, _INLINE.sub(r"\\\1", line)) for line in lines)
    return (HARD_BREAK + indent).join(escaped)


def _task(row: Row, marker: str, extra: Sequence[str]) -> str:
    """One task-list item: box, text, then one hard-broken line per extra."""
    indent = " " * len(marker)
    box = "[x]" if row.resolved else "[ ]"
    first = f"{marker}{box} {escape(row.item.text, indent)}"
    return (HARD_BREAK + indent).join([first, *extra]) + "\n"


def _export_item(row: Row) -> str:
    line = [f"{row.item.text} — {row.label}"] if row.label else []
    lines = _task(row, "- ", [escape(f"{NOTE} {row.note}", "  ")] if row.note else [])
    if row.label:
        lines = lines.replace(escape(row.item.text, "  "), escape(line[0], "  "), 1)
    return lines


def export(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """The export: a title, the surgery date, the export time, every list, the summary."""
    parts = [
        f"# {TITLE}\n",
        f"{SURGERY_DATE}: {surgery_date_text(progress)}\n",
        f"{EXPORTED} {export_time(options.now)}\n",
    ]
    for checklist in checklists:
        rows = exported_rows(checklist, progress)
        parts.append(f"## {escape(checklist.title)}\n\n" + "".join(map(_export_item, rows)))
    notes = [
        f"- {escape(f'{note.item.text} — {answer_label(note.item, note.answer)}', '  ')}\n"
        for note in surgeon_notes(list(checklists), progress)
    ]
    parts.append(f"## {TELL_YOUR_SURGEON}\n\n" + ("".join(notes) or f"{NOTHING_TO_TELL}\n"))
    return "\n".join(parts)


def _fields(names: Sequence[str], values: Sequence[str]) -> str:
    lines = [f"{name}: {escape(value)}" for name, value in zip(names, values)]
    return HARD_BREAK.join(lines) + "\n"


def _form_item(row: Row) -> str:
    marker = f"{row.number}. "
    indent = " " * len(marker)
    extra = [escape(text, indent) for text in (row.condition,) if text]
    if row.ruled_out:
        extra.append(escape(RULED_OUT))
    elif row.label:
        extra.append(escape(f"{row.prompt or 'Answer:'} {row.label}".strip(), indent))
    elif row.prompt:
        extra.append(escape(f"{row.prompt} {BLANK if row.item.type == 'text' else ''}", indent))
    if row.note:
        extra.append(escape(f"{NOTE} {row.note}", indent))
    return _task(row, marker, extra)


def _sheet(checklist: Checklist, progress: Progress) -> str:
    source = checklist.source
    parts = [
        f"# {escape(checklist.title)}\n",
        f"{escape(TITLE)}\n",
        _fields(
            [*PATIENT_FIELDS, SURGERY_DATE],
            [BLANK, BLANK, surgery_date_text(progress) if progress.surgery_date else BLANK],
        ),
    ]
    if checklist.intro:
        parts.append(escape(checklist.intro) + "\n")
    parts.append("".join(_form_item(row) for row in form_rows(checklist, progress)))
    if source:
        where = [source.title, *([source.url] if source.url else [])]
        parts.append(f"{SOURCE} {escape(', '.join(where))}\n")
    parts.append(escape(CARE_TEAM_REMINDER) + "\n")
    parts.append(_fields(REVIEW_FIELDS, [BLANK, BLANK]))
    return "\n".join(parts)


def printable(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """A form per list, as Markdown, with a thematic break between them."""
    shown = form_progress(progress, options.blank)
    return SHEET_BREAK.join(_sheet(checklist, shown) for checklist in checklists)
