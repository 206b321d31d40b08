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

from foracheck.model import Checklist, Progress
from foracheck.render import Options
from foracheck.render.content import (
    CARE_TEAM_REMINDER,
    REVIEW_FIELDS,
    SOURCE,
    TITLE,
    Field,
    Row,
    form_progress,
    form_rows,
    patient_fields,
    split_lines,
)
from foracheck.safetext import shown

WIDTH = 80
BLANK = "_" * 40
PAGE_BREAK = "\f"


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
        written = f"{text} {BLANK}" if kind in ("write-in", "critical-write-in") else text
        lines += wrap(written, indent, whole=large)
    return [*lines, ""] if large else lines


def _sheet(checklist: Checklist, progress: Progress, large: bool) -> str:
    rows = form_rows(checklist, progress)
    title = wrap(checklist.title)
    lines = [TITLE, "", *_fields(patient_fields(progress)), "", *title]
    lines += ["=" * max(map(len, title)), ""]
    if checklist.intro:
        lines += [*wrap(checklist.intro), ""]
    for row in rows:
        lines += _item(row, len(str(len(rows))), large)
    if not large:  # a large form has a blank line after every step already
        lines.append("")
    if checklist.source:
        where = [checklist.source.title, checklist.source.url or ""]
        lines += wrap("\n".join(where), f"{SOURCE} ")
    lines += [*wrap(CARE_TEAM_REMINDER), "", *_fields(REVIEW_FIELDS)]
    return "\n".join(lines) + "\n"


def printable(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """A form per list, each on its own page."""
    shown = form_progress(progress, options.blank)
    return PAGE_BREAK.join(_sheet(checklist, shown, options.large) for checklist in checklists)
