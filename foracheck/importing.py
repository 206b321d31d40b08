"""``foracheck import FILE``: answers back from a JSON export, or a FHIR response to
foracheck's Questionnaires, whichever tool filled it in (foracheck, LHC-Forms, an EHR).

All or nothing: the whole file is read and every answer checked against the
lists in use (list, item, the list's content fingerprint, the answer, its note,
time and author) before the progress is opened; one problem refuses the file
and nothing is written. Conflicts never drop an answer silently: the newer
``answered_at`` wins, and an answer kept over the file's is named (by ids only).
Messages name files, lists and items, never an answer or a note.

Other tools' responses differ from foracheck's own in three ways that are taken
as they are: no per-answer time (the response's ``authored`` is used, and the
import says so), who answered given once for the whole response (``author`` or
``source``) or not at all (``--by``, else the patient), and a ``questionnaire``
without ``|version``: such answers are checked against the list in use, item by
item, and refused only when they do not fit it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from foracheck.answers import date_format
from foracheck.errors import InputFileMissingError, UnusableFileError
from foracheck.fsutil import NotRegularFileError, read_regular
from foracheck.i18n import _, ngettext
from foracheck.invocation import command
from foracheck.marking import MAX_NOTE
from foracheck.model import (
    ANSWERERS,
    DEFAULT_ANSWERER,
    ID_PATTERN,
    Answer,
    Checklist,
    Progress,
    answer_fits,
)
from foracheck.paths import Locations
from foracheck.render.fhir import (
    ANSWERED_AT,
    ANSWERED_BY,
    BASE,
    NOTE_SUFFIX,
    REFERENCE_TYPES,
    TASK_ANSWERS,
)
from foracheck.safetext import shown, unsafe_character
from foracheck.store import MAX_PROGRESS_BYTES, open_for_writing

QUESTIONNAIRE_PREFIX = f"{BASE}/Questionnaire/"
# The list version each list's answers were given to; None: not named (checked by fit).
Versions = dict[str, "str | None"]


class _Refused(Exception):
    """One reason the file is refused, as a sentence without any answer in it."""


def _refused(why: str, **values: object) -> _Refused:
    """The reason ``why`` (English, ``values`` fill its placeholders) in the run's language;
    an empty ``why`` is no reason at all (and never a catalog lookup)."""
    return _Refused(_(why).format(**values) if why else "")


@dataclass(frozen=True)
class Incoming:
    """What a file holds: answers by list and item, the surgery date, and what kind it is."""

    kind: str  # English ("a foracheck JSON export"), shown through ``_``
    answers: Mapping[str, Mapping[str, Answer]]
    surgery_date: date | None = None
    untimed: int = 0  # answers without a time of their own, given the response's ``authored``
    # FHIR: the item type each answer's value type fits (valueBoolean: yesno), by list and item
    types: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass
class Outcome:
    """What an import changed (or, with --dry-run, would change), by list and item id."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_date: tuple[date, date] | None = None  # yours and the file's, when yours was kept
    set_date: date | None = None  # the file's, taken where none was saved

    @property
    def changed(self) -> bool:
        """Whether the progress differs: answers added or replaced, or a date set."""
        return bool(self.added or self.replaced or self.set_date)


# -- reading the file --------------------------------------------------------------


def _name(path: Path) -> str:
    """The file's name as typed, on one line with nothing that could steer a terminal."""
    return shown(str(path), multiline=False)


