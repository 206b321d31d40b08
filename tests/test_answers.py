"""Answers mean what they say: notes kept, follow-ups refused when hidden, edited and
hand-edited files noticed, counts that match the screen, dates as people write them.

In-process (``run_here``); the walk in a pty, a real process, where a prompt is involved.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, timedelta
from pathlib import Path

import pexpect
import pytest
from helpers import ROOT, run_here
from json_schemas import validator
from pty_terminal import Terminal

from foracheck import store
from foracheck.catalog import load_catalog
from foracheck.model import Answer, Progress, shown_answer_count
from foracheck.paths import Locations
from foracheck.schedule import parse_surgery_date

SECRET = "Warfarin-7f3a"  # stands for a patient's answer: never in an error stream
NOTE = "dose-unknown-91c2"


def saved(locations: Locations) -> Progress:
    progress = store.read_progress(locations)
    assert progress is not None
    return progress


def spawn_start(*args: str, env: dict[str, str] | None = None) -> pexpect.spawn:
    return Terminal(
        sys.executable,
        ["-m", "foracheck", "start", *args],
        env={**os.environ, "TERM": "xterm-256color", "NO_COLOR": "1", **(env or {})},
        encoding="utf-8",
        timeout=10,
    )


# -- notes ----------------------------------------------------------------------------------


def test_marking_again_without_a_note_keeps_the_note(locations: Locations) -> None:
    assert run_here("mark", "day-of", "arrive-on-time", "n", "--note", NOTE).returncode == 0
    result = run_here("mark", "day-of", "arrive-on-time", "done")
    assert result.returncode == 0, result.stderr
    answer = saved(locations).answer("day-of", "arrive-on-time")
    assert answer is not None
    assert (answer.value, answer.note) == ("done", NOTE)


def test_an_empty_note_removes_the_note(locations: Locations) -> None:
    assert run_here("mark", "day-of", "arrive-on-time", "d", "--note", NOTE).returncode == 0
    assert run_here("mark", "day-of", "arrive-on-time", "d", "--note", "").returncode == 0
    answer = saved(locations).answer("day-of", "arrive-on-time")
    assert answer is not None
    assert answer.note is None


def test_a_note_alone_changes_the_note_and_keeps_the_answer_and_its_time(
    locations: Locations,
) -> None:
    assert run_here("mark", "day-of", "arrive-on-time", "skip").returncode == 0
    before = saved(locations).answer("day-of", "arrive-on-time")
    result = run_here("mark", "day-of", "arrive-on-time", "--note", NOTE)
    assert result.returncode == 0, result.stderr
    assert "Saved the note for day-of arrive-on-time." in result.stdout
    after = saved(locations).answer("day-of", "arrive-on-time")
    assert before is not None and after is not None
    assert (after.value, after.answered_at, after.note) == ("skip", before.answered_at, NOTE)


def test_a_note_alone_needs_an_answer_first(locations: Locations) -> None:
    result = run_here("mark", "day-of", "arrive-on-time", "--note", NOTE)
    assert result.returncode == 2
    assert "give the answer together with the note" in result.stderr
    assert NOTE not in result.stderr
    assert not locations.progress_file.exists()


# -- follow-ups -----------------------------------------------------------------------------


def test_a_hidden_follow_up_is_refused_and_names_the_answer_that_opens_it(
    locations: Locations,
) -> None:
    assert run_here("mark", "tell-your-surgeon", "takes-medicines", "no").returncode == 0
    before = locations.progress_file.read_bytes()
    result = run_here("mark", "tell-your-surgeon", "which-medicines", SECRET, "--note", NOTE)
    assert result.returncode == 2
    assert "takes-medicines" in result.stderr
    assert '"yes"' in result.stderr
    assert "Nothing was saved" in result.stderr
    assert SECRET not in result.stderr + result.stdout
    assert NOTE not in result.stderr + result.stdout
    assert locations.progress_file.read_bytes() == before


def test_an_open_follow_up_is_saved(locations: Locations) -> None:
    assert run_here("mark", "tell-your-surgeon", "takes-medicines", "yes").returncode == 0
    result = run_here("mark", "tell-your-surgeon", "which-medicines", SECRET)
    assert result.returncode == 0, result.stderr
    answer = saved(locations).answer("tell-your-surgeon", "which-medicines")
    assert answer is not None and answer.value == SECRET


# -- edited and hand-edited lists -----------------------------------------------------------


def _clinic_copy(tmp_path: Path, list_id: str, old: str, new: str) -> Path:
    """A clinic's edited copy of a bundled list (same id, one wording changed)."""
    text = (ROOT / "checklists" / f"{list_id}.yaml").read_text(encoding="utf-8")
    assert old in text
    folder = tmp_path / "clinic"
    folder.mkdir(exist_ok=True)
    (folder / f"{list_id}.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_mark_against_an_edited_list_leaves_the_change_notice_for_the_walk(
    locations: Locations, tmp_path: Path
) -> None:
    assert run_here("mark", "day-of", "arrive-on-time", "d").returncode == 0
    answered_version = saved(locations).list_versions["day-of"]
    clinic = _clinic_copy(tmp_path, "day-of", "    text: ", "    text: Clinic wording. ")
    edited = {"FORACHECK_CHECKLISTS": str(clinic)}
    assert run_here("mark", "day-of", "check-arrival-time", "d", env=edited).returncode == 0
    assert saved(locations).list_versions["day-of"] == answered_version

    child = spawn_start("day-of", env=edited)
    child.expect_exact("Surgery date: ")
    child.sendline("")
    child.expect_exact("has changed since you last answered it")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert saved(locations).list_versions["day-of"] != answered_version


