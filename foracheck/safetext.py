"""Which characters may reach a screen or a document, in one definition.

A checklist, an answer or a note is shown on terminals and written into
Markdown, HTML and JSON. A terminal obeys control characters: ESC and the C1
controls start escape sequences (clear the screen, retitle the window, rewrite
a line), a carriage return overwrites what was just printed, and the
bidirectional overrides and isolates make text read differently from what it
is ("Trojan Source"). None of them belongs in a checklist, so they are refused
where text enters (the loader, ``parse_answer``, ``mark --note``, the progress
file) and replaced by a visible stand-in wherever text leaves, in case one got
in some other way (guarantee 13; docs/reliability.md).

Unsafe, everywhere: C0 controls (U+0000 to U+001F) but tab and line feed, DEL
(U+007F), C1 controls (U+0080 to U+009F), the bidirectional embeddings and
overrides (U+202A to U+202E) and isolates (U+2066 to U+2069), and surrogates
(U+D800 to U+DFFF): a Python string holds one only when its text was not valid
Unicode, such as an undecodable byte in argv or ``\\ud800`` in JSON.
Multi-line text (details, intros, notes) may hold tabs and line breaks (LF, and
the CR LF and CR of Windows and old Macs, which ``shown`` turns into LF before
anything is printed); one-line text (titles, item text, answers) may not.

Allowed on purpose: the left-to-right, right-to-left and Arabic letter marks
(U+200E, U+200F, U+061C). They only set the direction of neutral characters
such as punctuation beside them, cannot reorder letters, and Arabic and Hebrew
text needs them to read correctly.
"""

from __future__ import annotations

from foracheck.characters import (
    _UNSAFE_MULTILINE,
    STAND_IN,
    describe,
    kind_namer,
    shown,
    unsafe_character,
)
from foracheck.i18n import _

__all__ = ["STAND_IN", "describe", "json_safe", "name", "shown", "unsafe_character"]


def _kind(kind: str) -> str:
    """A kind of unsafe character (``characters.kind_of``) in the language in use."""
    return {
        "tab": _("a tab"),
        "line-break": _("a line break"),
        "surrogate": _("not valid Unicode text"),
        "bidi": _("a bidirectional control"),
        "control": _("a control character"),
    }[kind]


kind_namer[0] = _kind


def name(value: object) -> str:
    """A path, id or option value as foracheck prints it: one line, every unsafe
    character replaced (guarantee 21: a file name can hold ESC or BEL)."""
    return shown(str(value), multiline=False)


def json_safe(encoded: str) -> str:
    """JSON text with every unsafe character written as a ``\\uXXXX`` escape.

    ``json.dumps(..., ensure_ascii=False)`` escapes C0 controls but leaves DEL,
    the C1 controls, bidirectional controls and lone surrogates raw. Outside
    strings JSON is plain ASCII, so escaping them anywhere keeps the same data.
    """
    return _UNSAFE_MULTILINE.sub(lambda found: f"\\u{ord(found.group()):04x}", encoded)
