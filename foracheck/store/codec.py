"""The progress file's bytes: encode, decode and validate them, and migrate older schemas.

Everything here works on bytes and documents, never on the disk, so that what a
valid progress file is gets decided in one room. Anything that does not read is
``_Unreadable`` (its reason, put into words, says what failed); a file from a
newer foracheck is ``NewerProgressError`` and is never migrated down.

Schema 2 records who gave each answer (``by``: patient, caregiver or clinician).
A schema 1 file is migrated when read (every answer was the patient's); the
first writer keeps its bytes as ``progress.json.schema1`` before saving it as 2.
A file without a lineage was written by foracheck 0.1; its lineage stays unset.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any, NamedTuple

from foracheck import __version__
from foracheck.errors import CorruptProgressError
from foracheck.i18n import _
from foracheck.model import ANSWERERS, DEFAULT_ANSWERER, ID_PATTERN, Answer, Progress
from foracheck.remembered import from_json
from foracheck.safetext import unsafe_character

SCHEMA_VERSION = 2
MAX_PROGRESS_BYTES = 16 * 1024 * 1024
LINEAGE_PATTERN = re.compile(r"[0-9a-f]{8,64}")


class _Unreadable(ValueError):
    """The bytes are not a progress document we understand."""


class NewerProgressError(CorruptProgressError):
    """Saved by a newer foracheck: left untouched, never migrated down."""


def now_iso() -> str:
    """The current local time in the one written form (RFC 3339, ``±HH:MM``; UTC when
    the time zone setting is unusable)."""
    from foracheck.dates import now_text

    return now_text()


def new_lineage() -> str:
    """A fresh lineage id: random, so two separate histories never share one."""
    import secrets

    return secrets.token_hex(8)


# -- encoding ------------------------------------------------------------------


def encode(progress: Progress, lineage: str | None = None) -> bytes:
    """The progress file's bytes: stable key order, one answer per entry.

    ``lineage`` is left out when unset, so a file of foracheck 0.1 is written
    back as it was.
    """
    lists: dict[str, Any] = {}
    for list_id in sorted(set(progress.answers) | set(progress.list_versions)):
        answers = progress.answers_for(list_id)
        lists[list_id] = {
            "version": progress.list_versions.get(list_id),
            "answers": {
                item_id: {
                    "answer": answer.value,
                    "answered_at": answer.answered_at,
                    "note": answer.note,
                    "by": answer.by,
                }
                for item_id, answer in sorted(answers.items())
            },
        }
    document = {
        "schema": SCHEMA_VERSION,
        "saved_by": f"foracheck {__version__}",
        **({"lineage": lineage} if lineage is not None else {}),
        "surgery_date": progress.surgery_date.isoformat() if progress.surgery_date else None,
        "welcomed": progress.welcomed,
        **({"settings": progress.settings.as_json()} if progress.settings.as_json() else {}),
        **({"date_changes": progress.date_changes} if progress.date_changes else {}),
        "lists": lists,
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _expect(condition: bool, what: str, **values: object) -> None:
    """``what`` (English, ``values`` fill its placeholders) is put into words only on failure."""
    if not condition:
        raise _Unreadable(_(what).format(**values))


def _optional_str(value: object, what: str) -> str | None:
    """Text or nothing. Text that could steer a terminal (ESC, a lone surrogate) is not
    text foracheck writes, so the file is treated as damaged (guarantee 13); tabs and
    line breaks, which older versions let into answers and notes, still read."""
    _expect(value is None or isinstance(value, str), what)
    if isinstance(value, str):
        _expect(unsafe_character(value, multiline=True) is None, what)
        return value
    return None


def _decode_answer(raw: object) -> Answer:
    _expect(isinstance(raw, dict), "an answer is not an object")
    assert isinstance(raw, dict)
    value = _optional_str(raw.get("answer"), "an answer is not text")
    answered_at = _optional_str(raw.get("answered_at"), "an answer time is not text")
    _expect(value is not None and answered_at is not None, "an answer is incomplete")
    assert value is not None and answered_at is not None
    answered_at = _saved_time(answered_at)
    by = raw.get("by", DEFAULT_ANSWERER)  # left out, as hand-made files may: the patient
    _expect(isinstance(by, str) and by in ANSWERERS, "who gave an answer is not known")
    assert isinstance(by, str)
    note = _optional_str(raw.get("note"), "a note is not text")
    return Answer(value, answered_at, note, by)


def is_timestamp(text: str) -> bool:
    """RFC 3339 with a UTC offset, in range, as ``now_iso`` writes it (exports promise the same)."""
    from foracheck.dates import DateProblem, parse_time

    try:
        parse_time(text)
    except DateProblem:
        return False
    return True


def _saved_time(text: str) -> str:
    """A saved answer's time in the one written form, or _Unreadable.

    Files written before the one rule may hold any ISO 8601 time with an offset
    (``20270101T000000+0000``, an offset with seconds): those are rewritten in
    the one form (in UTC where the offset is not whole minutes). A time outside
    1900 to 2099 is refused, since every later command would trip over it.
    """
    from foracheck.dates import DateProblem, format_time, in_range, normal_time

    try:
        return normal_time(text)
    except DateProblem:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    _expect(
        moment is not None and moment.tzinfo is not None and in_range(moment.date()),
        "an answer's time is not a date and time with an offset between 1900 and 2099",
    )
    assert moment is not None
    offset = moment.utcoffset()
    if offset is None or offset % timedelta(minutes=1) or abs(offset) > timedelta(hours=14):
        moment = moment.astimezone(timezone.utc)
    return format_time(moment)


def _saved_date(text: str) -> date:
    """The saved surgery date by the one rule (``foracheck.dates``), or _Unreadable."""
    from foracheck.dates import DateProblem, parse_date

    try:
        return parse_date(text)
    except DateProblem as problem:
        message = _("the surgery date is refused: {problem}")
        raise _Unreadable(message.format(problem=str(problem).rstrip("."))) from None


def _decode_lists(raw: object) -> tuple[dict[str, dict[str, Answer]], dict[str, str]]:
    _expect(isinstance(raw, dict), "'lists' is not an object")
    assert isinstance(raw, dict)
    answers: dict[str, dict[str, Answer]] = {}
    versions: dict[str, str] = {}
    for list_id, entry in raw.items():
        _expect(bool(ID_PATTERN.fullmatch(list_id)), "a checklist id is malformed")
        _expect(isinstance(entry, dict) and isinstance(entry.get("answers"), dict), "a list entry")
        version = _optional_str(entry.get("version"), "a list version is not text")
        if version is not None:
            versions[list_id] = version
        list_answers = {}
        for item_id, raw_answer in entry["answers"].items():
            _expect(bool(ID_PATTERN.fullmatch(item_id)), "an item id is malformed")
            list_answers[item_id] = _decode_answer(raw_answer)
        if list_answers:
            answers[list_id] = list_answers
    return answers, versions


# -- migrations ------------------------------------------------------------------


def _answers_record_who(document: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 to 2: every answer records who gave it; before, it was always the patient.

    Everything else (the lineage, the surgery date, answers to removed items) is
    carried over as it is. Shapes that are wrong are left for decoding to refuse.
    """
    lists = document.get("lists")
    if isinstance(lists, dict):
        lists = {list_id: _entry_with_who(entry) for list_id, entry in lists.items()}
    return {**document, "schema": 2, "lists": lists}


