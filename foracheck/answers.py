"""The one vocabulary of what people type, at every prompt and in every language.

Every prompt (a task, a yes/no or text question, the reason for a critical
"does not apply", the surgery date, a confirmation) reads typed words through
here, so ``q``, ``salir``, ``?``, ``volver``, ``sí`` or ``idk`` mean the same
thing wherever they are typed. The words themselves are data: each language's
record in ``foracheck.languages``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from foracheck.i18n import language
from foracheck.languages import understood

QUIT, BACK, HELP, DATE = "quit", "back", "help", "date"
_NOT_A_WORD = re.compile(r"[^\w\s?-]")


def normalize_typed(raw: str) -> str:
    """Fold case, accents and spaces, so " Not Yet " and "not-yet", "SÍ" and "si" match."""
    folded = unicodedata.normalize("NFKD", raw.strip().lower())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return "-".join(plain.split())


def command_of(typed: str) -> str | None:
    """``quit``, ``back``, ``help`` or ``date`` when ``typed`` is only a command word."""
    word = normalize_typed(typed)
    for record in understood(language()):
        for name, words in record.commands.items():
            if word in words:
                return name
    return None


def choice(item_type: str, typed: str) -> str | None:
    """The stored answer a typed task or yes/no answer means, in the chosen language."""
    words = understood(language())[0].answers.get(item_type, {})
    return words.get(normalize_typed(typed))


def yes_or_no(typed: str) -> str | None:
    """``yes`` or ``no`` for a typed answer to any yes/no question or confirmation."""
    return choice("yesno", typed)


def is_dont_know(typed: str) -> bool:
    """Whether typed text says "I don't know (yet)": "idk", "no idea", "no sé"...
    Apostrophes, commas, case and accents do not matter."""
    folded = normalize_typed(_NOT_A_WORD.sub("", typed.replace("\u2019", "'")).replace("?", ""))
    return any(folded in record.dont_know for record in understood(language()))


def dont_know_words() -> list[str]:
    """Every folded way of saying "I don't know (yet)" in the chosen language (and
    English): for a page that must understand them as ``is_dont_know`` does."""
    return sorted(set().union(*(record.dont_know for record in understood(language()))))


def date_format() -> str:
    """How the chosen language writes the date format: ``YYYY-MM-DD``, ``AAAA-MM-DD``."""
    return understood(language())[0].date_format


def confirm(read: Callable[[], str], again: Callable[[], None], empty: bool | None = None) -> bool:
    """The one confirmation loop: read until yes or no (``empty``: what Enter means,
    None to ask again). ``q`` and its kin end it as no; ``again`` says what to type."""
    while True:
        typed = read()
        if not typed.strip() and empty is not None:
            return empty
        answer = yes_or_no(typed)
        if answer is not None:
            return answer == "yes"
        if command_of(typed) in (QUIT, BACK):
            return False
        again()
