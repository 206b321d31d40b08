"""``status`` today first, and ``show``: what they say at each distance from surgery.

The fixed list tests/data/timeline.yaml (every kind of window) keeps these tests
independent of the bundled content; a few real processes run the bundled lists.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import json_schemas
import jsonschema
import pytest
from biglist import write_long_task_list
from helpers import run_here
from render_helpers import TIMELINE, timeline

from foracheck import screens, store
from foracheck.agenda import agenda
from foracheck.model import Answer, Progress
from foracheck.paths import Locations

SURGERY = date(2026, 11, 27)  # a Friday
WHERE = Path("/home/someone/progress.json")
ESCAPE = re.compile(r"\x1b")


def status_at(days_before: int, progress: Progress | None = None) -> str:
    """The status screen of the timeline list, ``days_before`` surgery (negative: after)."""
    saved = progress or Progress(surgery_date=SURGERY, welcomed=True)
    today = SURGERY - timedelta(days=days_before)
    return "\n".join(screens.status_lines(timeline(), saved, today, WHERE)) + "\n"


def section(screen: str, heading: str) -> str:
    """The lines under ``heading``, up to the next blank line ("" when it is not there)."""
    if f"\n{heading}\n" not in screen:
        return ""
    return screen.split(f"\n{heading}\n", 1)[1].split("\n\n", 1)[0]


def ids_in(text: str) -> list[str]:
    """Which of the timeline's steps a section names, by their text."""
    texts = {
        "plan-ride": "Set up a ride home",
        "stop-thinners": "Stop the blood thinners",
        "sick": "Are you sick",
        "fasting": "Stop eating",
        "no-bending": "Do not bend",
        "medicines": "Which medicines",
    }
    return [step for step, words in texts.items() if words in text]


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


# Days before surgery -> (important, to do now, coming next, not done before surgery). To do
# now is in the order of what comes first: a window ending today, then overdue, then soonest.
_BEFORE = ["plan-ride", "stop-thinners", "sick", "fasting", "medicines"]
_ALL = ["plan-ride", "stop-thinners", "sick", "fasting", "no-bending", "medicines"]
DISTANCES = {
    20: ([], [], _ALL, []),
    7: (["stop-thinners"], ["plan-ride", "medicines"], ["sick", "fasting", "no-bending"], []),
    1: (["stop-thinners", "sick"], ["plan-ride", "medicines"], ["fasting", "no-bending"], []),
    0: (["stop-thinners", "sick"], ["fasting", "plan-ride", "medicines", "no-bending"], [], []),
    -1: ([], ["no-bending"], [], _BEFORE),
    -21: ([], ["no-bending"], [], _BEFORE),
}


@pytest.mark.parametrize("days", DISTANCES)
def test_status_at_each_distance_from_surgery(days: int) -> None:
    screen = status_at(days)
    important, now, coming, missed = DISTANCES[days]
    assert ids_in(section(screen, "Important, still open:")) == important
    to_do = section(screen, "To do now:").splitlines()
    assert [step for line in to_do for step in ids_in(line)] == now
    assert "Overdue:" not in screen  # one list, in the order of what comes first
    assert ids_in(section(screen, "Coming next:")) == coming
    assert ids_in(section(screen, "Not done before surgery:")) == missed
    assert ("Nothing to do today." in screen) == (days == 20)


def test_on_surgery_day_what_ends_today_comes_before_what_is_overdue() -> None:
    important = section(status_at(0), "Important, still open:").splitlines()
    assert [ids_in(line) for line in important] == [["sick"], ["stop-thinners"]]
    assert important[0].endswith("(today is the last day)")
    assert important[1].endswith("(was due yesterday)")


@pytest.mark.parametrize(
    ("days", "first_line"),
    [
        (20, "Surgery in 20 days: Friday 27 November."),
        (3, "Surgery in 3 days: Friday 27 November."),
        (1, "Surgery is tomorrow: Friday 27 November."),
        (0, "Surgery is today."),
        (-2, "Surgery was 2 days ago, on Friday 27 November."),
    ],
)
def test_status_opens_with_where_the_patient_is(days: int, first_line: str) -> None:
    assert status_at(days).startswith(first_line + "\n")


def test_each_step_says_its_dates_for_its_state() -> None:
    before = status_at(7)
    assert "Set up a ride home, with someone you trust; not a taxi. (by Thursday 26 November)" in (
        before
    )
    assert "Are you sick with a cold or a fever? (from Wednesday 25 November)" in before
    assert "Stop eating at the time you were told. (on Friday 27 November)" in before
    assert "Stop the blood thinners your surgeon named. (by Thursday 26 November)" in before
    # Days next to today are said in words.
    assert "Stop eating at the time you were told. (tomorrow)" in section(
        status_at(1), "Coming next:"
    )
    assert "Are you sick with a cold or a fever? (by tomorrow)" in status_at(1)
    assert "Set up a ride home, with someone you trust; not a taxi. (was due yesterday)" in (
        section(status_at(0), "To do now:")
    )
    after = status_at(-1)
    assert "Do not bend, lift or twist.\n" in after + "\n"  # ongoing: no last day to name
    missed = section(after, "Not done before surgery:")
    assert "  - Steps on the timeline; with, commas: Stop eating at the time you were told." in (
        missed.splitlines()
    )


