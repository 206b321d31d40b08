"""What the renderer tests share: the lists, fixed progress, a fixed clock, goldens.

Set ``UPDATE_GOLDEN=1`` to rewrite the golden files from the current output;
then read every changed golden with ``git diff tests/golden`` before committing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import BUNDLED, DATA, GOLDEN, run_here

from foracheck.catalog import base_lists, checklist_files, load_files
from foracheck.model import Answer, Checklist, Progress
from foracheck.paths import Locations
from foracheck.render import Options, Purpose, render
from foracheck.store import open_for_writing

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
ANSWERED_AT = "2025-02-27T18:05:00+01:00"
SURGERY = date(2025, 3, 14)
HOSTILE = DATA / "hostile.yaml"
TIMELINE = DATA / "timeline.yaml"
GOLDEN_SUFFIX = {"markdown": ".md", "json": ".json", "text": ".txt", "html": ".html", "ics": ".ics"}

# The answers of the hostile list: (item id, stored answer, note).
HOSTILE_ANSWERS = [
    (
        "star-task",
        "done",
        "Asked on *Monday* _really_\n- a dash line\n1. a number line\n\n"
        "<script>alert(2)</script> &amp; \\ `tick` | pipe ~ # end #",
    ),
    ("leading-hash", "not-yet", None),
    ("leading-dash", "skip", "+ plus first\r\n=== equals\r> quote"),
    ("numbered", "done", None),
    ("entity", "done", "# hash & <i>note</i>"),
    ("question", "yes", "since [2019](x) | daily"),
    ("which", "Warfarin_5mg *daily* <b>bold</b> & [x](y) 1. \\ ~~gone~~ $x$ {y}", None),
]


def load(*paths: Path) -> list[Checklist]:
    """Checklists from files or folders, in walking order (translations as their words)."""
    checklists, problems = load_files([f for p in paths for f in checklist_files(p)], False)
    assert not problems, problems
    lists = base_lists(checklists)
    return sorted(lists, key=lambda checklist: (checklist.order, checklist.id))


def bundled() -> list[Checklist]:
    """The bundled lists, in walking order."""
    return load(BUNDLED)


def hostile() -> list[Checklist]:
    """The hostile list alone."""
    return load(HOSTILE)


def answered(checklists: Sequence[Checklist], answers: dict[str, list[tuple]]) -> Progress:
    """Progress with these answers (list id -> [(item id, value, note)])."""
    progress = Progress(surgery_date=SURGERY)
    for checklist in checklists:
        for item_id, value, note in answers.get(checklist.id, []):
            progress = progress.with_answer(checklist, item_id, Answer(value, ANSWERED_AT, note))
    return progress


def filled(checklists: Sequence[Checklist]) -> Progress:
    """Deterministic answers of every kind: the hostile list's own, a pattern elsewhere.

    In each bundled list the items cycle through the answers a type allows
    (task: done, not-yet, skip, open; yesno: yes, no; text: a name), the
    last item stays open, and every third answer has a note.
    """
    answers: dict[str, list[tuple]] = {"hostile": list(HOSTILE_ANSWERS)}
    cycles = {"task": ["done", "not-yet", "skip", None], "yesno": ["yes", "no"]}
    for checklist in checklists:
        if checklist.id == "hostile":
            continue
        rows = []
        for index, item in enumerate(checklist.items[:-1]):
            value = cycles.get(item.type, ["Aspirin 81 mg, metoprolol"])
            chosen = value[index % len(value)]
            note = "Asked the nurse on Monday." if index % 3 == 1 else None
            if chosen is not None:
                rows.append((item.id, chosen, note))
        answers[checklist.id] = rows
    return answered(checklists, answers)


def empty(checklists: Sequence[Checklist]) -> Progress:
    """Nothing saved."""
    return Progress()


def timeline() -> list[Checklist]:
    """The format 2 list with every kind of window."""
    return load(TIMELINE)


LISTS: dict[str, Callable[[], list[Checklist]]] = {
    "bundled": bundled,
    "hostile": hostile,
    "timeline": timeline,
}
PROGRESS: dict[str, Callable[[Sequence[Checklist]], Progress]] = {
    "empty": empty,
    "filled": filled,
}


def rendered(purpose: Purpose, fmt: str, lists: str, state: str) -> str:
    """One case: ``state`` is empty or filled; "blank" prints a blank form of filled progress."""
    checklists = LISTS[lists]()
    if state == "blank":
        return render(purpose, fmt, checklists, filled(checklists), Options(NOW, blank=True))
    return render(purpose, fmt, checklists, PROGRESS[state](checklists), Options(NOW))


def golden_path(purpose: Purpose, fmt: str, lists: str, state: str) -> Path:
    """Where the golden file of one case lives."""
    return GOLDEN / f"{purpose}-{fmt}-{lists}-{state}{GOLDEN_SUFFIX[fmt]}"


def check_case(purpose: Purpose, fmt: str, lists: str, state: str) -> str:
    """Render one case, compare it with its golden file, and return it."""
    text = rendered(purpose, fmt, lists, state)
    check_golden(golden_path(purpose, fmt, lists, state), text)
    return text


def check_golden(path: Path, text: str) -> None:
    """Byte-exact comparison with the golden file (rewritten with UPDATE_GOLDEN=1)."""
    data = text.encode("utf-8")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    assert path.exists(), f"{path.name} is missing; run with UPDATE_GOLDEN=1 and review it"
    assert path.read_bytes() == data, f"{path.name} differs; review, then UPDATE_GOLDEN=1"


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``foracheck ARGS`` in this process (``helpers.run_here``): exit code, stdout, stderr.

    As if embedded in another program (its hints name plain ``foracheck``), with the
    streams exactly as written (an ICS file keeps its CRLF); ``capsys`` stays in the
    signature for the callers.
    """
    ran = run_here(*args, as_module=False)
    return ran.returncode, ran.out_bytes.decode("utf-8"), ran.err_bytes.decode("utf-8")


def save(locations: Locations, progress: Progress) -> None:
    """Save progress the way every command does."""
    with open_for_writing(locations) as writer:
        writer.save(progress)


def big_progress(checklist: Checklist) -> Progress:
    """Every other question answered yes, with a text answer and a note on its follow-up."""
    answers = {}
    for number, item in enumerate(checklist.items):
        if item.type == "yesno":
            answers[item.id] = Answer("yes" if number % 4 == 0 else "no", ANSWERED_AT)
        elif number % 4 == 1:
            answers[item.id] = Answer("A *name*", ANSWERED_AT, "a note\non two lines")
    return Progress(surgery_date=SURGERY, answers={checklist.id: answers})
