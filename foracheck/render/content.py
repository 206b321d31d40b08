"""What every output says, whatever its syntax: the words and the rows.

Exports show the items that apply; printed forms show every item, because
paper cannot hide a follow-up question. The format modules only decide how
these rows look.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from foracheck.model import (
    ANSWER_LABELS,
    Answer,
    Checklist,
    Item,
    Progress,
    answer_label,
    applicable_items,
    is_resolved,
    tells_surgeon,
)

TITLE = "Getting ready for your foraminotomy"
CARE_TEAM_REMINDER = (
    "This checklist does not replace your care team's instructions. "
    "Always follow what they tell you."
)
PATIENT_FIELDS = ("Patient name", "Date of birth")
SURGERY_DATE = "Surgery date"
REVIEW_FIELDS = ("Reviewed by", "Date")
NO_SURGERY_DATE = "not set"
NOTHING_TO_TELL = "Nothing to tell your surgeon from these answers yet."
TELL_YOUR_SURGEON = "Tell your surgeon"
RULED_OUT = "Does not apply, given the answer to that question."
YESNO_PROMPT = "Circle one:  yes  /  no"
TEXT_PROMPT = "Answer:"
SOURCE = "Source:"
NOTE = "Note:"
EXPORTED = "Exported:"


def condition_text(checklist: Checklist, item: Item) -> str | None:
    """The ``show_if`` condition in words, for places that show every item."""
    if item.show_if is None:
        return None
    parent = checklist.item(item.show_if.item)
    parent_text = parent.text if parent else item.show_if.item
    answer = ANSWER_LABELS.get(item.show_if.answer, item.show_if.answer)
    return f'Only if you answered "{answer}" to: {parent_text}'


def export_time(options_now: datetime | None) -> str:
    """The export time, ISO 8601 with its UTC offset (now, unless one is given)."""
    moment = options_now or datetime.now().astimezone()
    return moment.isoformat(timespec="seconds")


def form_progress(progress: Progress, blank: bool) -> Progress:
    """The progress a printed form shows: none at all on a blank form."""
    return Progress() if blank else progress


def surgery_date_text(progress: Progress) -> str:
    """The saved surgery date, or words saying there is none."""
    return progress.surgery_date.isoformat() if progress.surgery_date else NO_SURGERY_DATE


@dataclass(frozen=True)
class Row:
    """One item as an output shows it."""

    number: int
    item: Item
    answer: Answer | None
    condition: str | None = None
    ruled_out: bool = False

    @property
    def resolved(self) -> bool:
        """Whether the box is ticked."""
        return is_resolved(self.item, self.answer)

    @property
    def label(self) -> str | None:
        """The answer as it reads on paper, or None when there is none."""
        return answer_label(self.item, self.answer) if self.answer else None

    @property
    def note(self) -> str | None:
        """The note given with the answer, if any."""
        return self.answer.note if self.answer else None

    @property
    def tell_surgeon(self) -> bool:
        """Whether this answer belongs in the "tell your surgeon" summary."""
        return tells_surgeon(self.item, self.answer)

    @property
    def prompt(self) -> str | None:
        """How to answer on paper, for items a tick alone cannot answer."""
        return {"yesno": YESNO_PROMPT, "text": TEXT_PROMPT}.get(self.item.type)


def exported_rows(checklist: Checklist, progress: Progress) -> list[Row]:
    """The items that apply, with their saved answers."""
    answers = progress.answers_for(checklist.id)
    return [
        Row(number, item, answers.get(item.id))
        for number, item in enumerate(applicable_items(checklist, answers), start=1)
    ]


def form_rows(checklist: Checklist, progress: Progress) -> list[Row]:
    """Every item, each with its condition, and its answer where it applies.

    An item is ruled out when the answers already settle that its condition
    is not met; the form says so rather than hiding it.
    """
    answers = progress.answers_for(checklist.id)
    applicable = {item.id for item in applicable_items(checklist, answers)}
    live = {item_id: answer for item_id, answer in answers.items() if item_id in applicable}
    ruled_out: set[str] = set()
    rows = []
    for number, item in enumerate(checklist.items, start=1):
        if item.id not in applicable and _settled_against(checklist, item, live, ruled_out):
            ruled_out.add(item.id)
        answer = live.get(item.id)
        rows.append(
            Row(number, item, answer, condition_text(checklist, item), item.id in ruled_out)
        )
    return rows


def _settled_against(
    checklist: Checklist, item: Item, answers: Mapping[str, Answer], ruled_out: set[str]
) -> bool:
    """Whether a follow-up's parent is ruled out, or applies with a final, other answer."""
    condition = item.show_if
    if condition is None:
        return False
    if condition.item in ruled_out:
        return True
    parent, answer = checklist.item(condition.item), answers.get(condition.item)
    return (
        parent is not None
        and answer is not None
        and is_resolved(parent, answer)
        and answer.value != condition.answer
    )
