"""Paper that cannot be misread, checked where it is read: Chromium prints the filled
HTML form to PDF, in English and Spanish, at normal and large size, and poppler's
``pdftotext -bbox`` gives every word with its place on its page. Every page names its
sheet and page once; the print time and the newest answer's time are on it; the name,
the dates and each step's days are never broken across lines; the summary sheet stays
on one page. The marks themselves are checked in the HTML (a CSS box has no text)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from browser import PrintToPdf
from render_helpers import NOW, bundled, filled
from test_render_html import (
    PDFTOTEXT,
    Word,
    check_the_summary_sheet,
    lines_of,
    needs_pdftotext,
    printed_words,
)

from foracheck import i18n
from foracheck.catalog import shown_in
from foracheck.model import Checklist, Progress, applicable_items
from foracheck.presentation import day_text, form_rows
from foracheck.render import Options, render
from foracheck.timeline import window_dates

NAME = "Ana María Ruiz-Pérez"
BORN = date(1954, 3, 2)
LABEL_WORD = {"en": "Sheet", "es": "Hoja"}
PRINTED = {
    "en": "Printed 2025-03-01 09:30. Newest answer: 2025-02-27 18:05.",
    "es": "Impreso el 2025-03-01 09:30. Respuesta más reciente: 2025-02-27 18:05.",
}


@pytest.fixture(params=["en", "es"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.use_language(request.param)
    yield request.param
    i18n.use_language("en")


def lists(language: str) -> list[Checklist]:
    checklists, untranslated = shown_in(bundled(), language)
    assert not untranslated
    return checklists


def as_a_patient_would(checklists: list[Checklist]) -> Progress:
    """The renderers' filled answers, without those saved to follow-ups that no longer
    apply (which a patient answering in order never has): a summary of a usual length."""
    progress = filled(checklists)
    kept = {
        checklist.id: {
            item.id: answer
            for item in applicable_items(checklist, progress.answers_to(checklist))
            if (answer := progress.answers_to(checklist).get(item.id)) is not None
        }
        for checklist in checklists
    }
    return dataclasses.replace(progress, answers=kept)


def form(language: str, large: bool) -> tuple[list[Checklist], Progress, str]:
    checklists = lists(language)
    progress = as_a_patient_would(checklists)
    options = Options(NOW, large=large, patient=NAME, born=BORN)
    return checklists, progress, render("print", "html", checklists, progress, options)


def page_text(lines: list[list[Word]]) -> str:
    """A page as lines of words, no-break characters as plain ones."""
    text = "\n".join(" ".join(w.text for w in line) for line in lines)
    return text.replace("\u2011", "-").replace("\u00a0", " ")


def unbroken(phrase: str, text: str) -> None:
    """``phrase`` is never cut at the end of a line: not at a space, not after a hyphen."""
    for cut in range(1, len(phrase)):
        if phrase[cut - 1] == "-" or phrase[cut] == " ":
            head, tail = phrase[:cut].rstrip(), phrase[cut:].lstrip()
            assert f"{head}\n{tail}" not in text, (phrase, head, tail)


@needs_pdftotext
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_every_page_says_its_sheet_and_page_once_and_nothing_is_broken(
    print_to_pdf: PrintToPdf, tmp_path: Path, language: str, large: bool
) -> None:
    checklists, progress, html = form(language, large)
    pages = printed_words(print_to_pdf, tmp_path, html)
    sheets = []
    for number, (_width, _height, words) in enumerate(pages, start=1):
        text = " ".join(w.text for w in words).replace("\u2011", "-").replace("\u00a0", " ")
        assert text.count(LABEL_WORD[language] + " ") == 1, text
        found = re.search(r"(\d) (?:of|de) 6: .*?(\d+) (?:of|de) (\d+)", text)
        assert found and (int(found[2]), int(found[3])) == (number, len(pages)), text
        sheets.append(int(found[1]))
        text = page_text(lines_of(words))
        for phrase in (
            NAME,
            BORN.isoformat(),
            "2025-03-14",
            "2025-03-01 09:30",
            "2025-02-27 18:05",
        ):
            unbroken(phrase, text)
    # A usual summary fits on a page at normal size, so it stays on one; in large print it
    # does not (the lists' 7 entries), so it goes on to the next page, cut between entries.
    assert check_the_summary_sheet(pages, sheets, language) == (2 if large else 1)
    assert sorted(sheets) == sheets and set(sheets) == set(range(1, 7))
    everything = " ".join(w.text for _, _, words in pages for w in words)
    assert everything.count(PRINTED[language]) == 6  # on every sheet of a filled form
    days = {
        day_text(day, progress.surgery_date)
        for checklist in checklists
        for row in form_rows(checklist, progress)
        if row.window is not None and progress.surgery_date is not None
        for day in window_dates(row.window, progress.surgery_date)
        if day is not None
    }
    assert days
    for _, _, words in pages:
        text = page_text(lines_of(words))
        for day in days:
            unbroken(day, text)


def item_blocks(html: str) -> list[str]:
    return re.findall(r"<li><span class=\"number\">.*?</li>", html, re.S)


def test_a_no_is_never_beside_a_tick_and_does_not_apply_is_in_words(language: str) -> None:
    _lists, _progress, html = form(language, large=False)
    blocks = item_blocks(html)
    circled = [b for b in blocks if 'class="circled"' in b]
    assert circled
    for block in circled:  # an answered yes/no question: its word circled, no box at all
        assert 'class="box' not in block.split('<div class="text">')[0]
    no_word = {"en": "no", "es": "no"}[language]
    assert any(f'class="circled">{no_word}<' in b for b in circled)
    skipped = [b for b in blocks if 'class="box na"' in b]
    words = {"en": "does not apply", "es": "no aplica"}[language]
    assert skipped and all(words in b for b in skipped)
    for block in blocks:
        if 'class="box checked"' in block.split('<div class="text">')[0]:
            assert 'class="circled"' not in block


@needs_pdftotext
def test_a_page_as_a_picture(print_to_pdf: PrintToPdf, tmp_path: Path) -> None:
    """The Spanish large print's first two pages as pictures, kept for a person to look at
    (``--basetemp`` keeps them); a picture of some size proves something was drawn."""
    pdftoppm = Path("/usr/bin/pdftoppm")
    if not pdftoppm.exists() or not PDFTOTEXT.exists():
        pytest.skip("needs pdftoppm (poppler-utils)")
    i18n.use_language("es")
    try:
        _, _, html = form("es", large=True)
    finally:
        i18n.use_language("en")
    page = tmp_path / "form.html"
    page.write_text(html, "utf-8")
    printed_words(print_to_pdf, tmp_path, html)  # writes form.pdf
    subprocess.run(
        [
            str(pdftoppm),
            "-r",
            "60",
            "-png",
            "-f",
            "1",
            "-l",
            "2",
            str(tmp_path / "form.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    pictures = sorted(tmp_path.glob("page*.png"))
    assert len(pictures) == 2 and all(p.stat().st_size > 5_000 for p in pictures)
