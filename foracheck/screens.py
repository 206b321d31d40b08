"""The ``status`` and ``show`` screens: plain text lines, wrapped for this terminal.

No Rich here, on purpose: these screens are read often and must open fast, so
they are built as lines of text (wrapped with a hanging indent at the
terminal's width, words never cut) and written in one write. Words, not
colour, carry every meaning, so they read the same on any terminal, a screen
reader or a pipe. Every checklist or answer text goes through
``safetext.shown``, so nothing shown can steer the terminal.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foracheck.agenda import Agenda, TimedStep, agenda, status_json
from foracheck.i18n import _, ngettext
from foracheck.invocation import command
from foracheck.model import Checklist, Progress, choices_hint
from foracheck.safetext import shown
from foracheck.timeline import day_text, near_day, timing_text, window_dates

if TYPE_CHECKING:
    from foracheck.paths import Locations
    from foracheck.presentation import Row  # the rows of ``show``; ``status`` needs none

SHOWN_PER_HEADING = 10  # a long list would bury today's few steps; start walks them all
# Glues an arrow to the answer that follows it while wrapping, so no arrow ends a line.
_GLUE = "\ue000"


def width() -> int:
    """The terminal's columns (80 when not a terminal), never under 20."""
    return max(20, shutil.get_terminal_size().columns)


def wrap(text: str, columns: int, first: str = "", rest: str | None = None) -> list[str]:
    """``text`` as lines of at most ``columns``, continued under ``rest`` (a hanging indent).

    Words are never cut: a word longer than the line stands on a line of its own.
    """
    hanging = " " * len(first) if rest is None else rest
    lines = textwrap.wrap(
        text.replace(" -> ", f" ->{_GLUE}"),
        columns,
        initial_indent=first,
        subsequent_indent=hanging,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_GLUE, " ") for line in lines] or [first.rstrip()]


def write(lines: list[str]) -> None:
    """The whole screen in one write (a closed or full output becomes OutputError, 74)."""
    from foracheck import stdio

    stdio.print_out("".join(line + "\n" for line in lines))


def _plain() -> bool:
    """The screen-reader mode: words only, no bars, brackets, arrows or bullets."""
    from foracheck.accessible import plain_mode

    return plain_mode()


def bullet() -> str:
    """What starts a listed line: "  - ", or an indent alone in the plain mode."""
    return "  " if _plain() else "  - "


def answer_after(text: str, answer: str) -> str:
    """An item's text and its answer: "text -> answer", or in words in the plain mode."""
    if _plain():
        return _("{text} You answered: {answer}.").format(text=text.rstrip(), answer=answer)
    return f"{text} -> {answer}"


def progress_bar(done: int, total: int, size: int = 10) -> str:
    """An ASCII bar that every terminal and screen reader can show: [####------]."""
    filled = round(size * done / total) if total else size
    return "[" + "#" * filled + "-" * (size - filled) + "]"


# -- status --------------------------------------------------------------------------------


def _near_timing(step: TimedStep, start: date, end: date | None, today: date) -> str | None:
    """The timing in words for a day next to today ("ends today", "was due yesterday")."""
    if step.state == "upcoming":
        near = near_day(start, today)
        if near is None:
            return None
        return near if end == start else _("from {day}").format(day=near)
    if end is None:
        return None
    if end == today:
        return _("today is the last day")
    if end == today + timedelta(days=1):
        return _("by tomorrow")
    if end == today - timedelta(days=1) and step.state == "overdue":
        return _("was due yesterday")
    return None


def _step_timing(step: TimedStep, surgery: date | None, today: date) -> str:
    """When the step is meant to happen, said for its state: " (by Thursday 26 November)",
    and in words next to today: " (today is the last day)", " (from tomorrow)"."""
    if step.window is None or surgery is None:
        return ""
    start, end = window_dates(step.window, surgery)
    near = _near_timing(step, start, end, today)
    if near is not None:
        return f" ({near})"
    if step.state == "upcoming":
        when = _("on {day}") if end == start else _("from {day}")
        return f" ({when.format(day=day_text(start, surgery))})"
    if end is None or step.state == "missed":
        return ""
    due = _("was due by {day}") if step.state == "overdue" else _("by {day}")
    return f" ({due.format(day=day_text(end, surgery))})"


def _never_folded(step: TimedStep, today: date) -> bool:
    """Critical steps and those whose window ends today or tomorrow are always listed."""
    ends = step.ends
    return step.item.critical or (ends is not None and 0 <= (ends - today).days <= 1)