def test_answered_steps_leave_the_piles_and_count_as_done() -> None:
    progress = Progress(surgery_date=SURGERY, welcomed=True)
    checklist = timeline()[0]
    for item_id, value in (("stop-thinners", "done"), ("plan-ride", "not-yet")):
        progress = progress.with_answer(checklist, item_id, Answer(value, "2026-11-20T10:00:00Z"))
    screen = status_at(7, progress)
    assert section(screen, "Important, still open:") == ""
    assert ids_in(section(screen, "To do now:")) == ["plan-ride", "medicines"]  # not-yet is open
    assert "[##--------] 1 of 6 done: Steps on the timeline; with, commas" in screen


def test_without_a_surgery_date_everything_open_is_to_do() -> None:
    screen = status_at(7, Progress())
    assert screen.startswith("No surgery date saved yet. Add it with: foracheck date YYYY-MM-DD\n")
    assert ids_in(section(screen, "Important, still open:")) == ["stop-thinners", "sick"]
    assert ids_in(section(screen, "To do now:")) == [
        "plan-ride",
        "fasting",
        "no-bending",
        "medicines",
    ]
    assert "Overdue:" not in screen
    assert "Coming next:" not in screen
    assert "(by " not in screen


def test_a_long_pile_shows_ten_and_says_how_many_more(tmp_path: Path) -> None:
    from render_helpers import load

    checklists = load(write_long_task_list(tmp_path, 25))
    lines = screens.status_lines(checklists, None, SURGERY, WHERE)
    todo = section("\n".join(lines), "To do now:").splitlines()
    assert len(todo) == 11
    assert todo[-1] == "    ... and 15 more. 'foracheck start' goes through them."
    assert "  [----------] 0 of 25 done: A very long list" in lines


def test_the_agenda_counts_the_next_start_day() -> None:
    plan = agenda(timeline(), Progress(surgery_date=SURGERY), SURGERY - timedelta(days=1))
    assert plan.next_start() == (SURGERY, 2)  # fasting and no-bending begin on surgery day
    later = agenda(timeline(), Progress(surgery_date=SURGERY), SURGERY)
    assert later.next_start() is None


# -- wrapping ---------------------------------------------------------------------------------


def test_wrapping_keeps_a_hanging_indent_and_never_cuts_a_word() -> None:
    text = "Are you sick with a cold or a fever -> yes, and a-very-long-hyphenated-word here"
    lines = screens.wrap(text, 20, "  - ")
    assert lines[0].startswith("  - Are")
    assert all(line.startswith("    ") for line in lines[1:])
    assert " ".join(line.strip() for line in lines).replace("- ", "", 1) == text
    assert "a-very-long-hyphenated-word" in [word for line in lines for word in line.split()]
    assert not any(line.rstrip().endswith("->") for line in lines)  # no arrow left alone


# -- real processes ---------------------------------------------------------------------------


def save(locations: Locations, progress: Progress) -> None:
    with store.open_for_writing(locations) as writer:
        writer.save(progress)


def validate_status(document: object) -> None:
    json_schemas.validator("status.schema.json").validate(document)


