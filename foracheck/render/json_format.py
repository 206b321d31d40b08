"""JSON for scripts: ``export --format json`` and ``status --json``.

The shape is the contract's, pinned by ``foracheck/schemas/export.schema.json``:
keys in a stable order, the items that apply, answers as stored. An answer saved
earlier to a follow-up that does not apply now is listed too, in its place, with
``applies: false`` and ``state: "hidden"``, so that nothing recorded vanishes. Any
control or bidirectional character is written as a ``\\uXXXX`` escape, never raw.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from foracheck import __version__
from foracheck.model import Checklist, Progress, Window
from foracheck.presentation import Row, export_time, listed_rows
from foracheck.render import Options
from foracheck.safetext import json_safe
from foracheck.timeline import window_dates
from foracheck.translation import in_base_words

FORMAT = 1
HIDDEN = "hidden"  # the state of an answer saved to a follow-up that does not apply now


def _window(window: Window | None, surgery_date: date | None) -> dict[str, Any] | None:
    """The step's window: local dates when the surgery date is known, and the phrases."""
    if window is None:
        return None
    start, end = window_dates(window, surgery_date) if surgery_date else (None, None)
    return {
        "from": start.isoformat() if start else None,
        "until": end.isoformat() if end else None,
        "from_text": window.start_text,
        "until_text": window.end_text,
    }


def _item(row: Row, today: date) -> dict[str, Any]:
    return {
        "id": row.item.id,
        "type": row.item.type,
        "text": row.item.text,
        "answer": row.answer.value if row.answer else None,
        "resolved": row.resolved,
        "note": row.note,
        "answered_at": row.answer.answered_at if row.answer else None,
        "answered_by": row.answer.by if row.answer else None,
        "tell_surgeon": row.tell_surgeon,
        "critical": row.item.critical,
        "window": _window(row.window, row.surgery_date),
        "state": HIDDEN if row.hidden else row.state(today),
        "applies": not row.hidden,
        "alert": row.alert,
    }


def document(
    checklists: Sequence[Checklist], progress: Progress, options: Options
) -> dict[str, Any]:
    """The export as a JSON-ready dict, for commands that add to it."""
    today = options.local_day()
    return {
        "format": FORMAT,
        "foracheck_version": __version__,
        "exported_at": export_time(options.now),
        "surgery_date": progress.surgery_date.isoformat() if progress.surgery_date else None,
        "checklists": [
            {
                "id": checklist.id,
                "title": checklist.title,
                "version": checklist.content_hash(),
                "items": [_item(row, today) for row in listed_rows(checklist, progress, today)],
            }
            # The base file's words whatever the language: scripts read the same file.
            for checklist in map(in_base_words, checklists)
        ],
    }


def dumps(data: dict[str, Any]) -> str:
    """UTF-8 friendly, indented JSON with a final newline, safe to print to a terminal:
    the bytes of ``json_safe(json.dumps(data, indent=2, ensure_ascii=False))``, made by
    ``_indented`` (the standard library's indenting encoder is pure Python and twice as
    slow, and searching the whole text for unsafe characters cost as much as writing it)."""
    parts: list[str] = []
    _indented(data, "\n", parts)
    return "".join(parts) + "\n"


_STRING = json.encoder.encode_basestring  # the C function where there is one


def _text(value: str) -> str:
    """A string as JSON with every unsafe character escaped (``json_safe``).

    The encoder already escapes the C0 controls, so a plain ASCII text can only
    hold DEL: ``json_safe``'s search runs on the rest alone (checking a string for
    ASCII costs nothing in CPython), not over every byte of the document.
    """
    encoded = _STRING(value)
    if encoded.isascii() and "\x7f" not in encoded:
        return encoded
    return json_safe(encoded)


@functools.lru_cache(maxsize=256)
def _key(key: str) -> str:
    """A key as written before its value: a document repeats a few keys thousands of times."""
    return _text(key) + ": "


def _indented(value: Any, newline: str, parts: list[str]) -> None:
    """``value`` as indented JSON, appended to ``parts``; ``newline`` starts its own
    lines (a line break and the current indentation). A string inside an object is
    written with its key, without a call of its own: most values are strings."""
    if isinstance(value, str):
        parts.append(_text(value))
    elif isinstance(value, dict) and value:
        inner = newline + "  "
        comma = "," + inner
        separator = "{" + inner
        for key, item in value.items():
            if type(item) is str:
                parts.append(separator + _key(key) + _text(item))
            else:
                parts.append(separator + _key(key))
                _indented(item, inner, parts)
            separator = comma
        parts.append(newline + "}")
    elif isinstance(value, list) and value:
        inner = newline + "  "
        comma = "," + inner
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            _indented(item, inner, parts)
            separator = comma
        parts.append(newline + "]")
    else:  # numbers, true, false, null, and empty objects and lists
        parts.append(_SCALARS.get(_scalar_key(value)) or json.dumps(value))


# The common scalars' text, without a call into the encoder for each (keyed by type
# too: ``True == 1`` and ``1 == 1.0``, which JSON writes differently).
_SCALARS = {
    (bool, True): "true",
    (bool, False): "false",
    (type(None), None): "null",
    (dict, None): "{}",
    (list, None): "[]",
}


def _scalar_key(value: Any) -> tuple[type, Any]:
    kind = type(value)
    return (kind, value if kind in (bool, type(None)) else None)


def export(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """The export as JSON text."""
    return dumps(document(checklists, progress, options))
