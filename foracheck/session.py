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
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from foracheck import kept_text
from foracheck.agenda import Agenda, agenda, next_line
from foracheck.answers import BACK, DATE, HELP, QUIT, command_of, date_format
from foracheck.dates import example_date
from foracheck.errors import EXIT_INCOMPLETE, EXIT_INTERRUPTED, UsageError
from foracheck.i18n import _, ngettext
from foracheck.invocation import command
from foracheck.lock import START
from foracheck.model import DEFAULT_ANSWERER, Checklist, Progress, shown_answer_count
from foracheck.paths import Locations
from foracheck.remembered import Settings
from foracheck.schedule import countdown, date_warning, parse_surgery_date
from foracheck.signals import Terminated
from foracheck.store import LostState, ProgressWriter, now_iso, open_for_writing
from foracheck.walk import Prompter, Step, Walk, act_now, date_word

if TYPE_CHECKING:
    from foracheck.context import AppContext


class SessionPrompter(Prompter, Protocol):
    """Everything a ``start`` session asks or tells, beyond the walk's own questions.

    ``ui.TerminalPrompter`` is the real one; tests pass a scripted one, so the
    whole session runs without a terminal too.
    """

    def welcome(self) -> None:
        """The first-run welcome and disclaimer."""

    def ask_surgery_date(self, keep: bool = False) -> str:
        """The typed surgery date, or an empty line to skip (``keep``: to keep the saved one)."""

    def confirm(self, question: str) -> bool:
        """A yes/no question."""

    def warning(self, message: str) -> None:
        """Something went wrong, but the session goes on."""

    def how_to(self) -> None:
        """The keys that work at every question."""

    def summary(
        self,
        checklists: list[Checklist],
        progress: Progress,
        open_steps: list[Step],
        all_clear: bool,
    ) -> None:
        """What is still open, and what to tell the surgeon; ``all_clear`` when nothing
        due, overdue, critical or alerting is open (the walk's ending says "All done")."""

    def closing(self, ending: str, saved: int, where: Path) -> None:
        """The last lines, however the session ends."""


