"""``foracheck print``: the nurse's paper form, through ``cli.main`` and as a real process."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_here
from render_helpers import HOSTILE, bundled, filled, invoke, load, save

from foracheck.errors import EXIT_DATA, EXIT_USAGE
from foracheck.paths import Locations

CapSys = pytest.CaptureFixture[str]


def test_default_is_text_filled_from_saved_progress(capsys: CapSys, locations: Locations) -> None:
    save(locations, filled(bundled()))
    code, out, err = invoke(capsys, "print")
    assert (code, err) == (0, "")
    assert out.startswith("Getting ready for your foraminotomy\n")
    assert "Surgery date:  2025-03-14" in out and "[x]" in out and "Answer: done" in out
    assert out.count("Sheet ") == out.count("\f") + 1  # one line on every page


def test_nothing_saved_prints_an_open_form(capsys: CapSys, locations: Locations) -> None:
    code, out, err = invoke(capsys, "print", "week-before")
    assert (code, err) == (0, "")
    assert "[x]" not in out and "Surgery date:  ____" in out
    assert not locations.home.exists()


def test_blank_never_reads_progress(capsys: CapSys, locations: Locations) -> None:
    locations.home.mkdir(parents=True)
    locations.progress_file.write_text("{not json", encoding="utf-8")
    code, out, _ = invoke(capsys, "print", "--blank", "--format", "markdown")
    assert code == 0
    # a task box per item, but a critical task has its (escaped) "Done / Does not apply" pair
    pairs = sum(item.critical and item.type == "task" for c in bundled() for item in c.items)
    assert "[x]" not in out and "\\[x\\]" not in out
    assert out.count("[ ]") == sum(len(c.items) for c in bundled()) - pairs
    assert out.count("\\[ \\] Done  \\[ \\] Does not apply") == pairs
    assert locations.progress_file.read_text(encoding="utf-8") == "{not json"
    code, out, _ = invoke(capsys, "print")
    assert (code, out) == (EXIT_DATA, "")


def test_html_to_a_private_file(capsys: CapSys, tmp_path: Path, locations: Locations) -> None:
    save(locations, filled(bundled()))
    target = tmp_path / "form.html"
    code, out, err = invoke(capsys, "print", "--format", "html", "-o", str(target), "day-of")
    assert (code, out, err) == (0, "", "")
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('<section class="sheet ') == 2
    assert target.stat().st_mode & 0o777 == 0o600


def test_formats_come_from_the_registry(capsys: CapSys) -> None:
    code, _, err = invoke(capsys, "print", "--format", "json")
    assert code == EXIT_USAGE
    assert "'json' is not one of: text, markdown, html." in err
    code, out, _ = invoke(capsys, "print", "--help")
    assert code == 0 and "--format text|markdown|html" in out


def test_clinic_list_with_hostile_text(capsys: CapSys, locations: Locations) -> None:
    save(locations, filled(load(HOSTILE)))
    code, out, _ = invoke(
        capsys, "--checklists", str(HOSTILE), "print", "hostile", "--format", "html"
    )
    assert code == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "<script" not in out


CAFE_LIST = """\
format: 1
id: cafe
title: Café list
items:
  - id: one
    type: task
    text: Naïve — “quoted” item ✓
"""


def test_plain_ascii_output_never_crashes(tmp_path: Path) -> None:
    clinic = tmp_path / "cafe.yaml"
    clinic.write_text(CAFE_LIST, encoding="utf-8")
    result = run_here(
        "--checklists",
        str(clinic),
        "print",
        "cafe",
        env={"PYTHONIOENCODING": "ascii", "NO_COLOR": "1"},
    )
    assert (result.returncode, result.stderr) == (0, "")
    # Typer writes UTF-8 to a stream that claims ASCII; either way, nothing is lost.
    shown = {"Café list" in result.stdout, "Caf? list" in result.stdout}
    assert True in shown and "1. [ ] Na" in result.stdout
