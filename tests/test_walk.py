"""The walk engine without a terminal, through a scripted Prompter.

The ``Script`` prompter answers from a list of expected prompts and fails the
test on any prompt it did not expect (like jrnl's scripted-input fixture), so
every test states exactly which questions are asked, in which order.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from foracheck.errors import StorageError
from foracheck.model import (
    Answer,
    Checklist,
    InvalidAnswerError,
    Item,
    Progress,
    ShowIf,
    Window,
    applicable_items,
    is_resolved,
    normalize_typed,
    parse_answer,
    tells_surgeon,
)
from foracheck.schedule import countdown, days_until, has_begun, parse_surgery_date
from foracheck.walk import Question, Walk

TODAY = date(2026, 3, 10)

EARLIER = "2026-03-01T09:00:00+01:00"


def task(item_id: str, **extra: object) -> Item:
    return Item(id=item_id, type="task", text=f"Task {item_id}.", **extra)  # type: ignore[arg-type]


def yesno(item_id: str, **extra: object) -> Item:
    return Item(id=item_id, type="yesno", text=f"Question {item_id}?", **extra)  # type: ignore[arg-type]


def text(item_id: str, **extra: object) -> Item:
    return Item(id=item_id, type="text", text=f"Which {item_id}?", **extra)  # type: ignore[arg-type]


ALPHA = Checklist(
    id="alpha",
    title="Alpha list",
    order=10,
    when=Window(-7, 0),
    items=(
        task("a1", details="More about a1."),
        yesno("a2", tell_surgeon="yes"),
        text("a3", show_if=ShowIf("a2", "yes")),
        task("a4"),
    ),
)
BETA = Checklist(id="beta", title="Beta list", order=20, items=(task("b1"), yesno("b2")))
# A chain: c3 needs c2 == "yes", and c2 itself needs c1 == "yes".
CHAIN = Checklist(
    id="chain",
    title="Chain",
    items=(
        yesno("c1"),
        yesno("c2", show_if=ShowIf("c1", "yes")),
        text("c3", show_if=ShowIf("c2", "yes")),
        task("c4"),
    ),
)

EOF = object()  # typed "answer" that ends input, like Ctrl-D


@dataclass
class Asked:
    """What one prompt showed."""

    key: str
    number: int
    total: int
    saved: str | None
    due: bool
    past_due: bool
    list_number: int = 1
    list_total: int = 1


@dataclass
class Script:
    """A Prompter that types scripted answers and fails on any unexpected prompt.

    ``steps`` holds ("list/item", typed) pairs in the order the prompts must come.
    ``before_ask`` runs at every prompt, so a test can check what was saved by then.
    """

    steps: list[tuple[str, object]]
    before_ask: Callable[[Question], None] | None = None
    asked: list[Asked] = field(default_factory=list)
    events: list[tuple[str, str]] = field(default_factory=list)

    def list_intro(self, checklist: Checklist, due: bool) -> None:
        self.events.append(("intro", f"{checklist.id} due={due}"))

    def ask(self, question: Question) -> str:
        key = f"{question.checklist.id}/{question.item.id}"
        if not self.steps:
            pytest.fail(f"unexpected prompt for {key}: the script has ended")
        expected, typed = self.steps.pop(0)
        assert key == expected, f"asked {key}, but the script expected {expected}"
        if self.before_ask is not None:
            self.before_ask(question)
        saved = question.saved.value if question.saved else None
        self.asked.append(
            Asked(
                key,
                question.number,
                question.total,
                saved,
                question.due,
                question.past_due,
                question.list_number,
                question.list_total,
            )
        )
        self.events.append(("ask", key))
        if typed is EOF:
            raise EOFError
        assert isinstance(typed, str)
        return typed

    def details(self, question: Question) -> None:
        self.events.append(("details", question.item.details or ""))

    def invalid(self, question: Question, message: str) -> None:
        self.events.append(("invalid", message))

    def notice(self, message: str) -> None:
        self.events.append(("notice", message))

    def reason(self, question: Question) -> str:
        key = f"{question.checklist.id}/{question.item.id}"
        expected, typed = self.steps.pop(0) if self.steps else ("", None)
        assert expected == f"reason:{key}", f"asked a reason for {key}, script had {expected}"
        assert isinstance(typed, str)
        self.events.append(("reason", key))
        return typed

    def answered(self, question: Question, answer: Answer, kept: bool) -> None:
        word = "kept" if kept else "saved"
        self.events.append((word, f"{question.checklist.id}/{question.item.id}={answer.value}"))

    def assert_finished(self) -> None:
        assert not self.steps, f"these prompts never came: {self.steps}"

    def keys(self) -> list[str]:
        return [asked.key for asked in self.asked]


class Saves:
    """The save callback: remembers every Progress it was given."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.saved: list[Progress] = []
        self.fail_at = fail_at

    def __call__(self, progress: Progress) -> None:
        if self.fail_at is not None and len(self.saved) + 1 == self.fail_at:
            raise StorageError("The disk is full.")
        self.saved.append(progress)

    @property
    def last(self) -> Progress:
        return self.saved[-1]


_clock = itertools.count(1)


def fake_now() -> str:
    return f"2026-03-10T10:00:{next(_clock) % 60:02d}+00:00"


def make_walk(
    checklists: list[Checklist],
    progress: Progress | None = None,
    saves: Saves | None = None,
    review: bool = False,
    today: date = TODAY,
) -> tuple[Walk, Saves]:
    saves = saves if saves is not None else Saves()
    walk = Walk(checklists, progress or Progress(), saves, fake_now, today, review)
    return walk, saves


def values(progress: Progress, list_id: str) -> dict[str, str]:
    return {item_id: answer.value for item_id, answer in progress.answers_for(list_id).items()}


def with_answers(
    checklist: Checklist, answers: dict[str, str], base: Progress | None = None
) -> Progress:
    progress = base or Progress()
    for item_id, value in answers.items():
        progress = progress.with_answer(checklist, item_id, Answer(value, EARLIER))
    return progress


# -- order and positions ------------------------------------------------------------


def test_walks_lists_in_the_given_order_and_items_in_list_order() -> None:
    walk, saves = make_walk([ALPHA, BETA])
    script = Script(
        [
            ("alpha/a1", "d"),
            ("alpha/a2", "n"),
            ("alpha/a4", "s"),
            ("beta/b1", "not-yet"),
            ("beta/b2", "yes"),
        ]
    )
    assert walk.run(script) is True
    script.assert_finished()
    assert values(saves.last, "alpha") == {"a1": "done", "a2": "no", "a4": "skip"}
    assert values(saves.last, "beta") == {"b1": "not-yet", "b2": "yes"}
    assert [e for e in script.events if e[0] == "intro"] == [
        ("intro", "alpha due=False"),
        ("intro", "beta due=False"),
    ]


def test_positions_count_only_applicable_items() -> None:
    walk, _ = make_walk([ALPHA, BETA])
    script = Script(
        [
            ("alpha/a1", "d"),
            ("alpha/a2", "y"),
            ("alpha/a3", "aspirin"),
            ("alpha/a4", "d"),
            ("beta/b1", "d"),
            ("beta/b2", "n"),
        ]
    )
    walk.run(script)
    script.assert_finished()
    positions = [(a.key, a.number, a.total) for a in script.asked]
    assert positions == [
        ("alpha/a1", 1, 3),  # a3 does not apply yet
        ("alpha/a2", 2, 3),
        ("alpha/a3", 3, 4),  # "yes" to a2 made a3 apply
        ("alpha/a4", 4, 4),
        ("beta/b1", 1, 2),
        ("beta/b2", 2, 2),
    ]


def test_each_question_says_which_list_it_is_among_the_lists_walked() -> None:
    walk, _ = make_walk([ALPHA, BETA, CHAIN])
    script = Script([("alpha/a1", "d"), ("alpha/a2", "q")])
    walk.run(script)
    assert [(a.list_number, a.list_total) for a in script.asked] == [(1, 3), (1, 3)]
    done = with_answers(ALPHA, {"a1": "done", "a2": "no", "a4": "done"})
    walk, _ = make_walk([ALPHA, BETA, CHAIN], done)  # resumed: alpha still counts
    script = Script([("beta/b1", "d"), ("beta/b2", "b"), ("beta/b1", "q")])
    walk.run(script)
    assert [(a.list_number, a.list_total) for a in script.asked] == [(2, 3)] * 3


def test_a_timeline_walk_counts_only_the_lists_it_walks_today() -> None:
    """Five days before surgery ALPHA (from 7 days before) is due, FUTURE not yet."""
    future = Checklist(id="future", title="Later", when=Window(-1, 0), items=(task("f1"),))
    walk = Walk(
        [ALPHA, future, BETA],
        Progress(surgery_date=TODAY + timedelta(days=5)),
        Saves(),
        fake_now,
        TODAY,
        whole=False,
    )
    script = Script([("alpha/a1", "d"), ("alpha/a2", "n"), ("alpha/a4", "d"), ("beta/b1", "q")])
    walk.run(script)
    script.assert_finished()
    assert [(a.list_number, a.list_total) for a in script.asked] == [(1, 2)] * 3 + [(2, 2)]


def test_lists_are_introduced_once_with_whether_they_are_due() -> None:
    surgery = TODAY + timedelta(days=5)  # ALPHA is due 7 days before; BETA has no due date
    walk, _ = make_walk([ALPHA, BETA], Progress(surgery_date=surgery))
    script = Script(
        [
            ("alpha/a1", "d"),
            ("alpha/a2", "b"),  # back into the same list: no second intro
            ("alpha/a1", ""),
            ("alpha/a2", "n"),
            ("alpha/a4", "d"),
            ("beta/b1", "d"),
            ("beta/b2", "n"),
        ]
    )
    walk.run(script)
    script.assert_finished()
    intros = [e for e in script.events if e[0] == "intro"]
    assert intros == [("intro", "alpha due=True"), ("intro", "beta due=False")]
    assert all(a.due for a in script.asked if a.key.startswith("alpha/"))
    assert not any(a.due for a in script.asked if a.key.startswith("beta/"))


def test_past_due_items_are_flagged() -> None:
    early = dataclasses.replace(ALPHA, when=Window(-7, -2))
    walk, _ = make_walk([early], Progress(surgery_date=TODAY))  # two days after its last day
    script = Script([("alpha/a1", "q")])
    walk.run(script)
    assert script.asked[0].past_due is True
    walk, _ = make_walk([ALPHA], Progress(surgery_date=TODAY))  # its last day: still due
    script = Script([("alpha/a1", "q")])
    walk.run(script)
    assert script.asked[0].past_due is False
    walk, _ = make_walk([ALPHA], Progress(surgery_date=TODAY + timedelta(days=2)))
    script = Script([("alpha/a1", "q")])
    walk.run(script)
    assert script.asked[0].past_due is False


def test_a_missed_step_is_never_asked_and_after_surgery_steps_come_first() -> None:
    """The day after surgery: ALPHA (until the surgery day) is past doing."""
    recovery = Checklist(
        id="recovery", title="After", order=20, when=Window(0, 14), items=(task("r1"),)
    )
    walk, _ = make_walk([ALPHA, recovery], Progress(surgery_date=TODAY - timedelta(days=1)))
    walk.whole = False
    script = Script([("recovery/r1", "q")])
    assert walk.run(script) is False
    script.assert_finished()
    assert [step.key for step in walk.upcoming()] == []
    assert walk.open_steps()[0].key == ("recovery", "r1")


def test_the_walk_asks_what_ends_today_before_what_is_overdue() -> None:
    """On the surgery day: the day's own steps, then the critical overdue one."""
    earlier = Checklist(
        id="earlier",
        title="Earlier",
        order=5,
        when=Window(-14, -1),
        items=(task("e1"), task("e2", critical=True)),
    )
    day = Checklist(id="day", title="Day", order=50, when=Window(0, 0), items=(task("d1"),))
    critical_day = dataclasses.replace(day, id="day2", items=(task("d2", critical=True),))
    walk, _ = make_walk([earlier, day, critical_day], Progress(surgery_date=TODAY))
    walk.whole = False
    order = [step.key for step in walk.steps()]
    assert order == [("day2", "d2"), ("earlier", "e2"), ("day", "d1"), ("earlier", "e1")]


# -- resume and review --------------------------------------------------------------


def test_resumes_at_the_first_open_item() -> None:
    progress = with_answers(ALPHA, {"a1": "done", "a2": "no"})
    walk, _ = make_walk([ALPHA, BETA], progress)
    script = Script([("alpha/a4", "q")])
    assert walk.run(script) is False
    script.assert_finished()
    assert (script.asked[0].number, script.asked[0].total) == (3, 3)


def test_not_yet_is_open_and_asked_again_on_resume() -> None:
    progress = with_answers(ALPHA, {"a1": "not-yet", "a2": "no", "a4": "done"})
    progress = with_answers(BETA, {"b1": "done"}, progress)
    walk, _ = make_walk([ALPHA, BETA], progress)
    script = Script([("alpha/a1", ""), ("beta/b2", "y")])  # Enter keeps "not-yet"
    assert walk.run(script) is True
    script.assert_finished()
    assert script.asked[0].saved == "not-yet"
    assert walk.progress.answer("alpha", "a1").value == "not-yet"  # type: ignore[union-attr]


def test_everything_answered_asks_nothing() -> None:
    progress = with_answers(BETA, {"b1": "skip", "b2": "no"})
    walk, saves = make_walk([BETA], progress)
    assert walk.run(Script([])) is True
    assert saves.saved == []
    assert walk.open_steps() == []


def test_review_walks_answered_items_too_and_enter_keeps_them() -> None:
    progress = with_answers(ALPHA, {"a1": "done", "a2": "yes", "a3": "ibuprofen", "a4": "skip"})
    walk, saves = make_walk([ALPHA], progress, review=True)
    script = Script(
        [
            ("alpha/a1", ""),
            ("alpha/a2", "  "),  # spaces are Enter too
            ("alpha/a3", "naproxen"),  # a changed answer is saved
            ("alpha/a4", ""),
        ]
    )
    assert walk.run(script) is True
    script.assert_finished()
    assert [a.saved for a in script.asked] == ["done", "yes", "ibuprofen", "skip"]
    assert len(saves.saved) == 1
    assert values(saves.last, "alpha") == {
        "a1": "done",
        "a2": "yes",
        "a3": "naproxen",
        "a4": "skip",
    }
    # Kept answers keep the time they were given.
    assert walk.progress.answer("alpha", "a1") == progress.answer("alpha", "a1")


def test_without_review_answered_items_are_not_asked_again() -> None:
    progress = with_answers(ALPHA, {"a1": "done", "a2": "yes", "a3": "x", "a4": "skip"})
    walk, _ = make_walk([ALPHA], progress, review=False)
    assert walk.run(Script([])) is True


# -- commands: back, Enter, invalid, details, quit ----------------------------------


def test_back_goes_to_the_previous_item_and_lets_the_answer_change() -> None:
    walk, saves = make_walk([ALPHA])
    script = Script(
        [
            ("alpha/a1", "d"),
            ("alpha/a2", "n"),
            ("alpha/a4", "b"),
            ("alpha/a2", "b"),
            ("alpha/a1", "s"),  # changed from done to skip; a2 is answered, so a4 is next
            ("alpha/a4", "b"),  # back from a4 is a2, the item just before it
            ("alpha/a2", ""),  # Enter keeps "no"
            ("alpha/a4", "d"),
        ]
    )
    assert walk.run(script) is True
    script.assert_finished()
    saved = [a.saved for a in script.asked]
    assert saved == [None, None, None, "no", "done", None, "no", None]
    assert values(saves.last, "alpha") == {"a1": "skip", "a2": "no", "a4": "done"}
    assert len(saves.saved) == 4  # d, n, s, d: going back and Enter save nothing


def test_back_crosses_into_the_previous_list() -> None:
    walk, _ = make_walk([ALPHA, BETA])
    script = Script(
        [
            ("alpha/a1", "d"),
            ("alpha/a2", "n"),
            ("alpha/a4", "d"),
            ("beta/b1", "b"),
            ("alpha/a4", "n"),
            ("beta/b1", "d"),
            ("beta/b2", "n"),
        ]
    )
    walk.run(script)
    script.assert_finished()
    assert values(walk.progress, "alpha")["a4"] == "not-yet"


def test_back_at_the_first_question_says_so_and_asks_again() -> None:
    walk, saves = make_walk([BETA])
    script = Script([("beta/b1", "b"), ("beta/b1", "q")])
    assert walk.run(script) is False
    script.assert_finished()
    assert ("notice", "This is the first question.") in script.events
    assert saves.saved == []


def test_back_on_a_resumed_walk_reaches_answers_from_before() -> None:
    progress = with_answers(ALPHA, {"a1": "done", "a2": "no"})
    walk, saves = make_walk([ALPHA, BETA], progress)
    script = Script(
        [
            ("alpha/a4", "b"),
            ("alpha/a2", "b"),
            ("alpha/a1", "n"),
            ("alpha/a4", "q"),
        ]
    )
    walk.run(script)
    script.assert_finished()
    assert ("notice", "This is the first question.") not in script.events
    assert [a.saved for a in script.asked] == [None, "no", "done", None]
    assert values(saves.last, "alpha") == {"a1": "not-yet", "a2": "no"}


def test_position_is_current_after_going_back() -> None:
    # a2 is asked as "2 of 3"; answering yes makes a3 apply, so the list has 4 items.
    # Going back to a2 must show it as "2 of 4", not the stale "2 of 3".
    walk, _ = make_walk([ALPHA])
    script = Script([("alpha/a1", "d"), ("alpha/a2", "y"), ("alpha/a3", "b"), ("alpha/a2", "q")])
    walk.run(script)
    script.assert_finished()
    assert [(a.number, a.total) for a in script.asked] == [(1, 3), (2, 3), (3, 4), (2, 4)]
    assert script.asked[-1].saved == "yes"


def test_enter_without_a_saved_answer_is_asked_again() -> None:
    walk, saves = make_walk([BETA])
    script = Script([("beta/b1", ""), ("beta/b1", "d"), ("beta/b2", "q")])
    walk.run(script)
    script.assert_finished()
    refused = ("invalid", "Please answer done (d), not yet (n) or does not apply (s).")
    assert refused in script.events
    assert len(saves.saved) == 1


@pytest.mark.parametrize(
    ("checklist", "typed", "choices"),
    [
        (BETA, "maybe", "done (d), not yet (n) or does not apply (s)"),
        (BETA, "yes", "done (d), not yet (n) or does not apply (s)"),
        (Checklist(id="yn", title="Y", items=(yesno("q1"),)), "done", "yes (y) or no (n)"),
        (Checklist(id="yn", title="Y", items=(yesno("q1"),)), "yess", "yes (y) or no (n)"),
    ],
)
def test_invalid_input_is_asked_again_with_the_choices(
    checklist: Checklist, typed: str, choices: str
) -> None:
    first = f"{checklist.id}/{checklist.items[0].id}"
    walk, saves = make_walk([checklist])
    script = Script([(first, typed), (first, "q")])
    walk.run(script)
    script.assert_finished()
    invalid = [message for kind, message in script.events if kind == "invalid"]
    assert len(invalid) == 1
    assert choices in invalid[0]
    assert typed not in invalid[0].replace(choices, "")  # the answer is not repeated
    assert saves.saved == []


def test_question_mark_shows_details_and_asks_again() -> None:
    walk, saves = make_walk([ALPHA])
    script = Script([("alpha/a1", "?"), ("alpha/a1", " ? "), ("alpha/a1", "q")])
    walk.run(script)
    script.assert_finished()
    assert [e for e in script.events if e[0] == "details"] == [("details", "More about a1.")] * 2
    assert saves.saved == []


def test_q_stops_the_walk_keeping_what_was_saved() -> None:
    walk, saves = make_walk([ALPHA, BETA])
    script = Script([("alpha/a1", "d"), ("alpha/a2", " Q ")])
    assert walk.run(script) is False
    script.assert_finished()
    assert values(saves.last, "alpha") == {"a1": "done"}
    assert walk.progress == saves.last


def test_commands_work_on_text_items() -> None:
    walk, saves = make_walk([ALPHA], with_answers(ALPHA, {"a1": "done", "a2": "yes"}))
    script = Script([("alpha/a3", "?"), ("alpha/a3", "  "), ("alpha/a3", "q")])
    walk.run(script)
    script.assert_finished()
    kinds = [kind for kind, _ in script.events if kind in ("details", "invalid")]
    assert kinds == ["details", "invalid"]
    assert saves.saved == []


def test_end_of_input_stops_the_walk_with_earlier_answers_saved() -> None:
    walk, saves = make_walk([BETA])
    script = Script([("beta/b1", "d"), ("beta/b2", EOF)])
    with pytest.raises(EOFError):
        walk.run(script)
    assert values(saves.last, "beta") == {"b1": "done"}


def test_a_new_answer_keeps_the_earlier_note() -> None:
    progress = Progress().with_answer(BETA, "b1", Answer("not-yet", EARLIER, "ask the nurse"))
    walk, saves = make_walk([BETA], progress)
    script = Script([("beta/b1", "d"), ("beta/b2", "q")])
    walk.run(script)
    answer = saves.last.answer("beta", "b1")
    assert answer is not None
    assert (answer.value, answer.note) == ("done", "ask the nurse")
    assert answer.answered_at != EARLIER


# -- show_if follow-ups -------------------------------------------------------------


def test_follow_up_appears_right_after_the_enabling_answer() -> None:
    walk, saves = make_walk([ALPHA])
    script = Script(
        [("alpha/a1", "d"), ("alpha/a2", "y"), ("alpha/a3", "warfarin"), ("alpha/a4", "d")]
    )
    walk.run(script)
    script.assert_finished()
    assert values(saves.last, "alpha")["a3"] == "warfarin"


def test_follow_up_disappears_when_the_answer_changes_but_its_answer_is_kept() -> None:
    walk, saves = make_walk([ALPHA])
    script = Script(
        [
            ("alpha/a1", "d"),
            ("alpha/a2", "y"),
            ("alpha/a3", "warfarin"),
            ("alpha/a4", "b"),
            ("alpha/a3", "b"),
            ("alpha/a2", "n"),  # a3 no longer applies: the next question is a4
            ("alpha/a4", "d"),
        ]
    )
    assert walk.run(script) is True
    script.assert_finished()
    assert [(a.number, a.total) for a in script.asked][-1] == (3, 3)
    assert values(saves.last, "alpha") == {"a1": "done", "a2": "no", "a3": "warfarin", "a4": "done"}
    assert [s.item.id for s in walk.steps()] == ["a1", "a2", "a4"]
    assert walk.open_steps() == []


def test_a_kept_follow_up_answer_comes_back_with_its_condition() -> None:
    progress = with_answers(ALPHA, {"a1": "done", "a2": "no", "a3": "warfarin", "a4": "done"})
    walk, _ = make_walk([ALPHA], progress, review=True)
    script = Script([("alpha/a1", ""), ("alpha/a2", "yes"), ("alpha/a3", ""), ("alpha/a4", "")])
    walk.run(script)
    script.assert_finished()
    assert script.asked[2].saved == "warfarin"


# -- saving ---------------------------------------------------------------------------


def test_every_answer_is_saved_before_the_next_question() -> None:
    typed_so_far: list[tuple[str, str]] = []
    saves = Saves()

    def check(question: Question) -> None:
        # Every answer typed so far is in the last save, and the walk shows that state.
        if typed_so_far:
            assert saves.saved, "a question came before anything was saved"
            for list_id, item_id in typed_so_far:
                assert saves.last.answer(list_id, item_id) is not None
            assert walk.progress == saves.last

    walk, _ = make_walk([ALPHA, BETA], saves=saves)
    plan = [("alpha/a1", "d"), ("alpha/a2", "y"), ("alpha/a3", "x"), ("alpha/a4", "d")]
    plan += [("beta/b1", "d"), ("beta/b2", "n")]
    script = Script(list(plan), before_ask=check)
    original_ask = script.ask

    def ask(question: Question) -> str:
        typed = original_ask(question)
        typed_so_far.append((question.checklist.id, question.item.id))
        return typed

    script.ask = ask  # type: ignore[method-assign]
    walk.run(script)
    script.assert_finished()
    assert len(saves.saved) == len(plan)
    counts = [progress.count() for progress in saves.saved]
    assert counts == [1, 2, 3, 4, 5, 6]


def test_saved_progress_records_the_list_version() -> None:
    walk, saves = make_walk([BETA])
    walk.run(Script([("beta/b1", "d"), ("beta/b2", "q")]))
    assert saves.last.list_versions == {"beta": BETA.content_hash()}


def test_a_failed_save_stops_the_walk_without_recording_the_answer() -> None:
    saves = Saves(fail_at=2)
    walk, _ = make_walk([BETA], saves=saves)
    script = Script([("beta/b1", "d"), ("beta/b2", "y")])  # nothing may be asked after b2
    with pytest.raises(StorageError):
        walk.run(script)
    script.assert_finished()
    assert walk.progress.answer("beta", "b1") is not None
    assert walk.progress.answer("beta", "b2") is None
    assert len(saves.saved) == 1


# -- model ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("done", "done"),
        ("d", "done"),
        ("D", "done"),
        ("  Done  ", "done"),
        ("not-yet", "not-yet"),
        ("not yet", "not-yet"),
        (" Not Yet ", "not-yet"),
        ("NOT   YET", "not-yet"),
        ("n", "not-yet"),
        ("skip", "skip"),
        ("S", "skip"),
    ],
)
def test_parse_task_answers(typed: str, stored: str) -> None:
    assert parse_answer(task("t"), typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("yes", "yes"), ("Y", "yes"), (" YES ", "yes"), ("no", "no"), ("N", "no"), (" nO", "no")],
)
def test_parse_yesno_answers(typed: str, stored: str) -> None:
    assert parse_answer(yesno("q"), typed) == stored


@pytest.mark.parametrize("typed", ["", "  ", "ye", "not", "done", "yes no", "1", "true"])
def test_parse_rejects_what_a_yesno_item_does_not_accept(typed: str) -> None:
    with pytest.raises(InvalidAnswerError, match=r"yes \(y\) or no \(n\)"):
        parse_answer(yesno("q"), typed)


@pytest.mark.parametrize("typed", ["", "yes", "notyet", "not_yet", "dd", "skipped"])
def test_parse_rejects_what_a_task_does_not_accept(typed: str) -> None:
    with pytest.raises(InvalidAnswerError, match="done"):
        parse_answer(task("t"), typed)


def test_parse_text_answers() -> None:
    item = text("meds")
    assert parse_answer(item, "  Aspirin, Warfarin  ") == "Aspirin, Warfarin"
    assert parse_answer(item, "x" * 500) == "x" * 500
    for bad in ["", "   ", "x" * 501, "one\ntwo"]:
        with pytest.raises(InvalidAnswerError) as caught:
            parse_answer(item, bad)
        if bad.strip():
            assert bad.strip() not in str(caught.value)


def test_normalize_typed_folds_case_and_spaces() -> None:
    assert normalize_typed("  Not   Yet ") == "not-yet"
    assert normalize_typed("\tQ\n") == "q"


def test_applicable_items_follow_chains() -> None:
    def ids(answers: dict[str, str]) -> list[str]:
        given = {k: Answer(v, "t") for k, v in answers.items()}
        return [item.id for item in applicable_items(CHAIN, given)]

    assert ids({}) == ["c1", "c4"]
    assert ids({"c1": "yes"}) == ["c1", "c2", "c4"]
    assert ids({"c1": "yes", "c2": "yes"}) == ["c1", "c2", "c3", "c4"]
    # c2's saved "yes" no longer counts once c1 is "no": c3 disappears with it.
    assert ids({"c1": "no", "c2": "yes", "c3": "x"}) == ["c1", "c4"]
    assert ids({"c1": "yes", "c2": "no", "c3": "x"}) == ["c1", "c2", "c4"]


def test_resolved_and_tell_surgeon() -> None:
    assert is_resolved(task("t"), Answer("done", "t"))
    assert is_resolved(task("t"), Answer("skip", "t"))
    assert not is_resolved(task("t"), Answer("not-yet", "t"))
    assert not is_resolved(task("t"), None)
    assert is_resolved(yesno("q"), Answer("no", "t"))
    assert is_resolved(text("x"), Answer("aspirin", "t"))
    assert not is_resolved(text("x"), Answer("  ", "t"))
    flagged = yesno("q", tell_surgeon="yes")
    assert tells_surgeon(flagged, Answer("yes", "t"))
    assert not tells_surgeon(flagged, Answer("no", "t"))
    assert not tells_surgeon(yesno("q"), Answer("yes", "t"))
    assert tells_surgeon(text("x"), Answer("aspirin", "t"))


# -- schedule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (5, "Surgery in 5 days: Sunday 15 March."),
        (2, "Surgery in 2 days: Thursday 12 March."),
        (1, "Surgery is tomorrow: Wednesday 11 March."),
        (0, "Surgery is today."),
        (-1, "Surgery was 1 day ago, on Monday 9 March."),
        (-3, "Surgery was 3 days ago, on Saturday 7 March."),
    ],
)
def test_countdown(days: int, expected: str) -> None:
    assert countdown(TODAY + timedelta(days=days), TODAY) == expected


def test_countdown_without_a_date_says_how_to_add_one() -> None:
    assert "--surgery-date" in countdown(None, TODAY)


def test_countdown_counts_calendar_days_across_month_and_year_ends() -> None:
    assert days_until(date(2027, 1, 1), date(2026, 12, 31)) == 1
    assert countdown(date(2028, 3, 1), date(2028, 2, 28)) == "Surgery in 2 days: Wednesday 1 March."
    assert (
        countdown(date(2027, 1, 2), date(2026, 12, 31))
        == "Surgery in 2 days: Saturday 2 January 2027."
    )


def test_a_window_has_begun_from_its_first_day() -> None:
    surgery = date(2026, 3, 20)
    assert ALPHA.when is not None
    assert not has_begun(ALPHA.when, surgery, surgery - timedelta(days=8))
    assert has_begun(ALPHA.when, surgery, surgery - timedelta(days=7))
    assert has_begun(ALPHA.when, surgery, surgery)
    assert not has_begun(ALPHA.when, None, TODAY)
    assert not has_begun(BETA.when, surgery, surgery)  # no timing at all
    assert has_begun(Window(-1), surgery, surgery - timedelta(days=1))
    assert not has_begun(Window(-1), surgery, surgery - timedelta(days=2))


@pytest.mark.parametrize("good", ["2026-12-01", " 2026-12-01 "])
def test_parse_surgery_date(good: str) -> None:
    assert parse_surgery_date(good) == date(2026, 12, 1)


@pytest.mark.parametrize("bad", ["", "tomorrow", "12/01/2026", "20261201", "2026-W48-1"])
def test_parse_surgery_date_rejects_other_forms(bad: str) -> None:
    from foracheck.errors import UsageError

    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        parse_surgery_date(bad)


@pytest.mark.parametrize(
    ("impossible", "told"),
    [
        ("2026-13-01", "has no month 13"),
        ("2026-02-30", "February 2026 has 28 days"),
        ("2026-11-31", "November 2026 has 30 days"),
    ],
)
def test_parse_surgery_date_names_a_day_that_does_not_exist(impossible: str, told: str) -> None:
    from foracheck.errors import UsageError

    with pytest.raises(UsageError, match=told):
        parse_surgery_date(impossible)


# -- critical steps: a reason for "does not apply", asked once -----------------------------

CRITICAL = Checklist(
    "crit",
    "Critical",
    (Item("stop-pills", "task", "Stop the pills.", critical=True), Item("bag", "task", "Pack.")),
)


def test_a_critical_skip_asks_once_for_a_reason_kept_as_the_note() -> None:
    script = Script(
        [
            ("crit/stop-pills", "s"),
            ("reason:crit/stop-pills", "  Surgeon said no.  "),
            ("crit/bag", "s"),
        ]
    )
    walk, saves = make_walk([CRITICAL])
    assert walk.run(script)
    script.assert_finished()
    answer = walk.progress.answer("crit", "stop-pills")
    assert answer is not None and (answer.value, answer.note) == ("skip", "Surgeon said no.")
    bag = walk.progress.answer("crit", "bag")
    assert bag is not None and bag.note is None  # not critical: no reason asked
    assert [e for e in script.events if e[0] == "reason"] == [("reason", "crit/stop-pills")]
    # Saved once, answer and reason together, and confirmed after the save.
    assert len(saves.saved) == 2
    assert ("saved", "crit/stop-pills=skip") in script.events


def test_no_reason_keeps_an_earlier_note_and_a_bad_one_is_asked_again() -> None:
    earlier = Progress().with_answer(CRITICAL, "stop-pills", Answer("not-yet", EARLIER, "old"))
    script = Script(
        [
            ("crit/stop-pills", "s"),
            ("reason:crit/stop-pills", "x" * 501),
            ("reason:crit/stop-pills", ""),
            ("crit/bag", "q"),
        ]
    )
    walk, _ = make_walk([CRITICAL], earlier)
    assert not walk.run(script)
    answer = walk.progress.answer("crit", "stop-pills")
    assert answer is not None and (answer.value, answer.note) == ("skip", "old")
    assert ("invalid", "Please keep the reason to 500 characters.") in script.events


def test_enter_on_a_saved_answer_is_confirmed_as_kept() -> None:
    saved = Progress().with_answer(CRITICAL, "stop-pills", Answer("done", EARLIER))
    script = Script([("crit/stop-pills", ""), ("crit/bag", "q")])
    walk, _ = make_walk([CRITICAL], saved, review=True)
    walk.run(script)
    assert ("kept", "crit/stop-pills=done") in script.events


# -- the surgery date, changed from a question ------------------------------------------------


def test_date_in_a_whole_walk_saves_the_date_and_asks_the_same_step() -> None:
    surgery = TODAY + timedelta(days=5)
    saves = Saves()
    asked: list[date | None] = []

    def ask_date(saved: date | None) -> date | None:
        asked.append(saved)
        return surgery

    walk = Walk([ALPHA], Progress(), saves, fake_now, TODAY, ask_date=ask_date)
    script = Script([("alpha/a1", "d"), ("alpha/a2", "Date"), ("alpha/a2", "n"), ("alpha/a4", "q")])
    walk.run(script)
    script.assert_finished()
    assert asked == [None]
    assert saves.saved[1].surgery_date == surgery  # saved on its own, before a2's answer
    assert values(saves.saved[1], "alpha") == {"a1": "done"}
    assert saves.last.surgery_date == surgery
    assert ("notice", "Surgery date saved: " + surgery.isoformat() + ".") in script.events
    assert script.asked[2].due  # ALPHA (from 7 days before) has begun with the new date


def test_date_without_a_way_to_ask_changes_nothing() -> None:
    walk, saves = make_walk([BETA])
    script = Script([("beta/b1", "date"), ("beta/b1", "q")])
    walk.run(script)
    script.assert_finished()
    assert ("notice", "The surgery date was not changed.") in script.events
    assert saves.saved == []


def test_a_step_an_earlier_date_brings_in_before_this_one_is_asked_after_the_last() -> None:
    """Moved to tomorrow, the list "late" (before BETA) is due today: the walk goes on
    with BETA and then asks "late", without asking BETA's answered steps again."""
    late = Checklist(id="late", title="Late", when=Window(-1, 0), items=(task("l1"),))
    far = TODAY + timedelta(days=30)  # only BETA (no timing) is in scope
    walk = Walk(
        [late, BETA],
        Progress(surgery_date=far),
        Saves(),
        fake_now,
        TODAY,
        whole=False,
        ask_date=lambda saved: TODAY + timedelta(days=1),
    )
    script = Script(
        [
            ("beta/b1", "date"),  # now "late" (from the day before) is due too
            ("beta/b1", "d"),
            ("beta/b2", "y"),
            ("late/l1", "n"),
        ]
    )
    assert walk.run(script) is True
    script.assert_finished()
    assert ("notice", "With this date, 3 steps are to do now.") in script.events


def test_dont_know_leaves_a_text_item_open_and_the_walk_moves_on() -> None:
    walk, saves = make_walk([ALPHA])
    script = Script(
        [
            ("alpha/a1", "d"),
            ("alpha/a2", "y"),
            ("alpha/a3", "I don't know, I will ask"),
            ("alpha/a4", "d"),
        ]
    )
    assert walk.run(script) is True
    script.assert_finished()
    assert values(saves.last, "alpha") == {"a1": "done", "a2": "yes", "a3": "not-yet", "a4": "done"}
    assert [step.item.id for step in walk.open_steps()] == ["a3"]
    again, _ = make_walk([ALPHA], walk.progress)
    resumed = Script([("alpha/a3", "q")])  # open, so asked again next time
    assert again.run(resumed) is False
    assert resumed.asked[0].saved == "not-yet"
