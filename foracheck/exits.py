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
from foracheck.signals import Terminated

KEPT = "Everything saved before this is kept."
INTERRUPTED = f"Stopped (interrupted). {KEPT}"
TERMINATED = f"Stopped (asked to end). {KEPT}"
HUNG_UP = f"Stopped (the terminal was closed). {KEPT}"


_WHILE_STARTING = {
    signal.SIGINT: (EXIT_INTERRUPTED, "interrupted"),
    signal.SIGTERM: (EXIT_TERMINATED, "asked to end"),
    **(
        {signal.SIGHUP: (128 + signal.SIGHUP, "the terminal was closed")}
        if hasattr(signal, "SIGHUP")
        else {}
    ),
}


def _end_at_once(signum: int, frame: FrameType | None) -> None:
    code, why = _WHILE_STARTING[signal.Signals(signum)]
    with contextlib.suppress(OSError):
        os.write(2, f"Stopped ({why}) while starting. Nothing was changed.\n".encode())
    os._exit(code)


def end_at_once_on_signals() -> None:
    """Until a command runs, Ctrl-C, SIGTERM and SIGHUP end foracheck at once, with a sentence."""
    for signum in _WHILE_STARTING:
        signal.signal(signum, _end_at_once)


def _stopped(stop: Terminated) -> str:
    return TERMINATED if stop.exit_code == 143 else HUNG_UP


def _internal(error: BaseException) -> str:
    """Name the problem and where it happened, never its message (it could hold an answer)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return (
        f"foracheck stopped on an unexpected problem ({type(error).__name__}{where}). "
        f"{KEPT} Please report this to the foracheck developers."
    )


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
        return INTERRUPTED, EXIT_INTERRUPTED
    if isinstance(error, Terminated):
        return _stopped(error), error.exit_code
    if isinstance(error, EOFError):
        return "Input ended before an answer was given.", EXIT_INCOMPLETE
    if isinstance(error, BrokenPipeError):  # the reader went away: nothing to tell it
        return "", EXIT_INCOMPLETE
    if isinstance(error, OSError):
        name = f" {error.filename}" if error.filename else ""
        return f"Could not read or write{name} ({stdio.reason(error)}).", EXIT_IO
    return _internal(error), EXIT_SOFTWARE


def leave(error: BaseException) -> NoReturn:
    """End the program because of ``error``: its sentence on standard error, its code."""
    if isinstance(error, SystemExit):
        raise error
    message, code = describe(error)
    if isinstance(error, (BrokenPipeError, OutputError)):
        stdio.abandon_stdout()  # a failed or closed output must not fail again at exit
    if message:
        stdio.say(message)
    sys.exit(code)
