"""``export``: the lists and answers written for scripts and records, then the gates.

A gate (``--require-complete``, ``--require-due``, ``--require-critical``) is
checked only after the export is written, so a script gets both the file and
the verdict (exit 1 with the sentence naming what is open).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from foracheck import render, stdio
from foracheck.errors import IncompleteError, UsageError
from foracheck.i18n import _
from foracheck.output import write

if TYPE_CHECKING:
    from foracheck.context import AppContext


def export(
    context: AppContext,
    list_ids: Sequence[str],
    fmt: str,
    output: Path | None,
    blank: bool,
    gates: dict[str, bool],
    today: date,
) -> None:
    """Write the export, then raise IncompleteError (1) when a gate asked for finds open
    steps. ``gates`` maps each gate's option name to whether it was given."""
    if blank and any(gates.values()):
        flag = next(name for name, wanted in gates.items() if wanted)
        raise UsageError(
            _("--blank exports no answers, so {flag} has nothing to check.").format(flag=flag)
        )
    checklists = context.catalog.select(list_ids)
    from foracheck.lost import read_sent

    saved = None if blank else read_sent(context.locations)
    from foracheck.model import Progress

    progress = saved or Progress()
    text = render.render("export", fmt, checklists, progress, render.Options(blank=blank))
    if saved is None and not blank:  # said only once the export is sure to be written
        stdio.say(_("No answers are saved yet; exporting the lists with every item open."))
    write(text, output, context.locations)
    if any(gates.values()):
        from foracheck.presentation import incomplete_message

        require_complete, require_due = gates["--require-complete"], gates["--require-due"]
        due_on = today if require_due and not require_complete else None
        message = incomplete_message(checklists, progress, not require_complete, due_on)
        if message is None and require_due and gates["--require-critical"]:
            message = incomplete_message(checklists, progress, critical_only=True)
        if message:
            raise IncompleteError(message)
