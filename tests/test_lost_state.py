"""A lost state is never shown or sent as an empty one (guarantee 20, finding 3), and every
name foracheck prints is safe text (guarantee 21, finding 4).

The progress file is deleted (or moved aside as damaged) while the backup still
holds answers: the screens open with a sentence naming ``foracheck restore`` and
exit 0; what is sent to someone else refuses (65) and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from render_helpers import invoke

from foracheck import lost, marking
from foracheck.catalog import load_catalog
from foracheck.errors import LostProgressError
from foracheck.paths import Locations

MARKS = [
    ("day-of", "arrive-on-time", "done"),
    ("day-of", "check-arrival-time", "skip"),
    ("tell-your-surgeon", "takes-medicines", "no"),
]


@pytest.fixture
def lost_home(locations: Locations) -> Locations:
    """Three answers saved (the backup holds two), then the progress file deleted."""
    catalog = load_catalog(locations)
    for list_id, item_id, answer in MARKS:
        marking.mark(locations, catalog.get(list_id), item_id, answer, None, clear=False)
    locations.progress_file.unlink()
    return locations


@pytest.mark.parametrize("command", [["status"], ["show", "day-of"]])
def test_screens_open_with_a_sentence_naming_restore(
    capsys: pytest.CaptureFixture[str], lost_home: Locations, command: list[str]
) -> None:
    code, out, err = invoke(capsys, *command)
    assert code == 0, err
    first = out.lstrip().splitlines()[0]
    assert "missing" in first and "restore" in first
    assert "No answers are saved yet" not in out + err
    assert not lost_home.progress_file.exists()


def test_print_says_so_first_and_still_prints_the_forms(
    capsys: pytest.CaptureFixture[str], lost_home: Locations
) -> None:
    code, out, err = invoke(capsys, "print")
    assert code == 0
    assert "restore" in err.splitlines()[0]
    assert "The day of surgery" in out  # the patient still has their lists


@pytest.mark.parametrize(
    "command",
    [
        ["export"],
        ["export", "--format", "fhir"],
        ["export", "--format", "json"],
        ["status", "--json"],
        ["show", "day-of", "--json"],
    ],
)
def test_what_is_sent_refuses_65_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], lost_home: Locations, tmp_path: Path, command: list[str]
) -> None:
    code, out, err = invoke(capsys, *command)
    assert code == 65 and out == ""
    assert "restore" in err and "blank record" in err
    if command[0] == "export":
        target = tmp_path / "out.txt"
        code, _, _ = invoke(capsys, *command, "--output", str(target))
        assert code == 65 and not target.exists()


def test_a_damaged_file_is_said_then_every_later_export_refuses(
    capsys: pytest.CaptureFixture[str], lost_home: Locations
) -> None:
    lost_home.progress_file.write_bytes(b'{"schema": 2, "lists": {')  # truncated
    code, _, err = invoke(capsys, "export", "--format", "fhir")
    assert code == 65 and "restore" in err
    code, out, err = invoke(capsys, "export", "--format", "fhir")
    assert code == 65 and out == "" and "restore" in err


def test_export_blank_and_first_use_are_not_refused(
    capsys: pytest.CaptureFixture[str], lost_home: Locations, tmp_path: Path
) -> None:
    assert invoke(capsys, "export", "--blank")[0] == 0  # no answers asked for
    fresh = Locations.resolve(home=tmp_path / "fresh")
    assert lost.lost_state(fresh) is None
    lost.refuse_when_lost(fresh)  # first use: nothing was lost


def test_the_refusal_is_one_function_other_commands_can_call(lost_home: Locations) -> None:
    """``form`` (another helper's command) calls it before writing anything."""
    with pytest.raises(LostProgressError) as raised:
        lost.refuse_when_lost(lost_home)
    assert raised.value.exit_code == 65 and "restore" in raised.value.message


def test_after_restore_the_screens_show_the_answers_again(
    capsys: pytest.CaptureFixture[str], lost_home: Locations
) -> None:
    assert invoke(capsys, "restore")[0] == 0
    code, out, _ = invoke(capsys, "status")
    assert code == 0 and "missing" not in out


# -- guarantee 21: names are safe text -------------------------------------------------

HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x9b31m"


def _raw_controls(text: str) -> list[str]:
    return [c for c in text if c in "\x1b\x07\x9b"]


def test_restore_from_never_echoes_a_hostile_name_raw(
    capsys: pytest.CaptureFixture[str], lost_home: Locations, tmp_path: Path
) -> None:
    missing = tmp_path / f"copy{HOSTILE}.json"
    code, out, err = invoke(capsys, "restore", "--from", str(missing))
    assert code == 66 and _raw_controls(out + err) == []
    named = tmp_path / f"kept{HOSTILE}.json"
    named.write_bytes((lost_home.home / "progress.json.bak").read_bytes())
    code, out, err = invoke(capsys, "restore", "--from", str(named))
    assert code == 0 and "Restored" in out and _raw_controls(out + err) == []


def test_export_output_never_echoes_a_hostile_name_raw(
    capsys: pytest.CaptureFixture[str], locations: Locations
) -> None:
    locations.home.mkdir(mode=0o700)
    inside = locations.home / f"out{HOSTILE}.md"
    code, out, err = invoke(capsys, "export", "--output", str(inside))
    assert code == 2 and "--output" in err and _raw_controls(out + err) == []
    nowhere = locations.home.parent / "no-such-folder" / f"out{HOSTILE}.md"
    code, out, err = invoke(capsys, "export", "--output", str(nowhere))
    assert code != 0 and _raw_controls(out + err) == []


def test_a_hostile_home_path_never_reaches_the_screen_raw(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = tmp_path / f"home{HOSTILE}"
    home.write_text("not a folder", encoding="utf-8")
    code, out, err = invoke(capsys, "--home", str(home), "mark", *MARKS[0])
    assert code != 0 and _raw_controls(out + err) == []