def not_a_terminal() -> str:
    """Why ``start`` needs a terminal, and the command a script uses instead."""
    return _(
        "'{start}' asks questions one at a time, so it needs a terminal. "
        "To record answers from a script, use: {mark} (or {batch}). "
        "To set the surgery date: {date}"
    ).format(
        start=command("start"),
        mark=command("mark", "LIST_ID", "ITEM_ID", "ANSWER"),
        batch=command("mark", "--batch", "FILE"),
        date=command("date", date_format()),
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
        ui.warning(f"{kept_text.situation(lost)} {kept_text.offer(lost.best)}")
        question = kept_text.question(lost)
        return question is not None and ui.confirm(question)

    writer = stack.enter_context(open_for_writing(locations, START, on_lost=ask))
    if writer.recovered is not None:
        ui.notice(kept_text.recovered(writer.recovered))
    return writer


def _first_run(
    writer: ProgressWriter, ui: SessionPrompter, surgery_date: date | None, today: date
) -> bool:
    """The welcome and the date on a first run; True when the patient was here before."""
    progress = writer.progress
    if surgery_date is not None and not _date_confirmed(ui, surgery_date, today):
        ui.notice(_("The surgery date was not changed."))
        surgery_date = None
    if not progress.welcomed:
        ui.welcome()
        if surgery_date is None:
            surgery_date = progress.surgery_date  # set already ('foracheck date')
        if surgery_date is None:
            try:
                surgery_date = _ask_surgery_date(ui, today)
            except QuitWalk:
                writer.save(dataclasses.replace(progress, welcomed=True, settings=_in_effect()))
                raise
        settings = _in_effect()
        writer.save(
            dataclasses.replace(
                progress, welcomed=True, surgery_date=surgery_date, settings=settings
            )
        )
        return False
    if surgery_date is not None and surgery_date != progress.surgery_date:
        writer.save(dataclasses.replace(progress, surgery_date=surgery_date))
        ui.notice(_("Surgery date saved: {date}.").format(date=surgery_date.isoformat()))
    return True


def _where_things_stand(
    checklists: Sequence[Checklist], progress: Progress, today: date, back: bool
) -> list[str]:
    """What the walk says as it opens: "Welcome back: 18 of 38 answered." to a patient
    who has answers saved, then the countdown (the words ``status`` uses)."""
    lines = []
    plan = agenda(checklists, progress, today)
    if back and shown_answer_count(checklists, progress):
        done, total = resolved_count(plan)
        lines.append(_("Welcome back: {done} of {total} answered.").format(done=done, total=total))
    if progress.surgery_date is None:
        lines.append(
            _("No surgery date is saved yet. To add it, type {word} at any question.").format(
                word=date_word()
            )
        )
    else:
        lines.append(countdown(progress.surgery_date, today))
    if plan.missed:
        count = len(plan.missed)
        lines.append(
            ngettext(
                "{count} step before surgery was not done; it is kept for your care team, "
                "and the walk goes on with what comes after surgery.",
                "{count} steps before surgery were not done; they are kept for your care "
                "team, and the walk goes on with what comes after surgery.",
                count,
            ).format(count=count)
        )
    return lines


def _in_effect() -> Settings:
    """The language and plain mode of this run: what the first walk remembers."""
    from foracheck.accessible import plain_mode
    from foracheck.i18n import language

    return Settings(language=language(), plain=plain_mode())


class QuitWalk(Exception):
    """The patient typed q (or its kin) at a prompt outside the walk's questions."""


def resolved_count(plan: Agenda) -> tuple[int, int]:
    """The one count everywhere: resolved steps that apply, of all that apply."""
    return sum(c.done for c in plan.counts), sum(c.total for c in plan.counts)


def _ending(plan: Agenda) -> str:
    """ "All done for now." only when nothing due, overdue, critical or alerting is open."""
    if plan.all_clear:
        return _("All done for now.")
    # One line per action: three illness checks answered "yes" ask for the same call.
    alerts = (step.item.alert.text for step in plan.alerts if step.item.alert is not None)
    lines = [act_now(text) for text in dict.fromkeys(alerts)]
    if plan.now:
        left = len(plan.now)
        lines.append(
            ngettext(
                "{count} step to do now is still open: '{command}' shows it.",
                "{count} steps to do now are still open: '{command}' shows them.",
                left,
            ).format(count=left, command=command("status"))
        )
    return "\n".join(lines)


def _date_confirmed(ui: SessionPrompter, surgery_date: date, today: date) -> bool:
    """A date in the past or more than a year away is almost surely a typo: the
    patient confirms it."""
    warning = date_warning(surgery_date, today)
    return warning is None or ui.confirm(
        _("{warning} Is {date} right?").format(warning=warning, date=surgery_date.isoformat())
    )


def _ask_surgery_date(ui: SessionPrompter, today: date, keep: bool = False) -> date | None:
    """A date checked as ``start --surgery-date`` checks it, or None (Enter: skip or keep)."""
    while True:
        typed = ui.ask_surgery_date(keep).strip()
        if not typed:
            return None
        word = command_of(typed)
        if word == QUIT:
            raise QuitWalk
        if word == BACK:
            return None  # nothing changes: back to where the patient was
        if word in (HELP, DATE):
            ui.notice(date_help(today))
            continue
        try:
            surgery_date = parse_surgery_date(typed)
        except UsageError as error:
            ui.warning(error.message)
            continue
        if _date_confirmed(ui, surgery_date, today):
            return surgery_date


def date_help(today: date) -> str:
    """What the date prompt says on "?": how to write a date, with one built from today."""
    example = example_date(today).isoformat()
    return _(
        "Type the day of your surgery as {format}: the year, the month and the day, "
        "with dashes, for example {example}. Press Enter to leave it as it is, or type q "
        "to save and quit."
    ).format(format=date_format(), example=example)


def _date_asker(ui: SessionPrompter, today: date) -> Callable[[date | None], date | None]:
    """What the walk calls when the patient types ``date``: the saved date and its
    countdown, then a new date, checked as the first run checks it."""

    def ask(saved: date | None) -> date | None:
        if saved is None:
            ui.notice(_("No surgery date is saved yet."))
        else:
            ui.notice(_("Your surgery date: {date}.").format(date=saved.isoformat()))
            ui.notice(countdown(saved, today))
        return _ask_surgery_date(ui, today, keep=saved is not None)

    return ask


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
            _("The list '{title}' has changed since you last answered it.")
            if changed
            else _("Some saved answers for '{title}' do not fit its questions.")
        ).format(title=checklist.title)
        if left_out:
            count = len(left_out)
            message += " " + ngettext(
                "{count} of your answers is for an item it no longer has, or no longer "
                "fits its item; it is kept but not shown.",
                "{count} of your answers are for items it no longer has, or no longer "
                "fit their item; they are kept but not shown.",
                count,
            ).format(count=count)
        ui.notice(message + " " + _("Your other answers are kept."))
        seen[checklist.id] = current_hash
    if seen != progress.list_versions:
        writer.save(dataclasses.replace(progress, list_versions=seen))


