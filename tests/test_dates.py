"""One date rule at every door, and times that stay in range (guarantee 19; findings 2,
5, 6 and 8 of issue 17; item 2 of issue 18).

Every door (a list's ``reviewed``, ``start --surgery-date``, ``print --born``,
``import``, ``restore --from``, a saved progress file) refuses a week date, a
month 13 and 30 February with the same sentence, and years outside 1900 to 2099;
an answer time later than tomorrow never gets in, so a crafted file cannot win
every later "newer answer wins" comparison. Nothing refused is a traceback.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from render_helpers import invoke, save

from foracheck import dates, i18n
from foracheck.dates import DateProblem, format_time, parse_date, parse_time
from foracheck.model import Answer, Progress
from foracheck.paths import Locations
from foracheck.store import read_progress

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=timezone(timedelta(hours=1)))
ITEM = ("week-before", "ask-about-blood-thinners")

WRONG_DATES = {
    "a week date": ("2026-W48-1", "That is not a date foracheck understands"),
    "month 13": ("2024-13-45", "'2024-13-45' has no month 13"),
    "30 February": ("2026-02-30", "February 2026 has 28 days"),
    "year 9999": ("9999-12-31", "years go from 1900 to 2099"),
    "year 1": ("0001-01-01", "years go from 1900 to 2099"),
    "compact": ("20261201", "That is not a date foracheck understands"),
}


@pytest.mark.parametrize(("typed", "sentence"), WRONG_DATES.values(), ids=WRONG_DATES.keys())
def test_the_one_date_rule_refuses_with_a_sentence(typed: str, sentence: str) -> None:
    with pytest.raises(DateProblem, match=sentence):
        parse_date(typed)


def test_the_calendar_sentence_is_in_spanish_too() -> None:
    i18n.use_language("es")
    with pytest.raises(DateProblem, match="no es un día del calendario: febrero de 2026 tiene 28"):
        parse_date("2026-02-30")
    with pytest.raises(DateProblem, match="los años van de 1900 a 2099"):
        parse_date("9999-12-31")


def test_every_month_of_the_range_has_the_calendar_s_days() -> None:
    """``_days_in_month`` is ``calendar.monthrange`` without its import (leap centuries too)."""
    import calendar

    for year in range(dates.FIRST_YEAR - 1, dates.LAST_YEAR + 402):
        for month in range(1, 13):
            assert dates._days_in_month(year, month) == calendar.monthrange(year, month)[1]
    assert parse_date("2000-02-29") == date(2000, 2, 29)
    with pytest.raises(DateProblem):
        parse_date("1900-02-29")


def test_good_dates_and_the_ends_of_the_range_are_taken() -> None:
    assert parse_date(" 2024-02-29 ") == date(2024, 2, 29)
    assert parse_date("1900-01-01") == date(1900, 1, 1)
    assert parse_date("2099-12-31") == date(2099, 12, 31)


@pytest.mark.parametrize(("typed", "sentence"), WRONG_DATES.values(), ids=WRONG_DATES.keys())
def test_start_refuses_the_same_dates_with_the_same_sentence(
    capsys: pytest.CaptureFixture[str], typed: str, sentence: str
) -> None:
    code, _, err = invoke(capsys, "start", "--surgery-date", typed)
    assert code == 2 and err.startswith("--surgery-date: ") and sentence in err


@pytest.mark.parametrize(("typed", "sentence"), WRONG_DATES.values(), ids=WRONG_DATES.keys())
def test_print_born_refuses_the_same_dates_with_the_same_sentence(
    capsys: pytest.CaptureFixture[str], typed: str, sentence: str
) -> None:
    code, _, err = invoke(capsys, "print", "--blank", "--born", typed)
    assert code == 2 and "--born" in err and typed not in err  # health information
    unsaid = {
        "'2024-13-45' has no month 13": "That date has no such month",
        "February 2026 has 28 days": "its month has 28 days",
        "years go from 1900 to 2099": "That date is not one foracheck accepts",
    }
    assert unsaid.get(sentence, sentence) in err


LIST = """format: 1
id: dated
title: Dated
source:
  title: A source
  reviewed: "{reviewed}"
