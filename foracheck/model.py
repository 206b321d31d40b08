"""The domain: checklists, their items, the answers a patient gives, and progress.

Everything here is immutable (frozen dataclasses, a named tuple) or a pure function,
so the walk, the store and every renderer can share one meaning of "answered",
"resolved", "applies" and "tell your surgeon" without repeating it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, NamedTuple

from foracheck.answers import choice, is_dont_know, normalize_typed, yes_or_no
from foracheck.i18n import _
from foracheck.remembered import Settings
from foracheck.safetext import unsafe_character

ItemType = Literal["task", "yesno", "text"]
ITEM_TYPES: tuple[ItemType, ...] = ("task", "yesno", "text")
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
# The checklist file formats this foracheck reads; the last is the newest.
FORMAT_VERSIONS = (1, 2)
FORMAT_VERSION = FORMAT_VERSIONS[-1]
MAX_TEXT_ANSWER = 500
CHECKLIST_MAX_BYTES = 1024 * 1024

# The words typed for each stored answer live in each language's record
# (``foracheck/locale/<code>/language.json``), read through ``foracheck.answers``.
STORED_ANSWERS: dict[str, tuple[str, ...]] = {
    "task": ("done", "not-yet", "skip"),
    "yesno": ("yes", "no"),
}
RESOLVED_ANSWERS = frozenset({"done", "skip", "yes", "no"})
# A text question's way out for a patient who does not know yet: stored as
# "not-yet" (open, asked again next time), never as a text answer.
NOT_YET = "not-yet"
ANSWER_LABELS = {
    "done": "done",
    "not-yet": "not yet",
    "skip": "does not apply",
    "yes": "yes",
    "no": "no",
}


class InvalidAnswerError(ValueError):
    """A typed answer is not one the item accepts; the message lists what is."""


@dataclass(frozen=True)
class ShowIf:
    """An item applies only when an earlier item of its list has this answer."""

    item: str
    answer: str


@dataclass(frozen=True)
class Alert:
    """An answer to a yes/no item that needs action now, and the sentence that says what.

    Shown the moment the answer is given and wherever it is listed while the
    step's window is not over (contract: the ``alert`` key of format 2).
    """

    answer: str
    text: str


@dataclass(frozen=True)
class Source:
    """Where a checklist's facts come from, so patients and nurses can check them."""

    title: str
    url: str | None = None
    reviewed: str | None = None


@dataclass(frozen=True)
class Window:
    """When a step is meant to happen, in days from the surgery day (negative: before).

    From ``start`` on an open step is due; after ``end`` it is overdue. Without an
    ``end`` it is ongoing guidance and never overdue. The phrases are derived,
    so "14 days before" and "2 weeks before" are one window and read the same.
    """

    start: int
    end: int | None = None

    @property
    def start_text(self) -> str:
        """The start as a clinician says it: "2 weeks before", "surgery day"."""
        return offset_phrase(self.start)

    @property
    def end_text(self) -> str | None:
        """The end as a clinician says it, or None for an ongoing step."""
        return None if self.end is None else offset_phrase(self.end)


