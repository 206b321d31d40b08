"""``foracheck export``: what scripts rely on, through ``cli.main`` and as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from biglist import write_big_checklist
from helpers import run_cli
from render_helpers import (
    HOSTILE,
    NOW,
    answered,
    big_progress,
    bundled,
    filled,
    invoke,
    load,
    save,
)

from foracheck.errors import EXIT_DATA, EXIT_INCOMPLETE, EXIT_IO, EXIT_USAGE
from foracheck.loader import check_file
from foracheck.model import Progress, applicable_items, is_resolved
from foracheck.paths import Locations
from foracheck.render import Options, render

NOTICE = "No answers are saved yet; exporting the lists with every item open.\n"
CapSys = pytest.CaptureFixture[str]


def without_export_time(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("Exported: ")]


def all_resolved(checklists: list) -> Progress:  # type: ignore[type-arg]
    """Every item answered (so every applicable one): tasks done, questions no, text x."""
    answers = {
        checklist.id: [
            (item.id, {"task": "done", "yesno": "no"}.get(item.type, "x"), None)
            for item in checklist.items
        ]
        for checklist in checklists
    }
    return answered(checklists, answers)


def test_nothing_saved_says_so_and_still_exports_every_item_open(
    capsys: CapSys, locations: Locations
) -> None:
    code, out, err = invoke(capsys, "export")
    assert (code, err) == (0, NOTICE)
    assert out.startswith("# Getting ready for your foraminotomy\n")
    assert "- [x]" not in out and out.count("- [ ]") > 10
    assert not locations.home.exists()  # exporting creates nothing


def test_saved_answers_are_exported_without_a_notice(capsys: CapSys, locations: Locations) -> None:
    checklists = bundled()
    save(locations, filled(checklists))
    before = locations.progress_file.read_bytes()
    code, out, err = invoke(capsys, "export", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["surgery_date"] == "2025-03-14"
    assert any(item["resolved"] for c in data["checklists"] for item in c["items"])
    assert locations.progress_file.read_bytes() == before


def test_export_is_the_same_bytes_each_time_apart_from_the_time(
    capsys: CapSys, locations: Locations
) -> None:
    save(locations, filled(bundled()))
    first = invoke(capsys, "export")[1]
    second = invoke(capsys, "export")[1]
    assert without_export_time(first) == without_export_time(second)


def test_named_lists_come_in_walking_order(capsys: CapSys) -> None:
    code, out, _ = invoke(capsys, "export", "day-of", "week-before", "--format", "json")
    assert code == 0
    assert [c["id"] for c in json.loads(out)["checklists"]] == ["week-before", "day-of"]


def test_unknown_list_or_format_is_a_usage_error(capsys: CapSys) -> None:
    code, out, err = invoke(capsys, "export", "no-such-list")
    assert (code, out) == (EXIT_USAGE, "")
    assert "no-such-list" in err and "week-before" in err
    code, out, err = invoke(capsys, "export", "--format", "xml")
    assert (code, out) == (EXIT_USAGE, "")
    assert "'xml' is not one of: markdown, json, fhir, ics." in err


def test_output_file_is_written_whole_and_private(
    capsys: CapSys, tmp_path: Path, locations: Locations
) -> None:
    save(locations, filled(bundled()))
    target = tmp_path / "out" / "export.json"
    target.parent.mkdir()
    target.write_text("old contents", encoding="utf-8")
    code, out, err = invoke(capsys, "export", "--format", "json", "--output", str(target))
    assert (code, out, err) == (0, "", "")
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == 1
    assert target.stat().st_mode & 0o777 == 0o600
    assert [path.name for path in target.parent.iterdir()] == ["export.json"]


def test_output_that_cannot_be_written_is_an_io_error(capsys: CapSys, tmp_path: Path) -> None:
    code, out, err = invoke(capsys, "export", "--output", str(tmp_path / "missing" / "x.md"))
    assert (code, out) == (EXIT_IO, "")
    assert "Could not write" in err and "Traceback" not in err


def test_require_complete_exits_1_after_writing_when_items_are_open(
    capsys: CapSys, tmp_path: Path, locations: Locations
) -> None:
    checklists = bundled()
    save(locations, filled(checklists))
    target = tmp_path / "export.md"
    code, out, err = invoke(capsys, "export", "--require-complete", "--output", str(target))
    assert code == EXIT_INCOMPLETE
    assert target.read_text(encoding="utf-8").startswith("# Getting ready")
    progress = filled(checklists)
    still_open = sum(
        not is_resolved(item, progress.answer(checklist.id, item.id))
        for checklist in checklists
        for item in applicable_items(checklist, progress.answers_for(checklist.id))
    )
    assert err.startswith(f"{still_open} items are still open (") and "1 in week-before" in err
    assert "Asked the nurse" not in err and "Aspirin" not in err  # no answers in errors
    code, out, err = invoke(capsys, "export", "--require-complete", "week-before")
    assert code == EXIT_INCOMPLETE and out.startswith("# Getting ready")
    assert err == (
        "1 item is still open in week-before. "
        "Answer it with 'foracheck start --all' or 'foracheck mark'.\n"  # one item: "it"
    )


def test_require_complete_exits_0_when_everything_applicable_is_resolved(
    capsys: CapSys, locations: Locations
) -> None:
    checklists = bundled()
    save(locations, all_resolved(checklists))
    code, out, err = invoke(capsys, "export", "--require-complete", "--format", "json")
    assert (code, err) == (0, "")
    items = [i for c in json.loads(out)["checklists"] for i in c["items"]]
    # Answers to follow-ups whose condition is not met are listed too, marked as not applying.
    assert all(i["resolved"] for i in items if i["applies"])
    assert any(not i["applies"] for i in items)


def test_unreadable_progress_is_reported_not_exported(capsys: CapSys, locations: Locations) -> None:
    locations.home.mkdir(parents=True)
    locations.progress_file.write_text("{not json", encoding="utf-8")
    code, out, err = invoke(capsys, "export")
    assert (code, out) == (EXIT_DATA, "")
    assert "could not be read" in err


def test_clinic_lists_with_hostile_text_export(capsys: CapSys, locations: Locations) -> None:
    save(locations, filled(load(HOSTILE)))
    code, out, _ = invoke(capsys, "--checklists", str(HOSTILE), "export", "hostile")
    assert code == 0
    assert "\\<script\\>alert(1)\\</script\\>" in out


# -- real processes ------------------------------------------------------------------------

IMPORTED_MODULES = """
import sys
from foracheck.cli import main
try:
    main(sys.argv[1:])
