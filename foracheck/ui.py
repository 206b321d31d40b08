"""The terminal: the only module that imports Rich.

Rich honours ``NO_COLOR`` and ``TERM=dumb`` by itself; we add soft wrapping so
that narrow terminals never cut item text, and ASCII-safe symbols. Every text
goes through ``escape``, which also replaces control and bidirectional
characters with U+FFFD, so nothing shown can steer the terminal.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from foracheck.invocation import command
from foracheck.model import (
    Checklist,
    Item,
    Progress,
    answer_label,
    applicable_items,
    choices_hint,
    is_resolved,
    normalize_typed,
)
from foracheck.render.content import condition_text, surgeon_rows
from foracheck.safetext import shown
from foracheck.walk import Question, Step

if TYPE_CHECKING:
    from rich.console import Console


def plain_terminal() -> bool:
    """NO_COLOR or TERM=dumb: print text only, without any escape codes."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


@cache
def console(stderr: bool = False) -> Console:
    """A console that wraps long words instead of cutting them."""
    from rich.console import Console

    plain = plain_terminal()
    color_system: Literal["auto"] | None = None if plain else "auto"
    # Rich assumes 80x25 on a dumb terminal unless given both sizes; ask the terminal,
    # so that words wrap whole on a narrow screen too.
    size = shutil.get_terminal_size() if plain else None
    return Console(
        stderr=stderr,
        highlight=False,
        soft_wrap=False,
        emoji=False,
        color_system=color_system,
        width=size.columns if size else None,
        height=size.lines if size else None,
    )


def escape(text: str) -> str:
    """Text shown as written, never read as Rich markup nor as terminal controls."""
    from rich.markup import escape as rich_escape

    return rich_escape(shown(text))


def show_checklist(checklist: Checklist, progress: Progress | None) -> None:
    """Every item of one list, with saved answers marked."""
    out = console()
    answers = progress.answers_to(checklist) if progress else {}
    applicable = {item.id for item in applicable_items(checklist, answers)}
    out.print(f"[bold]{escape(checklist.title)}[/bold]  ({escape(checklist.id)})")
    if checklist.intro:
        out.print(escape(checklist.intro))
    out.print()
    for number, item in enumerate(checklist.items, start=1):
        answer = answers.get(item.id)
        box = "[x]" if is_resolved(item, answer) else "[ ]"
        line = f"{number:>2}. {escape(box)} {escape(item.text)}"
        if answer is not None:
            line += f"  [bold]-> {escape(answer_label(item, answer))}[/bold]"
        out.print(line)
        condition = condition_text(checklist, item)
        if condition:
            hidden = "" if item.id in applicable or progress is None else " (does not apply now)"
            out.print(f"      [dim]{escape(condition)}{hidden}[/dim]")
        out.print(f"      [dim]Answer: {escape(choices_hint(item.type))}[/dim]")
    if checklist.source:
        out.print()
        out.print(f"Source: {escape(checklist.source.title)}")
        if checklist.source.url:
            out.print(escape(checklist.source.url))


CHOICE_LINE = {
    "task": "done (d) | not yet (n) | does not apply (s)",
    "yesno": "yes (y) | no (n)",
    "text": "type your answer, or: don't know",
}
KEYS_LINE = "? more  |  b back  |  q save and quit"


def surgeon_lines(checklists: list[Checklist], progress: Progress) -> list[str]:
    """The "tell your surgeon" summary, one line per answer (ASCII, for any terminal)."""
    return [f"{row.item.text} -> {row.label}" for row in surgeon_rows(checklists, progress)]


