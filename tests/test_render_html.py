"""The HTML form: goldens, escaping, a self-contained page, and a real browser's printout."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import OfflinePage, PrintToPdf
from helpers import DATA
from render_helpers import NOW, bundled, check_case, filled, hostile, load, rendered

from foracheck.model import Answer, Checklist, Progress
from foracheck.render import Options, render

CASES = [(lists, state) for lists in ("bundled", "hostile") for state in ("blank", "filled")]
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
    classes = [(attrs.get("class") or "").split() for tag, attrs in page.tags]
    boxes = [" ".join(names) for names in classes if "box" in names]
    assert boxes and all(box == "box empty" for box in boxes)
    assert not page.of("answer") and not page.of("note")
    assert "2025-03-14" not in "".join(text for _, text in page.texts)


def test_follow_ups_show_their_condition_and_settled_ones_say_so() -> None:
    checklists = hostile()
    page = Page(render("print", "html", checklists, Progress(), Options(NOW)))
    assert page.of("condition") == [f'Only if you answered "yes" to: {checklists[0].items[6].text}']
    assert not page.of("ruled-out")


# -- a real browser ---------------------------------------------------------------------


def pdf_pages(print_to_pdf: PrintToPdf, tmp_path: Path, html: str) -> int:
    page = tmp_path / "form.html"
    page.write_text(html, encoding="utf-8")
    pdf = print_to_pdf(page, tmp_path / "form.pdf")
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


def test_chromium_prints_each_list_on_its_own_page(
    print_to_pdf: PrintToPdf, tmp_path: Path
) -> None:
    checklists = bundled()
    html = render("print", "html", checklists, filled(checklists), Options(NOW))
    assert pdf_pages(print_to_pdf, tmp_path, html) >= len(checklists)
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(TWO_TINY_LISTS.format(id=name), encoding="utf-8")
    tiny = load(tmp_path / "a.yaml", tmp_path / "b.yaml")
    html = render("print", "html", tiny, Progress(), Options(NOW, blank=True))
    assert (
        pdf_pages(print_to_pdf, tmp_path, html) == 3
    )  # summary and both lists would fit on one page without the breaks


def test_chromium_reads_the_hostile_page_as_text(offline_page: OfflinePage, tmp_path: Path) -> None:
    checklists = hostile()
    page = tmp_path / "hostile.html"
    page.write_text(render("print", "html", checklists, filled(checklists), Options(NOW)), "utf-8")
    offline_page.page.set_viewport_size({"width": 900, "height": 1400})
    offline_page.page.goto(page.as_uri())
    dom = offline_page.page.content()
    assert "<script" not in dom and "<img" not in dom and "<b>" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    shot = tmp_path / "hostile.png"
    offline_page.page.screenshot(path=str(shot))
    assert not offline_page.requests
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000


# -- large print, and a long note, in a real browser ----------------------------------------

PDFTOTEXT = Path("/usr/bin/pdftotext")
REMIND = ["This", "checklist", "does"]
CRITICAL = DATA / "critical.yaml"
LONG_NOTE = " ".join(["The nurse asked me to bring the list of medicines to the visit."] * 12)
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
needs_pdftotext = pytest.mark.skipif(
    not PDFTOTEXT.exists(), reason="needs pdftotext (poppler-utils)"
)


@dataclass(frozen=True)
class Word:
    box: tuple[float, float, float, float]
    text: str


def printed_words(
    print_to_pdf: PrintToPdf, tmp_path: Path, html: str
) -> list[tuple[float, float, list[Word]]]:
    """Each printed page's size and its words with their boxes, as the PDF places them
    (the PDF is kept as ``form.pdf`` in ``tmp_path``)."""
    page = tmp_path / "form.html"
    page.write_text(html, encoding="utf-8")
    return pdf_words(print_to_pdf(page, tmp_path / "form.pdf"))


def pdf_words(pdf: Path) -> list[tuple[float, float, list[Word]]]:
    """Each page's size and its words with their boxes (``pdftotext -bbox``)."""
    xml = subprocess.run(
        [str(PDFTOTEXT), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        (
            float(width),
            float(height),
            [Word(tuple(map(float, w[:4])), unescape(w[4])) for w in WORD.findall(body)],  # type: ignore[arg-type]
        )
        for width, height, body in PAGE.findall(xml)
    ]


def lines_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped into printed lines (the same baseline, give or take a point)."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w.box[3]), w.box[0])):
        if lines and abs(lines[-1][0].box[3] - word.box[3]) < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _content_lines(words: list[Word], label_word: str) -> list[list[Word]]:
    """A printed page's lines above its sheet label (which is in the bottom margin)."""
    lines = lines_of(words)
    label_top = min(w.box[1] for line in lines if line[0].text == label_word for w in line)
    return [line for line in lines if max(w.box[3] for w in line) < label_top]


def _height(lines: list[list[Word]]) -> float:
    return max(w.box[3] for w in lines[-1]) - min(w.box[1] for w in lines[0])


def check_the_summary_sheet(
    pages: list[tuple[float, float, list[Word]]], sheets: list[int], language: str = "en"
) -> int:
    """The "tell your surgeon" sheet (sheet 1) stays on one page whenever it fits on one;
    one that goes on to more pages is cut between entries, never between a question and
    its answer or note. It fits when it is no taller than what another page of the same
    printout holds; returns how many pages it has."""
    label, answer, note = {
        "en": ("Sheet", "Answer:", "Note:"),
        "es": ("Hoja", "Respuesta:", "Nota:"),
    }[language]
    content = [_content_lines(words, label) for _, _, words in pages]
    summary = [lines for lines, sheet in zip(content, sheets, strict=True) if sheet == 1]
    if len(summary) > 1:
        room = max(_height(lines) for lines in content if lines)  # a page holds at least this
        assert sum(_height(lines) for lines in summary) > room  # so it did not fit on one
        for lines in summary[1:]:
            assert lines[0][0].text not in (answer, note), " ".join(w.text for w in lines[0])
    return len(summary)


def _overlap(a: Word, b: Word) -> float:
    width = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
    height = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    return width * height if width > 0 and height > 0 else 0.0


def _overlaps(words: list[Word]) -> list[tuple[Word, Word]]:
    """Every pair of words whose boxes share more than a square point. Words sorted by
    their tops: a word can only meet those that start above its bottom (every pair
    compared took a second per page set)."""
    by_top = sorted(words, key=lambda word: word.box[1])
    found = []
    for index, word in enumerate(by_top):
        for other in by_top[index + 1 :]:
            if other.box[1] >= word.box[3]:
                break
            if _overlap(word, other) >= 1.0:
                found.append((word, other))
    return found


def long_note_form() -> tuple[list[Checklist], Progress]:
    """Every bundled list and a list with critical steps, filled, a long note on a last item."""
    checklists = [*bundled(), *load(CRITICAL)]
    progress = filled(checklists)
    last = checklists[-1]
    answer = Answer("done", "2025-02-27T18:05:00+01:00", LONG_NOTE)
    progress = progress.with_answer(last, last.items[-1].id, answer)
    skipped = Answer("skip", "2025-02-27T18:05:00+01:00", "My surgeon said I take none.")
    return checklists, progress.with_answer(last, "blood-thinners", skipped)


@needs_pdftotext
@pytest.mark.parametrize("large", [True, False], ids=["large", "normal"])
def test_chromium_prints_every_word_unclipped_and_apart(
    print_to_pdf: PrintToPdf, tmp_path: Path, large: bool
) -> None:
    checklists, progress = long_note_form()
    html = render("print", "html", checklists, progress, Options(NOW, large=large))
    pages = printed_words(print_to_pdf, tmp_path, html)
    smallest = 18 if large else 12  # pt; a word's box is about 1.12 times its font size
    for width, height, words in pages:
        for word in words:
            left, top, right, bottom = word.box
            assert min(left, top) >= 0 and right <= width and bottom <= height, word
        body = [word for word in words if word.text not in ("GETTING", "READY", "FOR", "YOUR")]
        if large:
            assert min(w.box[3] - w.box[1] for w in words) >= smallest * 1.08
        else:
            assert sorted(w.box[3] - w.box[1] for w in body)[len(body) // 2] >= smallest * 1.08
        assert not _overlaps(words)
    text = " ".join(word.text for _, _, words in pages for word in words)
    for checklist in checklists:
        for item in checklist.items:
            assert " ".join(item.text.split()) in text, item.text
    assert " ".join(LONG_NOTE.split()) in text
    # The summary sheet, then each list, begins on a new page, and a list's signature
    # block ends a page with its list.
    starts = [i for i, (_, _, words) in enumerate(pages) if words[0].text == "GETTING"]
    assert len(starts) == len(checklists) + 1
    titles = ["Tell your surgeon", *(checklist.title for checklist in checklists)]
    for number, start in enumerate(starts):
        heading = " ".join(word.text for word in pages[start][2][5:20])
        assert heading.startswith(" ".join(titles[number].split()))
    for _, _, words in pages:
        texts = [word.text for word in words]
        if "Reviewed" in texts:  # the block (source, reminder, signature) follows some of its list
            end = [i for i, t in enumerate(texts) if t == "Source:" or texts[i : i + 3] == REMIND]
            assert min(end) > 0


def test_chromium_large_print_is_looked_at_as_a_picture(
    print_to_pdf: PrintToPdf, tmp_path: Path
) -> None:
    """The first page as a picture (kept in tmp_path for a person to look at)."""
    pdftoppm = Path("/usr/bin/pdftoppm")
    if not pdftoppm.exists():
        pytest.skip("needs pdftoppm (poppler-utils)")
    checklists, progress = long_note_form()
    page = tmp_path / "form.html"
    page.write_text(render("print", "html", checklists[-1:], progress, Options(NOW, large=True)))
    pdf = print_to_pdf(page, tmp_path / "form.pdf")
    subprocess.run(
        [str(pdftoppm), "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    picture = next(tmp_path.glob("page*.png")).read_bytes()
    assert picture.startswith(b"\x89PNG") and len(picture) > 5_000


@needs_pdftotext
def test_every_printed_page_names_its_list_and_patient(
    print_to_pdf: PrintToPdf, tmp_path: Path
) -> None:
    checklists = bundled()
    options = Options(NOW, patient='Ana "Q" </style>', born=date(1954, 3, 2))
    page = tmp_path / "form.html"
    page.write_text(render("print", "html", checklists, filled(checklists), options), "utf-8")
    pdf = print_to_pdf(page, tmp_path / "form.pdf")
    text = subprocess.run(
        [str(PDFTOTEXT), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = text.replace("\u2011", "-").replace("\u00a0", " ")  # no-break hyphens and spaces
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) > len(checklists) + 1  # some sheets run over a page
    sheets = []
    for number, printed in enumerate(pages, start=1):
        words = " ".join(printed.split())
        assert words.count("Sheet ") == 1, words  # exactly once, in the margin
        found = re.search(
            r"Sheet (\d) of 6: .+\. Patient: Ana \"Q\" </style> \(born 1954-03-02\) — "
            r"page (\d+) of (\d+) of this printout",
            words,
        )
        assert found, words
        assert (int(found[2]), int(found[3])) == (number, len(pages))
        sheets.append(int(found[1]))
    assert sheets == sorted(sheets) and set(sheets) == set(range(1, 7))
    # the stale answers to follow-ups that no longer apply make this summary longer than a
    # page: it goes on to the next one, cut between entries
    check_the_summary_sheet(pdf_words(pdf), sheets)
