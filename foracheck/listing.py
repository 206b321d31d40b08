"""What ``foracheck list`` prints: a plain table for people, JSON for scripts.

Plain text on purpose: listing must stay fast and must not need Rich. Titles
and paths are shown through ``safetext.shown``, one line each, never raw.
"""

from __future__ import annotations

import json

from foracheck.catalog import Catalog
from foracheck.model import Checklist
from foracheck.safetext import shown

LIST_FORMAT = 1


def origin(checklist: Checklist) -> str:
    """Where a checklist came from, as ``list`` shows it."""
    return "bundled" if checklist.bundled else str(checklist.path)


def as_table(catalog: Catalog) -> str:
    """Columns of id, title, item count and origin, one checklist a line."""
    rows = [("ID", "TITLE", "ITEMS", "FROM")] + [
        (shown(c.id, False), shown(c.title, False), str(len(c.items)), shown(origin(c), False))
        for c in catalog.checklists
    ]
    id_width = max(len(row[0]) for row in rows)
    title_width = max(len(row[1]) for row in rows)
    lines = [
        f"{row_id:<{id_width}}  {title:<{title_width}}  {items:>5}  {where}"
        for row_id, title, items, where in rows
    ]
    return "\n".join(lines) + "\n"


def as_json(catalog: Catalog) -> str:
    """A stable JSON object: ``format`` and one entry per checklist in walking order."""
    entries = [
        {
            "id": c.id,
            "title": c.title,
            "items": len(c.items),
            "order": c.order,
            "due_days_before": c.due_days_before,
            "origin": "bundled" if c.bundled else "extra",
            "path": str(c.path),
        }
        for c in catalog.checklists
    ]
    return json.dumps({"format": LIST_FORMAT, "checklists": entries}, indent=2) + "\n"
