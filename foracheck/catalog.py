"""The set of checklists in use: the bundled ones, replaced or joined by a clinic's.

A clinic adapts a list by putting a file with the same ``id`` in an extra
checklist path; that file then replaces the bundled one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from foracheck.checklist_cache import ChecklistCache
from foracheck.errors import InputFileMissingError, InvalidChecklistError, UsageError
from foracheck.fsutil import read_capped
from foracheck.model import CHECKLIST_MAX_BYTES, Checklist
from foracheck.paths import Locations, bundled_checklists_dir
from foracheck.safetext import shown

CHECKLIST_SUFFIXES = (".yaml", ".yml")


def checklist_files(path: Path) -> list[Path]:
    """The checklist files a path names: the file itself, or a folder's YAML files.

    Each is read later with ``read_capped``, which refuses a FIFO or device
    (even one named ``x.yaml``) instead of waiting on it.
    """
    try:
        if path.is_dir():
            return sorted(child for child in path.iterdir() if child.suffix in CHECKLIST_SUFFIXES)
        if not path.exists():
            raise InputFileMissingError(
                f"{shown(str(path), multiline=False)}: no such file or folder."
            )
    except OSError as error:
        raise InputFileMissingError(
            f"{shown(str(path), multiline=False)}: cannot be read ({error.strerror})."
        ) from None
    return [path]


def load_files(
    paths: Iterable[Path], bundled: bool, cache: ChecklistCache | None = None
) -> tuple[list[Checklist], list[str]]:
    """Load every file, returning the good checklists and all problem lines.

    With a cache, files seen before (byte for byte) are not parsed again.
    """
    checklists: list[Checklist] = []
    problems: list[str] = []
    for path in paths:
        data = read_capped(path, CHECKLIST_MAX_BYTES)
        checklist = cache.get(data, path, bundled) if cache else None
        if checklist is None:
            from foracheck.loader import parse_checklist

            checklist, file_problems = parse_checklist(data, path, bundled)
            problems += [problem.format(path) for problem in file_problems]
            if checklist is not None and cache:
                cache.put(data, checklist)
        if checklist is not None:
            checklists.append(checklist)
    return checklists, problems


def duplicate_id_problems(checklists: Iterable[Checklist]) -> list[str]:
    """A problem line for each checklist whose id an earlier one already uses."""
    first_seen: dict[str, Checklist] = {}
    problems = []
    for checklist in checklists:
        earlier = first_seen.setdefault(checklist.id, checklist)
        if earlier is not checklist:
            problems.append(
                f"{checklist.path}:1:1: the id '{checklist.id}' is already used by {earlier.path}"
            )
    return problems


@dataclass(frozen=True)
class Catalog:
    """The loaded checklists, in walking order (``order``, then ``id``)."""

    checklists: tuple[Checklist, ...]

    @property
    def ids(self) -> list[str]:
        """Every checklist id, in walking order."""
        return [checklist.id for checklist in self.checklists]

    def get(self, list_id: str) -> Checklist:
        """One checklist, or a usage error that names the ids there are."""
        for checklist in self.checklists:
            if checklist.id == list_id:
                return checklist
        raise UsageError(
            f"There is no checklist called '{shown(list_id, multiline=False)}'. "
            f"The checklists are: {', '.join(self.ids)}."
        )

    def select(self, list_ids: Sequence[str]) -> list[Checklist]:
        """The named checklists in walking order, or all of them when none are named."""
        if not list_ids:
            return list(self.checklists)
        wanted = {self.get(list_id).id for list_id in list_ids}
        return [checklist for checklist in self.checklists if checklist.id in wanted]


def load_catalog(locations: Locations) -> Catalog:
    """Load the bundled checklists and every extra path; any invalid file stops us (65)."""
    cache = ChecklistCache(locations.home)
    bundled, problems = load_files(checklist_files(bundled_checklists_dir()), True, cache)
    extra_files = [file for path in locations.extra_checklists for file in checklist_files(path)]
    extra, extra_problems = load_files(extra_files, False, cache)
    with contextlib.suppress(OSError):  # the cache is never required (a data folder path
        cache.save()  # too long to use is reported by the command that needs the folder)
    problems += extra_problems + duplicate_id_problems(extra)
    if problems:
        raise InvalidChecklistError(problems)
    replaced = {checklist.id for checklist in extra}
    merged = [checklist for checklist in bundled if checklist.id not in replaced] + extra
    merged.sort(key=lambda checklist: (checklist.order, checklist.id))
    return Catalog(tuple(merged))
