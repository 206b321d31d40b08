"""``foracheck import``: round trips, conflicts, dry runs, and files refused whole."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from helpers import DATA, run_here
from render_helpers import HOSTILE, NOW, bundled, filled, hostile, invoke, save

from foracheck import importing
from foracheck.errors import (
    EXIT_DATA,
    EXIT_LOCKED,
    EXIT_NO_INPUT,
    LostProgressError,
    UnusableFileError,
)
from foracheck.lock import ProgressLock
from foracheck.model import Answer, Checklist, Progress
from foracheck.paths import Locations
from foracheck.render import Options, render
from foracheck.store import read_progress

EARLY = "2025-02-20T08:00:00+01:00"
LATE = "2025-02-28T08:00:00+01:00"
SECRET = "Oxycodone-secret-dose"


def signed(checklists: Sequence[Checklist]) -> Progress:
    """The renderers' filled progress, with every third answer given by someone else."""
    progress = filled(checklists)
    who = ["patient", "caregiver", "clinician"]
    answers = {
        list_id: {
            item_id: dataclasses.replace(answer, by=who[number % 3])
            for number, (item_id, answer) in enumerate(sorted(items.items()))
        }
        for list_id, items in progress.answers.items()
    }
    return dataclasses.replace(progress, answers=answers)


def folder(tmp_path: Path, name: str) -> Locations:
    return Locations.resolve(home=tmp_path / name)


def export(fmt: str, checklists: Sequence[Checklist], progress: Progress) -> str:
    return render("export", fmt, checklists, progress, Options(NOW))


@pytest.mark.parametrize("fmt", ["json", "fhir"])
@pytest.mark.parametrize("lists", [bundled, hostile], ids=["bundled", "hostile"])
def test_export_import_export_gives_the_same_bytes(
    tmp_path: Path, fmt: str, lists: Callable[[], list[Checklist]]
) -> None:
    checklists = lists()
    first = export(fmt, checklists, signed(checklists))
    file = tmp_path / f"export.{fmt}"
    file.write_text(first, encoding="utf-8")
    target = folder(tmp_path, "other")
    message = importing.import_file(target, checklists, file, dry_run=False)
    assert "added" in message
    imported = read_progress(target)
    assert imported is not None
    assert export(fmt, checklists, imported) == first
    assert {a.by for items in imported.answers.values() for a in items.values()} == {
        "patient",
        "caregiver",
        "clinician",
    }


def test_a_real_round_trip_between_two_data_folders_with_the_hostile_list(tmp_path: Path) -> None:
    one = str(tmp_path / "one")
    lists = ["--checklists", str(HOSTILE)]
    assert run_here("--home", one, *lists, "mark", "hostile", "question", "yes").returncode == 0
    marked = run_here(
        "--home", one, *lists, "mark", "hostile", "which", "A *name*", "--by", "caregiver"
    )
    assert marked.returncode == 0, marked.stderr
    for fmt in ("json", "fhir"):
        file = tmp_path / f"out.{fmt}"
        assert (
            run_here("--home", one, *lists, "export", "--format", fmt, "-o", str(file)).returncode
            == 0
        )
        home = str(tmp_path / f"two-{fmt}")
        done = run_here("--home", home, *lists, "import", str(file))
        assert done.returncode == 0, done.stderr
        kind = "a foracheck JSON export" if fmt == "json" else "a FHIR QuestionnaireResponse"
        assert done.stdout.startswith(f"Imported from {kind}: 2 answers added")
        again = run_here("--home", home, *lists, "export", "--format", fmt).stdout
        stamp = "exported_at" if fmt == "json" else '"timestamp"'
        assert without(stamp, again) == without(stamp, file.read_text(encoding="utf-8"))


def without(stamp: str, text: str) -> list[str]:
    """The lines of an export but its time stamp."""
    return [line for line in text.splitlines() if stamp not in line]


def progress_file(locations: Locations) -> bytes:
    return locations.progress_file.read_bytes()


