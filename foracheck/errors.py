"""Typed errors, each with the exit code the contract gives it.

The codes, the base class and UsageError live in ``exit_codes`` (below
``i18n``, which refuses an unknown language with a UsageError) and are
re-exported here: import every error and code from this module.

The domain raises these; ``exits.leave`` is the one place that turns them into a
plain sentence on standard error and an exit code. Messages never contain a
patient's answers or notes.
"""

from __future__ import annotations

from foracheck.exit_codes import (
    EXIT_DATA,
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_IO,
    EXIT_LOCKED,
    EXIT_NO_INPUT,
    EXIT_OK,
    EXIT_SOFTWARE,
    EXIT_TERMINATED,
    EXIT_USAGE,
    ForacheckError,
    UsageError,
)
from foracheck.i18n import ngettext

# The codes and the two errors from ``exit_codes`` are re-exported: the rest of
# foracheck imports every code and error from here.
__all__ = [
    "EXIT_DATA",
    "EXIT_INCOMPLETE",
    "EXIT_INTERRUPTED",
    "EXIT_IO",
    "EXIT_LOCKED",
    "EXIT_NO_INPUT",
    "EXIT_OK",
    "EXIT_SOFTWARE",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "CorruptProgressError",
    "ForacheckError",
    "IncompleteError",
    "InputFileMissingError",
    "InvalidChecklistError",
    "LostProgressError",
    "OutputError",
    "ProgressLockedError",
    "StorageError",
    "UnusableFileError",
    "UsageError",
]


class InvalidChecklistError(ForacheckError):
    """One or more checklist files failed validation; ``problems`` holds each line."""

    exit_code = EXIT_DATA

    def __init__(self, problems: list[str]) -> None:
        count = len(problems)
        found = ngettext(
            "Found {count} problem in checklist files.",
            "Found {count} problems in checklist files.",
            count,
        ).format(count=count)
        super().__init__("\n".join([*problems, found]))
        self.problems = problems


class CorruptProgressError(ForacheckError):
    """The saved progress could not be understood; it has been kept aside."""

    exit_code = EXIT_DATA


class UnusableFileError(ForacheckError):
    """A file given to ``import`` is not one foracheck wrote, or does not fit the lists in use."""

    exit_code = EXIT_DATA


class InputFileMissingError(ForacheckError):
    """A file or folder named by the user does not exist."""

    exit_code = EXIT_NO_INPUT


class StorageError(ForacheckError):
    """Reading or writing the progress failed; what was saved before is intact."""

    exit_code = EXIT_IO


class OutputError(ForacheckError):
    """Standard output could not be written (a full disk, a closed descriptor)."""

    exit_code = EXIT_IO


class ProgressLockedError(ForacheckError):
    """Another running foracheck holds the progress."""

    exit_code = EXIT_LOCKED


class IncompleteError(ForacheckError):
    """Something the user asked to be complete still has open items."""

    exit_code = EXIT_INCOMPLETE


class LostProgressError(ForacheckError):
    """The progress file is gone while earlier answers are kept: restore or reset, never guess."""

    exit_code = EXIT_DATA
