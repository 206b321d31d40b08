"""The standard streams, made safe to use whatever state foracheck finds them in.

A closed descriptor (``foracheck export >&-``) is filled with the null device,
so that no file foracheck opens can take its number: a progress file opened as
descriptor 1 would receive whatever is printed. A closed standard output then
fails on every write instead of swallowing the output, so the command can say
so. Output that cannot be written becomes an OutputError (exit 74) instead of a
traceback, and a message to standard error never fails.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from typing import TextIO

from foracheck.errors import OutputError
from foracheck.i18n import _


class _ClosedOutput(io.TextIOBase):
    """Standard output as found closed at start: every write fails, nothing is lost unseen."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            raise OSError(errno.EBADF, "standard output is closed")
        return 0


def _fill_if_closed(fd: int) -> None:
    try:
        os.fstat(fd)
    except OSError:
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)


def _tolerate_plain_terminals() -> None:
    """Never crash on an ASCII-only terminal: show a stand-in for what it cannot print."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def prepare() -> None:
    """Make the three standard streams safe to use; call before anything else runs."""
    for fd in (0, 1, 2):
        _fill_if_closed(fd)
    if sys.stdin is None:  # closed at start: reads as empty input, and is no terminal
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115, PTH123 - lives as long as we do
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    _tolerate_plain_terminals()


def reason(error: OSError) -> str:
    """What went wrong, in the system's words ("No space left on device")."""
    return error.strerror or str(error)


@contextlib.contextmanager
def printing() -> Iterator[None]:
    """Around anything that writes to standard output: a failure becomes OutputError (74).

    A closed pipe (BrokenPipeError) passes through unchanged: the reader went
    away (``foracheck export | head -1``), which the exit point ends quietly. So
    does an error that names a file: that one came from a file, not the stream.
    """
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        if error.filename is not None:
            raise
        message = _("Could not write to standard output ({reason}), so nothing more was shown.")
        raise OutputError(message.format(reason=reason(error))) from None


def print_out(text: str) -> None:
    """Write ``text`` to standard output now (OutputError or BrokenPipeError on failure)."""
    with printing():
        sys.stdout.write(text)
        sys.stdout.flush()


def _abandon(stream: TextIO | None, original: TextIO | None, fd: int) -> None:
    """Point ``fd`` at the null device, so that what is still buffered flushes quietly.

    Only when ``stream`` is the process's own (a test's captured stream is left alone).
    """
    if stream is None or stream is not original:
        return
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
        stream.flush()


def abandon_stdout() -> None:
    """After standard output failed: nothing more goes there, and exiting stays quiet."""
    _abandon(sys.stdout, sys.__stdout__, 1)


def say(message: str) -> None:
    """One message on standard error; a closed or full standard error is no further error."""
    stream = sys.stderr
    if stream is None:
        return
    from foracheck.safetext import shown  # a path or value in it may hold anything

    try:
        stream.write(shown(message) + "\n")
        stream.flush()
    except (OSError, ValueError):
        _abandon(stream, sys.__stderr__, 2)


def flush_stdout() -> None:
    """Flush standard output before exiting, so a failure is reported, not ignored."""
    if sys.stdout is not None:
        print_out("")