def test_newer_answers_win_and_yours_are_kept_when_newer(
    tmp_path: Path, locations: Locations
) -> None:
    checklists = bundled()
    day_of = next(c for c in checklists if c.id == "day-of")
    ids = [item.id for item in day_of.items if item.type == "task"][:3]
    mine = Progress()
    mine = mine.with_answer(day_of, ids[0], Answer("not-yet", EARLY))  # older: replaced
    mine = mine.with_answer(day_of, ids[1], Answer("not-yet", LATE))  # newer: kept
    save(locations, mine)
    theirs = Progress()
    for item_id in ids:
        theirs = theirs.with_answer(day_of, item_id, Answer("done", "2025-02-25T08:00:00+01:00"))
    file = tmp_path / "theirs.json"
    file.write_text(export("json", [day_of], theirs), encoding="utf-8")

    before = progress_file(locations)
    preview = importing.import_file(locations, checklists, file, dry_run=True)
    assert progress_file(locations) == before  # --dry-run changes nothing
    assert preview.splitlines()[0] == (
        "Would import from a foracheck JSON export: 1 answer added, 1 replaced by a newer one, "
        "1 kept because yours are as new or newer."
    )
    assert f"  kept yours: day-of {ids[1]}" in preview
    assert "Nothing was changed (--dry-run)." in preview

    done = importing.import_file(locations, checklists, file, dry_run=False)
    assert done.splitlines()[0].startswith("Imported from a foracheck JSON export: 1 answer added")
    after = read_progress(locations)
    assert after is not None
    assert [after.answer("day-of", i).value for i in ids] == ["done", "not-yet", "done"]  # type: ignore[union-attr]
    # the state before the import is the backup
    assert locations.backup_file.read_bytes() == before
    # importing the same file again changes nothing, and says so
    again = importing.import_file(locations, checklists, file, dry_run=False)
    assert "2 already saved" in again and "Nothing needed to change." in again


def test_the_surgery_date_is_taken_only_where_none_is_saved(
    tmp_path: Path, locations: Locations
) -> None:
    checklists = bundled()
    file = tmp_path / "x.json"
    file.write_text(export("json", checklists, filled(checklists)), encoding="utf-8")
    importing.import_file(locations, checklists, file, dry_run=False)
    saved = read_progress(locations)
    assert saved is not None and saved.surgery_date == filled(checklists).surgery_date
    other = dataclasses.replace(filled(checklists), surgery_date=saved.surgery_date.replace(day=20))
    file.write_text(export("json", checklists, other), encoding="utf-8")
    message = importing.import_file(locations, checklists, file, dry_run=False)
    assert "kept your surgery date" in message
    assert read_progress(locations).surgery_date == saved.surgery_date  # type: ignore[union-attr]


# -- refused files: nothing written, nothing echoed -------------------------------------


def good_document() -> dict:
    checklists = hostile()
    return json.loads(export("json", checklists, filled(checklists)))


def with_item(change: Callable[[dict], None]) -> bytes:
    document = good_document()
    items = {item["id"]: item for item in document["checklists"][0]["items"]}
    change(items)
    return json.dumps(document).encode()


def set_answer(item_id: str, value: object, field: str = "answer") -> Callable[[dict], None]:
    def change(items: dict) -> None:
        items[item_id][field] = value

    return change


REFUSED = {
    "not json": (b"{this is not json", "not JSON"),
    "empty": (b"", "not JSON"),
    "latin-1": (b'{"x": "\xe9"}', "not JSON"),
    "a json list": (b"[1, 2]", "can read"),
    "foreign json": (b'{"patient": "x"}', "can read"),
    "a progress file": ((DATA / "progress" / "schema1.json").read_bytes(), "can read"),
    "unknown list": (
        json.dumps(
            {
                **good_document(),
                "checklists": [{**good_document()["checklists"][0], "id": "elsewhere"}],
            }
        ).encode(),
        "'elsewhere', which is not loaded here",
    ),
    "changed list": (
        json.dumps(
            {
                **good_document(),
                "checklists": [{**good_document()["checklists"][0], "version": "sha256:" + SECRET}],
            }
        ).encode(),
        "'hostile' has changed since the file was written",
    ),
    "no version": (
        json.dumps(
            {
                **good_document(),
                "checklists": [
                    {k: v for k, v in good_document()["checklists"][0].items() if k != "version"}
                ],
            }
        ).encode(),
        "carries no version",
    ),
    "unknown item": (
        with_item(set_answer("question", "no-such-item", "id")),
        "has no item 'no-such-item'",
    ),
    "malformed item id": (with_item(set_answer("question", "../" + SECRET, "id")), "is malformed"),
    "wrong answer": (
        with_item(set_answer("question", SECRET)),
        "hostile question is not one that item accepts",
    ),
    "hostile text answer": (
        with_item(set_answer("which", SECRET + "\x1b[2J")),
        "not one that item accepts",
    ),
    "hostile note": (
        with_item(set_answer("question", SECRET + "\u202e", "note")),
        "cannot be shown safely",
    ),
    "bad time": (
        with_item(set_answer("question", "yesterday", "answered_at")),
        "is not a date and time foracheck understands",
    ),
    "unknown author": (
        with_item(set_answer("question", "nurse", "answered_by")),
        "patient, caregiver or clinician",
    ),
}


