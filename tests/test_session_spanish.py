"""The walk in Spanish (issue 11): its own words come from foracheck/locale/es/walk.po.

The catalog is compiled by hand here with GNU gettext's ``msgcat``/``msgfmt`` (the
test skips, saying why, where they are missing); a whole walk then runs in-process
through the real prompters, with typed lines on standard input, and no sentence of
the walk's own is left in English. Words from other modules (the answer words of
model.py, the countdown of schedule.py) are other parts' catalogs and not checked here.
"""

from __future__ import annotations

import io
import re
import shutil
import string
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from walk_messages import walk_messages

from foracheck import i18n, session, store, ui
from foracheck.model import Checklist, InvalidAnswerError, Item, parse_answer
from foracheck.paths import Locations

PARTS = Path(i18n.__file__).parent / "locale" / "es"
LIST = Checklist(
    id="lista",
    title="Lista de prueba",
    intro="Una lista corta.",
    items=(
        Item(id="t1", type="task", text="Pida que alguien le lleve a casa.", critical=True),
        Item(id="q1", type="yesno", text="¿Tiene fiebre?", tell_surgeon="yes"),
        Item(id="x1", type="text", text="¿Qué medicinas toma?", details="Todas."),
    ),
)


@pytest.fixture
def spanish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every Spanish part compiled into a catalog of this test's own, and Spanish on."""
    if shutil.which("msgcat") is None or shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgcat, msgfmt) is not installed: cannot compile the catalog")
    target = tmp_path / "locale" / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    joined = subprocess.run(
        ["msgcat", "--use-first", *sorted(map(str, PARTS.glob("*.po")))],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(
        ["msgfmt", "--check", "-o", str(target / "foracheck.mo"), "-"], input=joined, check=True
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    i18n.use_language("es")
    yield
    i18n.use_language("en")


def fields(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def test_walk_po_translates_every_sentence_of_the_walk(spanish: None) -> None:
    singles, plurals = walk_messages()
    assert len(singles) > 50  # the collector found the walk's words
    for message in singles:
        spanish_text = i18n._(message)
        assert spanish_text != message, f"not translated: {message!r}"
        assert fields(spanish_text) == fields(message), message
    for one, many in plurals:
        for count, english in ((1, one), (2, many)):
            spanish_text = i18n.ngettext(one, many, count)
            assert spanish_text != english, f"not translated: {english!r}"
            assert fields(spanish_text) == fields(english), english


def english_fragments() -> list[str]:
    """Pieces of the walk's English sentences long enough to be unmistakable."""
    singles, plurals = walk_messages()
    messages = singles | {text for pair in plurals for text in pair}
    pieces = (piece.strip() for text in messages for piece in re.split(r"\{\w+\}", text))
    return sorted({piece for piece in pieces if len(piece) >= 12})


def typed_for(item: Item, *candidates: str) -> str:
    """The first word the answer parser takes in the language in use: the Spanish words
    once model.py speaks Spanish, the English ones it knows until then."""
    for word in candidates:
        try:
            parse_answer(item, word)
        except InvalidAnswerError:
            continue
        return word
    raise AssertionError(f"none of {candidates} is an answer to {item.id}")


@pytest.mark.parametrize("kind", ["plain", "rich"])
def test_a_walk_in_spanish_says_nothing_of_its_own_in_english(
    spanish: None,
    kind: str,
    locations: Locations,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = [
        "",  # no surgery date for now
        "?",
        typed_for(LIST.items[0], "h", "hecho", "d"),
        "quizás",  # not an answer: asked again
        typed_for(LIST.items[1], "s", "sí", "y"),
        "fecha",  # the date, from a question
        "2026-04-31",  # no such day: asked again
        "2028-04-30",  # two years away: is it right?
        "quizás",  # asked again
        "sí",
        "aspirina 81 mg",
    ]
    typed = "".join(line + "\n" for line in lines).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(typed), encoding="utf-8"))
    if kind == "plain":
        prompter: ui.TerminalPrompter = ui.PlainPrompter()
    else:
        from rich.console import Console

        prompter = ui.TerminalPrompter()
        prompter.out = Console(file=sys.stdout, width=60, color_system=None)
    today = date(2026, 4, 20)
    code = session.run_start(locations, [LIST], None, False, today, prompter=prompter)
    out = capsys.readouterr().out
    said = " ".join(out.split())
    assert code == 0, said
    left_in_english = [piece for piece in english_fragments() if piece in said]
    assert not left_in_english, left_in_english
    for spanish_text in (
        "Le damos la bienvenida a foracheck.",
        "Todavía no hay una fecha de la cirugía guardada. Para agregarla, escriba fecha",
        "Lista de prueba",
        "paso 1 de 3",
        "Importante: si falta este paso",
        "¿Es correcta la fecha 2028-04-30?",
        "Fecha de la cirugía guardada: 2028-04-30.",
        "Resumen",
        "3 respuestas guardadas en",
        "Para seguir más tarde, escriba:",
    ):
        assert spanish_text in said, spanish_text
    surgeon = "Dígale a su cirujano: 2 cosas." if kind == "plain" else "Dígale a su cirujano:"
    assert surgeon in said  # "sí" to the fever and the medicines
    progress = store.read_progress(locations)
    assert progress is not None and progress.surgery_date == date(2028, 4, 30)
    stored = {key: answer.value for key, answer in progress.answers_for("lista").items()}
    assert stored == {"t1": "done", "q1": "yes", "x1": "aspirina 81 mg"}  # stored in English