items:
  - id: one
    type: task
    text: Do one thing.
"""


@pytest.mark.parametrize(("typed", "sentence"), WRONG_DATES.values(), ids=WRONG_DATES.keys())
def test_the_loader_refuses_the_same_dates_with_the_same_sentence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, typed: str, sentence: str
) -> None:
    path = tmp_path / "dated.yaml"
    path.write_text(LIST.format(reviewed=typed), encoding="utf-8")
    code, _, err = invoke(capsys, "validate", str(path))
    assert code == 65 and "'reviewed'" in err and sentence in err


# -- answer times ---------------------------------------------------------------------

WRONG_TIMES = {
    "year 9999": "9999-12-31T00:00:00+00:00",
    "year 1": "0001-01-01T00:00:00+00:00",
    "later than tomorrow": "2026-11-22T09:31:00+01:00",
    "compact": "20270101T000000+0000",
    "no offset": "2026-11-20T09:30:00",
    "offset with seconds": "2026-11-20T09:30:00+05:30:15",
    "offset beyond 14 hours": "2026-11-20T09:30:00+15:00",
    "a week date": "2026-W47-5T09:30:00+01:00",
    "30 February": "2026-02-30T09:30:00+01:00",
}


@pytest.mark.parametrize("typed", WRONG_TIMES.values(), ids=WRONG_TIMES.keys())
def test_answer_times_out_of_range_or_form_are_refused(typed: str) -> None:
    with pytest.raises(
        DateProblem,
        match=r"not a date and time|years go from|later than tomorrow|not a time of day|not a day",
    ):
        parse_time(typed, NOW)


def test_times_are_written_in_one_form() -> None:
    assert format_time(parse_time("2026-11-20T08:30:00Z", NOW)) == "2026-11-20T08:30:00+00:00"
    moment = parse_time("2026-11-20T09:30:00.123456789-03:30", NOW)
    assert format_time(moment) == "2026-11-20T09:30:00-03:30"
    assert format_time(parse_time("2026-11-21T09:30:00+01:00", NOW)) == "2026-11-21T09:30:00+01:00"


def _export_with_time(capsys: pytest.CaptureFixture[str], tmp_path: Path, when: str) -> Path:
    """A JSON export of one answer, its time replaced by ``when``."""
    assert invoke(capsys, "mark", *ITEM, "done")[0] == 0
    code, out, _ = invoke(capsys, "export", "--format", "json")
    assert code == 0
    document = json.loads(out)
    for checklist in document["checklists"]:
        for item in checklist["items"]:
            if item["answered_at"]:
                item["answered_at"] = when
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "when", ["9999-12-31T00:00:00+00:00", "20270101T000000+0000", "2026-11-20T09:30:00+05:30:15"]
)
def test_import_refuses_a_crafted_answer_time_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, locations: Locations, when: str
) -> None:
    path = _export_with_time(capsys, tmp_path, when)
    before = locations.progress_file.read_bytes()
    code, _, err = invoke(capsys, "import", str(path))
    assert code == 65 and "the time of the answer to week-before" in err
    assert ("'9999-12-31T00:00:00+00:00'" in err) == when.startswith("9999")  # echoed when a time
    assert locations.progress_file.read_bytes() == before


def test_a_crafted_import_cannot_win_later_comparisons(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, locations: Locations
) -> None:
    """Finding 2: an answer dated far ahead, already saved, loses to a genuine newer one."""
    genuine = _export_with_time(capsys, tmp_path, dates.now_text())  # "done", given now
    crafted = Answer("skip", "2098-01-01T00:00:00+00:00")
    save(locations, Progress(answers={ITEM[0]: {ITEM[1]: crafted}}))
    code, _, err = invoke(capsys, "import", str(genuine))
    assert code == 0, err
    progress = read_progress(locations)
    assert progress is not None and progress.answer(*ITEM) is not None
    assert progress.answer(*ITEM).value == "done"  # type: ignore[union-attr]


def test_import_refuses_a_surgery_date_out_of_range(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _export_with_time(capsys, tmp_path, dates.now_text())
    for typed in ("9999-12-31", "2026-W48-1"):
        document = json.loads(path.read_text(encoding="utf-8"))
        document["surgery_date"] = typed
        path.write_text(json.dumps(document), encoding="utf-8")
        code, _, err = invoke(capsys, "import", str(path))
        assert code == 65 and "the surgery date is refused" in err


def _planted(locations: Locations, surgery_date: str, answered_at: str) -> None:
    locations.home.mkdir(mode=0o700, exist_ok=True)
    document = {
        "schema": 2,
        "surgery_date": surgery_date,
        "lists": {ITEM[0]: {"answers": {ITEM[1]: {"answer": "done", "answered_at": answered_at}}}},
    }
    locations.progress_file.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize("surgery_date", ["9999-12-31", "0001-01-01"])
def test_a_planted_surgery_date_out_of_range_is_refused_with_a_sentence(
    capsys: pytest.CaptureFixture[str], locations: Locations, surgery_date: str
) -> None:
    """Finding 5: no OverflowError (70) in later commands."""
    _planted(locations, surgery_date, "2026-11-20T09:30:00+01:00")
    code, _, err = invoke(capsys, "status")  # the file is moved aside, and that is said
    assert code == 65 and "1900 to 2099" in err and "restore" in err
    code, out, err = invoke(capsys, "export", "--format", "fhir")  # never a blank record
    assert code == 65 and out == "" and "restore" in err
    code, out, err = invoke(capsys, "print")  # a screen: the lists, the loss said first
    assert code == 0 and "restore" in err and "Traceback" not in err


def test_restore_from_refuses_a_surgery_date_or_time_out_of_range(
    capsys: pytest.CaptureFixture[str], locations: Locations, tmp_path: Path
) -> None:
    crafted = tmp_path / "crafted.json"
    for surgery_date, answered_at in (
        ("9999-12-31", "2026-11-20T09:30:00+01:00"),
        ("2026-12-01", "9999-12-31T00:00:00+00:00"),
        ("2026-12-01", "2098-12-31T00:00:00+00:00"),
    ):
        _planted(locations, surgery_date, answered_at)
        crafted.write_bytes(locations.progress_file.read_bytes())
        locations.progress_file.unlink()
        code, _, err = invoke(capsys, "restore", "--from", str(crafted))
        assert code == 65 and "Nothing was changed" in err, err
        assert not locations.progress_file.exists()


def test_older_spellings_of_saved_times_read_back_in_the_one_form(locations: Locations) -> None:
    """Saved by an earlier foracheck's import: kept, written the one way."""
    _planted(locations, "2026-12-01", "20261120T093000+0100")
    progress = read_progress(locations)
    assert progress is not None
    assert progress.answer(*ITEM).answered_at == "2026-11-20T09:30:00+01:00"  # type: ignore[union-attr]


# -- the clock's time zone ----------------------------------------------------------------


@pytest.fixture
def odd_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(dates, "_clock_notice_given", False)
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("zone", ["UTC+24", "UTC-25", "<+0530>-05:30:15", "XYZ-15"])
def test_an_odd_time_zone_falls_back_to_utc_with_one_notice(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    odd_zone: None,
    zone: str,
    locations: Locations,
) -> None:
    """Finding 6: mark, status --json and the FHIR export exit 0, times in UTC."""
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    code, _, err = invoke(capsys, "mark", *ITEM, "done")
    assert code == 0 and err.count("TZ=") == 1, err
    for command in (["status", "--json"], ["export", "--format", "fhir"]):
        code, _, err = invoke(capsys, *command)
        assert code == 0 and "Traceback" not in err, err
    progress = read_progress(locations)
    assert progress is not None
    assert progress.answer(*ITEM).answered_at.endswith("+00:00")  # type: ignore[union-attr]
