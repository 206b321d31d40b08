"""The fillable form in a real browser: headless Chromium opens it from ``file://``,
a person's clicks and typing fill it in, "Save my answers" downloads the answers,
and ``foracheck import`` takes them into a fresh data folder.

The browser's clock and time zone are fixed (Playwright's clock), so answer times
are known; every page runs offline (``tests/browser.py`` records any request).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from browser import OfflinePage, browser, offline_page  # noqa: F401
from helpers import DATA, ROOT
from render_helpers import invoke, load, save

from foracheck.model import Answer, Progress
from foracheck.paths import Locations

CLINIC = DATA / "form-clinic.yaml"
HOSTILE = DATA / "form-hostile.yaml"
SURGERY = date(2026, 12, 1)
ZONE = "America/Chicago"  # UTC-06:00 in November
SAVED_AT = "2026-11-18T09:00:00-06:00"


def at(hour: int, minute: int, day: int = 20) -> datetime:
    """A moment on the browser's clock, in its time zone."""
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo(ZONE))


def write_form(
    capsys: pytest.CaptureFixture[str], home: Path, out: Path, *args: str, lists: Path = CLINIC
) -> Path:
    """``foracheck form`` of one clinic list into ``out``."""
    checklist = load(lists)[0]
    code, _, err = invoke(
        capsys, "--home", str(home), "--checklists", str(lists), *args, "form", checklist.id,
        "--output", str(out),
    )  # fmt: skip
    assert code == 0, err
    return out


def saved_home(tmp_path: Path) -> Path:
    """A data folder with the surgery date and one answer saved already."""
    home = tmp_path / "home"
    checklist = load(CLINIC)[0]
    progress = Progress(surgery_date=SURGERY).with_answer(
        checklist, "had-surgery-before", Answer("no", SAVED_AT)
    )
    save(Locations.resolve(home=home, checklists=[CLINIC]), progress)
    return home


def opened(page: OfflinePage, form: Path, moment: datetime | None = None) -> Any:
    """The form open from its file:// address, on a fixed clock."""
    page.page.clock.set_fixed_time(moment or at(10, 0))
    page.page.goto(form.as_uri())
    page.page.wait_for_selector("h1")
    return page.page


def choice(page: Any, item: str, value: str) -> Any:
    """The label a person clicks for one answer to one item."""
    return page.locator(f"label[for='q__form-clinic__{item}__{value}']")


def progress_line(page: Any) -> str:
    return str(page.locator(".progress").text_content())


