"""Escaped Markdown read by the renderers people use: cmark-gfm (GitHub's own
library, with its autolink, strikethrough, table, task-list and footnote extensions)
and pandoc (its GitHub and its own Markdown, with bare-URI links, emoji, footnotes,
super- and subscripts). Each must show exactly the characters written: no link,
picture, emoji or footnote made from them. markdown-it is in test_render_markdown.py.
The tools are Debian packages (``apt-get install cmark-gfm pandoc``); without one its
tests skip with the reason."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
from render_helpers import NOW, filled, hostile
from test_render_markdown import HOSTILE_STRINGS, visible

from foracheck.render import Options, render
from foracheck.render.markdown_escape import WORD_JOINER, escape

RENDERERS = {
    "cmark-gfm": [
        "cmark-gfm",
        *("--extension", "autolink", "--extension", "strikethrough"),
        *("--extension", "table", "--extension", "tasklist", "--extension", "footnotes"),
    ],
    "pandoc-gfm": ["pandoc", "--from", "gfm", "--to", "html", "--wrap", "none"],
    "pandoc-markdown": ["pandoc", "--from", "markdown", "--to", "html", "--wrap", "none"],
}
SENTINEL = "SENTINEL{number}"
_SPLIT = re.compile(r"<p>SENTINEL\d+</p>")
_BREAK = re.compile(r"<br ?/?>\n?")
# pandoc's Markdown curls straight quotes (its "smart" typography): the same characters
# to a reader, so they are straightened before comparing. Dashes and "..." are escaped.
_CURLED = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


def lines_seen(text: str) -> str:
    """Text as a reader sees it: spaces before a line break show as nothing."""
    return "\n".join(line.rstrip() for line in text.split("\n"))


def rendered(renderer: str, source: str) -> str:
    command = RENDERERS[renderer]
    if shutil.which(command[0]) is None:
        pytest.skip(f"needs {command[0]} (Debian package '{command[0]}')")
    done = subprocess.run(
        command, input=source, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def seen(fragment: str) -> str:
    """A paragraph's HTML as a reader sees it; any element but the paragraph and its
    line breaks is kept as a tag, so that a link or an emoji shows up as a difference."""
    inner = _BREAK.sub("\n", fragment.strip())
    inner = inner.removeprefix("<p>").removesuffix("</p>")
    return lines_seen(html.unescape(inner).replace(WORD_JOINER, "").translate(_CURLED).strip())


@pytest.mark.parametrize("renderer", list(RENDERERS))
def test_every_hostile_string_reads_as_written(renderer: str) -> None:
    strings = [text for text in HOSTILE_STRINGS if visible(text)]
    source = "\n\n".join(
        f"{SENTINEL.format(number=n)}\n\n{escape(text)}" for n, text in enumerate(strings)
    )
    chunks = _SPLIT.split(rendered(renderer, source + "\n"))[1:]
    assert len(chunks) == len(strings)
    for text, chunk in zip(strings, chunks, strict=True):
        assert seen(chunk) == lines_seen(visible(text)), (text, chunk)


@pytest.mark.parametrize("renderer", list(RENDERERS))
def test_the_hostile_export_makes_no_link_picture_emoji_or_footnote(renderer: str) -> None:
    checklists = hostile()
    source = render("export", "markdown", checklists, filled(checklists), Options(NOW))
    output = rendered(renderer, source)
    for made in ("<a ", "<img", "emoji", "footnote", "<sup", "<sub", "<del", "<script"):
        assert made not in output, made
