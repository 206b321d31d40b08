"""The calendar export: RFC 5545 read back by icalendar, and checked byte by byte."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, time, timedelta

import icalendar
import pytest
from render_helpers import (
    NOW,
    SURGERY,
    bundled,
    check_case,
    filled,
    hostile,
    invoke,
    rendered,
    save,
    timeline,
)

from foracheck.model import Progress
from foracheck.paths import Locations
from foracheck.render import Options, render
from foracheck.render.ics import MAX_OCTETS, escape, fold
from foracheck.store import read_progress


def calendar(text: str) -> icalendar.Calendar:
    parsed = icalendar.Calendar.from_ical(text)
    assert isinstance(parsed, icalendar.Calendar)
    return parsed


def events(text: str) -> dict[str, icalendar.Event]:
    return {str(event["SUMMARY"]): event for event in calendar(text).walk("VEVENT")}


@pytest.mark.parametrize("lists", ["bundled", "timeline"])
def test_golden(lists: str) -> None:
    check_case("export", "ics", lists, "filled")


def test_icalendar_reads_every_required_property() -> None:
    text = rendered("export", "ics", "timeline", "filled")
    parsed = calendar(text)
    assert str(parsed["VERSION"]) == "2.0"
    assert str(parsed["PRODID"]).startswith("-//foracheck//")
    found = list(parsed.walk("VEVENT"))
    assert found
    for event in found:
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert name in event, name
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and type(end) is date  # all-day, not date-times
        assert end > start  # the end date is exclusive
        assert event.decoded("DTSTAMP").tzinfo is not None  # UTC
        assert event.decoded("SEQUENCE") == 0
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
        trigger = alarms[0].decoded("TRIGGER")
        assert isinstance(trigger, timedelta)  # relative to the start, not a UTC moment


def alarm_moments(text: str) -> dict[str, datetime]:
    """Each event's alarm as the wall-clock moment it fires (a trigger relative to an
    all-day start fires in the phone's own time zone)."""
    moments = {}
    for summary, event in events(text).items():
        for alarm in event.walk("VALARM"):
            start = datetime.combine(event.decoded("DTSTART"), time())
            moments[summary] = start + alarm.decoded("TRIGGER")
    return moments


@pytest.mark.parametrize(
    "written",
    [
        datetime(2025, 2, 1, 12, 0),  # six weeks before: nothing begun
        datetime(2025, 3, 1, 8, 59),  # steps begun, before their morning reminder
        datetime(2025, 3, 1, 9, 30),  # steps begun, after it
        datetime(2025, 3, 12, 23, 59),
        datetime(2025, 3, 13, 17, 0),  # the evening before, before 18:00
        datetime(2025, 3, 13, 19, 0),  # after it
        datetime(2025, 3, 14, 8, 0),  # surgery day
        datetime(2025, 3, 20, 10, 0),  # after surgery
    ],
)
@pytest.mark.parametrize("lists", ["bundled", "timeline"])
def test_every_alarm_is_still_to_come_when_the_file_is_written(
    written: datetime, lists: str
) -> None:
    checklists = bundled() if lists == "bundled" else timeline()
    now = written.replace(tzinfo=NOW.tzinfo)
    text = render("export", "ics", checklists, filled(checklists), Options(now))
    moments = alarm_moments(text)
    assert moments or written.date() > SURGERY  # before surgery, always something to do
    for summary, moment in moments.items():
        assert moment > written, summary
        assert moment.time() in (time(9), time(18)), summary
    surgery_alarm = moments.get("Surgery day")
    evening = datetime.combine(SURGERY - timedelta(days=1), time(18))
    assert surgery_alarm == (evening if written < evening else None)


def test_a_step_begun_starts_on_the_day_written_and_lasts_until_its_reminder() -> None:
    now = datetime(2025, 3, 8, 9, 30, tzinfo=NOW.tzinfo)  # after the morning reminder
    found = events(
        render("export", "ics", timeline(), Progress(surgery_date=SURGERY), Options(now))
    )
    thinners = found["Important: Stop the blood thinners your surgeon named."]
    assert thinners.decoded("DTSTART") == date(2025, 3, 8)  # began on the 7th
    assert thinners.decoded("DTEND") == SURGERY  # its window still ends the day before
    [alarm] = thinners.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(days=1, hours=9)  # 09:00 on the 9th
    assert "When: from 1 week before surgery until 1 day before" in str(
        thinners["DESCRIPTION"]
    ).replace("\n", "\n")


