"""Plain text: a printable form for any printer, 80 columns wide.

Long text is wrapped, never cut; each list starts on a new page (a form feed).
Large print (``--large``) leaves a blank line between steps and never breaks a
word; a plain-text printer's letters are as large as its font, so docs/formats.md
shows how to ask ``lp`` for bigger ones.
Control characters and bidirectional controls in a checklist or a note are shown
as U+FFFD (``safetext.shown``), so a printout piped to a terminal can never steer it.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from foracheck.i18n import _
from foracheck.model import Checklist, Progress
from foracheck.presentation import (
    Field,
    Patient,
    Row,
    care_team_reminder,
    form_progress,
    form_rows,
    nothing_to_tell,
    page_label,
    patient_fields,
    printed_line,
    printed_times,
    printout_patient,
    review_fields,
    source_label,
    split_lines,
    summary_blank,
    summary_entries,
    summary_intro,
    tell_your_surgeon,
    title,
    unbreakable,
)
from foracheck.render import Options
from foracheck.safetext import shown

WIDTH = 80
BLANK = "_" * 40
PAGE_BREAK = "\f"
WRITE_IN_LINES = 2  # more lines to write on under a text question's first one
SUMMARY_WRITE_IN_LINES = 8
# Lines on a printed page: 66 at 6 lines an inch, less a margin; large print for
# ``lp -o cpi=8 -o lpi=4.5`` (docs/formats.md's recipe) gets about 49, less a margin.
PAGE_LINES = 62
LARGE_PAGE_LINES = 44
BOXES = {"ticked": "[x]", "not-applicable": "[-]", "empty": "[ ]", None: "   "}
# Stand-ins that textwrap never breaks at, for the spaces and hyphens of what must
# stay on one line (a name, a date); put back after wrapping. Private-use characters.
_KEPT_SPACE, _KEPT_HYPHEN = "\ue000", "\ue001"

Block = list[str]  # lines that stay on one page when they fit on one


def wrap(
    text: str,
    first: str = "",
    rest: str | None = None,
    whole: bool = False,
    keep: Sequence[str] = (),
) -> list[str]:
    """Lines of at most WIDTH columns, each line of ``text`` wrapped on its own;
    ``whole``: words are never broken, even one longer than a line; ``keep``: texts
    (names, dates) never broken across lines."""
    rest = " " * len(first) if rest is None else rest
    lines: list[str] = []
    for number, line in enumerate(split_lines(_kept(shown(text), keep))):
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
    return [line.replace(_KEPT_SPACE, " ").replace(_KEPT_HYPHEN, "-") for line in lines]


def _kept(text: str, keep: Sequence[str]) -> str:
    for whole in keep:
        text = text.replace(whole, whole.replace(" ", _KEPT_SPACE).replace("-", _KEPT_HYPHEN))
    return text


def _fields(fields: Sequence[Field], keep: Sequence[str]) -> list[str]:
    width = max(len(label) for label, _ in fields) + 2
    return [
        line
        for label, value in fields
        for line in wrap(value or BLANK, f"{label}:".ljust(width), keep=keep)
    ]


def _item(row: Row, number_width: int, large: bool, keep: Sequence[str]) -> Block:
    first = f"{row.number:>{number_width}}. {BOXES[row.box]} "
    indent = " " * len(first)
    lines = wrap(row.item.text, first, whole=large, keep=keep)
    for kind, text in row.details():
        if kind == "write-in":
            lines += wrap(f"{text} {BLANK}", indent, whole=large, keep=keep)
            lines += _write_in(indent, WRITE_IN_LINES)
        else:
            written = f"{text} {BLANK}" if kind == "critical-write-in" else text
            lines += wrap(written, indent, whole=large, keep=keep)
    return [*lines, ""] if large else lines


def _write_in(indent: str, count: int) -> list[str]:
    """Empty lines to write on, as wide as the page allows."""
    return ["", *[indent + "_" * (WIDTH - len(indent) - 2), ""] * count][:-1]


def _heading(title: str) -> list[str]:
    lines = wrap(title)
    return [*lines, "=" * max(map(len, lines)), ""]


def _header(
    heading: str,
    progress: Progress,
    patient: Patient | None,
    printed: str | None,
    keep: Sequence[str],
) -> Block:
    """The top of every sheet: the form's title, the patient's lines, when it was
    printed (a filled form), and the sheet's own heading."""
    lines = [title(), "", *_fields(patient_fields(progress, patient), keep), ""]
    if printed:
        lines += [*wrap(printed, keep=printed_times(printed)), ""]
    return [*lines, *_heading(heading)]


