"""The plain-text form: goldens, 80 columns, nothing cut, one page per list."""

from __future__ import annotations

import itertools
import re

import pytest
from helpers import DATA
from render_helpers import (
    NOW,
    answered,
    bundled,
    check_case,
    filled,
    hostile,
    load,
    rendered,
)

from foracheck.model import Progress
from foracheck.render import Options, render
from foracheck.render.text import LARGE_PAGE_LINES, PAGE_LINES, WIDTH

CASES = [(lists, state) for lists in ("bundled", "hostile") for state in ("blank", "filled")]


def squeezed(text: str) -> str:
    """Text without any whitespace, to find words a wrap may have split."""
    return "".join(text.split())


@pytest.mark.parametrize(("lists", "state"), CASES)
def test_golden(lists: str, state: str) -> None:
    check_case("print", "text", lists, state)


@pytest.mark.parametrize(("lists", "state"), CASES)
def test_fits_80_columns_and_loses_no_text(lists: str, state: str) -> None:
    text = rendered("print", "text", lists, state)
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    checklists = bundled() if lists == "bundled" else hostile()
    for checklist in checklists:
        for piece in [checklist.title, checklist.intro or "", *(i.text for i in checklist.items)]:
            assert squeezed(piece) in squeezed(text)


LABEL = re.compile(r"^Sheet (\d+) of (\d+), page (\d+) of (\d+): (.*)$")


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("blank", [False, True])
def test_every_page_says_its_sheet_and_page_exactly_once(large: bool, blank: bool) -> None:
    checklists = bundled()
    options = Options(NOW, blank=blank, large=large, patient="Ana María Ruiz-Pérez")
    pages = render("print", "text", checklists, filled(checklists), options).split("\f")
    seen: dict[int, list[tuple[int, int]]] = {}
    summary: list[list[str]] = []  # the summary sheet's pages, the lines above the label
    limit = LARGE_PAGE_LINES if large else PAGE_LINES
    for page in pages:
        lines = page.splitlines()
        assert len(lines) <= limit
        assert page.count("Sheet ") == 1  # the label, once, at the foot
        label_at = next(n for n, line in enumerate(lines) if line.startswith("Sheet "))
        label = " ".join(lines[label_at:])
        match = LABEL.match(label)
        assert match, label
        sheet, sheets, number, count = map(int, match.groups()[:4])
        assert sheets == len(checklists) + 1
        assert "Patient: Ana María Ruiz-Pérez (born __________)" in label  # never broken
        seen.setdefault(sheet, []).append((number, count))
        if sheet == 1:
            assert lines[label_at - 1] == ""
            summary.append(lines[: label_at - 1])
            room = limit - 1 - (len(lines) - label_at)  # what a page holds above its label
    assert sorted(seen) == list(range(1, len(checklists) + 2))
    for numbers in seen.values():  # each sheet's pages, 1 of Q to Q of Q, in order
        assert numbers == [(n, len(numbers)) for n in range(1, len(numbers) + 1)]
    # The summary sheet stays on one page whenever it fits on one. One longer than a page
    # (the full lists' answers in large print) goes on only where the next entry would not
    # fit, and is cut between entries: a question and its answer are never apart.
    if sum(map(len, summary)) <= room:
        assert seen[1] == [(1, 1)]
    for page, following in itertools.pairwise(summary):
        assert following[0].startswith("- ")
        entry = 1 + next(
            (n for n, line in enumerate(following[1:]) if line.startswith("- ")),
            len(following) - 1,
        )
        assert len(page) + entry > room


def test_each_sheet_starts_with_its_header_and_ends_with_the_signature() -> None:
    checklists = bundled()
    text = render("print", "text", checklists, filled(checklists), Options(NOW))
    sheets = re.split(r"Sheet \d+ of \d+, page 1 of", text)
    for checklist in checklists:
        first = next(p for p in text.split("\f") if f"{checklist.title}\n" in p)
        lines = first.splitlines()
        assert lines[:5] == [
            "Getting ready for your foraminotomy",
            "",
            "Patient name:  ________________________________________",
            "Date of birth: ________________________________________",
            "Surgery date:  2025-03-14",
        ]
        assert lines[6] == "Printed 2025-03-01 09:30. Newest answer: 2025-02-27 18:05."
    assert len(sheets) == len(checklists) + 2
    for page in text.split("\f"):
        if "Reviewed by:" in page:
            lines = page.splitlines()
            end = lines.index("Date:        ________________________________________")
            assert lines[end - 1] == "Reviewed by: ________________________________________"
            assert "This checklist does not replace your care team's instructions." in page


def test_blank_form_has_empty_boxes_no_answers_and_no_surgery_date() -> None:
    checklists = bundled()
    text = render("print", "text", checklists, filled(checklists), Options(NOW, blank=True))
    assert "[x]" not in text
    assert "Answer: done" not in text and "Asked the nurse" not in text
    assert "Surgery date:  ____" in text
    # one box per item; a critical task has its "[ ] Done  [ ] Does not apply" pair instead
    pairs = sum(item.critical and item.type == "task" for c in checklists for item in c.items)
    assert pairs and text.count("[ ] Done  [ ] Does not apply") == pairs
    assert text.count("[ ]") == sum(len(checklist.items) for checklist in checklists) + pairs
    assert "Printed" not in text  # a blank form has no answers to date


def test_follow_ups_are_printed_with_their_condition() -> None:
    checklists = hostile()
    text = render("print", "text", checklists, Progress(), Options(NOW, blank=True))
    assert (
        '8. [ ] Which ones? List them | like | this\n       Only if you answered "yes" to:' in text
    )
    ruled_out = answered(checklists, {"hostile": [("question", "no", None)]})
    text = render("print", "text", checklists, ruled_out, Options(NOW))
    assert "Does not apply, given the answer to that question." in text


def test_text_of_the_form_itself_is_ascii() -> None:
    checklists = hostile()
    text = render("print", "text", checklists, filled(checklists), Options(NOW))
    assert text.isascii()


def test_control_characters_cannot_reach_the_terminal() -> None:
    checklists = hostile()
    note = "red \x1b[31mtext\x1b[0m and a bell \x07"
    progress = answered(checklists, {"hostile": [("star-task", "done", note)]})
    text = render("print", "text", checklists, progress, Options(NOW))
    assert "\x1b" not in text and "\x07" not in text
    assert "Note: red \ufffd[31mtext\ufffd[0m and a bell \ufffd" in text


def test_large_print_spaces_the_steps_and_never_breaks_a_word() -> None:
    checklists = [*bundled(), *load(DATA / "critical.yaml")]
    progress = filled(checklists)
    normal = render("print", "text", checklists, progress, Options(NOW))
    large = render("print", "text", checklists, progress, Options(NOW, large=True))
    assert large.count("\n\n") > normal.count("\n\n") + sum(len(c.items) for c in checklists) // 2
    words = set(large.split())
    for checklist in checklists:
        for item in checklist.items:
            for word in item.text.split():
                assert word in words, word  # whole, never split across lines or at a hyphen
    for sheet in large.split("\f"):
        lines = sheet.splitlines()
        steps = [i for i, line in enumerate(lines) if re.match(r"^ ?\d+\. ", line)]
        assert all(lines[i - 1] == "" for i in steps[1:])  # a blank line before every step
