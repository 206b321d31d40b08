"""The patient's day with the bundled lists: what comes first, missed steps, alerts, the gates.

A fresh patient (nothing answered) and a diligent one (every step that began
before today answered) on the days that matter: 21 and 5 days before, the day
before, the surgery day, 1, 2 and 35 days after. Each day asserts what ``start``
asks first, the first block of ``status``, ``status --json``'s states and
order, and the exit codes of the three export gates. All in this process, on a
fixed calendar: "today" is given to the engine, and the CLI's clock is fixed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT
from json_schemas import validator
from render_helpers import bundled, invoke, save

from foracheck import cli, screens, session
from foracheck.agenda import agenda
from foracheck.model import Answer, Checklist, Progress, applicable_items
from foracheck.paths import Locations
from foracheck.store import read_progress
from foracheck.timeline import window_of
from foracheck.walk import Question, Step

SURGERY = date(2026, 11, 27)  # a Friday
AT = "2026-10-01T09:00:00+00:00"
WHERE = Path("/home/someone/progress.json")
SCHEMAS = ROOT / "foracheck" / "schemas"
DAYS = (-21, -5, -1, 0, 1, 2, 35)  # today, counted from the surgery day
DILIGENT_ANSWER = {"task": "done", "yesno": "no", "text": "none"}


def on(offset: int) -> date:
    return SURGERY + timedelta(days=offset)


def patient(lists: Sequence[Checklist], today: date, diligent: bool) -> Progress:
    """Fresh: a surgery date, nothing else. Diligent: every step that began before
    today answered (tasks done, questions no, text "none"), follow-ups included."""
    progress = Progress(surgery_date=SURGERY, welcomed=True)
    changed = diligent
    while changed:
        changed = False
        for checklist in lists:
            answers = progress.answers_to(checklist)
            for item in applicable_items(checklist, answers):
                window = window_of(checklist, item)
                begun = window is not None and SURGERY + timedelta(days=window.start) < today
                if item.id not in answers and begun:
                    answer = Answer(DILIGENT_ANSWER[item.type], AT)
                    progress = progress.with_answer(checklist, item.id, answer)
                    changed = True
    return progress


@dataclass
class FirstQuestion:
    """A ``start`` session that records what it says and the first question, then quits."""

    told: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    ending: str | None = None
    saved: int | None = None

    def ask(self, question: Question) -> str:
        self.asked.append(f"{question.checklist.id}/{question.item.id}")
        return "q"

    def notice(self, message: str) -> None:
        self.told.append(message)

    def closing(self, ending: str, saved: int, where: Path) -> None:
        self.ending, self.saved = ending, saved

    def summary(
        self, checklists: list[Checklist], progress: Progress, open_steps: list[Step], today: date
    ) -> None:
        self.told.append(f"summary: {len(open_steps)} open")

    def __getattr__(self, name: str) -> Any:  # the rest of SessionPrompter: quiet
        return lambda *args, **kwargs: None


def start_at(locations: Locations, today: date, diligent: bool) -> FirstQuestion:
    lists = bundled()
    save(locations, patient(lists, today, diligent))
    talk = FirstQuestion()
    session.run_start(locations, lists, None, False, today, lists, talk)  # type: ignore[arg-type]
    return talk


def first_block(today: date, progress: Progress) -> str:
    """The block after the countdown: what ``status`` opens with."""
    lines = screens.status_lines(bundled(), progress, today, WHERE)
    return "\n".join(lines).split("\n\n")[1]


def status_json(today: date, progress: Progress) -> dict[str, Any]:
    document = screens.status_document(bundled(), progress, today)
    validate(json.loads(json.dumps(document)))
    status: dict[str, Any] = document["status"]
    return status


def validate(document: dict[str, Any]) -> None:
    validator("status.schema.json").validate(document)


def keys(steps: list[dict[str, Any]]) -> list[str]:
    return [f"{step['checklist']}/{step['item']}" for step in steps]


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


# today -> (fresh patient's first question, diligent patient's first question or None)
# (critical steps first, then by end day: the blood-thinner question ends 10 days before,
# the illness checks end the day they are asked, fasting ends on the surgery day; walking
# starts on the surgery day, so by the next day a diligent patient has nothing new)
FIRST_ASKED = {
    -21: ("week-before/ask-about-blood-thinners", None),
    -5: ("week-before/ask-about-blood-thinners", None),
    -1: ("plan-ahead/set-up-ride", "day-of/sick-day-before"),
    0: ("day-of/stop-eating-drinking", "day-of/sick-surgery-morning"),
    1: ("after-surgery/told-when-to-get-up", None),
    2: ("after-surgery/told-when-to-get-up", None),
    35: ("after-surgery/ask-about-driving", None),
}


@pytest.mark.parametrize("diligent", [False, True], ids=["fresh", "diligent"])
@pytest.mark.parametrize("offset", DAYS)
def test_what_start_asks_first(locations: Locations, offset: int, diligent: bool) -> None:
    talk = start_at(locations, on(offset), diligent)
    expected = FIRST_ASKED[offset][diligent]
    assert talk.asked[:1] == ([expected] if expected else [])
    if expected is None:  # nothing to do today: the walk ends at once, and says so
        assert talk.ending == "All done for now."


@pytest.mark.parametrize("offset", [1, 2, 35])
def test_after_surgery_start_says_once_how_many_steps_were_not_done(
    locations: Locations, offset: int
) -> None:
    talk = start_at(locations, on(offset), diligent=False)
    missed = len(agenda(bundled(), Progress(surgery_date=SURGERY), on(offset)).missed)
    assert missed > 20
    sentence = (
        f"{missed} steps before surgery were not done; they are kept for your care team, "
        "and the walk goes on with what comes after surgery."
    )
    assert talk.told.count(sentence) == 1
    assert all(not key.startswith(("day-of/", "week-before/")) for key in talk.asked)
    diligent = start_at(locations, on(offset), diligent=True)
    assert not any("were not done" in line for line in diligent.told)


# today -> the first block of status, fresh (heading, first step's words)
FIRST_BLOCK = {
    -21: ("Important, still open:", "Ask your surgeon if you should stop any blood thinners"),
    -5: ("Important, still open:", "Ask your surgeon if you should stop any blood thinners"),
    -1: ("Important, still open:", "ride home"),
    0: ("Important, still open:", "Stop eating and drinking"),
    1: ("To do now:", "After surgery"),
    2: ("To do now:", "After surgery"),
    35: ("To do now:", "After surgery: Ask your surgeon when you can drive"),
}


@pytest.mark.parametrize("offset", DAYS)
def test_status_opens_with_what_comes_first(offset: int) -> None:
    today = on(offset)
    block = first_block(today, patient(bundled(), today, diligent=False))
    heading, words = FIRST_BLOCK[offset]
    assert block.splitlines()[0] == heading
    assert words in block.splitlines()[1]
    if offset > 0:  # a recovering patient is never told to fast or to get a scan
        screen = "\n".join(screens.status_lines(bundled(), Progress(SURGERY), today, WHERE))
        to_do = screen.split("Not done before surgery:")[0]
        assert "Stop eating" not in to_do and "MRI" not in to_do
        assert "Stop eating" in screen.split("Not done before surgery:")[1]


@pytest.mark.parametrize("offset", DAYS)
def test_status_of_a_diligent_patient(offset: int) -> None:
    today = on(offset)
    block = first_block(today, patient(bundled(), today, diligent=True))
    expected = FIRST_ASKED[offset][True]
    if expected is None:
        screen = screens.status_lines(bundled(), patient(bundled(), today, True), today, WHERE)
        assert {"Nothing to do today.", "Every step is answered. Well done."} & set(screen)
    else:
        assert block.splitlines()[0] in ("Important, still open:", "To do now:")


def test_the_day_before_nothing_ending_today_or_tomorrow_is_folded() -> None:
    today = on(-1)
    screen = "\n".join(screens.status_lines(bundled(), Progress(SURGERY), today, WHERE))
    assert "Check what time you need to arrive at the hospital" in screen
    assert "Check when your care team wants you to stop eating and drinking" in screen
    assert "Check again when to stop eating and drinking, and when to arrive" in screen
    assert "Are you sick today, the day before your surgery?" in screen
    assert "(today is the last day)" in screen
    assert "(by tomorrow)" in screen
    for line in screen.splitlines():
        if line.strip().startswith("... and"):  # what is folded is walked by the hint's command
            assert "'foracheck start" in line


@pytest.mark.parametrize("diligent", [False, True], ids=["fresh", "diligent"])
@pytest.mark.parametrize("offset", DAYS)
def test_status_json_states_and_order(offset: int, diligent: bool) -> None:
    today = on(offset)
    progress = patient(bundled(), today, diligent)
    status = status_json(today, progress)
    due = status["due"]
    expected = FIRST_ASKED[offset][diligent]
    assert keys(due)[:1] == ([expected] if expected else [])
    assert all(step["state"] in ("due", "overdue") for step in due)
    # critical first; within each, what ends today, then overdue, then by end day
    ranks = [
        (
            not step["critical"],
            0 if step["until"] == today.isoformat() else 1 if step["state"] == "overdue" else 2,
        )
        for step in due
    ]
    if offset <= 0:
        assert ranks == sorted(ranks)
    assert all(step["state"] == "missed" for step in status["missed"])
    assert bool(status["missed"]) == (offset > 0 and not diligent)
    states = {
        item["id"]: item["state"]
        for checklist in screens.status_document(bundled(), progress, today)["checklists"]
        for item in checklist["items"]
    }
    if offset > 0 and not diligent:
        assert states["stop-eating-drinking"] == "missed"
        assert states["imaging-scan"] == "missed"
    if offset == 0 and not diligent:
        assert states["imaging-scan"] == "overdue"
        assert states["arrive-on-time"] == "due"


class FixedDate(date):
    """The CLI's clock on a fixed day (``date.today()`` is all it asks of it)."""

    fixed = SURGERY

    @classmethod
    def today(cls) -> date:
        return date(cls.fixed.year, cls.fixed.month, cls.fixed.day)