def _step_lines(steps: Sequence[TimedStep], plan: Agenda, columns: int, hint: str) -> list[str]:
    lines = []
    listed = [
        step
        for number, step in enumerate(steps)
        if number < SHOWN_PER_HEADING or _never_folded(step, plan.today)
    ]
    for step in listed:
        text = f"{shown(step.checklist.title, False)}: {shown(step.item.text, False)}"
        timing = _step_timing(step, plan.surgery_date, plan.today)
        if step.alerting and step.item.alert is not None:
            alert = shown(step.item.alert.text, False)
            timing = f" {alert}" if _plain() else f" -> {alert}"
        lines += wrap(f"{text}{timing}", columns, bullet(), "    ")
    more = len(steps) - len(listed)
    if more > 0:
        words = ngettext(
            "... and {more} more. '{command}' goes through them.",
            "... and {more} more. '{command}' goes through them.",
            more,
        )
        if _plain():
            words = ngettext(
                "And {more} more. {command} goes through them.",
                "And {more} more. {command} goes through them.",
                more,
            )
        lines += wrap(words.format(more=more, command=hint), columns, "    ")
    return lines


def _section(
    heading: str, steps: Sequence[TimedStep], plan: Agenda, columns: int, hint: str = ""
) -> list[str]:
    if not steps:
        return []
    return ["", heading, *_step_lines(steps, plan, columns, hint or command("start"))]


def _not_critical(steps: list[TimedStep]) -> list[TimedStep]:
    """Due or overdue steps but the critical ones, which are listed first on their own."""
    return [step for step in steps if not step.item.critical]


def today_lines(plan: Agenda, columns: int) -> list[str]:
    """Today first: the countdown, answers that need action, important open steps, to do
    now, overdue, coming next, and what was not done before surgery."""
    from foracheck.schedule import countdown

    lines = wrap(countdown(plan.surgery_date, plan.today), columns)
    lines += _section(_("Act now:"), plan.alerts, plan, columns)
    lines += _section(_("Important, still open:"), plan.critical, plan, columns)
    # One list in the order of what comes first: overdue steps say so in their timing.
    lines += _section(_("To do now:"), _not_critical(plan.now), plan, columns)
    every = command("start", "--all")  # a walk of today's steps does not ask these
    lines += _section(_("Coming next:"), plan.upcoming, plan, columns, every)
    lines += missed_lines(plan, columns)
    if not plan.open_steps and not plan.missed and not plan.alerts:
        lines += ["", _("Every step is answered. Well done.")]
    elif plan.all_clear:
        lines += ["", _("Nothing to do today.")]
    return lines


def missed_lines(plan: Agenda, columns: int) -> list[str]:
    """Steps not done before surgery, listed once and plainly, for the care team."""
    if not plan.missed:
        return []
    lines = ["", _("Not done before surgery:")]
    for step in plan.missed:
        text = f"{shown(step.checklist.title, False)}: {shown(step.item.text, False)}"
        lines += wrap(text, columns, bullet(), "    ")
    return lines


def _count_lines(plan: Agenda, columns: int) -> list[str]:
    lines = ["", _("Your lists:")]
    for count in plan.counts:
        words = _("{done} of {total} done").format(done=count.done, total=count.total)
        title = shown(count.checklist.title, False)
        first = "  " if _plain() else f"  {progress_bar(count.done, count.total)} "
        lines += wrap(f"{words}: {title}", columns, first, " " * len(first))
    # What each list says in its own words, said once for them all.
    reminder = _(
        "These checklists do not replace your care team's instructions. "
        "Always follow what they tell you."
    )
    return [*lines, *wrap(reminder, columns, "  ", "  ")]


def surgeon_lines(checklists: Sequence[Checklist], progress: Progress, columns: int) -> list[str]:
    """The "tell your surgeon" summary under its heading."""
    lines = ["", _("Tell your surgeon:")]
    from foracheck.presentation import surgeon_summary  # only when there is a summary

    told = surgeon_summary(checklists, progress)
    for text, answer in told:
        lines += wrap(answer_after(shown(text, False), shown(answer)), columns, bullet())
    return lines if told else [*lines, f"{bullet()}{_('Nothing so far.')}"]


def status_lines(
    checklists: Sequence[Checklist], progress: Progress | None, today: date, where: Path
) -> list[str]:
    """The whole ``status`` screen."""
    columns = width()
    saved = progress or Progress()
    plan = agenda(checklists, saved, today)
    lines = today_lines(plan, columns) + _count_lines(plan, columns)
    lines += surgeon_lines(checklists, saved, columns)
    if progress is None:
        begin = _("No answers are saved yet. Run '{command}' to begin.")
        lines += ["", begin.format(command=command("start"))]
    else:
        saved_in = _("Progress file: {path}").format(path=shown(str(where), False))
        lines += ["", *wrap(saved_in, columns)]
    return lines


