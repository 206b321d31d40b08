"""The set of checklists in use: the bundled ones, replaced or joined by a clinic's.

A clinic adapts a list by putting a file with the same ``id`` in an extra
checklist path; that file then replaces the bundled one.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from foracheck.checklist_cache import ChecklistCache
from foracheck.errors import InputFileMissingError, InvalidChecklistError, UsageError
from foracheck.fsutil import read_capped
from foracheck.i18n import _, language, ngettext
from foracheck.model import BASE_LANGUAGE, CHECKLIST_MAX_BYTES, Checklist
from foracheck.paths import Locations, bundled_checklists_dir
from foracheck.safetext import shown
from foracheck.stdio import say
from foracheck.translation import (
    base_path,
    mismatches,
    shown_in,
    sibling_translations,
    split_name,
    with_translations,
)

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
                _("{path}: no such file or folder.").format(path=shown(str(path), multiline=False))
            )
    except OSError as error:
        raise InputFileMissingError(
            _("{path}: cannot be read ({reason}).").format(
                path=shown(str(path), multiline=False), reason=error.strerror
            )
        ) from None
    return [path]


def _load_file(
    path: Path, bundled: bool, cache: ChecklistCache | None
) -> tuple[Checklist | None, list[str]]:
    """One file: its checklist (from the cache when its bytes were seen before) or problems.

    A translation file is a checklist like any other, in its name's language.
    """
    data = read_capped(path, CHECKLIST_MAX_BYTES)
    checklist = cache.get(data, path, bundled) if cache else None
    problems: list[str] = []
    if checklist is None:
        from foracheck.loader import parse_checklist

        checklist, file_problems = parse_checklist(data, path, bundled)
        problems = [problem.format(path) for problem in file_problems]
        if checklist is not None and cache:
            cache.put(data, checklist)
    language = split_name(path)[1]
    if checklist is not None and language is not None:
        checklist = dataclasses.replace(checklist, language=language)
    return checklist, problems


def _with_siblings(paths: Iterable[Path]) -> list[Path]:
    """The paths, each base file followed by the translations beside it (once each)."""
    wanted: dict[Path, None] = {}
    for path in paths:
        wanted[path] = None
        if split_name(path)[1] is None:
            wanted.update(dict.fromkeys(sibling_translations(path)))
    return list(wanted)


def _translation_problems(
    translation: Checklist, base: Checklist | None, base_file: Path
) -> list[str]:
    """Why a translation cannot be used with its base file (none when it fits)."""
    assert translation.path is not None  # every loaded file has one
    where = translation.path
    if base is None:
        if base_file.exists():
            why = _("{where}:1:1: its base file {name} is not valid; a translation needs it")
        else:
            why = _("{where}:1:1: its base file {name} does not exist; a translation needs it")
        message = why.format(where=where, name=base_file.name)
        return [shown(message, multiline=False)]
    found = mismatches(base, translation)
    if not found:
        return []
    from foracheck.loader import mismatch_problems

    data = read_capped(where, CHECKLIST_MAX_BYTES)
    return [problem.format(where) for problem in mismatch_problems(data, found)]


def load_files(
    paths: Iterable[Path], bundled: bool, cache: ChecklistCache | None = None
) -> tuple[list[Checklist], list[str]]:
    """Load every file, returning the good checklists and all problem lines.

    A base file's translations (``NAME.LANG.yaml`` beside it) are loaded too and
    checked against it: the base lists come back carrying the words of the ones
    that fit, and each translation also comes back on its own (with its
    ``language``) for ``validate`` to report; the catalog leaves those out.
    With a cache, files seen before (byte for byte) are not parsed again.
    """
    files = _with_siblings(paths)
    loaded: dict[Path, Checklist | None] = {}
    problems: list[str] = []
    for path in files:
        loaded[path], file_problems = _load_file(path, bundled, cache)
        problems += file_problems
    translations: dict[Path, list[Checklist]] = {}
    for path, checklist in list(loaded.items()):
        if checklist is None or checklist.language == BASE_LANGUAGE:
            continue
        base_file = base_path(path)
        if base_file not in loaded and base_file.is_file():
            loaded[base_file] = _load_file(base_file, bundled, cache)[0]
        misfits = _translation_problems(checklist, loaded.get(base_file), base_file)
        problems += misfits
        if misfits:
            loaded[path] = None  # not "ok", and never shown
        else:
            translations.setdefault(base_file, []).append(checklist)
    checklists = [
        with_translations(checklist, translations.get(path, []))
        if checklist.language == BASE_LANGUAGE
        else checklist
        for path in files  # not a base file read only to check a translation
        if (checklist := loaded[path]) is not None
    ]
    return checklists, problems


def duplicate_id_problems(checklists: Iterable[Checklist]) -> list[str]:
    """A problem line for each checklist whose id an earlier one already uses."""
    first_seen: dict[str, Checklist] = {}
    problems = []
    for checklist in checklists:
        if checklist.language != BASE_LANGUAGE:
            continue  # a translation shares its base file's id
        earlier = first_seen.setdefault(checklist.id, checklist)
        if earlier is not checklist:
            problems.append(
                _("{path}:1:1: the id '{id}' is already used by {other}").format(
                    path=checklist.path, id=checklist.id, other=earlier.path
                )
            )
    return problems


class Catalog(NamedTuple):
    """The loaded checklists, in walking order (``order``, then ``id``)."""

    # A NamedTuple, not a frozen dataclass: a quarter of the cost to define
    # (every command that reads the lists makes one).
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
        from foracheck.suggest import did_you_mean

        message = _("There is no checklist called '{list_id}'.").format(
            list_id=shown(list_id, multiline=False)
        )
        known = _("The checklists are: {ids}.").format(ids=", ".join(self.ids))
        raise UsageError(message + did_you_mean(list_id, self.ids) + " " + known)

    def select(self, list_ids: Sequence[str]) -> list[Checklist]:
        """The named checklists in walking order, or all of them when none are named."""
        if not list_ids:
            return list(self.checklists)
        wanted = {self.get(list_id).id for list_id in list_ids}
        return [checklist for checklist in self.checklists if checklist.id in wanted]


def load_catalog(locations: Locations, keep_cache: bool = True) -> Catalog:
    """Load the bundled checklists and every extra path; any invalid file stops us (65).
    ``keep_cache=False``: the cache is read but never written (the folder stays as it is)."""
    cache = ChecklistCache(locations.home)
    bundled, problems = load_files(checklist_files(bundled_checklists_dir()), True, cache)
    extra_files = [file for path in locations.extra_checklists for file in checklist_files(path)]
    extra, extra_problems = load_files(extra_files, False, cache)
    with contextlib.suppress(OSError):  # the cache is never required (a data folder path
        if keep_cache:  # too long to use is reported by the command that needs the folder)
            cache.save()
    problems += extra_problems + duplicate_id_problems(extra)
    if problems:
        raise InvalidChecklistError(problems)
    bundled, extra = base_lists(bundled), base_lists(extra)
    replaced = {checklist.id for checklist in extra}
    merged = [checklist for checklist in bundled if checklist.id not in replaced] + extra
    merged.sort(key=lambda checklist: (checklist.order, checklist.id))
    worded, untranslated = shown_in(merged, language())
    for title in untranslated:
        say(
            _("The list '{title}' is not translated; it is shown in English.").format(
                title=shown(title, multiline=False)
            )
        )
    return Catalog(tuple(worded))


def base_lists(checklists: Iterable[Checklist]) -> list[Checklist]:
    """The base lists: a translation is never a list of its own, only its base's words."""
    return [checklist for checklist in checklists if checklist.language == BASE_LANGUAGE]


def validate(files: Sequence[Path]) -> tuple[list[str], list[str]]:
    """``validate``: a line for each good checklist in ``files`` (files or folders), and
    every problem found, as FILE:LINE:COL: message."""
    paths = [file for path in files for file in checklist_files(path)]
    checklists, problems = load_files(paths, bundled=False)
    problems += duplicate_id_problems(checklists)
    lines = []
    for checklist in checklists:
        count = len(checklist.items)
        items = ngettext("{count} item", "{count} items", count).format(count=count)
        where = shown(str(checklist.path), multiline=False)  # a file name can hold anything
        lines.append(f"{where}: ok ({checklist.id}, {items})\n")
    return lines, problems
