"""Our own checks of a FHIR R4 Bundle, for the rules FHIR.js does not check.

FHIR.js checks each element's name, type, cardinality and codes, but not the
invariants (ele-1, que-*, qrs-*) nor whether a response fits its Questionnaire.
A hospital's validator checks those, so these do: ``problems`` returns one
sentence per rule broken, an empty list for a Bundle that passes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Json = Any
VALUE_TYPES = {
    "boolean": "valueBoolean",
    "choice": "valueCoding",
    "string": "valueString",
    "text": "valueString",
}


def problems(bundle: Json) -> list[str]:
    """Every rule the Bundle breaks, as sentences."""
    found = [*_empty_values(bundle, "Bundle"), *_extension_problems(bundle, "Bundle")]
    resources = [entry.get("resource", {}) for entry in bundle.get("entry", [])]
    urls = [entry.get("fullUrl") for entry in bundle.get("entry", [])]
    if len(set(urls)) != len(urls):
        found.append("Bundle: two entries share a fullUrl")
    forms = {}
    for resource in resources:
        if resource.get("resourceType") == "Questionnaire":
            forms[f"{resource.get('url')}|{resource.get('version')}"] = resource
            found += _questionnaire_problems(resource)
    for resource in resources:
        if resource.get("resourceType") == "QuestionnaireResponse":
            form = forms.get(resource.get("questionnaire"))
            if form is None:
                found.append(
                    f"{resource.get('questionnaire')}: no such Questionnaire in the Bundle"
                )
            else:
                found += _response_problems(resource, form)
    return found


def _empty_values(value: Json, where: str) -> Iterator[str]:
    """ele-1 and the JSON rules: no empty object, array or string, and no null."""
    if value is None or value in ({}, [], "") or (isinstance(value, str) and not value.strip()):
        yield f"{where}: empty value {value!r}"
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _empty_values(child, f"{where}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _empty_values(child, f"{where}[{index}]")


def _extension_problems(value: Json, where: str) -> Iterator[str]:
    """Every extension has a url and exactly one value[x] (ext-1: or nested extensions)."""
    if isinstance(value, dict):
        for extension in (
            value.get("extension", []) if isinstance(value.get("extension"), list) else []
        ):
            values = [key for key in extension if key.startswith("value")]
            if "url" not in extension or len(values) + ("extension" in extension) != 1:
                yield f"{where}: an extension without a url and exactly one value (ext-1)"
        for key, child in value.items():
            yield from _extension_problems(child, f"{where}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _extension_problems(child, f"{where}[{index}]")


def _walk(items: list[Json]) -> Iterator[Json]:
    """Every Questionnaire item, children after their parent."""
    for item in items:
        yield item
        yield from _walk(item.get("item", []))


def _questionnaire_problems(form: Json) -> list[str]:
    found = []
    items = list(_walk(form.get("item", [])))
    by_link = {item.get("linkId"): item for item in items}
    if len(by_link) != len(items):
        found.append(f"{form.get('url')}: linkIds are not unique")
    for item in items:
        link = item.get("linkId")
        conditions = item.get("enableWhen", [])
        if len(conditions) > 1 and "enableBehavior" not in item:
            found.append(f"{link}: more than one enableWhen and no enableBehavior (que-12)")
        for condition in conditions:
            question = by_link.get(condition.get("question"))
            if question is None:
                found.append(f"{link}: enableWhen names an unknown question")
            elif _answer_key(condition, "answer") != _value_key(question):
                found.append(f"{link}: enableWhen answer does not fit its question's type")
        if item.get("type") == "display" and ("item" in item or "required" in item):
            found.append(f"{link}: a display item with children or required (que-1, que-6)")
        if "answerOption" in item and item.get("type") != "choice":
            found.append(f"{link}: answerOption on a non-choice item (que-5)")
    return found


def _answer_key(element: Json, prefix: str) -> str | None:
    """The one ``answer[x]`` or ``value[x]`` key of an element, or None."""
    keys = [key for key in element if key.startswith(prefix) and key != prefix]
    return keys[0] if len(keys) == 1 else None


def _value_key(question: Json) -> str | None:
    key = VALUE_TYPES.get(question.get("type"))
    return key.replace("value", "answer", 1) if key else None


def _answers(items: list[Json]) -> Iterator[tuple[str, Json]]:
    """(linkId, answer) for every answer of a response, nested ones too."""
    for item in items:
        for answer in item.get("answer", []):
            yield item.get("linkId"), answer
            yield from _answers(answer.get("item", []))
        yield from _answers(item.get("item", []))


def _response_problems(response: Json, form: Json) -> list[str]:
    answers: dict[str, list[Json]] = {}
    for link, answer in _answers(response.get("item", [])):
        answers.setdefault(link, []).append(answer)
    found = _items_fit(response.get("item", []), form.get("item", []), answers)
    if response.get("status") == "completed":
        for item in _walk(form.get("item", [])):
            if item.get("required") and _enabled(item, answers) and item["linkId"] not in answers:
                found.append(f"{item['linkId']}: required but unanswered in a completed response")
    return found


def _items_fit(
    items: list[Json], questions: list[Json], answers: dict[str, list[Json]]
) -> list[str]:
    """Each response item matches a question at the same level, and its answers fit it."""
    by_link = {question["linkId"]: question for question in questions}
    links = [item.get("linkId") for item in items]
    found = ["linkIds repeat at one level (qrs-2)"] if len(set(links)) != len(links) else []
    for item in items:
        question = by_link.get(item.get("linkId"))
        if question is None:
            found.append(f"{item.get('linkId')}: not a question at this place in the Questionnaire")
            continue
        found += _item_fits(item, question, answers)
    return found


def _item_fits(item: Json, question: Json, answers: dict[str, list[Json]]) -> list[str]:
    link = item["linkId"]
    found = []
    if item.get("text") != question.get("text"):
        found.append(f"{link}: text differs from the Questionnaire's")
    if not _enabled(question, answers):
        found.append(f"{link}: present although its enableWhen is not met (SDC: SHALL be absent)")
    if question.get("type") == "display" and "answer" in item:
        found.append(f"{link}: a display item has an answer")
    if "answer" in item and "item" in item:
        found.append(f"{link}: children beneath both item and answer (qrs-1)")
    children = question.get("item", [])
    for answer in item.get("answer", []):
        found += _answer_fits(link, answer, question)
        found += _items_fit(answer.get("item", []), children, answers)
    found += _items_fit(item.get("item", []), children, answers)
    return found


def _answer_fits(link: str, answer: Json, question: Json) -> list[str]:
    key = _answer_key(answer, "value")
    if key is None:
        return [f"{link}: an answer without exactly one value[x]"]
    if key != VALUE_TYPES.get(question.get("type")):
        return [f"{link}: {key} does not fit a {question.get('type')} question"]
    value = answer[key]
    if key == "valueCoding":
        options = [
            (o["valueCoding"]["system"], o["valueCoding"]["code"])
            for o in question.get("answerOption", [])
        ]
        if (value.get("system"), value.get("code")) not in options:
            return [f"{link}: the coding is not one of the answerOptions"]
    if key == "valueBoolean" and not isinstance(value, bool):
        return [f"{link}: valueBoolean is not a boolean"]
    if "maxLength" in question and len(value) > question["maxLength"]:
        return [f"{link}: the answer is longer than maxLength"]
    return []


def _enabled(question: Json, answers: dict[str, list[Json]]) -> bool:
    """Whether a question's enableWhen holds, given the answers in the response."""
    conditions = question.get("enableWhen", [])
    if not conditions:
        return True
    results = [
        _holds(condition, answers.get(condition["question"], [])) for condition in conditions
    ]
    return any(results) if question.get("enableBehavior") == "any" else all(results)


def _holds(condition: Json, answers: list[Json]) -> bool:
    """One enableWhen with the '=' or 'exists' operator (others count as unmet)."""
    if condition.get("operator") not in ("=", "exists"):
        return False
    if condition.get("operator") == "exists":
        return bool(answers) == condition.get("answerBoolean")
    key = _answer_key(condition, "answer")
    if key is None:
        return False
    expected = condition[key]
    for answer in answers:
        value = answer.get(key.replace("answer", "value", 1))
        if isinstance(expected, dict) and isinstance(value, dict):
            if (value.get("system"), value.get("code")) == (
                expected.get("system"),
                expected.get("code"),
            ):
                return True
        elif value == expected:
            return True
    return False
