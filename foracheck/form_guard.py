"""A form is never written from a lost state (guarantee 20).

When the progress file is missing while earlier answers lie beside it, a form
"filled in" from nothing would invite the patient to start over and hand the
care team a blank record. ``form`` refuses (65) and names ``foracheck restore``.
"""

from __future__ import annotations

from foracheck.errors import LostProgressError
from foracheck.i18n import _
from foracheck.invocation import command
from foracheck.paths import Locations


def refuse_lost_state(locations: Locations) -> None:
    """LostProgressError when the missing progress file is a lost state; nothing otherwise."""
    from foracheck.store import find_lost_state

    lost = find_lost_state(locations)
    if lost is None:
        return
    advice = _(
        "The form was not written, so that it does not start over from nothing. "
        "Bring your answers back with: {restore}"
    ).format(restore=command("restore") if lost.best else command("restore", "--from", "FILE"))
    raise LostProgressError(f"{lost.situation()} {lost.offer()} {advice}")