def _plant(locations: Locations, answers: dict[str, dict[str, Answer]]) -> None:
    with store.open_for_writing(locations) as writer:
        writer.save(Progress(welcomed=True, answers=answers))


def test_an_answer_that_does_not_fit_its_item_is_never_shown_or_exported(
    locations: Locations,
) -> None:
    catalog = load_catalog(locations)
    # Items that always apply, so that the export lists them.
    always = [i for i in catalog.get("week-before").items if i.show_if is None]
    yesno_item = next(i for i in always if i.type == "yesno")
    task_item = next(i for i in always if i.type == "task")
    at = "2026-11-20T10:00:00+01:00"
    _plant(
        locations,
        {"week-before": {yesno_item.id: Answer("done", at), task_item.id: Answer("maybe", at)}},
    )
    result = run_here("export", "week-before", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    validator("export.schema.json").validate(document)
    items = {item["id"]: item for item in document["checklists"][0]["items"]}
    assert items[yesno_item.id]["answer"] is None
    assert items[task_item.id]["answer"] is None
    for command in (["status"], ["show", "week-before"], ["print"]):
        shown = run_here(*command)
        assert shown.returncode == 0, shown.stderr
        assert "maybe" not in shown.stdout
    # kept in the file all the same: nothing is dropped
    assert saved(locations).answer("week-before", task_item.id) == Answer("maybe", at)


def test_a_misfit_answer_is_told_once_at_the_walk(locations: Locations) -> None:
    catalog = load_catalog(locations)
    task_item = next(i for i in catalog.get("day-of").items if i.type == "task")
    _plant(locations, {"day-of": {task_item.id: Answer("maybe", "2026-11-20T10:00:00+01:00")}})
    child = spawn_start("day-of")
    child.expect_exact("do not fit its questions")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


@pytest.mark.parametrize("answered_at", ["yesterday", "2026-11-20T10:00:00", 20261120])
def test_a_bad_answer_time_makes_the_file_unreadable_not_exported(
    locations: Locations, answered_at: object
) -> None:
    locations.home.mkdir(mode=0o700)
    document = {
        "schema": 1,
        "surgery_date": None,
        "welcomed": True,
        "lists": {
            "day-of": {
                "version": None,
                "answers": {"arrive-on-time": {"answer": "done", "answered_at": answered_at}},
            }
        },
    }
    locations.progress_file.write_text(json.dumps(document))
    result = run_here("export", "--format", "json")
    assert result.returncode == 65
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    kept = list(locations.home.glob("progress.json.corrupt-*"))
    assert len(kept) == 1
    assert json.loads(kept[0].read_text()) == document


def test_a_byte_order_mark_in_the_progress_file_is_tolerated(locations: Locations) -> None:
    assert run_here("mark", "day-of", "arrive-on-time", "d").returncode == 0
    data = locations.progress_file.read_bytes()
    locations.progress_file.write_bytes(b"\xef\xbb\xbf" + data)
    result = run_here("export", "day-of", "--format", "json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["checklists"][0]["items"]
    assert {i["id"]: i["answer"] for i in items}["arrive-on-time"] == "done"
    assert not list(locations.home.glob("progress.json.corrupt-*"))


# -- counts ---------------------------------------------------------------------------------


def test_the_saved_count_is_what_the_patient_can_see(locations: Locations) -> None:
    catalog = load_catalog(locations)
    at = "2026-11-20T10:00:00+01:00"
    progress = Progress(
        welcomed=True,
        answers={
            "tell-your-surgeon": {
                "takes-medicines": Answer("no", at),
                "which-medicines": Answer(SECRET, at),  # hidden: its condition is not met
                "an-item-a-clinic-removed": Answer("yes", at),  # no longer in the list
            },
            "day-of": {"arrive-on-time": Answer("done", at)},
        },
    )
    assert progress.count() == 4
    assert shown_answer_count(catalog.checklists, progress) == 2
    _plant(locations, {key: dict(value) for key, value in progress.answers.items()})
    child = spawn_start("day-of")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert "2 answers saved in" in (child.before or "")


# -- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["2026-W48-1", "20261201", "2026-12-1", "0000-01-01", "12/01"])
def test_only_calendar_dates_written_yyyy_mm_dd_are_taken(typed: str) -> None:
    result = run_here("start", "--surgery-date", typed)
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_day_that_does_not_exist_is_named_as_such() -> None:
    result = run_here("start", "--surgery-date", "2026-11-31")
    assert result.returncode == 2
    assert "not a day in the calendar: November 2026 has 30 days" in result.stderr
    assert parse_surgery_date("2028-02-29") == date(2028, 2, 29)


def test_a_date_more_than_a_year_away_is_confirmed_in_the_walk(locations: Locations) -> None:
    far = date.today() + timedelta(days=800)
    near = date.today() + timedelta(days=10)
    child = spawn_start("day-of")
    child.expect_exact("Surgery date: ")
    child.sendline(far.isoformat())
    child.expect_exact("more than a year from now")
    child.expect_exact("(y/n): ")
    child.sendline("n")
    child.expect_exact("Surgery date: ")  # asked again
    child.sendline(near.isoformat())
    child.expect_exact("> ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert saved(locations).surgery_date == near


def test_a_far_surgery_date_option_is_kept_only_when_confirmed(locations: Locations) -> None:
    far = date.today() - timedelta(days=400)  # day-of would be all missed: never asked
    child = spawn_start("after-surgery", "--surgery-date", far.isoformat())
    child.expect_exact("days ago. Please check the date")
    child.expect_exact("(y/n): ")
    child.sendline("y")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert saved(locations).surgery_date == far


@pytest.mark.parametrize("typed", ["does not apply", "Does Not Apply", " does  not apply ", "s"])
def test_does_not_apply_is_typed_as_the_screen_says_it(locations: Locations, typed: str) -> None:
    result = run_here("mark", "day-of", "check-arrival-time", typed)
    assert result.returncode == 0, result.stderr
    answer = saved(locations).answer("day-of", "check-arrival-time")
    assert answer is not None and answer.value == "skip"