def _entry_with_who(entry: object) -> object:
    if not isinstance(entry, dict) or not isinstance(entry.get("answers"), dict):
        return entry
    answers = {
        item_id: {**raw, "by": DEFAULT_ANSWERER} if isinstance(raw, dict) else raw
        for item_id, raw in entry["answers"].items()
    }
    return {**entry, "answers": answers}


# Each entry upgrades a progress document from its key's schema to the next one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _answers_record_who,
}


def migrate(document: dict[str, Any]) -> dict[str, Any]:
    """Bring an older document up to SCHEMA_VERSION, one named step at a time.

    Each step must raise the schema number, so a faulty step cannot loop.
    """
    while document["schema"] < SCHEMA_VERSION:
        schema = document["schema"]
        step = MIGRATIONS.get(schema)
        _expect(step is not None, "no migration from schema {schema}", schema=schema)
        assert step is not None
        document = step(document)
        after = document.get("schema")
        _expect(
            isinstance(after, int) and not isinstance(after, bool) and after > schema,
            "the migration from schema {schema} did not raise the schema",
            schema=schema,
        )
    return document


def decode(data: bytes) -> Progress:
    """Parse and validate a progress file; _Unreadable or NewerProgressError otherwise."""
    return parse(data).progress


class Parsed(NamedTuple):
    """A progress file understood: its progress, schema and lineage."""

    # A NamedTuple, not a frozen dataclass: a quarter of the cost to define, which every
    # command that reads progress pays.
    progress: Progress
    schema: int
    lineage: str | None

    def migrated(self) -> bool:
        """Whether the file was written in an older schema (its bytes are kept once)."""
        return self.schema < SCHEMA_VERSION


def _lineage(document: dict[str, Any]) -> str | None:
    lineage = _optional_str(document.get("lineage"), "the lineage is not text")
    _expect(lineage is None or bool(LINEAGE_PATTERN.fullmatch(lineage)), "the lineage is malformed")
    return lineage


def parse(data: bytes) -> Parsed:
    """The progress, the schema version the file was written in, and its lineage."""
    _expect(len(data) <= MAX_PROGRESS_BYTES, "the file is far too large")
    try:  # a BOM, as some editors add, is not damage
        document = json.loads(data.removeprefix(b"\xef\xbb\xbf").decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise _Unreadable(_("not valid JSON")) from error
    _expect(isinstance(document, dict), "not a JSON object")
    schema = document.get("schema")
    _expect(isinstance(schema, int) and not isinstance(schema, bool) and schema >= 1, "no schema")
    if schema > SCHEMA_VERSION:
        message = _(
            "Your progress was saved by a newer foracheck (file format {schema}; this one reads "
            "up to {supported}). Please upgrade foracheck. Your file was not changed."
        )
        raise NewerProgressError(message.format(schema=schema, supported=SCHEMA_VERSION))
    document = migrate(document)
    raw_date = _optional_str(document.get("surgery_date"), "the surgery date is not text")
    surgery_date = _saved_date(raw_date) if raw_date else None
    welcomed = document.get("welcomed", False)
    _expect(isinstance(welcomed, bool), "'welcomed' is not true or false")
    date_changes = document.get("date_changes", 0)
    _expect(
        type(date_changes) is int and 0 <= date_changes < 1_000_000,
        "'date_changes' is not a small whole number",
    )
    answers, versions = _decode_lists(document.get("lists"))
    settings = from_json(document.get("settings"))
    progress = Progress(
        surgery_date, answers, versions, welcomed, settings=settings, date_changes=date_changes
    )
    return Parsed(progress, schema, _lineage(document))
