"""Where a command's text goes: standard output, or a private file (``--output``).

Also the one way a command says what it saved: a save that happened keeps exit
code 0 even when standard output then fails.
"""

from __future__ import annotations

from pathlib import Path

from foracheck import stdio
from foracheck.errors import OutputError, UsageError
from foracheck.i18n import _
from foracheck.paths import Locations
from foracheck.safetext import shown


def write(text: str, output: Path | None, locations: Locations) -> None:
    """Print, or replace FILE all at once (0600: it may hold health information).

    FILE must be a regular file or nothing yet (a FIFO, device or link is never
    replaced) and must lie outside the data folder, whose files only the store
    writes, under its lock.
    """
    if output is None:
        stdio.print_out(text)
        return
    if locations.holds(output):
        raise UsageError(
            _(
                "--output {output} is inside the data folder {home}, where foracheck "
                "keeps your saved answers. Please choose a file somewhere else."
            ).format(
                output=shown(str(output), multiline=False),
                home=shown(str(locations.home), multiline=False),
            )
        )
    from foracheck.fsutil import PRIVATE_FILE, atomic_write_text

    atomic_write_text(output, text, PRIVATE_FILE)


def tell_saved(message: str) -> None:
    """Print what a command has saved; when standard output fails, say it on standard error.

    The save has happened, so the exit code stays 0: a script must neither
    retry nor report as failed a save that succeeded.
    """
    try:
        stdio.print_out(shown(message) + "\n")
    except (OutputError, BrokenPipeError):
        stdio.abandon_stdout()
        stdio.say(
            _("{message} (This could not be shown on standard output.)").format(message=message)
        )