except SystemExit as stop:
    print(stop.code, sorted(m for m in sys.modules if m.split(".")[0] in ("rich", "yaml")),
          file=sys.stderr)
"""


@pytest.mark.parametrize("fmt", ["json", "markdown", "fhir"])
def test_export_never_imports_rich(fmt: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORTED_MODULES, "export", "--format", fmt],
        capture_output=True,
        text=True,
        check=False,
    )
    last = result.stderr.splitlines()[-1]
    assert last.startswith("0 ") and "rich" not in last, result.stderr


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """The reader goes away before foracheck writes: no traceback, exit 1."""
    process = subprocess.Popen(
        [sys.executable, "-m", "foracheck", "export", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "FORACHECK_HOME": str(tmp_path / "home")},
    )
    assert process.stdout is not None
    process.stdout.close()
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == EXIT_INCOMPLETE
    assert stderr.decode() == NOTICE


def test_export_piped_into_head_prints_no_traceback(tmp_path: Path) -> None:
    big = write_big_checklist(tmp_path, 2000)
    script = textwrap.dedent(
        f"""
        set -o pipefail
        "{sys.executable}" -m foracheck --checklists "{big}" export big-2000 | head -1
        """
    )
    result = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "FORACHECK_HOME": str(tmp_path / "home")},
        check=False,
    )
    assert result.stdout == "# Getting ready for your foraminotomy\n"
    assert result.stderr == NOTICE
    assert result.returncode in (0, EXIT_INCOMPLETE)


def test_python_dash_m_exports_like_the_command() -> None:
    result = run_cli("export", "week-before", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["checklists"][0]["id"] == "week-before"


ESCAPING_PIPE_ERROR = """
import sys
from foracheck import cli

def write(args):
    sys.stdout.write("x" * 200_000)
    sys.stdout.flush()
    return 0

cli._run = write
cli.main([])
"""


def test_a_closed_pipe_met_outside_typer_is_quiet_too() -> None:
    """Typer handles a closed pipe met inside a command; ``main`` handles the rest."""
    process = subprocess.Popen(
        [sys.executable, "-c", ESCAPING_PIPE_ERROR], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    process.stdout.close()
    _, stderr = process.communicate(timeout=20)
    assert (process.returncode, stderr.decode()) == (EXIT_INCOMPLETE, "")


@pytest.mark.parametrize("items", [200, 2000])
def test_a_long_list_validates_and_exports_well_under_a_second(tmp_path: Path, items: int) -> None:
    path = write_big_checklist(tmp_path, items)
    # CPU time of this process: other work on a busy machine cannot make it flaky.
    started = time.process_time()
    checklist, problems = check_file(path)
    assert checklist is not None and not problems
    progress = big_progress(checklist)
    for fmt in ("json", "markdown"):
        render("export", fmt, [checklist], progress, Options(NOW))
    elapsed = time.process_time() - started
    assert elapsed < 0.5, f"{items} items took {elapsed:.3f} s of CPU"
