"""Today on the timeline: what to do now, what is overdue, what comes next.

``status`` (its screen and ``--json``) and the end of ``start`` read the same
agenda, so they never disagree about a step. Each step's state is
``timeline.step_state`` and the order in a pile is ``priority.rank``; this module
only sorts the open steps into their piles (missed steps apart, answers with an
open alert beside them) and counts done/total per list. Pure: ``today`` is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from foracheck.i18n import ngettext
from foracheck.model import Checklist, Item, Progress, Window, applicable_items, open_alert
from foracheck.priority import rank
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
    alerting: bool = False  # answered with its alert's answer, and its window not over

    @property
    def ends(self) -> date | None:
        """Its last day before it is overdue (None: no date, or ongoing)."""
        if self.window is None or self.window.end is None or self.starts is None:
            return None
        return self.starts + timedelta(days=self.window.end - self.window.start)

    def rank(self, today: date, surgery_date: date | None) -> tuple[int, int, int, int, int]:
        """Where it comes in "what comes first" (``priority.rank``)."""
        return rank(
            self.state,
            self.item.critical,
            self.starts,
            self.ends,
            today,
            surgery_date,
            self.alerting,
        )


@dataclass(frozen=True)
class ListCount:
    """Done/total of one list's steps that apply."""

    checklist: Checklist
    done: int
    total: int


@dataclass(frozen=True)
class Agenda:
    """Every open step sorted into now, overdue and upcoming, and the per-list counts.

    ``open_steps`` leaves out the missed ones (``missed``): they are never to do
    again. ``alerts`` are answers whose alert is open (their window not over).
    """

    surgery_date: date | None
    today: date
    counts: list[ListCount]
    open_steps: list[TimedStep]
    missed: list[TimedStep]
    alerts: list[TimedStep]

    def first_things_first(self, steps: Sequence[TimedStep]) -> list[TimedStep]:
        """``steps`` in the order of "what comes first" (stable: list order for ties)."""
        return sorted(steps, key=lambda step: step.rank(self.today, self.surgery_date))

    # Each pile is sorted out once (a screen asks for it more than once).
    @cached_property
    def _piles(self) -> dict[StepState, list[TimedStep]]:
        piles: dict[StepState, list[TimedStep]] = {"due": [], "overdue": [], "upcoming": []}
        for step in self.open_steps:
            piles[step.state].append(step)
        return piles

    @cached_property
    def due(self) -> list[TimedStep]:
        """Steps to do now, in the order of what comes first."""
        return self.first_things_first(self._piles["due"])

    @cached_property
    def overdue(self) -> list[TimedStep]:
        return self.first_things_first(self._piles["overdue"])

    @cached_property
    def now(self) -> list[TimedStep]:
        """Everything due or overdue today, in the order of what comes first."""
        return self.first_things_first(self._piles["due"] + self._piles["overdue"])

    @cached_property
    def upcoming(self) -> list[TimedStep]:
        """Steps not begun yet, soonest first (the walk's order among equals)."""
        return sorted(self._piles["upcoming"], key=lambda step: step.starts or self.today)

    @cached_property
    def critical(self) -> list[TimedStep]:
        """Open critical steps that are due or overdue: listed first, under their own heading."""
        return [step for step in self.now if step.item.critical]

    @property
    def all_clear(self) -> bool:
        """Nothing due, overdue, critical or alerting is open: "All done for now" holds."""
        return not self.now and not self.alerts

    def next_start(self) -> tuple[date, int] | None:
        """The first day on which upcoming steps begin, and how many begin then."""
        starts = [step.starts for step in self.upcoming if step.starts is not None]
        if not starts:
            return None
        first = min(starts)
        return first, starts.count(first)


@dataclass
class _Piles:
    """What one pass over the lists collects."""

    open: list[TimedStep]
    missed: list[TimedStep]
    alerts: list[TimedStep]


def _open_steps(checklist: Checklist, progress: Progress, today: date, piles: _Piles) -> ListCount:
    """Add the list's open, missed and alerting steps to ``piles``; its done/total
    (resolved steps that apply), from the same one pass."""
    answers = progress.answers_to(checklist)
    surgery = progress.surgery_date
    items = applicable_items(checklist, answers)
    done = 0
    for item in items:
        window = window_of(checklist, item)
        answer = answers.get(item.id)
        state = step_state(item, answer, window, surgery, today)
        starts = window_dates(window, surgery)[0] if window and surgery else None
        if state == "resolved":
            done += 1
            if open_alert(item, answer) is not None:
                step = TimedStep(checklist, item, window, state, starts, alerting=True)
                if step.ends is None or today <= step.ends:
                    piles.alerts.append(step)
            continue
        pile = piles.missed if state == "missed" else piles.open
        pile.append(TimedStep(checklist, item, window, state, starts))
    return ListCount(checklist, done, len(items))


def agenda(checklists: Sequence[Checklist], progress: Progress, today: date) -> Agenda:
    """Where every list stands on ``today`` (the patient's local calendar day)."""
    piles = _Piles([], [], [])
    counts = [_open_steps(checklist, progress, today, piles) for checklist in checklists]
    return Agenda(progress.surgery_date, today, counts, piles.open, piles.missed, piles.alerts)


def _step_json(step: TimedStep) -> dict[str, Any]:
    return {
        "checklist": step.checklist.id,
        "item": step.item.id,
        "critical": step.item.critical,
        "state": step.state,
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
        "alerts": [
            {**_step_json(step), "alert": step.item.alert.text if step.item.alert else None}
            for step in plan.alerts
        ],
        "due": [_step_json(step) for step in plan.now],
        "overdue": [_step_json(step) for step in plan.overdue],
        "missed": [_step_json(step) for step in plan.missed],
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
