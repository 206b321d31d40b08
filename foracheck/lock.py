"""One writer at a time: an exclusive lock on a file beside the progress.

The lock lives on its own file, never on the progress file, because a save
swaps the progress file with ``os.replace``. The lock file is removed on
release; a waiting process re-checks that the file it locked is still the one
at the path, so removal cannot let two writers in.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from foracheck.errors import ProgressLockedError, StorageError
from foracheck.fsutil import PRIVATE_FILE

LOCKED_MESSAGE = (
    "Your progress is open in another foracheck (perhaps waiting for an answer in another "
    "window). Finish or quit that one first, then try again."
)


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock without waiting; False when someone else holds it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = path.lstat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


class ProgressLock:
    """Held by the one foracheck that may change the progress."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock now, or raise ProgressLockedError (exit 75)."""
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        while self._fd is None:
            try:
                fd = os.open(self.path, flags, PRIVATE_FILE)
            except OSError as error:
                raise StorageError(
                    f"Could not create the lock file {self.path} ({error.strerror})."
                ) from None
            try:
                locked = _try_lock(fd)
            except OSError as error:
                os.close(fd)
                raise StorageError(f"Could not lock {self.path} ({error.strerror}).") from None
            if not locked:
                os.close(fd)
                raise ProgressLockedError(LOCKED_MESSAGE)
            if _same_file(fd, self.path):
                self._fd = fd
            else:  # the holder before us removed it as we opened it; take the new one
                os.close(fd)

    def release(self) -> None:
        """Remove the lock file and let go (safe to call twice)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            self.path.unlink()
        except OSError:
            pass
        finally:
            os.close(fd)

    def __enter__(self) -> ProgressLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
