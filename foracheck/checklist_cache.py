"""A cache of validated checklists, so that most commands never import YAML.

Parsing YAML (and importing PyYAML) is most of what ``list``, ``export`` and
``status`` would cost beyond Typer itself. The cache maps a fingerprint of each
file's bytes to the checklist the strict loader made of it; the fingerprint
also covers the loader's and the model's own source, so an edited list or a
changed foracheck is simply read again. Only valid lists are cached. The cache
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
from foracheck.model import Checklist, Item, ShowIf, Source

CACHE_NAME = "checklists-cache.json"
MAX_ENTRIES = 64  # plenty for the bundled lists and a clinic's; the oldest go first
_PACKAGE = Path(__file__).resolve().parent


def _checksum(data: bytes) -> str:
    return f"{len(data)}-{zlib.crc32(data):08x}-{zlib.adler32(data):08x}"


def _code_version() -> str:
    """Changes whenever the code that decides what a valid checklist is changes."""
    code = b"".join((_PACKAGE / name).read_bytes() for name in ("loader.py", "model.py"))
    return f"{__version__}/{_checksum(code)}"


def _to_json(checklist: Checklist) -> dict[str, Any]:
    content = dataclasses.asdict(checklist)
    del content["path"], content["bundled"]
    return content


def _from_json(content: dict[str, Any], path: Path, bundled: bool) -> Checklist:
    items = tuple(
        Item(**{**item, "show_if": ShowIf(**item["show_if"]) if item["show_if"] else None})
        for item in content["items"]
    )
    source = Source(**content["source"]) if content["source"] else None
    return Checklist(
        **{**content, "items": items, "source": source, "path": path, "bundled": bundled}
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
