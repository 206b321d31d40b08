"""Copies set aside beside the progress file: the backup, kept and damaged copies, leftovers.

Nothing is ever deleted but a killed writer's temp file: an unreadable file is
renamed ``.corrupt-<time>``, a backup that must not be rotated ``.bak-<time>``, a
state replaced by ``restore`` ``.replaced-<time>`` and one cleared by ``reset``
``.reset-<time>``, always under a new name and private. This module names them,
reads them back and says which one ``restore`` would choose.
"""

from __future__ import annotations

import errno
import re
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from foracheck.errors import CorruptProgressError, StorageError
from foracheck.fsutil import (
    PRIVATE_FILE,
    TEMP_SUFFIX,
    NotRegularFileError,
    atomic_write_bytes,
    fsync_dir,
    read_regular,
    remove_quietly,
    temp_prefix,
)
from foracheck.i18n import _
from foracheck.model import Progress
from foracheck.paths import Locations
from foracheck.safetext import name
from foracheck.store.codec import MAX_PROGRESS_BYTES, _Unreadable, parse


def _stamp() -> str:
    from foracheck.dates import local_now

    return local_now().strftime("%Y%m%dT%H%M%S")


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes, None when it does not exist; a link, FIFO or device is refused."""
    try:
        return read_regular(path, MAX_PROGRESS_BYTES)
    except NotRegularFileError as error:
        message = _(
            "{path} is {kind}, not a regular file. foracheck keeps answers only in "
            "a plain file there and does not follow links; move it away and run again."
        )
        raise StorageError(message.format(path=name(path), kind=error.strerror)) from None
    except OSError as error:
        message = _("Could not read {path} ({reason}).")
        raise StorageError(message.format(path=name(path), reason=error.strerror)) from None


def _stat_time(path: Path) -> str:
    """When a file's content was last written (a rename keeps it), for a person to read."""
    return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")


def _unique(path: Path) -> Path:
    candidate, counter = path, 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{path.name}-{counter}")
    return candidate


def set_aside(path: Path, suffix: str) -> Path:
    """Rename ``path`` to ``<name><suffix><time>`` (never over another file), privately.

    Raises OSError when the rename fails; the file is then where it was.
    """
    kept_at = _unique(path.with_name(f"{path.name}{suffix}{_stamp()}"))
    path.replace(kept_at)
    if not kept_at.is_symlink():  # a planted link is kept as it is; its target is not ours
        kept_at.chmod(PRIVATE_FILE)
    fsync_dir(path.parent)
    return kept_at


def move_aside(locations: Locations) -> Path | None:
    """Keep an unreadable progress file as ``.corrupt-<time>``; None if it stays put."""
    try:
        return set_aside(locations.progress_file, ".corrupt-")
    except OSError:
        return None


# -- kept copies ------------------------------------------------------------------

# What each kept copy is, by the suffix after "progress.json" (English: the kinds are
# keys, shown through ``kept_text.kind_text`` in the run's language). The backup and the
# LOST_SIGNS mean "answers were set aside": with no progress file beside them, that
# is a lost state. A reset copy is not one: reset leaves a fresh progress file.
KEPT_KINDS = {
    ".bak-": "an earlier backup",
    ".corrupt-": "a damaged file",
    ".replaced-": "a copy kept by restore",
    ".reset-": "a copy kept by reset",
}
LOST_SIGNS = (".bak-", ".corrupt-", ".replaced-")


def kind_of(locations: Locations, path: Path) -> str | None:
    """What a kept copy in the data folder is; None for any other file."""
    if path == locations.backup_file:
        return "a backup"
    prefix = locations.progress_file.name
    for suffix, kind in KEPT_KINDS.items():
        if path.parent == locations.home and path.name.startswith(prefix + suffix):
            return kind
    return None


class KeptCopy(NamedTuple):
    """A readable earlier state: the backup or a kept copy, or a file named to restore."""

    # A NamedTuple, not a frozen dataclass: a quarter of the cost to define, which every
    # command that loads this module pays (a read that finds its file makes none).
    path: Path
    progress: Progress
    lineage: str | None
    saved: str
    kind: str = "a copy"


Backup = KeptCopy  # the name read_backup's callers know


