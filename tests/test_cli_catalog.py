"""``list``, ``show``, ``validate``, the global options, --version and --help, as real processes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import BUNDLED, DATA, run_here

from foracheck import __version__

BUNDLED_IDS = ["plan-ahead", "tell-your-surgeon", "week-before", "day-of", "after-surgery"]

CLINIC_DAY_OF = """\
format: 1
id: day-of
title: Clinic day-of list
order: 40
items:
  - id: bring-id
    type: task
    text: Bring your photo ID.
"""


def clinic_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "clinic"
    folder.mkdir()
    (folder / "day-of.yaml").write_text(CLINIC_DAY_OF, encoding="utf-8")
    return folder


def test_version_and_python_dash_m() -> None:
    result = run_here("--version")
    assert (result.returncode, result.stdout) == (0, f"foracheck {__version__}\n")


def test_help_names_every_command_and_the_reminder() -> None:
    result = run_here("--help")
    assert result.returncode == 0
    for command in [
        "start",
        "status",
        "list",
        "show",
        "mark",
        "print",
        "export",
        "validate",
        "reset",
    ]:
        assert command in result.stdout
    assert "do not replace your care team" in result.stdout


def test_unknown_command_is_a_usage_error_without_traceback() -> None:
    result = run_here("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "frobnicate" in result.stderr


def test_list_shows_bundled_lists_in_order() -> None:
    result = run_here("list")
    assert result.returncode == 0
    rows = result.stdout.splitlines()
    assert rows[0].split() == ["ID", "TITLE", "ITEMS", "FROM"]
    assert [row.split()[0] for row in rows[1:]] == BUNDLED_IDS
    assert all(row.endswith("bundled") for row in rows[1:])


def test_list_json_is_stable_and_complete() -> None:
    result = run_here("list", "--json")
    document = json.loads(result.stdout)
    assert document["format"] == 1
    assert [entry["id"] for entry in document["checklists"]] == BUNDLED_IDS
    for entry in document["checklists"]:
        assert entry["origin"] == "bundled"
        assert Path(entry["path"]).name == f"{entry['id']}.yaml"
        assert entry["items"] > 0
        assert set(entry) >= {"due_days_before", "when"}


@pytest.mark.parametrize("how", ["option", "env"])
def test_a_clinic_list_replaces_the_bundled_one(tmp_path: Path, how: str) -> None:
    folder = clinic_folder(tmp_path)
    if how == "option":
        result = run_here("--checklists", str(folder), "list", "--json")
    else:
        other = tmp_path / "empty"
        other.mkdir()
        value = os.pathsep.join([str(other), str(folder)])
        result = run_here("list", "--json", env={"FORACHECK_CHECKLISTS": value})
    assert result.returncode == 0, result.stderr
    entries = {entry["id"]: entry for entry in json.loads(result.stdout)["checklists"]}
    assert list(entries) == BUNDLED_IDS
    assert entries["day-of"]["origin"] == "extra"
    assert entries["day-of"]["path"] == str(folder / "day-of.yaml")
    assert entries["day-of"]["title"] == "Clinic day-of list"
    assert entries["week-before"]["origin"] == "bundled"


def test_list_table_names_the_clinic_file(tmp_path: Path) -> None:
    folder = clinic_folder(tmp_path)
    result = run_here("--checklists", str(folder / "day-of.yaml"), "list")
    row = next(line for line in result.stdout.splitlines() if line.startswith("day-of"))
    assert row.endswith(str(folder / "day-of.yaml"))


def test_an_invalid_clinic_list_stops_every_command_with_65(tmp_path: Path) -> None:
    folder = clinic_folder(tmp_path)
    (folder / "broken.yaml").write_text("format: 1\nid: broken\ntitle: x\nitem: []\n")
    result = run_here("--checklists", str(folder), "list")
    assert result.returncode == 65
    assert f"{folder / 'broken.yaml'}:4:1: unknown key 'item'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_checklist_path_is_66(tmp_path: Path) -> None:
    result = run_here("--checklists", str(tmp_path / "nowhere"), "list")
    assert result.returncode == 66
    assert "nowhere" in result.stderr


def test_two_clinic_lists_with_one_id_are_refused(tmp_path: Path) -> None:
    folder = clinic_folder(tmp_path)
    (folder / "again.yaml").write_text(CLINIC_DAY_OF)
    result = run_here("--checklists", str(folder), "list")
    assert result.returncode == 65
    assert "already used" in result.stderr


def test_show_prints_every_item_and_the_source() -> None:
    result = run_here("show", "tell-your-surgeon", env={"COLUMNS": "200"})
    assert result.returncode == 0
    text = (BUNDLED / "tell-your-surgeon.yaml").read_text()
    for line in text.splitlines():
        if line.strip().startswith("text:"):
            assert line.split("text:", 1)[1].strip() in result.stdout
    assert "Only if you answered" in result.stdout
    assert "medlineplus.gov" in result.stdout


def test_show_unknown_list_names_the_known_ones() -> None:
    result = run_here("show", "week-after")
    assert result.returncode == 2
    assert "week-after" in result.stderr
    for list_id in BUNDLED_IDS:
        assert list_id in result.stderr


def test_validate_passes_good_files_and_reports_bad_ones(tmp_path: Path) -> None:
    good = clinic_folder(tmp_path) / "day-of.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: 1\nid: Bad\ntitle: t\nitems:\n  - id: a\n    type: chore\n    text: x\n"
    )
    result = run_here("validate", str(good), str(bad))
    assert result.returncode == 65
    assert f"{good}: ok (day-of, 1 item)" in result.stdout
    assert result.stderr.splitlines()[:2] == [
        f"{bad}:2:5: 'id' is 'Bad', which is not a valid id: use lowercase letters, digits and "
        "hyphens, start with a letter or digit, at most 64 characters",
        f"{bad}:6:11: 'type' is 'chore'; it must be one of: task, yesno, text",
    ]


def test_validate_all_bundled_lists_and_a_folder() -> None:
    result = run_here("validate", str(BUNDLED))
    assert result.returncode == 0, result.stderr
    # Each list and its Spanish translation, checked against each other.
    assert result.stdout.count(": ok (") == 2 * len(BUNDLED_IDS)
    assert result.stdout.count(".es.yaml: ok (") == len(BUNDLED_IDS)


def test_validate_every_invalid_fixture_at_once() -> None:
    files = sorted((DATA / "invalid").glob("*.yaml"))
    result = run_here("validate", *map(str, files))
    assert result.returncode == 65
    reported = {line.split(":", 1)[0] for line in result.stderr.splitlines() if ":" in line}
    assert {str(path) for path in files} <= reported


def test_validate_a_missing_file_is_66(tmp_path: Path) -> None:
    result = run_here("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 66
    assert "nope.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_home_option_is_used_for_progress(tmp_path: Path) -> None:
    home = tmp_path / "elsewhere"
    result = run_here("--home", str(home), "mark", "day-of", "arrive-on-time", "done")
    assert result.returncode == 0, result.stderr
    assert (home / "progress.json").exists()
