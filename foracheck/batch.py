"""``foracheck mark --batch``: many answers in one process, one lock and one save.

One answer a line, ``LIST_ID<TAB>ITEM_ID<TAB>ANSWER[<TAB>NOTE]``; ``#`` comments
and blank lines are skipped. Every line is checked before anything is saved,
exactly as ``mark`` checks one answer; a bad line is named by its number and
nothing is saved. Messages never repeat an answer or a note.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from foracheck.catalog import Catalog
from foracheck.errors import UsageError
from foracheck.i18n import _, ngettext
from foracheck.marking import _answer_value, _note, _require_applies, answerer, find_item
from foracheck.model import DEFAULT_ANSWERER, Answer, Checklist, Item, Progress
from foracheck.paths import Locations

if TYPE_CHECKING:
    from foracheck.context import AppContext

MAX_BATCH_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Line:
    """One checked line: where it is, what it answers, and the stored answer."""

    number: int
    checklist: Checklist
    item: Item
    value: str
    note: str | None  # None: keep an earlier note
    note_given: bool


def read_lines(source: str) -> list[str]:
    """The lines of FILE, or of standard input for ``-``."""
    from foracheck.fsutil import read_capped

    data = sys.stdin.buffer.read() if source == "-" else read_capped(Path(source), MAX_BATCH_BYTES)
    if len(data) > MAX_BATCH_BYTES:
        raise UsageError(_("The batch is too large (at most 4 MB)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(_("The batch is not UTF-8 text. Nothing was saved.")) from None
    return text.splitlines()


def _check(number: int, raw: str, catalog: Catalog) -> Line:
    fields = raw.rstrip("\r").split("\t", 3)
    if len(fields) < 3:
        raise UsageError(
            _("it needs LIST_ID, ITEM_ID and ANSWER separated by tabs (and an optional NOTE).")
        )
    list_id, item_id, answer = (field.strip() for field in fields[:3])
    checklist = catalog.get(list_id)
    item = find_item(checklist, item_id)
    value = _answer_value(checklist, item, answer)
    note_given = len(fields) == 4
    return Line(
        number, checklist, item, value, _note(fields[3]) if note_given else None, note_given
    )


def check(lines: list[str], catalog: Catalog) -> list[Line]:
    """Every answer line checked; a usage error naming each bad line by its number."""
    checked, problems = [], []
    for number, raw in enumerate(lines, 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            checked.append(_check(number, raw, catalog))
        except UsageError as error:
            problems.append(_("Line {number}: {problem}").format(number=number, problem=error))
    if problems:
        raise UsageError("\n".join([*problems, _("Nothing was saved.")]))
    if not checked:
        raise UsageError(_("The batch holds no answers. Nothing was saved."))
    return checked


def _apply(progress: Progress, line: Line, now: str, by: str) -> Progress:
    try:
        _require_applies(line.checklist, line.item, progress)
    except UsageError as error:
        message = _("Line {number}: {problem}").format(number=line.number, problem=error)
        raise UsageError(message) from None
    earlier = progress.answers_to(line.checklist).get(line.item.id)
    note = line.note if line.note_given else (earlier.note if earlier else None)
    answer = Answer(line.value, now, note, by)
    return progress.with_answer(line.checklist, line.item.id, answer)


def mark_lines(context: AppContext, source: str, by: str | None, alone: bool) -> str:
    """``mark --batch``, which must come ``alone`` (no ids, --note or --clear)."""
    if not alone:
        raise UsageError(_("Use --batch on its own (with --by if needed), without ids."))
    who = answerer(by)
    return mark_batch(context.locations, context.catalog, source, who)


def mark_batch(locations: Locations, catalog: Catalog, source: str, by: str | None) -> str:
    """Check every line of ``source``, then save them all at once; the sentence to show."""
    from foracheck.store import now_iso, open_for_writing

    lines = check(read_lines(source), catalog)
    now = now_iso()
    with open_for_writing(locations, "mark") as writer:
        progress = writer.progress
        for line in lines:
            progress = _apply(progress, line, now, by or DEFAULT_ANSWERER)
        writer.save(progress)
    count = len(lines)
    return ngettext("Saved {count} answer.", "Saved {count} answers.", count).format(count=count)
