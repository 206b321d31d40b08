"""What people actually type, what they see on paper, and nothing recorded vanishing.

Real processes throughout: ``mark`` as a nurse or script would, then every place
that shows the answer (``print``, ``export``), checked as a person reads them.
"""

from __future__ import annotations

import json
import re

import pytest
from helpers import run_here
from json_schemas import validator

from foracheck import store
from foracheck.model import Answer, Progress
from foracheck.paths import Locations

SECRET = "Warfarin-7f3a"
AT = "2026-11-20T10:00:00+01:00"
SAVED_EARLIER = "(saved earlier; this question does not apply to your answers now)"


def answer(locations: Locations, list_id: str, item_id: str) -> Answer | None:
    progress = store.read_progress(locations)
    return None if progress is None else progress.answer(list_id, item_id)


@pytest.mark.parametrize("typed", ["does not apply", "Does Not Apply", "skip", "s"])
def test_does_not_apply_is_accepted_for_a_task(locations: Locations, typed: str) -> None:
    result = run_here("mark", "week-before", "ask-about-blood-thinners", typed)
    assert result.returncode == 0, result.stderr
    saved = answer(locations, "week-before", "ask-about-blood-thinners")
    assert saved is not None and saved.value == "skip"
    printed = run_here("print", "week-before").stdout
    assert "[ ] Done  [x] Does not apply:" in printed  # a critical step: the paper's pair
    exported = run_here("export", "week-before").stdout
    assert "Ask your surgeon if you should stop any blood thinners" in exported
    assert "— does not apply" in exported


