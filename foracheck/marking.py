"""Changing progress without the walk: ``mark`` one answer, ``reset`` them all.

Answers given here are checked exactly like typed ones and saved with the same
lock and durability as the walk. Messages never repeat an answer or a note.
"""

from __future__ import annotations

from pathlib import Path

from foracheck.errors import UsageError
from foracheck.model import (
    Answer,
    Checklist,
    InvalidAnswerError,
    Item,
    applicable_items,
    parse_answer,
)
from foracheck.paths import Locations
from foracheck.safetext import shown, unsafe_character
from foracheck.store import now_iso, open_for_writing
from foracheck.store import reset as reset_progress

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
            'foracheck mark LIST_ID ITEM_ID "two words"'
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
    """Record (or clear) one answer; returns the sentence to show."""
    item = find_item(checklist, item_id)
    if clear and (raw_answer is not None or note is not None):
        raise UsageError("Use --clear on its own, without an answer or a note.")
    answer = (
        None
        if clear
        else Answer(_answer_value(checklist, item, raw_answer), now_iso(), _note(note))
    )
    with open_for_writing(locations) as writer:
        if clear and writer.progress.answer(checklist.id, item.id) is None:
            return f"There was no saved answer for {checklist.id} {item.id}; nothing changed."
        updated = writer.progress.with_answer(checklist, item.id, answer)
        writer.save(updated)
    applies = item in applicable_items(checklist, updated.answers_for(checklist.id))
    verb = "Cleared the answer" if clear else "Saved the answer"
    message = f"{verb} for {checklist.id} {item.id}."
    if not applies and not clear:
        message += (
            " (This item only applies after a certain earlier answer, so it is hidden for now.)"
        )
    return message


def reset(locations: Locations) -> str:
    """Forget saved progress, keeping a copy; returns the sentence to show."""
    kept_at: Path | None = reset_progress(locations)
    if kept_at is None:
        return "Nothing is saved yet, so there is nothing to reset."
    return f"Your saved answers are cleared. A copy was kept at {kept_at}."
