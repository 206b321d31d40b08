"""The patient's day in a real terminal: what the walk asks first on the surgery day and
the day after, and the illness alert said at once, in English and Spanish, normal and plain.

The surgery date is set relative to the day the test runs, so what is asked does not
depend on that day.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from test_terminal import Session, saved, sessions, squash  # noqa: F401 (a fixture)

from foracheck import store
from foracheck.catalog import load_catalog
from foracheck.model import Progress
from foracheck.paths import Locations

SICK_EN = "Do you have COVID-19, a cold, flu, fever, a herpes breakout, or other illness?"
SICK_ES = "¿Tiene COVID-19, un resfriado, gripe, fiebre, un brote de herpes u otra enfermedad?"
ALERT = {
    "en": "Act now: Tell your surgeon or nurse today that you are sick.",
    "es": "Haga esto ahora: Dígale hoy a su cirujano o a su enfermera que tiene una enfermedad.",
}


def welcomed(locations: Locations, surgery: date) -> None:
    with store.open_for_writing(locations) as writer:
        writer.save(Progress(surgery_date=surgery, welcomed=True))


def spawn(sessions: list[Session], *args: str, env: dict[str, str] | None = None) -> Session:  # noqa: F811
    session = Session(*args, env=env)
    sessions.append(session)
    return session


def test_on_the_surgery_day_the_walk_opens_with_a_day_of_step(
    sessions: list[Session],  # noqa: F811
    locations: Locations,
) -> None:
    welcomed(locations, date.today())
    session = spawn(sessions, "start")
    first = session.prompt()
    assert first.title == "The day of surgery"
    assert first.shows("Stop eating and drinking")  # critical, and its window ends today
    assert not first.shows("Past due")
    session.send("q")
    code, _ = session.finish()
    assert code == 0


def test_the_day_after_the_walk_opens_with_an_after_surgery_step(
    sessions: list[Session],  # noqa: F811
    locations: Locations,
) -> None:
    welcomed(locations, date.today() - timedelta(days=1))
    session = spawn(sessions, "start")
    first = session.prompt()
    assert first.title == "After surgery"
    assert first.shows("steps before surgery were not done; they are kept for your care team")
    assert not first.shows("Past due")
    session.send("q")
    code, _rest = session.finish()
    assert code == 0
    assert "Stop eating" not in session.transcript


def _next_prompt(session: Session, lang: str, plain: bool) -> str:
    """The screen up to the next prompt, squashed."""
    if plain:
        return squash(session.expect("Your answer: " if lang == "en" else "Su respuesta: "))
    return squash(session.expect("\r\n> "))


def _walk_to_the_illness_question(session: Session, lang: str, plain: bool) -> None:
    """Answer every step before it "not yet"; stop at the question."""
    question = SICK_EN if lang == "en" else SICK_ES
    for _ in range(10):
        if squash(question) in _next_prompt(session, lang, plain):
            return
        session.send("n" if lang == "en" else "t")
    raise AssertionError("the illness question never came")


@pytest.mark.parametrize("plain", [False, True], ids=["normal", "plain"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_yes_to_the_illness_question_says_what_to_do_at_once(
    sessions: list[Session],  # noqa: F811
    locations: Locations,
    lang: str,
    plain: bool,
) -> None:
    welcomed(locations, date.today() + timedelta(days=3))
    options = ["--lang", lang, *(["--plain"] if plain else [])]
    session = spawn(sessions, *options, "start", "week-before")
    _walk_to_the_illness_question(session, lang, plain)
    session.send("y" if lang == "en" else "s")
    after = _next_prompt(session, lang, plain)
    assert squash(ALERT[lang]) in after
    saved_word = "Saved: yes." if lang == "en" else "Guardado: sí."
    assert squash(saved_word) not in after  # the alert, in place of a plain "Saved"
    session.send("q")
    code, _ = session.finish()
    assert code == 0
    answers = saved(locations).answers_for("week-before")
    assert answers["sick-before-surgery"].value == "yes"
    # its critical follow-up is what the walk asks next, in the same list
    follow_up = (
        "Tell your surgeon or nurse that you are sick."
        if lang == "en"
        else "Dígale a su cirujano o a su enfermera que tiene una enfermedad."
    )
    assert squash(follow_up) in after
    assert load_catalog(locations).get("week-before").item("tell-surgeon-you-are-sick")