def gates(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, today: date
) -> dict[str, int]:
    monkeypatch.setattr(FixedDate, "fixed", today)
    monkeypatch.setattr(cli, "date", FixedDate)
    codes = {}
    for gate in ("--require-complete", "--require-due", "--require-critical"):
        code, out, _err = invoke(capsys, "export", "--format", "json", gate)
        assert json.loads(out)["surgery_date"] == SURGERY.isoformat()  # written first
        codes[gate] = code
    return codes


# today -> (fresh, diligent): exit codes of complete, due, critical
GATES = {
    -21: ((1, 1, 1), (1, 0, 1)),
    -5: ((1, 1, 1), (1, 0, 1)),
    -1: ((1, 1, 1), (1, 1, 1)),
    0: ((1, 1, 1), (1, 1, 1)),
    1: ((1, 1, 1), (1, 0, 0)),
    2: ((1, 1, 1), (1, 0, 0)),
    35: ((1, 1, 1), (0, 0, 0)),
}


@pytest.mark.parametrize("diligent", [False, True], ids=["fresh", "diligent"])
@pytest.mark.parametrize("offset", DAYS)
def test_the_three_gates(
    locations: Locations,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    offset: int,
    diligent: bool,
) -> None:
    today = on(offset)
    save(locations, patient(bundled(), today, diligent))
    codes = gates(capsys, monkeypatch, today)
    expected = dict(
        zip(
            ("--require-complete", "--require-due", "--require-critical"),
            GATES[offset][diligent],
            strict=True,
        )
    )
    assert codes == expected


