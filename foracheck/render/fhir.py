"""FHIR R4 (4.0.1) for EHRs and form renderers: ``export --format fhir``.

One Bundle of type ``collection``: per list, a Questionnaire (every item, with
``enableWhen`` for follow-ups) and the QuestionnaireResponse that answers it,
holding only the items that apply, as FHIR SDC requires. ``--blank`` gives the
Questionnaires alone. docs/fhir.md is the mapping's documentation;
``tests/test_render_fhir.py`` checks every output with an R4 validator.

Every resource carries a generated narrative (``text``: the list, or the answers,
as XHTML), so that validators give no dom-6 warning and a person reading the file
in an EHR's viewer sees the content. Who answered travels as R4 has it: the
response's ``author`` and ``source`` (whoever gave most of its answers), and an
extension on each answer given by someone else.

The output is deterministic: same lists and answers, same bytes, apart from the
Bundle's timestamp (each ``fullUrl`` UUID is derived from the list and its version).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from foracheck.model import (
    ANSWER_LABELS,
    ANSWERERS,
    BASE_LANGUAGE,
    MAX_TEXT_ANSWER,
    STORED_ANSWERS,
    Answer,
    Checklist,
    Item,
    Progress,
    ShowIf,
    Wording,
    is_text_answer,
)
from foracheck.presentation import Row, export_time, exported_rows
from foracheck.render import Options
from foracheck.render.json_format import dumps
from foracheck.render.markdown_escape import escape
from foracheck.translation import in_base_words

# A text's translations: (language code, the words), in language order.
Translations = list[tuple[str, str]]

# Our own URLs: the project has no web site, so they sit under the reserved
# ".invalid" domain, as the JSON Schema's $id does. They are names, not addresses.
BASE = "https://foracheck.invalid/fhir"
TASK_ANSWERS = f"{BASE}/CodeSystem/task-answer"
TELL_SURGEON = f"{BASE}/StructureDefinition/tell-surgeon"
ANSWERED_AT = f"{BASE}/StructureDefinition/answered-at"
ANSWERED_BY = f"{BASE}/StructureDefinition/answered-by"
# HL7's own: a display child shown behind a help button (SDC), and a text's
# translation (on the text's ``_text`` twin: a language code and the words).
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_CODES = "http://hl7.org/fhir/questionnaire-item-control"

ITEM_TYPES = {"task": "choice", "yesno": "boolean", "text": "string"}
# Who answered, as the resource type an R4 Reference to them would name; read back too.
AUTHOR_TYPES = {"patient": "Patient", "caregiver": "RelatedPerson", "clinician": "Practitioner"}
REFERENCE_TYPES = {
    **{kind: who for who, kind in AUTHOR_TYPES.items()},
    "PractitionerRole": "clinician",
}
XHTML = "http://www.w3.org/1999/xhtml"
# Child items get linkIds with a dot, which item ids can never contain.
DETAILS_SUFFIX = ".details"
NOTE_SUFFIX = ".note"
ALERT_SUFFIX = ".alert"  # a display child: the alert's sentence, shown for its answer
NOTE_TEXT = "Note"


def _uuid5(namespace: uuid.UUID, name: str) -> uuid.UUID:
    """``uuid.uuid5`` to the bit, from CPython's own SHA-1 module: ``uuid5`` imports
    hashlib, which loads OpenSSL, a few milliseconds of every FHIR export."""
    import importlib

    data = namespace.bytes + name.encode("utf-8")
    try:
        digest: bytes = importlib.import_module("_sha1").sha1(data).digest()
    except ImportError:  # another Python: hashlib's is the same function
        from hashlib import sha1

        digest = sha1(data).digest()
    return uuid.UUID(bytes=digest[:16], version=5)


# Fixed, so that the same resource always gets the same urn:uuid.
_UUID_NAMESPACE = _uuid5(uuid.NAMESPACE_URL, BASE)


def canonical_url(checklist: Checklist) -> str:
    """The Questionnaire's canonical URL; its version is the list's content hash."""
    return f"{BASE}/Questionnaire/{checklist.id}"


def canonical(checklist: Checklist) -> str:
    """``url|version``: how a QuestionnaireResponse names the exact list it answers."""
    return f"{canonical_url(checklist)}|{checklist.content_hash()}"


def _coding(code: str) -> dict[str, str]:
    return {"system": TASK_ANSWERS, "code": code, "display": ANSWER_LABELS[code]}


def _typed_value(item: Item, value: str) -> tuple[str, Any]:
    """A stored answer as FHIR types it: the [x] suffix and the value."""
    if item.type == "task":
        return "Coding", _coding(value)
    if item.type == "yesno":
        return "Boolean", value == "yes"
    return "String", value


def _narrative(title: str, lines: Sequence[str]) -> dict[str, str]:
    """A generated narrative: the title and one list entry per line, as FHIR's XHTML
    subset allows (no scripts, no styles, no links)."""
    entries = "".join(f"<li>{_xhtml(line)}</li>" for line in lines)
    listed = f"<ul>{entries}</ul>" if entries else ""
    div = f'<div xmlns="{XHTML}"><p><b>{_xhtml(title)}</b></p>{listed}</div>'
    return {"status": "generated", "div": div}


def _xhtml(text: str) -> str:
    """Text as XHTML character data, its line breaks as spaces."""
    words = " ".join(text.split())  # (not html.escape: its import is a cost every export pays)
    return words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _enable_when(checklist: Checklist, condition: ShowIf) -> dict[str, Any]:
    """``show_if`` as FHIR checks it (the loader guarantees the parent exists)."""
    parent = checklist.item(condition.item)
    assert parent is not None
    kind, value = _typed_value(parent, condition.answer)
    return {"question": parent.id, "operator": "=", f"answer{kind}": value}


def _translated(texts: Translations) -> dict[str, Any]:
    """A ``_text``-style twin holding each translation of a text."""
    return {
        "extension": [
            {
                "url": TRANSLATION,
                "extension": [
                    {"url": "lang", "valueCode": language},
                    {"url": "content", "valueString": words},
                ],
            }
            for language, words in texts
        ]
    }


def _with_text(element: dict[str, Any], key: str, text: str, texts: Translations) -> None:
    """Set a text and, when there are any, its translations beside it."""
    element[key] = text
    if texts:
        element[f"_{key}"] = _translated(texts)


def _item_texts(others: list[Wording], item: Item, details: bool = False) -> Translations:
    """An item's text (or details) in each translation."""
    texts: Translations = []
    for other in others:
        translated = other.item(item.id)
        words = None if translated is None else translated.details if details else translated.text
        if words and words.strip():
            texts.append((other.language, words))
    return texts