def offset_phrase(offset: int) -> str:
    """A day offset from surgery in words: whole weeks as weeks, else days."""
    if offset == 0:
        return "surgery day"
    days = abs(offset)
    count, unit = (days // 7, "week") if days % 7 == 0 else (days, "day")
    side = "before" if offset < 0 else "after"
    return f"{count} {unit}{'s' * (count != 1)} {side}"


@dataclass(frozen=True)
class Item:
    """One thing to do or to answer; ``when`` None means its list's window applies."""

    id: str
    type: ItemType
    text: str
    details: str | None = None
    tell_surgeon: str | None = None
    show_if: ShowIf | None = None
    when: Window | None = None
    critical: bool = False
    alert: Alert | None = None


# The language of a base file (``week-before.yaml``); a translation's is in its
# name (``week-before.es.yaml``). Exports and the FHIR file use the base words.
BASE_LANGUAGE = "en"


@dataclass(frozen=True)
class ItemWording:
    """One item's words in one language: what a translation file changes."""

    id: str
    text: str
    details: str | None = None
    alert_text: str | None = None


@dataclass(frozen=True)
class Wording:
    """A list's words in one language; everything else is the base file's."""

    language: str
    title: str
    items: tuple[ItemWording, ...]
    intro: str | None = None
    source: Source | None = None

    def item(self, item_id: str) -> ItemWording | None:
        """The words of the item with this id, or None."""
        return self._items_by_id.get(item_id)

    @functools.cached_property
    def _items_by_id(self) -> dict[str, ItemWording]:
        return {words.id: words for words in self.items}


@dataclass(frozen=True)
class Checklist:
    """One checklist file, validated; ``path`` is where it was loaded from.

    ``format`` is the file's format version; a version 1 ``due_days_before`` is
    already mapped into ``when`` by the loader, so nothing else needs to know.
    """

    id: str
    title: str
    items: tuple[Item, ...]
    intro: str | None = None
    order: int = 0
    when: Window | None = None
    source: Source | None = None
    path: Path | None = None
    bundled: bool = False
    format: int = FORMAT_VERSION
    # The language of these words: a translation file's, or the base file's.
    language: str = BASE_LANGUAGE
    # Set by the catalog for a list that has translations: its words in the base
    # language and in each translation's, so any of them can be shown or exported.
    wordings: tuple[Wording, ...] = ()

    def item(self, item_id: str) -> Item | None:
        """The item with this id, or None."""
        return self._items_by_id.get(item_id)

    @functools.cached_property
    def _items_by_id(self) -> dict[str, Item]:
        """Each item by its id, found once: renderers look items up for every item of
        every translation (kept in the instance's dict, which a frozen list allows)."""
        found: dict[str, Item] = {}
        for item in self.items:
            found.setdefault(item.id, item)
        return found

    def content_hash(self) -> str:
        """A fingerprint of what the patient answers, so edits to a list are noticed.

        Only what changes the meaning of an answer counts: ids, types, wording and
        conditions; comments, layout, timing, the format version and the file's
        location do not (moving a list to format 2 keeps its answers attached).
        Computed once per list per run, however often progress is saved. Always of
        the base file's words, so that answers given in any language stay attached.
        """
        return _fingerprint(self.in_language(BASE_LANGUAGE) or self)

    def wording(self) -> Wording:
        """This list's own words, in its language."""
        items = tuple(
            ItemWording(item.id, item.text, item.details, item.alert.text if item.alert else None)
            for item in self.items
        )
        return Wording(self.language, self.title, items, self.intro, self.source)

    def in_language(self, language: str) -> Checklist | None:
        """The list in ``language``'s words, or None when it has no such translation."""
        if language == self.language:
            return self
        wording = next((w for w in self.wordings if w.language == language), None)
        if wording is None:
            return None
        words = {item.id: item for item in wording.items}
        items = tuple(_reworded(item, words[item.id]) for item in self.items)
        return dataclasses.replace(
            self,
            title=wording.title,
            intro=wording.intro,
            source=wording.source,
            items=items,
            language=language,
        )


def _reworded(item: Item, words: ItemWording) -> Item:
    """An item in another language's words; the alert's answer stays the base file's."""
    alert = item.alert
    if alert is not None and words.alert_text is not None:
        alert = Alert(alert.answer, words.alert_text)
    return dataclasses.replace(item, text=words.text, details=words.details, alert=alert)


def open_alert(item: Item, answer: Answer | None) -> Alert | None:
    """The item's alert when its saved answer is the one that needs action, else None."""
    alert = item.alert
    if alert is None or answer is None or answer.value != alert.answer:
        return None
    return alert


# Keyed by the (frozen, hashable) checklist itself: an equal list has an equal
# fingerprint, and a run holds only a handful of lists.
@functools.lru_cache(maxsize=64)
def _fingerprint(checklist: Checklist) -> str:
    import json

    content = {
        "id": checklist.id,
        "items": [
            {
                "id": item.id,
                "type": item.type,
                "text": item.text,
                "show_if": dataclasses.asdict(item.show_if) if item.show_if else None,
                "tell_surgeon": item.tell_surgeon,
            }
            for item in checklist.items
        ],
    }
    # surrogatepass: text that is not valid Unicode (refused by the loader) still hashes
    # instead of crashing a renderer; every valid text hashes exactly as before.
    text = json.dumps(content, sort_keys=True, ensure_ascii=False)
    encoded = text.encode("utf-8", "surrogatepass")
    return "sha256:" + _sha256_hex(encoded)[:16]


def _sha256_hex(data: bytes) -> str:
    """SHA-256 without importing hashlib, which loads OpenSSL: a few milliseconds of
    every ``mark`` and ``status --json``. CPython's own module gives the same digest."""
    for name in ("_sha256", "_sha2"):  # CPython up to 3.11, and from 3.12
        with contextlib.suppress(ImportError):
            digest: str = importlib.import_module(name).sha256(data).hexdigest()
            return digest
    import hashlib

    return hashlib.sha256(data).hexdigest()


# Who may give an answer; the first is the default (contract: ``--by WHO``).
ANSWERERS: tuple[str, ...] = ("patient", "caregiver", "clinician")
DEFAULT_ANSWERER = ANSWERERS[0]


@dataclass(frozen=True)
class Answer:
    """A stored answer, when it was given, an optional note, and who gave it."""

    value: str
    answered_at: str
    note: str | None = None
    by: str = DEFAULT_ANSWERER


def parse_answerer(raw: str) -> str:
    """The stored form of ``--by WHO``, or InvalidAnswerError naming the choices."""
    who = normalize_typed(raw)
    if who not in ANSWERERS:
        raise InvalidAnswerError(
            _("Who answered must be one of: {choices}.").format(choices=", ".join(ANSWERERS))
        )
    return who


@dataclass(frozen=True)
class Progress:
    """Everything the patient has told foracheck so far.

    ``answers`` maps list id to item id to answer. Answers to items a list no
    longer has are kept here (never shown), so an edited list loses nothing.
    ``list_versions`` records which content hash of each list was answered.
    """

    surgery_date: date | None = None
    answers: Mapping[str, Mapping[str, Answer]] = field(default_factory=dict)
    list_versions: Mapping[str, str] = field(default_factory=dict)
    welcomed: bool = False
    # The patient's language and plain mode, remembered for the next run (never health data).
    settings: Settings = field(default_factory=Settings)
    # How many times the saved surgery date has changed: the calendar's SEQUENCE, so that
    # a phone replaces the events it has with the ones at their new dates.
    date_changes: int = 0

    def answers_for(self, list_id: str) -> Mapping[str, Answer]:
        """The answers saved for one list (empty when there are none)."""
        return self.answers.get(list_id, {})

    def answer(self, list_id: str, item_id: str) -> Answer | None:
        """The saved answer to one item, or None."""
        return self.answers_for(list_id).get(item_id)

    def answers_to(self, checklist: Checklist) -> dict[str, Answer]:
        """The saved answers that fit the list as it is now, by item id.

        An answer to an item the list no longer has, or one that no longer fits
        its item (a clinic changed a yes/no question into a task, a hand-edited
        file), stays in the file but is left out here: every screen and output
        reads answers through this, so none of them shows one that cannot be right.
        """
        saved = self.answers_for(checklist.id)
        if not saved:  # the common case on a fresh list: no pass over its items
            return {}
        return {
            item.id: saved[item.id]
            for item in checklist.items
            if item.id in saved and answer_fits(item, saved[item.id])
        }

    def unfitting(self, checklist: Checklist) -> list[str]:
        """Ids of saved answers that ``answers_to`` leaves out (removed or misfit items)."""
        fitting = self.answers_to(checklist)
        return [item_id for item_id in self.answers_for(checklist.id) if item_id not in fitting]

    def with_answer(self, checklist: Checklist, item_id: str, answer: Answer | None) -> Progress:
        """A copy with one answer recorded (or cleared when ``answer`` is None)."""
        answers = {list_id: dict(items) for list_id, items in self.answers.items()}
        list_answers = answers.setdefault(checklist.id, {})
        if answer is None:
            list_answers.pop(item_id, None)
        else:
            list_answers[item_id] = answer
        if not list_answers:
            del answers[checklist.id]
        # The version first answered stays until the walk has told the patient the
        # list changed (see session); a script's ``mark`` must not swallow that notice.
        versions = {checklist.id: checklist.content_hash(), **self.list_versions}
        return dataclasses.replace(self, answers=answers, list_versions=versions)

    def count(self) -> int:
        """How many answers are saved, over every list."""
        return sum(len(items) for items in self.answers.values())


def choices_hint(item_type: ItemType) -> str:
    """The allowed answers for an item type, as a person would read them."""
    if item_type == "task":
        return _("done (d), not yet (n) or does not apply (s)")
    if item_type == "yesno":
        return _("yes (y) or no (n)")
    return _(
        'a short answer on one line (at most {limit} characters), or "{dont_know}" to '
        "ask and come back to it later"
    ).format(limit=MAX_TEXT_ANSWER, dont_know=_("don't know"))


def typed_yes_or_no(raw: str) -> str | None:
    """``yes`` or ``no`` for a typed answer to any yes/no question, in the chosen
    language's words (``sí``, ``n``...), or None when it is neither."""
    return yes_or_no(raw)


def parse_answer(item: Item, raw: str) -> str:
    """The stored form of a typed answer, or InvalidAnswerError naming the choices.

    The words accepted are the chosen language's; what is stored is always the
    English value (``STORED_ANSWERS``), so a list answered in Spanish reads,
    exports and imports exactly like one answered in English.
    """
    if item.type == "text":
        text = raw.strip()
        if is_dont_know(text):
            return NOT_YET
        return _parse_text(text)
    stored = choice(item.type, raw)
    if stored is None:
        raise InvalidAnswerError(
            _("Please answer {choices}.").format(choices=choices_hint(item.type))
        )
    return stored


def _parse_text(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise InvalidAnswerError(_("Please type {choices}.").format(choices=choices_hint("text")))
    if "\n" in text or "\r" in text:
        raise InvalidAnswerError(_("Please keep the answer on one line."))
    unsafe = unsafe_character(text, multiline=False)
    if unsafe is not None:  # a control character, or bytes that were not valid text
        raise InvalidAnswerError(
            _(
                "The answer holds a character that cannot be shown safely ({character}). "
                "Please type it again without it."
            ).format(character=unsafe)
        )
    if len(text) > MAX_TEXT_ANSWER:
        raise InvalidAnswerError(
            _("That answer has {count} characters; please keep it to {limit}.").format(
                count=len(text), limit=MAX_TEXT_ANSWER
            )
        )
    return text


def answer_fits(item: Item, answer: Answer) -> bool:
    """Whether a stored answer is one this item can have (files can be hand-edited):
    exactly what typing it would have stored, in any language."""
    if item.type != "text":
        return answer.value in STORED_ANSWERS[item.type]
    try:
        return _parse_text(answer.value) == answer.value
    except InvalidAnswerError:
        return False


def is_resolved(item: Item, answer: Answer | None) -> bool:
    """Resolved means done, skipped, answered yes/no, or given a text answer."""
    if answer is None:
        return False
    if item.type == "text":
        return is_text_answer(item, answer)
    return answer.value in RESOLVED_ANSWERS


def is_text_answer(item: Item, answer: Answer | None) -> bool:
    """Whether a text item holds words the patient wrote (not "don't know yet")."""
    return (
        item.type == "text"
        and answer is not None
        and answer.value != NOT_YET
        and bool(answer.value.strip())
    )


def tells_surgeon(item: Item, answer: Answer | None) -> bool:
    """Whether this answer belongs in the "tell your surgeon" summary."""
    if answer is None:
        return False
    if item.type == "text":
        return is_text_answer(item, answer)
    return item.tell_surgeon is not None and answer.value == item.tell_surgeon


def answer_label(item: Item, answer: Answer) -> str:
    """How an answer reads on paper and in exports, in the chosen language."""
    if is_text_answer(item, answer):
        return answer.value
    if item.type == "text":
        return _("not known yet (to ask)")
    return answer_words(answer.value)


def answer_words(value: str) -> str:
    """A stored answer ("skip") as the chosen language says it ("does not apply").

    ``ANSWER_LABELS`` keeps the English words for what must not change with the
    language (FHIR's display of the stored codes)."""
    words = {
        "done": _("done"),
        "not-yet": _("not yet"),
        "skip": _("does not apply"),
        "yes": _("yes"),
        "no": _("no"),
    }
    return words.get(value, value)


def applicable_items(checklist: Checklist, answers: Mapping[str, Answer]) -> list[Item]:
    """The items that apply given the answers so far, in list order.

    An item with ``show_if`` applies only when its parent applies and has the
    named answer; the loader guarantees parents come first, so one pass works.
    """
    if not answers:  # no parent has an answer yet, so only items without a condition apply
        return [item for item in checklist.items if item.show_if is None]
    applicable: list[Item] = []
    applies: set[str] = set()
    for item in checklist.items:
        condition = item.show_if
        if condition is not None:
            parent = answers.get(condition.item)
            if condition.item not in applies or parent is None or parent.value != condition.answer:
                continue
        applicable.append(item)
        applies.add(item.id)
    return applicable


def shown_answer_count(checklists: Iterable[Checklist], progress: Progress) -> int:
    """How many saved answers the patient can see: those to items that apply now."""
    total = 0
    for checklist in checklists:
        answers = progress.answers_to(checklist)
        total += sum(item.id in answers for item in applicable_items(checklist, answers))
    return total


class SurgeonNote(NamedTuple):
    """One line of the "tell your surgeon" summary."""

    # A NamedTuple, not a frozen dataclass: a quarter of the cost to define, which every
    # command pays (only the summary makes one).
    checklist: Checklist
    item: Item
    answer: Answer


def surgeon_notes(checklists: list[Checklist], progress: Progress) -> Iterator[SurgeonNote]:
    """Every applicable answer the surgeon should hear about, list by list."""
    for checklist in checklists:
        answers = progress.answers_to(checklist)
        if not answers:  # nothing to tell: no pass over a long list's items
            continue
        for item in applicable_items(checklist, answers):
            answer = answers.get(item.id)
            if answer is not None and tells_surgeon(item, answer):
                yield SurgeonNote(checklist, item, answer)
