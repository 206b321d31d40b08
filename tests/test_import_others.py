"""``import`` of QuestionnaireResponses that other form tools wrote (an EHR's form
engine, LHC-Forms): no per-answer time, who answered given once or not at all, and a
``questionnaire`` with or without ``|version``. The real browser round trip through
LHC-Forms is in ``test_lforms.py``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from render_helpers import invoke

from foracheck.errors import EXIT_DATA
from foracheck.paths import Locations
from foracheck.store import read_progress

URL = "https://foracheck.invalid/fhir/Questionnaire/week-before"
AUTHORED = "2026-11-20T14:05:09.123Z"


def ehr_response(**changes: Any) -> dict[str, Any]:
    """A response as an EHR's form engine writes it: typed answers and nothing else."""
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": URL,
        "status": "in-progress",
        "authored": AUTHORED,
        "item": [
            {
                "linkId": "ask-about-blood-thinners",
                "text": "Ask your surgeon ...",
                "answer": [
                    {
                        "valueCoding": {
                            "system": "https://foracheck.invalid/fhir/CodeSystem/task-answer",
                            "code": "done",
                        }
                    }
                ],
            },
            {"linkId": "sick-before-surgery", "answer": [{"valueBoolean": False}]},
            {"linkId": "blood-thinners-to-stop", "answer": [{"valueString": "Aspirin"}]},
            {"linkId": "day-of-medicines"},  # listed, not answered
        ],
    }
    response.update(changes)
    return response


def run_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, document: Any, *options: str
) -> tuple[int, str, str]:
    file = tmp_path / "response.json"
    file.write_text(json.dumps(document), "utf-8")
    return invoke(capsys, "import", str(file), *options)


def saved(locations: Locations) -> dict[str, tuple[str, str, str]]:
    progress = read_progress(locations)
    assert progress is not None
    return {
        item_id: (answer.value, answer.answered_at, answer.by)
        for item_id, answer in progress.answers["week-before"].items()
    }


def test_answers_without_their_own_time_take_authored_and_the_import_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, locations: Locations
) -> None:
    code, out, err = run_import(capsys, tmp_path, ehr_response())
    assert (code, err) == (0, "")
    assert "Imported from a FHIR QuestionnaireResponse: 3 answers added." in out
    assert "3 answers had no time of their own, so they took the time the response" in out
    assert saved(locations) == {
        "ask-about-blood-thinners": ("done", "2026-11-20T14:05:09+00:00", "patient"),
        "sick-before-surgery": ("no", "2026-11-20T14:05:09+00:00", "patient"),
        "blood-thinners-to-stop": ("Aspirin", "2026-11-20T14:05:09+00:00", "patient"),
    }


@pytest.mark.parametrize(
    ("changes", "options", "who"),
    [
        ({"author": {"reference": "RelatedPerson/daughter"}}, (), "caregiver"),
        ({"source": {"type": "Practitioner"}}, ("--by", "caregiver"), "clinician"),
        ({"author": {"type": "Organization"}}, ("--by", "clinician"), "clinician"),
        ({}, ("--by", "caregiver"), "caregiver"),
        ({}, (), "patient"),
    ],
    ids=["author", "source over --by", "unknown author, --by", "--by", "nobody"],
)
def test_who_answered_comes_from_the_file_else_by_else_the_patient(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    locations: Locations,
    changes: dict[str, Any],
    options: tuple[str, ...],
    who: str,
) -> None:
    code, _, err = run_import(capsys, tmp_path, ehr_response(**changes), *options)
    assert (code, err) == (0, "")
    assert {by for _, _, by in saved(locations).values()} == {who}


def test_an_answer_s_own_extension_wins_over_the_response_author(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, locations: Locations
) -> None:
    document = ehr_response(author={"type": "RelatedPerson"})
    document["item"][0]["answer"][0]["extension"] = [
        {
            "url": "https://foracheck.invalid/fhir/StructureDefinition/answered-by",
            "valueCode": "patient",
        },
        {
            "url": "https://foracheck.invalid/fhir/StructureDefinition/answered-at",
            "valueDateTime": "2026-11-19T08:00:00+01:00",
        },
    ]
    code, out, _ = run_import(capsys, tmp_path, document)
    assert code == 0
    assert "2 answers had no time of their own" in out
    answers = saved(locations)
    assert answers["ask-about-blood-thinners"] == ("done", "2026-11-19T08:00:00+01:00", "patient")
    assert answers["sick-before-surgery"][2] == "caregiver"


