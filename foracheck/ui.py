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
import sys
import textwrap
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from foracheck import screens
from foracheck.accessible import plain_mode
from foracheck.answers import confirm, date_format
from foracheck.i18n import _, ngettext
from foracheck.invocation import command
from foracheck.model import (
    Answer,
    Checklist,
    Progress,
    answer_label,
    open_alert,
)
from foracheck.presentation import important_line, surgeon_summary
from foracheck.safetext import shown
from foracheck.walk import Question, Step, act_now, date_word

if TYPE_CHECKING:
    from rich.console import Console


def plain_terminal() -> bool:
    """NO_COLOR, TERM=dumb or the plain mode: print text only, without any escape codes."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb" or plain_mode()


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


# "n" is "not yet" for a task and "no" for a question: every prompt says which.
# The English of these tables is the message id: each is shown through ``_``.
CHOICE_LINE = {
    "task": "done (d) | not yet (n) | does not apply (s)",
    "yesno": "yes (y) | no (n)",
    "text": "type your answer, or: don't know",
}
KEYS_LINE = "? more  |  b back  |  {date}: when is surgery  |  q save and quit"
REASON_QUESTION = (
    "This step is important, so your care team will want to know why it does not apply. "
    "Type a few words, or press Enter to leave it out."
)
STILL_OPEN_IMPORTANT = "Important steps still open"


def surgeon_lines(checklists: list[Checklist], progress: Progress) -> list[str]:
    """The "tell your surgeon" summary, one line per answer (ASCII, for any terminal):
    the rows ``status`` and paper show, earlier answers included."""
    return [f"{text} -> {answer}" for text, answer in surgeon_summary(checklists, progress)]


def position(question: Question) -> str:
    """Where the patient is: in the list, and among the lists when there are several."""
    step = _("{title}: step {number} of {total}").format(
        title=question.checklist.title, number=question.number, total=question.total
    )
    if question.list_total < 2:
        return step
    among = _("(list {number} of {total})")
    return f"{step} {among.format(number=question.list_number, total=question.list_total)}"


def other_keys() -> str:
    """What else may be typed, said after the "?" help."""
    return _(
        "You can also type b to go back, {date} to see or change your surgery date, "
        "or q to save and quit."
    ).format(date=date_word())


# A terminal whose encoding cannot read a typed letter (an ASCII locale and "é").
UNREADABLE_TYPING = (
    "This terminal could not read what you typed. Please type it again "
    "using only plain letters (A to Z) and numbers."
)


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
                    _(UNREADABLE_TYPING),
                    style="yellow",
                )

    def welcome(self) -> None:
        self.print(_("Welcome to foracheck."), style="bold")
        self.print(
            _(
                "This will help you get ready for your foraminotomy, one step at a time. "
                "Your answers are saved after each one, so you can stop and come back any time."
            )
        )
        self.print()
        self.print(
            _(
                "Please remember: these lists do not replace your care team's instructions. "
                "If anything here is different from what they told you, follow them."
            ),
            style="bold",
        )
        self.print()

    def ask_surgery_date(self, keep: bool = False) -> str:
        example = example_words()
        if keep:
            said = _(
                "To change it, type the new date as {format} (for example {example} "
                "for {spoken}), or press Enter to keep it."
            )
        else:
            said = _(
                "When is your surgery? Type the date as {format} (for example {example} "
                "for {spoken}), or press Enter to skip. You can add it later."
            )
        self.print(said.format(**example))
        return self.read_line(_("Surgery date: "))

    def confirm(self, question: str) -> bool:
        def read() -> str:
            return self.read_line(f"{escape(question)} {_('(y/n)')}: ")

        return confirm(read, lambda: self.print(_("Please answer y or n.")))

    def how_to(self) -> None:
        self.print(
            _(
                "At any question, type ? to read more, b to go back, {date} to see or change "
                "your surgery date, or q to save and quit."
            ).format(date=date_word()),
            style="dim",
        )

    def list_intro(self, checklist: Checklist, due: bool) -> None:
        self.print()
        title = checklist.title + ("  " + _("(due now)") if due else "")
        self.print(title, style="bold underline")
        if checklist.intro:
            self.print(checklist.intro)

    def ask(self, question: Question) -> str:
        self.print()
        self.print(position(question), style="dim")
        if question.past_due:
            self.print(_("Past due: please do this as soon as you can."), style="bold red")
        if question.item.critical:
            self.print(important_line(), style="bold")
        self.print(question.item.text, style="bold")
        if question.saved is not None:
            label = answer_label(question.item, question.saved)
            self.print(_("Saved answer: {answer} (press Enter to keep it)").format(answer=label))
        self.print(_(CHOICE_LINE[question.item.type]), style="dim")
        self.print(f"[{_(KEYS_LINE).format(date=date_word())}]", style="dim")
        return self.read_line("> ")

    def details(self, question: Question) -> None:
        self.print(question.item.details or _("There is nothing more to say about this one."))
        self.print(other_keys(), style="dim")

    def invalid(self, question: Question, message: str) -> None:
        self.print(message, style="yellow")

    def reason(self, question: Question) -> str:
        self.print(_(REASON_QUESTION))
        return self.read_line(_("Reason: "))

    def answered(self, question: Question, answer: Answer, kept: bool) -> None:
        """Quiet here: the next question showing is the sign that this one is saved;
        an answer that needs action says so at once."""
        alert = open_alert(question.item, answer)
        if alert is not None:
            self.print(act_now(alert.text), style="bold")

    def notice(self, message: str) -> None:
        self.print(message)

    def warning(self, message: str) -> None:
        self.print(message, style="yellow")

    def summary(
        self,
        checklists: list[Checklist],
        progress: Progress,
        open_steps: list[Step],
        all_clear: bool,
    ) -> None:
        self.print()
        self.print(_("Summary"), style="bold underline")
        important = [step for step in open_steps if step.item.critical]
        others = [step for step in open_steps if not step.item.critical]
        if important:
            self.open_list(f"{_(STILL_OPEN_IMPORTANT)} ({len(important)}):", important)
        if others:
            heading = _("Other steps still open") if important else _("Still open")
            self.open_list(f"{heading} ({len(others)}):", others)
        if not open_steps:  # "well done" only when the walk's ending will not contradict it
            self.print(
                _("Everything for now is answered. Well done.")
                if all_clear
                else _("You answered every step of this walk.")
            )
        self.print_surgeon_summary(checklists, progress)

    def open_list(self, heading: str, steps: list[Step]) -> None:
        self.print(heading, style="bold")
        for step in steps:
            self.print(f"  - {step.checklist.title}: {step.item.text}")

    def print_surgeon_summary(self, checklists: list[Checklist], progress: Progress) -> None:
        self.print()
        self.print(_("Tell your surgeon:"), style="bold")
        lines = surgeon_lines(checklists, progress)
        for line in lines or [_("Nothing so far.")]:
            self.print(f"  - {line}")

    def closing(self, ending: str, saved: int, where: Path) -> None:
        """The last lines, on every way out; a closed terminal cannot make them fail."""
        if saved:
            message = ngettext(
                "{count} answer saved in {path}.", "{count} answers saved in {path}.", saved
            ).format(count=saved, path=where)
        else:
            message = _("No answers are saved yet.")
        with contextlib.suppress(OSError, ValueError):
            self.print()
            if ending:
                self.print(ending)
            self.print(message)
            self.print(_("To go on later, run: {command}").format(command=command("start")))


def example_words(today: date | None = None) -> dict[str, str]:
    """An example surgery date built from today (never one already past): the format,
    the date as typed and as said ("1 December 2026")."""
    from foracheck.dates import example_date
    from foracheck.timeline import month_name

    example = example_date(today or date.today())
    spoken = _("{day} {month} {year}").format(
        day=example.day, month=month_name(example.month), year=example.year
    )
    return {"format": date_format(), "example": example.isoformat(), "spoken": spoken}


# The plain mode's words for what may be typed; "n" is spelled out on every prompt.
SPOKEN_CHOICES = {
    "task": "Type d for done, n for not yet, s if it does not apply",
    "yesno": "Type y for yes, n for no",
    "text": "Type your answer on one line, or say don't know if you do not know yet",
}
SPOKEN_KEYS = "a question mark for more, b to go back, {date} for your surgery date, q to stop."


def spoken_keys() -> str:
    """The keys in words, said once per list and on "?" (not after every question)."""
    return _(SPOKEN_KEYS).format(date=date_word())


def spoken_position(question: Question) -> str:
    """ "The week before surgery, step 3 of 8, list 2 of 5." (the list part only when
    the walk goes through several lists)."""
    title, number, total = question.checklist.title, question.number, question.total
    if question.list_total < 2:
        return _("{title}, step {number} of {total}.").format(
            title=title, number=number, total=total
        )
    return _("{title}, step {number} of {total}, list {list_number} of {list_total}.").format(
        title=title,
        number=number,
        total=total,
        list_number=question.list_number,
        list_total=question.list_total,
    )


def spoken_prompt(question: Question) -> list[str]:
    """A question as the plain mode says it: where, what, and what may be typed."""
    lines = [spoken_position(question)]
    if question.past_due:
        lines.append(_("This step is past due: please do it as soon as you can."))
    if question.item.critical:
        lines.append(important_line())
    lines.append(question.item.text)
    choices = _(SPOKEN_CHOICES[question.item.type])
    if question.saved is not None:
        label = answer_label(question.item, question.saved)
        lines.append(_("Your saved answer is: {answer}.").format(answer=label))
        choices += _(", Enter to keep your saved answer")
    lines.append(f"{choices}.")
    return lines


class PlainPrompter(TerminalPrompter):
    """The walk for screen readers and braille displays: text that only ever grows.

    No Rich here: plain lines, wrapped between words to the terminal's width,
    written straight to standard output; lines read as bytes, so that nothing
    (no line editor) ever sends a control sequence. Every prompt says in words
    where the patient is and what they may type, and every answer is confirmed.
    """

    def __init__(self) -> None:
        self.width = screens.width()
        self.reason_given = False  # a reason was typed for the answer about to be confirmed

    def print(self, text: str = "", style: str | None = None) -> None:
        lines = [
            wrapped
            for line in shown(text).split("\n")
            for wrapped in textwrap.wrap(line, self.width, break_on_hyphens=False) or [""]
        ]
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()

    def read_line(self, prompt: str) -> str:
        """One typed line (EOFError at the end of input). A line the terminal's encoding
        cannot read is asked for again, in words."""
        while True:
            sys.stdout.write(shown(prompt, multiline=False))
            sys.stdout.flush()
            typed = sys.stdin.buffer.readline()
            if not typed:
                raise EOFError
            try:
                return typed.decode(sys.stdin.encoding or "utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                self.print(_(UNREADABLE_TYPING))

    def ask_surgery_date(self, keep: bool = False) -> str:
        if keep:
            said = _(
                "To change it, type the new date as year, month and day with dashes, "
                "for example {example} for {spoken}, or press Enter to keep it."
            )
        else:
            said = _(
                "When is your surgery? Type the date as year, month and day with dashes, "
                "for example {example} for {spoken}, or press Enter to skip. "
                "You can add it later."
            )
        self.print(said.format(**example_words()))
        return self.read_line(_("Surgery date: "))

    def confirm(self, question: str) -> bool:
        self.print(question)  # wrapped between words; the prompt itself stays short

        def read() -> str:
            return self.read_line(_("Type y for yes or n for no: "))

        return confirm(read, lambda: self.print(_("Please type y for yes or n for no.")))

    def how_to(self) -> None:
        self.print(
            _(
                "At every question you can type a question mark to hear more about the step, "
                "b to go back one step, {date} to hear or change your surgery date, "
                "or q to save and stop."
            ).format(date=date_word())
        )

    def list_intro(self, checklist: Checklist, due: bool) -> None:
        self.print()
        intro = _("List: {title}.").format(title=checklist.title)
        self.print(intro + (" " + _("It is due now.") if due else ""))
        if checklist.intro:
            self.print(checklist.intro)
        self.print(_("At every step you can type {keys}").format(keys=spoken_keys()))

    def ask(self, question: Question) -> str:
        self.print()
        for line in spoken_prompt(question):
            self.print(line)
        return self.read_line(_("Your answer: "))

    def details(self, question: Question) -> None:
        more = question.item.details or _("there is nothing more.")
        self.print(_("More about this step: {details}").format(details=more))
        self.print(_("You can type {keys}").format(keys=spoken_keys()))

    def invalid(self, question: Question, message: str) -> None:
        self.print(_("Not saved. {message}").format(message=message))

    def reason(self, question: Question) -> str:
        typed = super().reason(question)
        self.reason_given = bool(typed.strip())
        return typed

    def answered(self, question: Question, answer: Answer, kept: bool) -> None:
        label = answer_label(question.item, answer)
        with_reason = self.reason_given and not kept
        self.reason_given = False
        alert = open_alert(question.item, answer)
        if alert is not None:  # in place of a plain "Saved": what to do now
            self.print(act_now(alert.text))
            return
        if kept:
            said = _("Kept: {answer}.")
        elif with_reason:
            said = _("Saved: {answer}, with your reason as a note.")
        else:
            said = _("Saved: {answer}.")
        self.print(said.format(answer=label))

    def open_list(self, heading: str, steps: list[Step]) -> None:
        self.print(heading)
        for step in steps:
            self.print(
                _("{title}, step {number}: {text}").format(
                    title=step.checklist.title, number=step.number, text=step.item.text
                )
            )

    def print_surgeon_summary(self, checklists: list[Checklist], progress: Progress) -> None:
        self.print()
        rows = surgeon_summary(checklists, progress)
        if rows:
            self.print(
                ngettext(
                    "Tell your surgeon: {count} thing.",
                    "Tell your surgeon: {count} things.",
                    len(rows),
                ).format(count=len(rows))
            )
        else:
            self.print(_("Tell your surgeon: nothing so far."))
        for text, answer in rows:
            self.print(_("{text} You answered: {answer}.").format(text=text, answer=answer))
