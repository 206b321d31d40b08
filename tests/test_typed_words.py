"""The words people type, understood the same at every prompt and in both languages:
quit, help and back at a task, a yes/no and a text question, at the reason for a
critical "does not apply" and at the date; "don't know" kept as not-yet; a past
surgery date confirmed (issue 20)."""

from __future__ import annotations

import pytest
from test_session import TODAY, Conversation, run, saved_values

from foracheck import i18n, session, store
from foracheck.model import Checklist, Item
from foracheck.paths import Locations

TEXT_LIST = Checklist(
    id="alpha",
    title="Alpha list",
    items=(
        Item(id="a1", type="task", text="Task a1.", critical=True),
        Item(id="t1", type="text", text="Which medicines?"),
    ),
)


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.use_language("es")


def walk(locations: Locations, checklist: Checklist, *script: tuple[str, str, str | bool]) -> int:
    talk = Conversation(list(script))
    code = session.run_start(locations, [checklist], None, False, TODAY, prompter=talk)
    assert not talk.script, f"these questions never came: {talk.script}"
    return code


@pytest.mark.parametrize("word", ["quit", "exit", "Q", " Quit "])
def test_a_text_answer_that_is_only_a_command_word_is_a_command(
    locations: Locations, word: str
) -> None:
    code = walk(
        locations,
        TEXT_LIST,
        ("date", "", ""),
        ("item", "alpha/a1", "d"),
        ("item", "alpha/t1", word),
    )
    assert code == 0
    assert saved_values(locations) == {"a1": "done"}  # never "quit" as a medicine


@pytest.mark.parametrize(
    "words", ["idk", "I don't know", "dont know", "not sure", "unsure", "No idea"]
)
def test_don_t_know_is_stored_as_not_yet(locations: Locations, words: str) -> None:
    walk(
        locations,
        TEXT_LIST,
        ("date", "", ""),
        ("item", "alpha/a1", "d"),
        ("item", "alpha/t1", words),
    )
    assert saved_values(locations)["t1"] == "not-yet"


@pytest.mark.parametrize("words", ["no sé", "No lo sé", "ni idea", "no estoy segura"])
def test_spanish_don_t_know_is_stored_as_not_yet(
    spanish: None, locations: Locations, words: str
) -> None:
    walk(
        locations,
        TEXT_LIST,
        ("date", "", ""),
        ("item", "alpha/a1", "h"),
        ("item", "alpha/t1", words),
    )
    assert saved_values(locations)["t1"] == "not-yet"


def test_help_and_back_are_words_too(locations: Locations) -> None:
    code, talk = run(
        locations,
        ("date", "", ""),
        ("item", "alpha/a1", "help"),
        ("item", "alpha/a1", "d"),
        ("item", "alpha/a2", "back"),
        ("item", "alpha/a1", ""),
        ("item", "alpha/a2", "exit"),
    )
    assert code == 0 and "details" in talk.told
    assert saved_values(locations) == {"a1": "done"}


@pytest.mark.parametrize(
    ("back", "help_word", "quit_word"),
    [("v", "ayuda", "salir"), ("atrás", "?", "q"), ("volver", "help", "exit")],
)
def test_spanish_command_words(
    spanish: None, locations: Locations, back: str, help_word: str, quit_word: str
) -> None:
    code, talk = run(
        locations,
        ("date", "", ""),
        ("item", "alpha/a1", help_word),
        ("item", "alpha/a1", "h"),
        ("item", "alpha/a2", back),
        ("item", "alpha/a1", ""),
        ("item", "alpha/a2", quit_word),
    )
    assert code == 0 and "details" in talk.told
    assert saved_values(locations) == {"a1": "done"}


@pytest.mark.parametrize("word", ["q", "salir", "quit"])
def test_the_reason_prompt_takes_quit_and_saves_nothing_of_the_answer(
    spanish: None, locations: Locations, word: str
) -> None:
    code = walk(
        locations,
        TEXT_LIST,
        ("date", "", ""),
        ("item", "alpha/a1", "na"),
        ("reason", "alpha/a1", word),
    )
    assert code == 0
    progress = store.read_progress(locations)
    assert progress is None or not progress.answers_for("alpha")  # no "q" as a note


def test_the_reason_prompt_takes_back_and_help(locations: Locations) -> None:
    walk(
        locations,
        TEXT_LIST,
        ("date", "", ""),
        ("item", "alpha/a1", "s"),
        ("reason", "alpha/a1", "?"),
        ("reason", "alpha/a1", "b"),
        ("item", "alpha/a1", "s"),
        ("reason", "alpha/a1", "No car needed"),
        ("item", "alpha/t1", "q"),
    )
    progress = store.read_progress(locations)
    assert progress is not None
    answer = progress.answer("alpha", "a1")
    assert answer is not None and (answer.value, answer.note) == ("skip", "No car needed")


def test_a_past_surgery_date_is_confirmed(locations: Locations) -> None:
    code, _ = run(
        locations,
        ("date", "", "2025-12-10"),
        (
            "confirm",
            "2025-12-10 was 90 days ago. Please check the date before you go on. "
            "Is 2025-12-10 right?",
            False,
        ),
        ("date", "", "2026-03-20"),
        ("item", "alpha/a1", "q"),
    )
    assert code == 0
    state = store.read_state(locations)
    assert state is not None and state.surgery_date is not None
    assert state.surgery_date.isoformat() == "2026-03-20"  # the past one was not kept


@pytest.mark.parametrize("word", ["q", "salir"])
def test_quit_at_the_date_prompt_saves_and_quits(
    spanish: None, locations: Locations, word: str
) -> None:
    code, talk = run(locations, ("date", "", word))
    assert code == 0 and talk.closed is not None
    state = store.read_state(locations)
    assert state is not None and state.welcomed and state.settings.language == "es"


def test_help_at_the_date_prompt_explains_with_a_date_from_today(locations: Locations) -> None:
    _, talk = run(locations, ("date", "", "?"), ("date", "", ""), ("item", "alpha/a1", "q"))
    said = [line for line in talk.told if "YYYY-MM-DD" in line]
    assert said and "for example 2026-04-07." in said[0]  # TODAY (10 March) + 4 weeks
