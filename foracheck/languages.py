"""The languages foracheck speaks, as data: one ``language.json`` record per language.

A language is a folder ``<code>/`` under one of ``LOCALE_DIRS`` holding its
``language.json`` (its name, the words typed for each answer, "don't know",
the command words quit/back/help/date, and how the date format is written)
and, for every language but English, its catalog (``*.po`` parts, or the
compiled ``LC_MESSAGES/foracheck.mo``). Adding a language is adding such a
folder, and its checklists' ``ID.<code>.yaml`` translations: no code changes.

Records are read only when a typed word must be understood (or a language is
listed), so a command that reads nothing typed opens none of them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import Any, NamedTuple

# Where language folders are looked for, first match wins. Tests add a folder of
# their own (a pseudo-language defined in test data alone).
LOCALE_DIRS: list[str] = [os.path.join(os.path.dirname(__file__), "locale")]  # noqa: PTH118, PTH120
RECORD = "language.json"
ENGLISH = "en"
# A record is a few kilobytes; anything far larger is not one.
MAX_RECORD_BYTES = 256 * 1024
# The command words typed at any prompt, as the walk names them.
COMMANDS = ("quit", "back", "help", "date")


class DamagedRecord(Exception):
    """A language's file (its record or catalog) that cannot be used (a damaged
    installation); the message is a short reason for the one notice ``i18n`` gives
    before speaking English."""


class Language(NamedTuple):
    """One language's record: everything foracheck must know to understand its speakers."""

    # A NamedTuple, not a frozen dataclass: a quarter of the cost to define
    # (every command loads it).
    code: str
    name: str
    folder: str
    date_format: str
    answers: Mapping[str, Mapping[str, str]]
    dont_know: frozenset[str]
    commands: Mapping[str, frozenset[str]]


def folder_of(code: str) -> str | None:
    """The folder of language ``code`` (the first of ``LOCALE_DIRS`` that has it), or None."""
    if not code or os.sep in code or code.startswith("."):
        return None
    for base in LOCALE_DIRS:
        folder = os.path.join(base, code)  # noqa: PTH118
        if os.path.exists(os.path.join(folder, RECORD)):  # noqa: PTH110, PTH118 - a FIFO too: refused when read
            return folder
    return None


def codes() -> list[str]:
    """Every language there is, English first, then by code."""
    found: set[str] = set()
    for base in LOCALE_DIRS:
        try:
            names = os.listdir(base)  # noqa: PTH208 - names only, no Path needed
        except OSError:
            continue
        found.update(name for name in names if folder_of(name) is not None)
    return sorted(found, key=lambda code: (code != ENGLISH, code))


def names() -> dict[str, str]:
    """Each language's code and its name as its speakers write it (a damaged record
    is named by its code)."""
    found = {}
    for code in codes():
        try:
            found[code] = record(code).name
        except DamagedRecord:
            found[code] = code
    return found


def record(code: str) -> Language:
    """The record of ``code`` (a KeyError when there is no such language)."""
    return _load(code, tuple(LOCALE_DIRS))


@cache
def _load(code: str, _dirs: tuple[str, ...]) -> Language:
    """The record, read as a bounded regular file (a FIFO or device there never makes
    foracheck wait); anything unreadable or of the wrong shape is DamagedRecord."""
    folder = folder_of(code)
    if folder is None:
        raise KeyError(code)
    try:
        raw = _read_record(os.path.join(folder, RECORD))  # noqa: PTH118
        commands = raw.get("commands", {})
        return Language(
            code=code,
            name=str(raw["name"]),
            folder=folder,
            date_format=str(raw.get("date_format", "YYYY-MM-DD")),
            answers={kind: dict(words) for kind, words in raw.get("answers", {}).items()},
            dont_know=frozenset(raw.get("dont_know", ())),
            commands={name: frozenset(commands.get(name, ())) for name in COMMANDS},
        )
    except DamagedRecord:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise DamagedRecord(f"{RECORD} is not a language record ({type(error).__name__})") from None


def _read_record(path: str) -> dict[str, Any]:
    import json

    raw = json.loads(read_installed(path, MAX_RECORD_BYTES, RECORD).decode("utf-8"))
    if not isinstance(raw, dict):
        raise DamagedRecord(f"{RECORD} is not a language record")
    return raw


def read_installed(path: str | os.PathLike[str], limit: int, what: str) -> bytes:
    """A file of the installation (a language record, a catalog): a regular file of at
    most ``limit`` bytes, opened without waiting (a FIFO there would wait for a writer
    forever); anything else is DamagedRecord naming ``what``."""
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise DamagedRecord(f"{what}: {error.strerror}") from None
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise DamagedRecord(f"{what} is not a regular file")
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise DamagedRecord(f"{what} is far too large")
    return data


def understood(code: str) -> list[Language]:
    """The records whose words are understood in ``code``: its own, then English's
    (English command words and "don't know" work in every language)."""
    try:
        own = record(code) if folder_of(code) else record(ENGLISH)
    except DamagedRecord:  # told once where the language was chosen; English words work
        own = record(ENGLISH)
    return [own] if own.code == ENGLISH else [own, record(ENGLISH)]
