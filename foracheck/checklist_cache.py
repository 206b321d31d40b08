"""A cache of validated checklists, so that most commands never import YAML.

Parsing YAML (and importing PyYAML) is most of what ``list``, ``export`` and
``status`` would cost beyond Typer itself. The cache maps a BLAKE2 digest of each
file's resolved path and bytes to the checklist the strict loader made of it;
the cache is keyed on foracheck's version and ``CACHE_VERSION``, so an edited
list or a changed foracheck is simply read again.

What a list says is what its file says (guarantee 18): the key is a
cryptographic digest, so no file can be built to find another file's entry
(length and cheap checksums could be matched in a fraction of a second), and it
holds the path, so a clinic's file never answers for the bundled one. Each
entry's index line carries a digest of the key and the entry's text, checked
before the entry is used: an entry edited by hand, or moved under another key,
is rebuilt from the file. BLAKE2 is in ``hashlib`` without OpenSSL and hashes
faster than SHA-256 in pure software. Only valid lists are cached. The cache
lives in the data folder and is written only where that folder already exists.
It is never needed: an unreadable or unwritable cache just means a slower start.

The cache is an input like any other (guarantee 14): a file of the wrong shape,
size or type, or an entry whose values are not what the model holds (a number
for a title, an escape character in a text), is ignored and rebuilt from the
checklist files; a FIFO, device or link at its path is never read nor
replaced; temp files left by a killed write are removed by a later run.

The file is one line of JSON, an index saying where each entry lies, then the
entries' JSON texts; an entry is parsed only when its list is loaded, so a
clinic's long list costs nothing to the runs that do not use it. Items are
stored by columns (one list per item field) and checked column by column: one
``str.join`` and one regex search check every text of a list, and one ``map``
builds the items. A 20,000-item list is checked in milliseconds, as strictly
as value by value.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from foracheck import __version__
from foracheck.errors import StorageError
from foracheck.fsutil import (
    TEMP_SUFFIX,
    NotRegularFileError,
    atomic_write_bytes,
    read_regular,
    remove_quietly,
    temp_prefix,
)
from foracheck.model import (
    FORMAT_VERSIONS,
    ITEM_TYPES,
    Alert,
    Checklist,
    Item,
    ShowIf,
    Source,
    Window,
)
from foracheck.safetext import unsafe_character
from foracheck.timeline import MAX_DAYS

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
# 3: an index line, then each entry's JSON text; items by columns, checked column by column.
# 4: the format 2 alert key (answer and text) on items.
# 5: keys are BLAKE2 digests of the resolved path and the bytes; each entry carries its digest.
CACHE_VERSION = 5
DIGEST_BYTES = 32
# Item's fields, in order (a test keeps the two equal).
ITEM_COLUMNS = (
    "id",
    "type",
    "text",
    "details",
    "tell_surgeon",
    "show_if",
    "when",
    "critical",
    "alert",
)
CHECKLIST_KEYS = {"id", "title", "intro", "order", "when", "source", "format", "items"}


def _blake2b(data: bytes = b"", *, person: bytes) -> Any:
    """A BLAKE2b hash from CPython's own ``_blake2`` module: ``hashlib`` would load
    OpenSSL first, a few milliseconds of every command that reads a list."""
    try:
        from _blake2 import blake2b
    except ImportError:  # another Python: hashlib's is the same function
        from hashlib import blake2b
    return blake2b(data, digest_size=DIGEST_BYTES, person=person)


def _key(data: bytes, path: Path, bundled: bool) -> str:
    """The entry's key: a digest of where the file is (resolved) and of its bytes."""
    where = os.fsencode(os.path.realpath(path))
    digest = _blake2b(person=b"foracheck-file")
    # The path's length first: no path-and-bytes pair reads as another pair.
    digest.update(b"%d:%d:" % (bundled, len(where)) + where + b"\0")
    digest.update(data)
    return str(digest.hexdigest())


def _entry_digest(key: str, text: bytes) -> str:
    """What an entry must hash to: its key and its text, so it cannot move or change."""
    digest = _blake2b(key.encode(), person=b"foracheck-entry")
    digest.update(text)
    return str(digest.hexdigest())


def _code_version() -> str:
    """Changes with every release and whenever ``CACHE_VERSION`` is raised."""
    return f"{__version__}/cache-{CACHE_VERSION}"


def _pair(window: Window | None) -> list[int | None] | None:
    return None if window is None else [window.start, window.end]


