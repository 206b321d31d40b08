"""The timeline rule: phrases, windows as dates, and each step's state on a given day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from foracheck.model import Answer, Checklist, Item, Progress, Window, offset_phrase
from foracheck.timeline import (
    PhraseError,
    dates_text,
    day_text,
    parse_offset,
    step_state,
    timing_text,
    window_dates,
    window_of,
    window_phrase,
)

SURGERY = date(2026, 12, 1)  # a Tuesday
STEP = Item(id="step", type="task", text="Do it.")
AT = "2026-11-20T10:00:00+01:00"


def on(days: int) -> date:
    """The local calendar day ``days`` from surgery (negative: before)."""
    return SURGERY + timedelta(days=days)


@pytest.mark.parametrize(
    ("phrase", "offset"),
    [
        ("surgery day", 0),
        ("1 day before", -1),
        ("2 days before", -2),
        ("1 week before", -7),
        ("2 weeks before", -14),
        ("1 day after", 1),
        ("4 weeks after", 28),
        ("0 days before", 0),
        ("1 days before", -1),  # N day(s): the plural is not policed
        ("52 weeks before", -364),
        ("366 days after", 366),
    ],
)
def test_phrases_read_as_days_from_surgery(phrase: str, offset: int) -> None:
    assert parse_offset(phrase) == offset


@pytest.mark.parametrize(
    ("phrase", "hint"),
    [
        ("2 weeks befor", "2 weeks before"),
        ("day of surgery", "surgery day"),
        ("surgery-day", "surgery day"),
        ("Surgery day", "surgery day"),
        ("2weeks before", "2 weeks before"),
        ("3 dayz after", "3 days after"),
        ("1 week before surgery", "1 week before"),
    ],
)
def test_near_misses_get_a_did_you_mean(phrase: str, hint: str) -> None:
    with pytest.raises(PhraseError, match=f"did you mean '{hint}'"):
        parse_offset(phrase)


@pytest.mark.parametrize(
    "phrase",
    ["soon", "two weeks before", "3 months before", "before", "-2 days before", "1.5 days before"],
)
def test_other_text_is_refused_with_examples(phrase: str) -> None:
    with pytest.raises(PhraseError, match="write it like '2 weeks before'"):
        parse_offset(phrase)


def test_more_than_a_year_is_refused() -> None:
    with pytest.raises(PhraseError, match="more than a year"):
        parse_offset("367 days before")
    with pytest.raises(PhraseError):
        parse_offset("9" * 5000 + " days before")  # never int()'s digit limit


@pytest.mark.parametrize("offset", range(-400, 401, 3))
def test_every_offset_phrase_reads_back_as_itself(offset: int) -> None:
    phrase = offset_phrase(offset)
    if abs(offset) <= 366:
        assert parse_offset(phrase) == offset
    assert phrase == "surgery day" or phrase.endswith(("before", "after"))


def test_offset_phrases_read_like_speech() -> None:
    assert offset_phrase(-14) == "2 weeks before"
    assert offset_phrase(-1) == "1 day before"
    assert offset_phrase(-10) == "10 days before"
    assert offset_phrase(7) == "1 week after"
    assert Window(-14, -1).start_text == "2 weeks before"
    assert Window(-14, -1).end_text == "1 day before"
    assert Window(-3).end_text is None


def test_an_items_own_window_wins_over_its_lists() -> None:
    own = Item(id="own", type="task", text="x", when=Window(-1, -1))
    listed = Checklist(id="l", title="L", items=(own, STEP), when=Window(-7, 0))
    assert window_of(listed, own) == Window(-1, -1)
    assert window_of(listed, STEP) == Window(-7, 0)
    bare = Checklist(id="b", title="B", items=(STEP,))
    assert window_of(bare, STEP) is None


def test_windows_become_local_calendar_days_across_month_ends() -> None:
    assert window_dates(Window(-14, -1), SURGERY) == (date(2026, 11, 17), date(2026, 11, 30))
    assert window_dates(Window(0), SURGERY) == (SURGERY, None)
    assert window_dates(Window(-7, 0), date(2027, 1, 3)) == (date(2026, 12, 27), date(2027, 1, 3))


# The contract's rule, day by day: window from 1 week before until 1 day before.
@pytest.mark.parametrize(
    ("day", "state"),
    [
        (-30, "upcoming"),
        (-8, "upcoming"),
        (-7, "due"),  # the first day
        (-3, "due"),
        (-1, "due"),  # the last day
        (0, "overdue"),  # the day after the last, the surgery day itself
        (1, "missed"),  # the surgery day is over: not done before surgery
        (20, "missed"),
    ],
)
def test_an_open_step_is_upcoming_due_then_overdue(day: int, state: str) -> None:
    assert step_state(STEP, None, Window(-7, -1), SURGERY, on(day)) == state


@pytest.mark.parametrize(
    ("window", "day", "state"),
    [
        (Window(0, 3), 5, "overdue"),  # an after-surgery step is overdue, never missed
        (Window(-3, 0), 0, "due"),
        (Window(-3, 0), 1, "missed"),
        (Window(-3), 40, "due"),  # ongoing guidance: never missed
    ],
)
def test_only_a_step_ending_by_the_surgery_day_is_missed_after_it(
    window: Window, day: int, state: str
) -> None:
    assert step_state(STEP, None, window, SURGERY, on(day)) == state
    assert step_state(STEP, Answer("done", AT), window, SURGERY, on(day)) == "resolved"


@pytest.mark.parametrize("value", ["not-yet"])
def test_not_yet_is_still_open(value: str) -> None:
    answer = Answer(value, AT)
    assert step_state(STEP, answer, Window(-7, -1), SURGERY, on(0)) == "overdue"


@pytest.mark.parametrize("day", [-30, -3, 0, 30])
def test_a_resolved_step_is_resolved_whatever_the_day(day: int) -> None:
    for value in ("done", "skip"):
        assert step_state(STEP, Answer(value, AT), Window(-7, -1), SURGERY, on(day)) == "resolved"
    question = Item(id="q", type="yesno", text="?")
    assert step_state(question, Answer("no", AT), Window(-7, -1), SURGERY, on(day)) == "resolved"


@pytest.mark.parametrize("day", [-400, -1, 0, 1, 400])
def test_without_until_a_step_is_never_overdue(day: int) -> None:
    state = step_state(STEP, None, Window(-3), SURGERY, on(day))
    assert state == ("upcoming" if day < -3 else "due")


@pytest.mark.parametrize("today", [date(2000, 1, 1), SURGERY, date(2100, 1, 1)])
def test_without_a_surgery_date_or_a_window_everything_open_is_due(today: date) -> None:
    assert step_state(STEP, None, Window(-7, -1), None, today) == "due"
    assert step_state(STEP, None, None, SURGERY, today) == "due"
    assert step_state(STEP, Answer("done", AT), None, None, today) == "resolved"


def test_surgery_day_only_is_due_on_that_day_alone() -> None:
    window = Window(0, 0)
    states = [step_state(STEP, None, window, SURGERY, on(day)) for day in (-1, 0, 1)]
    assert states == ["upcoming", "due", "missed"]


def test_the_rule_counts_calendar_days_not_hours() -> None:
    """A date has no time: the last second before midnight and the first after are two days."""
    window = Window(-1, -1)
    eve = on(-1)
    assert step_state(STEP, None, window, SURGERY, eve) == "due"
    assert step_state(STEP, None, window, SURGERY, eve + timedelta(days=1)) == "overdue"
    leap = date(2028, 3, 1)  # the day before is 29 February
    assert window_dates(window, leap)[0] == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("window", "phrase"),
    [
        (Window(-1, -1), "1 day before surgery"),
        (Window(0, 0), "surgery day"),
        (Window(-14, -1), "from 2 weeks before surgery until 1 day before"),
        (Window(-7, 0), "from 1 week before surgery until surgery day"),
        (Window(-7), "from 1 week before surgery on"),
        (Window(0, 28), "from surgery day until 4 weeks after"),
        (Window(14), "from 2 weeks after surgery on"),
    ],
)
def test_window_phrases(window: Window, phrase: str) -> None:
    assert window_phrase(window) == phrase
    assert timing_text(window, None) == phrase


@pytest.mark.parametrize(
    ("window", "text"),
    [
        (Window(-5, -5), "on Thursday 26 November"),
        (Window(0), "from Tuesday 1 December"),
        (Window(-15, -5), "from Monday 16 November, by Thursday 26 November"),
        (Window(0, 31), "from Tuesday 1 December, by Friday 1 January 2027"),
    ],
)
def test_dates_read_like_speech(window: Window, text: str) -> None:
    assert dates_text(window, SURGERY) == text
    assert timing_text(window, SURGERY) == text


def test_day_text_names_the_weekday_and_the_month_in_english() -> None:
    assert day_text(date(2026, 2, 28), date(2026, 3, 1)) == "Saturday 28 February"
    assert day_text(date(2025, 12, 31), date(2026, 1, 2)) == "Wednesday 31 December 2025"


def test_a_lists_fingerprint_is_computed_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from foracheck import model

    checklist = Checklist(id="once", title="Once", items=(STEP,))
    calls = []
    real = model._sha256_hex
    monkeypatch.setattr(model, "_sha256_hex", lambda data: calls.append(data) or real(data))
    progress = Progress()
    for value in ("done", "not-yet", "skip", "done"):
        progress = progress.with_answer(checklist, "step", Answer(value, AT))
    assert len(calls) == 1
    assert progress.list_versions["once"] == checklist.content_hash()
