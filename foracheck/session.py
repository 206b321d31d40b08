"""One ``foracheck start`` session: welcome, surgery date, the walk, the summary.

This wires the store (under its lock), the walk engine and a prompter (the
terminal, unless a test passes a scripted one) together, and makes sure every
way of ending says how many answers are saved. What to offer when progress was
lost is the store's decision; the session only asks the question.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

from foracheck.errors import EXIT_INCOMPLETE, EXIT_INTERRUPTED, UsageError
from foracheck.lock import START
from foracheck.model import Checklist, Progress
from foracheck.paths import Locations
from foracheck.schedule import parse_surgery_date
from foracheck.signals import Terminated
from foracheck.store import LostState, ProgressWriter, now_iso, open_for_writing
from foracheck.walk import Prompter, Step, Walk


class SessionPrompter(Prompter, Protocol):
    """Everything a ``start`` session asks or tells, beyond the walk's own questions.

    ``ui.TerminalPrompter`` is the real one; tests pass a scripted one, so the
    whole session runs without a terminal too.
    """

    def welcome(self) -> None:
        """The first-run welcome and disclaimer."""

    def ask_surgery_date(self) -> str:
        """The typed surgery date, or an empty line to skip."""

    def confirm(self, question: str) -> bool:
        """A yes/no question."""

    def warning(self, message: str) -> None:
        """Something went wrong, but the session goes on."""

    def how_to(self) -> None:
        """The keys that work at every question."""

    def summary(
        self, checklists: list[Checklist], progress: Progress, open_steps: list[Step], today: date
    ) -> None:
        """What is still open, and what to tell the surgeon."""

    def closing(self, ending: str, saved: int, where: Path) -> None:
        """The last lines, however the session ends."""


NOT_A_TERMINAL = (
    "'foracheck start' asks questions one at a time, so it needs a terminal. "
    "To record answers from a script, use: foracheck mark LIST_ID ITEM_ID ANSWER"
)


def require_terminal() -> None:
    """``start`` prompts for nothing without a terminal (exit 2)."""
    if not sys.stdin.isatty():
        raise UsageError(NOT_A_TERMINAL)


def _open_writer(
    stack: contextlib.ExitStack, locations: Locations, ui: SessionPrompter
) -> ProgressWriter:
    """Take the lock and load; on a lost state the store decides what to offer."""

    def ask(lost: LostState) -> bool:
        ui.warning(f"{lost.situation()} {lost.offer()}")
        question = lost.question()
        return question is not None and ui.confirm(question)

    writer = stack.enter_context(open_for_writing(locations, START, on_lost=ask))
    if writer.recovered:
        ui.notice(writer.recovered)
    return writer


def _first_run(writer: ProgressWriter, ui: SessionPrompter, surgery_date: date | None) -> None:
    progress = writer.progress
    if not progress.welcomed:
        ui.welcome()
        if surgery_date is None:
            surgery_date = _ask_surgery_date(ui)
        writer.save(dataclasses.replace(progress, welcomed=True, surgery_date=surgery_date))
    elif surgery_date is not None and surgery_date != progress.surgery_date:
        writer.save(dataclasses.replace(progress, surgery_date=surgery_date))
        ui.notice(f"Surgery date saved: {surgery_date.isoformat()}.")


def _ask_surgery_date(ui: SessionPrompter) -> date | None:
    while True:
        typed = ui.ask_surgery_date().strip()
        if not typed:
            return None
        try:
            return parse_surgery_date(typed)
        except UsageError as error:
            ui.warning(error.message)


def _changed_lists(
    checklists: Sequence[Checklist], writer: ProgressWriter, ui: SessionPrompter
) -> None:
    """Tell the patient once when a list changed since they answered it."""
    progress = writer.progress
    seen = dict(progress.list_versions)
    for checklist in checklists:
        answered = progress.list_versions.get(checklist.id)
        current_hash = checklist.content_hash()
        if answered is None or answered == current_hash:
            continue
        current = {item.id for item in checklist.items}
        gone = [item_id for item_id in progress.answers_for(checklist.id) if item_id not in current]
        message = f"The list '{checklist.title}' has changed since you last answered it."
        if gone:
            message += (
                f" {len(gone)} of your answers are for items it no longer has;"
                " they are kept but not shown."
            )
        ui.notice(message + " Your other answers are kept.")
        seen[checklist.id] = current_hash
    if seen != progress.list_versions:
        writer.save(dataclasses.replace(progress, list_versions=seen))


def run_start(
    locations: Locations,
    checklists: Sequence[Checklist],
    surgery_date: date | None,
    review: bool,
    today: date,
    prompter: SessionPrompter | None = None,
) -> int:
    """Walk the patient through ``checklists``; returns the exit code.

    ``prompter`` talks to the patient; by default, the terminal.
    """
    if prompter is None:
        from foracheck.ui import TerminalPrompter

        prompter = TerminalPrompter()
    ui = prompter
    writer: ProgressWriter | None = None
    ending = ""
    code = 0
    try:
        with contextlib.ExitStack() as stack:
            writer = _open_writer(stack, locations, ui)
            _first_run(writer, ui, surgery_date)
            _changed_lists(checklists, writer, ui)
            walk = Walk(checklists, writer.progress, writer.save, now_iso, today, review)
            ui.how_to()
            if walk.run(ui):
                ui.summary(list(checklists), writer.progress, walk.open_steps(), today)
                ending = "All done for now."
    except KeyboardInterrupt:
        ending, code = "Stopped.", EXIT_INTERRUPTED
    except EOFError:
        ending, code = "Input ended.", EXIT_INCOMPLETE
    except Terminated as stop:
        ending, code = "Stopped.", stop.exit_code
    finally:
        if writer is not None:
            ui.closing(ending, writer.progress.count(), locations.progress_file)
    return code