def read_copy(path: Path, kind: str, follow_links: bool = False) -> KeptCopy:
    """A kept copy, read and validated; _Unreadable, NewerProgressError or OSError."""
    data = read_regular(path, MAX_PROGRESS_BYTES, follow_links=follow_links)
    if data is None:
        raise FileNotFoundError(errno.ENOENT, "no such file", str(path))
    parsed = parse(data)
    return KeptCopy(path, parsed.progress, parsed.lineage, _stat_time(path), kind)


def _readable_copy(locations: Locations, path: Path) -> KeptCopy | None:
    kind = kind_of(locations, path)
    if kind is None:
        return None
    try:
        return read_copy(path, kind)
    except (CorruptProgressError, _Unreadable, OSError):
        return None


def read_backup(locations: Locations) -> KeptCopy | None:
    """The backup, if there is one that can be read."""
    return _readable_copy(locations, locations.backup_file)


STAMP = re.compile(r"\d{8}T\d{6}")


def _set_aside_order(locations: Locations, path: Path) -> tuple[str, bool]:
    """When a copy was set aside (the time in its name), and at one time, a progress
    file before the backup set aside with it (reset keeps both; the backup is older)."""
    stamp = STAMP.search(path.name)
    is_progress = not path.name.startswith(locations.backup_file.name)
    return (stamp.group() if stamp else "", is_progress)


def kept_copies(locations: Locations) -> list[Path]:
    """The backup, then every kept copy in the data folder, the last set aside first."""
    if not locations.home.is_dir():
        return []
    found = [path for path in locations.home.iterdir() if kind_of(locations, path) is not None]
    found.sort(key=lambda path: _set_aside_order(locations, path), reverse=True)
    backup = [path for path in found if path == locations.backup_file]
    return backup + [path for path in found if path != locations.backup_file]


def best_copy(locations: Locations) -> KeptCopy | None:
    """What ``restore`` brings back by default: the backup, else the newest readable copy."""
    backup = read_backup(locations)
    if backup is not None:
        return backup
    for path in kept_copies(locations):
        copy = _readable_copy(locations, path)
        if copy is not None:
            return copy
    return None


def remove_stale_temp_files(locations: Locations) -> None:
    """Temp files left by a killed foracheck; only the lock holder may call this."""
    prefix = temp_prefix(locations.progress_file)
    for leftover in locations.home.glob(f"{prefix}*{TEMP_SUFFIX}"):
        remove_quietly(leftover)


def remove_leftovers_if_free(locations: Locations) -> None:
    """Temp files a killed writer (``import``, ``restore``, ``mark``) left, removed by the
    next command even when it only reads (finding 9 of issue 17).

    Only while no writer holds the lock (a writer's temp file is in use): the lock
    is taken without waiting, and a busy lock just leaves them for a later run.
    The folder is listed first, so a clean folder costs no lock file.
    """
    prefix = temp_prefix(locations.progress_file)
    try:
        names = [path.name for path in locations.home.iterdir()]
    except OSError:
        return
    if not any(name.startswith(prefix) and name.endswith(TEMP_SUFFIX) for name in names):
        return
    from foracheck.lock import ProgressLock  # a read that finds nothing left never loads it

    lock = ProgressLock(locations.lock_file, "status")
    try:
        if not lock.try_acquire():
            return
        remove_stale_temp_files(locations)
    except (StorageError, OSError):
        return  # never a reason for a read to fail
    finally:
        lock.release()


def keep_pre_migration_copy(locations: Locations, schema: int, data: bytes) -> None:
    """Keep the old file once before migrating it (not again on every open)."""
    copy = locations.progress_file.with_name(f"{locations.progress_file.name}.schema{schema}")
    if copy.exists() and read_bytes(copy) == data:
        return
    atomic_write_bytes(_unique(copy), data)


def set_backup_aside(locations: Locations) -> Path | None:
    """Keep the backup under its own name, so later saves cannot rotate it away.

    None when there is no backup; StorageError when it cannot be moved.
    """
    backup = locations.backup_file
    try:
        return set_aside(backup, "-")
    except FileNotFoundError:
        return None
    except OSError as error:
        message = _("Could not keep the backup {path} aside ({reason}).")
        raise StorageError(message.format(path=name(backup), reason=error.strerror)) from None


def keep_replaced(locations: Locations, current: bytes) -> Path:
    name = f"{locations.progress_file.name}.replaced-{_stamp()}"
    kept_at = _unique(locations.progress_file.with_name(name))
    atomic_write_bytes(kept_at, current)
    return kept_at
