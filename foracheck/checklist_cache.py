"""A cache of validated checklists, so that most commands never import YAML.

Parsing YAML (and importing PyYAML) is most of what ``list``, ``export`` and
``status`` would cost beyond Typer itself. The cache maps a fingerprint of each
file's bytes to the checklist the strict loader made of it; the cache is keyed
on foracheck's version and ``CACHE_VERSION``, so an edited list or a changed
foracheck is simply read again. Only valid lists are cached. The cache
lives in the data folder and is written only where that folder already exists.
It is never needed: an unreadable or unwritable cache just means a slower start.

The cache is an input like any other (guarantee 14): a file of the wrong shape,
size or type, or an entry whose values are not what the model holds (a number
for a title, an escape character in a text), is ignored and rebuilt from the
checklist files; a FIFO, device or link at its path is never read nor
replaced; temp files left by a killed write are removed by a later run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import stat
import time
import types
import typing
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union

from foracheck import __version__
from foracheck.errors import StorageError
from foracheck.fsutil import (
    TEMP_SUFFIX,
    NotRegularFileError,
    atomic_write_text,
    read_regular,
    remove_quietly,
    temp_prefix,
)
from foracheck.model import Checklist, Item, ShowIf, Source, Window
from foracheck.safetext import unsafe_character

CACHE_NAME = "checklists-cache.json"
MAX_ENTRIES = 64  # plenty for the bundled lists and a clinic's; the oldest go first
# 64 entries of the largest lists the loader accepts would be far larger, but a
# cache that big would cost more to read than the lists it saves parsing.
MAX_CACHE_BYTES = 8 * 1024 * 1024
# A cache write takes milliseconds; a temp file this old was left by a killed one.
LEFTOVER_AGE_SECONDS = 10.0
# Raise whenever what the loader accepts or what the model holds changes meaning
# (a new key, a new field, a different mapping): every cached list is then read again.
# 2: format 2 checklists (when, critical), format 1's due_days_before mapped to when.
CACHE_VERSION = 2


def _checksum(data: bytes) -> str:
    return f"{len(data)}-{zlib.crc32(data):08x}-{zlib.adler32(data):08x}"


def _code_version() -> str:
    """Changes with every release and whenever ``CACHE_VERSION`` is raised."""
    return f"{__version__}/cache-{CACHE_VERSION}"


def _to_json(checklist: Checklist) -> dict[str, Any]:
    content = dataclasses.asdict(checklist)
    # Where a file was found, and so its language and translations, is not its content.
    del content["path"], content["bundled"], content["language"], content["wordings"]
    return content


def _window(content: dict[str, Any] | None) -> Window | None:
    return None if content is None else Window(**content)


def _item(content: dict[str, Any]) -> Item:
    show_if = ShowIf(**content["show_if"]) if content["show_if"] else None
    return Item(**{**content, "show_if": show_if, "when": _window(content["when"])})


def _from_json(content: dict[str, Any], path: Path, bundled: bool) -> Checklist:
    items = tuple(_item(item) for item in content["items"])
    source = Source(**content["source"]) if content["source"] else None
    when = _window(content["when"])
    return Checklist(
        **{
            **content,
            "items": items,
            "when": when,
            "source": source,
            "path": path,
            "bundled": bundled,
        }
    )


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


Check = Callable[[object], bool]


@cache
def _checker(hint: Any) -> Check:
    """A check of one annotation, built once: a long list asks it 100,000 times."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        parts = [_checker(arg) for arg in args]
        return lambda value: any(part(value) for part in parts)
    if origin is Literal:
        return lambda value: value in args
    if origin is tuple:  # tuple[X, ...]
        part = _checker(args[0])
        return lambda value: isinstance(value, tuple) and all(map(part, value))
    if hint is type(None):
        return lambda value: value is None
    if hint is str:
        return lambda value: (
            isinstance(value, str) and unsafe_character(value, multiline=True) is None
        )
    if hint is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        fields = [(name, _checker(field_hint)) for name, field_hint in _hints(hint).items()]
        return lambda value: (
            isinstance(value, hint) and all(check(getattr(value, name)) for name, check in fields)
        )
    return lambda value: isinstance(hint, type) and isinstance(value, hint)


def _fits(value: object, hint: Any) -> bool:
    """Whether a value read from the cache is what the model's annotation says."""
    return _checker(hint)(value)


class ChecklistCache:
    """Validated checklists by file fingerprint, newest last."""

    def __init__(self, home: Path) -> None:
        self.path = home / CACHE_NAME
        self.version = _code_version()
        self.writable = True  # False when something other than a plain file is there
        self.entries = self._read()
        self.added: dict[str, dict[str, Any]] = {}

    def _read(self) -> dict[str, Any]:
        """The entries of a cache of the right version and shape, else none."""
        try:
            data = read_regular(self.path, MAX_CACHE_BYTES)
        except NotRegularFileError:
            self.writable = False
            return {}
        except OSError:
            return {}
        if data is None or len(data) > MAX_CACHE_BYTES:
            return {}
        try:
            document = json.loads(data)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            return {}
        if not isinstance(document, dict) or document.get("version") != self.version:
            return {}
        entries = document.get("entries")
        if not isinstance(entries, dict):
            return {}
        return {key: entry for key, entry in entries.items() if isinstance(entry, dict)}

    def get(self, data: bytes, path: Path, bundled: bool) -> Checklist | None:
        """The cached checklist for these bytes, or None (then it is parsed and re-cached)."""
        content = self.entries.get(_checksum(data))
        if content is None:
            return None
        try:
            checklist = _from_json(content, path, bundled)
        except (TypeError, KeyError, ValueError, AttributeError, RecursionError):
            return None
        return checklist if _fits(checklist, Checklist) else None

    def put(self, data: bytes, checklist: Checklist) -> None:
        """Remember a checklist the loader has just validated."""
        self.added[_checksum(data)] = _to_json(checklist)

    def save(self) -> None:
        """Write the cache when it changed and the data folder exists; never fails."""
        if not self.writable or not self.path.parent.is_dir():
            return
        self._remove_leftovers()
        if not self.added:
            return
        entries = {**self.entries, **self.added}
        newest = dict(list(entries.items())[-MAX_ENTRIES:])
        document = {"version": self.version, "entries": newest}
        with contextlib.suppress(StorageError, OSError):
            atomic_write_text(self.path, json.dumps(document, ensure_ascii=False))

    def _remove_leftovers(self) -> None:
        """Remove temp files that a killed cache write left (not one being written now)."""
        prefix = temp_prefix(self.path)
        now = time.time()
        with contextlib.suppress(OSError):
            for candidate in self.path.parent.glob(f"{prefix}*{TEMP_SUFFIX}"):
                with contextlib.suppress(OSError):
                    found = candidate.lstat()
                    if stat.S_ISREG(found.st_mode) and now - found.st_mtime > LEFTOVER_AGE_SECONDS:
                        remove_quietly(candidate)
