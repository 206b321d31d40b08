"""The fillable form: one HTML file a patient fills in a browser, offline.

The page is a fixed shell, one inline style and one inline script (the package
files ``foracheck/form/form.css`` and ``form.js``, read as they are), and the
data: the lists, the saved answers and the page's own words in the run's
language, as a JSON block the script reads with ``JSON.parse``. The script
builds every element with ``createElement`` and ``textContent``, so no
checklist or answer text can become markup; a Content-Security-Policy allows
exactly that one script and that one style, by their SHA-256 hashes, and
nothing else (no network, no eval). What the page saves is the JSON export's
shape (``render/json_format.py``), which ``foracheck import`` reads.
"""

from __future__ import annotations

import contextlib
import importlib
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from foracheck import __version__
from foracheck.answers import dont_know_words
from foracheck.i18n import _, language
from foracheck.model import Answer, Checklist, Item, Progress, answer_words
from foracheck.presentation import care_team_reminder, important_line, title, when_label
from foracheck.render import Options
from foracheck.render.json_format import _window as export_window
from foracheck.safetext import json_safe, shown
from foracheck.timeline import day_text, timing_text, window_of
from foracheck.translation import in_base_words

ASSETS = Path(__file__).resolve().parent.parent / "form"
# Inside a <script> block only "</script" or "<!--" could end or bend it: with
# every "<" (and ">", "&") written as a JSON escape, no text can.
_SCRIPT_SAFE = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def _asset(name: str) -> str:
    """One of the page's static files, exactly as shipped (its hash is in the CSP)."""
    return (ASSETS / name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    """A CSP source for an inline block: 'sha256-' and the base64 of its digest.

    CPython's own SHA-256 module, as ``model`` uses it: hashlib would load OpenSSL,
    a few milliseconds of every ``form``."""
    import binascii

    data = text.encode("utf-8")
    digest = None
    for name in ("_sha2", "_sha256"):  # CPython from 3.12, and up to 3.11
        with contextlib.suppress(ImportError):
            digest = importlib.import_module(name).sha256(data).digest()
            break
    if digest is None:
        import hashlib

        digest = hashlib.sha256(data).digest()
    return "'sha256-" + binascii.b2a_base64(digest, newline=False).decode("ascii") + "'"


def _escape(text: str) -> str:
    """Our own words as HTML text (the page's title and its no-script line)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def words() -> dict[str, str]:
    """The page's own words, in the run's language (the script has none of its own)."""
    return {
        "title": title(),
        "intro": _(
            'Answer the questions below, then press "Save my answers" at the end. '
            "This saves a file on this device; send that file to your care team. "
            "Nothing is sent anywhere by this page."
        ),
        "reminder": care_team_reminder(),
        "who": _("Who is filling in this form?"),
        "patient": _("The patient"),
        "caregiver": _("A caregiver, for the patient"),
        "surgery": _("Surgery date: {date}"),
        "no_surgery": _(
            "No surgery date is saved, so each step's timing is given in days before "
            "or after surgery."
        ),
        "done": answer_words("done"),
        "not-yet": answer_words("not-yet"),
        "skip": answer_words("skip"),
        "yes": answer_words("yes"),
        "no": answer_words("no"),
        "your_answer": _("Your answer"),
        "dont_know": _("I don't know yet"),
        "reason": _(
            "This step is important, so your care team will want to know why it does "
            "not apply. Please write why:"
        ),
        "reason_missing": _("Please write why this step does not apply."),
        "unsafe": _("This answer holds a character that cannot be saved. Please type it again."),
        "fix": _(
            "Your answers were not saved yet: some need a change first, as it says beside "
            "them. The first one is selected."
        ),
        "important": important_line(),
        "past_due": _("Past due: please do this as soon as you can."),
        "first": _("What to do first"),
        "first_intro": _(
            "These steps were due when this form was made, the most important first. "
            "Each one links to its question below."
        ),
        "more": _("More"),
        "progress": _("{answered} of {total} answered"),
        "save": _("Save my answers"),
        "saved": _(
            "Saved as {file} (usually in your Downloads folder). Send that file to your "
            "care team. You may go on answering and save again."
        ),
        "when": when_label(),
        "noscript": _(
            "This form needs JavaScript, which your browser has turned off. Please turn it "
            "on, or ask your care team for a paper form."
        ),
    }


def _answer(answer: Answer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {"value": answer.value, "at": answer.answered_at, "note": answer.note, "by": answer.by}


def _line(text: str) -> str:
    """One line of checklist text as the page shows it: any control character (refused
    where text enters) as a visible stand-in, as every output does."""
    return shown(text, multiline=False)


def _lines(text: str | None) -> str | None:
    """Text of several lines (an intro, details) as the page shows it."""
    return None if text is None else shown(text)


def _alert(item: Item) -> dict[str, str] | None:
    """The answer that needs action now, and what to do (the page shows it at once)."""
    if item.alert is None:
        return None
    return {"answer": item.alert.answer, "text": _lines(item.alert.text) or ""}


def _item(
    checklist: Checklist, item: Item, base: Item, answer: Answer | None, surgery: date | None
) -> dict[str, Any]:
    """One question as the page needs it; keys without a value are left out. The base
    file's words are what the saved file carries, as every export does."""
    window = window_of(checklist, item)
    timing = None if window is None else timing_text(window, surgery)
    fields: dict[str, Any] = {
        "id": item.id,
        "type": item.type,
        "text": _line(item.text),
        "base_text": base.text if base.text != item.text else None,
        "details": _lines(item.details),
        "critical": item.critical or None,
        "show_if": {"item": item.show_if.item, "answer": item.show_if.answer}
        if item.show_if
        else None,
        "tell": item.tell_surgeon,
        "alert": _alert(item),
        "base_alert": base.alert.text
        if base.alert and item.alert and base.alert.text != item.alert.text
        else None,
        "timing": timing,
        "window": export_window(window, surgery),
        "answer": _answer(answer),
    }
    return {key: value for key, value in fields.items() if value is not None}


def _list(checklist: Checklist, progress: Progress) -> dict[str, Any]:
    base = in_base_words(checklist)
    answers = progress.answers_to(checklist)
    fields: dict[str, Any] = {
        "id": checklist.id,
        "title": _line(checklist.title),
        "base_title": base.title if base.title != checklist.title else None,
        "intro": _lines(checklist.intro),
        "version": checklist.content_hash(),
        "items": [
            _item(checklist, item, base_item, answers.get(item.id), progress.surgery_date)
            for item, base_item in zip(checklist.items, base.items, strict=True)
        ],
    }
    return {key: value for key, value in fields.items() if value is not None}


def form_data(checklists: Sequence[Checklist], progress: Progress, today: date) -> dict[str, Any]:
    """Everything the script reads: lists, saved answers, the surgery date, the words."""
    surgery = progress.surgery_date
    return {
        "version": __version__,
        "surgery_date": surgery.isoformat() if surgery else None,
        "surgery_text": day_text(surgery, today) if surgery else None,
        "words": words(),
        "dont_know": dont_know_words(),
        "lists": [_list(checklist, progress) for checklist in checklists],
        "first": first_steps(checklists, progress, today),
    }


def first_steps(checklists: Sequence[Checklist], progress: Progress, today: date) -> list[str]:
    """The open steps with an answer needing action, then those due or overdue today,
    in the order of "what comes first" (``agenda``, the walk's and ``status``'s one rule),
    as "LIST_ID ITEM_ID" keys; the page hides each one once it is answered."""
    from foracheck.agenda import agenda

    plan = agenda(checklists, progress, today)
    keys = [f"{step.checklist.id} {step.item.id}" for step in [*plan.alerts, *plan.now]]
    return list(dict.fromkeys(keys))


def script_json(data: dict[str, Any]) -> str:
    """JSON that no text inside can end early: safe between <script> tags."""
    text = json_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return text.translate(_SCRIPT_SAFE)


def fillable(checklists: Sequence[Checklist], progress: Progress, options: Options) -> str:
    """The whole page: shell, style, data and script, allowed by hash and nothing else."""
    style, script = _asset("form.css"), _asset("form.js")
    document = form_data(checklists, progress, options.local_day())
    data = script_json(document)
    policy = (
        f"default-src 'none'; script-src {_hash(script)}; style-src {_hash(style)}; "
        "base-uri 'none'; form-action 'none'"
    )
    page_words = document["words"]
    body_class = "large" if options.large else "normal"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_escape(page_words['title'])}</title>\n"
        f"<style>{style}</style>\n"
        f'</head>\n<body class="{body_class}">\n'
        f'<noscript><p class="noscript">{_escape(page_words["noscript"])}</p></noscript>\n'
        '<main id="form"></main>\n'
        f'<script type="application/json" id="form-data">{data}</script>\n'
        f"<script>{script}</script>\n"
        "</body>\n</html>\n"
    )
