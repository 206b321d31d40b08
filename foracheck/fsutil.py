"""Durable file operations: the atomic write every saved byte goes through.

The sequence is the one SQLite and git rely on: a temp file in the target's own
folder, write, flush, fsync, ``os.replace``, fsync the folder. On any failure
the temp file is removed and the old file is left exactly as it was.

Only regular files are read or replaced: a FIFO would hang a read, a device
node replaced as root would break the system, and a planted link could send
health information elsewhere (guarantee 15; docs/reliability.md).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from foracheck.errors import InputFileMissingError, StorageError
from foracheck.i18n import _
from foracheck.safetext import name

TEMP_SUFFIX = ".tmp"
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


class NotRegularFileError(OSError):
    """A FIFO, device, socket, folder or (where refused) link sits where a file should be."""


_KINDS = (  # English; ``_kind`` shows them in the run's language
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def _kind(mode: int) -> str:
    """What a path that is not a regular file is, in words."""
    kind = next((kind for test, kind in _KINDS if test(mode)), None)
    return _("not a regular file") if kind is None else _(kind)


def _refuse_unless_regular(mode: int, path: Path) -> None:
    if not stat.S_ISREG(mode):
        raise NotRegularFileError(errno.EINVAL, _kind(mode), str(path))


def open_regular(
    path: Path, flags: int = os.O_RDONLY, *, follow_links: bool = False, mode: int = PRIVATE_FILE
) -> int:
    """Open ``path`` only if it is a regular file, and never block doing so.

    A FIFO would hang an ordinary ``open`` (no writer) and a device node could be
    anything, so the path is checked with ``lstat`` first (``stat`` when links may
    be followed), opened non-blocking, checked again on the open descriptor (the
    path may have been swapped in between), and only then made blocking. Raises
    FileNotFoundError when nothing is there (unless ``flags`` create it), and
    NotRegularFileError for anything that is not a plain file.
    """
    with contextlib.suppress(FileNotFoundError):
        found = path.stat() if follow_links else path.lstat()
        _refuse_unless_regular(found.st_mode, path)
    no_follow = 0 if follow_links else getattr(os, "O_NOFOLLOW", 0)
    extra = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | no_follow
    try:
        fd = os.open(path, flags | extra, mode)
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW met a link planted after the check
            raise NotRegularFileError(errno.ELOOP, _("a symbolic link"), str(path)) from None
        raise
    try:
        _refuse_unless_regular(os.fstat(fd).st_mode, path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path, limit: int, *, follow_links: bool = False) -> bytes | None:
    """At most ``limit + 1`` bytes of a regular file, or None when it does not exist.

    OSError (NotRegularFileError for a FIFO, device, socket or refused link) for
    anything else; the caller turns that into the sentence that fits its file.
    """
    try:
        fd = open_regular(path, follow_links=follow_links)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as stream:
        return stream.read(limit + 1)


def temp_prefix(path: Path) -> str:
    """The name every temp file for ``path`` starts with, so leftovers can be found."""
    return f".{path.name}."


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_temp(path: Path, data: bytes, mode: int = PRIVATE_FILE) -> Path:
    """Write ``data`` durably to a new temp file beside ``path``; the caller renames it."""
    import tempfile  # only writers need it; readers start faster without

    fd, name = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path), suffix=TEMP_SUFFIX)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as stream:
            if hasattr(os, "fchmod"):
                os.fchmod(stream.fileno(), mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        remove_quietly(temp)
        raise
    return temp


def refuse_to_replace(path: Path) -> None:
    """NotRegularFileError when ``path`` holds anything but a regular file (or nothing)."""
    with contextlib.suppress(FileNotFoundError):
        _refuse_unless_regular(path.lstat().st_mode, path)


def replace(temp: Path, path: Path) -> None:
    """Move a finished temp file over ``path`` and make the move durable.

    Never over a FIFO, device, socket, folder or link (NotRegularFileError): only
    a regular file is ever replaced.
    """
    try:
        refuse_to_replace(path)
        os.replace(temp, path)  # noqa: PTH105 - the atomic rename, named as the guarantee names it
    except BaseException:
        remove_quietly(temp)
        raise
    fsync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes, mode: int = PRIVATE_FILE) -> None:
    """Replace ``path`` with ``data`` all at once, or not at all (StorageError, exit 74)."""
    try:
        refuse_to_replace(path)  # before a temp file is even made
        replace(write_temp(path, data, mode), path)
    except NotRegularFileError as error:
        message = _(
            "Did not write {path}: it is {kind}, and foracheck only ever replaces "
            "regular files. Nothing was changed."
        )
        raise StorageError(message.format(path=name(path), kind=error.strerror)) from None
    except OSError as error:
        message = _("Could not write {path} ({reason}). Nothing was changed.")
        raise StorageError(
            message.format(path=name(path), reason=error.strerror or error)
        ) from None


def atomic_write_text(path: Path, text: str, mode: int = PRIVATE_FILE) -> None:
    """Text version of ``atomic_write_bytes`` (UTF-8)."""
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def remove_quietly(path: Path) -> None:
    """Remove a file that may already be gone."""
    with contextlib.suppress(OSError):
        path.unlink()


def read_capped(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a file the user named (so "too large" can be told).

    A missing or unreadable file raises InputFileMissingError (exit 66), and so
    does anything but a regular file (a link to one is fine): a FIFO is refused
    rather than waited on.
    """
    try:
        with os.fdopen(open_regular(path, follow_links=True), "rb") as stream:
            return stream.read(limit + 1)
    except FileNotFoundError:
        raise InputFileMissingError(_("{path}: no such file.").format(path=name(path))) from None
    except NotRegularFileError as error:
        message = _("{path}: is {kind}, not a checklist file.")
        raise InputFileMissingError(message.format(path=name(path), kind=error.strerror)) from None
    except OSError as error:
        message = _("{path}: cannot be read ({reason}).")
        raise InputFileMissingError(
            message.format(path=name(path), reason=error.strerror)
        ) from None
