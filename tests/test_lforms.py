"""A real form tool nobody here wrote: LHC-Forms (npm ``lforms``) renders the blank
exported Questionnaire in headless Chromium, a person fills it in through the page,
LHC-Forms saves its own QuestionnaireResponse, and ``foracheck import`` takes it: the
answers exported back are the ones given, with the response's time."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import lforms_page
import pytest
from browser import unavailable
from render_helpers import NOW, bundled, invoke

from foracheck.model import Progress
from foracheck.paths import Locations
from foracheck.render import Options, render
from foracheck.store import read_progress

LIST = "week-before"
TASK_ANSWERS = "https://foracheck.invalid/fhir/CodeSystem/task-answer"


@pytest.fixture(scope="module")
def lforms() -> None:
    try:
        lforms_page.install()
    except lforms_page.Unavailable as error:
        unavailable(str(error))


def blank_questionnaire() -> dict[str, Any]:
    text = render("export", "fhir", bundled(), Progress(), Options(NOW, blank=True))
    resources = [entry["resource"] for entry in json.loads(text)["entry"]]
    return next(r for r in resources if r["url"].endswith("/" + LIST))


def fill_like_a_person(page: Any) -> None:
    """Pick from the lists, type the text, click "Yes" and "No": what a person does in
    LHC-Forms."""

    def choose(link_id: str, words: str) -> None:
        box = page.locator(f'[id="{link_id}/1"]')
        box.click()
        box.fill(words)
        page.locator("#lhc-tools-searchResults li", has_text=words).first.click()

    choose("ask-about-blood-thinners", "done")
    # each follow-up appears only once its question is answered (enableWhen), as in the walk
    page.locator('[id="told-to-stop-blood-thinners/1|true"]').click()  # the label "Yes"
    page.locator('[id="blood-thinners-to-stop/1"]').fill("Aspirin, stop 5 days before")
    choose("stop-blood-thinners", "done")
    page.locator('[id="ask-about-blood-thinners.note/1/1"]').fill("Asked on Monday")
    choose("ask-day-of-medicines", "does not apply")
    page.locator('[id="sick-before-surgery/1|false"]').click()  # the label "No"
    page.keyboard.press("Tab")


def lforms_response(offline: Any, tmp_path: Path) -> dict[str, Any]:
    page = offline.page
    page.goto(lforms_page.page_file(tmp_path).as_uri())
    page.wait_for_function("() => !!(window.LForms && LForms.Util && LForms.FHIR)")
    page.evaluate("q => LForms.Util.addFormToPage(q, 'form')", blank_questionnaire())
    page.wait_for_selector('[id="ask-about-blood-thinners/1"]')
    assert page.locator('[id="told-to-stop-blood-thinners/1|true"]').count() == 0  # hidden
    assert page.locator('[id="blood-thinners-to-stop/1"]').count() == 0  # hidden follow-up
    fill_like_a_person(page)
    page.wait_for_selector('[id="blood-thinners-to-stop/1"]')
    response: dict[str, Any] = page.evaluate(
        "() => LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', '#form')"
    )
    assert offline.requests == []
    return response


def answers_of(response: dict[str, Any]) -> dict[str, Any]:
    """Each answered linkId's typed value, and the note under it."""
    found = {}
    for item in response["item"]:
        answer = item["answer"][0]
        value = next(v for k, v in answer.items() if k.startswith("value"))
        if isinstance(value, dict):
            value = (value["system"], value["code"])
        notes = [c["answer"][0]["valueString"] for c in answer.get("item", [])]
        found[item["linkId"]] = (value, notes)
    return found


def test_a_questionnaire_filled_in_lhc_forms_imports_and_exports_back_the_same_answers(
    lforms: None,
    offline_page: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    locations: Locations,
) -> None:
    response = lforms_response(offline_page, tmp_path)
    # what LHC-Forms writes: no per-answer time, nobody named, its own questionnaire link
    assert "answered-at" not in json.dumps(response)
    assert "author" not in response and "source" not in response
    file = tmp_path / "from-lhc-forms.json"
    file.write_text(json.dumps(response), "utf-8")

    code, out, err = invoke(capsys, "import", str(file))
    assert (code, err) == (0, "")
    assert "Imported from a FHIR QuestionnaireResponse: 6 answers added." in out
    assert "6 answers had no time of their own, so they took the time" in out

    code, exported, _ = invoke(capsys, "export", "--format", "fhir", LIST)
    assert code == 0
    back = next(
        e["resource"]
        for e in json.loads(exported)["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    assert (
        answers_of(back)
        == answers_of(response)
        == {
            "ask-about-blood-thinners": ((TASK_ANSWERS, "done"), ["Asked on Monday"]),
            "told-to-stop-blood-thinners": (True, []),
            "blood-thinners-to-stop": ("Aspirin, stop 5 days before", []),
            "stop-blood-thinners": ((TASK_ANSWERS, "done"), []),
            "ask-day-of-medicines": ((TASK_ANSWERS, "skip"), []),
            "sick-before-surgery": (False, []),
        }
    )
    authored = datetime.fromisoformat(response["authored"].replace("Z", "+00:00"))
    assert datetime.fromisoformat(back["authored"]) == authored.replace(microsecond=0)
    assert back["author"] == {"type": "Patient", "display": "patient"}
    assert back["status"] == "completed"

    # the same file, imported by a nurse who says a caregiver gave the answers
    other = Locations.resolve(home=tmp_path / "nurse")
    code, _, _ = invoke(capsys, "--home", str(other.home), "import", str(file), "--by", "caregiver")
    saved = read_progress(other)
    assert code == 0 and saved is not None
    assert {answer.by for answer in saved.answers[LIST].values()} == {"caregiver"}