def test_status_json_adds_the_day_to_the_export_and_fits_its_schema(
    locations: Locations,
) -> None:
    surgery = date.today() + timedelta(days=1)
    save(locations, Progress(surgery_date=surgery, welcomed=True))
    result = run_here("--checklists", str(TIMELINE), "status", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    validate_status(document)
    status = document["status"]
    assert status["today"] == date.today().isoformat()
    assert status["days_to_surgery"] == 1
    assert status["countdown"].startswith("Surgery is tomorrow: ")
    due = [(step["checklist"], step["item"]) for step in status["due"]]
    assert ("timeline", "sick") in due
    assert ("timeline", "fasting") not in due
    assert status["next"] == {"from": surgery.isoformat(), "steps": 2 + next_on(surgery)}
    critical = {(step["item"], step["critical"]) for step in status["open_critical"]}
    assert ("sick", True) in critical
    assert {"id": "timeline", "done": 0, "total": 6} in status["lists"]
    export = json.loads(
        run_here("--checklists", str(TIMELINE), "export", "--format", "json").stdout
    )
    for key in ("format", "surgery_date", "checklists"):
        assert document[key] == export[key]  # every export field is kept


def next_on(day: date) -> int:
    """How many bundled steps begin on ``day`` (asked of the export, not hard-coded)."""
    export = json.loads(run_here("export", "--format", "json").stdout)
    return sum(
        1
        for checklist in export["checklists"]
        for item in checklist["items"]
        if item["state"] == "upcoming" and item["window"]["from"] == day.isoformat()
    )


def test_status_json_without_a_date_fits_its_schema() -> None:
    result = run_here("status", "--json")
    document = json.loads(result.stdout)
    validate_status(document)
    assert document["status"]["days_to_surgery"] is None
    assert document["status"]["next"] is None
    assert document["status"]["upcoming"] == []


def test_the_schema_refuses_a_status_without_its_fields() -> None:
    document = json.loads(run_here("status", "--json").stdout)
    del document["status"]["lists"]
    with pytest.raises(jsonschema.ValidationError):
        validate_status(document)


@pytest.mark.parametrize("days", [20, 7, 1, 0, -1, -21])
def test_status_with_the_bundled_lists_at_each_distance(locations: Locations, days: int) -> None:
    surgery = date.today() + timedelta(days=days)
    save(locations, Progress(surgery_date=surgery, welcomed=True))
    screen = run_here("status", env={"COLUMNS": "200"}).stdout
    document = json.loads(run_here("status", "--json").stdout)["status"]
    piles = {
        "To do now:": [step for step in document["due"] if not step["critical"]],
        "Coming next:": document["upcoming"],
        "Important, still open:": document["open_critical"],
        "Not done before surgery:": document["missed"],
    }
    near = {date.today().isoformat(), (date.today() + timedelta(days=1)).isoformat()}
    for heading, steps in piles.items():
        assert (f"\n{heading}\n" in screen) == bool(steps), heading
        listed = [line for line in section(screen, heading).splitlines() if line[:4] == "  - "]
        kept = [
            step
            for number, step in enumerate(steps)
            if number < screens.SHOWN_PER_HEADING or step["critical"] or step["until"] in near
        ]
        expected = len(steps) if heading == "Not done before surgery:" else len(kept)
        assert len(listed) == expected, heading


SCREEN_ENVS = {
    "40 columns": {"COLUMNS": "40"},
    "NO_COLOR": {"NO_COLOR": "1"},
    "TERM=dumb": {"TERM": "dumb", "COLUMNS": "40"},
    "ASCII": {"PYTHONIOENCODING": "ascii", "COLUMNS": "40"},
}


@pytest.mark.parametrize("env", SCREEN_ENVS.values(), ids=SCREEN_ENVS.keys())
@pytest.mark.parametrize("command", [["status"], ["show", "timeline"]])
def test_plain_and_narrow_screens_cut_no_word(
    locations: Locations, env: dict[str, str], command: list[str]
) -> None:
    save(locations, Progress(surgery_date=date.today() + timedelta(days=1), welcomed=True))
    result = run_here("--checklists", str(TIMELINE), *command, env=env)
    assert result.returncode == 0, result.stderr
    assert not ESCAPE.search(result.stdout)
    lines = result.stdout.splitlines()
    if env.get("COLUMNS") == "40":
        long_words = [line for line in lines if len(line) > 40 and " " in line.strip()]
        assert not long_words
    words = result.stdout.split()
    for text in ("Stop the blood thinners your surgeon named.", "Set up a ride home,"):
        assert " ".join(text.split()) in " ".join(words)  # every word whole, in order
    assert not any(line.rstrip().endswith("->") for line in lines)


def test_show_prints_ids_timing_and_the_critical_mark() -> None:
    progress = Progress(surgery_date=SURGERY, welcomed=True)
    before = SURGERY - timedelta(days=10)
    out = "\n".join(screens.checklist_lines(timeline()[0], progress, before)) + "\n"
    assert "Id: stop-thinners" in out
    assert "When: from Friday 20 November, by Thursday 26 November" in out
    block = out.split("Stop the blood thinners")[1].split(" 3. ")[0]
    assert "Important:" in block
    assert "Important:" not in out.split("Set up a ride home")[1].split(" 2. ")[0]
    assert "Not done before surgery." not in out


def test_show_marks_what_was_not_done_before_surgery_and_no_longer_important() -> None:
    progress = Progress(surgery_date=SURGERY, welcomed=True)
    after = SURGERY + timedelta(days=2)
    out = "\n".join(screens.checklist_lines(timeline()[0], progress, after)) + "\n"
    block = out.split("Stop the blood thinners")[1].split(" 3. ")[0]
    assert "Not done before surgery." in block and "Important:" not in block
    assert "Not done before surgery." not in out.split("Do not bend")[1].split(" 6. ")[0]


def test_show_without_a_date_prints_the_phrase() -> None:
    out = run_here("--checklists", str(TIMELINE), "show", "timeline", env={"COLUMNS": "200"}).stdout
    assert "When: from 1 week before surgery until 1 day before" in out


def test_show_json_gives_the_list_with_answers_and_notes(locations: Locations) -> None:
    checklist = timeline()[0]
    answer = Answer("done", "2026-11-20T10:00:00+00:00", "Asked Dr. Lee.")
    save(locations, Progress(welcomed=True).with_answer(checklist, "plan-ride", answer))
    result = run_here("--checklists", str(TIMELINE), "show", "timeline", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    json_schemas.validator("export.schema.json").validate(document)
    (shown,) = document["checklists"]
    assert shown["id"] == "timeline"
    items = {item["id"]: item for item in shown["items"]}
    assert items["plan-ride"]["answer"] == "done"
    assert items["plan-ride"]["note"] == "Asked Dr. Lee."
    assert items["sick"]["answer"] is None
