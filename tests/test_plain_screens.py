"""Plain mode for every command: ``status``, ``show``, ``list`` and ``print`` (text) in
words, with no bars, brackets, arrows or glyph-only marks; checked by bytes and by
what espeak-ng (when installed) says."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from render_helpers import invoke

SCREENS = [
    ("status",),
    ("show", "week-before"),
    ("list",),
    ("print", "week-before", "--format", "text"),
]
# What a screen reader would read out as a symbol: bars, boxes, arrows, rules, blanks.
GLYPHS = re.compile(r"\[|\]|->|#|^=+$|___|^\s*- ", re.M)


@pytest.fixture
def answered(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A date, a done task with a note, a text answer for the surgeon."""
    assert invoke(capsys, "date", "2026-12-10", "--yes")[0] == 0
    batch = tmp_path / "answers.tsv"
    batch.write_text(
        "week-before\task-about-blood-thinners\tdone\tDr Lee\n"
        "tell-your-surgeon\ttakes-medicines\tyes\n"
        "tell-your-surgeon\twhich-medicines\taspirin\n",
        encoding="utf-8",
    )
    assert invoke(capsys, "mark", "--batch", str(batch))[0] == 0


def screen(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = invoke(capsys, *args)
    assert code == 0, err
    return out


@pytest.mark.parametrize("args", SCREENS, ids=[args[0] for args in SCREENS])
def test_plain_screens_say_everything_in_words(
    answered: None, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    plain = screen(capsys, "--plain", *args)
    assert GLYPHS.findall(plain) == [], plain
    assert "\x1b" not in plain
    if args[0] != "list":  # the check can fail: the normal screen has the glyphs
        assert GLYPHS.findall(screen(capsys, *args))


def test_plain_status_and_show_give_counts_marks_and_answers_in_words(
    answered: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status = " ".join(screen(capsys, "--plain", "status").split())
    assert re.search(r"Your lists: \d+ of \d+ done: ", status)
    assert "1 of 4 done: The week before surgery" in status
    assert "You answered: aspirin." in status
    show = " ".join(screen(capsys, "--plain", "show", "week-before").split())
    assert "1. Done: Ask your surgeon if you should stop any blood thinners" in show
    assert "2. Open:" in show


def _phonemes(text: str) -> str:
    spoken = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", "en-us"], input=text, capture_output=True, text=True
    )
    return spoken.stdout


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_espeak_reads_no_symbol_names_in_plain_status(
    answered: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """espeak-ng says "hash" for '#', and so on: none of those words may be heard."""
    symbols = {name: _phonemes(name).strip() for name in ("hash", "underscore", "bracket")}
    plain = _phonemes(screen(capsys, "--plain", "status"))
    normal = _phonemes(screen(capsys, "status"))
    assert symbols["hash"] in normal  # the bar [#---] is heard as "hash"
    heard = [name for name, sound in symbols.items() if sound in plain]
    assert heard == []
