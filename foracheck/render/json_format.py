"""JSON for scripts: ``export --format json`` and ``status --json``.

The shape is the contract's, pinned by ``foracheck/schemas/export.schema.json``:
keys in a stable order, only the items that apply, answers as stored. Any
control or bidirectional character is written as a ``\\uXXXX`` escape, never raw.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from foracheck import __version__
from foracheck.model import Checklist, Progress
from foracheck.render import Options
from foracheck.render.content import Row, export_time, exported_rows
from foracheck.safetext import json_safe

FORMAT = 1


def _item(row: Row) -> dict[str, Any]:
    return {
        "id": row.item.id,
        "type": row.item.type,
        "text": row.item.text,
        "answer": row.answer.value if row.answer else None,
        "resolved": row.resolved,
        "note": row.note,
        "answered_at": row.answer.answered_at if row.answer else None,
        "tell_surgeon": row.tell_surgeon,
    }


def document(
    checklists: Sequence[Checklist], progress: Progress, options: Options
) -> dict[str, Any]:
    """The export as a JSON-ready dict, for commands that add to it."""
    return {
        "format": FORMAT,
        "foracheck_version": __version__,
        "exported_at": export_time(options.now),
        "surgery_date": progress.surgery_date.isoformat() if progress.surgery_date else None,
        "checklists": [
            {
                "id": checklist.id,
                "title": checklist.title,
                "items": [_item(row) for row in exported_rows(checklist, progress)],
            }
            for checklist in checklists
        ],
    }


def dumps(data: dict[str, Any]) -> str:
    """UTF-8 friendly, indented JSON with a final newline, safe to print to a terminal."""
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def export(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """The export as JSON text."""
    return dumps(document(checklists, progress, options))
