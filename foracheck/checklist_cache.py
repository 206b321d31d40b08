"""A cache of validated checklists, so that most commands never import YAML.

Parsing YAML (and importing PyYAML) is most of what ``list``, ``export`` and
``status`` would cost beyond Typer itself. The cache maps a fingerprint of each
file's bytes to the checklist the strict loader made of it; the cache is keyed
on foracheck's version and ``CACHE_VERSION``, so an edited list or a changed
foracheck is simply read again. Only valid lists are cached. The cache
lives in the data folder and is written only where that folder already exists.
It is never needed: an unreadable or unwritable cache just means a slower start.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import zlib
from pathlib import Path
from typing import Any

from foracheck import __version__
from foracheck.errors import StorageError
from foracheck.fsutil import atomic_write_text
from foracheck.model import Checklist, Item, ShowIf, Source, Window

CACHE_NAME = "checklists-cache.json"
MAX_ENTRIES = 64  # plenty for the bundled lists and a clinic's; the oldest go first
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
    del content["path"], content["bundled"]
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


class ChecklistCache:
    """Validated checklists by file fingerprint, newest last."""

    def __init__(self, home: Path) -> None:
        self.path = home / CACHE_NAME
        self.version = _code_version()
        self.entries = self._read()
        self.added: dict[str, dict[str, Any]] = {}

    def _read(self) -> dict[str, Any]:
        with contextlib.suppress(OSError, ValueError):
            document = json.loads(self.path.read_bytes())
            if isinstance(document, dict) and document.get("version") == self.version:
                entries = document.get("entries")
                if isinstance(entries, dict):
                    return entries
        return {}

    def get(self, data: bytes, path: Path, bundled: bool) -> Checklist | None:
        """The cached checklist for these bytes, or None."""
        key = _checksum(data)
        content = self.entries.get(key)
        if content is None:
            return None
        try:
            return _from_json(content, path, bundled)
        except (TypeError, KeyError, ValueError):
            return None

    def put(self, data: bytes, checklist: Checklist) -> None:
        """Remember a checklist the loader has just validated."""
        self.added[_checksum(data)] = _to_json(checklist)

    def save(self) -> None:
        """Write the cache when it changed and the data folder exists; never fails."""
        if not self.added or not self.path.parent.is_dir():
            return
        entries = {**self.entries, **self.added}
        newest = dict(list(entries.items())[-MAX_ENTRIES:])
        document = {"version": self.version, "entries": newest}
        with contextlib.suppress(StorageError, OSError):
            atomic_write_text(self.path, json.dumps(document, ensure_ascii=False))
