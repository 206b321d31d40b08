"""What every command needs from the global options, and shell completion from them.

The global options (``--home``, ``--checklists``, ``--plain``, ``--lang``) are read
once per run into an ``AppContext``; a shell asking for completions reads the same
options from the half-typed line, and gets nothing rather than an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer  # completion callbacks' annotations are read by Typer at run time

from foracheck.errors import UsageError
from foracheck.i18n import _
from foracheck.paths import Locations

if TYPE_CHECKING:
    from foracheck.catalog import Catalog


@dataclass
class AppContext:
    """What every command needs, built once from the global options."""

    locations: Locations
    plain: bool = False  # the screen-reader mode; screens read it via accessible.plain_mode()
    _catalog: Catalog | None = None

    @property
    def catalog(self) -> Catalog:
        """The checklists in use, loaded on first need."""
        return self.load_catalog()

    def load_catalog(self, keep_cache: bool = True) -> Catalog:
        """The checklists in use; ``keep_cache=False`` writes nothing into the data folder
        (``print --from``: another patient's file on a nurse's computer)."""
        if self._catalog is None:
            from foracheck.catalog import load_catalog

            self._catalog = load_catalog(self.locations, keep_cache)
        return self._catalog


def home_folder(value: str | None) -> Path | None:
    """The --home folder; an empty one is refused rather than read as the current folder."""
    if value is None:
        return None
    if not value.strip():
        raise UsageError(
            _(
                "--home needs a folder name; an empty one would mean the current folder. "
                "Leave --home out to use the usual place."
            )
        )
    return Path(value).expanduser()


def from_globals(
    home: str | None, checklists: list[Path] | None, plain: bool, lang: str | None
) -> AppContext:
    """The context of this run: the language chosen, the folders found, the mode decided."""
    from foracheck import i18n
    from foracheck.accessible import decide
    from foracheck.invocation import use_globals

    asked = None if lang is None else i18n.known(lang, "--lang")
    if asked is not None and asked != i18n.language():  # cli._run chose it already
        i18n.use_language(asked)
    locations = Locations.resolve(home=home_folder(home), checklists=checklists or ())
    use_globals(home, [str(path) for path in checklists or ()])
    return AppContext(locations, plain=decide(plain))


def app_context(ctx: typer.Context) -> AppContext:
    """The run's context, as the global options callback left it."""
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext)
    return obj


def _completion_catalog(ctx: typer.Context) -> Catalog | None:
    """The checklists as the command line being completed would load them, or None:
    a shell asking for completions gets none rather than an error."""
    from foracheck.catalog import load_catalog
    from foracheck.errors import ForacheckError

    root = ctx.find_root().params
    try:
        home = home_folder(root.get("home"))
        locations = Locations.resolve(home=home, checklists=root.get("checklists") or ())
        return load_catalog(locations)
    except (ForacheckError, OSError, ValueError):
        return None


def complete_list_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """`foracheck show <TAB>`: the ids of the checklists in use."""
    catalog = _completion_catalog(ctx)
    ids = [checklist.id for checklist in catalog.checklists] if catalog else []
    return [list_id for list_id in ids if list_id.startswith(incomplete)]


def complete_item_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """`foracheck mark week-before <TAB>`: the item ids of the list already typed."""
    catalog = _completion_catalog(ctx)
    list_id = ctx.params.get("list_id")
    checklist = next((c for c in catalog.checklists if c.id == list_id), None) if catalog else None
    ids = [item.id for item in checklist.items] if checklist else []
    return [item_id for item_id in ids if item_id.startswith(incomplete)]
