"""An answer hidden by its condition is shown, marked, wherever answers are listed (issue 12).

A nurse records a follow-up, then the answer it hangs on changes: the follow-up no
longer applies. Its answer is never counted, asked or sent to FHIR (SDC leaves
such items out), but every place that lists answers still shows it, with one
wording, so nothing recorded vanishes. Real processes throughout.
"""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from helpers import run_here
from json_schemas import validator
from test_screens import validate_status

from foracheck import store, ui
from foracheck.catalog import load_catalog
from foracheck.paths import Locations

SAVED_EARLIER = "(saved earlier; this question does not apply to your answers now)"
SECRET = "Vitamin-D-4e1b"  # stands for the answer: never in an error stream
LIST = "tell-your-surgeon"


def words(text: str) -> str:
    """Text as a person reads it, however it was wrapped or escaped."""
    return " ".join(text.replace("\\", "").split())


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A supplement recorded by a clinician, then the question it follows answered no:
    a data folder made once, by ``mark`` as a nurse's script would."""
    home = tmp_path_factory.mktemp("recorded")
    for args in (
        ("takes-supplements", "yes"),
        ("which-supplements", SECRET, "--note", "dose unknown", "--by", "clinician"),
        ("takes-supplements", "no"),
    ):
        result = run_here("--home", str(home), "mark", LIST, *args)
        assert result.returncode == 0 and SECRET not in result.stderr, result.stderr
    return home


@pytest.fixture
def hidden(recorded: Path, locations: Locations) -> Locations:
    """This test's own copy of that data folder."""
    shutil.copytree(recorded, locations.home, dirs_exist_ok=True)
    progress = store.read_progress(locations)
    assert progress is not None and progress.answer(LIST, "which-supplements") is not None
    return locations


def test_show_marks_the_answer(hidden: Locations) -> None:
    screen = words(run_here("show", LIST, env={"COLUMNS": "60"}).stdout)
    assert f"[ ] Which vitamins or supplements do you take? -> {SECRET}" in screen
    assert f"{SECRET} (answered by a clinician) {SAVED_EARLIER}" in screen
    assert "Note: dose unknown" in screen


def test_status_lists_it_in_the_surgeon_summary_marked(hidden: Locations) -> None:
    screen = run_here("status").stdout
    summary = words(screen.split("Tell your surgeon:")[1])
    assert f"Which vitamins or supplements do you take? -> {SECRET}" in summary
    assert SAVED_EARLIER in summary
    assert "Nothing so far" not in summary


def _walk_summary(prompter: ui.TerminalPrompter, locations: Locations) -> list[str]:
    """The lines a walk's closing summary prints (``start`` ends with it), as written."""
    said: list[str] = []
    prompter.print = lambda text="", style=None: said.append(text)  # type: ignore[method-assign]
    progress = store.read_progress(locations)
    assert progress is not None
    checklists = list(load_catalog(locations).checklists)
    prompter.summary(checklists, progress, [], date(2026, 11, 1))
    return said


