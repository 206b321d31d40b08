"""A whole walk in Spanish in a real terminal, as a Spanish-speaking patient meets it.

Chosen once with ``--lang es`` and once only by the locale (``LANG=es_ES.UTF-8``).
Every answer is typed in Spanish; the transcript may hold no English sentence of
ours (checked against every English message in the catalogs and every English
checklist text, so a sentence added later is checked too), and what is stored is
the English value, as for an English walk.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from test_terminal import ANSI, Session, saved, sessions, squash  # noqa: F401 (a fixture)

from foracheck import pocompile
from foracheck.catalog import load_catalog
from foracheck.paths import Locations

POSITION = re.compile(r"^(?P<title>[^\r\n]+): paso (?P<number>\d+) de (?P<total>\d+)", re.M)
TASK = "hecho (h) | todavía no (t) | no aplica (na)"
YES_NO = "sí (s) | no (n)"
TEXT = "escriba su respuesta, o: no sé"
STORED = {"done", "not-yet", "skip", "yes", "no"}
# English that may stand in a Spanish screen: names, and the command to type.
ALLOWED = ("foracheck", "python", "MedlinePlus", "--surgery-date", "YYYY-MM-DD")


def english_fragments() -> list[str]:
    """Pieces of English that only our English sentences and checklists contain.

    Every message of the Spanish catalog (its English msgid), cut at its
    placeholders, and every English checklist title and item text. Short pieces
    and pieces that read the same in Spanish are left out: they say nothing.
    """
    catalog = pocompile.merge(pocompile.parts_of("es"))
    pieces: set[str] = set()
    for key, spanish in catalog.items():
        if not key:  # the header
            continue
        for english in key.split("\x00"):
            for piece in re.split(r"\{[^}]*\}", english):
                piece = piece.strip(" .:,;()[]'\"\n")
                if len(piece) >= 14 and " " in piece and piece not in spanish:
                    pieces.add(piece)
    english_lists = load_catalog(Locations.resolve(home=Path("/nonexistent")))
    for checklist in english_lists.checklists:
        pieces.add(checklist.title)
        pieces.update(item.text for item in checklist.items)
    return sorted(pieces)


def english_in(transcript: str) -> list[str]:
    seen = squash(ANSI.sub("", transcript))
    return [piece for piece in english_fragments() if squash(piece) in seen]


def answer_for(screen: str, first_question: list[bool]) -> str:
    """What a Spanish-speaking patient types at this prompt: tasks done, the first
    question yes (it may open a follow-up), other questions no, text 'no sé'."""
    if TASK in screen:
        return "hecho"
    if YES_NO in screen:
        if first_question:
            first_question.pop()
            return "sí"
        return "No"
    assert TEXT in screen, screen
    return "No sé"


def walk_everything(session: Session) -> str:
    """Answer every prompt until the walk ends; the whole transcript."""
    first_question = [True]
    asked_for_details = False
    while True:
        # The walk ends with its closing lines ("Listo por ahora." only when nothing to do
        # now is open: a "no sé" leaves a question open).
        index = session.child.expect_exact(["\r\n> ", "Para seguir más tarde, escriba:"])
        screen = session._seen()
        if index == 1:
            break
        assert POSITION.search(screen), screen
        if not asked_for_details:
            session.send("?")
            session.expect("\r\n> ")
            asked_for_details = True
        session.send(answer_for(screen, first_question))
    code, _ = session.finish()
    assert code == 0
    return session.transcript


@pytest.mark.parametrize(
    ("words", "env"),
    [
        (["--lang", "es"], {}),
        ([], {"LANG": "es_ES.UTF-8"}),  # chosen by the locale alone
    ],
    ids=["--lang es", "LANG=es_ES.UTF-8"],
)
def test_a_whole_walk_in_spanish_shows_no_english_and_stores_english(
    sessions: list[Session],  # noqa: F811 (the fixture imported above)
    locations: Locations,
    words: list[str],
    env: dict[str, str],
) -> None:
    surgery = date.today() + timedelta(days=3)
    session = Session(*words, "start", "--all", env=env)
    sessions.append(session)
    welcome = session.expect("Fecha de la cirugía: ")
    assert "Le damos la bienvenida a foracheck." in welcome
    session.send(surgery.isoformat())
    transcript = walk_everything(session)
    assert "Resumen" in transcript and "Para seguir más tarde, escriba:" in transcript
    assert english_in(transcript) == []
    assert "Traceback" not in transcript
    progress = saved(locations)
    stored = [answer.value for answers in progress.answers.values() for answer in answers.values()]
    assert stored and set(stored) <= STORED  # "No sé" leaves a text question open: not-yet
    assert "yes" in stored and "not-yet" in stored and "done" in stored


def test_resume_in_spanish_says_welcome_back(
    sessions: list[Session],  # noqa: F811 (the fixture imported above)
    locations: Locations,
) -> None:
    first = Session("--lang", "es", "start", "--all")
    sessions.append(first)
    first.expect("Fecha de la cirugía: ")
    first.send("")
    first.expect("\r\n> ")
    first.send("h")
    first.expect("\r\n> ")
    first.send("q")
    code, rest = first.finish()
    assert code == 0 and "respuesta guardada" in rest
    again = Session("--lang", "es", "start", "--all")
    sessions.append(again)
    opening = again.expect("\r\n> ")
    assert "Qué bueno verle de nuevo: ya respondió 1 de" in squash_spaces(opening)
    again.send("q")
    again.finish()
    assert english_in(first.transcript + again.transcript) == []


def squash_spaces(text: str) -> str:
    return " ".join(text.split())


def test_the_english_check_can_fail() -> None:
    """The check must find an English sentence of ours when one is there."""
    assert english_in("Everything for now is answered. Well done.")
    assert english_in("Summary\r\nThe week before surgery: step 1 of 4")
