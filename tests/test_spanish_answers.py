"""Answers typed in Spanish are stored as the English values, and nothing else changes.

The words (contract "Answers"): ``sí``/``si``/``s`` and ``no``/``n`` for yes/no;
``hecho`` (``h``), ``todavía no`` (``t``) and ``no aplica`` (``na``) for tasks;
case and accents do not matter. In Spanish the full English words are accepted
too, the English letters are not (``s`` is "sí", ``n`` is "no"). A list
answered in Spanish exports and imports exactly like one answered in English.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run_here

from foracheck import i18n
from foracheck.model import (
    STORED_ANSWERS,
    Answer,
    InvalidAnswerError,
    Item,
    answer_fits,
    answer_label,
    choices_hint,
    parse_answer,
)

TASK = Item("t", "task", "Ask your surgeon.")
YESNO = Item("q", "yesno", "Are you sick?")
TEXT = Item("x", "text", "Which medicines?")


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.use_language("es")
    yield
    i18n.use_language("en")


@pytest.mark.parametrize(
    ("item", "typed", "stored"),
    [
        (YESNO, "sí", "yes"),
        (YESNO, "si", "yes"),
        (YESNO, "SÍ", "yes"),
        (YESNO, " Si ", "yes"),
        (YESNO, "s", "yes"),
        (YESNO, "S", "yes"),
        (YESNO, "no", "no"),
        (YESNO, "NO", "no"),
        (YESNO, "n", "no"),
        (YESNO, "yes", "yes"),  # the full English word, as a nurse or the paper says it
        (TASK, "hecho", "done"),
        (TASK, "Hecho", "done"),
        (TASK, "h", "done"),
        (TASK, "todavía no", "not-yet"),
        (TASK, "todavia no", "not-yet"),
        (TASK, "TODAVÍA  NO", "not-yet"),
        (TASK, "todavía-no", "not-yet"),
        (TASK, "t", "not-yet"),
        (TASK, "no aplica", "skip"),
        (TASK, "No Aplica", "skip"),
        (TASK, "na", "skip"),
        (TASK, "done", "done"),
        (TASK, "not yet", "not-yet"),
        (TASK, "does not apply", "skip"),
        (TASK, "skip", "skip"),
    ],
)
def test_spanish_words_are_stored_as_the_english_values(
    spanish: None, item: Item, typed: str, stored: str
) -> None:
    assert parse_answer(item, typed) == stored


@pytest.mark.parametrize(
    ("item", "typed"),
    [
        (YESNO, "sip"),
        (TASK, "s"),  # would be "sí" to a Spanish speaker, "skip" in English
        (TASK, "n"),  # "no"? "not yet"? neither is safe to guess
        (TASK, "no"),
        (TASK, "sí"),
        (TASK, "d"),
    ],
)
def test_letters_that_would_mean_something_else_are_asked_again(
    spanish: None, item: Item, typed: str
) -> None:
    with pytest.raises(InvalidAnswerError) as raised:
        parse_answer(item, typed)
    assert choices_hint(item.type) in str(raised.value)
    assert str(raised.value).startswith("Por favor, responda")


@pytest.mark.parametrize("typed", ["y", "Y", "yes", "s", "sí", "SI", "si"])
def test_spanish_yes_is_the_same_at_every_yes_no_prompt(spanish: None, typed: str) -> None:
    """One vocabulary: a yes/no item, the date confirmation and reset all read "y", "s",
    "sí" and "si" alike (issue 18: "y" was yes at one prompt and refused at two)."""
    from foracheck.answers import confirm

    assert parse_answer(YESNO, typed) == "yes"
    assert confirm(lambda: typed, lambda: None) is True


@pytest.mark.parametrize(("item", "typed"), [(YESNO, "sí"), (TASK, "hecho"), (TASK, "na")])
def test_english_does_not_take_the_spanish_words(item: Item, typed: str) -> None:
    with pytest.raises(InvalidAnswerError, match="Please answer"):
        parse_answer(item, typed)


def test_hints_and_labels_follow_the_language(spanish: None) -> None:
    assert choices_hint("task") == "hecho (h), todavía no (t) o no aplica (na)"
    assert choices_hint("yesno") == "sí (s) o no (n)"
    assert "500" in choices_hint("text")
    labels = {value: answer_label(TASK, Answer(value, "t")) for value in STORED_ANSWERS["task"]}
    assert labels == {"done": "hecho", "not-yet": "todavía no", "skip": "no aplica"}
    assert answer_label(YESNO, Answer("yes", "t")) == "sí"
    assert answer_label(TEXT, Answer("Aspirina", "t")) == "Aspirina"  # the patient's words


def test_a_stored_answer_fits_in_every_language() -> None:
    """Switching the language must never make a saved answer look wrong (and be hidden)."""
    saved = [(TASK, value) for value in STORED_ANSWERS["task"]]
    saved += [(YESNO, value) for value in STORED_ANSWERS["yesno"]]
    for code in i18n.LANGUAGES:
        i18n.use_language(code)
        assert all(answer_fits(item, Answer(value, "t")) for item, value in saved)
        assert not answer_fits(YESNO, Answer("sí", "t"))  # never stored in Spanish words
    i18n.use_language("en")


# --- real processes ---------------------------------------------------------------

SPANISH_MARKS = [
    ("week-before", "ask-about-blood-thinners", "Hecho"),
    ("week-before", "told-to-stop-blood-thinners", "Sí"),
    ("week-before", "blood-thinners-to-stop", "Aspirina, 5 días antes"),
    ("week-before", "ask-day-of-medicines", "todavia no"),
    ("week-before", "sick-before-surgery", "SÍ"),
]
STORED = {
    "ask-about-blood-thinners": "done",
    "told-to-stop-blood-thinners": "yes",
    "blood-thinners-to-stop": "Aspirina, 5 días antes",
    "ask-day-of-medicines": "not-yet",
    "sick-before-surgery": "yes",
}


def _answers(export: str) -> dict[str, str | None]:
    data = json.loads(export)
    [checklist] = [c for c in data["checklists"] if c["id"] == "week-before"]
    return {item["id"]: item["answer"] for item in checklist["items"]}


def _stored(export: str) -> list[tuple[str, str, object, object, object, object]]:
    """What an export says was answered, without the texts a translation would change."""
    return [
        (c["id"], i["id"], i["answer"], i["resolved"], i["answered_at"], i["tell_surgeon"])
        for c in json.loads(export)["checklists"]
        for i in c["items"]
    ]


def _json_export(*env_args: str, env: dict[str, str] | None = None) -> str:
    result = run_here(*env_args, "export", "week-before", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_answers_marked_in_spanish_export_and_import_under_english_unchanged(
    tmp_path: Path, isolated_home: Path
) -> None:
    for list_id, item_id, typed in SPANISH_MARKS:
        marked = run_here("--lang", "es", "mark", list_id, item_id, typed)
        assert marked.returncode == 0, marked.stderr
    exported = _json_export("--lang", "es")
    answers = _answers(exported)
    assert {key: answers[key] for key in STORED} == STORED
    # What was answered does not depend on the language (texts may, once lists are translated).
    assert _stored(_json_export()) == _stored(exported)
    file = tmp_path / "answers.json"
    file.write_text(exported, encoding="utf-8")
    other_home = tmp_path / "other-home"
    imported = run_here("--home", str(other_home), "import", str(file), env={"LANG": "C.UTF-8"})
    assert imported.returncode == 0, imported.stderr
    again = _answers(_json_export("--home", str(other_home)))
    assert again == answers


def test_switching_the_language_halfway_keeps_every_answer(isolated_home: Path) -> None:
    halfway = [
        ("ask-about-blood-thinners", "Hecho", {"LANG": "es_MX.UTF-8"}),
        ("told-to-stop-blood-thinners", "s", {"FORACHECK_LANG": "es"}),
        ("blood-thinners-to-stop", "Aspirina, 5 días antes", {}),
        ("ask-day-of-medicines", "todavia no", {"FORACHECK_LANG": "es"}),
        ("sick-before-surgery", "y", {"LANG": "C"}),
    ]
    for item_id, typed, env in halfway:
        marked = run_here("mark", "week-before", item_id, typed, env=env)
        assert marked.returncode == 0, marked.stderr
    assert {key: _answers(_json_export())[key] for key in STORED} == STORED
    shown_es = run_here("--lang", "es", "show", "week-before")
    shown_en = run_here("--lang", "en", "show", "week-before")
    assert shown_es.returncode == 0 and shown_en.returncode == 0
    for word in ("hecho", "todavía no", "sí", "Aspirina, 5 días antes"):
        assert word in shown_es.stdout
    for word in ("done", "not yet", "yes", "Aspirina, 5 días antes"):
        assert word in shown_en.stdout
    assert "todavía no" not in shown_en.stdout


def test_mark_refuses_a_spanish_word_in_english_and_stores_nothing(isolated_home: Path) -> None:
    refused = run_here("mark", "week-before", "sick-before-surgery", "sí")
    assert refused.returncode == 2
    assert "Please answer yes (y) or no (n)." in refused.stderr
    assert _answers(_json_export())["sick-before-surgery"] is None
