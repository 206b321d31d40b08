"""The walk-through engine: which item comes next, recording answers, going back.

The engine never prints or reads a terminal. It asks through a ``Prompter``
(the terminal one lives in ``ui``; tests use a scripted one) and saves through
a callback, so every answer is stored before the next item is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from foracheck.model import (
    Answer,
    Checklist,
    InvalidAnswerError,
    Item,
    Progress,
    applicable_items,
    is_resolved,
    normalize_typed,
    parse_answer,
)
from foracheck.schedule import has_begun
from foracheck.timeline import step_state, window_dates, window_of

HELP, BACK, QUIT = "?", "b", "q"


@dataclass(frozen=True)
class Question:
    """One item as the patient sees it: where it stands and what is saved."""

    checklist: Checklist
    item: Item
    number: int
    total: int
    saved: Answer | None
    due: bool
    past_due: bool


class Prompter(Protocol):
    """What the engine needs from whoever talks to the patient."""

    def list_intro(self, checklist: Checklist, due: bool) -> None:
        """A list begins: its title, intro and whether it is due."""

    def ask(self, question: Question) -> str:
        """Show the question and return what was typed (EOFError at end of input)."""

    def details(self, question: Question) -> None:
        """The item's details, asked for with '?'."""

    def invalid(self, question: Question, message: str) -> None:
        """The typed answer was not one of the choices."""

    def notice(self, message: str) -> None:
        """A short remark, such as 'This is the first question.'"""


@dataclass(frozen=True)
class Step:
    """An applicable item at its place in the walk."""

    checklist: Checklist
    item: Item
    number: int
    total: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.checklist.id, self.item.id)


Now = Callable[[], str]


class Walk:
    """Walks the given checklists in order, saving through ``save`` after every answer."""

    def __init__(
        self,
        checklists: Sequence[Checklist],
        progress: Progress,
        save: Callable[[Progress], None],
        now: Now,
        today: date,
        review: bool = False,
        whole: bool = True,
    ) -> None:
        self.checklists = list(checklists)
        self.whole = whole
        self.progress = progress
        self.save = save
        self.now = now
        self.today = today
        self.review = review

    def steps(self) -> list[Step]:
        """Every applicable item, given the answers so far, in walking order."""
        steps = []
        for checklist in self.checklists:
            items = applicable_items(checklist, self.progress.answers_to(checklist))
            steps += [Step(checklist, item, n, len(items)) for n, item in enumerate(items, 1)]
        return steps

    def needs_asking(self, step: Step) -> bool:
        """Open items always; answered ones too when reviewing; none not yet begun,
        unless the walk is whole."""
        if not self.in_scope(step):
            return False
        return self.review or not is_resolved(step.item, self.saved(step))

    def in_scope(self, step: Step) -> bool:
        """Whether this walk asks the step at all: a timeline walk leaves out what has
        not begun yet (the timeline's "upcoming"; without a surgery date, nothing is)."""
        if self.whole:
            return True
        window = window_of(step.checklist, step.item)
        surgery = self.progress.surgery_date
        return window is None or surgery is None or has_begun(window, surgery, self.today)

    def upcoming(self) -> list[tuple[Step, date]]:
        """Open steps this walk left for later, each with its first day, soonest first."""
        surgery = self.progress.surgery_date
        later = []
        for step in self.steps():
            window = window_of(step.checklist, step.item)
            if self.in_scope(step) or window is None or surgery is None:
                continue
            if is_resolved(step.item, self.saved(step)):
                continue
            later.append((step, window_dates(window, surgery)[0]))
        return sorted(later, key=lambda pair: pair[1])

    def saved(self, step: Step) -> Answer | None:
        return self.progress.answers_to(step.checklist).get(step.item.id)

    def open_steps(self) -> list[Step]:
        """What this walk left open, for the summary at the end."""
        return [
            step
            for step in self.steps()
            if self.in_scope(step) and not is_resolved(step.item, self.saved(step))
        ]

    def _next(self, after: tuple[str, str] | None) -> Step | None:
        """The first step after ``after`` (or from the start) that needs asking."""
        steps = self.steps()
        start = 0
        if after is not None:
            keys = [step.key for step in steps]
            start = keys.index(after) + 1 if after in keys else 0
        return next((step for step in steps[start:] if self.needs_asking(step)), None)

    def _previous(self, before: tuple[str, str]) -> Step | None:
        """The applicable step just before ``before``, answered or not: where 'b' goes.

        Taken from the current steps, so its position ("2 of 4") reflects answers
        given since, and it works on a resumed walk as well.
        """
        steps = [step for step in self.steps() if self.in_scope(step) or step.key == before]
        keys = [step.key for step in steps]
        index = keys.index(before) if before in keys else 0
        return steps[index - 1] if index > 0 else None

    def question(self, step: Step) -> Question:
        surgery = self.progress.surgery_date
        window = window_of(step.checklist, step.item)
        saved = self.saved(step)
        return Question(
            checklist=step.checklist,
            item=step.item,
            number=step.number,
            total=step.total,
            saved=saved,
            due=has_begun(window, surgery, self.today),
            past_due=step_state(step.item, saved, window, surgery, self.today) == "overdue",
        )

    def run(self, prompter: Prompter) -> bool:
        """Ask until every item is handled (True) or the patient quits (False)."""
        step = self._next(None)
        introduced: set[str] = set()
        while step is not None:
            if step.checklist.id not in introduced:
                introduced.add(step.checklist.id)
                surgery = self.progress.surgery_date
                due = has_begun(step.checklist.when, surgery, self.today)
                prompter.list_intro(step.checklist, due)
            action = self._ask(prompter, step)
            if action == QUIT:
                return False
            if action == BACK:
                previous = self._previous(step.key)
                if previous is None:
                    prompter.notice("This is the first question.")
                    continue
                step = previous
                continue
            step = self._next(step.key)
        return True

    def _ask(self, prompter: Prompter, step: Step) -> str:
        """Ask one item until it gets an answer or a command; returns the command or ''."""
        while True:
            question = self.question(step)
            typed = prompter.ask(question)
            command = normalize_typed(typed)
            if command in (QUIT, BACK):
                return command
            if command == HELP:
                prompter.details(question)
                continue
            if not typed.strip() and question.saved is not None:
                return ""  # Enter keeps the saved answer
            try:
                value = parse_answer(step.item, typed)
            except InvalidAnswerError as error:
                prompter.invalid(question, str(error))
                continue
            self.record(step, value)
            return ""

    def record(self, step: Step, value: str) -> None:
        """Save one answer (keeping an earlier note); the answer exists only once saved."""
        earlier = self.saved(step)
        note = earlier.note if earlier is not None else None
        answer = Answer(value, self.now(), note)
        updated = self.progress.with_answer(step.checklist, step.item.id, answer)
        self.save(updated)
        self.progress = updated
