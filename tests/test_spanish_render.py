"""Screens and documents in Spanish: the printed forms, the exports and ``status``.

Goldens fix the progress (render_helpers.filled), the clock (NOW) and the day,
as the English goldens do; the Spanish ones end in ``-es``. Besides the goldens:
no English sentence of ours (a msgid of the catalog) and no English checklist
text is left in a Spanish output; large print and a long patient name still fit
80 columns; the calendar's UIDs do not change with the language; and the
English outputs keep their words (their goldens are checked by the other tests).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest
from helpers import GOLDEN, run_here
from render_helpers import NOW, bundled, check_golden, filled, save

from foracheck import i18n, pocompile, screens
from foracheck.model import Checklist, Progress
from foracheck.paths import Locations
from foracheck.presentation import incomplete_message
from foracheck.render import Options, Purpose, render
from foracheck.translation import shown_in

WHERE = Path("/home/someone/progress.json")
# The filled progress's own words (a note, a text answer): the patient's, never translated.
PATIENT_WORDS = ("Asked the nurse on Monday.", "Aspirin 81 mg, metoprolol")
# (purpose, format, state, golden suffix): the cases the brief names.
CASES = [
    ("print", "text", "filled", ".txt"),
    ("print", "text", "blank", ".txt"),
    ("print", "html", "blank", ".html"),
    ("export", "markdown", "filled", ".md"),
]


@pytest.fixture
def spanish() -> Iterator[None]:
    """Speak Spanish for one test (the conftest fixture brings English back)."""
    i18n.use_language("es")
    yield
    i18n.use_language("en")


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


def spanish_lists() -> list[Checklist]:
    """The bundled lists in their Spanish words (every one is translated)."""
    lists, untranslated = shown_in(bundled(), "es")
    assert not untranslated
    return lists


def spanish_render(purpose: Purpose, fmt: str, state: str, **options: object) -> str:
    """One output of the bundled lists, in Spanish, from the fixed progress and clock."""
    checklists = spanish_lists()
    blank = state == "blank"
    return render(purpose, fmt, checklists, filled(checklists), Options(NOW, blank, **options))  # type: ignore[arg-type]


def status_screen(checklists: Sequence[Checklist], progress: Progress | None) -> str:
    return "\n".join(screens.status_lines(checklists, progress, NOW.date(), WHERE)) + "\n"


@pytest.mark.parametrize(("purpose", "fmt", "state", "suffix"), CASES)
def test_golden(spanish: None, purpose: Purpose, fmt: str, state: str, suffix: str) -> None:
    text = spanish_render(purpose, fmt, state)
    check_golden(GOLDEN / f"{purpose}-{fmt}-bundled-{state}-es{suffix}", text)


def test_status_golden(spanish: None) -> None:
    checklists = spanish_lists()
    check_golden(
        GOLDEN / "status-bundled-filled-es.txt", status_screen(checklists, filled(checklists))
    )


def english_phrases() -> set[str]:
    """Every English piece of our sentences that Spanish words differently: the
    text between placeholders of each msgid whose translation is not the same."""
    pieces: set[str] = set()
    for key, translation in pocompile.merge(pocompile.parts_of("es")).items():
        if not key or "\x04" in key:
            continue
        for english in key.split("\x00"):
            if english in translation.split("\x00"):
                continue
            for piece in re.split(r"\{[^{}]*\}", english):
                label = piece.strip()  # "Answer:", "Note:"
                words = piece.strip(" .,:;()'\"-")  # "Tell your surgeon"
                if len(label) >= 4 and label.endswith(":") and " " not in label:
                    pieces.add(label)
                elif len(words) >= 4 and " " in words:
                    pieces.add(words)
    return pieces


def english_checklist_text() -> set[str]:
    """The English titles and item texts of the bundled lists."""
    return {
        text
        for checklist in bundled()
        for text in (checklist.title, *(i.text for i in checklist.items))
    }


def spanish_outputs() -> dict[str, str]:
    checklists = spanish_lists()
    outputs = {f"{p} {f} {s}": spanish_render(p, f, s) for p, f, s, _ in CASES}
    outputs["print markdown filled"] = spanish_render("print", "markdown", "filled")
    outputs["print html filled"] = spanish_render("print", "html", "filled")
    outputs["export ics"] = spanish_render("export", "ics", "filled")
    outputs["status"] = status_screen(checklists, filled(checklists))
    outputs["status empty"] = status_screen(checklists, None)
    outputs["show"] = "\n".join(
        line for c in checklists for line in screens.checklist_lines(c, filled(checklists))
    )
    return outputs


def test_the_scan_knows_english_sentences_of_ours() -> None:
    """The check below must look for real sentences, or it would pass on nothing."""
    phrases = english_phrases()
    assert {"Tell your surgeon", "Getting ready for your foraminotomy", "Answer:"} <= phrases
    assert "Important, still open" in phrases and "Sheet" not in phrases


def test_no_english_sentence_or_checklist_text_is_left_in_spanish(spanish: None) -> None:
    phrases = english_phrases() | english_checklist_text()
    left: list[str] = []
    for name, text in spanish_outputs().items():
        for words in PATIENT_WORDS:
            text = text.replace(words, "")
        text = " ".join(text.split())  # a sentence wrapped over lines is still found
        left += [f"{name}: {phrase!r}" for phrase in sorted(phrases) if phrase in text]
    assert not left, "\n".join(left)


def test_english_outputs_keep_english_words() -> None:
    """Without a language asked for, nothing of the Spanish shows (the goldens check all)."""
    checklists = bundled()
    text = render("print", "html", checklists, filled(checklists), Options(NOW, blank=True))
    assert '<html lang="en">' in text and "Dígale" not in text and "Hoja" not in text
    screen = status_screen(checklists, filled(checklists))
    assert "Your lists:" in screen and "Sus listas:" not in screen


@pytest.mark.parametrize("large", [False, True])
def test_large_print_and_a_long_name_fit_80_columns(spanish: None, large: bool) -> None:
    name = "María Guadalupe Hernández de la Concepción Rodríguez-Villaseñor"
    text = spanish_render(
        "print", "text", "filled", large=large, patient=name, born=date(1948, 2, 29)
    )
    lines = text.replace("\f", "\n").splitlines()
    too_wide = [line for line in lines if len(line) > 80]
    assert not too_wide, too_wide
    joined = re.sub(r"\s+", "", text)  # the name may wrap, at a space or its hyphen
    assert re.sub(r"\s+", "", f"Nombre del paciente: {name}") in joined
    assert re.sub(r"\s+", "", f"Paciente: {name} (fecha de nacimiento: 1948-02-29)") in joined
    assert "Fecha de nacimiento: 1948-02-29" in text
    html = spanish_render("print", "html", "filled", large=large, patient=name)
    assert '<html lang="es">' in html and name in html


def test_the_calendar_speaks_spanish_with_the_same_uids(spanish: None) -> None:
    spanish_ics = spanish_render("export", "ics", "filled")
    assert "SUMMARY:Día de la cirugía\r\n" in spanish_ics
    assert "X-WR-CALNAME:Cómo prepararse para su foraminotomía\r\n" in spanish_ics
    i18n.use_language("en")
    checklists = bundled()
    english_ics = render("export", "ics", checklists, filled(checklists), Options(NOW))
    assert "SUMMARY:Surgery day\r\n" in english_ics
    uids = re.compile(r"^UID:.*$", re.MULTILINE)
    assert uids.findall(spanish_ics) == uids.findall(english_ics)


def test_the_condition_names_the_answer_in_spanish(spanish: None) -> None:
    text = " ".join(spanish_render("print", "text", "blank").split())
    assert 'Solo si respondió "sí" a:' in text
    assert 'Solo si respondió "hecho" a:' in text
    assert "Marque con un círculo: sí / no" in text


def test_incomplete_message_in_spanish(spanish: None) -> None:
    checklists = spanish_lists()
    message = incomplete_message(checklists, filled(checklists))
    assert message is not None
    assert message.startswith("Faltan ") and "pasos" in message
    assert "Respóndalos con 'foracheck start --all' o 'foracheck mark'." in message


def test_a_real_status_and_print_in_spanish(locations: Locations) -> None:
    """As a person runs it: --lang es, a saved surgery date, status then print."""
    checklists = bundled()
    save(locations, filled(checklists))
    status = run_here("--lang", "es", "status")
    assert status.returncode == 0, status.stderr
    assert "Sus listas:" in status.stdout and "Dígale a su cirujano:" in status.stdout
    assert "Your lists" not in status.stdout
    printed = run_here("--lang", "es", "print", "--format", "html", "--blank")
    assert printed.returncode == 0, printed.stderr
    assert '<html lang="es">' in printed.stdout and "Hoja 1 de 6" in printed.stdout
    calendar = run_here("--lang", "es", "export", "--format", "ics")
    assert "SUMMARY:Día de la cirugía" in calendar.stdout