@pytest.mark.parametrize(
    "typed", ["I don't know, I will ask", "not sure", "dont know", "I\u2019ll ask"]
)
def test_dont_know_leaves_a_text_question_open(locations: Locations, typed: str) -> None:
    assert run_here("mark", "tell-your-surgeon", "takes-medicines", "yes").returncode == 0
    result = run_here("mark", "tell-your-surgeon", "which-medicines", typed)
    assert result.returncode == 0, result.stderr
    saved = answer(locations, "tell-your-surgeon", "which-medicines")
    assert saved is not None and saved.value == "not-yet"
    document = json.loads(run_here("export", "--format", "json").stdout)
    validator("export.schema.json").validate(document)
    items = {item["id"]: item for item in document["checklists"][0]["items"]}
    if document["checklists"][0]["id"] != "tell-your-surgeon":
        lists = {entry["id"]: entry for entry in document["checklists"]}
        items = {item["id"]: item for item in lists["tell-your-surgeon"]["items"]}
    which = items["which-medicines"]
    assert which["resolved"] is False and which["tell_surgeon"] is False
    assert which["state"] != "resolved"
    markdown = run_here("export").stdout
    assert "- [ ] Which" in markdown and "not known yet (to ask)" in markdown
    surgeon = markdown.split("## Tell your surgeon")[1]
    assert "not known yet" not in surgeon and "not-yet" not in surgeon
    fhir = json.loads(run_here("export", "--format", "fhir").stdout)
    responses = [
        entry["resource"]
        for entry in fhir["entry"]
        if entry["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    linked = [item["linkId"] for response in responses for item in response.get("item", [])]
    assert "which-medicines" not in linked  # simply not answered
    printed = run_here("print", "tell-your-surgeon").stdout
    assert "Answer: not known yet (to ask)" in printed
    assert printed.count("_" * 70) >= 2  # lines to write the answer on later


def test_a_real_text_answer_is_still_a_text_answer(locations: Locations) -> None:
    assert run_here("mark", "tell-your-surgeon", "takes-medicines", "yes").returncode == 0
    assert run_here("mark", "tell-your-surgeon", "which-medicines", SECRET).returncode == 0
    saved = answer(locations, "tell-your-surgeon", "which-medicines")
    assert saved is not None and saved.value == SECRET


def _plant_hidden(locations: Locations) -> None:
    """An answer saved before ``mark`` refused follow-ups whose condition is not met."""
    answers = {
        "tell-your-surgeon": {
            "takes-medicines": Answer("no", AT),
            "which-medicines": Answer(SECRET, AT, "from an old version"),
        }
    }
    with store.open_for_writing(locations) as writer:
        writer.save(Progress(welcomed=True, answers=answers))


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_an_answer_hidden_by_its_condition_is_shown_marked_on_paper(
    locations: Locations, fmt: str
) -> None:
    _plant_hidden(locations)
    printed = run_here("print", "tell-your-surgeon", "--format", fmt)
    assert printed.returncode == 0, printed.stderr
    body = printed.stdout.split("<body>")[-1]  # html: past the styles, as a reader sees it
    words = " ".join(body.replace("\\", "").split())
    assert SECRET in words and SAVED_EARLIER in words
    # on the summary sheet (first) as well as on the list's own form
    summary = words.split("Sheet 1 of 2")[0]
    assert SECRET in summary and SAVED_EARLIER in summary
    # still not counted: the export lists it marked (tests/test_hidden_answers.py)
    document = json.loads(run_here("export", "--format", "json").stdout)
    lists = {entry["id"]: entry for entry in document["checklists"]}
    which = [item for item in lists["tell-your-surgeon"]["items"] if item["answer"] == SECRET]
    assert [(item["applies"], item["resolved"]) for item in which] == [(False, False)]


def test_print_patient_and_born_fill_every_sheet_and_are_never_stored(
    locations: Locations,
) -> None:
    assert run_here("mark", "week-before", "ask-about-blood-thinners", "done").returncode == 0
    before = locations.progress_file.read_bytes()
    name = "Ana Ruiz-7c1"
    result = run_here("print", "--patient", name, "--born", "1954-03-02")
    assert result.returncode == 0, result.stderr
    pages = result.stdout.split("\f")
    assert len(pages) >= 4
    sheets = set()
    for page in pages:
        label = re.search(r"Sheet (\d+) of \d+, page (\d+) of \d+: (.*)", " ".join(page.split()))
        assert label, page
        assert label[3].endswith(f"Patient: {name} (born 1954-03-02)")
        sheets.add(label[1])
        if label[2] == "1":  # each sheet's first page has the header
            assert f"Patient name:  {name}" in page
            assert "Date of birth: 1954-03-02" in page
    assert len(sheets) == 6
    assert pages[0].splitlines()[8] == "Tell your surgeon"  # after the printed line
    assert locations.progress_file.read_bytes() == before
    assert name not in locations.progress_file.read_text()


@pytest.mark.parametrize("born", ["1954-13-02", "02/03/1954", "2999-01-01"])
def test_a_bad_date_of_birth_is_a_usage_error_that_does_not_repeat_it(born: str) -> None:
    result = run_here("print", "--patient", "Ana Ruiz-7c1", "--born", born)
    assert result.returncode == 2
    assert "--born needs a past date written YYYY-MM-DD" in result.stderr
    assert born not in result.stderr and "Ana" not in result.stderr and not result.stdout


def test_html_body_text_is_at_least_12pt_and_the_signature_stays_with_its_list() -> None:
    page = run_here("print", "--format", "html", "--blank").stdout
    assert "font-size: 10.5pt" not in page and "font: 12pt/1.4" in page
    assert "body { margin: 0; max-width: none; padding: 0; font-size: 12pt;" in page
    assert ".end { break-inside: avoid; page-break-inside: avoid; }" in page
    # Each list's last item goes with the signature block into the box that never breaks.
    ends = page.split('<div class="end">')[1:]
    assert len(ends) == 5
    for end in ends:
        block = end.split("</section>")[0]
        assert block.startswith('<ol class="items" start=') and "Reviewed by" in block


def test_one_open_item_is_it_not_them(locations: Locations) -> None:
    for item in ("ask-about-blood-thinners", "ask-day-of-medicines"):
        assert run_here("mark", "week-before", item, "skip").returncode == 0
    result = run_here("export", "week-before", "--require-complete")
    assert result.returncode == 1
    assert result.stderr.startswith("1 item is still open in week-before. Answer it with '")
    assert "Answer them" not in result.stderr


def complete(*words: str) -> list[str]:
    """What the shell offers after ``words`` (Typer's bash protocol, as a real process)."""
    line = " ".join(["foracheck", *words])
    result = run_here(
        env={
            "_FORACHECK_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words)),
        }
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_completion_offers_list_ids_and_item_ids() -> None:
    assert complete("show", "we") == ["week-before"]
    assert "tell-your-surgeon" in complete("print", "")
    items = complete("mark", "week-before", "")
    assert items[:2] == ["ask-about-blood-thinners", "told-to-stop-blood-thinners"]
    assert complete("mark", "no-such-list", "") == []


# Every command, as a user types them (the help tests of each language go through all).
COMMANDS = (
    "start",
    "status",
    "show",
    "list",
    "mark",
    "print",
    "export",
    "validate",
    "reset",
    "import",
    "restore",
    "form",
)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_page_has_an_example_and_plain_metavars(command: str) -> None:
    result = run_here(command, "--help")
    assert result.returncode == 0
    assert "Example: foracheck " + command in " ".join(result.stdout.split())
    assert "{" not in result.stdout.splitlines()[0]


def test_usage_line_says_list_id_without_braces() -> None:
    assert run_here("mark", "--help").stdout.startswith(
        "Usage: foracheck mark [OPTIONS] LIST_ID ITEM_ID [ANSWER]"
    )


@pytest.mark.parametrize("option", ["--home", "--checklists"])
def test_a_global_option_after_the_command_is_named_in_the_error(option: str) -> None:
    result = run_here("show", option, "/tmp", "week-before")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{option} is a global option: it goes before the command")
    assert f"-m foracheck {option} " in result.stderr


def test_plain_after_the_command_is_named_in_the_error_too() -> None:
    result = run_here("status", "--plain")
    assert result.returncode == 2 and not result.stdout
    assert result.stderr.startswith("--plain is a global option: it goes before the command")
    assert "-m foracheck --plain status" in result.stderr
