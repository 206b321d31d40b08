"""``mark``, ``status``, ``reset`` and ``start`` without a terminal, as real processes.

Exit codes and streams are the contract's; errors are plain sentences on
standard error, never a traceback and never a patient's answer or note.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import run_cli, run_here

from foracheck import store
from foracheck.catalog import Catalog, load_catalog
from foracheck.lock import LOCKED_MESSAGE
from foracheck.model import Answer, Progress
from foracheck.paths import Locations
from foracheck.timeline import day_text

BUNDLED_IDS = ["plan-ahead", "tell-your-surgeon", "week-before", "day-of", "after-surgery"]
SECRET = "Warfarin-7f3a"  # stands for a patient's answer: must never reach an error stream
TASK_CHOICES = "done (d), not yet (n) or does not apply (s)"
YESNO_CHOICES = "yes (y) or no (n)"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(Locations.resolve(home=Path("/nonexistent")))


def write_progress(locations: Locations, progress: Progress) -> None:
    with store.open_for_writing(locations) as writer:
        writer.save(progress)


def answered(catalog: Catalog, answers: dict[tuple[str, str], str], **fields: object) -> Progress:
    progress = dataclasses.replace(Progress(welcomed=True), **fields)  # type: ignore[arg-type]
    for (list_id, item_id), value in answers.items():
        answer = Answer(value, "2026-03-10T10:00:00+00:00")
        progress = progress.with_answer(catalog.get(list_id), item_id, answer)
    return progress


def no_traceback(*streams: str) -> None:
    for stream in streams:
        assert "Traceback" not in stream


# -- mark ----------------------------------------------------------------------------------


def test_mark_saves_an_answer_and_a_note(locations: Locations) -> None:
    result = run_here("mark", "week-before", "ask-about-blood-thinners", " Done ", "--note", SECRET)
    assert result.returncode == 0, result.stderr
    assert "Saved the answer for week-before ask-about-blood-thinners" in result.stdout
    assert SECRET not in result.stdout
    progress = store.read_progress(locations)
    assert progress is not None
    answer = progress.answer("week-before", "ask-about-blood-thinners")
    assert answer is not None
    assert (answer.value, answer.note) == ("done", SECRET)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", answer.answered_at)


@pytest.mark.parametrize(
    ("list_id", "item_id", "typed", "choices"),
    [
        ("week-before", "ask-about-blood-thinners", "finished", TASK_CHOICES),
        ("week-before", "ask-about-blood-thinners", "yes", TASK_CHOICES),
        ("week-before", "sick-before-surgery", "maybe", YESNO_CHOICES),
        ("week-before", "sick-before-surgery", "done", YESNO_CHOICES),
    ],
)
def test_mark_rejects_an_answer_the_item_does_not_accept(
    locations: Locations, list_id: str, item_id: str, typed: str, choices: str
) -> None:
    result = run_here("mark", list_id, item_id, typed)
    assert result.returncode == 2
    assert choices in result.stderr
    assert typed not in result.stderr.replace(choices, "")
    assert not locations.progress_file.exists()
    no_traceback(result.stderr)


@pytest.mark.parametrize(
    ("answer", "extra"),
    [
        (SECRET * 40, []),  # over 500 characters
        (f"{SECRET}\nsecond line", []),
        ("", []),
        ("aspirin", ["--note", SECRET * 200]),  # a note over 2000 characters
    ],
    ids=["too-long", "two-lines", "empty", "long-note"],
)
def test_mark_never_repeats_a_rejected_text_answer_or_note(
    locations: Locations, answer: str, extra: list[str]
) -> None:
    result = run_here("mark", "tell-your-surgeon", "which-medicines", answer, *extra)
    assert result.returncode == 2
    assert result.stderr.strip()
    assert SECRET not in result.stderr + result.stdout
    assert not locations.progress_file.exists()
    no_traceback(result.stderr)


def test_mark_without_an_answer_asks_for_one_or_clear() -> None:
    result = run_here("mark", "day-of", "arrive-on-time")
    assert result.returncode == 2
    assert "--clear" in result.stderr


def test_mark_clear_removes_the_answer(locations: Locations) -> None:
    assert run_here("mark", "day-of", "arrive-on-time", "d").returncode == 0
    assert run_here("mark", "day-of", "check-arrival-time", "s").returncode == 0
    result = run_here("mark", "day-of", "arrive-on-time", "--clear")
    assert result.returncode == 0, result.stderr
    assert "Cleared the answer for day-of arrive-on-time" in result.stdout
    progress = store.read_progress(locations)
    assert progress is not None
    assert progress.answer("day-of", "arrive-on-time") is None
    assert progress.answer("day-of", "check-arrival-time") is not None
    again = run_here("mark", "day-of", "arrive-on-time", "--clear")
    assert again.returncode == 0
    assert "nothing changed" in again.stdout


def test_mark_clear_with_an_answer_is_a_usage_error(locations: Locations) -> None:
    result = run_here("mark", "day-of", "arrive-on-time", "done", "--clear")
    assert result.returncode == 2
    assert "--clear" in result.stderr
    assert not locations.progress_file.exists()


def test_mark_unknown_list_names_the_lists() -> None:
    result = run_here("mark", "week-after", "x", "done")
    assert result.returncode == 2
    assert "week-after" in result.stderr
    for list_id in BUNDLED_IDS:
        assert list_id in result.stderr
    no_traceback(result.stderr)


def test_mark_unknown_item_names_the_items(catalog: Catalog) -> None:
    result = run_here("mark", "day-of", "bring-snacks", "done")
    assert result.returncode == 2
    assert "bring-snacks" in result.stderr
    for item in catalog.get("day-of").items:
        assert item.id in result.stderr
    no_traceback(result.stderr)


def test_mark_waits_for_nobody_while_the_progress_is_open(locations: Locations) -> None:
    assert run_here("mark", "day-of", "arrive-on-time", "d").returncode == 0
    before = locations.progress_file.read_bytes()
    with store.open_for_writing(locations, "start"):
        result = run_cli("mark", "day-of", "check-arrival-time", "d")
    assert result.returncode == 75
    assert LOCKED_MESSAGE in result.stderr
    assert locations.progress_file.read_bytes() == before


def test_mark_refuses_a_symlink_at_the_progress_path(locations: Locations, tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_bytes(b"do not touch")
    locations.home.mkdir()
    locations.progress_file.symlink_to(target)
    result = run_here("mark", "day-of", "arrive-on-time", "d")
    assert result.returncode == 74
    assert "symbolic link" in result.stderr
    assert target.read_bytes() == b"do not touch"
    assert locations.progress_file.is_symlink()
    no_traceback(result.stderr)


def test_an_unquoted_text_answer_is_not_repeated_in_the_usage_error() -> None:
    result = run_here("mark", "tell-your-surgeon", "which-medicines", "aspirin", SECRET)
    assert result.returncode == 2
    assert SECRET not in result.stderr
    assert "in quotes" in result.stderr


# -- status --------------------------------------------------------------------------------


def test_status_with_nothing_saved(locations: Locations) -> None:
    result = run_here("status")
    assert result.returncode == 0, result.stderr
    assert "No surgery date saved yet" in result.stdout
    assert "No answers are saved yet" in result.stdout
    assert "0 of 8 done: Things to tell your surgeon" in result.stdout
    assert not locations.home.exists()  # status creates nothing


def test_status_shows_counts_countdown_due_items_and_surgeon_summary(
    locations: Locations, catalog: Catalog
) -> None:
    surgery = date.today() + timedelta(days=5)
    progress = answered(
        catalog,
        {
            ("week-before", "ask-about-blood-thinners"): "done",
            ("week-before", "told-to-stop-blood-thinners"): "yes",
            ("week-before", "blood-thinners-to-stop"): "Aspirin: stop 5 days before",
            ("week-before", "ask-day-of-medicines"): "not-yet",
            ("week-before", "sick-before-surgery"): "yes",
            ("tell-your-surgeon", "takes-medicines"): "yes",
            ("tell-your-surgeon", "which-medicines"): "Metformin 500",
            ("tell-your-surgeon", "pregnant"): "no",
        },
        surgery_date=surgery,
    )
    write_progress(locations, progress)
    result = run_here("status", env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"Surgery in 5 days: {day_text(surgery, date.today())}.\n")
    # "yes" to the illness question needs action: it comes first, with its alert.
    act_now = out.split("\n\n")[1]
    assert act_now.startswith("Act now:\n  - The week before surgery: Do you have COVID-19")
    assert "-> Tell your surgeon or nurse today that you are sick." in act_now
    # done/total per list: week-before has 4 of 7 resolved ("not-yet" is open, and the
    # "yes" answers opened the stop step and the task to tell the surgeon); the
    # follow-up counts once "yes" made it apply: 3 of 9 in tell-your-surgeon.
    assert re.search(r"\[#+-*\] 4 of 7 done: The week before surgery\n", out)
    assert re.search(r"\[#+-*\] 3 of 9 done: Things to tell your surgeon\n", out)
    assert re.search(r"\[-+\] 0 of 8 done: The day of surgery\n", out)
    due = out.split("To do now:")[1].split("Coming next:")[0]
    status = json.loads(run_here("status", "--json").stdout)["status"]
    due_ids = [(step["checklist"], step["item"]) for step in status["due"]]
    assert ("week-before", "ask-day-of-medicines") in due_ids  # "not-yet" is still to do
    assert ("week-before", "ask-about-blood-thinners") not in due_ids
    assert "Ask your surgeon if you should stop" not in due  # resolved
    assert "The day of surgery" not in due  # not due for 5 days
    coming = out.split("Coming next:")[1].split("Your lists:")[0]
    assert (
        f"The day of surgery: Get to the hospital on time. (on {day_text(surgery, surgery)})"
        in coming
    )
    surgeon = out.split("Tell your surgeon:")[1]
    assert "Do you have COVID-19" in surgeon
    assert "Do you take any prescription medicines? -> yes" in surgeon
    assert "Metformin 500" in surgeon
    assert "Are you pregnant" not in surgeon  # "no" is not for the surgeon
    # A long path stands on a line of its own (words are never cut): wherever the clone is.
    assert f"Progress file: {locations.progress_file}" in " ".join(out.split())


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (1, "Surgery is tomorrow: {}."),
        (0, "Surgery is today."),
        (-2, "Surgery was 2 days ago, on {}."),
    ],
)
def test_status_countdown(locations: Locations, days: int, expected: str) -> None:
    surgery = date.today() + timedelta(days=days)
    write_progress(locations, Progress(surgery_date=surgery, welcomed=True))
    result = run_here("status")
    assert result.returncode == 0
    assert result.stdout.startswith(expected.format(day_text(surgery, date.today())) + "\n")


def test_status_json(locations: Locations, catalog: Catalog) -> None:
    surgery = date.today() + timedelta(days=5)
    progress = answered(
        catalog,
        {("day-of", "arrive-on-time"): "done", ("tell-your-surgeon", "pregnant"): "yes"},
        surgery_date=surgery,
    )
    write_progress(locations, progress)
    result = run_here("status", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["surgery_date"] == surgery.isoformat()
    assert [c["id"] for c in data["checklists"]] == BUNDLED_IDS
    day_of = {i["id"]: i for i in data["checklists"][3]["items"]}
    assert day_of["arrive-on-time"]["answer"] == "done"
    assert day_of["arrive-on-time"]["resolved"] is True
    assert day_of["stop-eating-drinking"]["answer"] is None
    assert day_of["stop-eating-drinking"]["resolved"] is False
    surgeon = {i["id"]: i for i in data["checklists"][1]["items"]}
    assert surgeon["pregnant"]["tell_surgeon"] is True
    assert "which-medicines" not in surgeon  # a follow-up that does not apply is left out


# -- corrupt and newer files through the CLI ------------------------------------------------


def test_status_on_a_corrupt_file_exits_65_and_says_where_it_was_kept(
    locations: Locations, catalog: Catalog
) -> None:
    first = answered(catalog, {("day-of", "arrive-on-time"): "done"})
    write_progress(locations, first)
    write_progress(locations, answered(catalog, {("day-of", "arrive-on-time"): "skip"}))
    content = b'{"schema": 1, "lists": {"day-of": {"answers": {"x": "' + SECRET.encode()
    locations.progress_file.write_bytes(content)
    result = run_here("status")
    assert result.returncode == 65
    assert result.stdout == ""
    no_traceback(result.stderr)
    assert SECRET not in result.stderr
    (kept,) = locations.home.glob("progress.json.corrupt-*")
    assert str(kept) in result.stderr.replace("\n", "")
    assert kept.read_bytes() == content
    assert "backup" in result.stderr
    assert "foracheck start" in result.stderr
    assert not locations.progress_file.exists()
    # The backup survives: the next run sees no saved progress, not an empty replacement.
    assert store.read_backup(locations) is not None
    assert run_here("status").returncode == 0


@pytest.mark.parametrize(
    "command", [["status"], ["status", "--json"], ["mark", "day-of", "arrive-on-time", "d"]]
)
def test_commands_on_an_empty_file_exit_65(locations: Locations, command: list[str]) -> None:
    locations.home.mkdir()
    locations.progress_file.write_bytes(b"")
    result = run_here(*command)
    assert result.returncode == 65
    no_traceback(result.stderr)
    assert len(list(locations.home.glob("progress.json.corrupt-*"))) == 1
    assert not locations.progress_file.exists()


def test_a_newer_file_is_left_alone_with_an_upgrade_message(locations: Locations) -> None:
    content = json.dumps({"schema": store.SCHEMA_VERSION + 1, "lists": {}}).encode()
    locations.home.mkdir()
    locations.progress_file.write_bytes(content)
    for command in (["status"], ["mark", "day-of", "arrive-on-time", "d"], ["start"]):
        result = run_here(*command)
        assert result.returncode in (65, 2), command  # start without a terminal stops at 2
        no_traceback(result.stderr)
        assert locations.progress_file.read_bytes() == content
    result = run_here("status")
    assert "upgrade" in result.stderr.lower()
    progress_files = [p.name for p in locations.home.iterdir() if p.name.startswith("progress")]
    assert progress_files == ["progress.json"]  # not moved, copied or migrated


# -- reset ----------------------------------------------------------------------------------


def test_reset_without_yes_and_without_a_terminal_exits_2(locations: Locations) -> None:
    assert run_here("mark", "day-of", "arrive-on-time", "d").returncode == 0
    before = locations.progress_file.read_bytes()
    result = run_here("reset", input="y\n")
    assert result.returncode == 2
    assert "--yes" in result.stderr
    assert locations.progress_file.read_bytes() == before
    assert not list(locations.home.glob("progress.json.reset-*"))


def test_reset_yes_keeps_a_copy_and_says_where(locations: Locations) -> None:
    assert run_here("mark", "day-of", "arrive-on-time", "d").returncode == 0
    before = locations.progress_file.read_bytes()
    result = run_here("reset", "--yes")
    assert result.returncode == 0, result.stderr
    (kept,) = locations.home.glob("progress.json.reset-*")
    assert kept.read_bytes() == before
    assert str(kept) in result.stdout.replace("\n", "")
    assert store.read_progress(locations) is None  # a fresh, empty start
    status = run_here("status")
    assert "No answers are saved yet" in status.stdout


def test_reset_with_nothing_saved(locations: Locations) -> None:
    result = run_here("reset", "--yes")
    assert result.returncode == 0
    assert "nothing to reset" in result.stdout


# -- start without a terminal ---------------------------------------------------------------


def test_start_without_a_terminal_exits_2_and_names_mark(locations: Locations) -> None:
    result = run_here("start", input="d\nd\n")
    assert result.returncode == 2
    assert "foracheck mark" in result.stderr
    assert result.stdout == ""  # it prompted for nothing
    assert not locations.home.exists()
    no_traceback(result.stderr)


def test_start_with_a_bad_surgery_date_exits_2() -> None:
    result = run_here("start", "--surgery-date", "next tuesday")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr
