"""The whole ``foracheck start`` session without a terminal, through a scripted prompter.

``Conversation`` plays the patient: it expects every question in order (the
surgery date, a yes/no question, each item) and fails the test on any question
it was not told about, like jrnl's scripted-input fixture. Everything the
session tells the patient is kept, so a test can read it. The same session in
a real terminal is in test_terminal.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from foracheck import session, store
from foracheck.model import Answer, Checklist, Item, Progress, Window
from foracheck.paths import Locations
from foracheck.walk import Question, Step

TODAY = date(2026, 3, 10)
LIST = Checklist(
    id="alpha",
    title="Alpha list",
    items=(
        Item(id="a1", type="task", text="Task a1."),
        Item(id="a2", type="yesno", text="Question a2?"),
    ),
)


@dataclass
class Conversation:
    """A SessionPrompter that answers from a script: ("kind", "what it asks", reply)."""

    script: list[tuple[str, str, str | bool]]
    told: list[str] = field(default_factory=list)
    closed: tuple[str, int, Path] | None = None

    def _reply(self, kind: str, asked: str) -> str | bool:
        if not self.script:
            pytest.fail(f"unexpected {kind} question {asked!r}: the script has ended")
        expected_kind, expected, reply = self.script.pop(0)
        assert (kind, asked) == (expected_kind, expected)
        return reply

    def ask(self, question: Question) -> str:
        reply = self._reply("item", f"{question.checklist.id}/{question.item.id}")
        assert isinstance(reply, str)
        return reply

    def ask_surgery_date(self, keep: bool = False) -> str:
        reply = self._reply("date", "keep" if keep else "")
        assert isinstance(reply, str)
        return reply

    def confirm(self, question: str) -> bool:
        reply = self._reply("confirm", question)
        assert isinstance(reply, bool)
        return reply

    def welcome(self) -> None:
        self.told.append("welcome")

    def list_intro(self, checklist: Checklist, due: bool) -> None:
        self.told.append(f"intro {checklist.id}")

    def details(self, question: Question) -> None:
        self.told.append("details")

    def invalid(self, question: Question, message: str) -> None:
        self.told.append(f"invalid: {message}")

    def notice(self, message: str) -> None:
        self.told.append(message)

    def warning(self, message: str) -> None:
        self.told.append(f"warning: {message}")

    def reason(self, question: Question) -> str:
        reply = self._reply("reason", f"{question.checklist.id}/{question.item.id}")
        assert isinstance(reply, str)
        return reply

    def answered(self, question: Question, answer: Answer, kept: bool) -> None:
        self.told.append(f"{'kept' if kept else 'saved'}: {answer.value}")

    def how_to(self) -> None:
        self.told.append("how to")

    def summary(
        self,
        checklists: list[Checklist],
        progress: Progress,
        open_steps: list[Step],
        all_clear: bool,
    ) -> None:
        self.told.append(f"summary: {len(open_steps)} open")

    def closing(self, ending: str, saved: int, where: Path) -> None:
        self.closed = (ending, saved, where)

    def text(self) -> str:
        return "\n".join(self.told)


def run(locations: Locations, *script: tuple[str, str, str | bool]) -> tuple[int, Conversation]:
    talk = Conversation(list(script))
    code = session.run_start(locations, [LIST], None, False, TODAY, prompter=talk)
    assert not talk.script, f"these questions never came: {talk.script}"
    return code, talk


def seed(locations: Locations, *answers: tuple[str, str]) -> None:
    """Save once per answer, as a walk does, so the backup holds all but the last."""
    progress = Progress(welcomed=True)
    with store.open_for_writing(locations) as writer:
        for item_id, value in answers:
            progress = progress.with_answer(
                LIST, item_id, Answer(value, "2026-03-01T09:00:00+01:00")
            )
            writer.save(progress)


def saved_values(locations: Locations) -> dict[str, str]:
    progress = store.read_progress(locations)
    assert progress is not None
    return {item: answer.value for item, answer in progress.answers_for("alpha").items()}


def test_a_first_session_from_welcome_to_summary(locations: Locations) -> None:
    code, talk = run(
        locations,
        ("date", "", "2026-13-40"),
        ("date", "", "2026-03-20"),
        ("item", "alpha/a1", "x"),
        ("item", "alpha/a1", "d"),
        ("item", "alpha/a2", "y"),
    )
    assert code == 0
    assert talk.told[0] == "welcome"
    assert any(line.startswith("warning: ") for line in talk.told)  # the impossible date
    assert talk.told[-1] == "summary: 0 open"
    assert talk.closed == ("All done for now.", 2, locations.progress_file)
    assert saved_values(locations) == {"a1": "done", "a2": "yes"}
    progress = store.read_progress(locations)
    assert progress is not None
    assert progress.surgery_date == date(2026, 3, 20)


def test_quitting_and_coming_back_resumes_without_the_welcome(locations: Locations) -> None:
    code, _ = run(locations, ("date", "", ""), ("item", "alpha/a1", "d"), ("item", "alpha/a2", "q"))
    assert code == 0
    code, talk = run(locations, ("item", "alpha/a2", "n"))
    assert code == 0
    assert "welcome" not in talk.told
    assert talk.closed is not None and talk.closed[1] == 2


def test_end_of_input_at_a_question_exits_1_with_answers_kept(locations: Locations) -> None:
    @dataclass
    class EndsAtA2(Conversation):
        def ask(self, question: Question) -> str:
            if question.item.id == "a2":
                raise EOFError
            return super().ask(question)

    talk = EndsAtA2([("date", "", ""), ("item", "alpha/a1", "s")])
    assert session.run_start(locations, [LIST], None, False, TODAY, prompter=talk) == 1
    assert talk.closed == ("Input ended.", 1, locations.progress_file)
    assert saved_values(locations) == {"a1": "skip"}


# -- a lost state at start: the store decides, the session only asks ------------------


def test_a_deleted_file_is_offered_back_and_restored(locations: Locations) -> None:
    seed(locations, ("a1", "done"), ("a2", "no"))
    locations.progress_file.unlink()
    code, talk = run(locations, ("confirm", "Restore it?", True), ("item", "alpha/a2", "q"))
    assert code == 0
    text = talk.text()
    assert "is missing" in text
    assert "There is a backup from" in text
    assert "with 1 answer" in text
    assert "Your backup is restored." in text
    assert "welcome" not in talk.told  # the restored state had been welcomed
    assert saved_values(locations) == {"a1": "done"}


def test_declining_starts_over_and_keeps_the_backup_aside(locations: Locations) -> None:
    seed(locations, ("a1", "done"), ("a2", "no"))
    backup = locations.backup_file.read_bytes()
    locations.progress_file.unlink()
    code, talk = run(
        locations,
        ("confirm", "Restore it?", False),
        ("date", "", ""),
        ("item", "alpha/a1", "s"),
        ("item", "alpha/a2", "y"),
    )
    assert code == 0
    (kept,) = locations.home.glob("progress.json.bak-*")
    assert kept.read_bytes() == backup  # two saves later, the old backup is still whole
    assert f"foracheck restore --from {kept}" in talk.text()
    assert talk.told.index("welcome") > 0  # a fresh start is welcomed again
    assert saved_values(locations) == {"a1": "skip", "a2": "yes"}
    # The new backup is of the new lineage, never the old one's bytes.
    assert store.decode(locations.backup_file.read_bytes()).answer("alpha", "a1") is not None


def test_a_damaged_file_is_moved_aside_and_the_backup_offered(locations: Locations) -> None:
    seed(locations, ("a1", "done"), ("a2", "no"))
    locations.progress_file.write_bytes(b'{"schema": 1, "lists": {')
    code, talk = run(locations, ("confirm", "Restore it?", True), ("item", "alpha/a2", "q"))
    assert code == 0
    (damaged,) = locations.home.glob("progress.json.corrupt-*")
    assert damaged.read_bytes() == b'{"schema": 1, "lists": {'
    assert "could not be read" in talk.text()
    assert str(damaged) in talk.text()
    assert saved_values(locations) == {"a1": "done"}


def test_with_nothing_readable_left_it_says_so_and_starts_over(locations: Locations) -> None:
    locations.home.mkdir()
    locations.progress_file.write_bytes(b"\x00" * 32)  # damaged on its first save: no backup
    code, talk = run(locations, ("date", "", ""), ("item", "alpha/a1", "q"))
    assert code == 0
    assert "None of the kept copies can be read." in talk.text()
    (damaged,) = locations.home.glob("progress.json.corrupt-*")
    assert damaged.read_bytes() == b"\x00" * 32


# -- a walk that follows the timeline -----------------------------------------------------------

SURGERY = date(2026, 3, 13)  # a Friday, three days after TODAY
TIMED = Checklist(
    id="timed",
    title="Timed list",
    when=Window(-14, -1),
    items=(
        Item(id="early", type="task", text="From two weeks before."),
        Item(id="late", type="task", text="Overdue by now.", when=Window(-20, -5)),
        Item(id="eve", type="task", text="The day before.", when=Window(-1, -1)),
        Item(id="day", type="task", text="On the day.", when=Window(0, 0)),
        Item(id="after", type="yesno", text="After it?", when=Window(0)),
    ),
)


def timed_run(
    locations: Locations, *script: tuple[str, str, str | bool], whole: bool = False
) -> Conversation:
    talk = Conversation(list(script))
    code = session.run_start(locations, [TIMED], SURGERY, False, TODAY, prompter=talk, whole=whole)
    assert code == 0
    assert not talk.script, f"these questions never came: {talk.script}"
    return talk


def welcomed(locations: Locations) -> None:
    with store.open_for_writing(locations) as writer:
        writer.save(Progress(welcomed=True, surgery_date=SURGERY))


def test_with_a_surgery_date_only_due_and_overdue_steps_are_asked(locations: Locations) -> None:
    welcomed(locations)
    # What comes first: the overdue step before the one whose window ends later.
    talk = timed_run(locations, ("item", "timed/late", "n"), ("item", "timed/early", "d"))
    assert "summary: 1 open" in talk.told  # "not-yet" stays open, and nothing upcoming counts
    assert talk.told[-1] == "Next: 1 step from Thursday 12 March."
    # Not "All done": a step to do now is still open.
    assert talk.closed is not None
    assert talk.closed[0] == "1 step to do now is still open: 'foracheck status' shows it."


def test_all_done_only_when_nothing_to_do_now_is_open(locations: Locations) -> None:
    welcomed(locations)
    talk = timed_run(locations, ("item", "timed/late", "d"), ("item", "timed/early", "d"))
    assert talk.closed is not None and talk.closed[0] == "All done for now."


def test_the_next_line_counts_the_steps_of_the_first_day(locations: Locations) -> None:
    welcomed(locations)
    today = SURGERY - timedelta(days=1)
    # The day before: the two steps whose window ends today, then the overdue one.
    talk = Conversation(
        [("item", "timed/early", "d"), ("item", "timed/eve", "d"), ("item", "timed/late", "d")]
    )
    assert session.run_start(locations, [TIMED], None, False, today, prompter=talk) == 0
    assert talk.told[-1] == "Next: 2 steps from Friday 13 March."


def test_all_walks_every_step(locations: Locations) -> None:
    welcomed(locations)
    script = [
        ("item", f"timed/{item.id}", "d" if item.type == "task" else "y") for item in TIMED.items
    ]
    talk = timed_run(locations, *script, whole=True)
    assert not any(line.startswith("Next:") for line in talk.told)


def test_back_stays_among_the_steps_of_today(locations: Locations) -> None:
    welcomed(locations)
    talk = timed_run(
        locations,
        ("item", "timed/late", "b"),  # the first step of today: nowhere to go back to
        ("item", "timed/late", "d"),
        ("item", "timed/early", "b"),
        ("item", "timed/late", "s"),
        ("item", "timed/early", "d"),
    )
    assert "This is the first question." in talk.told


def test_when_nothing_is_due_the_walk_says_what_comes_next(locations: Locations) -> None:
    with store.open_for_writing(locations) as writer:
        writer.save(Progress(welcomed=True, surgery_date=date(2026, 5, 1)))
    talk = Conversation([])
    assert session.run_start(locations, [TIMED], None, False, TODAY, prompter=talk) == 0
    assert "summary: 0 open" in talk.told
    assert talk.told[-1] == "Next: 1 step from Saturday 11 April."  # "late" begins 20 days before


def test_without_a_date_everything_is_walked(locations: Locations) -> None:
    script = [
        ("item", f"timed/{item.id}", "d" if item.type == "task" else "y") for item in TIMED.items
    ]
    talk = Conversation([("date", "", ""), *script])
    assert session.run_start(locations, [TIMED], None, False, TODAY, prompter=talk) == 0
    assert not talk.script
    assert not any(line.startswith("Next:") for line in talk.told)


def test_open_critical_steps_come_first_in_the_summary(locations: Locations) -> None:
    @dataclass
    class Keeps(Conversation):
        open_steps: list[str] = field(default_factory=list)

        def summary(
            self,
            checklists: list[Checklist],
            progress: Progress,
            open_steps: list[Step],
            all_clear: bool,
        ) -> None:
            self.open_steps = [step.item.id for step in open_steps]

    critical = Checklist(
        id="crit",
        title="Critical list",
        items=(
            Item(id="plain", type="task", text="Plain."),
            Item(id="vital", type="task", text="Vital.", critical=True),
        ),
    )
    # Without a surgery date the walk goes in list order; the summary puts critical first.
    talk = Keeps([("date", "", ""), ("item", "crit/plain", "n"), ("item", "crit/vital", "n")])
    assert session.run_start(locations, [critical], None, False, TODAY, prompter=talk) == 0
    assert talk.open_steps == ["vital", "plain"]


# -- where the patient stands as the walk opens, and the surgery date inside the walk ---------


def test_the_walk_opens_with_the_countdown_status_uses(locations: Locations) -> None:
    welcomed(locations)
    talk = timed_run(locations, ("item", "timed/late", "q"))
    assert "Surgery in 3 days: Friday 13 March." in talk.told
    assert not any(line.startswith("Welcome back") for line in talk.told)  # nothing answered yet


def test_a_first_run_with_a_date_tells_the_countdown_at_once(locations: Locations) -> None:
    code, talk = run(locations, ("date", "", "2026-03-11"), ("item", "alpha/a1", "q"))
    assert code == 0
    assert talk.told.index("Surgery is tomorrow: Wednesday 11 March.") < talk.told.index("how to")


def test_without_a_date_the_walk_says_how_to_add_one(locations: Locations) -> None:
    code, talk = run(locations, ("date", "", ""), ("item", "alpha/a1", "q"))
    assert code == 0
    assert "No surgery date is saved yet. To add it, type date at any question." in talk.told


def test_resuming_says_welcome_back_with_the_count_of_every_list(locations: Locations) -> None:
    other = Checklist(id="beta", title="Beta", items=(Item(id="b1", type="task", text="B1."),))
    seed(locations, ("a1", "done"))
    talk = Conversation([("item", "alpha/a2", "q")])
    code = session.run_start(locations, [LIST], None, False, TODAY, [LIST, other], talk)
    assert code == 0
    assert talk.told[0] == "Welcome back: 1 of 3 answered."  # every list in use counts


def test_not_yet_is_not_counted_as_answered_on_return(locations: Locations) -> None:
    seed(locations, ("a1", "not-yet"))
    code, talk = run(locations, ("item", "alpha/a1", "q"))
    assert code == 0
    assert "Welcome back: 0 of 2 answered." in talk.told


def test_date_at_a_question_changes_the_date_and_asks_the_same_question(
    locations: Locations,
) -> None:
    code, talk = run(
        locations,
        ("date", "", ""),
        ("item", "alpha/a1", "date"),
        ("date", "", "2026-02-31"),  # no such day: asked again, as at the first run
        ("date", "", "2026-03-17"),
        ("item", "alpha/a1", " DATE "),
        ("date", "keep", ""),  # Enter keeps it
        ("item", "alpha/a1", "d"),
        ("item", "alpha/a2", "q"),
    )
    assert code == 0
    text = talk.text()
    assert "No surgery date is saved yet." in talk.told
    assert "warning: '2026-02-31' is not a day in the calendar" in text
    assert "Surgery date saved: 2026-03-17." in talk.told
    assert "Surgery in 7 days: Tuesday 17 March." in talk.told
    assert "Your surgery date: 2026-03-17." in talk.told
    assert "The surgery date was not changed." in talk.told
    progress = store.read_progress(locations)
    assert progress is not None and progress.surgery_date == date(2026, 3, 17)
    assert saved_values(locations) == {"a1": "done"}


def test_a_new_date_is_saved_before_the_next_question(locations: Locations) -> None:
    """Saved at once, like an answer: the next question finds it on disk."""

    @dataclass
    class Checks(Conversation):
        on_disk: list[date | None] = field(default_factory=list)

        def ask(self, question: Question) -> str:
            progress = store.read_progress(locations)
            assert progress is not None
            self.on_disk.append(progress.surgery_date)
            return super().ask(question)

    talk = Checks(
        [
            ("date", "", ""),
            ("item", "alpha/a1", "d"),
            ("item", "alpha/a2", " Date "),  # as typed: case and spaces do not matter
            ("date", "", "2026-04-01"),
            ("item", "alpha/a2", "y"),
        ]
    )
    assert session.run_start(locations, [LIST], None, False, TODAY, prompter=talk) == 0
    assert not talk.script
    assert talk.on_disk == [None, None, date(2026, 4, 1)]


def test_a_date_far_away_is_confirmed_as_at_the_first_run(locations: Locations) -> None:
    welcomed(locations)
    talk = timed_run(
        locations,
        ("item", "timed/late", "date"),
        ("date", "keep", "2028-03-13"),
        (
            "confirm",
            "2028-03-13 is more than a year from now. Please check the year "
            "before you go on. Is 2028-03-13 right?",
            False,
        ),
        ("date", "keep", ""),
        ("item", "timed/late", "q"),
    )
    assert "The surgery date was not changed." in talk.told
    progress = store.read_progress(locations)
    assert progress is not None and progress.surgery_date == SURGERY


def test_a_later_date_leaves_for_later_what_is_no_longer_due(locations: Locations) -> None:
    """TODAY is 3 days before SURGERY: early and late are asked. Moved 14 days on, only
    "late" (from 20 days before) has begun, so the walk goes on to it and then ends."""
    welcomed(locations)
    later = SURGERY + timedelta(days=14)
    talk = timed_run(
        locations,
        ("item", "timed/late", "date"),
        ("date", "keep", later.isoformat()),
        ("item", "timed/late", "d"),
    )
    assert "With this date, 1 step is to do now." in talk.told
    assert talk.told[-1].startswith("Next: 1 step from ")
    progress = store.read_progress(locations)
    assert progress is not None and progress.surgery_date == later


def test_an_earlier_date_asks_the_steps_it_brings_in_after_the_last(
    locations: Locations,
) -> None:
    """Moved to tomorrow, "eve" (the day before) is due today: asked with the steps
    still to do, without asking again what this walk already answered."""
    welcomed(locations)
    tomorrow = TODAY + timedelta(days=1)
    talk = timed_run(
        locations,
        ("item", "timed/late", "d"),
        ("item", "timed/early", "date"),
        ("date", "keep", tomorrow.isoformat()),
        ("item", "timed/early", "n"),
        ("item", "timed/eve", "d"),
    )
    assert "With this date, 2 steps are to do now." in talk.told  # early and eve
    assert "summary: 1 open" in talk.told  # early stays open: "not yet"


def test_a_date_that_leaves_nothing_to_do_today_ends_the_walk(locations: Locations) -> None:
    welcomed(locations)
    talk = timed_run(
        locations,
        ("item", "timed/late", "date"),
        ("date", "keep", (SURGERY + timedelta(days=60)).isoformat()),
    )
    assert "With this date, nothing is left to do today." in talk.told
    assert "summary: 0 open" in talk.told
