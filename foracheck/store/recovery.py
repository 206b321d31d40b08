"""Starting over and bringing answers back: ``reset`` and ``restore``, both all or nothing.

The last good state outlives any later command: ``reset`` keeps every copy, sets
the backup aside and writes a fresh, empty progress of a new lineage (so that
later writers do not mistake it for a lost state); ``restore`` puts the best
kept copy (or a named file) back and keeps what it replaces, readable or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from foracheck import kept_text
from foracheck.errors import CorruptProgressError, InputFileMissingError, StorageError
from foracheck.fsutil import NotRegularFileError
from foracheck.i18n import _
from foracheck.lock import ProgressLock
from foracheck.model import Progress
from foracheck.paths import Locations
from foracheck.safetext import name
from foracheck.store.codec import _Unreadable, parse
from foracheck.store.kept import (
    KeptCopy,
    best_copy,
    keep_replaced,
    kind_of,
    read_bytes,
    read_copy,
    remove_stale_temp_files,
    set_aside,
)
from foracheck.store.reading import find_lost_state, move_damaged_aside
from foracheck.store.writer import ProgressWriter, ensure_home, start_over


@dataclass(frozen=True)
class ResetOutcome:
    """What ``reset`` kept: the progress it cleared and the backup, where there were any."""

    progress_copy: Path | None
    backup_copy: Path | None
    started_over: bool


def reset(locations: Locations) -> ResetOutcome:
    """Start over on purpose: every copy is kept, and a fresh progress of a new lineage begins.

    With nothing saved and nothing kept, nothing is written (``started_over`` False).
    """
    ensure_home(locations)
    with ProgressLock(locations.lock_file, "reset"):
        remove_stale_temp_files(locations)
        progress_file = locations.progress_file
        exists = read_bytes(progress_file) is not None  # a link there is refused, not moved
        if not exists and find_lost_state(locations) is None:
            return ResetOutcome(None, None, started_over=False)
        progress_copy = None
        if exists:
            try:
                progress_copy = set_aside(progress_file, ".reset-")
            except OSError as error:
                message = _("Could not reset {path} ({reason}).")
                raise StorageError(
                    message.format(path=name(progress_file), reason=error.strerror)
                ) from None
        writer = ProgressWriter(locations, Progress(), None, None)
        backup_copy = start_over(writer)
        return ResetOutcome(progress_copy, backup_copy, started_over=True)


@dataclass(frozen=True)
class Restored:
    """What ``restore`` did: the copy it brought back, and where the replaced state went."""

    copy: KeptCopy
    replaced_copy: Path | None
    unchanged: bool


def restore(locations: Locations, source: Path | None = None) -> Restored:
    """Bring back the best kept copy, or ``source``; all or nothing, the replaced state kept.

    A short write: it waits for a ``mark`` like any other.
    """
    ensure_home(locations)
    with ProgressLock(locations.lock_file, "restore"):
        remove_stale_temp_files(locations)
        copy = _named_copy(locations, source) if source else best_copy(locations)
        if copy is None:
            raise InputFileMissingError(kept_text.nothing_to_restore(locations.home))
        return _put_back(locations, copy)


def _named_copy(locations: Locations, source: Path) -> KeptCopy:
    """The file the user named: a kept copy's name in the data folder, or any path."""
    in_home = locations.home / source.name
    path = in_home if source.parent == Path() and not source.exists() else source
    try:
        copy = read_copy(path, kind_of(locations, path) or "a copy", follow_links=True)
        _refuse_later_than_tomorrow(copy.progress)
        return copy
    except FileNotFoundError:
        message = _("{path}: no such file. Nothing was changed.")
        raise InputFileMissingError(message.format(path=name(source))) from None
    except NotRegularFileError:
        message = _("{path}: not a regular file. Nothing was changed.")
        raise InputFileMissingError(message.format(path=name(source))) from None
    except OSError as error:
        message = _("Could not read {path} ({reason}). Nothing was changed.")
        raise StorageError(message.format(path=name(source), reason=error.strerror)) from None
    except _Unreadable as error:
        message = _(
            "{path} is not a foracheck progress file that can be read ({why}). Nothing was changed."
        )
        raise CorruptProgressError(message.format(path=name(source), why=error)) from None


def _refuse_later_than_tomorrow(progress: Progress) -> None:
    """A named file brings in answers from elsewhere: like ``import``, it may not bring
    an answer time later than tomorrow, which would win every later comparison."""
    from foracheck.dates import DateProblem, local_now, parse_time

    now = local_now()
    for answers in progress.answers.values():
        for answer in answers.values():
            try:
                parse_time(answer.answered_at, now)
            except DateProblem as problem:
                raise _Unreadable(str(problem).rstrip(".")) from None


def _put_back(locations: Locations, copy: KeptCopy) -> Restored:
    """Replace the progress with ``copy``, keeping what was there (readable or not)."""
    current = read_bytes(locations.progress_file)
    if current is None:
        return _write_restored(locations, copy, None)
    try:
        parsed = parse(current)
    except _Unreadable as error:
        return _write_restored(locations, copy, move_damaged_aside(locations, str(error)).damaged)
    if parsed.progress == copy.progress:
        return Restored(copy, None, unchanged=True)
    empty = parsed.progress == Progress()  # a fresh start holds nothing worth a copy
    return _write_restored(locations, copy, None if empty else keep_replaced(locations, current))


def _write_restored(locations: Locations, copy: KeptCopy, replaced_copy: Path | None) -> Restored:
    ProgressWriter(locations, Progress(), None, None).replace_state(copy.progress, copy.lineage)
    return Restored(copy, replaced_copy, unchanged=False)
