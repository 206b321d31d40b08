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
from browser import OfflinePage
from helpers import DATA
from render_helpers import invoke, load, save

from foracheck.model import Answer, Progress
from foracheck.paths import Locations

CLINIC = DATA / "form-clinic.yaml"
HOSTILE = DATA / "form-hostile.yaml"
SURGERY = date(2025, 12, 1)
ZONE = "America/Chicago"  # UTC-06:00 in November
SAVED_AT = "2025-11-18T09:00:00-06:00"


def at(hour: int, minute: int, day: int = 20, month: int = 11) -> datetime:
    """A moment on the browser's clock in 2025, in its time zone."""
    return datetime(2025, month, day, hour, minute, tzinfo=ZoneInfo(ZONE))


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
    keys = (
        "answer",
        "note",
        "answered_at",
        "answered_by",
        "applies",
        "resolved",
        "tell_surgeon",
        "alert",
    )
    return {
        item["id"]: {key: item[key] for key in keys}
        for checklist in document["checklists"]
        for item in checklist["items"]
    }


@pytest.fixture
def zoned(browser: Any) -> Iterator[OfflinePage]:
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
    assert download.suggested_filename == "foracheck-answers-2025-11-20.json"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert "foracheck-answers-2025-11-20.json" in str(page.locator(".message").text_content())
    assert offline.requests == []
    assert offline.console_errors == []

    document = json.loads(saved.read_text(encoding="utf-8"))
    _check_schema(document)
    assert document["exported_at"] == "2025-11-20T10:08:00-06:00"
    assert document["surgery_date"] == "2025-12-01"
    given = exported_answers(document)
    assert given == {
        "stop-thinners": {
            "answer": "skip",
            "note": "My surgeon said I take none.",
            "answered_at": "2025-11-20T10:05:00-06:00",
            "answered_by": "caregiver",
            "applies": True,
            "resolved": True,
            "tell_surgeon": False,
            "alert": None,
        },
        "takes-supplements": {
            "answer": "no",
            "note": None,
            "answered_at": "2025-11-20T10:04:00-06:00",
            "answered_by": "caregiver",
            "applies": True,
            "resolved": True,
            "tell_surgeon": False,
            "alert": None,
        },
        "which-supplements": {
            "answer": "Vitamin D, fish oil",
            "note": None,
            "answered_at": "2025-11-20T10:02:00-06:00",
            "answered_by": "caregiver",
            "applies": False,
            "resolved": False,
            "tell_surgeon": True,
            "alert": None,
        },
        "allergies": {
            "answer": "not-yet",
            "note": None,
            "answered_at": "2025-11-20T10:06:00-06:00",
            "answered_by": "caregiver",
            "applies": True,
            "resolved": False,
            "tell_surgeon": False,
            "alert": None,
        },
        "pack-bag": {
            "answer": None,
            "note": None,
            "answered_at": None,
            "answered_by": None,
            "applies": True,
            "resolved": False,
            "tell_surgeon": False,
            "alert": None,
        },
        "had-surgery-before": {
            "answer": "no",
            "note": None,
            "answered_at": SAVED_AT,
            "answered_by": "patient",
            "applies": True,
            "resolved": True,
            "tell_surgeon": False,
            "alert": None,
        },
        "feeling-sick": {
            "answer": "yes",
            "note": None,
            "answered_at": "2025-11-20T10:07:00-06:00",
            "answered_by": "caregiver",
            "applies": True,
            "resolved": True,
            "tell_surgeon": True,
            "alert": "Call your surgeon's office today and tell them.",
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
    assert exported["surgery_date"] == "2025-12-01"
    assert exported_answers(exported) == given
    assert exported["checklists"][0]["version"] == document["checklists"][0]["version"]

    # A form written from an older version of a list is refused, like any export.
    edited = tmp_path / "clinic" / CLINIC.name
    edited.parent.mkdir()
    edited.write_text(
        CLINIC.read_text("utf-8").replace("Pack a small bag", "Pack a bag"), encoding="utf-8"
    )
    newer = ("--home", str(tmp_path / "newer"), "--checklists", str(edited))
    code, _, err = invoke(capsys, *newer, "import", str(saved))
    assert code == 65
    assert "'form-clinic' has changed since the file was written" in err


def _check_schema(document: dict[str, Any]) -> None:
    """The saved file is valid against the export's shipped JSON Schema."""
    from json_schemas import validator

    validator("export.schema.json").validate(document)


# -- hostile text, and the policy ----------------------------------------------------


def hostile_texts() -> dict[str, str]:
    """Every text of the hostile list, by where the page shows it."""
    checklist = load(HOSTILE)[0]
    texts = {"title": checklist.title, "intro": str(checklist.intro)}
    for item in checklist.items:
        texts[item.id] = item.text
    texts["details"] = str(checklist.items[0].details)
    alert = checklist.items[1].alert
    assert alert is not None
    texts["alert"] = alert.text
    return texts


def test_a_hostile_clinic_list_shows_as_literal_text_and_saves_as_it_is(
    offline_page: OfflinePage,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    form = write_form(capsys, tmp_path / "home", tmp_path / "form.html", lists=HOSTILE)
    page = offline_page.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened(offline_page, form)
    texts = hostile_texts()
    base = "#q__form-hostile__"
    assert page.locator("section.list h2").text_content() == texts["title"]
    assert page.locator(".list-intro").text_content() == texts["intro"]
    for item_id in ("script-task", "textarea-question", "bidi-text"):
        shown = page.locator(f"{base}{item_id} .question-text").text_content()
        assert shown == texts[item_id]
    assert page.locator(f"{base}script-task .details").text_content() == texts["details"]
    page.locator("label[for='q__form-hostile__textarea-question__yes']").click()
    assert page.locator(f"{base}textarea-question .alert").text_content() == texts["alert"]
    # Nothing became markup: the page's own two scripts, no textarea, no b, no img,
    # no handler attribute anywhere, and no alert() ran.
    counts = page.evaluate(
        """() => ({
            scripts: document.querySelectorAll("script").length,
            made: document.querySelectorAll("textarea, b, img, style ~ style").length,
            handlers: [...document.querySelectorAll("*")].filter(
                (node) => [...node.attributes].some((a) => a.name.startsWith("on"))).length,
        })"""
    )
    assert counts == {"scripts": 2, "made": 0, "handlers": 0}
    typed = "</script><img src=x onerror=alert(7)> \u200f\u05e9\u05dc\u05d5\u05dd\u200e"
    page.locator(f"{base}bidi-text__text").fill(typed)
    page.locator("label[for='q__form-hostile__script-task__skip']").click()
    page.locator(f"{base}script-task__reason").fill('"onmouseover="alert(8)"')
    with page.expect_download() as info:
        page.get_by_role("button", name="Save my answers").click()
    saved = tmp_path / "answers.json"
    info.value.save_as(saved)
    assert dialogs == []
    assert offline_page.requests == []
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["checklists"][0]["title"] == texts["title"]
    items = {item["id"]: item for item in document["checklists"][0]["items"]}
    assert {key: items[key]["text"] for key in items} == {
        key: texts[key] for key in ("script-task", "textarea-question", "bidi-text")
    }
    assert items["bidi-text"]["answer"] == typed
    assert items["script-task"]["note"] == '"onmouseover="alert(8)"'
    fresh = ("--home", str(tmp_path / "fresh"), "--checklists", str(HOSTILE))
    code, _, err = invoke(capsys, *fresh, "import", str(saved))
    assert code == 0, err
    code, out, _ = invoke(capsys, *fresh, "export", "--format", "json")
    back = {i["id"]: i["answer"] for c in json.loads(out)["checklists"] for i in c["items"]}
    assert back["bidi-text"] == typed


def test_the_policy_stops_a_script_injected_into_the_page(
    offline_page: OfflinePage,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    form = write_form(capsys, tmp_path / "home", tmp_path / "form.html")
    injected = tmp_path / "injected.html"
    text = form.read_text(encoding="utf-8")
    planted = (
        '<script>window.planted = 1;</script><img src="x" onerror="window.handler = 1">'
        '<div style="display:none" id="styled">x</div></body>'
    )
    injected.write_text(text.replace("</body>", planted), encoding="utf-8")
    page = opened(offline_page, injected)
    # The form's own script ran (its hash is allowed); the planted ones did not.
    assert page.locator(".question").count() == 7
    assert page.evaluate("[window.planted, window.handler]") == [None, None]
    assert page.locator("#styled").is_visible()  # inline style attributes are refused too
    assert offline_page.requests == []


# -- for everyone ----------------------------------------------------------------------


SERIOUS = ("serious", "critical")


@pytest.mark.parametrize("args", [(), ("--lang", "es"), ("--large",)], ids=["en", "es", "large"])
def test_axe_core_finds_no_serious_problem(
    browser: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
) -> None:
    import axe_core
    from browser import unavailable

    try:
        source = axe_core.source()
    except axe_core.Unavailable as why:
        unavailable(str(why))
    home = saved_home(tmp_path)
    lang = args if args[:1] == ("--lang",) else ()
    large = args if args[:1] == ("--large",) else ()
    form = tmp_path / "form.html"
    code, _, err = invoke(
        capsys, "--home", str(home), "--checklists", str(CLINIC), *lang, "form", *large,
        "--output", str(form),
    )  # fmt: skip
    assert code == 0, err
    offline = OfflinePage(browser, bypass_csp=True)  # axe's own script is not the page's
    try:
        page = opened(offline, form)
        # Everything that can appear is shown: a follow-up, a reason, an alert, an error.
        choice(page, "takes-supplements", "yes").click()
        choice(page, "stop-thinners", "skip").click()
        choice(page, "feeling-sick", "yes").click()
        page.locator(".save").click()
        page.locator("details").first.locator("summary").click()
        page.add_script_tag(content=source)
        violations = page.evaluate(
            """async () => (await axe.run(document)).violations.map((v) => ({
                id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" "))}))"""
        )
        assert offline.requests == []
    finally:
        offline.close()
    assert [v for v in violations if v["impact"] in SERIOUS] == []


@pytest.mark.parametrize(("large", "base"), [(False, 16.0), (True, 20.0)])
def test_text_is_16_px_or_a_quarter_larger_and_fits_a_phone_at_200_percent(
    browser: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    large: bool,
    base: float,
) -> None:
    args = ("--large",) if large else ()
    home = saved_home(tmp_path)
    form = tmp_path / "form.html"
    code, _, err = invoke(
        capsys, "--home", str(home), "--checklists", str(CLINIC), "form", *args, "-o", str(form)
    )
    assert code == 0, err
    # A 360-pixel-wide phone at 200 % zoom lays the page out 180 CSS pixels wide.
    offline = OfflinePage(browser, viewport={"width": 180, "height": 640})
    try:
        page = opened(offline, form)
        choice(page, "takes-supplements", "yes").click()
        choice(page, "stop-thinners", "skip").click()
        sizes = page.evaluate(
            """() => {
                const size = (node) => parseFloat(getComputedStyle(node).fontSize);
                const texts = [...document.querySelectorAll(
                    "p, legend, label, summary, button, input[type=text]")]
                    .filter((node) => node.offsetParent !== null);
                return {
                    body: size(document.body),
                    smallest: Math.min(...texts.map(size)),
                    wide: document.documentElement.scrollWidth,
                    overflowing: texts.filter((node) => {
                        const box = node.getBoundingClientRect();
                        return box.left < 0 || box.right > window.innerWidth + 0.5;
                    }).length,
                };
            }"""
        )
    finally:
        offline.close()
    assert sizes["body"] == base
    assert sizes["smallest"] >= base
    assert sizes["wide"] <= 180  # no sideways scrolling
    assert sizes["overflowing"] == 0


def test_keyboard_alone_answers_opens_more_and_saves(
    offline_page: OfflinePage,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = opened(offline_page, write_form(capsys, tmp_path / "home", tmp_path / "form.html"))
    active = "document.activeElement"
    page.keyboard.press("Tab")
    assert page.evaluate(f"{active}.id") == "who__patient"
    page.keyboard.press("ArrowRight")  # arrows move within a radio group, and choose
    assert page.locator("#who__caregiver").is_checked()
    page.keyboard.press("Tab")  # "What to do first": its first link, followed with Enter
    assert page.evaluate(f"{active}.getAttribute('href')") == "#q__form-clinic__stop-thinners"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # from the question it led to, on to its first answer
    assert page.evaluate(f"{active}.id") == "q__form-clinic__stop-thinners__done"
    page.keyboard.press("Space")
    assert page.locator("#q__form-clinic__stop-thinners__done").is_checked()
    page.keyboard.press("Tab")  # then the "More" toggle, opened with Enter
    assert page.evaluate(f"{active}.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert page.locator("#q__form-clinic__stop-thinners details").get_attribute("open") == ""
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(f"{active}.className") == "save":
            break
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    saved = tmp_path / "answers.json"
    info.value.save_as(saved)
    items = json.loads(saved.read_text(encoding="utf-8"))["checklists"][0]["items"]
    assert (items[0]["answer"], items[0]["answered_by"]) == ("done", "caregiver")


def test_past_due_steps_say_so_and_printing_shows_every_detail(
    offline_page: OfflinePage,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = saved_home(tmp_path)
    form = write_form(capsys, home, tmp_path / "form.html")
    page = opened(offline_page, form, at(10, 0, day=1, month=12))
    late = page.locator("#q__form-clinic__stop-thinners .past-due")
    assert late.is_visible()  # its last day was 30 November
    assert late.text_content() == "Past due: please do this as soon as you can."
    assert page.locator("#q__form-clinic__pack-bag .past-due").is_hidden()  # until surgery day
    assert page.locator("#q__form-clinic__stop-thinners .when").text_content() == (
        "When: from Monday 17 November, by Sunday 30 November"
    )
    from playwright.sync_api import expect

    group = page.locator("#q__form-clinic__stop-thinners fieldset")
    expect(group).to_have_accessible_description(
        "When: from Monday 17 November, by Sunday 30 November "
        "Past due: please do this as soon as you can."
    )
    choice(page, "stop-thinners", "done").click()
    assert late.is_hidden()
    expect(group).to_have_accessible_description(
        "When: from Monday 17 November, by Sunday 30 November"
    )
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details[open]").count() == page.locator("details").count() > 0
    assert page.locator(".save").is_hidden()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("details[open]").count() == 0


def test_the_spanish_form_speaks_spanish_and_saves_english_values(
    offline_page: OfflinePage,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    form = tmp_path / "form.html"
    lists = ("--home", str(home), "--checklists", str(CLINIC))
    code, _, err = invoke(capsys, *lists, "--lang", "es", "form", "-o", str(form))
    assert code == 0, err
    page = opened(offline_page, form)
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.locator("h1").text_content() == "Cómo prepararse para su foraminotomía"
    assert page.get_by_role("button", name="Guardar mis respuestas").is_visible()
    first = page.locator(".question").first
    first.locator("label", has_text="hecho").click()
    assert "1 de " in str(page.locator(".progress").text_content())
    # "No sé" typed as an answer means "I don't know yet", as at the walk's prompt.
    page.locator("#q__form-clinic__allergies__text").click()
    page.keyboard.type("No sé")
    assert "1 de " in str(page.locator(".progress").text_content())
    with page.expect_download() as info:
        page.get_by_role("button", name="Guardar mis respuestas").click()
    saved = tmp_path / "respuestas.json"
    info.value.save_as(saved)
    document = json.loads(saved.read_text(encoding="utf-8"))
    code, out, err = invoke(capsys, *lists, "export", "--format", "json")
    english = json.loads(out)
    # The saved file carries the base words and stored values, as any export does.
    assert [c["title"] for c in document["checklists"]] == [
        c["title"] for c in english["checklists"]
    ]
    answers = [i["answer"] for c in document["checklists"] for i in c["items"] if i["answer"]]
    assert answers == ["done", "not-yet"]
    fresh = ("--home", str(tmp_path / "fresh"), "--checklists", str(CLINIC))
    code, _, err = invoke(capsys, *fresh, "import", str(saved))
    assert code == 0, err


def test_after_surgery_steps_whose_moment_passed_are_left_out(
    offline_page: OfflinePage,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    form = write_form(capsys, saved_home(tmp_path), tmp_path / "form.html")
    page = opened(offline_page, form, at(10, 0, day=2, month=12))
    shown = page.locator(".item:visible")
    assert [shown.nth(n).get_attribute("id") for n in range(shown.count())] == [
        "q__form-clinic__had-surgery-before"  # answered: listed, never asked again
    ]
    assert progress_line(page) == "1 of 1 answered"
    with page.expect_download() as info:
        page.get_by_role("button", name="Save my answers").click()
    saved = tmp_path / "answers.json"
    info.value.save_as(saved)
    document = json.loads(saved.read_text(encoding="utf-8"))
    _check_schema(document)
    items = document["checklists"][0]["items"]
    assert {item["id"]: item["state"] for item in items} == {
        "stop-thinners": "missed",
        "takes-supplements": "missed",
        "allergies": "missed",
        "pack-bag": "missed",  # its last day was the surgery day
        "had-surgery-before": "resolved",
        "feeling-sick": "missed",
    }


def test_what_to_do_first_links_to_its_steps_and_lets_each_go_once_answered(
    offline_page: OfflinePage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three days before surgery: the critical steps first, then the rest by the day their
    window ends (status's order); a link goes to its question; an answer takes it away."""
    from datetime import time, timedelta

    today = date.today()
    home = tmp_path / "home"
    save(
        Locations.resolve(home=home, checklists=[CLINIC]),
        Progress(surgery_date=today + timedelta(days=3)),
    )
    form = write_form(capsys, home, tmp_path / "form.html")
    page = opened(offline_page, form, datetime.combine(today, time(10), tzinfo=ZoneInfo(ZONE)))
    links = page.locator(".first-list li:not([hidden]) a")
    first = ["stop-thinners", "feeling-sick", "takes-supplements", "allergies"]
    first += ["had-surgery-before", "pack-bag"]  # a yes/no, then the one ending on the day
    assert [link.get_attribute("href") for link in links.all()] == [
        f"#q__form-clinic__{item}" for item in first
    ]
    assert links.first.text_content() == load(CLINIC)[0].items[0].text
    links.first.click()
    assert page.evaluate("location.hash") == "#q__form-clinic__stop-thinners"
    choice(page, "stop-thinners", "done").click()
    assert links.first.get_attribute("href") == "#q__form-clinic__feeling-sick"
    for item in first[1:]:
        value = (
            "no" if item in ("feeling-sick", "takes-supplements", "had-surgery-before") else None
        )
        if value:
            choice(page, item, value).click()
        elif item == "pack-bag":
            choice(page, item, "done").click()
        else:
            page.locator(f"#q__form-clinic__{item} input[type='text']").fill("none")
    assert page.locator("section.first").is_hidden()  # nothing left to do first
