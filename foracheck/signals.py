"""Interruptions: turn SIGTERM and a closed terminal into exceptions, and hold
every interruption back while an answer is being saved.

With these, Ctrl-C, SIGTERM and a hang-up all unwind through ``finally``
blocks (releasing the lock, removing temp files), and an answer the patient
typed is either saved whole or not at all, never half.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType
from typing import Any

from foracheck.errors import EXIT_TERMINATED

_HANDLED = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM) or lost its terminal (SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """143 for SIGTERM, 129 for SIGHUP: 128 plus the signal number."""
        return EXIT_TERMINATED if self.signum == signal.SIGTERM else 128 + self.signum


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def install_handlers() -> None:
    """Make SIGTERM and SIGHUP raise ``Terminated`` in the main thread."""
    for signum in _HANDLED:
        signal.signal(signum, _raise_terminated)


def unwind_on_signals() -> None:
    """From here on files may be opened and written: a signal must unwind through
    ``finally`` blocks (release the lock, remove temp files), not end at once."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    install_handlers()


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block is done, then deliver them."""
    caught: list[int] = []
    previous: dict[int, Any] = {}

    def remember(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    try:
        for signum in [signal.SIGINT, *_HANDLED]:
            previous[signum] = signal.signal(signum, remember)
    except ValueError:  # not the main thread: signals cannot arrive here anyway
        pass
    try:
        yield
    finally:
        for restored, handler in previous.items():
            signal.signal(restored, handler)
    if caught:
        if caught[0] == signal.SIGINT:
            raise KeyboardInterrupt
        signal.raise_signal(caught[0])
