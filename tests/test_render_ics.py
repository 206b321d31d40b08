"""The calendar export: RFC 5545 read back by icalendar, and checked byte by byte."""

from __future__ import annotations

import re
from datetime import date, timedelta

import icalendar
import pytest
from render_helpers import (
    NOW,
    SURGERY,
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
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
        trigger = alarms[0].decoded("TRIGGER")
        assert isinstance(trigger, timedelta)  # relative to the start, not a UTC moment
        assert timedelta(0) <= trigger < timedelta(days=1)  # on the first day


def test_the_surgery_day_and_the_open_steps_with_their_windows() -> None:
    found = events(rendered("export", "ics", "timeline", "filled"))
    day = SURGERY
    assert found["Surgery day"].decoded("DTSTART") == day
    assert found["Surgery day"].decoded("DTEND") == day + timedelta(days=1)
    thinners = found["Stop the blood thinners your surgeon named."]
    assert thinners.decoded("DTSTART") == day - timedelta(days=7)
    assert thinners.decoded("DTEND") == day  # until 1 day before, exclusive end
    fasting = found["Stop eating at the time you were told."]
    assert (fasting.decoded("DTSTART"), fasting.decoded("DTEND")) == (day, day + timedelta(1))
    medicines = found["Which medicines do you take?"]  # takes its list's window
    assert medicines.decoded("DTSTART") == day - timedelta(days=14)
    # Resolved steps (done, yes) are not on the calendar.
    assert "Do not bend, lift or twist." not in found
    assert not any(summary.startswith("Set up a ride home") for summary in found)
    assert not any(summary.startswith("Are you sick") for summary in found)


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
    first = render("export", "ics", checklists, filled(checklists), Options(NOW))
    later = NOW + timedelta(days=3, hours=5)
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
    assert "needs a surgery date" in err and "--surgery-date" in err
    assert "Traceback" not in err


def test_the_cli_writes_the_calendar(
    capsys: pytest.CaptureFixture[str], locations: Locations
) -> None:
    save(locations, Progress(surgery_date=date(2030, 6, 3)))
    code, out, _ = invoke(capsys, "export", "--format", "ics")
    assert code == 0
    found = events(out)
    assert found["Surgery day"].decoded("DTSTART") == date(2030, 6, 3)


def test_without_any_progress_only_the_sentence_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "export", "--format", "ics")
    assert (code, out) == (2, "")
    assert "No answers are saved yet" not in err
    assert err.count("\n") == 1 and "needs a surgery date" in err


def test_missed_steps_leave_the_calendar() -> None:
    """Once the surgery day is over, what was for before it is not an event any more."""
    checklists = timeline()
    progress = Progress(surgery_date=SURGERY)
    before = events(render("export", "ics", checklists, progress, Options(NOW)))
    after_day = Options(NOW, today=SURGERY + timedelta(days=1))
    after = events(render("export", "ics", checklists, progress, after_day))
    for summary in ("Stop eating at the time you were told.", "Which medicines do you take?"):
        assert summary in before and summary not in after
    assert "Do not bend, lift or twist." in after  # ongoing after surgery: still an event
    assert "Surgery day" in after
