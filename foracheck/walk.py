"""The walk-through engine: which item comes next, recording answers, going back.

The engine never prints or reads a terminal. It asks through a ``Prompter``
(the terminal one lives in ``ui``; tests use a scripted one) and saves through
a callback, so every answer is stored before the next item is shown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from foracheck.i18n import _, ngettext
from foracheck.model import (
    DEFAULT_ANSWERER,
    MAX_TEXT_ANSWER,
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
from foracheck.priority import rank
from foracheck.safetext import unsafe_character
from foracheck.schedule import countdown, has_begun
from foracheck.timeline import StepState, step_state, window_dates, window_of

HELP, BACK, QUIT, DATE = "?", "b", "q", "date"
# The word that shows or changes the surgery date, in every language the walk speaks.
DATE_WORDS = frozenset({"date", "fecha"})


def act_now(text: str) -> str:
    """An alert's sentence, as the walk says it the moment its answer is given."""
    return _("Act now: {text}").format(text=text)


def date_word() -> str:
    """The word that shows or changes the surgery date, as the patient is told to type it."""
    return _("date")


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
    list_number: int = 1  # where the list stands among the lists this walk goes through
    list_total: int = 1


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

    def reason(self, question: Question) -> str:
        """Why a critical step does not apply: one typed line, empty to give none."""

    def answered(self, question: Question, answer: Answer, kept: bool) -> None:
        """The answer is on disk (``kept``: Enter kept the saved one); say so if wanted."""


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
# Asks the patient for a surgery date, given the saved one; None leaves it as it is.
AskDate = Callable[[date | None], date | None]


