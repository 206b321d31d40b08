"""Text that Markdown shows exactly as written: ``escape``, for every Markdown output.

The Markdown export and printout, and FHIR's ``markdown`` fields (a Questionnaire's
description), escape text by the same rules; they live here, apart from the Markdown
renderer, so that FHIR does not load a renderer it never runs.

A control character (which the loader and the store refuse anyway) is shown as
U+FFFD rather than written raw.

Backslash escapes stop CommonMark's own syntax, but not what renderers find in
plain text afterwards: cmark-gfm and GitHub link a bare ``www.`` or ``https://``
address and an e-mail address, pandoc links any ``scheme:`` and makes ``:smile:``
an emoji, GitHub links ``@name``. An invisible word joiner (U+2060) inside each of
those (before the ``:`` of a scheme, before and after an ``@``, after the first
``:`` of an emoji name, between ``www`` and its dot) leaves the text as written
for a reader and gives none of them anything to match.
"""

from __future__ import annotations

import re

from foracheck.presentation import split_lines
from foracheck.safetext import shown

# Characters with a meaning anywhere in a line (CommonMark, GitHub's extensions,
# and the braces and dollars that MDX and math renderers read).
_INLINE = re.compile(r"([\\`*_{}\[\]<>#+|~&$^])")
WORD_JOINER = "\u2060"
HARD_BREAK = "\\\n"

# The other rules are written as (trigger, pattern, replacement): a pattern is tried
# on a line only when the line (lower-cased) holds its trigger, without which it cannot
# match. A substring search costs next to nothing; a pattern that starts with a
# lookbehind is tried at every position, and compiling them all cost more than the
# escaping. So each is compiled (and kept, by ``re``'s own cache) when first needed.
Rule = tuple[str, str, str]
# What only means something at the start of a line: list markers, setext underlines,
# thematic breaks and ordered-list numbers ("1." or "1)"); see ``_LINE_STARTS``.
_LINE_START = r"^(\s*)(?:([-=])|([0-9]{1,9})([.)]))"
_LINE_STARTS = frozenset("-=0123456789")
# Where a renderer would find a link, a mention or an emoji in plain text (see above).
_FOUND_IN_TEXT: tuple[Rule, ...] = (
    (":", r"(?<=[A-Za-z]):(?=\S)", WORD_JOINER + ":"),  # https://x, mailto:x, tel:1
    (":", r":(?=[A-Za-z0-9_+-]+:)", ":" + WORD_JOINER),  # :smile:
    ("@", r"(?<=\S)@", WORD_JOINER + "@"),  # jane@example.org
    ("@", r"@(?=\w)", "@" + WORD_JOINER),  # @someone
    ("www.", r"(?i)(?<![A-Za-z0-9])(www)(?=\.)", r"\1" + WORD_JOINER),  # www.example.org
)
# pandoc's Markdown makes "--" a dash and "..." an ellipsis; an escaped character it keeps.
# (Two rules, each with its trigger: neither touches the other's characters.)
_TYPOGRAPHY: tuple[Rule, ...] = (
    ("--", r"(?<=-)-", r"\\\g<0>"),
    ("...", r"(?<=\.\.)\.", r"\\\g<0>"),
)


def escape(text: str, indent: str = "") -> str:
    """Text that Markdown shows exactly as written.

    Significant punctuation is backslash-escaped; line breaks become hard
    breaks, with ``indent`` after each so the text stays inside a list item.
    Leading and trailing whitespace is dropped, as any renderer would.
    """
    lines = split_lines(shown(text))
    escaped = (_line_start(_punctuation(_unfindable(line))) for line in lines)
    return (HARD_BREAK + indent).join(escaped)


def _line_start(line: str) -> str:
    """A list marker, underline, break or number at the start of the line escaped."""
    if line.lstrip()[:1] not in _LINE_STARTS:  # ("" is not in it either)
        return line
    return re.sub(_LINE_START, _escape_start, line)


def _escape_start(match: re.Match[str]) -> str:
    indent, marker, number, delimiter = match.groups()
    return indent + ("\\" + marker if marker else number + "\\" + delimiter)


def _punctuation(line: str) -> str:
    """Every significant character backslash-escaped, and pandoc's dashes and ellipses."""
    return _apply(_TYPOGRAPHY, _INLINE.sub(r"\\\1", line))


def _unfindable(line: str) -> str:
    """A line with a word joiner inside every address, mention and emoji name."""
    return _apply(_FOUND_IN_TEXT, line)


def _apply(rules: tuple[Rule, ...], line: str) -> str:
    """Each rule in turn, where the line holds its trigger (no rule adds another's)."""
    folded = line.lower()
    for trigger, pattern, replacement in rules:
        if trigger in folded:
            line = re.sub(pattern, replacement, line)
    return line
