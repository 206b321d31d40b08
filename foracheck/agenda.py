"""Today on the timeline: what to do now, what is overdue, what comes next.

``status`` (its screen and ``--json``) and the end of ``start`` read the same
agenda, so they never disagree about a step. Each step's state is
``timeline.step_state``; this module only sorts the open steps into the three
piles and counts done/total per list. Pure: ``today`` is always given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from foracheck.i18n import ngettext
from foracheck.model import Checklist, Item, Progress, Window, applicable_items
from foracheck.schedule import countdown, days_until
from foracheck.timeline import StepState, day_text, step_state, window_dates, window_of


# The same step is the same object; lists are never compared. Not frozen, though
# nothing changes one: a frozen __init__ costs four times as much, and a long list
# builds one per open step on every ``status``.
@dataclass(eq=False, slots=True)
class TimedStep:
    """An open step that applies, with its window and where it stands today."""

    checklist: Checklist
    item: Item
    window: Window | None
    state: StepState
    starts: date | None  # its first day, when a surgery date and a window give one

    @property
    def ends(self) -> date | None:
        """Its last day before it is overdue (None: no date, or ongoing)."""
        if self.window is None or self.window.end is None or self.starts is None:
            return None
        return self.starts + timedelta(days=self.window.end - self.window.start)


@dataclass(frozen=True)
class ListCount:
    """Done/total of one list's steps that apply."""

    checklist: Checklist
    done: int
    total: int


@dataclass(frozen=True)
class Agenda:
    """Every open step sorted into now, overdue and upcoming, and the per-list counts."""

    surgery_date: date | None
    today: date
    counts: list[ListCount]
    open_steps: list[TimedStep]

    # Each pile is sorted out once (a screen asks for it more than once).
    @cached_property
    def _piles(self) -> dict[StepState, list[TimedStep]]:
        piles: dict[StepState, list[TimedStep]] = {"due": [], "overdue": [], "upcoming": []}
        for step in self.open_steps:
            piles[step.state].append(step)
        return piles

    @cached_property
    def due(self) -> list[TimedStep]:
        """Steps to do now, the nearest last day first (steps without one after them)."""
        return sorted(self._piles["due"], key=lambda step: step.ends or date.max)

    @cached_property
    def overdue(self) -> list[TimedStep]:
        return self._piles["overdue"]

    @cached_property
    def upcoming(self) -> list[TimedStep]:
        """Steps not begun yet, soonest first (the walk's order among equals)."""
        return sorted(self._piles["upcoming"], key=lambda step: step.starts or self.today)

    @cached_property
    def critical(self) -> list[TimedStep]:
        """Open critical steps that are due or overdue: listed first, under their own heading."""
        return [s for s in self.open_steps if s.item.critical and s.state != "upcoming"]

    def next_start(self) -> tuple[date, int] | None:
        """The first day on which upcoming steps begin, and how many begin then."""
        starts = [step.starts for step in self.upcoming if step.starts is not None]
        if not starts:
            return None
        first = min(starts)
        return first, starts.count(first)


def _open_steps(
    checklist: Checklist, progress: Progress, today: date, steps: list[TimedStep]
) -> ListCount:
    """Add the list's open steps to ``steps``; its done/total, from the same one pass."""
    answers = progress.answers_to(checklist)
    surgery = progress.surgery_date
    items = applicable_items(checklist, answers)
    before = len(steps)
    for item in items:
        window = window_of(checklist, item)
        state = step_state(item, answers.get(item.id), window, surgery, today)
        if state != "resolved":
            starts = window_dates(window, surgery)[0] if window and surgery else None
            steps.append(TimedStep(checklist, item, window, state, starts))
    done = len(items) - (len(steps) - before)
    return ListCount(checklist, done, len(items))


def agenda(checklists: Sequence[Checklist], progress: Progress, today: date) -> Agenda:
    """Where every list stands on ``today`` (the patient's local calendar day)."""
    steps: list[TimedStep] = []
    counts = [_open_steps(checklist, progress, today, steps) for checklist in checklists]
    return Agenda(progress.surgery_date, today, counts, steps)


def _step_json(step: TimedStep) -> dict[str, Any]:
    return {
        "checklist": step.checklist.id,
        "item": step.item.id,
        "critical": step.item.critical,
        "from": step.starts.isoformat() if step.starts else None,
        "until": step.ends.isoformat() if step.ends else None,
    }


def status_json(plan: Agenda) -> dict[str, Any]:
    """The ``status`` object that ``status --json`` adds to the export (see status.schema.json)."""
    upcoming = plan.next_start()
    surgery = plan.surgery_date
    return {
        "today": plan.today.isoformat(),
        "days_to_surgery": days_until(surgery, plan.today) if surgery else None,
        "countdown": countdown(surgery, plan.today),
        "lists": [{"id": c.checklist.id, "done": c.done, "total": c.total} for c in plan.counts],
        "due": [_step_json(step) for step in plan.due],
        "overdue": [_step_json(step) for step in plan.overdue],
        "upcoming": [_step_json(step) for step in plan.upcoming],
        "next": {"from": upcoming[0].isoformat(), "steps": upcoming[1]} if upcoming else None,
        "open_critical": [_step_json(step) for step in plan.critical],
    }


def next_line(starts: Sequence[date], surgery: date | None) -> str | None:
    """ "Next: 3 steps from Tuesday 1 December.": the first day that steps left for later
    begin, and how many begin then (None when nothing is left for later)."""
    if not starts or surgery is None:
        return None
    first = min(starts)
    count = list(starts).count(first)
    message = ngettext("Next: {count} step from {day}.", "Next: {count} steps from {day}.", count)
    return message.format(count=count, day=day_text(first, surgery))
