"""``foracheck form`` without a browser: the page's parts, its policy, its data, its size,
and the command's output rules. What a person does with the page is in
``test_form_browser.py``."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import stat
from datetime import date
from pathlib import Path

import pytest
from helpers import DATA
from render_helpers import NOW, bundled, filled, invoke, load, save

from foracheck.model import Answer, Progress
from foracheck.paths import Locations
from foracheck.render import Options, render
from foracheck.render.form import ASSETS, form_data

CLINIC = DATA / "form-clinic.yaml"
HOSTILE = DATA / "form-hostile.yaml"
BLOCK = re.compile(r"<(script|style)([^>]*)>(.*?)</\1>", re.DOTALL)


def page_of(checklists: list, progress: Progress, **options: object) -> str:  # type: ignore[type-arg]
    return render("form", "html", checklists, progress, Options(NOW, **options))  # type: ignore[arg-type]


def blocks(page: str) -> list[tuple[str, str, str]]:
    """Every <script> and <style> block: tag, attributes, content."""
    return BLOCK.findall(page)


def data_block(page: str) -> dict:  # type: ignore[type-arg]
    (content,) = [text for tag, attrs, text in blocks(page) if 'type="application/json"' in attrs]
    return json.loads(content)  # type: ignore[no-any-return]


def source_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_policy_allows_exactly_the_inline_script_and_style_by_their_hashes() -> None:
    page = page_of(bundled(), Progress())
    (policy,) = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    found = blocks(page)
    code = [text for tag, attrs, text in found if tag == "script" and not attrs]
    styles = [text for tag, attrs, text in found if tag == "style"]
    assert len(code) == 1 and len(styles) == 1 and len(found) == 3  # and the data block
    assert code[0] == (ASSETS / "form.js").read_text(encoding="utf-8")
    assert styles[0] == (ASSETS / "form.css").read_text(encoding="utf-8")
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives == {
        "default-src": "'none'",
        "script-src": source_hash(code[0]),
        "style-src": source_hash(styles[0]),
        "base-uri": "'none'",
        "form-action": "'none'",
    }


def test_the_script_never_makes_markup_or_code_from_text() -> None:
    source = (ASSETS / "form.js").read_text(encoding="utf-8")
    script = "\n".join(line for line in source.splitlines() if not line.strip().startswith("//"))
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                  "Function(", "srcdoc", "javascript:", "fetch(", "XMLHttpRequest",
                  "localStorage", "import("):  # fmt: skip
        assert risky not in script, risky
    assert "textContent" in script and "createElement" in script  # the ways it does use


def test_no_checklist_text_can_close_the_data_block() -> None:
    page = page_of(load(HOSTILE), Progress())
    assert page.count("</script") == 2  # the data block's end and the script's
    assert page.count("<script") == 2
    assert "<!--" not in page and "</textarea" not in page and "</title><script" not in page
    lists = data_block(page)["lists"]
    checklist = load(HOSTILE)[0]
    assert lists[0]["title"] == checklist.title
    assert [item["text"] for item in lists[0]["items"]] == [i.text for i in checklist.items]


def test_the_data_holds_saved_answers_versions_timing_and_the_words() -> None:
    (checklist,) = load(CLINIC)
    progress = Progress(surgery_date=date(2025, 12, 1)).with_answer(
        checklist, "stop-thinners", Answer("skip", "2025-11-18T09:00:00-06:00", "None", "caregiver")
    )
    data = form_data([checklist], progress, date(2025, 11, 20))
    assert data["surgery_date"] == "2025-12-01"
    assert data["surgery_text"] == "Monday 1 December"
    (entry,) = data["lists"]
    assert entry["version"] == checklist.content_hash()
    first = entry["items"][0]
    assert first["answer"] == {
        "value": "skip",
        "at": "2025-11-18T09:00:00-06:00",
        "note": "None",
        "by": "caregiver",
    }
    assert first["critical"] is True
    assert first["timing"] == "from Monday 17 November, by Sunday 30 November"
    assert first["window"] == {
        "from": "2025-11-17",
        "until": "2025-11-30",
        "from_text": "2 weeks before",
        "until_text": "1 day before",
    }
    follow_up = entry["items"][2]
    assert follow_up["show_if"] == {"item": "takes-supplements", "answer": "yes"}
    assert entry["items"][-1]["alert"] == {
        "answer": "yes",
        "text": "Call your surgeon's office today and tell them.",
    }
    assert data["words"]["progress"] == "{answered} of {total} answered"


@pytest.mark.parametrize("large", [False, True])
def test_the_five_bundled_lists_make_a_form_under_150_kb(large: bool) -> None:
    checklists = bundled()
    assert len(checklists) == 5
    page = page_of(checklists, filled(checklists), large=large)
    assert len(page.encode("utf-8")) < 150_000
    assert ('<body class="large">' in page) is large


def test_form_writes_the_page_to_standard_output_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = invoke(capsys, "--home", str(tmp_path), "--lang", "es", "form", "day-of")
    assert (code, err) == (0, "")
    assert out.startswith('<!DOCTYPE html>\n<html lang="es">')
    data = data_block(out)
    assert [entry["id"] for entry in data["lists"]] == ["day-of"]
    assert data["words"]["save"] == "Guardar mis respuestas"
    (entry,) = data["lists"]
    assert entry["title"] != entry["base_title"]  # Spanish shown, English saved


def test_form_output_is_private_and_never_in_the_data_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    out = tmp_path / "form.html"
    code, _, err = invoke(capsys, "--home", str(home), "form", "--output", str(out))
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Save my answers" in out.read_text(encoding="utf-8")
    inside = home / "form.html"
    code, _, err = invoke(capsys, "--home", str(home), "form", "--output", str(inside))
    assert code == 2 and "inside the data folder" in err
    assert not inside.exists()
    link = tmp_path / "link.html"
    link.symlink_to(tmp_path / "elsewhere.html")
    code, _, _ = invoke(capsys, "--home", str(home), "form", "--output", str(link))
    assert code == 74 and link.is_symlink() and not (tmp_path / "elsewhere.html").exists()


def test_form_refuses_a_lost_state_rather_than_a_blank_form(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    (checklist,) = load(CLINIC)
    locations = Locations.resolve(home=home, checklists=[CLINIC])
    done = Answer("done", "2025-11-18T09:00:00+00:00")
    first = Progress().with_answer(checklist, "pack-bag", done)
    save(locations, first)  # the second save makes the first the backup
    save(locations, first.with_answer(checklist, "allergies", Answer("None", done.answered_at)))
    locations.progress_file.unlink()
    out = tmp_path / "form.html"
    args = ("--home", str(home), "--checklists", str(CLINIC), "form", "--output", str(out))
    code, _, err = invoke(capsys, *args)
    assert code == 65
    assert "missing" in err and "restore" in err
    assert not out.exists()


def test_an_unknown_list_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = invoke(capsys, "--home", str(tmp_path), "form", "week-befor")
    assert (code, out) == (2, "")
    assert "week-before" in err


def test_a_spanish_form_shows_the_alert_in_spanish_and_saves_it_in_english(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = invoke(capsys, "--home", str(tmp_path), "--lang", "es", "form", "week-before")
    assert code == 0
    (entry,) = data_block(out)["lists"]
    (item,) = [item for item in entry["items"] if "alert" in item]
    assert item["alert"]["answer"] == "yes"
    assert item["base_alert"].startswith("Tell your surgeon or nurse today")
    assert item["alert"]["text"] != item["base_alert"]


@pytest.mark.parametrize("days_before", [21, 5, 1, 0])
def test_what_to_do_first_is_the_order_status_gives(days_before: int) -> None:
    """The form's "What to do first" box lists what ``status --json`` lists, in its order:
    open alerts, then what is due or overdue, by the one "what comes first" rule."""
    from datetime import timedelta

    from foracheck.screens import status_document

    checklists = bundled()
    surgery = date(2026, 3, 20)
    today = surgery - timedelta(days=days_before)
    week = next(c for c in checklists if c.id == "week-before")
    progress = Progress(surgery_date=surgery).with_answer(
        week, "sick-before-surgery", Answer("yes", "2026-03-10T09:00:00+00:00")
    )
    status = status_document(checklists, progress, today)["status"]
    expected = [f"{s['checklist']} {s['item']}" for s in [*status["alerts"], *status["due"]]]
    expected = list(dict.fromkeys(expected))
    assert expected, "a day with nothing due would prove nothing"
    assert form_data(checklists, progress, today)["first"] == expected
