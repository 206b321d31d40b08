"""FHIR export: goldens, an R4 validator and our own checks on every output, the mapping.

Every Bundle these tests make passes FHIR.js (see ``fhir_validator``) and the
rules FHIR.js does not check (``fhir_checks``); seeded broken Bundles prove
that the two together reject what a hospital's validator would.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import fhir_checks
import fhir_validator
import pytest
from fhir_validator import FhirJs
from helpers import DATA, GOLDEN, run_here
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_helpers import (
    ANSWERED_AT,
    HOSTILE_ANSWERS,
    NOW,
    answered,
    bundled,
    check_golden,
    filled,
    hostile,
    invoke,
    load,
    rendered,
)

from foracheck.model import (
    ANSWERERS,
    Answer,
    Checklist,
    InvalidAnswerError,
    Item,
    Progress,
    parse_answer,
)
from foracheck.render import Options, render
from foracheck.render.fhir import (
    ANSWERED_AT as ANSWERED_AT_URL,
)
from foracheck.render.fhir import (
    ANSWERED_BY,
    ITEM_CONTROL,
    TASK_ANSWERS,
    TELL_SURGEON,
)

CLINIC = DATA / "clinic-fhir.yaml"
Json = Any


@pytest.fixture(scope="session")
def fhir_js() -> Iterator[FhirJs]:
    """FHIR.js for the session; skips (or fails on CI) when it cannot run here."""
    try:
        validator = fhir_validator.start()
    except fhir_validator.Unavailable as error:
        if os.environ.get(fhir_validator.REQUIRE_ENV) == "1":
            pytest.fail(f"FHIR.js is required ({fhir_validator.REQUIRE_ENV}=1): {error}")
        pytest.skip(f"the R4 validator FHIR.js cannot run here: {error}")
    yield validator
    validator.close()


def assert_valid(fhir_js: FhirJs, bundle: Json) -> None:
    """FHIR.js finds no error or warning, and our own checks find nothing."""
    assert fhir_js.problems(bundle) == []
    assert fhir_checks.problems(bundle) == []


def export(checklists: list[Checklist], progress: Progress, blank: bool = False) -> Json:
    return json.loads(render("export", "fhir", checklists, progress, Options(NOW, blank)))


def resources(bundle: Json, kind: str) -> list[Json]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def by_link(items: list[Json]) -> dict[str, Json]:
    return {item["linkId"]: item for item in items}


def extensions(element: Json) -> dict[str, Json]:
    return {ext["url"]: ext for ext in element.get("extension", [])}


# --- every output: goldens, FHIR.js, our checks ------------------------------------


CASES = [
    ("bundled", "blank"),
    ("bundled", "filled"),
    ("hostile", "empty"),
    ("hostile", "filled"),
    ("hostile", "blank"),
]


def golden_case(lists: str, state: str) -> Path:
    return GOLDEN / f"export-fhir-{lists}-{state}.json"


@pytest.mark.parametrize(("lists", "state"), CASES)
def test_golden_and_our_checks(lists: str, state: str) -> None:
    text = rendered("export", "fhir", lists, state)
    check_golden(golden_case(lists, state), text)
    assert fhir_checks.problems(json.loads(text)) == []


@pytest.mark.parametrize(("lists", "state"), CASES)
def test_golden_passes_fhir_js(fhir_js: FhirJs, lists: str, state: str) -> None:
    assert fhir_js.problems(json.loads(golden_case(lists, state).read_text("utf-8"))) == []


def test_a_clinic_list_exported_by_real_commands_is_valid(
    fhir_js: FhirJs, capsys: pytest.CaptureFixture[str]
) -> None:
    def mark(item_id: str, *answer: str) -> None:
        assert (
            invoke(capsys, "--checklists", str(CLINIC), "mark", "day-of", item_id, *answer)[0] == 0
        )

    def exported() -> list[str]:
        done = run_here("--checklists", str(CLINIC), "export", "day-of", "--format", "fhir")
        assert (done.returncode, done.stderr) == (0, "")
        bundle = json.loads(done.stdout)
        assert_valid(fhir_js, bundle)
        return list(by_link(resources(bundle, "QuestionnaireResponse")[0]["item"]))

    for item_id, answer in [
        ("arrive-early", "not-yet"),
        ("has-ride", "no"),
        ("ride-booked", "done"),
        ("ride-confirmed", "yes"),
    ]:
        mark(item_id, answer)
    mark("why-late", "The bus", "--note", "Line 1\nLine 2")
    mark("ride-number", "A-123")
    chain = ["ride-booked", "ride-confirmed", "ride-number"]
    assert exported() == ["arrive-early", "why-late", "has-ride", *chain]
    mark("has-ride", "yes")  # the chain of three follow-ups no longer applies
    assert exported() == ["arrive-early", "why-late", "has-ride"]


def test_same_progress_same_bytes_apart_from_the_timestamp() -> None:
    checklists = bundled()
    progress = filled(checklists)
    first = render("export", "fhir", checklists, progress, Options(NOW)).splitlines()
    later = Options(NOW + timedelta(hours=5))
    second = render("export", "fhir", checklists, progress, later).splitlines()
    assert [(a, b) for a, b in zip(first, second, strict=True) if a != b] == [
        (
            '  "timestamp": "2025-03-01T09:30:00+01:00",',
            '  "timestamp": "2025-03-01T14:30:00+01:00",',
        )
    ]


def typable(text: str) -> bool:
    """An answer the walk or ``mark`` could have stored (others are never shown)."""
    try:
        return parse_answer(Item("t", "text", "T"), text) == text
    except InvalidAnswerError:
        return False


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(min_size=1, max_size=60).filter(typable), note=st.none() | st.text(max_size=60))
def test_any_answer_and_note_is_valid_and_kept(
    fhir_js: FhirJs, text: str, note: str | None
) -> None:
    checklists = hostile()
    progress = answered(checklists, {"hostile": [("question", "yes", note), ("which", text, note)]})
    bundle = export(checklists, progress)
    assert_valid(fhir_js, bundle)
    (response,) = resources(bundle, "QuestionnaireResponse")
    which = by_link(response["item"])["which"]["answer"][0]
    assert which["valueString"] == text
    kept = which["item"][0]["answer"][0]["valueString"] if "item" in which else None
    assert kept == (note if note and note.strip() else None)


# --- the Questionnaire ----------------------------------------------------------------


def test_blank_is_the_questionnaires_alone_as_in_a_filled_export() -> None:
    checklists = bundled()
    blank = export(checklists, filled(checklists), blank=True)
    kinds = [entry["resource"]["resourceType"] for entry in blank["entry"]]
    assert kinds == ["Questionnaire"] * len(checklists)
    assert [e for e in export(checklists, filled(checklists))["entry"] if e in blank["entry"]] == (
        blank["entry"]
    )


def test_each_list_is_a_questionnaire_named_by_its_content_hash() -> None:
    checklists = hostile()
    (form,) = resources(export(checklists, Progress(), blank=True), "Questionnaire")
    assert form["url"] == "https://foracheck.invalid/fhir/Questionnaire/hostile"
    assert form["version"] == checklists[0].content_hash()
    assert (form["title"], form["status"]) == (checklists[0].title, "active")
    assert form["description"].startswith("\\- Not a list item, and 1. not a number.\\\n")
    assert [item["linkId"] for item in form["item"]] == [item.id for item in checklists[0].items]


def test_item_types_answer_options_and_conditions() -> None:
    (form,) = resources(export(hostile(), Progress(), blank=True), "Questionnaire")
    items = by_link(form["item"])
    task, question, which = items["star-task"], items["question"], items["which"]
    assert (task["type"], question["type"], which["type"]) == ("choice", "boolean", "string")
    assert [option["valueCoding"] for option in task["answerOption"]] == [
        {"system": TASK_ANSWERS, "code": "done", "display": "done"},
        {"system": TASK_ANSWERS, "code": "not-yet", "display": "not yet"},
        {"system": TASK_ANSWERS, "code": "skip", "display": "does not apply"},
    ]
    assert which["maxLength"] == 500
    assert which["enableWhen"] == [{"question": "question", "operator": "=", "answerBoolean": True}]
    assert "enableWhen" not in question and "required" not in question
    assert task["item"] == [{"linkId": "star-task.note", "text": "Note", "type": "text"}]


def test_a_task_condition_is_a_coding_and_details_are_help_children() -> None:
    (form,) = resources(export(load(CLINIC), Progress(), blank=True), "Questionnaire")
    items = by_link(form["item"])
    (condition,) = items["why-late"]["enableWhen"]
    assert condition["answerCoding"]["code"] == "not-yet"
    details, note = items["has-ride"]["item"]
    assert details["type"] == "display" and details["linkId"] == "has-ride.details"
    assert details["text"] == "You cannot drive yourself home after surgery."
    control = extensions(details)[ITEM_CONTROL]["valueCodeableConcept"]["coding"][0]
    assert (control["system"], control["code"]) == (
        "http://hl7.org/fhir/questionnaire-item-control",
        "help",
    )
    assert note["linkId"] == "has-ride.note"


def with_critical(checklist: Checklist, item_id: str) -> Checklist:
    items = tuple(
        dataclasses.replace(item, critical=True) if item.id == item_id else item
        for item in checklist.items
    )
    return dataclasses.replace(checklist, items=items)


def test_critical_steps_are_required(fhir_js: FhirJs) -> None:
    checklist = with_critical(hostile()[0], "leading-hash")
    progress = answered([checklist], {"hostile": [("leading-hash", "done", None)]})
    bundle = export([checklist], progress)
    required = [
        item["linkId"]
        for item in resources(bundle, "Questionnaire")[0]["item"]
        if item.get("required")
    ]
    assert required == ["leading-hash"]
    assert_valid(fhir_js, bundle)


# --- the QuestionnaireResponse ---------------------------------------------------------


def test_answers_notes_and_extensions(fhir_js: FhirJs) -> None:
    checklists = hostile()
    bundle = export(checklists, filled(checklists))
    form, response = bundle["entry"][0]["resource"], bundle["entry"][1]["resource"]
    assert response["questionnaire"] == f"{form['url']}|{form['version']}"
    items = by_link(response["item"])
    star = items["star-task"]["answer"][0]
    assert star["valueCoding"] == {"system": TASK_ANSWERS, "code": "done", "display": "done"}
    assert extensions(star) == {
        ANSWERED_AT_URL: {"url": ANSWERED_AT_URL, "valueDateTime": ANSWERED_AT}
    }
    (note,) = star["item"]
    assert (note["linkId"], note["text"]) == ("star-task.note", "Note")
    assert note["answer"] == [{"valueString": HOSTILE_ANSWERS[0][2]}]
    assert items["question"]["answer"][0]["valueBoolean"] is True
    assert extensions(items["question"])[TELL_SURGEON]["valueBoolean"] is True
    assert TELL_SURGEON not in extensions(items["star-task"])
    assert items["which"]["answer"][0]["valueString"].startswith("Warfarin_5mg *daily*")
    assert items["which"]["text"] == by_link(form["item"])["which"]["text"]
    assert "dashes" not in items  # unanswered items are left out
    assert ANSWERED_BY not in json.dumps(bundle)


def test_who_answered_is_an_extension_only_when_not_the_patient(fhir_js: FhirJs) -> None:
    checklists = hostile()
    progress = Progress(
        answers={
            "hostile": {
                "star-task": Answer("done", ANSWERED_AT, by="caregiver"),
                "leading-hash": Answer("done", ANSWERED_AT, by="patient"),
                "numbered": Answer("done", ANSWERED_AT),
            }
        }
    )
    bundle = export(checklists, progress)
    assert_valid(fhir_js, bundle)
    items = by_link(resources(bundle, "QuestionnaireResponse")[0]["item"])
    assert extensions(items["star-task"]["answer"][0])[ANSWERED_BY]["valueCode"] == "caregiver"
    assert ANSWERED_BY not in extensions(items["leading-hash"]["answer"][0])
    assert ANSWERED_BY not in extensions(items["numbered"]["answer"][0])


def test_status_and_authored_follow_the_answers(fhir_js: FhirJs) -> None:
    checklists = load(CLINIC)

    def response_for(answers: list[tuple[str, str, str]]) -> Json:
        progress = Progress(
            answers={"day-of": {item: Answer(value, when) for item, value, when in answers}}
        )
        bundle = export(checklists, progress)
        assert_valid(fhir_js, bundle)
        return resources(bundle, "QuestionnaireResponse")[0]

    empty = response_for([])
    assert empty["status"] == "in-progress" and "authored" not in empty and "item" not in empty
    resolved = [
        ("arrive-early", "done", "2025-02-27T18:05:00+01:00"),
        ("has-ride", "yes", "2025-02-27T17:30:00+00:00"),  # the latest, in another offset
        ("bring-list", "skip", "2025-02-27T18:20:00+01:00"),
    ]
    done = response_for(resolved)
    assert (done["status"], done["authored"]) == ("completed", "2025-02-27T17:30:00+00:00")
    assert response_for([*resolved[1:], ("arrive-early", "not-yet", ANSWERED_AT)])["status"] == (
        "in-progress"
    )


def test_follow_ups_whose_condition_is_not_met_are_left_out(fhir_js: FhirJs) -> None:
    checklists = hostile()
    progress = answered(checklists, {"hostile": [("question", "no", None), ("which", "x", None)]})
    bundle = export(checklists, progress)
    assert_valid(fhir_js, bundle)
    assert list(by_link(resources(bundle, "QuestionnaireResponse")[0]["item"])) == ["question"]


def test_no_patient_identity_or_surgery_date_leaves_the_machine() -> None:
    checklists = bundled()
    text = render("export", "fhir", checklists, filled(checklists), Options(NOW))
    for response in resources(json.loads(text), "QuestionnaireResponse"):
        assert not {"subject", "encounter", "identifier"} & set(response)
        for who in ("author", "source"):  # a kind of person, never a person
            assert set(response.get(who, {})) <= {"type", "display"}
            assert response.get(who, {}).get("display", "patient") in ANSWERERS
    assert "2025-03-14" not in text  # the saved surgery date


# --- export --blank through the command line -------------------------------------------


def test_export_blank_means_no_answers_in_every_format() -> None:
    assert run_here("mark", "week-before", "ask-about-blood-thinners", "done").returncode == 0
    fhir = run_here("export", "--format", "fhir", "--blank")
    assert (fhir.returncode, fhir.stderr) == (0, "")
    assert {e["resource"]["resourceType"] for e in json.loads(fhir.stdout)["entry"]} == {
        "Questionnaire"
    }
    data = json.loads(run_here("export", "--format", "json", "--blank").stdout)
    assert data["surgery_date"] is None
    assert all(item["answer"] is None for c in data["checklists"] for item in c["items"])
    markdown = run_here("export", "--blank").stdout
    assert "- [x]" not in markdown and "- [ ] " in markdown
    refused = run_here("export", "--blank", "--require-complete")
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == (
        "--blank exports no answers, so --require-complete has nothing to check.\n"
    )


# --- the validator set-up catches real errors -------------------------------------------

Seed = Callable[[Json], None]


def _form(bundle: Json) -> Json:
    return bundle["entry"][0]["resource"]


def _response(bundle: Json) -> Json:
    return bundle["entry"][1]["resource"]


def _answer_of(bundle: Json, link: str) -> Json:
    return by_link(_response(bundle)["item"])[link]["answer"][0]


def _two_conditions(bundle: Json) -> None:
    which = by_link(_form(bundle)["item"])["which"]
    which["enableWhen"].append(
        {"question": "star-task", "operator": "exists", "answerBoolean": True}
    )


def _completed_without_a_required_answer(bundle: Json) -> None:
    by_link(_form(bundle)["item"])["dashes"]["required"] = True
    _response(bundle)["status"] = "completed"


def _note_beside_the_answer(bundle: Json) -> None:
    star = by_link(_response(bundle)["item"])["star-task"]
    star["item"] = star["answer"][0].pop("item")


# name -> (what breaks it, who must catch it: "FHIR.js" or "ours")
SEEDS: dict[str, tuple[Seed, str]] = {
    "unknown property": (lambda b: _form(b)["item"][0].update(colour="red"), "FHIR.js"),
    "unknown item type": (lambda b: _form(b)["item"][0].update(type="checkbox"), "FHIR.js"),
    "required as text": (lambda b: _form(b)["item"][0].update(required="yes"), "FHIR.js"),
    "no linkId": (lambda b: _response(b)["item"][0].pop("linkId"), "FHIR.js"),
    "no Questionnaire status": (lambda b: _form(b).pop("status"), "FHIR.js"),
    "unknown Bundle type": (lambda b: b.update(type="bag"), "FHIR.js"),
    "unknown response status": (lambda b: _response(b).update(status="done"), "FHIR.js"),
    "boolean as text": (lambda b: _answer_of(b, "question").update(valueBoolean="true"), "FHIR.js"),
    "empty object": (lambda b: _response(b).update(meta={}), "ours"),
    "empty array": (lambda b: _answer_of(b, "star-task").update(item=[]), "ours"),
    "blank string": (lambda b: _form(b).update(title="  "), "ours"),
    "two values in one answer": (
        lambda b: _answer_of(b, "question").update(valueString="y"),
        "ours",
    ),
    "disabled item present": (
        lambda b: _answer_of(b, "question").update(valueBoolean=False),
        "ours",
    ),
    "duplicate linkId": (lambda b: _form(b)["item"][1].update(linkId="star-task"), "ours"),
    "two enableWhen, no enableBehavior": (_two_conditions, "ours"),
    "code not an answerOption": (
        lambda b: _answer_of(b, "star-task")["valueCoding"].update(code="maybe"),
        "ours",
    ),
    "text differs": (lambda b: _response(b)["item"][0].update(text="Other words"), "ours"),
    "completed, required unanswered": (_completed_without_a_required_answer, "ours"),
    "note beside the answer": (_note_beside_the_answer, "ours"),
    "unknown Questionnaire version": (
        lambda b: _response(b).update(questionnaire=_response(b)["questionnaire"] + "x"),
        "ours",
    ),
}


@pytest.fixture(scope="module")
def valid_bundle() -> Json:
    checklists = hostile()
    return export(checklists, filled(checklists))


def test_the_unbroken_seed_is_valid(fhir_js: FhirJs, valid_bundle: Json) -> None:
    assert_valid(fhir_js, valid_bundle)


@pytest.mark.parametrize("name", list(SEEDS))
def test_a_broken_bundle_is_rejected(
    request: pytest.FixtureRequest, valid_bundle: Json, name: str
) -> None:
    breaker, catcher = SEEDS[name]
    broken = copy.deepcopy(valid_bundle)
    breaker(broken)
    assert broken != valid_bundle
    if catcher == "FHIR.js":
        found = request.getfixturevalue("fhir_js").problems(broken)
    else:
        found = fhir_checks.problems(broken)
    assert found, f"{catcher} did not notice: {name}"


def test_the_validator_lock_pins_fhir_js_4() -> None:
    lock = json.loads((fhir_validator.FHIR_DIR / "package-lock.json").read_text("utf-8"))
    assert lock["packages"]["node_modules/fhir"]["version"].startswith("4.")
    assert (
        Path(fhir_validator.FHIR_DIR / ".." / ".." / ".gitignore")
        .read_text()
        .count("tests/fhir/node_modules/")
        == 1
    )


def test_only_fhir_js_false_alarm_on_a_false_answer_is_let_through(fhir_js: FhirJs) -> None:
    form = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [
            {"linkId": "a", "type": "boolean"},
            {
                "linkId": "b",
                "type": "boolean",
                "enableWhen": [{"question": "a", "operator": "=", "answerBoolean": False}],
            },
        ],
    }
    assert any("Missing property" in m["message"] for m in fhir_js.messages(form))
    assert fhir_js.problems(form) == []
    del form["item"][1]["enableWhen"][0]["answerBoolean"]
    assert fhir_js.problems(form) != []
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": form}]}
    assert fhir_js.problems(bundle) != []


@pytest.mark.parametrize(("lists", "state"), CASES)
def test_every_resource_has_a_generated_narrative_so_dom_6_never_warns(
    lists: str, state: str
) -> None:
    import xml.etree.ElementTree as ElementTree

    bundle = json.loads(golden_case(lists, state).read_text("utf-8"))
    for entry in bundle["entry"]:
        resource = entry["resource"]
        narrative = resource["text"]
        assert narrative["status"] == "generated"
        div = ElementTree.fromstring(narrative["div"])  # well-formed XHTML
        assert div.tag == "{http://www.w3.org/1999/xhtml}div"
        words = "".join(div.itertext())
        if resource["resourceType"] == "Questionnaire":
            assert resource["title"] in words
            assert all(" ".join(item["text"].split()) in words for item in resource["item"])
        else:
            for item in resource.get("item", []):
                assert " ".join(item["text"].split()) in words


@pytest.mark.parametrize("name", ["", "week-before", "tell-your-surgeon|3", "é" * 300, "\u2066x"])
def test_the_stable_uuid_is_uuid5_to_the_bit(name: str) -> None:
    """The Bundle's urn:uuid comes from CPython's own SHA-1 (hashlib would load OpenSSL);
    it must stay exactly ``uuid.uuid5``, or every export's fullUrl would change."""
    import uuid

    from foracheck.render.fhir import _uuid5

    assert _uuid5(uuid.NAMESPACE_URL, name) == uuid.uuid5(uuid.NAMESPACE_URL, name)


def test_each_entry_keeps_its_full_url_as_the_answers_change() -> None:
    """A list's Questionnaire and the response to it are named by the list and its
    version, not by the answers: a receiving system sees the same response again."""
    import json

    checklists = bundled()

    def urls(progress: Progress) -> list[str]:
        bundle = json.loads(render("export", "fhir", checklists, progress, Options(NOW)))
        return [entry["fullUrl"] for entry in bundle["entry"]]

    empty, answered = urls(Progress()), urls(filled(checklists))
    assert empty == answered
    assert len(set(answered)) == len(answered) == 2 * len(checklists)