def _tell_next(walk: Walk, ui: SessionPrompter) -> None:
    line = next_line([starts for _, starts in walk.upcoming()], walk.progress.surgery_date)
    if line is not None:
        ui.notice("")
        ui.notice(line)


def start(
    context: AppContext,
    list_ids: Sequence[str],
    when: date | None,
    review: bool,
    by: str | None,
    walk_all: bool,
) -> int:
    """``start``: the walk at this terminal, on what is due today or (``walk_all``, or
    lists named) on whole lists; returns the exit code."""
    from foracheck import dates, marking, ui

    who = marking.answerer(by) or "patient"
    require_terminal()
    checklists = context.catalog.select(list_ids)
    everything = context.catalog.checklists
    prompter = ui.PlainPrompter() if context.plain else ui.TerminalPrompter()
    whole = walk_all or bool(list_ids)  # named lists are walked whole
    return run_start(
        context.locations,
        checklists,
        when,
        review,
        dates.today(),
        everything,
        prompter,
        by=who,
        whole=whole,
    )


def run_start(
    locations: Locations,
    checklists: Sequence[Checklist],
    surgery_date: date | None,
    review: bool,
    today: date,
    every_checklist: Sequence[Checklist] = (),
    prompter: SessionPrompter | None = None,
    by: str = DEFAULT_ANSWERER,
    whole: bool = False,
) -> int:
    """Walk the patient through ``checklists``; returns the exit code.

    ``every_checklist`` (all lists in use, default ``checklists``) is what the
    closing count of saved answers covers, so it matches what the patient can see.
    ``prompter`` talks to the patient; by default, the terminal. ``by`` is who
    gives the answers (``start --by``), said once when it is not the patient. Unless
    ``whole`` (``--all``, or lists named), a walk with a surgery date asks only what
    is due or overdue today, and ends by saying what comes next and when.
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
            back = _first_run(writer, ui, surgery_date, today)
            _changed_lists(checklists, writer, ui)
            everything = every_checklist or checklists
            for line in _where_things_stand(everything, writer.progress, today, back):
                ui.notice(line)
            walk = Walk(
                checklists,
                writer.progress,
                writer.save,
                now_iso,
                today,
                review,
                by,
                whole,
                ask_date=_date_asker(ui, today),
            )
            ui.how_to()
            if by != DEFAULT_ANSWERER:
                ui.notice(_answerer_line(by))
            if walk.run(ui):
                plan = agenda(checklists, writer.progress, today)  # one, for both
                ui.summary(list(checklists), writer.progress, walk.open_steps(), plan.all_clear)
                _tell_next(walk, ui)
                ending = _ending(plan)
    except QuitWalk:
        ending = ""
    except KeyboardInterrupt:
        ending, code = _("Stopped."), EXIT_INTERRUPTED
    except EOFError:
        ending, code = _("Input ended."), EXIT_INCOMPLETE
    except Terminated as stop:
        ending, code = _("Stopped."), stop.exit_code
    finally:
        if writer is not None:
            plan = agenda(every_checklist or checklists, writer.progress, today)
            ui.closing(ending, resolved_count(plan)[0], locations.progress_file)
    return code


def _answerer_line(by: str) -> str:
    """Said once when someone other than the patient answers (``start --by``)."""
    said = {
        "caregiver": _("The answers you give now are recorded as given by the caregiver."),
        "clinician": _("The answers you give now are recorded as given by the clinician."),
    }
    return said.get(by, _("The answers you give now are recorded as given by: {who}.")).format(
        who=by
    )