def test_the_surgery_day_and_the_open_steps_with_their_windows() -> None:
    found = events(rendered("export", "ics", "timeline", "filled"))
    day = SURGERY
    assert found["Surgery day"].decoded("DTSTART") == day
    assert found["Surgery day"].decoded("DTEND") == day + timedelta(days=1)
    thinners = found["Important: Stop the blood thinners your surgeon named."]
    assert thinners.decoded("DTSTART") == day - timedelta(days=7)
    assert thinners.decoded("DTEND") == day  # until 1 day before, exclusive end
    fasting = found["Stop eating at the time you were told."]
    assert (fasting.decoded("DTSTART"), fasting.decoded("DTEND")) == (day, day + timedelta(1))
    # the open question (its list's window, begun on 28 February) is counted, not named
    assert "Which medicines do you take?" not in found
    questions = found["Answer 1 question in foracheck"]
    assert questions.decoded("DTSTART") == NOW.date()
    # Resolved steps (done, yes) are not on the calendar.
    assert "Do not bend, lift or twist." not in found
    assert not any(summary.startswith("Set up a ride home") for summary in found)
    assert not any(summary.startswith("Are you sick") for summary in found)


def test_open_questions_are_one_event_a_day_without_their_text() -> None:
    checklists = timeline()
    early = datetime(2025, 2, 20, 8, 0, tzinfo=NOW.tzinfo)
    text = render("export", "ics", checklists, Progress(surgery_date=SURGERY), Options(early))
    found = events(text)
    # the text question from 2 weeks before; the critical yes/no from 2 days before
    assert found["Answer 1 question in foracheck"].decoded("DTSTART") == date(2025, 2, 28)
    sick_day = found["Important: Answer 1 question in foracheck"]
    assert sick_day.decoded("DTSTART") == date(2025, 3, 12)
    unfolded = text.replace("\r\n ", "")
    for item in checklists[0].items:
        if item.type != "task":
            assert item.text not in unfolded and escape(item.text) not in unfolded
    assert "foracheck start" in str(sick_day["DESCRIPTION"])
    later = datetime(2025, 3, 12, 10, 0, tzinfo=NOW.tzinfo)  # both begun: one event today
    found = events(
        render("export", "ics", checklists, Progress(surgery_date=SURGERY), Options(later))
    )
    both = found["Important: Answer 2 questions in foracheck"]
    assert both.decoded("DTSTART") == date(2025, 3, 12)
    assert [s for s in found if "question" in s] == ["Important: Answer 2 questions in foracheck"]


def test_only_tasks_are_events_and_critical_titles_say_important() -> None:
    checklists = bundled()
    text = render("export", "ics", checklists, Progress(surgery_date=SURGERY), Options(NOW))
    summaries = list(events(text))
    tasks = {i.text: i for c in checklists for i in c.items if i.type == "task"}
    questions = {i.text for c in checklists for i in c.items if i.type != "task"}
    assert not questions & {s.removeprefix("Important: ") for s in summaries}
    for summary in summaries:
        text_of = summary.removeprefix("Important: ")
        if text_of in tasks:
            assert summary.startswith("Important: ") == tasks[text_of].critical, summary


def test_text_with_commas_semicolons_backslashes_and_lines_reads_back_exactly() -> None:
    checklists = timeline()
    progress = Progress(surgery_date=SURGERY)
    found = events(render("export", "ics", checklists, progress, Options(NOW)))
    ride = found["Set up a ride home, with someone you trust; not a taxi."]
    details = checklists[0].items[0].details
    assert details is not None and details in str(ride["DESCRIPTION"])
    assert "\n" in str(ride["DESCRIPTION"])


def test_uids_stay_the_same_across_exports_and_identify_no_one() -> None:
    checklists = timeline()
    early = NOW - timedelta(days=28)  # nothing begun yet, whichever the surgery date
    first = render("export", "ics", checklists, filled(checklists), Options(early))
    later = early + timedelta(days=3, hours=5)
    moved = Progress(surgery_date=SURGERY + timedelta(days=9), answers=filled(checklists).answers)
    second = render("export", "ics", checklists, moved, Options(later))
    uids = re.findall(r"^UID:(.*)\r$", first, re.MULTILINE)
    assert uids and len(set(uids)) == len(uids)
    assert uids == re.findall(r"^UID:(.*)\r$", second, re.MULTILINE)
    for uid in uids:
        assert re.fullmatch(
            r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", uid
        )