def _to_json(checklist: Checklist) -> dict[str, Any]:
    """A checklist by columns: one list per item field, so that reading and checking a
    long list is a few passes in C (json, ``str.join``, one regex) instead of a
    Python call per value."""
    items = checklist.items
    source = checklist.source
    return {
        "id": checklist.id,
        "title": checklist.title,
        "intro": checklist.intro,
        "order": checklist.order,
        "when": _pair(checklist.when),
        "source": None if source is None else [source.title, source.url, source.reviewed],
        "format": checklist.format,
        "items": {
            "id": [item.id for item in items],
            "type": [item.type for item in items],
            "text": [item.text for item in items],
            "details": [item.details for item in items],
            "tell_surgeon": [item.tell_surgeon for item in items],
            "show_if": [
                None if item.show_if is None else [item.show_if.item, item.show_if.answer]
                for item in items
            ],
            "when": [_pair(item.when) for item in items],
            "critical": [item.critical for item in items],
            "alert": [
                None if item.alert is None else [item.alert.answer, item.alert.text]
                for item in items
            ],
        },
    }


class _Unfit(ValueError):
    """A cache entry holds something the loader would never have made."""


def _texts(values: object, optional: bool = False) -> list[Any]:
    """A column of texts that are all safe to show (None too, where ``optional``).

    One join and one regex search check them all: the join refuses anything
    that is not a string, the search any character ``safetext`` refuses.
    """
    if type(values) is not list:
        raise _Unfit
    present = [value for value in values if value is not None] if optional else values
    try:
        joined = "\n".join(present)
    except TypeError:
        raise _Unfit from None
    if unsafe_character(joined, multiline=True) is not None:
        raise _Unfit
    return values


def _text(value: object, optional: bool = False) -> Any:
    return _texts([value], optional)[0]


def _of_types(values: object, *allowed: type) -> list[Any]:
    """A column whose values are all exactly of these types (so no bool passes as int)."""
    if type(values) is not list or not set(map(type, values)) <= set(allowed):
        raise _Unfit
    return values


def _window(value: object) -> Window | None:
    if value is None:
        return None
    if type(value) is not list or len(value) != 2:
        raise _Unfit
    start, end = _of_types(value, int, type(None))
    if start is None or any(abs(day) > MAX_DAYS for day in value if day is not None):
        raise _Unfit  # a huge number would overflow the date arithmetic later
    return Window(start, end)


def _show_if(value: object) -> ShowIf | None:
    if value is None:
        return None
    if type(value) is not list or len(value) != 2:
        raise _Unfit
    return ShowIf(*_texts(value))


def _alert(value: object) -> Alert | None:
    if value is None:
        return None
    if type(value) is not list or len(value) != 2:
        raise _Unfit
    answer, text = _texts(value)
    if answer not in ("yes", "no"):
        raise _Unfit
    return Alert(answer, text)


def _source(value: object) -> Source | None:
    if value is None:
        return None
    if type(value) is not list or len(value) != 3:
        raise _Unfit
    title, url, reviewed = _texts(value, optional=True)
    return Source(_text(title), url, reviewed)


def _items(columns: object) -> tuple[Item, ...]:
    """The items from their columns, every value checked against what the model holds."""
    if type(columns) is not dict or columns.keys() != set(ITEM_COLUMNS):
        raise _Unfit
    types = _texts(columns["type"])
    if not set(types) <= set(ITEM_TYPES):
        raise _Unfit
    values = (
        _texts(columns["id"]),
        types,
        _texts(columns["text"]),
        _texts(columns["details"], optional=True),
        _texts(columns["tell_surgeon"], optional=True),
        [_show_if(value) for value in _of_types(columns["show_if"], list, type(None))],
        [_window(value) for value in _of_types(columns["when"], list, type(None))],
        _of_types(columns["critical"], bool),
        [_alert(value) for value in _of_types(columns["alert"], list, type(None))],
    )
    if len({len(column) for column in values}) != 1:
        raise _Unfit  # ragged columns would silently drop items
    return _built(values)


def _built(columns: tuple[list[Any], ...]) -> tuple[Item, ...]:
    """The items of checked columns, each holding exactly the fields ``Item()`` sets.

    Built without the frozen ``__init__``, which calls ``object.__setattr__`` once
    per field: a long list builds tens of thousands of items on every run, and this
    takes a third less time. The round-trip tests compare them with the loader's.
    """
    new = object.__new__
    items = []
    for row in zip(*columns, strict=False):  # equal lengths are checked already (faster)
        item = new(Item)
        vars(item).update(zip(ITEM_COLUMNS, row, strict=False))
        items.append(item)
    return tuple(items)


