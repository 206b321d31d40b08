"""Who gave each answer: ``start --by`` and ``mark --by``, stored and shown where it matters."""

from __future__ import annotations

import json
from datetime import date

import pytest
from render_helpers import NOW, bundled, invoke

from foracheck.errors import EXIT_USAGE
from foracheck.model import Answer, Progress
from foracheck.paths import Locations
from foracheck.render import Options, render
from foracheck.store import read_progress
from foracheck.walk import Walk


def stored(locations: Locations, list_id: str, item_id: str) -> Answer:
    progress = read_progress(locations)
    assert progress is not None
    answer = progress.answer(list_id, item_id)
    assert answer is not None
    return answer


def test_mark_records_the_patient_unless_told_otherwise(
    capsys: pytest.CaptureFixture[str], locations: Locations
) -> None:
    assert invoke(capsys, "mark", "day-of", "arrive-on-time", "done")[0] == 0
    assert stored(locations, "day-of", "arrive-on-time").by == "patient"
    code, _, err = invoke(capsys, "mark", "day-of", "arrive-on-time", "skip", "--by", "Caregiver")
    assert code == 0, err
    assert stored(locations, "day-of", "arrive-on-time").by == "caregiver"
    # a note alone keeps the answer and who gave it
    assert invoke(capsys, "mark", "day-of", "arrive-on-time", "--note", "ok")[0] == 0
    assert stored(locations, "day-of", "arrive-on-time").by == "caregiver"
    # a new answer without --by is the patient's again
    assert invoke(capsys, "mark", "day-of", "arrive-on-time", "done")[0] == 0
    assert stored(locations, "day-of", "arrive-on-time").by == "patient"


@pytest.mark.parametrize(
    "args",
    [
        ("mark", "day-of", "arrive-on-time", "done", "--by", "nurse"),
        ("mark", "day-of", "arrive-on-time", "--clear", "--by", "clinician"),
        ("start", "--by", "doctor"),
    ],
)
def test_an_unknown_answerer_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], locations: Locations, args: tuple[str, ...]
) -> None:
    code, out, err = invoke(capsys, *args)
    assert (code, out) == (EXIT_USAGE, "")
    assert "--by" in err or "--clear" in err
    assert not locations.progress_file.exists()


def test_the_walk_records_who_is_answering() -> None:
    checklist = next(c for c in bundled() if c.id == "day-of")
    saved: list[Progress] = []
    walk = Walk(
        [checklist],
        Progress(),
        saved.append,
        lambda: NOW.isoformat(),
        date(2025, 3, 1),
        by="clinician",
    )
    step = walk.steps()[0]
    walk.record(step, "done")
    answer = saved[-1].answer("day-of", step.item.id)
    assert answer is not None and answer.by == "clinician"


def progress_by(who: str) -> tuple[list, Progress]:
    checklists = [c for c in bundled() if c.id == "day-of"]
    item = checklists[0].items[0]
    answer = Answer("done", NOW.isoformat(), None, who)
    return checklists, Progress().with_answer(checklists[0], item.id, answer)


@pytest.mark.parametrize(
    ("purpose", "fmt"),
    [("print", "text"), ("print", "markdown"), ("print", "html"), ("export", "markdown")],
)
def test_forms_and_exports_say_who_answered_only_when_not_the_patient(
    purpose: str, fmt: str
) -> None:
    lists, by_caregiver = progress_by("caregiver")
    shown = render(purpose, fmt, lists, by_caregiver, Options(NOW))  # type: ignore[arg-type]
    assert "answered by a caregiver" in shown
    lists, by_patient = progress_by("patient")
    assert "answered by" not in render(purpose, fmt, lists, by_patient, Options(NOW))  # type: ignore[arg-type]


def test_json_and_fhir_carry_who_answered() -> None:
    lists, progress = progress_by("clinician")
    document = json.loads(render("export", "json", lists, progress, Options(NOW)))
    items = document["checklists"][0]["items"]
    assert items[0]["answered_by"] == "clinician"
    assert all(item["answered_by"] is None for item in items[1:])
    bundle = json.loads(render("export", "fhir", lists, progress, Options(NOW)))
    response = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    # one answer, by a clinician: R4's own elements say so for the whole response
    assert (
        response["author"]
        == response["source"]
        == {
            "type": "Practitioner",
            "display": "clinician",
        }
    )
    extensions = response["item"][0]["answer"][0]["extension"]
    assert not any(e["url"].endswith("/answered-by") for e in extensions)


def test_fhir_names_each_answer_by_someone_other_than_the_response_author() -> None:
    lists, progress = progress_by("clinician")
    checklist = lists[0]
    second = next(item for item in checklist.items[1:] if item.show_if is None)
    answer = Answer("yes" if second.type == "yesno" else "done", NOW.isoformat(), by="patient")
    if second.type == "text":
        answer = Answer("Aspirin", NOW.isoformat(), by="patient")
    progress = progress.with_answer(checklist, second.id, answer)
    third = next(i for i in checklist.items[1:] if i.show_if is None and i.id != second.id)
    value = {"yesno": "no", "task": "skip", "text": "none"}[third.type]
    progress = progress.with_answer(checklist, third.id, Answer(value, NOW.isoformat()))
    bundle = json.loads(render("export", "fhir", lists, progress, Options(NOW)))
    response = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    assert response["author"] == {"type": "Patient", "display": "patient"}  # two of three
    by = {
        item["linkId"]: [
            e.get("valueCode") for e in item["answer"][0]["extension"] if "answered-by" in e["url"]
        ]
        for item in response["item"]
    }
    assert by[checklist.items[0].id] == ["clinician"]
    assert by[second.id] == by[third.id] == []


def test_start_by_a_caregiver_says_so_once_and_records_it(locations: Locations) -> None:
    from test_session import LIST, TODAY, Conversation

    from foracheck import session

    script: list[tuple[str, str, str | bool]] = [
        ("date", "", ""),
        ("item", "alpha/a1", "done"),
        ("item", "alpha/a2", "q"),
    ]
    talk = Conversation(script)
    code = session.run_start(locations, [LIST], None, False, TODAY, prompter=talk, by="caregiver")
    assert code == 0 and not talk.script
    assert talk.told.count("The answers you give now are recorded as given by the caregiver.") == 1
    assert stored(locations, "alpha", "a1").by == "caregiver"