class TerminalPrompter:
    """The walk's prompter for a person at a terminal (see ``walk.Prompter``)."""

    def __init__(self) -> None:
        self.out = console()

    def print(self, text: str = "", style: str | None = None) -> None:
        self.out.print(escape(text), style=style)

    def read_line(self, prompt: str) -> str:
        """One typed line. A terminal whose encoding cannot read what was typed (an
        ASCII-only locale and a letter like "é") gets the question again, not a crash."""
        while True:
            try:
                return self.out.input(prompt)
            except UnicodeDecodeError:
                self.print(
                    "This terminal could not read what you typed. Please type it again "
                    "using only plain letters (A to Z) and numbers.",
                    style="yellow",
                )

    def welcome(self) -> None:
        self.print("Welcome to foracheck.", style="bold")
        self.print(
            "This will help you get ready for your foraminotomy, one step at a time. "
            "Your answers are saved after each one, so you can stop and come back any time."
        )
        self.print()
        self.print(
            "Please remember: these lists do not replace your care team's instructions. "
            "If anything here is different from what they told you, follow them.",
            style="bold",
        )
        self.print()

    def ask_surgery_date(self) -> str:
        self.print("When is your surgery? Type the date as YYYY-MM-DD (for example 2026-12-01),")
        self.print("or press Enter to skip. You can add it later.")
        return self.read_line("Surgery date: ")

    def confirm(self, question: str) -> bool:
        while True:
            typed = normalize_typed(self.read_line(f"{escape(question)} (y/n): "))
            if typed in ("y", "yes"):
                return True
            if typed in ("n", "no"):
                return False
            self.print("Please answer y or n.")

    def how_to(self) -> None:
        self.print(f"At any question: {KEYS_LINE}.", style="dim")

    def list_intro(self, checklist: Checklist, due: bool) -> None:
        self.print()
        title = checklist.title + ("  (due now)" if due else "")
        self.print(title, style="bold underline")
        if checklist.intro:
            self.print(checklist.intro)

    def ask(self, question: Question) -> str:
        self.print()
        position = f"{question.checklist.title}: {question.number} of {question.total}"
        self.print(position, style="dim")
        if question.past_due:
            self.print("Past due: please do this as soon as you can.", style="bold red")
        self.print(question.item.text, style="bold")
        if question.saved is not None:
            label = answer_label(question.item, question.saved)
            self.print(f"Saved answer: {label} (press Enter to keep it)")
        self.print(f"{CHOICE_LINE[question.item.type]}   [{KEYS_LINE}]", style="dim")
        return self.read_line("> ")

    def details(self, question: Question) -> None:
        self.print(question.item.details or "There is nothing more to say about this one.")

    def invalid(self, question: Question, message: str) -> None:
        self.print(message, style="yellow")

    def notice(self, message: str) -> None:
        self.print(message)

    def warning(self, message: str) -> None:
        self.print(message, style="yellow")

    def summary(
        self, checklists: list[Checklist], progress: Progress, open_steps: list[Step], today: date
    ) -> None:
        self.print()
        self.print("Summary", style="bold underline")
        if open_steps:
            self.print(f"Still open ({len(open_steps)}):", style="bold")
            for step in open_steps:
                self.print(f"  - {step.checklist.title}: {step.item.text}")
        else:
            self.print("Every item is answered. Well done.")
        self.print_surgeon_summary(checklists, progress)

    def print_surgeon_summary(self, checklists: list[Checklist], progress: Progress) -> None:
        self.print()
        self.print("Tell your surgeon:", style="bold")
        lines = surgeon_lines(checklists, progress)
        for line in lines or ["Nothing so far."]:
            self.print(f"  - {line}")

    def closing(self, ending: str, saved: int, where: Path) -> None:
        """The last lines, on every way out; a closed terminal cannot make them fail."""
        if saved:
            message = f"{saved} answer{'s' * (saved != 1)} saved in {where}."
        else:
            message = "No answers are saved yet."
        with contextlib.suppress(OSError, ValueError):
            self.print()
            if ending:
                self.print(ending)
            self.print(message)
            self.print(f"To go on later, run: {command('start')}")


def progress_bar(done: int, total: int, width: int = 10) -> str:
    """An ASCII bar that every terminal and screen reader can show: [####------]."""
    filled = round(width * done / total) if total else width
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def show_status(
    checklists: list[Checklist], progress: Progress | None, today: date, where: Path
) -> None:
    """Per list done/total, the countdown, what is due now, and the surgeon summary."""
    from foracheck.schedule import countdown, has_begun
    from foracheck.timeline import window_of

    prompter = TerminalPrompter()
    saved = progress or Progress()
    prompter.print(countdown(saved.surgery_date, today), style="bold")
    prompter.print()
    due_now: list[tuple[Checklist, Item]] = []
    for checklist in checklists:
        answers = saved.answers_to(checklist)
        items = applicable_items(checklist, answers)
        done = sum(is_resolved(item, answers.get(item.id)) for item in items)
        due = has_begun(checklist.when, saved.surgery_date, today)
        marker = "  due now" if due and done < len(items) else ""
        bar = progress_bar(done, len(items))
        prompter.print(f"{bar} {done:>2}/{len(items):<2} {checklist.title}{marker}")
        due_now += [
            (checklist, item)
            for item in items
            if not is_resolved(item, answers.get(item.id))
            and has_begun(window_of(checklist, item), saved.surgery_date, today)
        ]
    if due_now:
        prompter.print()
        prompter.print("Due now:", style="bold")
        for checklist, item in due_now:
            prompter.print(f"  - {checklist.title}: {item.text}")
    prompter.print_surgeon_summary(checklists, saved)
    prompter.print()
    if progress is None:
        prompter.print(f"No answers are saved yet. Run '{command('start')}' to begin.")
    else:
        prompter.print(f"Progress file: {where}")