class Walk:
    """Walks the given checklists in order, saving through ``save`` after every answer.

    Every answer given is recorded as given ``by`` one person (``start --by``).
    """

    def __init__(
        self,
        checklists: Sequence[Checklist],
        progress: Progress,
        save: Callable[[Progress], None],
        now: Now,
        today: date,
        review: bool = False,
        by: str = DEFAULT_ANSWERER,
        whole: bool = True,
        ask_date: AskDate | None = None,
    ) -> None:
        self.checklists = list(checklists)
        self.by = by
        self.whole = whole
        self.progress = progress
        self.save = save
        self.now = now
        self.today = today
        self.review = review
        self.ask_date = ask_date
        # After a new surgery date brings in steps behind the current one, the walk
        # asks them after the last step: "catching up" skips what this walk answered.
        self.date_changed = False
        self.catching_up = False
        self.answered_keys: set[tuple[str, str]] = set()

    def steps(self) -> list[Step]:
        """Every applicable item, given the answers so far, in walking order: a walk of
        today's steps asks what comes first first; a whole walk (named lists, ``--all``,
        or no surgery date, when everything is to do) goes list by list."""
        steps = []
        for checklist in self.checklists:
            items = applicable_items(checklist, self.progress.answers_to(checklist))
            steps += [Step(checklist, item, n, len(items)) for n, item in enumerate(items, 1)]
        if self.whole or self.progress.surgery_date is None:
            return steps
        return sorted(steps, key=self.rank)

    def timing(self, step: Step) -> StepState:
        """The step's state as if it were open: where it stands today whatever its answer,
        so the walk's order does not change under the patient as they answer."""
        window = window_of(step.checklist, step.item)
        return step_state(step.item, None, window, self.progress.surgery_date, self.today)

    def rank(self, step: Step) -> tuple[int, int, int, int, int]:
        """Where the step comes in "what comes first" (``priority.rank``)."""
        window = window_of(step.checklist, step.item)
        surgery = self.progress.surgery_date
        starts, ends = window_dates(window, surgery) if window and surgery else (None, None)
        state = self.timing(step)
        return rank(state, step.item.critical, starts, ends, self.today, surgery)

    def missed(self, step: Step) -> bool:
        """A step whose moment passed with the surgery: never asked again."""
        return self.timing(step) == "missed"

    def needs_asking(self, step: Step) -> bool:
        """Open items always; answered ones too when reviewing; none not yet begun,
        unless the walk is whole."""
        if not self.in_scope(step):
            return False
        return self.review or not is_resolved(step.item, self.saved(step))

    def in_scope(self, step: Step) -> bool:
        """Whether this walk asks the step at all: never a missed one (unless reviewing
        answers); a timeline walk also leaves out what has not begun yet (the timeline's
        "upcoming"; without a surgery date, nothing is)."""
        if not self.review and self.missed(step):
            return False
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
            if self.in_scope(step) or window is None or surgery is None or self.missed(step):
                continue
            if is_resolved(step.item, self.saved(step)):
                continue
            later.append((step, window_dates(window, surgery)[0]))
        return sorted(later, key=lambda pair: pair[1])

    def saved(self, step: Step) -> Answer | None:
        return self.progress.answers_to(step.checklist).get(step.item.id)

    def open_steps(self) -> list[Step]:
        """What this walk left open, for the summary at the end: what comes first first."""
        left = [
            step
            for step in self.steps()
            if self.in_scope(step) and not is_resolved(step.item, self.saved(step))
        ]
        return sorted(left, key=self.rank)

    def _next(self, after: tuple[str, str] | None) -> Step | None:
        """The first step after ``after`` (or from the start) that needs asking."""
        steps = self.steps()
        start = 0
        if after is not None:
            keys = [step.key for step in steps]
            start = keys.index(after) + 1 if after in keys else 0
        found = next((step for step in steps[start:] if self._wanted(step)), None)
        if found is None and self.date_changed and not self.catching_up:
            self.catching_up = True
            found = next((step for step in steps if self._wanted(step)), None)
        return found

    def _wanted(self, step: Step) -> bool:
        """Whether ``_next`` stops at a step: it needs asking (and, catching up after a
        date change, was not already answered in this walk)."""
        if self.catching_up and step.key in self.answered_keys:
            return False
        return self.needs_asking(step)

    def walked_lists(self) -> list[Checklist]:
        """The lists this walk goes through: those with a step in scope today."""
        lists = {step.checklist.id for step in self.steps() if self.in_scope(step)}
        return [checklist for checklist in self.checklists if checklist.id in lists]

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
        lists = [checklist.id for checklist in self.walked_lists()]
        return Question(
            checklist=step.checklist,
            item=step.item,
            number=step.number,
            total=step.total,
            saved=saved,
            due=has_begun(window, surgery, self.today),
            past_due=step_state(step.item, saved, window, surgery, self.today) == "overdue",
            list_number=lists.index(step.checklist.id) + 1 if step.checklist.id in lists else 1,
            list_total=max(1, len(lists)),
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
                    prompter.notice(_("This is the first question."))
                    continue
                step = previous
                continue
            if action == DATE:
                step = self._change_date(prompter, step)
                continue
            self.answered_keys.add(step.key)
            step = self._next(step.key)
        return True

    def _change_date(self, prompter: Prompter, step: Step) -> Step | None:
        """The patient asked to see or change the surgery date; where the walk goes on.

        A new date is saved at once, like an answer. When it changes what is due
        today (a timeline walk), the walk says how much is to do now and goes on
        from here: this step if it is still asked, else the next one; steps the
        new date brings in behind this one are asked after the last.
        """
        saved = self.progress.surgery_date
        new = self.ask_date(saved) if self.ask_date is not None else None
        if new is None or new == saved:
            prompter.notice(_("The surgery date was not changed."))
            return step
        scope = [each.key for each in self.steps() if self.in_scope(each)]
        updated = dataclasses.replace(self.progress, surgery_date=new)
        self.save(updated)
        self.progress = updated
        prompter.notice(_("Surgery date saved: {date}.").format(date=new.isoformat()))
        prompter.notice(countdown(new, self.today))
        if scope == [each.key for each in self.steps() if self.in_scope(each)]:
            return step
        self.date_changed, self.catching_up = True, False
        left = len(self.open_steps())
        if left == 0:
            prompter.notice(_("With this date, nothing is left to do today."))
        else:
            prompter.notice(
                ngettext(
                    "With this date, {count} step is to do now.",
                    "With this date, {count} steps are to do now.",
                    left,
                ).format(count=left)
            )
        if self.needs_asking(step):
            return step
        return self._next(step.key)

    def _ask(self, prompter: Prompter, step: Step) -> str:
        """Ask one item until it gets an answer or a command; returns the command or ''."""
        while True:
            question = self.question(step)
            typed = prompter.ask(question)
            command = normalize_typed(typed)
            if command in (QUIT, BACK):
                return command
            if command in DATE_WORDS:
                return DATE
            if command == HELP:
                prompter.details(question)
                continue
            if not typed.strip() and question.saved is not None:
                prompter.answered(question, question.saved, kept=True)
                return ""  # Enter keeps the saved answer
            try:
                value = parse_answer(step.item, typed)
            except InvalidAnswerError as error:
                prompter.invalid(question, str(error))
                continue
            reason = self._reason(prompter, question) if _needs_reason(step.item, value) else None
            prompter.answered(question, self.record(step, value, reason), kept=False)
            return ""

    def _reason(self, prompter: Prompter, question: Question) -> str | None:
        """Asked once: why a critical step does not apply (None: no reason given).

        Asked before anything is saved, so that an interruption here records
        neither the answer nor a half of it; only a reason that cannot be kept
        (too long, an unsafe character) is asked for again.
        """
        while True:
            try:
                return parse_reason(prompter.reason(question))
            except InvalidAnswerError as error:
                prompter.invalid(question, str(error))

    def record(self, step: Step, value: str, note: str | None = None) -> Answer:
        """Save one answer with ``note``, or else the earlier note; it exists only once saved."""
        earlier = self.saved(step)
        if note is None and earlier is not None:
            note = earlier.note
        answer = Answer(value, self.now(), note, self.by)
        updated = self.progress.with_answer(step.checklist, step.item.id, answer)
        self.save(updated)
        self.progress = updated
        return answer


def _needs_reason(item: Item, value: str) -> bool:
    """A critical step said not to apply: the care team will want to know why."""
    return item.critical and value == "skip"


def parse_reason(typed: str) -> str | None:
    """A reason kept as the note: one line, short, safe to show; None when empty."""
    reason = typed.strip()
    if not reason:
        return None
    unsafe = unsafe_character(reason, multiline=False)
    if unsafe is not None:  # never repeated back: it may be health information
        raise InvalidAnswerError(
            _(
                "The reason holds a character that cannot be shown safely ({character}). "
                "Please type it again without it."
            ).format(character=unsafe)
        )
    if len(reason) > MAX_TEXT_ANSWER:
        raise InvalidAnswerError(
            _("Please keep the reason to {count} characters.").format(count=MAX_TEXT_ANSWER)
        )
    return reason
