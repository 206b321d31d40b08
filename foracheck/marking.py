"""Changing progress without the walk: ``mark`` one answer, ``reset`` or ``restore`` them all.

Answers given here are checked exactly like typed ones and saved with the same
lock and durability as the walk. Messages never repeat an answer or a note.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from foracheck import kept_text
from foracheck.errors import UsageError
from foracheck.i18n import _, ngettext
from foracheck.invocation import command
from foracheck.model import (
    ANSWER_LABELS,
    DEFAULT_ANSWERER,
    Answer,
    Checklist,
    InvalidAnswerError,
    Item,
    Progress,
    applicable_items,
    parse_answer,
    parse_answerer,
)
from foracheck.paths import Locations
from foracheck.safetext import name, shown, unsafe_character
from foracheck.store import now_iso, open_for_writing
from foracheck.store import reset as reset_progress
from foracheck.store import restore as restore_progress

if TYPE_CHECKING:
    from foracheck.catalog import Catalog

MAX_NOTE = 2000


def find_item(checklist: Checklist, item_id: str) -> Item:
    """The item, or a usage error naming the items there are (exit 2)."""
    item = checklist.item(item_id)
    if item is None:
        from foracheck.suggest import did_you_mean

        ids = [item.id for item in checklist.items]
        message = _("The checklist '{list_id}' has no item '{item_id}'.").format(
            list_id=checklist.id, item_id=shown(item_id, multiline=False)
        )
        known = _("Its items are: {known}.").format(known=", ".join(ids))
        raise UsageError(message + did_you_mean(item_id, ids) + " " + known)
    return item


def single_answer(words: list[str]) -> str | None:
    """The one ANSWER argument; several words mean a text answer that needed quotes.

    The words are never repeated back: they may be the patient's answer.
    """
    if len(words) > 1:
        message = _(
            "The answer is more than one word. Put a text answer in quotes, for example: {command}"
        )
        raise UsageError(
            message.format(command=command("mark", "LIST_ID", "ITEM_ID", '"two words"'))
        )
    return words[0] if words else None


def _answer_value(checklist: Checklist, item: Item, raw: str | None) -> str:
    if raw is None:
        raise UsageError(
            _("Please give an answer for '{item_id}', or use --clear.").format(item_id=item.id)
        )
    try:
        return parse_answer(item, raw)
    except InvalidAnswerError as error:
        message = _("That is not an answer '{list_id} {item_id}' accepts. {why}")
        raise UsageError(message.format(list_id=checklist.id, item_id=item.id, why=error)) from None


def answerer(raw: str | None) -> str | None:
    """The stored form of ``--by WHO`` (None when not given), or a usage error (exit 2)."""
    if raw is None:
        return None
    try:
        return parse_answerer(raw)
    except InvalidAnswerError as error:
        raise UsageError(f"--by: {error}") from None


def _note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    if len(note) > MAX_NOTE:
        message = _("The note is too long; please keep it to {limit} characters.")
        raise UsageError(message.format(limit=MAX_NOTE))
    unsafe = unsafe_character(note, multiline=True)
    if unsafe is not None:  # never repeated back: the note may be health information
        message = _(
            "The note holds a character that cannot be shown safely ({character}). "
            "Nothing was saved."
        )
        raise UsageError(message.format(character=unsafe))
    return note.strip()


def mark(
    locations: Locations,
    checklist: Checklist,
    item_id: str,
    raw_answer: str | None,
    note: str | None,
    clear: bool,
    by: str | None = None,
) -> str:
    """Record (or clear) one answer, or change only its note; returns the sentence to show.

    Without ``--note`` an earlier note is kept; ``--note ""`` removes it. A new
    answer is the patient's unless ``by`` says who gave it; a note alone keeps
    the answer's author unless ``by`` is given.
    """
    item = find_item(checklist, item_id)
    if clear and (raw_answer is not None or note is not None or by is not None):
        raise UsageError(_("Use --clear on its own, without an answer, a note or --by."))
    if not clear and raw_answer is None and note is None:
        message = _("Please give an answer for '{item_id}', a --note, or use --clear.")
        raise UsageError(message.format(item_id=item.id))
    value = None if raw_answer is None else _answer_value(checklist, item, raw_answer)
    new_note = _note(note)
    with open_for_writing(locations, "mark") as writer:
        progress = writer.progress
        earlier = progress.answers_to(checklist).get(item.id)
        if clear:
            if progress.answer(checklist.id, item.id) is None:
                message = _("There was no saved answer for {list_id} {item_id}; nothing changed.")
                return message.format(list_id=checklist.id, item_id=item.id)
            writer.save(progress.with_answer(checklist, item.id, None))
            return _("Cleared the answer for {list_id} {item_id}.").format(
                list_id=checklist.id, item_id=item.id
            )
        _require_applies(checklist, item, progress)
        if value is None:  # only the note changes: the answer and its time stay
            if earlier is None:
                message = _(
                    "There is no saved answer for {list_id} {item_id} yet; "
                    "give the answer together with the note."
                )
                raise UsageError(message.format(list_id=checklist.id, item_id=item.id))
            answer = dataclasses.replace(earlier, note=new_note, by=by or earlier.by)
        else:
            kept_note = new_note if note is not None else (earlier.note if earlier else None)
            answer = Answer(value, now_iso(), kept_note, by or DEFAULT_ANSWERER)
        writer.save(progress.with_answer(checklist, item.id, answer))
    if value is None:
        message = _("Saved the note for {list_id} {item_id}.")
    else:
        message = _("Saved the answer for {list_id} {item_id}.")
    return message.format(list_id=checklist.id, item_id=item.id)


def _require_applies(checklist: Checklist, item: Item, progress: Progress) -> None:
    """Refuse an answer to a follow-up whose condition is not met: it would be hidden
    everywhere. The message names the answer that makes it apply, never the one given."""
    if item in applicable_items(checklist, progress.answers_to(checklist)):
        return
    condition = item.show_if
    assert condition is not None  # only follow-ups can fail to apply
    wanted = _(ANSWER_LABELS.get(condition.answer, condition.answer))
    message = _(
        "'{item_id}' is a follow-up question: it applies only when '{parent}' is "
        'answered "{wanted}" ({command}). Nothing was saved.'
    )
    raise UsageError(
        message.format(
            item_id=item.id,
            parent=condition.item,
            wanted=wanted,
            command=command("mark", checklist.id, condition.item, condition.answer),
        )
    )


def mark_typed(
    locations: Locations,
    catalog: Catalog,
    ids: tuple[str, str],
    words: list[str],
    note: str | None,
    clear: bool,
    by: str | None,
) -> str:
    """``mark LIST_ID ITEM_ID [ANSWER]`` as typed; returns the sentence to show."""
    checklist = catalog.get(ids[0])
    typed = single_answer(words)
    return mark(locations, checklist, ids[1], typed, note, clear, answerer(by))


def agreed_to_reset() -> bool:
    """Ask at the terminal until the answer is yes or no (Enter is no); "Nothing was
    changed." after a no. Without a terminal, a usage error naming --yes. The one
    confirmation loop and vocabulary of every prompt: Ctrl-C ends with 130, Ctrl-D with 1.
    """
    import sys

    from foracheck import stdio
    from foracheck.answers import confirm

    if not sys.stdin.isatty():
        raise UsageError(
            _("'{command}' asks before it forgets; without a terminal, add --yes.").format(
                command=command("reset")
            )
        )

    def read() -> str:
        stdio.print_out(_("Forget all your saved answers? A copy will be kept [y/N]: "))
        typed = sys.stdin.readline()
        if not typed:
            raise EOFError
        return typed

    def again() -> None:
        stdio.print_out(_("Please type y to forget your saved answers, or n to keep them.") + "\n")

    if confirm(read, again, empty=False):
        return True
    stdio.print_out(_("Nothing was changed.") + "\n")
    return False


def reset(locations: Locations) -> str:
    """Start over, keeping a copy of everything; returns the sentence to show."""
    outcome = reset_progress(locations)
    if not outcome.started_over:
        return _("Nothing is saved yet, so there is nothing to reset.")
    if outcome.progress_copy is None:
        message = _(
            "There were no saved answers in use, so none were cleared. foracheck starts over "
            "from here; the earlier copies stay in the data folder "
            "('{command}' brings one back)."
        ).format(command=command("restore", "--from", "FILE"))
    else:
        message = _("Your saved answers are cleared. A copy was kept at {path}.").format(
            path=name(outcome.progress_copy)
        )
    if outcome.backup_copy is not None:
        backup = _("The backup was kept at {path}.").format(path=name(outcome.backup_copy))
        message += f" {backup}"
    return message


def restore(locations: Locations, source: Path | None) -> str:
    """Bring back the best kept copy (or ``source``); returns what was restored, from where."""
    restored = restore_progress(locations, source)
    copy = restored.copy
    count = copy.progress.count()
    if restored.unchanged:
        message = _("Your progress already holds {copy}; nothing changed.")
        return message.format(copy=kept_text.describe(copy))
    message = ngettext(
        "Restored {count} answer from {kind} saved {saved} ({path}).",
        "Restored {count} answers from {kind} saved {saved} ({path}).",
        count,
    ).format(count=count, kind=kept_text.kind_text(copy), saved=copy.saved, path=name(copy.path))
    if restored.replaced_copy is not None:
        before = _("What was there before is kept at {path}.").format(
            path=name(restored.replaced_copy)
        )
        message += f" {before}"
    return message
