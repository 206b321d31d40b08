"""The contract's exit codes, and the errors that carry one without words of their own.

Apart from ``errors`` so that the language layer (``i18n``) can refuse an
unknown language with a UsageError while ``errors`` words its counts through
``i18n``: each imports only what sits below it, and nothing imports in a circle.
``errors`` re-exports everything here; the rest of foracheck imports it from there.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INCOMPLETE = 1
EXIT_USAGE = 2
EXIT_DATA = 65
EXIT_NO_INPUT = 66
EXIT_IO = 74
EXIT_SOFTWARE = 70
EXIT_LOCKED = 75
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class ForacheckError(Exception):
    """Base class: a message for people and the exit code that goes with it."""

    exit_code = EXIT_INCOMPLETE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(ForacheckError):
    """The command line named something that does not exist or is malformed."""

    exit_code = EXIT_USAGE