def test_missed_steps_never_fail_require_due_after_surgery(
    locations: Locations, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every begun step that can still be done is done, nothing that ended by surgery:
    only --require-complete fails."""
    lists = bundled()
    today = on(3)
    progress = Progress(surgery_date=SURGERY, welcomed=True)
    for checklist in lists:
        for item in applicable_items(checklist, {}):
            window = window_of(checklist, item)
            if window is None or on(window.start) > today:
                continue
            if window.end is None or window.end > 0:  # not missed: after surgery, or ongoing
                value = Answer(DILIGENT_ANSWER[item.type], AT)
                progress = progress.with_answer(checklist, item.id, value)
    save(locations, progress)
    plan = agenda(lists, progress, today)
    assert plan.missed and not plan.now  # only missed steps are left to do
    codes = gates(capsys, monkeypatch, today)
    assert codes["--require-due"] == 0
    assert codes["--require-complete"] == 1


# -- the illness alert --------------------------------------------------------------------


def sick(today: date) -> Progress:
    checklist = next(c for c in bundled() if c.id == "week-before")
    progress = Progress(surgery_date=SURGERY, welcomed=True)
    return progress.with_answer(checklist, "sick-before-surgery", Answer("yes", AT))


def test_a_yes_to_the_illness_question_opens_status_with_act_now() -> None:
    today = on(-3)
    block = first_block(today, sick(today))
    lines = block.splitlines()
    assert lines[0] == "Act now:"
    assert "Do you have COVID-19" in lines[1] and "Tell your surgeon or nurse today" in lines[1]
    status = status_json(today, sick(today))
    assert keys(status["alerts"]) == ["week-before/sick-before-surgery"]
    assert status["alerts"][0]["alert"].startswith("Tell your surgeon or nurse today")
    # its critical follow-up is open, so scripts keep failing until it is done
    assert "week-before/tell-surgeon-you-are-sick" in keys(status["open_critical"])


def test_the_alert_ends_with_its_window() -> None:
    today = on(1)  # the question's window ended the day before surgery
    assert status_json(today, sick(today))["alerts"] == []
    assert "Act now:" not in "\n".join(screens.status_lines(bundled(), sick(today), today, WHERE))


def test_the_alert_is_marked_in_show(
    locations: Locations, capsys: pytest.CaptureFixture[str]
) -> None:
    save(locations, sick(on(-3)))
    code, out, _ = invoke(capsys, "show", "week-before")
    assert code == 0
    assert "Act now: Tell your surgeon or nurse today that you are sick." in " ".join(out.split())


# -- one count ----------------------------------------------------------------------------


@dataclass
class Answers(FirstQuestion):
    """A session that answers from a script, then quits."""

    script: list[str] = field(default_factory=list)

    def ask(self, question: Question) -> str:
        self.asked.append(f"{question.checklist.id}/{question.item.id}")
        return self.script.pop(0) if self.script else "q"


def test_the_quit_line_and_the_welcome_back_count_the_same(locations: Locations) -> None:
    """Three answers typed, one of them "not yet": two resolved steps, said alike."""
    lists = bundled()
    today = on(-21)
    save(locations, patient(lists, today, diligent=False))
    first = Answers(script=["d", "n", "n"])  # done, no, not yet
    session.run_start(locations, lists, None, False, today, lists, first)  # type: ignore[arg-type]
    assert first.asked[:3] == [
        "week-before/ask-about-blood-thinners",  # a task: done
        "week-before/told-to-stop-blood-thinners",  # a question: no
        "plan-ahead/set-up-ride",  # a task: not yet
    ]
    assert first.saved == 2
    again = FirstQuestion()
    session.run_start(locations, lists, None, False, today, lists, again)  # type: ignore[arg-type]
    welcome = next(line for line in again.told if line.startswith("Welcome back"))
    saved = read_progress(locations)  # the "no" opened no follow-up; the "done" opened one
    assert saved is not None
    total = sum(count.total for count in agenda(lists, saved, today).counts)
    assert welcome == f"Welcome back: 2 of {total} answered."
    assert again.saved == 2


def test_each_gate_names_the_walk_that_shows_its_steps(
    locations: Locations, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    today = on(-5)
    save(locations, patient(bundled(), today, diligent=False))
    monkeypatch.setattr(FixedDate, "fixed", today)
    monkeypatch.setattr(cli, "date", FixedDate)
    _, _, due = invoke(capsys, "export", "--require-due")
    assert "steps due by today are still open" in due
    assert "Answer them with 'foracheck start' or 'foracheck mark'." in due
    _, _, complete = invoke(capsys, "export", "--require-complete")
    assert "Answer them with 'foracheck start --all' or 'foracheck mark'." in complete
