"""The terminal: the only module that imports Rich.

Rich honours ``NO_COLOR`` and ``TERM=dumb`` by itself; we add soft wrapping so
that narrow terminals never cut item text, and ASCII-safe symbols.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from foracheck.model import (
    Checklist,
    Item,
    Progress,
    answer_label,
    applicable_items,
    choices_hint,
    is_resolved,
)

if TYPE_CHECKING:
    from rich.console import Console


@cache
def console(stderr: bool = False) -> Console:
    """A console that wraps long words instead of cutting them."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False)


def escape(text: str) -> str:
    """Text shown as written, never read as Rich markup."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def condition_text(checklist: Checklist, item: Item) -> str | None:
    """The ``show_if`` condition in words, for places that show every item."""
    if item.show_if is None:
        return None
    parent = checklist.item(item.show_if.item)
    parent_text = parent.text if parent else item.show_if.item
    return f'Only if you answered "{item.show_if.answer}" to: {parent_text}'


def show_checklist(checklist: Checklist, progress: Progress | None) -> None:
    """Every item of one list, with saved answers marked."""
    out = console()
    answers = progress.answers_for(checklist.id) if progress else {}
    applicable = {item.id for item in applicable_items(checklist, answers)}
    out.print(f"[bold]{escape(checklist.title)}[/bold]  ({checklist.id})")
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
