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
from foracheck.invocation import command
from foracheck.lock import START
from foracheck.model import Checklist, Progress, shown_answer_count
from foracheck.paths import Locations
from foracheck.schedule import far_away_warning, parse_surgery_date
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


def not_a_terminal() -> str:
    """Why ``start`` needs a terminal, and the command a script uses instead."""
    return (
        f"'{command('start')}' asks questions one at a time, so it needs a terminal. "
        f"To record answers from a script, use: {command('mark', 'LIST_ID', 'ITEM_ID', 'ANSWER')}"
    )


def require_terminal() -> None:
    """``start`` prompts for nothing without a terminal (exit 2)."""
    if not sys.stdin.isatty():
        raise UsageError(not_a_terminal())


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


def _first_run(
    writer: ProgressWriter, ui: SessionPrompter, surgery_date: date | None, today: date
) -> None:
    progress = writer.progress
    if surgery_date is not None and not _date_confirmed(ui, surgery_date, today):
        ui.notice("The surgery date was not changed.")
        surgery_date = None
    if not progress.welcomed:
        ui.welcome()
        if surgery_date is None:
            surgery_date = _ask_surgery_date(ui, today)
        writer.save(dataclasses.replace(progress, welcomed=True, surgery_date=surgery_date))
    elif surgery_date is not None and surgery_date != progress.surgery_date:
        writer.save(dataclasses.replace(progress, surgery_date=surgery_date))
        ui.notice(f"Surgery date saved: {surgery_date.isoformat()}.")


def _date_confirmed(ui: SessionPrompter, surgery_date: date, today: date) -> bool:
    """A date more than a year away is almost surely a typo: the patient confirms it."""
    warning = far_away_warning(surgery_date, today)
    return warning is None or ui.confirm(f"{warning} Is {surgery_date.isoformat()} right?")


def _ask_surgery_date(ui: SessionPrompter, today: date) -> date | None:
    while True:
        typed = ui.ask_surgery_date().strip()
        if not typed:
            return None
        try:
            surgery_date = parse_surgery_date(typed)
        except UsageError as error:
            ui.warning(error.message)
            continue
        if _date_confirmed(ui, surgery_date, today):
            return surgery_date


def _changed_lists(
    checklists: Sequence[Checklist], writer: ProgressWriter, ui: SessionPrompter
) -> None:
    """Tell the patient when a list changed since they answered it (once), and about
    saved answers that are no longer shown because they do not fit the list as it is."""
    progress = writer.progress
    seen = dict(progress.list_versions)
    for checklist in checklists:
        answered = progress.list_versions.get(checklist.id)
        current_hash = checklist.content_hash()
        changed = answered is not None and answered != current_hash
        left_out = progress.unfitting(checklist)
        if not changed and not left_out:
            continue
        message = (
            f"The list '{checklist.title}' has changed since you last answered it."
            if changed
            else f"Some saved answers for '{checklist.title}' do not fit its questions."
        )
        if left_out:
            count = len(left_out)
            message += (
                f" {count} of your answers {'is' if count == 1 else 'are'} for items it no "
                "longer has, or no longer fit their item; they are kept but not shown."
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
    every_checklist: Sequence[Checklist] = (),
    prompter: SessionPrompter | None = None,
) -> int:
    """Walk the patient through ``checklists``; returns the exit code.

    ``every_checklist`` (all lists in use, default ``checklists``) is what the
    closing count of saved answers covers, so it matches what the patient can see.
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
            _first_run(writer, ui, surgery_date, today)
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
            shown = shown_answer_count(every_checklist or checklists, writer.progress)
            ui.closing(ending, shown, locations.progress_file)
    return code
