"""Saving progress: the data folder, the lock, atomic durable saves, the backup's rotation.

One writer at a time holds the lock (``open_for_writing``); a save is written
to a temp file beside the target, read back and validated, then renamed over it,
with signals held back so an answer is stored whole or not at all. The state
being replaced becomes the backup, but only over a backup of the same lineage:
before another lineage's state would replace it, the backup is kept as
``.bak-<time>``. A lost or unreadable state is never written over: the writer
refuses, or ``on_lost`` (``start``) chooses between the best copy and a fresh
start of a new lineage.
"""

from __future__ import annotations

import contextlib
import dataclasses
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from foracheck import kept_text
from foracheck.errors import CorruptProgressError, LostProgressError, StorageError
from foracheck.fsutil import (
    PRIVATE_DIR,
    atomic_write_bytes,
    read_regular,
    remove_quietly,
    replace,
    write_temp,
)
from foracheck.i18n import _
from foracheck.lock import ProgressLock
from foracheck.model import Progress
from foracheck.paths import Locations
from foracheck.remembered import forget
from foracheck.safetext import name
from foracheck.signals import deferred
from foracheck.stdio import say
from foracheck.store.codec import (
    MAX_PROGRESS_BYTES,
    _Unreadable,
    decode,
    encode,
    new_lineage,
    parse,
)
from foracheck.store.kept import (
    KeptCopy,
    keep_pre_migration_copy,
    read_bytes,
    remove_stale_temp_files,
    set_aside,
    set_backup_aside,
)
from foracheck.store.reading import LostState, find_lost_state, move_damaged_aside


def ensure_home(locations: Locations) -> None:
    """Create the data folder (and any missing parents) private to this user, whatever
    the umask; warn when an existing one can be changed by other users."""
    home = locations.home
    try:
        missing = [folder for folder in (home, *home.parents) if not folder.exists()]
        for folder in reversed(missing):
            folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
            folder.chmod(PRIVATE_DIR)  # mkdir's mode is cut by the umask, never widened
        mode = home.stat().st_mode
    except OSError as error:
        message = _("Could not create the data folder {home} ({reason}).")
        raise StorageError(message.format(home=name(home), reason=error.strerror)) from None
    if not stat.S_ISDIR(mode):
        message = _("The data folder {home} is not a folder. Please choose another.")
        raise StorageError(message.format(home=name(home)))
    if not missing and mode & (stat.S_IWGRP | stat.S_IWOTH):
        message = _(
            "Warning: other users can change files in your data folder {home}. "
            "To keep your answers private, run: chmod 700 {home}"
        )
        say(message.format(home=name(home)))


@dataclass(frozen=True)
class Recovered:
    """What ``open_for_writing`` did about a lost state (``kept_text.recovered`` says it):
    the copy it brought back, or, having started over, where the set-aside answers
    stay (``backup_kept``: the backup was set aside at ``kept_at``)."""

    restored: KeptCopy | None = None
    kept_at: Path | None = None
    backup_kept: bool = False


