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


def _english_kind(character: str) -> str:
    code = ord(character)
    if character == "\t":
        return "a tab"
    if character in "\n\r":
        return "a line break"
    if 0xD800 <= code <= 0xDFFF:
        return "not valid Unicode text"
    if 0x202A <= code <= 0x2069:
        return "a bidirectional control"
    return "a control character"


# What a character is, in words; ``safetext`` puts the translated namer here.
kind_namer: list[Callable[[str], str]] = [_english_kind]


def describe(character: str) -> str:
    """A character as an error message may name it, e.g. "U+001B, a control character"."""
    return f"U+{ord(character):04X}, {kind_namer[0](character)}"


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
