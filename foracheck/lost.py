"""A lost state is never shown or sent as an empty one (guarantee 20).

When the progress file is missing while earlier answers were set aside beside it
(a backup, a damaged or replaced copy), reading it back gives nothing, and a
screen or an export made from that nothing would tell a patient "no answers are
saved yet" and hand a care team a blank record. Every command that shows or
sends saved answers reads them through here instead:

- screens (``status``, ``show``, ``print``) get the progress (None) and a
  sentence naming ``foracheck restore`` to show first; they still exit 0, so a
  patient sees their lists;
- what is sent (``export``, ``status --json``, ``show --json``, and ``form``)
  calls ``refuse_when_lost``, which raises ``LostProgressError`` (exit 65) with
  that sentence before anything is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foracheck import kept_text
from foracheck.errors import LostProgressError
from foracheck.i18n import _
from foracheck.invocation import command

if TYPE_CHECKING:
    from foracheck.model import Progress
    from foracheck.paths import Locations
    from foracheck.store import LostState


def lost_state(locations: Locations) -> LostState | None:
    """The lost state, when the progress file is missing and answers were set aside."""
    from foracheck.store import find_lost_state

    try:
        present = locations.progress_file.lstat()
    except FileNotFoundError:
        present = None
    except OSError:
        return None  # the read itself reports what is wrong with the path
    return None if present is not None else find_lost_state(locations)


def notice(lost: LostState) -> str:
    """What happened, what can come back, and the command that brings it back."""
    if lost.best is not None:
        hint = _("To bring your answers back, run: {command}").format(command=command("restore"))
    else:
        hint = _("A saved copy from elsewhere comes back with: {command}").format(
            command=command("restore", "--from", "FILE")
        )
    return f"{kept_text.situation(lost)} {kept_text.offer(lost.best)} {hint}"


def lost_notice(locations: Locations) -> str | None:
    """The sentence a screen shows first while the state is lost, else None."""
    lost = lost_state(locations)
    return None if lost is None else notice(lost)


def refuse_when_lost(locations: Locations) -> None:
    """Raise LostProgressError (65) while the state is lost: nothing blank is sent.

    For every command that hands saved answers to someone else (``export``, the
    ``--json`` screens, ``form``): call it before writing anything.
    """
    lost = lost_state(locations)
    if lost is None:
        return
    refusal = _("Nothing was written, so that no one is handed a blank record.")
    raise LostProgressError(f"{notice(lost)} {refusal}")


def read_shown(locations: Locations) -> tuple[Progress | None, str | None]:
    """The saved progress for a screen, and the sentence to show first when it is lost."""
    from foracheck.store import read_progress

    progress = read_progress(locations)
    return progress, (lost_notice(locations) if progress is None else None)


def read_sent(locations: Locations) -> Progress | None:
    """The saved progress for something sent; LostProgressError (65) when it is lost."""
    from foracheck.store import read_progress

    progress = read_progress(locations)
    if progress is None:
        refuse_when_lost(locations)
    return progress


def shown_progress(locations: Locations, to_stderr: bool = False) -> Progress | None:
    """The saved progress for a screen, or None when nothing is saved yet; a lost state
    is said first (naming ``foracheck restore``), on standard output unless ``to_stderr``
    (a printout or a file is a document, not the place for it), and is then shown as
    lists without answers, never as "nothing saved yet"."""
    from foracheck import stdio
    from foracheck.safetext import shown

    progress, sentence = read_shown(locations)
    if sentence is None:
        return progress
    if to_stderr:
        stdio.say(sentence)
    else:
        stdio.print_out(shown(sentence) + "\n\n")
    from foracheck.model import Progress

    return Progress()  # not None: nothing below may say "no answers are saved yet"
