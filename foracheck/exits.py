"""The one exit point: every way foracheck ends becomes a plain sentence and an exit code.

The domain raises typed errors (``errors.py``), ``cli`` turns Click's command
line errors into those, Python raises KeyboardInterrupt, EOFError and
BrokenPipeError, and the signal handlers raise ``Terminated``. ``leave`` maps
each to the contract's exit code and says what happened on standard error,
never with a traceback and never with a patient's answer. It imports nothing
heavy, so it guards the program from its first line (see ``__main__``).

While foracheck is still starting (importing, building the command line) a
signal ends it at once instead: nothing has been opened or written yet, and an
exception raised by a handler could be lost (Python swallows one raised in a
weakref callback during an import, prints "Exception ignored" and goes on).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from types import FrameType
from typing import NoReturn

from foracheck import stdio
from foracheck.errors import (
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_IO,
    EXIT_SOFTWARE,
    EXIT_TERMINATED,
    ForacheckError,
    OutputError,
)
from foracheck.i18n import _
from foracheck.signals import Terminated

# Every sentence here is put into words when it is written (``_`` at that
# moment), never at import: exits is imported before the language is chosen.

_WHILE_STARTING = {
    signal.SIGINT: EXIT_INTERRUPTED,
    signal.SIGTERM: EXIT_TERMINATED,
    **({signal.SIGHUP: 128 + signal.SIGHUP} if hasattr(signal, "SIGHUP") else {}),
}


def _stopped_while_starting(signum: int) -> str:
    if signum == signal.SIGINT:
        return _("Stopped (interrupted) while starting. Nothing was changed.")
    if signum == signal.SIGTERM:
        return _("Stopped (asked to end) while starting. Nothing was changed.")
    return _("Stopped (the terminal was closed) while starting. Nothing was changed.")


def _end_at_once(signum: int, frame: FrameType | None) -> None:
    code = _WHILE_STARTING[signal.Signals(signum)]
    with contextlib.suppress(OSError):
        os.write(2, f"{_stopped_while_starting(signum)}\n".encode())
    os._exit(code)


def end_at_once_on_signals() -> None:
    """Until a command runs, Ctrl-C, SIGTERM and SIGHUP end foracheck at once, with a sentence."""
    for signum in _WHILE_STARTING:
        signal.signal(signum, _end_at_once)


def end_silently_on_signals() -> None:
    """Once the ending is decided, a late signal ends the process as the system would.

    By then everything is saved; a handler that raised would only make Python print
    a traceback while it shuts down (a SIGTERM after ``list`` had finished once
    landed in the threading module's shutdown and did exactly that).
    """
    for signum in _WHILE_STARTING:
        signal.signal(signum, signal.SIG_DFL)


def _stopped(stop: Terminated) -> str:
    if stop.exit_code == EXIT_TERMINATED:
        return _("Stopped (asked to end). Everything saved before this is kept.")
    return _("Stopped (the terminal was closed). Everything saved before this is kept.")


def _internal(error: BaseException) -> str:
    """Name the problem and where it happened, never its message (it could hold an answer)."""
    frames = traceback.extract_tb(error.__traceback__)
    name = type(error).__name__
    if not frames:
        return _(
            "foracheck stopped on an unexpected problem ({name}). Everything saved before "
            "this is kept. Please report this to the foracheck developers."
        ).format(name=name)
    return _(
        "foracheck stopped on an unexpected problem ({name} at {file}:{line}). Everything "
        "saved before this is kept. Please report this to the foracheck developers."
    ).format(name=name, file=frames[-1].filename, line=frames[-1].lineno)


def _interruption(error: BaseException) -> BaseException:
    """The Ctrl-C or SIGTERM behind ``error``, if Python wrapped one (a signal that lands
    in ``__set_name__`` while a class is built comes out as RuntimeError); else ``error``."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, (KeyboardInterrupt, Terminated)):
            return seen
        seen = seen.__cause__ or seen.__context__
    return error


def describe(error: BaseException) -> tuple[str, int]:
    """The sentence (empty: none is needed) and the exit code for ``error``."""
    if isinstance(error, ForacheckError):
        return error.message, error.exit_code
    error = _interruption(error)
    if isinstance(error, KeyboardInterrupt):
        return _("Stopped (interrupted). Everything saved before this is kept."), EXIT_INTERRUPTED
    if isinstance(error, Terminated):
        return _stopped(error), error.exit_code
    if isinstance(error, EOFError):
        return _("Input ended before an answer was given."), EXIT_INCOMPLETE
    if isinstance(error, BrokenPipeError):  # the reader went away: nothing to tell it
        return "", EXIT_INCOMPLETE
    if isinstance(error, OSError):
        reason = stdio.reason(error)
        if error.filename:
            message = _("Could not read or write {file} ({reason}).")
            return message.format(file=error.filename, reason=reason), EXIT_IO
        return _("Could not read or write ({reason}).").format(reason=reason), EXIT_IO
    return _internal(error), EXIT_SOFTWARE


def leave(error: BaseException) -> NoReturn:
    """End the program because of ``error``: its sentence on standard error, its code."""
    end_silently_on_signals()
    if isinstance(error, SystemExit):
        raise error
    message, code = describe(error)
    if isinstance(error, (BrokenPipeError, OutputError)):
        stdio.abandon_stdout()  # a failed or closed output must not fail again at exit
    if message:
        stdio.say(message)
    sys.exit(code)