class ProgressWriter:
    """Saves progress under the lock; built by ``open_for_writing``.

    ``lineage`` is the lineage of the state on disk, which every save keeps;
    ``recovered`` says what ``open_for_writing`` did about a lost state, if anything.
    """

    def __init__(
        self, locations: Locations, progress: Progress, on_disk: bytes | None, lineage: str | None
    ) -> None:
        self.locations = locations
        self.progress = progress
        self.lineage = lineage
        self.recovered: Recovered | None = None
        self._on_disk = on_disk

    def save(self, progress: Progress) -> None:
        """Save durably; only then does ``self.progress`` change. StorageError on failure.

        Ctrl-C, SIGTERM and a hang-up are held back until the save is done, so an
        answer is stored whole or not at all.
        """
        moved = self.progress.surgery_date not in (None, progress.surgery_date)
        if moved:  # the calendar's SEQUENCE: events already on a phone move with it
            changes = max(progress.date_changes, self.progress.date_changes + 1)
            progress = dataclasses.replace(progress, date_changes=changes)
        with deferred():
            self._write(progress, self.lineage, rotate=True)

    def replace_state(self, progress: Progress, lineage: str | None) -> None:
        """Put another state (a restored copy, a fresh start) in place, backup untouched."""
        with deferred():
            self._write(progress, lineage, rotate=False)

    def _write(self, progress: Progress, lineage: str | None, rotate: bool) -> None:
        forget()  # what was read for the settings is no longer the file
        data = encode(progress, lineage)
        path = self.locations.progress_file
        try:
            temp = write_temp(path, data)
            with contextlib.ExitStack() as cleanup:
                cleanup.callback(remove_quietly, temp)
                if temp.read_bytes() != data:
                    message = _("Could not save to {path}: the written copy did not match.")
                    raise StorageError(message.format(path=name(path)))
                try:
                    decode(data)
                except _Unreadable as error:  # a bug, never the patient's data: keep the old file
                    message = _(
                        "Could not save to {path}: the new copy did not read back ({why}). "
                        "What was saved before is unchanged."
                    )
                    raise StorageError(message.format(path=name(path), why=error)) from None
                if rotate and self._on_disk is not None and self._on_disk != data:
                    self._rotate_backup(self._on_disk)
                replace(temp, path)
                cleanup.pop_all()
        except OSError as error:
            message = _(
                "Could not save your answers to {path} ({reason}). "
                "What was saved before is unchanged."
            )
            raise StorageError(
                message.format(path=name(path), reason=error.strerror or error)
            ) from None
        self._on_disk = data
        self.progress = progress
        self.lineage = lineage

    def _rotate_backup(self, previous: bytes) -> None:
        """The state being replaced becomes the backup, but never over another lineage's."""
        backup = self.locations.backup_file
        if not _holds_lineage(backup, self.lineage):
            set_aside(backup, "-")
        atomic_write_bytes(backup, previous)


def _holds_lineage(path: Path, lineage: str | None) -> bool:
    """Whether ``path`` is absent or a readable state of this lineage (so it may be replaced)."""
    try:
        data = read_regular(path, MAX_PROGRESS_BYTES)
    except OSError:
        return False
    if data is None:
        return True
    try:
        return parse(data).lineage == lineage
    except (_Unreadable, CorruptProgressError):
        return False


# What ``start`` decides on a lost state: True restores ``lost.best``, False starts over.
OnLost = Callable[[LostState], bool]


@contextlib.contextmanager
def open_for_writing(
    locations: Locations, command: str = "write", on_lost: OnLost | None = None
) -> Iterator[ProgressWriter]:
    """Hold the lock while changing progress; unreadable files raise, never get replaced.

    ``command`` is recorded in the lock file (``start`` is not waited for). A lost
    state raises, unless ``on_lost`` is given: then it decides, and the writer
    comes back restored or fresh, with ``recovered`` saying which.
    """
    ensure_home(locations)
    with ProgressLock(locations.lock_file, command):
        remove_stale_temp_files(locations)
        yield _open_writer(locations, on_lost)


def _open_writer(locations: Locations, on_lost: OnLost | None) -> ProgressWriter:
    data = read_bytes(locations.progress_file)
    if data is None:
        lost = find_lost_state(locations)
        if lost is None:  # first use: a new lineage begins
            return ProgressWriter(locations, Progress(), None, new_lineage())
        return _recover(locations, lost, on_lost, LostProgressError)
    try:
        parsed = parse(data)
    except _Unreadable as error:
        return _recover(
            locations, move_damaged_aside(locations, str(error)), on_lost, CorruptProgressError
        )
    if parsed.migrated():
        keep_pre_migration_copy(locations, parsed.schema, data)
    return ProgressWriter(locations, parsed.progress, data, parsed.lineage)


def _recover(
    locations: Locations,
    lost: LostState,
    on_lost: OnLost | None,
    refusal: type[LostProgressError] | type[CorruptProgressError],
) -> ProgressWriter:
    """Refuse, or let ``on_lost`` choose between the best copy and a fresh start."""
    if on_lost is None:
        raise refusal(kept_text.refusal(lost))
    writer = ProgressWriter(locations, Progress(), None, None)
    best = lost.best
    if on_lost(lost) and best is not None:  # always told; asked only with something to offer
        writer.replace_state(best.progress, best.lineage)
        writer.recovered = Recovered(restored=best)
        return writer
    backup_kept_at = start_over(writer)
    kept_at = backup_kept_at or (best.path if best else None)
    writer.recovered = Recovered(kept_at=kept_at, backup_kept=backup_kept_at is not None)
    return writer


def start_over(writer: ProgressWriter) -> Path | None:
    """Set the backup aside and put a fresh, empty progress of a new lineage in place."""
    kept_at = set_backup_aside(writer.locations)
    writer.replace_state(Progress(), new_lineage())
    return kept_at
