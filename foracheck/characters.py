"""Which characters may reach a screen or a document: the one rule, with no words of its own.

``safetext`` speaks through ``i18n`` ("a control character"); ``i18n`` itself must
check its catalogs by the same rule without importing what imports it, so the
rule lives here, below both. ``describe`` names a character in the language in use
through a lazily given namer (English until ``safetext`` installs one).
"""

from __future__ import annotations

import re
from collections.abc import Callable

STAND_IN = "\ufffd"
_ALWAYS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_MULTILINE = re.compile(f"[{_ALWAYS}]")
_UNSAFE_ONE_LINE = re.compile(f"[{_ALWAYS}\t\n\r]")
_LINE_ENDS = re.compile(r"\r\n?")


def kind_of(character: str) -> str:
    """What kind of unsafe character this is: tab, line-break, surrogate, bidi, control."""
    code = ord(character)
    if character == "\t":
        return "tab"
    if character in "\n\r":
        return "line-break"
    if 0xD800 <= code <= 0xDFFF:
        return "surrogate"
    if 0x202A <= code <= 0x2069:
        return "bidi"
    return "control"


ENGLISH_KINDS = {
    "tab": "a tab",
    "line-break": "a line break",
    "surrogate": "not valid Unicode text",
    "bidi": "a bidirectional control",
    "control": "a control character",
}
# How a kind is said; ``safetext`` puts the one that speaks the chosen language here.
kind_namer: list[Callable[[str], str]] = [ENGLISH_KINDS.__getitem__]


def describe(character: str) -> str:
    """A character as an error message may name it, e.g. "U+001B, a control character"."""
    return f"U+{ord(character):04X}, {kind_namer[0](kind_of(character))}"


def unsafe_character(text: str, multiline: bool) -> str | None:
    """The first character that must not be shown, described, or None when all are safe."""
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE_ONE_LINE
    found = pattern.search(text)
    return None if found is None else describe(found.group()[0])


def shown(text: str, multiline: bool = True) -> str:
    """The text with every unsafe character replaced by U+FFFD, ready to print.

    Line ends become line feeds; with ``multiline`` false they (and tabs) are
    replaced too, so that the result is always exactly one line.
    """
    if multiline:
        return _UNSAFE_MULTILINE.sub(STAND_IN, _LINE_ENDS.sub("\n", text))
    return _UNSAFE_ONE_LINE.sub(STAND_IN, text)
