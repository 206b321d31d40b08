"""What comes first: the one order of open steps, for the walk, ``status`` and exports.

The contract's rule, in one place: an answer with an open alert; then open
critical steps (their window ending today, then overdue, then by the day their
window ends); then the other open steps the same way; ties in the lists' own
order (callers sort stably, so list order is kept). From the day after surgery,
the after-surgery steps come first. Pure: ``today`` is always given.
"""

from __future__ import annotations

from datetime import date

from foracheck.timeline import StepState

_NO_END = date.max.toordinal()


def rank(
    state: StepState,
    critical: bool,
    starts: date | None,
    ends: date | None,
    today: date,
    surgery_date: date | None,
    alerting: bool = False,
) -> tuple[int, int, int, int, int]:
    """The sort key of one step; smaller comes first."""
    recovery = (
        surgery_date is not None
        and today > surgery_date
        and starts is not None
        and starts >= surgery_date
    )
    if state == "upcoming":
        when = 3
    elif ends == today:
        when = 0
    elif state == "overdue":
        when = 1
    else:
        when = 2
    end = ends.toordinal() if ends is not None else _NO_END
    return (not alerting, not recovery, not critical, when, end)