def _summary(
    checklists: Sequence[Checklist],
    progress: Progress,
    blank: bool,
    patient: Patient | None,
    printed: str | None,
) -> list[Block]:
    """The "tell your surgeon" sheet, first because it is the one handed over: a block
    per entry, the heading with the first, so that it stays on one page whenever it fits
    on one, and one longer than a page is cut between entries, never inside one (a
    question on one page and its answer on the next would be read wrong)."""
    keep = unbreakable([], progress, patient)
    lines = [*_header(tell_your_surgeon(), progress, patient, printed, keep)]
    lines += [*wrap(summary_intro()), ""]
    if blank:
        return [[*lines, *wrap(summary_blank()), *_write_in("", SUMMARY_WRITE_IN_LINES)]]
    entries = [
        [*wrap(first, "- ", "  "), *(line for text in rest for line in wrap(text, "  "))]
        for first, *rest in summary_entries(checklists, progress)
    ]
    if not entries:
        return [[*lines, *wrap(nothing_to_tell())]]
    return [lines + entries[0], *entries[1:]]


def _sheet(
    checklist: Checklist,
    progress: Progress,
    patient: Patient | None,
    options: Options,
    printed: str | None,
) -> list[Block]:
    rows = form_rows(checklist, progress, options.local_day())
    keep = unbreakable(rows, progress, patient)
    head = _header(checklist.title, progress, patient, printed, keep)
    if checklist.intro:
        head += [*wrap(checklist.intro), ""]
    items = [_item(row, len(str(len(rows))), options.large, keep) for row in rows]
    end: Block = [] if options.large else [""]  # a large form has a blank line after every step
    if checklist.source:
        where = [checklist.source.title, checklist.source.url or ""]
        end += wrap("\n".join(where), f"{source_label()} ")
    end += [*wrap(care_team_reminder()), "", *_fields(review_fields(), keep)]
    # the heading goes with the first step, the signature block with the last
    return (
        [head + items[0], *items[1:-1], items[-1] + end]
        if len(items) > 1
        else [head + items[0] + end]
    )


def _pages(blocks: Sequence[Block], room: int) -> list[list[str]]:
    """Blocks laid on pages of ``room`` lines: a block that does not fit on what is
    left of a page starts the next one; one longer than a page is cut."""
    pages: list[list[str]] = [[]]
    for block in blocks:
        if pages[-1] and len(pages[-1]) + len(block) > room:
            pages.append([])
        for line in block:
            if len(pages[-1]) >= room:
                pages.append([])
            pages[-1].append(line)
    return pages


def _sheet_pages(
    heading: str, blocks: Sequence[Block], number: int, total: int, options: Options
) -> list[str]:
    """A sheet's pages, each ending with its one line: "Sheet 2 of 6, page 1 of 2: ..."."""
    patient = printout_patient(options)
    keep = unbreakable([], Progress(), patient)

    def label(page: int, pages: int) -> list[str]:
        return wrap(page_label(heading, number, total, page, pages, patient), keep=keep)

    room = (LARGE_PAGE_LINES if options.large else PAGE_LINES) - 1 - len(label(99, 99))
    pages = _pages(blocks, room)
    return [
        "\n".join([*lines, "", *label(page, len(pages))]) + "\n"
        for page, lines in enumerate(pages, start=1)
    ]


def printable(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """The summary sheet, then a form per list, each on its own pages; every page ends
    with one line naming its sheet, its page, its list and its patient."""
    shown = form_progress(progress, options.blank)
    patient = printout_patient(options)
    printed = None if options.blank else printed_line(checklists, shown, options.now)
    sheets = [(tell_your_surgeon(), _summary(checklists, shown, options.blank, patient, printed))]
    sheets += [
        (checklist.title, _sheet(checklist, shown, patient, options, printed))
        for checklist in checklists
    ]
    pages = [
        page
        for number, (heading, blocks) in enumerate(sheets, start=1)
        for page in _sheet_pages(heading, blocks, number, len(sheets), options)
    ]
    paper = PAGE_BREAK.join(pages)
    from foracheck.accessible import plain_mode

    return plain_paper(paper) if plain_mode() else paper


_MARKED = re.compile(r"\[x\] ")
_UNMARKED = re.compile(r"\[ \] ")
_UNDERLINE = re.compile(r"^=+$", re.M)
_WRITE_IN = re.compile(r"_{3,}")


def plain_paper(text: str) -> str:
    """The printout for a screen reader (``--plain``): the same lines, with boxes said
    in words ("marked:", "open:"), and no rules or write-in lines read as symbols."""
    text = _MARKED.sub(_("marked:") + " ", text)
    text = _UNMARKED.sub(_("open:") + " ", text)
    text = _UNDERLINE.sub("", text)
    return _WRITE_IN.sub(_("(to write in)"), text)
