"""The HTML form: goldens, escaping, a self-contained page, and a real browser's printout."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from render_helpers import NOW, bundled, check_case, filled, hostile, load, rendered

from foracheck.model import Progress
from foracheck.render import Options, render

CASES = [(lists, state) for lists in ("bundled", "hostile") for state in ("blank", "filled")]
CHROMIUM = Path("/usr/bin/chromium")
# Elements and attributes that would run code or fetch something.
ACTIVE_TAGS = {"script", "iframe", "img", "link", "object", "embed", "video", "audio", "base"}


class Page(HTMLParser):
    """Every element, and the text of each element with a class, as a browser reads them."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, str]] = []
        self._open: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("p", "h1"):
            self._open.append(dict(attrs).get("class") or tag)
            self.texts.append((self._open[-1], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "h1") and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            kind, text = self.texts[-1]
            self.texts[-1] = (kind, text + data)

    def of(self, kind: str) -> list[str]:
        return [text for found, text in self.texts if found == kind]


@pytest.mark.parametrize(("lists", "state"), CASES)
def test_golden(lists: str, state: str) -> None:
    check_case("print", "html", lists, state)


@pytest.mark.parametrize(("lists", "state"), CASES)
def test_page_is_self_contained_and_inert(lists: str, state: str) -> None:
    source = rendered("print", "html", lists, state)
    page = Page(source)
    assert not {tag for tag, _ in page.tags} & ACTIVE_TAGS
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") or name in ("src", "srcset") for name in attrs)
        if tag == "a":
            assert (attrs["href"] or "").startswith(("https://", "http://"))
    assert "url(" not in source and "@import" not in source
    assert [attrs.get("content") for tag, attrs in page.tags if attrs.get("http-equiv")] == [
        "default-src 'none'; style-src 'unsafe-inline'"
    ]


def test_every_text_reads_exactly_as_written() -> None:
    checklists = hostile()
    progress = filled(checklists)
    page = Page(render("print", "html", checklists, progress, Options(NOW)))
    checklist = checklists[0]
    assert page.of("h1") == ["Tell your surgeon", checklist.title]
    assert page.of("item-text") == [item.text for item in checklist.items]
    assert page.of("intro") == [checklist.intro]
    answers = progress.answers_for("hostile")
    notes = [a.note.replace("\r\n", "\n").replace("\r", "\n") for a in answers.values() if a.note]
    assert page.of("note") == [f"Note: {note}" for note in notes]
    assert f"Answer: {answers['which'].value}" in page.of("answer")
    assert page.of("source") == [f"Source: {checklist.source.title}, {checklist.source.url}"]


def test_one_sheet_per_list_with_a_page_break_between() -> None:
    checklists = bundled()
    source = render("print", "html", checklists, filled(checklists), Options(NOW))
    assert source.count('<section class="sheet ') == len(checklists) + 1  # the summary first
    assert re.search(
        r"\.sheet \+ \.sheet \{ break-before: page; page-break-before: always;", source
    )
    assert "@media print" in source


def test_blank_form_has_no_ticks_answers_or_surgery_date() -> None:
    checklists = bundled()
    page = Page(render("print", "html", checklists, filled(checklists), Options(NOW, blank=True)))
    boxes = [attrs["class"] for tag, attrs in page.tags if "box" in (attrs.get("class") or "")]
    assert boxes and all(box == "box empty" for box in boxes)
    assert not page.of("answer") and not page.of("note")
    assert "2025-03-14" not in "".join(text for _, text in page.texts)


def test_follow_ups_show_their_condition_and_settled_ones_say_so() -> None:
    checklists = hostile()
    page = Page(render("print", "html", checklists, Progress(), Options(NOW)))
    assert page.of("condition") == [f'Only if you answered "yes" to: {checklists[0].items[6].text}']
    assert not page.of("ruled-out")


# -- a real browser ---------------------------------------------------------------------


def chromium(tmp_path: Path, page: Path, *args: str) -> str:
    """Run headless Chromium on a local file, with nothing fetched; its standard output."""
    result = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )
    return result.stdout


def pdf_pages(tmp_path: Path, html: str) -> int:
    page = tmp_path / "form.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / "form.pdf"
    chromium(tmp_path, page, f"--print-to-pdf={pdf}")
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


TWO_TINY_LISTS = """\
format: 1
id: {id}
title: Tiny list {id}
items:
  - id: one
    type: task
    text: One short item.
"""


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")
def test_chromium_prints_each_list_on_its_own_page(tmp_path: Path) -> None:
    checklists = bundled()
    html = render("print", "html", checklists, filled(checklists), Options(NOW))
    assert pdf_pages(tmp_path, html) >= len(checklists)
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(TWO_TINY_LISTS.format(id=name), encoding="utf-8")
    tiny = load(tmp_path / "a.yaml", tmp_path / "b.yaml")
    html = render("print", "html", tiny, Progress(), Options(NOW, blank=True))
    assert (
        pdf_pages(tmp_path, html) == 3
    )  # summary and both lists would fit on one page without the breaks


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")
def test_chromium_reads_the_hostile_page_as_text(tmp_path: Path) -> None:
    checklists = hostile()
    page = tmp_path / "hostile.html"
    page.write_text(render("print", "html", checklists, filled(checklists), Options(NOW)), "utf-8")
    dom = chromium(tmp_path, page, "--dump-dom")
    assert "<script" not in dom and "<img" not in dom and "<b>" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    shot = tmp_path / "hostile.png"
    chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=900,1400")
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000


@pytest.mark.skipif(
    not CHROMIUM.exists() or shutil.which("pdftotext") is None,
    reason="needs Chromium at /usr/bin/chromium and pdftotext",
)
def test_every_printed_page_names_its_list_and_patient(tmp_path: Path) -> None:
    checklists = bundled()
    options = Options(NOW, patient='Ana "Q" </style>', born=date(1954, 3, 2))
    page = tmp_path / "form.html"
    page.write_text(render("print", "html", checklists, filled(checklists), options), "utf-8")
    pdf = tmp_path / "form.pdf"
    chromium(tmp_path, page, f"--print-to-pdf={pdf}")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) > len(checklists) + 1  # some sheets run over a page
    for printed in pages:
        words = " ".join(printed.split())
        assert re.search(
            r"Sheet \d of 6: .+\. Patient: Ana \"Q\" </style> \(born 1954-03-02\)", words
        )
