"""Whether to talk in the plain, screen-reader mode: decided once, read by every screen.

The plain mode (``--plain``, ``ACCESSIBLE=1``, or ``TERM=dumb``) prints text that
only ever grows: no colour, boxes, glyph-only marks, redraws or cursor moves, and
every prompt says in words where the patient is and what they may type. The
command line decides it once (``decide``); screens ask ``plain_mode()``, which
reads no environment of its own once decided, so a test or a screen never
disagrees with the command line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

ACCESSIBLE_ENV = "ACCESSIBLE"
# ACCESSIBLE=0 (or false, no, off) reads as "not wanted", as people write it.
_OFF = frozenset({"", "0", "false", "no", "off"})

_decided: bool | None = None
_remembered: bool | None = None  # what the data folder remembers (``settings plain``)


def env_says(environ: Mapping[str, str]) -> bool | None:
    """What ``ACCESSIBLE`` asks for: on, off (``0``, ``false``...), or nothing when unset."""
    value = environ.get(ACCESSIBLE_ENV, "").strip().lower()
    return None if not value else value not in _OFF


def wanted(flag: bool, environ: Mapping[str, str], remembered: bool | None = None) -> bool:
    """The rule: ``--plain``, then ``ACCESSIBLE``, then the data folder's remembered
    setting, then a dumb terminal (which ``ACCESSIBLE=0`` never turns off)."""
    if flag or env_says(environ):
        return True
    if remembered is not None and env_says(environ) is None:
        return remembered
    return environ.get("TERM") == "dumb"


def remember(plain: bool | None) -> None:
    """What the data folder remembers, for ``decide`` (None: nothing)."""
    global _remembered
    _remembered = plain


def decide(flag: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Decide the mode for this run (the global options do this) and return it."""
    global _decided
    _decided = wanted(flag, os.environ if environ is None else environ, _remembered)
    return _decided


def plain_mode() -> bool:
    """Whether screens must be plain; the environment's answer until ``decide`` ran."""
    return wanted(False, os.environ) if _decided is None else _decided
