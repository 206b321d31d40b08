"""Markdown export and printable form: goldens, and escaping proven by a real parser."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from helpers import DATA
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from render_helpers import (
    NOW,
    bundled,
    check_case,
    filled,
    hostile,
    load,
)

from foracheck.model import Progress
from foracheck.presentation import exported_rows, form_rows, split_lines
from foracheck.render import Options, render
from foracheck.render.markdown_escape import WORD_JOINER, escape
from foracheck.safetext import shown

# CommonMark plus the GitHub extensions a renderer is likely to have.
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Block tokens that escaped text must never produce.
FOREIGN_BLOCKS = {"heading_open", "blockquote_open", "fence", "code_block", "html_block", "hr"}
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def inline_text(token: Token) -> str:
    """What a reader sees of an inline token; anything but plain text shows as <type>."""
    parts = []
    for child in token.children or []:
        if child.type == "text":  # the invisible word joiner is no part of what is seen
            parts.append(child.content.replace(WORD_JOINER, ""))
        elif child.type in ("hardbreak", "softbreak"):
            parts.append("\n")
        else:
            parts.append(f"<{child.type}>")
    return "".join(parts)


def inlines(source: str) -> list[str]:
    """The text of every inline run in a document, in order."""
    return [inline_text(token) for token in PARSER.parse(source) if token.type == "inline"]


def visible(text: str) -> str:
    """Text as any renderer shows it: ends trimmed, each line's indentation dropped, and
    no word joiner (invisible, and ``inline_text`` leaves out the ones the escape adds)."""
    lines = LINE_BREAK.split(text.strip())
    return "\n".join(line.lstrip(" \t") for line in lines).replace(WORD_JOINER, "")


def blocks(source: str) -> set[str]:
    return {token.type for token in PARSER.parse(source)}


# -- goldens ---------------------------------------------------------------------------


@pytest.mark.parametrize("lists", ["bundled", "hostile"])
@pytest.mark.parametrize("state", ["empty", "filled"])
def test_export_golden(lists: str, state: str) -> None:
    check_case("export", "markdown", lists, state)


@pytest.mark.parametrize("lists", ["bundled", "hostile"])
@pytest.mark.parametrize("state", ["blank", "filled"])
def test_print_golden(lists: str, state: str) -> None:
    check_case("print", "markdown", lists, state)


# -- escaping ---------------------------------------------------------------------------

HOSTILE_STRINGS = [
    "*stars* _under_ __double__ **bold**",
    "[link](http://example.org) ![image](x.png) [ref][1]",
    "`code` ``two`` \\ backslash \\* escaped",
    "<script>alert(1)</script> <b>bold</b> <!-- comment -->",
    "&amp; &lt; &#35; &#x23; &copy; & alone",
    "| a | b |",
    "# heading #",
    "## two",
    "- dash",
    "+ plus",
    "* star",
    "1. one",
    "2) two",
    "123456789. big",
    "> quote",
    "---",
    "===",
    "~~strike~~ ~one~",
    "$math$ and {braces}",
    "http://example.org and <http://example.org>",
    "line one\nline two",
    "first\n- dash\n1. one\n# hash\n> quote\n===\n---\n```\n    indented\n<div>",
    "ends with backslash \\",
    "a\n\nb",
    "a\r\nb\rc",
    "trailing  \nspaces",
    # what renderers find in plain text: addresses, mentions, emoji, footnotes, pandoc's own
    "write to jane.doe@example.org or mailto:jane@example.org",
    "see www.example.org, WWW.EXAMPLE.ORG, https://example.org/a_b?c=d and ftp://x.org",
    "emoji :smile: :+1: :white_check_mark: and 12:30 and a:b",
    "footnote[^1] and [^note]\n[^1]: the note",
    "![image](x.png) and ![](y) and !",
    "@someone and @org/team and a @ b",
    "2^10^ and H~2~O and ^^",
    "javascript:alert(1) and tel:+15551234 and data:text/html,x",
]


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_escaped_text_reads_as_written_in_a_paragraph(text: str) -> None:
    source = escape(text)
    assert inlines(source) == [visible(text)]
    assert not blocks(source) & FOREIGN_BLOCKS


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_escaped_text_reads_as_written_in_a_task_list(text: str) -> None:
    source = f"- [ ] {escape(text, '  ')}\n- [x] next\n"
    tokens = PARSER.parse(source)
    assert inlines(source) == [f"[ ] {visible(text)}", "[x] next"]
    assert [t.type for t in tokens].count("list_item_open") == 2
    assert not blocks(source) & (FOREIGN_BLOCKS | {"ordered_list_open"})


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list("\\`*_{}[]()<>#+-.!|~&$=:;'\"/ \t\n\r1234567890abc")),
            st.characters(exclude_categories=("Cs", "Cc")),
        ),
        max_size=60,
    )
)
def test_any_text_reads_as_written(text: str) -> None:
    expected = visible(text)
    for source, prefix in [
        (escape(text), ""),
        (f"- [ ] {escape(text, '  ')}\n", "[ ] "),
        (f"10. [x] {escape(text, '    ')}\n", "[x] "),
    ]:
        want = (prefix + expected).strip()
        # A joiner alone at an end leaves what a reader sees as a space, or nothing.
        seen = [run.strip() for run in inlines(source) if run.strip()]
        assert seen == ([want] if want else []), source
        assert not blocks(source) & FOREIGN_BLOCKS, source


# The escaping as it was before each rule got a trigger (every pattern on every line),
# kept as the oracle: a trigger may only save work, never change a byte.
_ORACLE_INLINE = re.compile(r"([\\`*_{}\[\]<>#+|~&$^])")
_ORACLE_LINE_START = re.compile(r"^(\s*)(?:([-=])|([0-9]{1,9})([.)]))")
_ORACLE_FOUND = (
    (re.compile(r"(?<=[A-Za-z]):(?=\S)"), WORD_JOINER + ":"),
    (re.compile(r":(?=[A-Za-z0-9_+-]+:)"), ":" + WORD_JOINER),
    (re.compile(r"(?<=\S)@"), WORD_JOINER + "@"),
    (re.compile(r"@(?=\w)"), "@" + WORD_JOINER),
    (re.compile(r"(?i)(?<![A-Za-z0-9])(www)(?=\.)"), r"\1" + WORD_JOINER),
)
_ORACLE_TYPOGRAPHY = re.compile(r"(?<=-)-|(?<=\.\.)\.")


def _oracle_start(match: re.Match[str]) -> str:
    indent, marker, number, delimiter = match.groups()
    return indent + ("\\" + marker if marker else number + "\\" + delimiter)


def escaped_by_every_rule(text: str, indent: str = "") -> str:
    lines = []
    for line in split_lines(shown(text)):
        for pattern, replacement in _ORACLE_FOUND:
            line = pattern.sub(replacement, line)
        line = _ORACLE_TYPOGRAPHY.sub(r"\\\g<0>", _ORACLE_INLINE.sub(r"\\\1", line))
        lines.append(_ORACLE_LINE_START.sub(_oracle_start, line))
    return ("\\\n" + indent).join(lines)


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list("\\`*_{}[]<>#+-=.:@wW\u0130 \t\n\r\u00a0\u20600123456789aZ")),
            st.characters(exclude_categories=("Cs",)),
        ),
        max_size=60,
    )
)
def test_the_triggers_only_skip_rules_that_cannot_match(text: str) -> None:
    assert escape(text, "  ") == escaped_by_every_rule(text, "  ")


@pytest.mark.parametrize(
    "text",
    [
        *HOSTILE_STRINGS,
        "WWW.Example.org --- ... ....",
        " \u00a0- x",
        "=",
        "a:b:c@d@ e",
        "\n".join(f"{start}. {start}) x" for start in "-=0123456789"),
    ],
)
def test_the_triggers_keep_every_hostile_string_s_bytes(text: str) -> None:
    assert escape(text) == escaped_by_every_rule(text)


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=40).filter(str.strip)
)
def test_any_title_reads_as_written_in_a_heading(text: str) -> None:
    source = f"## {escape(text)}\n"
    assert inlines(source) == [visible(text)]


# -- the export as a whole ----------------------------------------------------------------


def test_hostile_export_shows_every_text_answer_and_note_exactly() -> None:
    checklists = hostile()
    progress = filled(checklists)
    source = render("export", "markdown", checklists, progress, Options(NOW))
    rows = exported_rows(checklists[0], progress)
    expected_items = [
        f"{'[x]' if row.resolved else '[ ]'} {row.headline}"
        + (f"\nNote: {visible(row.note)}" if row.note else "")
        for row in rows
    ]
    surgeon = [row for row in rows if row.tell_surgeon]
    assert inlines(source) == [
        "Getting ready for your foraminotomy",
        "Surgery date: 2025-03-14",
        "Exported: 2025-03-01T09:30:00+01:00",
        checklists[0].title,
        visible(checklists[0].intro or ""),  # the list's own words, exactly as written
        *expected_items,
        "Tell your surgeon",
        *[row.headline + (f"\nNote: {visible(row.note)}" if row.note else "") for row in surgeon],
    ]
    assert not blocks(source) & (FOREIGN_BLOCKS - {"heading_open"})


def test_export_has_the_contract_shape() -> None:
    checklists = bundled()
    source = render("export", "markdown", checklists, filled(checklists), Options(NOW))
    tokens = PARSER.parse(source)
    headings = [
        (tokens[i].tag, inline_text(tokens[i + 1]))
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    assert headings == [
        ("h1", "Getting ready for your foraminotomy"),
        *[("h2", checklist.title) for checklist in checklists],
        ("h2", "Tell your surgeon"),
    ]
    lines = source.splitlines()
    assert lines[2] == "Surgery date: 2025-03-14"
    assert lines[4] == "Exported: 2025-03-01T09:30:00+01:00"
    assert all(line.startswith(("- [x] ", "- [ ] ")) for line in lines if line.startswith("- ["))


def test_only_applicable_items_are_exported() -> None:
    checklists = hostile()
    answers = filled(checklists).answers_for("hostile")
    blank = render("export", "markdown", checklists, Progress(), Options(NOW))
    full = render("export", "markdown", checklists, filled(checklists), Options(NOW))
    assert "Which ones?" not in blank
    assert "Which ones?" in full
    assert answers["question"].value == "yes"


def test_same_progress_same_bytes_apart_from_the_export_time() -> None:
    checklists = bundled()
    progress = filled(checklists)
    first = render("export", "markdown", checklists, progress, Options(NOW)).splitlines()
    later = Options(NOW + timedelta(days=3, minutes=7))
    second = render("export", "markdown", checklists, progress, later).splitlines()
    differing = [(a, b) for a, b in zip(first, second, strict=True) if a != b]
    assert len(differing) == 1
    assert all(line.startswith("Exported: ") for line in differing[0])


def test_empty_summary_says_so() -> None:
    source = render("export", "markdown", bundled(), Progress(), Options(NOW))
    assert source.endswith(
        "## Tell your surgeon\n\nNothing to tell your surgeon from these answers yet.\n"
    )
    assert "Surgery date: not set" in source


def test_printed_markdown_shows_every_item_with_its_condition() -> None:
    checklists = hostile()
    source = render("print", "markdown", checklists, Progress(), Options(NOW, blank=True))
    shown = "\n".join(inlines(source))
    for row in form_rows(checklists[0], Progress()):
        assert row.item.text in shown
    assert 'Only if you answered "yes" to: ' + checklists[0].items[6].text in shown
    assert "<html_inline>" not in shown


def test_large_print_is_a_loose_list_and_a_critical_step_has_its_pair() -> None:
    """Rendered as a reader sees it (markdown-it, which Rich brings): in large print every
    step is a paragraph of its own (more space), and a critical step shows both boxes."""
    checklists = load(DATA / "critical.yaml")
    normal = MarkdownIt().render(render("print", "markdown", checklists, Progress(), Options(NOW)))
    large = MarkdownIt().render(
        render("print", "markdown", checklists, Progress(), Options(NOW, large=True))
    )
    assert "<li>\n<p>" in large and "<li>\n<p>" not in normal
    assert large.count("[ ] Done  [ ] Does not apply: ________________________") == 2
