"""The timeline in every output: dates on filled forms, phrases on blank ones, states in JSON."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli
from render_helpers import NOW, SURGERY, TIMELINE, check_case, filled, rendered, save, timeline
from test_render_html import Page
from test_render_json import VALIDATOR
from test_render_markdown import inlines, visible
from test_render_text import squeezed

from foracheck.model import Progress
from foracheck.paths import Locations
from foracheck.render import Options, render
from foracheck.render.text import WIDTH

CASES = [
    ("export", "json", "filled"),
    ("export", "json", "empty"),
    ("export", "markdown", "filled"),
    ("print", "text", "filled"),
    ("print", "text", "blank"),
    ("print", "markdown", "filled"),
    ("print", "markdown", "blank"),
    ("print", "html", "filled"),
    ("print", "html", "blank"),
]


@pytest.mark.parametrize(("purpose", "fmt", "state"), CASES)
def test_golden(purpose: Any, fmt: str, state: str) -> None:
    check_case(purpose, fmt, "timeline", state)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_filled_forms_show_dates_and_blank_forms_the_phrase(fmt: str) -> None:
    filled_form = rendered("print", fmt, "timeline", "filled")
    blank_form = rendered("print", fmt, "timeline", "blank")
    assert "from Friday 7 March, by Thursday 13 March" in filled_form  # stop-thinners
    assert "on Friday 14 March" in filled_form  # fasting: surgery day only
    assert "from 1 week before surgery until 1 day before" in blank_form
    assert "from surgery day on" in blank_form  # no-bending: ongoing
    assert "March" not in blank_form


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_form_prints_the_details_text(fmt: str) -> None:
    for state in ("filled", "blank"):
        form = rendered("print", fmt, "timeline", state)
        assert "Ask a friend, a neighbour or family." in form


def test_markdown_export_carries_the_phrase() -> None:
    text = rendered("export", "markdown", "timeline", "filled")
    assert "When: from 1 week before surgery until 1 day before" in text


def _items(today: date, progress: Progress | None = None) -> dict[str, dict[str, Any]]:
    checklists = timeline()
    shown = progress or Progress(surgery_date=SURGERY)
    data = json.loads(render("export", "json", checklists, shown, Options(NOW, today=today)))
    VALIDATOR.validate(data)
    return {item["id"]: item for item in data["checklists"][0]["items"]}


def test_json_windows_are_local_dates_and_phrases() -> None:
    items = _items(SURGERY)
    assert items["stop-thinners"]["window"] == {
        "from": "2025-03-07",
        "until": "2025-03-13",
        "from_text": "1 week before",
        "until_text": "1 day before",
    }
    assert items["no-bending"]["window"] == {
        "from": "2025-03-14",
        "until": None,
        "from_text": "surgery day",
        "until_text": None,
    }
    assert items["medicines"]["window"]["from_text"] == "2 weeks before"  # its list's
    assert items["stop-thinners"]["critical"] is True
    assert items["medicines"]["critical"] is False


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (-20, {"stop-thinners": "upcoming", "fasting": "upcoming", "medicines": "upcoming"}),
        (-14, {"stop-thinners": "upcoming", "medicines": "due"}),
        (-7, {"stop-thinners": "due", "sick": "upcoming"}),
        (-1, {"stop-thinners": "due", "sick": "due", "medicines": "due"}),
        (0, {"stop-thinners": "overdue", "sick": "due", "fasting": "due", "no-bending": "due"}),
        # The surgery day is over: what was for before it is missed, never overdue.
        (1, {"sick": "missed", "fasting": "missed", "no-bending": "due"}),
        (300, {"medicines": "missed", "no-bending": "due"}),
    ],
)
def test_json_states_follow_the_days(days: int, expected: dict[str, str]) -> None:
    items = _items(SURGERY + timedelta(days=days))
    assert {key: items[key]["state"] for key in expected} == expected


def test_json_without_a_surgery_date_has_phrases_no_dates_and_nothing_upcoming() -> None:
    items = _items(SURGERY, Progress())
    assert {item["state"] for item in items.values()} == {"due"}
    assert all(item["window"]["from"] is None for item in items.values())
    assert items["fasting"]["window"]["from_text"] == "surgery day"


def test_json_resolved_steps_say_so_whatever_the_day() -> None:
    checklists = timeline()
    progress = filled(checklists)
    for days in (-20, 0, 20):
        items = _items(SURGERY + timedelta(days=days), progress)
        assert items["plan-ride"]["state"] == "resolved"
        assert items["stop-thinners"]["state"] != "resolved"  # not-yet is still open


def test_states_count_the_day_of_now_when_no_day_is_given() -> None:
    """Options(now) alone: the state is counted on the local date of ``now``."""
    late = NOW.replace(year=2025, month=3, day=14, hour=23, minute=59)
    text = render("export", "json", timeline(), Progress(surgery_date=SURGERY), Options(late))
    items = {item["id"]: item for item in json.loads(text)["checklists"][0]["items"]}
    assert items["stop-thinners"]["state"] == "overdue"
    assert items["fasting"]["state"] == "due"


@pytest.mark.parametrize("state", ["filled", "blank"])
def test_text_forms_fit_80_columns_and_lose_no_details(state: str) -> None:
    text = rendered("print", "text", "timeline", state)
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    for item in timeline()[0].items:
        if item.details:
            assert squeezed(item.details) in squeezed(text)


def test_html_forms_show_details_and_timing_exactly() -> None:
    checklists = timeline()
    page = Page(render("print", "html", checklists, filled(checklists), Options(NOW)))
    assert page.of("details") == [item.details for item in checklists[0].items if item.details]
    assert len(page.of("timing")) == len(checklists[0].items)
    assert page.of("timing")[3] == "When: on Friday 14 March"


def test_markdown_forms_show_details_exactly() -> None:
    checklists = timeline()
    source = render("print", "markdown", checklists, Progress(), Options(NOW, blank=True))
    shown = "\n".join(inlines(source))
    details = checklists[0].items[0].details
    assert details is not None and visible(details) in shown
    assert "<html_inline>" not in shown


@pytest.mark.skipif(not Path("/usr/share/zoneinfo/Pacific/Kiritimati").exists(), reason="no tzdata")
def test_status_json_counts_the_patients_local_day_in_any_time_zone(
    locations: Locations,
) -> None:
    """Kiritimati (UTC+14) and Pago Pago (UTC-11) are always on different calendar days."""
    from zoneinfo import ZoneInfo

    east = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    save(locations, Progress(surgery_date=east))
    states = {}
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        result = run_cli("--checklists", str(TIMELINE), "status", "--json", env={"TZ": zone})
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        listed = next(c for c in data["checklists"] if c["id"] == "timeline")
        items = {item["id"]: item for item in listed["items"]}
        states[zone] = items["fasting"]["state"]  # surgery day only
        assert items["fasting"]["window"]["from"] == east.isoformat()
    assert states == {"Pacific/Kiritimati": "due", "Pacific/Pago_Pago": "upcoming"}
