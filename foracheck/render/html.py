"""HTML: one self-contained page, styled for paper, one sheet per list.

No scripts and no network resources: the styles are inline, the check boxes
are drawn with CSS (no font needed), and a Content-Security-Policy forbids
anything else. Every piece of text goes through ``escape``: HTML escaping, and
U+FFFD for any control character (refused where text enters, replaced here too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape as html_escape

from foracheck.i18n import _, language
from foracheck.model import Checklist, Progress, answer_words
from foracheck.presentation import (
    Field,
    Pair,
    Patient,
    Row,
    answer_label_text,
    answered_by,
    care_team_reminder,
    form_progress,
    form_rows,
    nothing_to_tell,
    patient_fields,
    printed_line,
    printed_times,
    printout_patient,
    review_fields,
    sheet_label,
    source_label,
    split_lines,
    summary_blank,
    summary_entries,
    summary_intro,
    tell_your_surgeon,
    title,
    unbreakable,
)
from foracheck.render import Options
from foracheck.safetext import shown

STYLE = """
*, *::before, *::after { box-sizing: border-box; }
body { font: 12pt/1.4 "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  color: #000; background: #fff; margin: 2rem auto; max-width: 46rem; padding: 0 1rem; }
.sheet + .sheet { break-before: page; page-break-before: always;
  margin-top: 3rem; border-top: 1px dashed #888; padding-top: 2rem; }
.form-title { font-size: .8em; letter-spacing: .04em; text-transform: uppercase; margin: 0; }
h1 { font-size: 1.5em; margin: .1em 0 .5em; }
.fields { display: grid; grid-template-columns: max-content 1fr max-content 1fr;
  gap: .5em .6em; margin: 0 0 .9em; }
.fields dt { font-weight: bold; }
.fields dd { margin: 0 .8em 0 0; min-height: 1.3em; border-bottom: 1px solid #000; }
.intro { margin: 0 0 .8em; white-space: pre-line; }
ol.items { list-style: none; margin: 0 0 .8em; padding: 0; border-top: 1px solid #bbb; }
ol.items > li { display: grid; grid-template-columns: 2em 1.5em 1fr; padding: .3em 0;
  border-bottom: 1px solid #bbb; break-inside: avoid; page-break-inside: avoid; }
.number { text-align: right; padding-right: .4em; }
.box { position: relative; width: 1em; height: 1em; margin-top: .15em;
  border: 1.5px solid #000; }
.box.na::after { content: ""; position: absolute; left: .18em; right: .18em; top: .42em;
  border-top: .16em solid #000; }
.circled { border: 1.5px solid #000; border-radius: 50%; padding: 0 .35em; }
.nowrap { white-space: nowrap; }
.printed { margin: 0 0 .6em; font-size: .9em; }
.page-1 { break-inside: avoid; page-break-inside: avoid; }
.box.checked::after { content: ""; position: absolute; left: .28em; top: .02em;
  width: .3em; height: .6em; border: solid #000; border-width: 0 .16em .16em 0;
  transform: rotate(45deg); }
.text { overflow-wrap: anywhere; }
.text p { margin: 0; }
.item-text { font-weight: bold; }
.timing { font-weight: bold; }
.details { white-space: pre-line; }
.condition { font-style: italic; }
.ruled-out { color: #444; }
.write-in::after { content: ""; display: inline-block; width: 60%; margin-left: .4em;
  border-bottom: 1px solid #000; }
.write-more { height: 1.9em; border-bottom: 1px solid #000; }
.saved-earlier { font-style: italic; }
.summary li { margin: .45em 0; break-inside: avoid; page-break-inside: avoid; }
.summary li p { margin: 0; }
.sheet-label { font-size: 1em; margin: .6em 0 0; border-top: 1px solid #bbb; padding-top: .3em; }
.note { white-space: pre-line; }
.source, .reminder { margin: .2em 0; overflow-wrap: anywhere; }
.reminder { font-weight: bold; }
.review { margin-top: 1.2em; }
.end { break-inside: avoid; page-break-inside: avoid; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.pair { display: flex; flex-wrap: wrap; align-items: flex-start; gap: .3em 1.2em; }
.pair .choice { display: inline-flex; align-items: flex-start; gap: .4em; }
.pair .box { flex: none; margin-top: .1em; }
.pair .reason { white-space: pre-line; }
.pair .write-in::after { width: 12em; }
.end ol.items { border-top: 0; }
.sheet > ol.items { margin-bottom: 0; }
@media print {
  @page { margin: 14mm 14mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 12pt; line-height: 1.35; }
  .sheet + .sheet { margin-top: 0; border-top: 0; padding-top: 0; }
  ol.items > li { padding: .2em 0; }
  a { color: inherit; text-decoration: none; }
}
"""
# Large print: 18 pt for every piece of text, roomy lines, boxes a pen can tick.
LARGE_STYLE = """
body, body.large { font-size: 18pt; line-height: 1.6; max-width: 52rem; }
.form-title, .source, .reminder, .printed { font-size: 1em; }
h1 { font-size: 1.4em; }
.fields { grid-template-columns: max-content 1fr; }
.fields dd { min-height: 1.6em; }
ol.items > li { grid-template-columns: 2.2em 2.2em 1fr; padding: .6em 0; }
.box { width: 1.3em; height: 1.3em; border-width: 2px; }
.box.checked::after { left: .38em; top: .05em; width: .4em; height: .8em; }
@media print { body { font-size: 18pt; line-height: 1.6; } ol.items > li { padding: .5em 0; } }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'"


def escape(text: str, keep: Sequence[str] = ()) -> str:
    """Text as HTML shows it, each line break a plain newline; each of ``keep`` (a name,
    a date) in a span that never breaks across lines."""
    escaped = html_escape("\n".join(split_lines(shown(text))))
    if not keep:
        return escaped
    pattern = re.compile("|".join(re.escape(html_escape(whole)) for whole in keep))
    return pattern.sub(lambda found: f'<span class="nowrap">{found.group(0)}</span>', escaped)


def _fields(fields: Sequence[Field], css: str, keep: Sequence[str] = ()) -> str:
    rows = "".join(
        f"<dt>{escape(label)}:</dt><dd>{escape(value or '', keep)}</dd>" for label, value in fields
    )
    return f'<dl class="fields {css}">{rows}</dl>'


def _box(ticked: bool) -> str:
    """A box drawn with CSS, with words for a screen reader."""
    state, spoken = ("checked", _("ticked")) if ticked else ("empty", _("not ticked"))
    return f'<span class="box {state}"><span class="visually-hidden">{spoken}</span></span>'


def _item_box(box: str | None) -> str:
    """An item's own box: ticked, empty, or a dash for "does not apply" (never the tick
    that done gets); none where the answer is circled or a pair has its own boxes."""
    if box is None:
        return '<span class="no-box"></span>'
    if box == "not-applicable":
        spoken = escape(answer_words("skip"))
        return f'<span class="box na"><span class="visually-hidden">{spoken}</span></span>'
    return _box(box == "ticked")


def _circled(row: Row) -> str:
    """A yes/no answer: both words, the one given circled (and said so to a screen reader)."""
    assert row.answer is not None
    words = []
    for value in ("yes", "no"):
        word = escape(answer_words(value))
        if value == row.answer.value:
            chosen = escape(_("(circled)"))
            word = (
                f'<span class="circled">{word}<span class="visually-hidden"> {chosen}</span></span>'
            )
        words.append(word)
    by = answered_by(row.answer.by)
    after = f" ({escape(by)})" if by else ""
    return f'<p class="answer">{escape(answer_label_text())} {" / ".join(words)}{after}</p>'


def _pair(pair: Pair) -> str:
    """A critical step's two boxes, and the reason or a line to write it on."""
    reason = (
        f'<span class="reason">{escape(pair.reason)}</span>'
        if pair.reason
        else '<span class="write-in"></span>'
    )
    return (
        f'<p class="pair"><span class="choice">{_box(pair.done)}{escape(_("Done"))}</span>'
        f'<span class="choice">{_box(pair.skipped)}'
        f"<span>{escape(_('Does not apply:'))} {reason}</span></span></p>"
    )


def _detail(row: Row, kind: str, text: str, keep: Sequence[str]) -> str:
    if kind.startswith("critical") and row.pair is not None:
        return _pair(row.pair)
    if kind == "circled":
        return _circled(row)
    line = f'<p class="{kind}">{escape(text, keep)}</p>'
    return line + _write_more(WRITE_IN_LINES) if kind == "write-in" else line


def _item(row: Row, keep: Sequence[str]) -> str:
    lines = [("item-text", row.item.text), *row.details()]
    details = "".join(_detail(row, kind, text, keep) for kind, text in lines)
    box = _item_box(row.box)
    return (
        f'<li><span class="number">{row.number}.</span>{box}<div class="text">{details}</div></li>'
    )


def _printed(printed: str | None) -> str:
    """When a filled form was printed, and how current its answers are."""
    return f'<p class="printed">{escape(printed, printed_times(printed))}</p>\n' if printed else ""


WRITE_IN_LINES = 2  # more lines to write on under a text question's first one
SUMMARY_WRITE_IN_LINES = 8


def _write_more(count: int) -> str:
    return '<div class="write-more"></div>' * count


def _summary(
    checklists: Sequence[Checklist],
    progress: Progress,
    blank: bool,
    patient: Patient | None,
    printed: str | None,
) -> str:
    """The "tell your surgeon" sheet, first because it is the one handed over."""
    keep = unbreakable([], progress, patient)
    if blank:
        body = f"<p>{escape(summary_blank())}</p>{_write_more(SUMMARY_WRITE_IN_LINES)}"
    else:
        entries = summary_entries(checklists, progress)
        items = "".join(
            "<li>" + "".join(f"<p>{escape(text)}</p>" for text in entry) + "</li>"
            for entry in entries
        )
        nothing = f"<p>{escape(nothing_to_tell())}</p>"
        body = f'<ul class="summary">{items}</ul>' if items else nothing
    return (
        f'<p class="form-title">{escape(title())}</p>\n'
        f'<h1 id="list-summary">{escape(tell_your_surgeon())}</h1>\n'
        f"{_fields(patient_fields(progress, patient), 'patient', keep)}\n"
        f"{_printed(printed)}"
        f'<p class="summary-intro">{escape(summary_intro())}</p>\n{body}\n'
    )


def _source(checklist: Checklist) -> str:
    source = checklist.source
    if source is None:
        return ""
    where = escape(source.title)
    if source.url:
        url = escape(source.url)
        link = source.url.startswith(("https://", "http://"))
        where += f', <a href="{url}">{url}</a>' if link else f", {url}"
    return f'<p class="source">{escape(source_label())} {where}</p>'


def _sheet(
    checklist: Checklist,
    progress: Progress,
    patient: Patient | None,
    label: str,
    options: Options,
    printed: str | None,
) -> str:
    """One list's sheet. Its last item goes with the signature block into one box that
    never breaks, so that block never starts a page alone (Chromium ignores a
    ``break-after: avoid`` between a list and what follows it)."""
    intro = f'<p class="intro">{escape(checklist.intro)}</p>' if checklist.intro else ""
    rows = form_rows(checklist, progress, options.local_day())
    keep = unbreakable(rows, progress, patient)
    items = "\n".join(_item(row, keep) for row in rows[:-1])
    last = f'<ol class="items" start="{rows[-1].number}">\n{_item(rows[-1], keep)}\n</ol>\n'
    return (
        f'<p class="form-title">{escape(title())}</p>\n'
        f'<h1 id="list-{checklist.id}">{escape(checklist.title)}</h1>\n'
        f"{_fields(patient_fields(progress, patient), 'patient', keep)}\n"
        f"{_printed(printed)}"
        f"{intro}\n"
        + (f'<ol class="items">\n{items}\n</ol>\n' if items else "")
        + f'<div class="end">{last}{_source(checklist)}\n'
        f'<p class="reminder">{escape(care_team_reminder())}</p>\n'
        f"{_fields(review_fields(), 'review')}\n{label}</div>\n"
    )


def _section(anchor: str, body: str, number: int) -> str:
    return (
        f'<section class="sheet page-{number}" aria-labelledby="list-{anchor}">\n{body}</section>\n'
    )


def css_string(text: str, trim: bool = True) -> str:
    """Text as a CSS string: everything but letters and digits as a hex escape (spaces
    too, so a leading or trailing one is kept), so no quote, backslash or "</style>" in
    a title can end it early; ``trim``: its lines joined and its ends trimmed."""
    shown_text = " ".join(split_lines(shown(text))) if trim else shown(text)
    return "".join(c if c.isalnum() else f"\\{ord(c):x} " for c in shown_text)


def _unbroken(text: str, keep: Sequence[str]) -> str:
    """Text whose names and dates cannot break in a page margin, where no span can go:
    their spaces no-break spaces, their hyphens no-break hyphens (U+2011)."""
    for whole in keep:
        text = text.replace(whole, whole.replace(" ", "\u00a0").replace("-", "\u2011"))
    return text


def _page_content(label: str) -> str:
    """A margin box's content: the sheet's label, then the page's number in the printout
    (a browser numbers the pages of the whole printout, not of each sheet)."""
    template = _("page {page} of {pages} of this printout")
    before, _page, rest = template.partition("{page}")
    middle, _pages, after = rest.partition("{pages}")
    return (
        f'"{css_string(label)} \\2014  {css_string(before, False)}" counter(page) '
        f'"{css_string(middle, False)}" counter(pages) "{css_string(after, False)}"'
    )


def _running_labels(labels: Sequence[str], large: bool) -> str:
    """Every printed page names its sheet, list and patient and its page number, once:
    a named page per sheet with the label in its bottom margin (CSS page margin boxes);
    the label at the end of each sheet is for the screen only. Large print makes the
    label 18 pt too, in a deeper margin that holds two lines."""
    font, margin = ("18pt", " margin-bottom: 30mm;") if large else ("10pt", "")
    return "@media print { .sheet-label { display: none; } }\n" + "".join(
        f"@media print {{ .page-{number} {{ page: sheet-{number}; }} }}\n"
        f"@page sheet-{number} {{{margin} @bottom-center {{ "
        f"content: {_page_content(label)}; font: {font} Arial, sans-serif; }} }}\n"
        for number, label in enumerate(labels, start=1)
    )


def _label(title: str, number: int, total: int, patient: Patient | None) -> str:
    keep = unbreakable([], Progress(), patient)
    label = sheet_label(title, number, total, patient)
    return f'<p class="sheet-label">{escape(label, keep)}</p>'


def printable(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """The whole page: the summary sheet, then a sheet per list, a page break
    between them; every printed page ends with a line naming its sheet, list and
    patient, and its page."""
    shown = form_progress(progress, options.blank)
    patient = printout_patient(options)
    printed = None if options.blank else printed_line(checklists, shown, options.now)
    total = len(checklists) + 1
    titles = [tell_your_surgeon(), *(checklist.title for checklist in checklists)]
    keep = unbreakable([], Progress(), patient)
    labels = [
        _unbroken(sheet_label(title, n, total, patient), keep)
        for n, title in enumerate(titles, start=1)
    ]
    summary = _summary(checklists, shown, options.blank, patient, printed)
    summary += _label(tell_your_surgeon(), 1, total, patient) + "\n"
    sheets = _section("summary", summary, 1) + "".join(
        _section(
            checklist.id,
            _sheet(
                checklist,
                shown,
                patient,
                _label(checklist.title, number, total, patient),
                options,
                printed,
            ),
            number,
        )
        for number, checklist in enumerate(checklists, start=2)
    )
    style = STYLE + (LARGE_STYLE if options.large else "") + _running_labels(labels, options.large)
    body_class = ' class="large"' if options.large else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title())}</title>\n"
        f"<style>{style}</style>\n"
        f"</head>\n<body{body_class}>\n{sheets}</body>\n</html>\n"
    )
