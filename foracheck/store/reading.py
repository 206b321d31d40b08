"""Reading the progress file, and the lost state: answers set aside with no file in use.

Only a missing file means "no progress yet". An unreadable one is moved aside
(``.corrupt-<time>``) and reported, never overwritten. A *lost state* is a
missing progress file (or one just moved aside as damaged) while something
recoverable lies beside it (the backup, or a kept ``.bak-*``, ``.corrupt-*`` or
``.replaced-*`` copy): a writer then refuses (exit 65), and ``start`` asks. The
sentences and command hints about it are ``kept_text``'s; this module holds the
facts (``LostState``).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from foracheck import kept_text
from foracheck.errors import CorruptProgressError, ProgressLockedError, StorageError
from foracheck.model import Progress
from foracheck.paths import Locations
from foracheck.remembered import take
from foracheck.store.codec import _Unreadable, decode
from foracheck.store.kept import (
    LOST_SIGNS,
    KeptCopy,
    best_copy,
    kept_copies,
    move_aside,
    read_bytes,
    remove_leftovers_if_free,
)


class LostState(NamedTuple):
    """No progress file in use, while earlier answers were set aside beside it.

    ``damaged`` is where an unreadable file was just moved (and ``why`` it could
    not be read); ``best`` is what ``restore`` would bring back, if anything.
    """

    # A NamedTuple, not a frozen dataclass: a quarter of the cost to define, which every
    # command that loads this module pays (a read that finds its file makes none).
    progress_file: Path
    best: KeptCopy | None
    damaged: Path | None = None
    why: str | None = None


def find_lost_state(locations: Locations) -> LostState | None:
    """The lost state, if the missing progress file is one (None: first use)."""
    prefixes = tuple(locations.progress_file.name + sign for sign in LOST_SIGNS)
    signs = [
        path
        for path in kept_copies(locations)
        if path == locations.backup_file or path.name.startswith(prefixes)
    ]
    if not signs:
        return None
    return LostState(locations.progress_file, best_copy(locations))


def left_in_place(locations: Locations, why: str) -> CorruptProgressError:
    """An unreadable file that could not be moved aside: nobody may go on."""
    best = best_copy(locations)
    return CorruptProgressError(kept_text.left_in_place(locations.progress_file, why, best))


def move_damaged_aside(locations: Locations, why: str) -> LostState:
    """Move an unreadable progress file aside (under the lock) and describe what is left."""
    kept_at = move_aside(locations)
    if kept_at is None:
        raise left_in_place(locations, why)
    return LostState(locations.progress_file, best_copy(locations), kept_at, why)


def read_progress(locations: Locations) -> Progress | None:
    """The saved progress, or None when nothing was saved yet (or since a reset).

    Anything unreadable raises CorruptProgressError (exit 65) after the file
    was kept aside; a file from a newer foracheck is left exactly as it is.
    """
    progress = read_state(locations)
    if progress is None or progress == Progress(settings=progress.settings):
        return None  # remembered settings alone are no progress
    return progress


def read_state(locations: Locations) -> Progress | None:
    """What the progress file holds, settings included; None when there is no file."""
    remove_leftovers_if_free(locations)
    data = read_saved_bytes(locations)
    if data is None:
        return None
    try:
        progress = decode(data)
    except _Unreadable as error:
        from foracheck.lock import ProgressLock  # only for a damaged file: reads take no lock

        try:
            with ProgressLock(locations.lock_file, "status"):
                lost = move_damaged_aside(locations, str(error))
        except (ProgressLockedError, StorageError):
            raise left_in_place(locations, str(error)) from None
        raise CorruptProgressError(kept_text.refusal(lost)) from None
    return progress


def read_saved_bytes(locations: Locations) -> bytes | None:
    """The progress file's bytes: those read already for the remembered settings, if any."""
    kept = take(locations.progress_file)
    if isinstance(kept, bool):
        return read_bytes(locations.progress_file)
    return kept