def show_status(
    checklists: Sequence[Checklist], progress: Progress | None, today: date, where: Path
) -> None:
    """Print the ``status`` screen."""
    write(status_lines(checklists, progress, today, where))


def status(checklists: Sequence[Checklist], locations: Locations, as_json: bool) -> None:
    """``status``: the screen (a lost state said first), or JSON for scripts (a lost
    state refuses, 65)."""
    from foracheck import dates, lost, stdio

    if as_json:
        from foracheck.render.json_format import dumps

        progress = lost.read_sent(locations)
        stdio.print_out(dumps(status_document(checklists, progress or Progress())))
        return
    progress = lost.shown_progress(locations)
    show_status(checklists, progress, dates.today(), locations.progress_file)


def status_document(
    checklists: Sequence[Checklist], progress: Progress, today: date | None = None
) -> dict[str, Any]:
    """``status --json``: the JSON export plus a ``status`` object (status.schema.json),
    states counted on ``today`` (the clock's day when not given)."""
    from foracheck.render import Options
    from foracheck.render.json_format import document
    from foracheck.translation import in_base_words

    options = Options(today=today)
    data = document(checklists, progress, options)
    in_base = [in_base_words(checklist) for checklist in checklists]  # alert texts as exported
    data["status"] = status_json(agenda(in_base, progress, options.local_day()))
    return data


# -- show ----------------------------------------------------------------------------------


def _row_lines(checklist: Checklist, row: Row, progress: Progress | None) -> list[str]:
    """One item of ``show``: its text and answer, then its id, timing, mark and choices."""
    from foracheck.presentation import (
        act_now_text,
        answer_label_text,
        condition_text,
        important_line,
        not_done_before_surgery,
        note_label,
        when_label,
    )

    columns = width()
    text = shown(row.item.text, False)
    box = "[x]" if row.resolved else "[ ]"
    if _plain():
        box = _("Done:") if row.resolved else _("Open:")
    if row.label is not None:  # marked when its question does not apply now (saved earlier)
        text = answer_after(text, shown(row.shown_label or ""))
    lines = wrap(f"{text}", columns, f"{row.number:>2}. {box} ", " " * 8)
    extra = [f"{_('Id:')}{_GLUE}{row.item.id}"]
    if row.window is not None:
        extra.append(f"{when_label()} {timing_text(row.window, row.surgery_date)}")
    if row.missed:
        extra.append(not_done_before_surgery())
    elif row.item.critical:
        extra.append(important_line())
    if row.alert is not None:
        extra.append(act_now_text(row.alert))
    condition = condition_text(checklist, row.item)
    if condition:
        now = f" {_('(does not apply now)')}" if row.ruled_out and progress else ""
        extra.append(condition + now)
    if row.note:
        extra.append(f"{note_label()} {row.note}")
    extra.append(f"{answer_label_text()} {choices_hint(row.item.type)}")
    for line in extra:
        lines += wrap(shown(line, False), columns, " " * 8, " " * 10)
    return lines


def checklist_lines(
    checklist: Checklist, progress: Progress | None, today: date | None = None
) -> list[str]:
    """The whole ``show`` screen: every item, answered or not, and the source."""
    from foracheck.presentation import form_rows, source_label

    columns = width()
    lines = wrap(f"{shown(checklist.title, False)} ({checklist.id})", columns)
    if checklist.intro:
        lines += wrap(shown(checklist.intro, False), columns)
    lines.append("")
    for row in form_rows(checklist, progress or Progress(), today):
        lines += _row_lines(checklist, row, progress)
    if checklist.source:
        lines += ["", *wrap(f"{source_label()} {shown(checklist.source.title, False)}", columns)]
        if checklist.source.url:
            lines.append(shown(checklist.source.url, False))
    return lines


def show_checklist(
    checklist: Checklist, progress: Progress | None, today: date | None = None
) -> None:
    """Print the ``show`` screen (states counted on ``today``)."""
    write(checklist_lines(checklist, progress, today))


def show(checklist: Checklist, locations: Locations, as_json: bool, today: date) -> None:
    """``show``: one list's screen (a lost state said first), or its JSON export for
    scripts (a lost state refuses, 65)."""
    from foracheck import lost, stdio

    if as_json:
        from foracheck.render import Options, render

        progress = lost.read_sent(locations)
        stdio.print_out(render("export", "json", [checklist], progress or Progress(), Options()))
        return
    show_checklist(checklist, lost.shown_progress(locations), today)
