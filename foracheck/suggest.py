"""'Did you mean ...?' for an id that is not known but close to one that is."""

from __future__ import annotations

from collections.abc import Sequence

from foracheck.i18n import _


def did_you_mean(typed: str, known: Sequence[str]) -> str:
    """ " Did you mean 'week-before'?" when one known id is close to ``typed``, else ""."""
    import difflib

    close = difflib.get_close_matches(typed, known, n=1, cutoff=0.6)
    if not close:
        prefixed = [name for name in known if len(typed) >= 3 and name.startswith(typed)]
        close = prefixed[:1]
    return " " + _("Did you mean '{id}'?").format(id=close[0]) if close else ""