def saved_files(locations: Locations) -> dict[str, bytes]:
    """The progress file and every kept copy, by name (not the lock or the list cache)."""
    return {p.name: p.read_bytes() for p in locations.home.glob("progress.json*")}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_refused_file_changes_nothing_and_never_echoes_an_answer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, locations: Locations, case: str
) -> None:
    content, why = REFUSED[case]
    checklists = hostile()
    save(
        locations, filled(checklists).with_answer(checklists[0], "numbered", Answer("skip", EARLY))
    )
    save(locations, filled(checklists))
    before = saved_files(locations)
    file = tmp_path / "in.json"
    file.write_bytes(content)
    code, out, err = invoke(capsys, "--checklists", str(HOSTILE), "import", str(file))
    assert (code, out) == (EXIT_DATA, "")
    assert why in err
    assert "Nothing was changed." in err
    assert SECRET not in err and "\x1b" not in err and "\u202e" not in err
    assert len(err.strip().splitlines()) == 1
    assert saved_files(locations) == before


def test_a_missing_file_is_66_and_a_folder_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = invoke(capsys, "import", str(tmp_path / "nowhere.json"))
    assert code == EXIT_NO_INPUT and "no such file" in err
    code, _, err = invoke(capsys, "import", str(tmp_path))
    assert code != 0 and "Traceback" not in err


def test_a_blank_fhir_export_has_no_answers_to_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    checklists = bundled()
    file = tmp_path / "blank.json"
    file.write_text(render("export", "fhir", checklists, Progress(), Options(NOW, blank=True)))
    code, _, err = invoke(capsys, "import", str(file))
    assert code == EXIT_DATA and "no QuestionnaireResponse" in err


def test_a_single_questionnaire_response_imports(tmp_path: Path, locations: Locations) -> None:
    checklists = bundled()
    bundle = json.loads(export("fhir", checklists, signed(checklists)))
    responses = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    file = tmp_path / "one.json"
    file.write_text(json.dumps(responses[1]))
    importing.import_file(locations, checklists, file, dry_run=False)
    saved = read_progress(locations)
    assert saved is not None and set(saved.answers) == {
        responses[1]["questionnaire"].split("/")[-1].split("|")[0]
    }


def test_a_foreign_fhir_response_is_refused(tmp_path: Path, locations: Locations) -> None:
    file = tmp_path / "foreign.json"
    file.write_text(
        json.dumps(
            {
                "resourceType": "QuestionnaireResponse",
                "questionnaire": "http://example.org/Q/phq-9",
                "status": "completed",
            }
        )
    )
    with pytest.raises(UnusableFileError, match="questionnaire is not one of foracheck's"):
        importing.import_file(locations, bundled(), file, dry_run=False)
    assert not locations.progress_file.exists()


def test_a_lost_state_refuses_import_and_names_restore(
    tmp_path: Path, locations: Locations
) -> None:
    checklists = bundled()
    save(locations, filled(checklists))
    save(
        locations,
        Progress(answers={}, surgery_date=None).with_answer(
            checklists[0], checklists[0].items[0].id, Answer("done", EARLY)
        ),
    )
    locations.progress_file.unlink()
    file = tmp_path / "x.json"
    file.write_text(export("json", checklists, filled(checklists)))
    with pytest.raises(LostProgressError, match="restore"):
        importing.import_file(locations, checklists, file, dry_run=False)
    assert not locations.progress_file.exists()


def test_import_while_a_walk_is_open_is_busy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, locations: Locations
) -> None:
    checklists = bundled()
    file = tmp_path / "x.json"
    file.write_text(export("json", checklists, filled(checklists)))
    locations.home.mkdir(mode=0o700)
    with ProgressLock(locations.lock_file, "start"):
        code, _, err = invoke(capsys, "import", str(file))
    assert code == EXIT_LOCKED
    assert "foracheck start" in err or "in use" in err
    assert not locations.progress_file.exists()


def test_import_into_a_schema_1_folder_migrates_it_and_keeps_the_old_bytes(
    tmp_path: Path, locations: Locations
) -> None:
    old = (DATA / "progress" / "schema1.json").read_bytes()
    locations.home.mkdir(mode=0o700)
    locations.progress_file.write_bytes(old)
    checklists = bundled()
    file = tmp_path / "x.json"
    file.write_text(export("json", checklists, signed(checklists)), encoding="utf-8")
    importing.import_file(locations, checklists, file, dry_run=False)
    assert (locations.home / "progress.json.schema1").read_bytes() == old
    assert locations.backup_file.read_bytes() == old
    saved = json.loads(locations.progress_file.read_bytes())
    assert saved["schema"] == 2
    # the answer to an item the list no longer has is still kept
    assert "removed-item" in saved["lists"]["tell-your-surgeon"]["answers"]
