"""One writer at a time: an exclusive lock on a file beside the progress.

The lock lives on its own file, never on the progress file, because a save
swaps the progress file with ``os.replace``. The lock file is removed on
release; a waiting process re-checks that the file it locked is still the one
at the path, so removal cannot let two writers in.

Two kinds of holder (docs/reliability.md, "Two writers both succeed"): an open ``start``
holds the lock for as long as the patient answers, so a second writer gives up
at once (exit 75) and says so; every other writer (``mark``, ``reset``,
``restore``, ``import``) holds it for milliseconds, so the next one waits for it,
up to ``WAIT_SECONDS`` with jitter, and only then calls the lock stuck. To tell
them apart, the holder writes its command name and process id into the lock
file (nothing else: never health data).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from foracheck.errors import ProgressLockedError, StorageError
from foracheck.fsutil import open_regular
from foracheck.i18n import _
from foracheck.safetext import name

START = "start"
WAIT_SECONDS = 5.0
# Tests shorten the wait for a stuck lock with this (private, not for users).
WAIT_ENV = "_FORACHECK_LOCK_WAIT"
MAX_HOLDER_BYTES = 200

LOCKED_MESSAGE = (  # English; shown through ``_`` when raised
    "Your progress is open in another foracheck: a 'foracheck start' (perhaps waiting for "
    "an answer in another window). Finish or quit that one first, then try again. "
    "Nothing was changed."
)


def _stuck_message(holder: Holder | None, waited: float) -> str:
    if holder:
        who = _("'foracheck {command}' (process {pid})").format(
            command=holder.command, pid=holder.pid
        )
    else:
        who = _("a foracheck")
    message = _(
        "Your progress has been busy for {seconds:g} seconds: another foracheck, {who}, still "
        "holds its lock. If that program has stopped responding, end it, then try again. "
        "Nothing was changed."
    )
    return message.format(seconds=waited, who=who)


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, as written in the lock file."""

    command: str
    pid: int

    def encode(self) -> bytes:
        return json.dumps({"command": self.command, "pid": self.pid}).encode("ascii")

    @classmethod
    def decode(cls, data: bytes) -> Holder | None:
        """None while the holder has not written yet, or for a file we do not understand."""
        try:
            raw = json.loads(data.decode("ascii"))
            command, pid = raw["command"], raw["pid"]
        except (ValueError, TypeError, KeyError):
            return None
        if not isinstance(command, str) or not isinstance(pid, int):
            return None
        return cls(command, pid)


def wait_seconds() -> float:
    """How long a short write waits for another one (``WAIT_ENV`` lets tests shorten it)."""
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, WAIT_SECONDS)))
    except ValueError:
        return WAIT_SECONDS


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


def _read_holder(fd: int) -> Holder | None:
    with contextlib.suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        return Holder.decode(os.read(fd, MAX_HOLDER_BYTES))
    return None


class ProgressLock:
    """Held by the one foracheck that may change the progress.

    ``command`` is the name of the command taking it; ``start`` marks a long
    holder that others do not wait for.
    """

    def __init__(self, path: Path, command: str = "write") -> None:
        self.path = path
        self.command = command
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, waiting a while for a short write; ProgressLockedError (75) if not."""
        budget = wait_seconds()
        deadline = time.monotonic() + budget
        while self._fd is None:
            fd = self._open()
            if self._lock(fd):
                self._take(fd)
                continue
            holder = _read_holder(fd)
            os.close(fd)
            if holder is not None and holder.command == START:
                raise ProgressLockedError(_(LOCKED_MESSAGE))
            if time.monotonic() >= deadline:
                raise ProgressLockedError(_stuck_message(holder, budget))
            import random  # only when waiting: every read of the progress imports this module

            time.sleep(random.uniform(0.005, 0.05))  # jitter: waiters do not retry in step

    def try_acquire(self) -> bool:
        """Take the lock only if it is free right now (never waits); whether it was taken."""
        fd = self._open()
        if self._lock(fd):
            self._take(fd)
        else:
            os.close(fd)
        return self._fd is not None

    def _open(self) -> int:
        """The lock file, created if needed; a FIFO, device or link there is refused."""
        try:
            return open_regular(self.path, os.O_RDWR | os.O_CREAT)
        except OSError as error:
            message = _(
                "Could not open the lock file {path} ({reason}). Remove it if it is "
                "not a plain file, then try again."
            )
            raise StorageError(
                message.format(path=name(self.path), reason=error.strerror)
            ) from None

    def _lock(self, fd: int) -> bool:
        try:
            return _try_lock(fd)
        except OSError as error:
            os.close(fd)
            message = _("Could not lock {path} ({reason}).")
            raise StorageError(
                message.format(path=name(self.path), reason=error.strerror)
            ) from None

    def _take(self, fd: int) -> None:
        """Keep a locked descriptor if it is still the file at the path, and sign it."""
        if not _same_file(fd, self.path):  # the holder before us removed it as we opened it
            os.close(fd)
            return
        self._fd = fd
        with contextlib.suppress(OSError):  # the signature only helps others decide to wait
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, Holder(self.command, os.getpid()).encode())

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