@pytest.mark.parametrize("version", ["|sha256:0000000000000000", ""], ids=["other", "none"])
def test_a_questionnaire_with_or_without_a_version_is_taken_when_its_answers_fit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, locations: Locations, version: str
) -> None:
    code, _, err = run_import(capsys, tmp_path, ehr_response(questionnaire=URL + version))
    assert (code, err) == (0, "")
    assert len(saved(locations)) == 3


def answer_to(item: int, answer: dict[str, Any]) -> dict[str, Any]:
    document = ehr_response()
    document["item"][item]["answer"] = [answer]
    return document


REFUSED = {
    "no time at all": (
        ehr_response(authored=None),
        "the answer to week-before ask-about-blood-thinners has no time: no answered-at "
        "extension, and the response has no authored time",
    ),
    "authored without an offset": (
        ehr_response(authored="2026-11-20T14:05:09"),
        "the response's authored time is refused: That is not a date and time foracheck "
        "understands",
    ),
    "authored far in the future": (  # it would win every later "newer answer wins"
        ehr_response(authored="9999-12-31T00:00:00+00:00"),
        "the response's authored time is refused: '9999-12-31T00:00:00+00:00' is not a date "
        "foracheck accepts: years go from 1900 to 2099",
    ),
    "authored later than tomorrow": (
        ehr_response(authored="2098-01-01T00:00:00+00:00"),
        "the response's authored time is refused: '2098-01-01T00:00:00+00:00' is later than "
        "tomorrow",
    ),
    "no questionnaire": (
        {k: v for k, v in ehr_response().items() if k != "questionnaire"},
        "the response's questionnaire is missing",
    ),
    "someone else's questionnaire": (
        ehr_response(questionnaire="http://loinc.org/q/44249-1"),
        "the response's questionnaire is not one of foracheck's checklists",
    ),
    "an unknown linkId": (
        ehr_response(item=[{"linkId": "no-such-step", "answer": [{"valueBoolean": True}]}]),
        "the checklist 'week-before' has no item 'no-such-step'",
    ),
    "text for a yes/no question": (
        answer_to(1, {"valueString": "yes"}),
        "the answer to week-before sick-before-surgery is not one that item accepts "
        "(it takes true or false (valueBoolean))",
    ),
    "a boolean for a task": (
        answer_to(0, {"valueBoolean": True}),
        "(it takes one of the codes done, not-yet and skip (valueCoding))",
    ),
    "an unknown code": (
        answer_to(0, {"valueCoding": {"code": "maybe"}}),
        "not one that item accepts",
    ),
    "no value": (
        answer_to(2, {"valueInteger": 3}),
        "the answer to week-before blood-thinners-to-stop has no valueCoding, valueBoolean "
        "or valueString",
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_response_that_does_not_fit_is_refused_naming_the_element(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, locations: Locations, case: str
) -> None:
    document, why = REFUSED[case]
    code, out, err = run_import(capsys, tmp_path, document)
    assert (code, out) == (EXIT_DATA, "")
    assert why in err, err
    assert "not text" not in err
    assert "Nothing was changed." in err
    assert read_progress(locations) is None


def test_a_note_beside_the_answer_as_some_engines_write_it_is_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, locations: Locations
) -> None:
    document = ehr_response()
    document["item"][0]["item"] = [
        {
            "linkId": "ask-about-blood-thinners.note",
            "answer": [{"valueString": "Asked on Monday"}],
        }
    ]
    code, _, err = run_import(capsys, tmp_path, document)
    assert (code, err) == (0, "")
    progress = read_progress(locations)
    assert progress is not None
    answer = progress.answer("week-before", "ask-about-blood-thinners")
    assert answer is not None and answer.note == "Asked on Monday"