def test_lines_end_in_crlf_and_fold_at_75_octets_without_splitting_a_character() -> None:
    data = rendered("export", "ics", "timeline", "filled").encode("utf-8")
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    assert any(len(line) == MAX_OCTETS for line in lines)  # something was folded
    for line in lines:
        assert len(line) <= MAX_OCTETS, line
        line.decode("utf-8")  # each physical line is whole UTF-8: no character was split
    assert any(line.startswith(b" ") for line in lines)


def test_folding_keeps_every_character_and_unfolds_to_the_original() -> None:
    line = "DESCRIPTION:" + "é€🙂a" * 60
    folded = fold(line)
    assert folded.replace("\r\n ", "").removesuffix("\r\n") == line
    assert all(len(part.encode()) <= MAX_OCTETS for part in folded.split("\r\n"))


def test_escaping_follows_rfc_5545_text() -> None:
    assert escape("a\\b;c,d\r\ne\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_the_calendar_holds_checklist_text_only_never_an_answer_or_a_note() -> None:
    checklists = hostile() + timeline()
    progress = filled(checklists)
    text = render("export", "ics", checklists, progress, Options(NOW))
    unfolded = text.replace("\r\n ", "")
    for answers in progress.answers.values():
        for answer in answers.values():
            if answer.note:
                for line in re.split(r"\r\n|\r|\n", answer.note):
                    if len(line.strip()) > 3:
                        assert escape(line.strip()) not in unfolded
            if answer.value not in ("done", "not-yet", "skip", "yes", "no"):
                assert escape(answer.value) not in unfolded
    assert "Asked the nurse" not in unfolded and "Warfarin" not in unfolded


def test_without_a_surgery_date_the_cli_exits_2_with_a_sentence(
    capsys: pytest.CaptureFixture[str], locations: Locations
) -> None:
    save(locations, Progress())
    code, out, err = invoke(capsys, "export", "--format", "ics")
    assert code == 2
    assert out == ""
    assert "needs a surgery date" in err and "foracheck date YYYY-MM-DD" in err
    assert "Traceback" not in err


def test_the_cli_writes_the_calendar(
    capsys: pytest.CaptureFixture[str], locations: Locations
) -> None:
    surgery = date.today() + timedelta(days=200)  # ahead whatever the year (was 2030-06-03)
    save(locations, Progress(surgery_date=surgery))
    code, out, _ = invoke(capsys, "export", "--format", "ics")
    assert code == 0
    found = events(out)
    assert found["Surgery day"].decoded("DTSTART") == surgery


def test_without_any_progress_only_the_sentence_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "export", "--format", "ics")
    assert (code, out) == (2, "")
    assert "No answers are saved yet" not in err
    assert err.count("\n") == 1 and "needs a surgery date" in err


def test_the_sequence_grows_each_time_the_surgery_date_moves(
    capsys: pytest.CaptureFixture[str], locations: Locations
) -> None:
    """Every command saves through the same writer; the calendar reads what it counted."""

    def sequences() -> set[int]:
        code, out, _ = invoke(capsys, "export", "--format", "ics")
        assert code == 0
        return {int(event.decoded("SEQUENCE")) for event in calendar(out).walk("VEVENT")}

    def saved_with(day: date) -> None:
        saved = read_progress(locations)
        save(locations, dataclasses.replace(saved or Progress(), surgery_date=day))

    saved_with(date(2030, 6, 3))
    assert sequences() == {0}
    assert invoke(capsys, "mark", "week-before", "ask-about-blood-thinners", "done")[0] == 0
    assert sequences() == {0}  # answers do not move the events
    saved_with(date(2030, 6, 10))
    assert sequences() == {1}
    saved_with(date(2030, 6, 10))  # the same date again
    assert sequences() == {1}
    saved_with(date(2030, 6, 5))
    assert sequences() == {2}
    assert b'"date_changes": 2' in locations.progress_file.read_bytes()


def test_missed_steps_leave_the_calendar() -> None:
    """Once the surgery day is over, what was for before it is not an event any more."""
    checklists = timeline()
    progress = Progress(surgery_date=SURGERY)
    before = events(render("export", "ics", checklists, progress, Options(NOW)))
    after_day = Options(NOW, today=SURGERY + timedelta(days=1))
    after = events(render("export", "ics", checklists, progress, after_day))
    assert "Stop eating at the time you were told." in before
    assert "Stop eating at the time you were told." not in after
    assert "Answer 1 question in foracheck" in before  # the open text question, counted
    assert not any("question" in summary for summary in after)
    assert "Do not bend, lift or twist." in after  # ongoing after surgery: still an event
    assert "Surgery day" in after