def _from_json(content: dict[str, Any], path: Path, bundled: bool) -> Checklist:
    """The checklist a cache entry holds, or _Unfit when any value is not what it can be."""
    if content.keys() != CHECKLIST_KEYS or type(content["order"]) is not int:
        raise _Unfit
    if content["format"] not in FORMAT_VERSIONS or type(content["format"]) is not int:
        raise _Unfit
    return Checklist(
        id=_text(content["id"]),
        title=_text(content["title"]),
        items=_items(content["items"]),
        intro=_text(content["intro"], optional=True),
        order=content["order"],
        when=_window(content["when"]),
        source=_source(content["source"]),
        path=path,
        bundled=bundled,
        format=content["format"],
    )


def _pack(version: str, entries: dict[str, bytes]) -> bytes:
    """The cache file: one line of JSON (the version, and where each entry lies in
    what follows), then the entries' JSON texts back to back."""
    index: dict[str, list[int | str]] = {}
    offset = 0
    for key, text in entries.items():
        index[key] = [offset, len(text), _entry_digest(key, text)]
        offset += len(text)
    header = json.dumps({"version": version, "entries": index}).encode()
    return header + b"\n" + b"".join(entries.values())


def _unpack(data: bytes, version: str) -> dict[str, tuple[bytes, str]]:
    """The entries of a cache file of this version, each its JSON text; none for any
    other file. Only the index line is parsed here: an entry is parsed (and its
    digest checked) when used."""
    header, newline, body = data.partition(b"\n")  # JSON text never holds a raw newline
    if not newline:
        return {}
    try:
        document = json.loads(header)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return {}
    if type(document) is not dict or document.get("version") != version:
        return {}
    index = document.get("entries")
    if type(index) is not dict:
        return {}
    entries = {}
    for key, place in index.items():
        if type(place) is not list or len(place) != 3 or type(place[2]) is not str:
            continue
        start, length, digest = place
        if type(start) is not int or type(length) is not int:
            continue
        if start >= 0 and length >= 0 and start + length <= len(body):
            entries[key] = (body[start : start + length], digest)
    return entries


class ChecklistCache:
    """Validated checklists by a digest of each file's path and bytes, newest last."""

    def __init__(self, home: Path) -> None:
        self.path = home / CACHE_NAME
        self.version = _code_version()
        self.writable = True  # False when something other than a plain file is there
        self.entries = self._read()
        self.added: dict[str, bytes] = {}

    def _read(self) -> dict[str, tuple[bytes, str]]:
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
        return _unpack(data, self.version)

    def get(self, data: bytes, path: Path, bundled: bool) -> Checklist | None:
        """The cached checklist for these bytes, or None (then it is parsed and re-cached)."""
        key = _key(data, path, bundled)
        found = self.entries.get(key)
        if found is None:
            return None
        text, digest = found
        if _entry_digest(key, text) != digest:
            return None  # edited, cut short or moved: rebuilt from the file
        try:
            content = json.loads(text)
            return _from_json(content, path, bundled) if type(content) is dict else None
        except (ValueError, RecursionError):  # bad JSON or UTF-8, and _Unfit, are ValueErrors
            return None

    def put(self, data: bytes, checklist: Checklist) -> None:
        """Remember a checklist the loader has just validated (from ``checklist.path``)."""
        if checklist.path is None:
            return  # nothing to key it on
        text = json.dumps(_to_json(checklist), ensure_ascii=False)
        key = _key(data, checklist.path, checklist.bundled)
        self.added[key] = text.encode("utf-8", "surrogatepass")

    def save(self) -> None:
        """Write the cache when it changed and the data folder exists; never fails."""
        if not self.writable or not self.path.parent.is_dir():
            return
        self._remove_leftovers()
        if not self.added:
            return
        entries = {key: text for key, (text, _) in self.entries.items()}
        entries.update(self.added)
        newest = dict(list(entries.items())[-MAX_ENTRIES:])
        with contextlib.suppress(StorageError, OSError):
            atomic_write_bytes(self.path, _pack(self.version, newest))

    def _remove_leftovers(self) -> None:
        """Remove temp files that a killed cache write left (not one being written now).

        Every run looks, so the names are matched by hand: a glob pattern would be
        compiled into a regex first, which costs more than the listing itself.
        """
        prefix = temp_prefix(self.path)
        now = time.time()
        with contextlib.suppress(OSError):
            for candidate in self.path.parent.iterdir():
                name = candidate.name  # matched as the glob f"{prefix}*{TEMP_SUFFIX}" would
                if not name.startswith(prefix) or not name.endswith(TEMP_SUFFIX):
                    continue
                if len(name) < len(prefix) + len(TEMP_SUFFIX):
                    continue
                with contextlib.suppress(OSError):
                    found = candidate.lstat()
                    if stat.S_ISREG(found.st_mode) and now - found.st_mtime > LEFTOVER_AGE_SECONDS:
                        remove_quietly(candidate)
