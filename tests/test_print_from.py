"""``print --from FILE``: a nurse prints a patient's received export without a data
folder of her own for that patient; the data folder is never touched, and a file that
``import`` refuses is refused with the same sentence."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from render_helpers import NOW, bundled, filled, invoke, save

from foracheck.errors import EXIT_DATA, EXIT_NO_INPUT, EXIT_USAGE
from foracheck.paths import Locations
from foracheck.render import Options, render

# The print time is the one thing two printouts of the same answers differ in.
PRINT_TIME = re.compile(r"(Printed|Impreso)[^\n<|]*")


def same_but_time(text: str) -> str:
    return PRINT_TIME.sub("PRINTED", text)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.parametrize("fmt", ["json", "fhir"])
@pytest.mark.parametrize("paper", ["text", "html", "markdown"])
def test_print_from_a_received_export_prints_what_the_sender_would_print(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str, paper: str
) -> None:
    checklists = bundled()
    progress = filled(checklists)
    if fmt == "fhir":  # FHIR carries no surgery date
        progress = dataclasses.replace(progress, surgery_date=None)
    sender = Locations.resolve(home=tmp_path / "sender")
    save(sender, progress)
    received = tmp_path / f"received.{fmt}"
    received.write_text(render("export", fmt, checklists, progress, Options(NOW)), "utf-8")
    if fmt == "fhir":  # FHIR leaves out what does not apply: compare with the file imported
        imported = tmp_path / "imported"
        assert invoke(capsys, "--home", str(imported), "import", str(received))[0] == 0
        sender = Locations.resolve(home=imported)
    code, theirs, _ = invoke(capsys, "--home", str(sender.home), "print", "--format", paper)
    assert code == 0

    nurse = tmp_path / "nurse"  # no data folder at all
    code, printed, err = invoke(
        capsys, "--home", str(nurse), "print", "--from", str(received), "--format", paper
    )
    assert (code, err) == (0, "")
    assert same_but_time(printed) == same_but_time(theirs)
    assert not nurse.exists()


def test_print_from_never_touches_an_existing_data_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, locations: Locations
) -> None:
    checklists = bundled()
    save(locations, dataclasses.replace(filled(checklists), answers={}))  # her own, empty
    invoke(capsys, "status")  # the list cache is written by an ordinary command
    before = snapshot(locations.home)
    received = tmp_path / "received.json"
    received.write_text(render("export", "json", checklists, filled(checklists), Options(NOW)))
    code, printed, _ = invoke(capsys, "print", "--from", str(received))
    assert code == 0 and "[x]" in printed  # the file's answers, not the folder's
    assert snapshot(locations.home) == before


def test_a_refused_file_gets_the_same_sentence_as_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blank = tmp_path / "blank.json"
    blank.write_text(render("export", "fhir", bundled(), filled(bundled()), Options(blank=True)))
    changed = tmp_path / "changed.json"
    document = json.loads(render("export", "json", bundled(), filled(bundled()), Options(NOW)))
    document["checklists"][0]["version"] = "sha256:0000"
    changed.write_text(json.dumps(document))
    for file, code in [(blank, EXIT_DATA), (changed, EXIT_DATA), (tmp_path / "no", EXIT_NO_INPUT)]:
        printed = invoke(capsys, "print", "--from", str(file))
        imported = invoke(capsys, "import", str(file))
        assert printed == imported == (code, "", imported[2])
        assert imported[2].strip()


def test_blank_and_from_do_not_go_together(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = invoke(capsys, "print", "--blank", "--from", str(tmp_path / "x.json"))
    assert code == EXIT_USAGE and "--from" in err