def _details(item: Item, others: list[Wording]) -> list[dict[str, Any]]:
    """The details as a display child that renderers show behind a help button."""
    if not item.details or not item.details.strip():
        return []
    control = {"coding": [{"system": ITEM_CONTROL_CODES, "code": "help", "display": "Help-Button"}]}
    display: dict[str, Any] = {
        "extension": [{"url": ITEM_CONTROL, "valueCodeableConcept": control}],
        "linkId": item.id + DETAILS_SUFFIX,
    }
    _with_text(display, "text", item.details, _item_texts(others, item, details=True))
    display["type"] = "display"
    return [display]


def _alert(item: Item, others: list[Wording]) -> list[dict[str, Any]]:
    """An alert as a display child shown only when its answer is given (enableWhen)."""
    if item.alert is None:
        return []
    display: dict[str, Any] = {"linkId": item.id + ALERT_SUFFIX}
    texts: Translations = []
    for other in others:
        translated = other.item(item.id)
        if translated is not None and translated.alert_text is not None:
            texts.append((other.language, translated.alert_text))
    _with_text(display, "text", item.alert.text, texts)
    display["type"] = "display"
    kind, value = _typed_value(item, item.alert.answer)
    display["enableWhen"] = [{"question": item.id, "operator": "=", f"answer{kind}": value}]
    return [display]


def _note_question(item: Item) -> dict[str, Any]:
    """Where a note goes: a free-text child, answered under the item's answer."""
    return {"linkId": item.id + NOTE_SUFFIX, "text": NOTE_TEXT, "type": "text"}


def _question(checklist: Checklist, item: Item, others: list[Wording]) -> dict[str, Any]:
    question: dict[str, Any] = {"linkId": item.id}
    _with_text(question, "text", item.text, _item_texts(others, item))
    question["type"] = ITEM_TYPES[item.type]
    if item.show_if is not None:
        question["enableWhen"] = [_enable_when(checklist, item.show_if)]
    if item.critical:
        question["required"] = True
    if item.type == "text":
        question["maxLength"] = MAX_TEXT_ANSWER
    if item.type == "task":
        question["answerOption"] = [
            {"valueCoding": _coding(code)} for code in STORED_ANSWERS["task"]
        ]
    question["item"] = [*_details(item, others), *_alert(item, others), _note_question(item)]
    return question


def _translations(checklist: Checklist) -> list[Wording]:
    """The list's words in each translation, in language order (none without any)."""
    return [words for words in checklist.wordings if words.language != BASE_LANGUAGE]


def questionnaire(checklist: Checklist) -> dict[str, Any]:
    """The list as a Questionnaire in its base file's words, each translation beside them.

    Whatever language foracheck speaks, the care team gets the same file.
    """
    checklist = in_base_words(checklist)
    others = _translations(checklist)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "language": BASE_LANGUAGE,
        "url": canonical_url(checklist),
        "version": checklist.content_hash(),
    }
    lines = [item.text for item in checklist.items]
    resource["text"] = _narrative(checklist.title, lines)
    _with_text(resource, "title", checklist.title, [(o.language, o.title) for o in others])
    resource["status"] = "active"
    resource["subjectType"] = ["Patient"]
    if checklist.intro and checklist.intro.strip():
        intros = [(o.language, escape(o.intro)) for o in others if o.intro and o.intro.strip()]
        _with_text(resource, "description", escape(checklist.intro), intros)
    resource["item"] = [_question(checklist, item, others) for item in checklist.items]
    return resource