def read_file(path: Path) -> Any:
    """The file's JSON; 66 when it is missing, 65 when it is not JSON foracheck could write."""
    try:
        data = read_regular(path, MAX_PROGRESS_BYTES, follow_links=True)
    except NotRegularFileError as error:
        message = _("{path} is {kind}, not a file. Nothing was changed.")
        raise UnusableFileError(message.format(path=_name(path), kind=error.strerror)) from None
    except OSError as error:
        message = _("Could not read {path} ({reason}). Nothing was changed.")
        raise UnusableFileError(message.format(path=_name(path), reason=error.strerror)) from None
    if data is None:
        message = _("{path}: no such file. Nothing was changed.")
        raise InputFileMissingError(message.format(path=_name(path)))
    if len(data) > MAX_PROGRESS_BYTES:
        message = _("{path} is far too large to be a foracheck export.")
        raise UnusableFileError(message.format(path=_name(path)))
    try:
        return json.loads(data.removeprefix(b"\xef\xbb\xbf").decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        message = _(
            "{path} is not a JSON export or FHIR file written by foracheck (not JSON). "
            "Nothing was changed."
        )
        raise UnusableFileError(message.format(path=_name(path))) from None


# Each check names what it checks in English, with its placeholders' values; the
# sentence is put into words (``_``) only when the check fails.


def _need(condition: bool, why: str, **values: object) -> None:
    if not condition:
        raise _refused(why, **values)


def _fails(what: str, values: dict[str, object]) -> str:
    """``what`` (an English phrase with placeholders) in words, for the sentence it fails."""
    return _(what).format(**values)


def _object(value: object, what: str, **values: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _refused("{what} is not an object", what=_fails(what, values))
    return value


def _array(value: object, what: str, **values: object) -> list[Any]:
    if not isinstance(value, list):
        raise _refused("{what} is not a list", what=_fails(what, values))
    return value


def _id(value: object, what: str, **values: object) -> str:
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise _refused("{what} is malformed", what=_fails(what, values))
    return value


def _text(value: object, what: str, **values: object) -> str:
    if value is None:
        raise _refused("{what} is missing", what=_fails(what, values))
    if not isinstance(value, str):
        raise _refused("{what} is not text", what=_fails(what, values))
    return value


def _answer(value: object, at: object, note: object, by: object, where: str) -> Answer:
    """One answer's fields, checked for shape (fit to its item is checked later)."""
    answered_at = _time(_text(at, "the time of the answer to {where}", where=where), where)
    _need(
        by in ANSWERERS, "who answered {where} is not patient, caregiver or clinician", where=where
    )
    if note is not None:
        note = _text(note, "the note to {where}", where=where)
        _need(
            len(note) <= MAX_NOTE,
            "the note to {where} is longer than {limit} characters",
            where=where,
            limit=MAX_NOTE,
        )
        unsafe = unsafe_character(note, multiline=True)
        _need(
            unsafe is None,
            "the note to {where} holds a character that cannot be shown safely",
            where=where,
        )
    assert isinstance(by, str)
    return Answer(_text(value, "the answer to {where}", where=where), answered_at, note or None, by)


def _time(text: str, where: str) -> str:
    """An answer's time by the one rule (``foracheck.dates``), in the one written form:
    a time later than tomorrow would win every later "newer answer wins" comparison."""
    from foracheck.dates import DateProblem, local_now, normal_time

    try:
        return normal_time(text, local_now())
    except DateProblem as problem:
        raise _refused(
            "the time of the answer to {where} is refused: {problem}",
            where=where,
            problem=str(problem).rstrip("."),
        ) from None


def _surgery_date(value: object) -> date | None:
    from foracheck.dates import DateProblem, parse_date

    if value is None:
        return None
    try:
        return parse_date(_text(value, "the surgery date"))
    except DateProblem as problem:
        raise _refused(
            "the surgery date is refused: {problem}", problem=str(problem).rstrip(".")
        ) from None


# -- the JSON export -----------------------------------------------------------------


def _json_export(document: dict[str, Any], by: str) -> tuple[Incoming, Versions]:
    """Answers and list versions from ``export --format json``."""
    answers: dict[str, dict[str, Answer]] = {}
    versions: Versions = {}
    for raw_list in _array(document.get("checklists"), "'checklists'"):
        entry = _object(raw_list, "a checklist")
        list_id = _id(entry.get("id"), "a checklist id")
        _need(list_id not in versions, "the checklist {list_id} appears twice", list_id=list_id)
        version = entry.get("version")
        _need(
            isinstance(version, str),
            "the checklist {list_id} carries no version (exports before foracheck 0.3 do not); "
            "export it again with this foracheck",
            list_id=list_id,
        )
        versions[list_id] = str(version)
        raw_items = _array(entry.get("items"), "{list_id}'s items", list_id=list_id)
        answers[list_id] = _json_items(list_id, raw_items, by)
    surgery_date = _surgery_date(document.get("surgery_date"))
    return Incoming("a foracheck JSON export", answers, surgery_date), versions


def _json_items(list_id: str, raw_items: list[Any], default_by: str) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    seen: set[str] = set()
    for raw_item in raw_items:
        item = _object(raw_item, "an item of {list_id}", list_id=list_id)
        item_id = _id(item.get("id"), "an item id in {list_id}", list_id=list_id)
        _need(item_id not in seen, "the item {where} appears twice", where=f"{list_id} {item_id}")
        seen.add(item_id)
        if item.get("answer") is None:
            continue
        where = f"{list_id} {item_id}"
        by = item.get("answered_by", default_by)  # exports before answered_by: --by or patient
        answers[item_id] = _answer(
            item["answer"], item.get("answered_at"), item.get("note"), by, where
        )
    return answers


# -- FHIR ----------------------------------------------------------------------------


def _fhir(document: dict[str, Any], by: str) -> tuple[Incoming, Versions]:
    """Answers and list versions from a Bundle or a single QuestionnaireResponse."""
    if document.get("resourceType") == "QuestionnaireResponse":
        responses = [document]
    else:
        _need(document.get("type") == "collection", "the Bundle is not a collection")
        entries = _array(document.get("entry", []), "the Bundle's entries")
        resources = [_object(_object(e, "an entry").get("resource"), "a resource") for e in entries]
        responses = [r for r in resources if r.get("resourceType") == "QuestionnaireResponse"]
        _need(bool(responses), "the Bundle holds no QuestionnaireResponse (a blank export)")
    answers: dict[str, dict[str, Answer]] = {}
    versions: Versions = {}
    untimed = 0
    types: dict[str, dict[str, str]] = {}
    for resource in responses:
        list_id, version = _canonical(resource.get("questionnaire"))
        _need(list_id not in versions, "the checklist {list_id} is answered twice", list_id=list_id)
        versions[list_id] = version
        raw_items = _array(resource.get("item", []), "{list_id}'s items", list_id=list_id)
        response = _Response(list_id, _authored(resource), _response_author(resource) or by)
        answers[list_id] = _fhir_items(response, raw_items)
        untimed += response.untimed
        types[list_id] = response.types
    incoming = Incoming("a FHIR QuestionnaireResponse", answers, untimed=untimed, types=types)
    return incoming, versions


def _canonical(value: object) -> tuple[str, str | None]:
    """``https://foracheck.invalid/fhir/Questionnaire/ID[|VERSION]`` as (ID, VERSION or None)."""
    text = _text(value, "the response's questionnaire")
    _need(
        text.startswith(QUESTIONNAIRE_PREFIX),
        "the response's questionnaire is not one of foracheck's checklists",
    )
    list_id, _bar, version = text.removeprefix(QUESTIONNAIRE_PREFIX).partition("|")
    return _id(list_id, "the response's questionnaire id"), version or None


def _fhir_moment(value: object, what: str) -> str:
    """A FHIR dateTime with a time and an offset, by the one rule (``foracheck.dates``:
    in range, never later than tomorrow), in the one written form."""
    from foracheck.dates import DateProblem, local_now, normal_time

    try:
        return normal_time(_text(value, what), local_now())
    except DateProblem as problem:
        raise _refused(
            "{what} is refused: {problem}", what=_fails(what, {}), problem=str(problem).rstrip(".")
        ) from None


def _authored(resource: dict[str, Any]) -> str | None:
    """The response's ``authored`` time, or None when it has none."""
    if resource.get("authored") is None:
        return None
    return _fhir_moment(resource["authored"], "the response's authored time")


def _response_author(resource: dict[str, Any]) -> str | None:
    """Who answered the whole response (``author``, else ``source``), when it says so in a
    way foracheck knows: a Patient, a RelatedPerson (caregiver) or a Practitioner."""
    for key in ("author", "source"):
        if resource.get(key) is None:
            continue
        reference = _object(resource[key], "the response's {key}", key=key)
        kind = reference.get("type")
        if not isinstance(kind, str) and isinstance(reference.get("reference"), str):
            kind = reference["reference"].partition("/")[0]
        if kind in REFERENCE_TYPES:
            return REFERENCE_TYPES[kind]
        if reference.get("display") in ANSWERERS:
            return str(reference["display"])
    return None


@dataclass
class _Response:
    """What one response gives all its answers: its list, its time and who answered it."""

    list_id: str
    authored: str | None
    by: str
    untimed: int = 0
    types: dict[str, str] = field(default_factory=dict)  # item id -> the type its value fits

    def time(self, at: object, where: str) -> str:
        """The answer's own time, else the response's (counted), else a refusal naming both."""
        if at is not None:
            return _fhir_moment(at, _fails("the time of the answer to {where}", {"where": where}))
        _need(
            self.authored is not None,
            "the answer to {where} has no time: no answered-at extension, "
            "and the response has no authored time",
            where=where,
        )
        self.untimed += 1
        assert self.authored is not None
        return self.authored


def _extensions(value: object, where: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for raw in _array(value if value is not None else [], "the extensions of {where}", where=where):
        extension = _object(raw, "an extension of {where}", where=where)
        values = [v for k, v in extension.items() if k.startswith("value")]
        found[_text(extension.get("url"), "an extension's url")] = values[0] if values else None
    return found


def _fhir_items(response: _Response, raw_items: list[Any]) -> dict[str, Answer]:
    """The answered items; an item without an answer (another tool may list it) is open."""
    answers: dict[str, Answer] = {}
    list_id = response.list_id
    for raw_item in raw_items:
        item = _object(raw_item, "an item of {list_id}", list_id=list_id)
        item_id = _id(item.get("linkId"), "an item linkId in {list_id}", list_id=list_id)
        where = f"{list_id} {item_id}"
        _need(item_id not in answers, "the item {where} is answered twice", where=where)
        given = _array(item.get("answer", []), "the answer to {where}", where=where)
        if not given:
            continue
        _need(len(given) == 1, "{where} has more than one answer", where=where)
        answer = _object(given[0], "the answer to {where}", where=where)
        extensions = _extensions(answer.get("extension"), where)
        by = extensions.get(ANSWERED_BY, response.by)
        response.types[item_id], value = _fhir_value(answer, where)
        at = response.time(extensions.get(ANSWERED_AT), where)
        # the note under the answer (R4's rule for a question's children), or, as some
        # form engines write it, beside the answer under the item
        note = _fhir_note(answer, item_id, where) or _fhir_note(item, item_id, where)
        answers[item_id] = _answer(value, at, note, by, where)
    return answers


def _fhir_value(answer: dict[str, Any], where: str) -> tuple[str, str]:
    """The item type a typed FHIR value fits, and its stored form: a task code, yes/no,
    or the text."""
    if "valueCoding" in answer:
        coding = _object(answer["valueCoding"], "the answer to {where}", where=where)
        _need(
            coding.get("system", TASK_ANSWERS) == TASK_ANSWERS,
            "the answer to {where} is not a foracheck code",
            where=where,
        )
        return "task", _text(coding.get("code"), "the code of the answer to {where}", where=where)
    if "valueBoolean" in answer:
        value = answer["valueBoolean"]
        _need(isinstance(value, bool), "the answer to {where} is not true or false", where=where)
        return "yesno", "yes" if value else "no"
    _need(
        "valueString" in answer,
        "the answer to {where} has no valueCoding, valueBoolean or valueString",
        where=where,
    )
    return "text", _text(answer.get("valueString"), "the answer to {where}", where=where)


def _fhir_note(parent: dict[str, Any], item_id: str, where: str) -> str | None:
    """The note child (``ITEM.note``) among ``parent``'s items, or None."""
    for raw in _array(parent.get("item", []), "the note of {where}", where=where):
        child = _object(raw, "the note of {where}", where=where)
        if child.get("linkId") == item_id + NOTE_SUFFIX:
            notes = _array(child.get("answer"), "the note of {where}", where=where)
            _need(len(notes) == 1, "the note of {where} is not one text", where=where)
            note = _object(notes[0], "the note of {where}", where=where)
            return _text(note.get("valueString"), "a note")
    return None


# -- checking against the lists in use ----------------------------------------------


def parse(document: Any, path: Path, by: str | None = None) -> tuple[Incoming, Versions]:
    """The file's answers and the list versions they were given to; 65 when it is foreign.
    ``by`` (``--by``) is who answered where the file does not say; else the patient."""
    default_by = by or DEFAULT_ANSWERER
    try:
        _need(isinstance(document, dict), "")
        if document.get("resourceType") in ("Bundle", "QuestionnaireResponse"):
            return _fhir(document, default_by)
        _need(document.get("format") == 1 and "checklists" in document, "")
        return _json_export(document, default_by)
    except _Refused as refused:
        if str(refused):
            message = _(
                "{path} is not a JSON export or FHIR file that foracheck can read ({why}). "
                "Nothing was changed."
            )
        else:
            message = _(
                "{path} is not a JSON export or FHIR file that foracheck can read. "
                "Nothing was changed."
            )
        raise UnusableFileError(message.format(path=_name(path), why=refused)) from None


def check(
    incoming: Incoming, versions: Versions, checklists: Sequence[Checklist], path: Path
) -> dict[str, Checklist]:
    """Every answer fits a list in use; 65 naming the first that does not. A JSON export
    must answer the same version of each list; a FHIR response (whichever tool filled it
    in, with or without ``|version``) is taken when every item and answer fits the list."""
    known = {checklist.id: checklist for checklist in checklists}
    for list_id, answers in incoming.answers.items():
        checklist = known.get(list_id)
        if checklist is None:
            why = _("it has answers to the checklist '{list_id}', which is not loaded here")
            _refuse(path, why.format(list_id=list_id))
        assert checklist is not None
        by_fit = incoming.kind == "a FHIR QuestionnaireResponse"
        if not by_fit and versions[list_id] != checklist.content_hash():
            why = _(
                "the checklist '{list_id}' has changed since the file was written, "
                "so its answers might not mean the same any more"
            )
            _refuse(path, why.format(list_id=list_id))
        for item_id, answer in answers.items():
            item = checklist.item(item_id)
            if item is None:
                why = _("the checklist '{list_id}' has no item '{item_id}'")
                _refuse(path, why.format(list_id=list_id, item_id=item_id))
            assert item is not None
            typed = incoming.types.get(list_id, {}).get(item_id, item.type)
            if typed != item.type or not answer_fits(item, answer):
                why = _(
                    "the answer to {list_id} {item_id} is not one that item accepts "
                    "(it takes {accepted})"
                )
                accepted = _accepted(item.type)
                _refuse(path, why.format(list_id=list_id, item_id=item_id, accepted=accepted))
    return known


def _accepted(item_type: str) -> str:
    """What an item type takes, in words for a refusal (FHIR's types named too)."""
    if item_type == "task":
        return _("one of the codes done, not-yet and skip (valueCoding)")
    if item_type == "yesno":
        return _("true or false (valueBoolean)")
    return _("one line of text (valueString)")


def _refuse(path: Path, why: str) -> None:
    message = _("{path} cannot be imported: {why}. Nothing was changed.")
    raise UnusableFileError(message.format(path=_name(path), why=why))


# -- merging ------------------------------------------------------------------------


def _moment(answer: Answer, now: datetime) -> datetime:
    """When an answer was given, for "newer wins"; a time later than tomorrow (a saved
    file from a wrong clock or a crafted one) counts as the oldest, so it never wins."""
    from foracheck.dates import EARLIEST, FUTURE_SLACK

    moment = datetime.fromisoformat(answer.answered_at)
    return EARLIEST if moment > now + FUTURE_SLACK else moment


def merge(
    progress: Progress, incoming: Incoming, known: Mapping[str, Checklist]
) -> tuple[Progress, Outcome]:
    """The progress with the file's answers: new ones added, newer ones replacing older ones."""
    from foracheck.dates import local_now

    outcome = Outcome()
    now = local_now()
    for list_id, answers in incoming.answers.items():
        for item_id, answer in answers.items():
            where = f"{list_id} {item_id}"
            saved = progress.answer(list_id, item_id)
            if saved == answer:
                outcome.unchanged += 1
                continue
            if saved is not None and _moment(saved, now) >= _moment(answer, now):
                outcome.kept.append(where)
                continue
            (outcome.replaced if saved is not None else outcome.added).append(where)
            progress = progress.with_answer(known[list_id], item_id, answer)
    return _with_surgery_date(progress, incoming.surgery_date, outcome), outcome


def _with_surgery_date(progress: Progress, imported: date | None, outcome: Outcome) -> Progress:
    """A saved surgery date is kept; the file's is taken only where none is saved."""
    if imported is None or imported == progress.surgery_date:
        return progress
    if progress.surgery_date is not None:
        outcome.kept_date = (progress.surgery_date, imported)
        return progress
    outcome.set_date = imported
    return dataclasses.replace(progress, surgery_date=imported)


# -- the command ----------------------------------------------------------------------


def import_file(
    locations: Locations,
    checklists: Sequence[Checklist],
    path: Path,
    dry_run: bool,
    by: str | None = None,
) -> str:
    """Read, check, merge and (unless ``dry_run``) save; returns what changed, in words."""
    incoming, versions = parse(read_file(path), path, by)
    known = check(incoming, versions, checklists, path)
    with open_for_writing(locations, "import") as writer:
        merged, outcome = merge(writer.progress, incoming, known)
        if outcome.changed and not dry_run:
            writer.save(merged)
    return describe(outcome, incoming, dry_run)


def received_progress(checklists: Sequence[Checklist], path: Path) -> Progress:
    """What a received file holds, as progress of its own, for ``print --from``: read and
    checked exactly as ``import`` does (the same sentences), and never saved anywhere."""
    incoming, versions = parse(read_file(path), path)
    known = check(incoming, versions, checklists, path)
    progress, _outcome = merge(Progress(), incoming, known)
    return progress


def _counted(number: int, what: str, first: bool) -> str:
    """ "3 answers added" (the first count names the answers), "1 replaced by a newer one"."""
    if first:
        words = ngettext("{count} answer {what}", "{count} answers {what}", number)
    else:
        words = _("{count} {what}")
    return words.format(count=number, what=what)


def summary(outcome: Outcome) -> str:
    """ "3 answers added, 1 replaced by a newer one, 2 kept because yours are newer"."""
    added, replaced, kept = len(outcome.added), len(outcome.replaced), len(outcome.kept)
    counts = [
        (added, ngettext("added", "added", added)),
        (replaced, ngettext("replaced by a newer one", "replaced by a newer one", replaced)),
        (
            kept,
            ngettext(
                "kept because yours are as new or newer",
                "kept because yours are as new or newer",
                kept,
            ),
        ),
        (outcome.unchanged, ngettext("already saved", "already saved", outcome.unchanged)),
    ]
    present = [(number, what) for number, what in counts if number]
    parts = [_counted(number, what, index == 0) for index, (number, what) in enumerate(present)]
    return ", ".join(parts) if parts else _("no answers")


def _date_sentence(outcome: Outcome, dry_run: bool) -> str | None:
    """What happened (or would happen) to the surgery date, if anything."""
    if outcome.kept_date is not None:
        yours, theirs = outcome.kept_date
        if dry_run:
            message = _(
                "Would have kept your surgery date {yours} (the file has {theirs}; "
                "change it with: {command})."
            )
        else:
            message = _(
                "Also kept your surgery date {yours} (the file has {theirs}; "
                "change it with: {command})."
            )
        change = command("date", date_format())
        return message.format(yours=yours.isoformat(), theirs=theirs.isoformat(), command=change)
    if outcome.set_date is not None:
        if dry_run:
            message = _("Would have set the surgery date to {date}.")
        else:
            message = _("Also set the surgery date to {date}.")
        return message.format(date=outcome.set_date.isoformat())
    return None


def _untimed_sentence(count: int) -> str | None:
    """That answers without a time of their own took the response's ``authored``."""
    if not count:
        return None
    return ngettext(
        "{count} answer had no time of its own, so it took the time the response was "
        "written (authored).",
        "{count} answers had no time of their own, so they took the time the response was "
        "written (authored).",
        count,
    ).format(count=count)


def describe(outcome: Outcome, incoming: Incoming, dry_run: bool) -> str:
    """The summary line, then the ids of what changed or was kept (never an answer)."""
    if dry_run:
        head = _("Would import from {kind}: {summary}.")
    else:
        head = _("Imported from {kind}: {summary}.")
    lines = [head.format(kind=_(incoming.kind), summary=summary(outcome))]
    for sentence in (_untimed_sentence(incoming.untimed), _date_sentence(outcome, dry_run)):
        if sentence:
            lines.append(sentence)
    for label, wheres in (
        (_("added: {where}"), outcome.added),
        (_("replaced: {where}"), outcome.replaced),
        (_("kept yours: {where}"), outcome.kept),
    ):
        lines += ["  " + label.format(where=where) for where in wheres]
    if dry_run:
        lines.append(_("Nothing was changed (--dry-run)."))
    elif not outcome.changed:
        lines.append(_("Nothing needed to change."))
    return "\n".join(lines)