@pytest.mark.parametrize("plain", [False, True])
def test_the_walks_closing_summary_lists_it_as_status_does(
    hidden: Locations, plain: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One source for the summary: the walk's end says the earlier answer, signed and
    marked, in the very words of ``status`` (before issue 18 it left it out)."""
    mode = ["--plain"] if plain else []
    screen = run_here(*mode, "status", env={"COLUMNS": "1000"}).stdout
    summary = screen.split("Tell your surgeon:")[1]
    told = [line.strip() for line in summary.splitlines() if SECRET in line]
    assert len(told) == 1 and SAVED_EARLIER in told[0] and "(answered by a clinician)" in told[0]
    monkeypatch.setenv("COLUMNS", "1000")
    prompter = ui.PlainPrompter() if plain else ui.TerminalPrompter()
    walk = [line.strip().removeprefix("- ") for line in _walk_summary(prompter, hidden)]
    assert [line for line in walk if SECRET in line] == [told[0].removeprefix("- ")]


def _item(document: dict[str, Any], item_id: str) -> dict[str, Any]:
    lists = {entry["id"]: entry for entry in document["checklists"]}
    return next(item for item in lists[LIST]["items"] if item["id"] == item_id)


@pytest.mark.parametrize(
    "command", [("export", "--format", "json"), ("show", LIST, "--json"), ("status", "--json")]
)
def test_json_lists_it_with_applies_false(hidden: Locations, command: tuple[str, ...]) -> None:
    result = run_here(*command)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    validator("export.schema.json").validate(document)
    if command[0] == "status":
        validate_status(document)
    item = _item(document, "which-supplements")
    assert item["answer"] == SECRET and item["note"] == "dose unknown"
    assert item["applies"] is False and item["state"] == "hidden"
    assert item["resolved"] is False and item["answered_by"] == "clinician"
    parent = _item(document, "takes-supplements")
    assert parent["applies"] is True and parent["state"] == "resolved"
    # the item hidden without an answer is still left out
    listed = [item["id"] for entry in document["checklists"] for item in entry["items"]]
    assert "which-herbs" not in listed


def test_the_schema_refuses_a_hidden_item_that_claims_to_be_resolved(hidden: Locations) -> None:
    exported = json.loads(run_here("export", "--format", "json").stdout)
    schema = validator("export.schema.json")
    wrongs = [
        ("which-supplements", {"state": "resolved"}),
        ("which-supplements", {"resolved": True}),
        ("which-supplements", {"answer": None}),
        ("takes-supplements", {"state": "hidden"}),
    ]
    for item_id, wrong in wrongs:
        document = copy.deepcopy(exported)
        _item(document, item_id).update(wrong)
        with pytest.raises(jsonschema.ValidationError):
            schema.validate(document)
    schema.validate(exported)


def test_markdown_lists_it_without_a_box_and_in_the_summary(hidden: Locations) -> None:
    markdown = run_here("export", LIST).stdout
    lines = markdown.splitlines()
    line = next(line for line in lines if SECRET in line)
    assert line.startswith("- Which vitamins") and "[ ]" not in line and "[x]" not in line
    assert SAVED_EARLIER in words(line)
    surgeon = words(markdown.split("## Tell your surgeon")[1])
    assert SECRET in surgeon and SAVED_EARLIER in surgeon


def test_it_is_never_counted_nor_sent_to_fhir(hidden: Locations) -> None:
    document = json.loads(run_here("status", "--json").stdout)
    lists = {entry["id"]: entry for entry in document["checklists"]}
    applies = [item for item in lists[LIST]["items"] if item["applies"]]
    counts = {entry["id"]: entry for entry in document["status"]["lists"]}
    assert counts[LIST]["total"] == len(applies) == len(lists[LIST]["items"]) - 1
    assert counts[LIST]["done"] == sum(item["resolved"] for item in applies) == 1
    complete = run_here("export", LIST, "--require-complete")
    assert complete.returncode == 1
    assert complete.stderr.startswith(f"{len(applies) - 1} items are still open in {LIST}.")
    fhir = run_here("export", LIST, "--format", "fhir").stdout
    assert SECRET not in fhir and "dose unknown" not in fhir


def test_a_json_export_brings_it_back_still_hidden(
    hidden: Locations, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "answers.json"
    assert run_here("export", "--format", "json", "--output", str(export)).returncode == 0
    monkeypatch.setenv("FORACHECK_HOME", str(tmp_path / "elsewhere"))
    imported = run_here("import", str(export))
    assert imported.returncode == 0, imported.stderr
    again = json.loads(run_here("export", "--format", "json").stdout)
    item = _item(again, "which-supplements")
    assert (item["answer"], item["applies"], item["note"]) == (SECRET, False, "dose unknown")
