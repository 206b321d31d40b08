"""A pexpect terminal that does not sleep where nothing needs waiting for.

pexpect, left to its defaults, pauses 50 ms before every send and 100 ms on
every close ("give the kernel time to update the process status"). Our tests
send only once the prompt is on screen, and close only after the child has
written its last byte, so both pauses are dead time: over a few hundred
terminals they were a tenth of the whole suite. Here a close after EOF waits
for the child's own exit instead, so the exit status is still the real one and
the child is never signalled for being slow.
"""

from __future__ import annotations

import time
from typing import Any

import pexpect

EXIT_WAIT = 10.0  # seconds a child that closed its terminal may take to exit


class Terminal(pexpect.spawn):  # type: ignore[misc]
    """``pexpect.spawn`` with no fixed pauses; arguments as pexpect's own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.delaybeforesend = None

    def close(self, force: bool = True) -> None:
        if not self.closed and self.flag_eof:
            self._wait_for_exit()
        super().close(force=force)

    def _wait_for_exit(self) -> None:
        """Poll (never block forever) until the child has exited, then close at once."""
        deadline = time.monotonic() + EXIT_WAIT
        while self.isalive() and time.monotonic() < deadline:
            time.sleep(0.002)
        if not self.isalive():
            self.ptyproc.delayafterclose = 0
