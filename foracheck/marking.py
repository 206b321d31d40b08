"""Changing progress without the walk: ``mark`` one answer, ``reset`` or ``restore`` them all.

Answers given here are checked exactly like typed ones and saved with the same
lock and durability as the walk. Messages never repeat an answer or a note.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from foracheck.errors import UsageError
from foracheck.invocation import command
from foracheck.model import (
    ANSWER_LABELS,
    Answer,
    Checklist,
    InvalidAnswerError,
    Item,
    Progress,
    applicable_items,
    parse_answer,
)
from foracheck.paths import Locations
from foracheck.safetext import shown, unsafe_character
from foracheck.store import now_iso, open_for_writing
from foracheck.store import reset as reset_progress
from foracheck.store import restore as restore_progress

MAX_NOTE = 2000


def find_item(checklist: Checklist, item_id: str) -> Item:
    """The item, or a usage error naming the items there are (exit 2)."""
    item = checklist.item(item_id)
    if item is None:
        known = ", ".join(item.id for item in checklist.items)
        raise UsageError(
            f"The checklist '{checklist.id}' has no item '{shown(item_id, multiline=False)}'. "
            f"Its items are: {known}."
        )
    return item


def single_answer(words: list[str]) -> str | None:
    """The one ANSWER argument; several words mean a text answer that needed quotes.

    The words are never repeated back: they may be the patient's answer.
    """
    if len(words) > 1:
        raise UsageError(
            "The answer is more than one word. Put a text answer in quotes, for example: "
            + command("mark", "LIST_ID", "ITEM_ID", '"two words"')
        )
    return words[0] if words else None


def _answer_value(checklist: Checklist, item: Item, raw: str | None) -> str:
    if raw is None:
        raise UsageError(f"Please give an answer for '{item.id}', or use --clear.")
    try:
        return parse_answer(item, raw)
    except InvalidAnswerError as error:
        raise UsageError(
            f"That is not an answer '{checklist.id} {item.id}' accepts. {error}"
        ) from None


def _note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    if len(note) > MAX_NOTE:
        raise UsageError(f"The note is too long; please keep it to {MAX_NOTE} characters.")
    unsafe = unsafe_character(note, multiline=True)
    if unsafe is not None:  # never repeated back: the note may be health information
        raise UsageError(
            f"The note holds a character that cannot be shown safely ({unsafe}). Nothing was saved."
        )
    return note.strip()


def mark(
    locations: Locations,
    checklist: Checklist,
    item_id: str,
    raw_answer: str | None,
    note: str | None,
    clear: bool,
) -> str:
    """Record (or clear) one answer, or change only its note; returns the sentence to show.

    Without ``--note`` an earlier note is kept; ``--note ""`` removes it.
    """
    item = find_item(checklist, item_id)
    if clear and (raw_answer is not None or note is not None):
        raise UsageError("Use --clear on its own, without an answer or a note.")
    if not clear and raw_answer is None and note is None:
        raise UsageError(f"Please give an answer for '{item.id}', a --note, or use --clear.")
    value = None if raw_answer is None else _answer_value(checklist, item, raw_answer)
    new_note = _note(note)
    with open_for_writing(locations, "mark") as writer:
        progress = writer.progress
        earlier = progress.answers_to(checklist).get(item.id)
        if clear:
            if progress.answer(checklist.id, item.id) is None:
                return f"There was no saved answer for {checklist.id} {item.id}; nothing changed."
            writer.save(progress.with_answer(checklist, item.id, None))
            return f"Cleared the answer for {checklist.id} {item.id}."
        _require_applies(checklist, item, progress)
        if value is None:  # only the note changes: the answer and its time stay
            if earlier is None:
                raise UsageError(
                    f"There is no saved answer for {checklist.id} {item.id} yet; "
                    "give the answer together with the note."
                )
            answer = dataclasses.replace(earlier, note=new_note)
        else:
            kept_note = new_note if note is not None else (earlier.note if earlier else None)
            answer = Answer(value, now_iso(), kept_note)
        writer.save(progress.with_answer(checklist, item.id, answer))
    what = "the note" if value is None else "the answer"
    return f"Saved {what} for {checklist.id} {item.id}."


def _require_applies(checklist: Checklist, item: Item, progress: Progress) -> None:
    """Refuse an answer to a follow-up whose condition is not met: it would be hidden
    everywhere. The message names the answer that makes it apply, never the one given."""
    if item in applicable_items(checklist, progress.answers_to(checklist)):
        return
    condition = item.show_if
    assert condition is not None  # only follow-ups can fail to apply
    wanted = ANSWER_LABELS.get(condition.answer, condition.answer)
    raise UsageError(
        f"'{item.id}' is a follow-up question: it applies only when '{condition.item}' is "
        f'answered "{wanted}" ({command("mark", checklist.id, condition.item, condition.answer)}). '
        "Nothing was saved."
    )


def reset(locations: Locations) -> str:
    """Start over, keeping a copy of everything; returns the sentence to show."""
    outcome = reset_progress(locations)
    if not outcome.started_over:
        return "Nothing is saved yet, so there is nothing to reset."
    if outcome.progress_copy is None:
        message = (
            "There were no saved answers in use, so none were cleared. foracheck starts over "
            "from here; the earlier copies stay in the data folder "
            f"('{command('restore', '--from', 'FILE')}' brings one back)."
        )
    else:
        message = f"Your saved answers are cleared. A copy was kept at {outcome.progress_copy}."
    if outcome.backup_copy is not None:
        message += f" The backup was kept at {outcome.backup_copy}."
    return message


def restore(locations: Locations, source: Path | None) -> str:
    """Bring back the best kept copy (or ``source``); returns what was restored, from where."""
    restored = restore_progress(locations, source)
    copy = restored.copy
    count = copy.progress.count()
    answers = f"{count} answer{'s' * (count != 1)}"
    if restored.unchanged:
        return f"Your progress already holds {copy.describe()}; nothing changed."
    message = f"Restored {answers} from {copy.kind} saved {copy.saved} ({copy.path})."
    if restored.replaced_copy is not None:
        message += f" What was there before is kept at {restored.replaced_copy}."
    return message