def _fhir_time(text: str) -> str:
    """A stored answer time (ISO 8601 with an offset) as a FHIR dateTime."""
    from foracheck.dates import format_time

    return format_time(datetime.fromisoformat(text))


def _answer_extensions(answer: Answer, author: str) -> list[dict[str, Any]]:
    extensions: list[dict[str, Any]] = [
        {"url": ANSWERED_AT, "valueDateTime": _fhir_time(answer.answered_at)}
    ]
    if answer.by != author:
        extensions.append({"url": ANSWERED_BY, "valueCode": answer.by})
    return extensions


def _answer(item: Item, answer: Answer, author: str) -> dict[str, Any]:
    kind, value = _typed_value(item, answer.value)
    extensions = _answer_extensions(answer, author)
    result: dict[str, Any] = {"extension": extensions, f"value{kind}": value}
    if answer.note and answer.note.strip():
        note = {"valueString": answer.note}
        result["item"] = [{"linkId": item.id + NOTE_SUFFIX, "text": NOTE_TEXT, "answer": [note]}]
    return result


def _response_item(row: Row, answer: Answer, author: str) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if row.tell_surgeon:
        entry["extension"] = [{"url": TELL_SURGEON, "valueBoolean": True}]
    entry.update(linkId=row.item.id, text=row.item.text, answer=[_answer(row.item, answer, author)])
    return entry


def author_of(answers: Sequence[Answer]) -> str:
    """Who gave most of the answers (ties: patient, caregiver, clinician): the response's
    author; every answer by someone else says so in its own extension."""
    counts = Counter(answer.by for answer in answers)
    return max(ANSWERERS, key=lambda who: (counts[who], -ANSWERERS.index(who)))


def _reference(who: str) -> dict[str, str]:
    """An R4 Reference to who answered, by type (no identity: the file names no one)."""
    return {"type": AUTHOR_TYPES[who], "display": who}


def _response_line(row: Row, answer: Answer) -> str:
    """One answer in the narrative: the question, then the answer as stored."""
    value = answer.value
    return f"{row.item.text}: {ANSWER_LABELS[value] if row.item.type == 'task' else value}"


def _authored(answers: Sequence[Answer]) -> str | None:
    """The time of the latest answer: when this response last changed."""
    times = [datetime.fromisoformat(answer.answered_at) for answer in answers]
    return _fhir_time(max(times).isoformat()) if times else None


def response(checklist: Checklist, progress: Progress) -> dict[str, Any]:
    """The answers to one list: the items that apply and have an answer."""
    checklist = in_base_words(checklist)
    rows = exported_rows(checklist, progress)
    # a text item the patient does not know yet ("not-yet") is simply not answered
    answered = [
        (row, row.answer)
        for row in rows
        if row.answer is not None
        and (row.item.type != "text" or is_text_answer(row.item, row.answer))
    ]
    lines = [_response_line(row, answer) for row, answer in answered]
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "text": _narrative(checklist.title, lines),
        "questionnaire": canonical(checklist),
        "status": "completed" if all(row.resolved for row in rows) else "in-progress",
    }
    authored = _authored([answer for _, answer in answered])
    if authored is not None:
        resource["authored"] = authored
    author = author_of([answer for _, answer in answered])
    if answered:
        resource["author"] = _reference(author)
        resource["source"] = _reference(author)
        resource["item"] = [_response_item(row, answer, author) for row, answer in answered]
    return resource


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    """A Bundle entry whose urn:uuid is derived from what the resource is: a list's
    Questionnaire, or the response to it, at that version of the list. Unique in the
    Bundle (one of each per list) and the same in every export of that list version,
    so a receiving system sees the same response again as its answers change."""
    if resource["resourceType"] == "Questionnaire":
        identity = f"Questionnaire {resource['url']}|{resource['version']}"
    else:
        identity = f"QuestionnaireResponse {resource['questionnaire']}"
    return {"fullUrl": f"urn:uuid:{_uuid5(_UUID_NAMESPACE, identity)}", "resource": resource}


def bundle(checklists: Sequence[Checklist], progress: Progress, options: Options) -> dict[str, Any]:
    """The export as a JSON-ready Bundle; without responses when ``options.blank``."""
    resources: list[dict[str, Any]] = []
    for checklist in checklists:
        resources.append(questionnaire(checklist))
        if not options.blank:
            resources.append(response(checklist, progress))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": export_time(options.now),
        "entry": [_entry(resource) for resource in resources],
    }


def export(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """The export as FHIR JSON text."""
    return dumps(bundle(checklists, progress, options))
