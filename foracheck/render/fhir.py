"""FHIR R4 (4.0.1) for EHRs and form renderers: ``export --format fhir``.

One Bundle of type ``collection``: per list, a Questionnaire (every item, with
``enableWhen`` for follow-ups) and the QuestionnaireResponse that answers it,
holding only the items that apply, as FHIR SDC requires. ``--blank`` gives the
Questionnaires alone. The README's FHIR section is the mapping's documentation;
``tests/test_render_fhir.py`` checks every output with an R4 validator.

The output is deterministic: same lists and answers, same bytes, apart from the
Bundle's timestamp (the ``fullUrl`` UUIDs are derived from each resource).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from foracheck.model import (
    ANSWER_LABELS,
    BASE_LANGUAGE,
    DEFAULT_ANSWERER,
    MAX_TEXT_ANSWER,
    STORED_ANSWERS,
    Answer,
    Checklist,
    Item,
    Progress,
    ShowIf,
    is_text_answer,
)
from foracheck.render import Options
from foracheck.render.content import Row, export_time, exported_rows
from foracheck.render.json_format import dumps
from foracheck.render.markdown import escape
from foracheck.safetext import json_safe
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
# Child items get linkIds with a dot, which item ids can never contain.
DETAILS_SUFFIX = ".details"
NOTE_SUFFIX = ".note"
ALERT_SUFFIX = ".alert"  # a display child: the alert's sentence, shown for its answer
NOTE_TEXT = "Note"
# Fixed, so that the same resource always gets the same urn:uuid.
_UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)


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


def _item_texts(others: list[Checklist], item: Item, details: bool = False) -> Translations:
    """An item's text (or details) in each translation."""
    texts: Translations = []
    for other in others:
        translated = other.item(item.id)
        words = None if translated is None else translated.details if details else translated.text
        if words and words.strip():
            texts.append((other.language, words))
    return texts


def _details(item: Item, others: list[Checklist]) -> list[dict[str, Any]]:
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


def _alert(item: Item, others: list[Checklist]) -> list[dict[str, Any]]:
    """An alert as a display child shown only when its answer is given (enableWhen)."""
    if item.alert is None:
        return []
    display: dict[str, Any] = {"linkId": item.id + ALERT_SUFFIX}
    texts: Translations = []
    for other in others:
        translated = other.item(item.id)
        if translated is not None and translated.alert is not None:
            texts.append((other.language, translated.alert.text))
    _with_text(display, "text", item.alert.text, texts)
    display["type"] = "display"
    kind, value = _typed_value(item, item.alert.answer)
    display["enableWhen"] = [{"question": item.id, "operator": "=", f"answer{kind}": value}]
    return [display]


def _note_question(item: Item) -> dict[str, Any]:
    """Where a note goes: a free-text child, answered under the item's answer."""
    return {"linkId": item.id + NOTE_SUFFIX, "text": NOTE_TEXT, "type": "text"}


def _question(checklist: Checklist, item: Item, others: list[Checklist]) -> dict[str, Any]:
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


def _translations(checklist: Checklist) -> list[Checklist]:
    """The list in each translation's words, in language order (none without any)."""
    others = (checklist.in_language(w.language) for w in checklist.wordings)
    return [other for other in others if other is not None and other.language != BASE_LANGUAGE]


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
    return datetime.fromisoformat(text).isoformat()


def _answer_extensions(answer: Answer) -> list[dict[str, Any]]:
    extensions: list[dict[str, Any]] = [
        {"url": ANSWERED_AT, "valueDateTime": _fhir_time(answer.answered_at)}
    ]
    if answer.by != DEFAULT_ANSWERER:
        extensions.append({"url": ANSWERED_BY, "valueCode": answer.by})
    return extensions


def _answer(item: Item, answer: Answer) -> dict[str, Any]:
    kind, value = _typed_value(item, answer.value)
    result: dict[str, Any] = {"extension": _answer_extensions(answer), f"value{kind}": value}
    if answer.note and answer.note.strip():
        note = {"valueString": answer.note}
        result["item"] = [{"linkId": item.id + NOTE_SUFFIX, "text": NOTE_TEXT, "answer": [note]}]
    return result


def _response_item(row: Row, answer: Answer) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if row.tell_surgeon:
        entry["extension"] = [{"url": TELL_SURGEON, "valueBoolean": True}]
    entry.update(linkId=row.item.id, text=row.item.text, answer=[_answer(row.item, answer)])
    return entry


def _authored(answers: Sequence[Answer]) -> str | None:
    """The time of the latest answer: when this response last changed."""
    times = [datetime.fromisoformat(answer.answered_at) for answer in answers]
    return max(times).isoformat() if times else None


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
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical(checklist),
        "status": "completed" if all(row.resolved for row in rows) else "in-progress",
    }
    authored = _authored([answer for _, answer in answered])
    if authored is not None:
        resource["authored"] = authored
    if answered:
        resource["item"] = [_response_item(row, answer) for row, answer in answered]
    return resource


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    """A Bundle entry whose urn:uuid is derived from the resource, so it is stable."""
    content = json_safe(json.dumps(resource, sort_keys=True, ensure_ascii=False))
    return {"fullUrl": f"urn:uuid:{uuid.uuid5(_UUID_NAMESPACE, content)}", "resource": resource}


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