def exported_answers(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What each item of an export says about its answer, by item id."""
    keys = ("answer", "note", "answered_at", "answered_by", "applies", "resolved", "tell_surgeon")
    return {
        item["id"]: {key: item[key] for key in keys}
        for checklist in document["checklists"]
        for item in checklist["items"]
    }


@pytest.fixture
def zoned(browser: Any) -> Iterator[OfflinePage]:  # noqa: F811
    """An offline page whose browser lives in Chicago (answer times carry -06:00)."""
    page = OfflinePage(browser, timezone_id=ZONE)
    try:
        yield page
    finally:
        page.close()


def test_a_form_filled_by_clicks_and_typing_imports_exactly(
    zoned: OfflinePage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    offline = zoned
    home = saved_home(tmp_path)
    page = opened(offline, write_form(capsys, home, tmp_path / "form.html"))
    clock = page.clock
    # What was saved is filled in, and counted.
    assert page.locator("#q__form-clinic__had-surgery-before__no").is_checked()
    assert progress_line(page) == "1 of 6 answered"
    page.get_by_label("A caregiver, for the patient").check()

    # A follow-up appears with "yes", goes with "no", and comes back with its text.
    follow_up = page.locator("#q__form-clinic__which-supplements")
    assert follow_up.is_hidden()
    clock.set_fixed_time(at(10, 1))
    choice(page, "takes-supplements", "yes").click()
    assert follow_up.is_visible()
    assert progress_line(page) == "2 of 7 answered"
    page.locator("#q__form-clinic__which-supplements__text").click()
    clock.set_fixed_time(at(10, 2))
    page.keyboard.type("Vitamin D, fish oil")
    assert progress_line(page) == "3 of 7 answered"
    clock.set_fixed_time(at(10, 3))
    choice(page, "takes-supplements", "no").click()
    assert follow_up.is_hidden()
    assert progress_line(page) == "2 of 6 answered"
    choice(page, "takes-supplements", "yes").click()
    assert page.locator("#q__form-clinic__which-supplements__text").input_value() == (
        "Vitamin D, fish oil"
    )
    clock.set_fixed_time(at(10, 4))
    choice(page, "takes-supplements", "no").click()  # the follow-up's answer is kept, hidden

    # A critical "does not apply" needs its reason: without one nothing is saved.
    reason = page.locator("#q__form-clinic__stop-thinners__reason")
    assert reason.is_hidden()
    clock.set_fixed_time(at(10, 5))
    choice(page, "stop-thinners", "skip").click()
    assert reason.is_visible()
    downloads: list[Any] = []
    page.on("download", lambda download: downloads.append(download))
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_timeout(300)
    assert downloads == []
    assert reason.get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "q__form-clinic__stop-thinners__reason"
    assert "Please write why" in str(
        page.locator("#q__form-clinic__stop-thinners__error").text_content()
    )
    assert "not saved yet" in str(page.locator(".message").text_content())
    page.keyboard.type("My surgeon said I take none.")

    # A text question's "I don't know yet".
    clock.set_fixed_time(at(10, 6))
    page.locator("label[for='q__form-clinic__allergies__dont-know']").click()
    assert page.locator("#q__form-clinic__allergies__text").is_disabled()
    assert progress_line(page) == "3 of 6 answered"  # "not yet" is not answered

    # An alert shows the moment its answer is chosen, and goes when it is changed.
    alert = page.locator("#q__form-clinic__feeling-sick .alert")
    assert alert.is_hidden()
    clock.set_fixed_time(at(10, 7))
    choice(page, "feeling-sick", "yes").click()
    assert alert.is_visible()
    assert alert.get_attribute("role") == "alert"
    assert alert.text_content() == "Call your surgeon's office today and tell them."
    choice(page, "feeling-sick", "no").click()
    assert alert.is_hidden()
    choice(page, "feeling-sick", "yes").click()
    assert alert.is_visible()
    assert progress_line(page) == "4 of 6 answered"

    clock.set_fixed_time(at(10, 8))
    with page.expect_download() as info:
        page.get_by_role("button", name="Save my answers").click()
    download = info.value
    assert download.suggested_filename == "foracheck-answers-2026-11-20.json"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert "foracheck-answers-2026-11-20.json" in str(page.locator(".message").text_content())
    assert offline.requests == []
    assert offline.console_errors == []

    document = json.loads(saved.read_text(encoding="utf-8"))
    _check_schema(document)
    assert document["exported_at"] == "2026-11-20T10:08:00-06:00"
    assert document["surgery_date"] == "2026-12-01"
    given = exported_answers(document)
    assert given == {
        "stop-thinners": {
            "answer": "skip",
            "note": "My surgeon said I take none.",
            "answered_at": "2026-11-20T10:05:00-06:00",
            "answered_by": "caregiver",
            "applies": True,
            "resolved": True,
            "tell_surgeon": False,
        },
        "takes-supplements": {
            "answer": "no",
            "note": None,
            "answered_at": "2026-11-20T10:04:00-06:00",
            "answered_by": "caregiver",
            "applies": True,
            "resolved": True,
            "tell_surgeon": False,
        },
        "which-supplements": {
            "answer": "Vitamin D, fish oil",
            "note": None,
            "answered_at": "2026-11-20T10:02:00-06:00",
            "answered_by": "caregiver",
            "applies": False,
            "resolved": False,
            "tell_surgeon": True,
        },
        "allergies": {
            "answer": "not-yet",
            "note": None,
            "answered_at": "2026-11-20T10:06:00-06:00",
            "answered_by": "caregiver",
            "applies": True,
            "resolved": False,
            "tell_surgeon": False,
        },
        "pack-bag": {
            "answer": None,
            "note": None,
            "answered_at": None,
            "answered_by": None,
            "applies": True,
            "resolved": False,
            "tell_surgeon": False,
        },
        "had-surgery-before": {
            "answer": "no",
            "note": None,
            "answered_at": SAVED_AT,
            "answered_by": "patient",
            "applies": True,
            "resolved": True,
            "tell_surgeon": False,
        },
        "feeling-sick": {
            "answer": "yes",
            "note": None,
            "answered_at": "2026-11-20T10:07:00-06:00",
            "answered_by": "caregiver",
            "applies": True,
            "resolved": True,
            "tell_surgeon": True,
        },
    }
    states = {item["id"]: item["state"] for item in document["checklists"][0]["items"]}
    assert states == {
        "stop-thinners": "resolved",
        "takes-supplements": "resolved",
        "which-supplements": "hidden",
        "allergies": "due",
        "pack-bag": "upcoming",  # from 28 November
        "had-surgery-before": "resolved",
        "feeling-sick": "resolved",
    }

    # Into a fresh data folder, then out again as the JSON export: the same answers.
    fresh = tmp_path / "fresh"
    common = ("--home", str(fresh), "--checklists", str(CLINIC))
    code, out, err = invoke(capsys, *common, "import", str(saved))
    assert code == 0, err
    assert "6 answers added" in out
    code, out, err = invoke(capsys, *common, "export", "--format", "json", "form-clinic")
    assert code == 0, err
    exported = json.loads(out)
    assert exported["surgery_date"] == "2026-12-01"
    assert exported_answers(exported) == given
    assert exported["checklists"][0]["version"] == document["checklists"][0]["version"]


def _check_schema(document: dict[str, Any]) -> None:
    """The saved file is valid against the export's shipped JSON Schema."""
    import jsonschema

    schema = json.loads((ROOT / "foracheck/schemas/export.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
