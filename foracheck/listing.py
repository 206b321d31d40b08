"""What ``foracheck list`` prints: a plain table for people, JSON for scripts.

Plain text on purpose: listing must stay fast and must not need Rich. Titles
and paths are shown through ``safetext.shown``, one line each, never raw.
"""

from __future__ import annotations

import json

from foracheck.catalog import Catalog
from foracheck.i18n import _, ngettext
from foracheck.model import Checklist, Window
from foracheck.safetext import shown

LIST_FORMAT = 1


def origin(checklist: Checklist) -> str:
    """Where a checklist came from, as ``list`` shows it."""
    return _("bundled") if checklist.bundled else str(checklist.path)


def as_table(catalog: Catalog) -> str:
    """Columns of id, title, item count and origin, one checklist a line."""
    rows = [(_("ID"), _("TITLE"), _("ITEMS"), _("FROM"))] + [
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


def as_sentences(catalog: Catalog) -> str:
    """The plain mode's list: one sentence per checklist, no columns to line up by ear."""
    count = len(catalog.checklists)
    lines = [ngettext("{count} checklist.", "{count} checklists.", count).format(count=count)]
    for c in catalog.checklists:
        items = len(c.items)
        if c.bundled:
            line = ngettext(
                "{id}: {title}. {items} item, bundled.",
                "{id}: {title}. {items} items, bundled.",
                items,
            )
        else:
            line = ngettext(
                "{id}: {title}. {items} item, from {path}.",
                "{id}: {title}. {items} items, from {path}.",
                items,
            )
        words = {
            "id": shown(c.id, False),
            "title": shown(c.title, False),
            "path": shown(origin(c), False),
        }
        lines.append(line.format(items=items, **words))
    return "\n".join(lines) + "\n"


def _days_before(window: Window | None) -> int | None:
    """The old field, kept for scripts: N when the window is "N days before until surgery day"."""
    if window is None or window.end != 0 or window.start > 0:
        return None
    return -window.start


def _when(window: Window | None) -> dict[str, str | None] | None:
    """A list's timing as its file says it (format 1's due_days_before is mapped)."""
    if window is None:
        return None
    return {"from": window.start_text, "until": window.end_text}


def as_json(catalog: Catalog) -> str:
    """A stable JSON object: ``format`` and one entry per checklist in walking order."""
    entries = [
        {
            "id": c.id,
            "title": c.title,
            "items": len(c.items),
            "order": c.order,
            "due_days_before": _days_before(c.when),
            "when": _when(c.when),
            "origin": "bundled" if c.bundled else "extra",
            "path": str(c.path),
        }
        for c in catalog.checklists
    ]
    return json.dumps({"format": LIST_FORMAT, "checklists": entries}, indent=2) + "\n"


def listed(catalog: Catalog, for_scripts: bool, plain: bool) -> str:
    """What ``list`` prints: JSON for scripts, sentences in the plain mode, else a table."""
    if for_scripts:
        return as_json(catalog)
    return as_sentences(catalog) if plain else as_table(catalog)
