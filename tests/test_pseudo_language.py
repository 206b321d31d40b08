"""A third language is data: a pseudo-language defined in tests/data/locale/xx alone
(its record and a catalog part, no code) is spoken by the walk, ``status`` and
``--help``, and its own words are understood at the prompts."""

from __future__ import annotations

import pytest
from helpers import DATA, run_here
from render_helpers import invoke

from foracheck import languages, session, store
from foracheck.paths import Locations

PSEUDO = DATA / "locale"
WALK_LIST = DATA / "critical.yaml"


@pytest.fixture
def pseudo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(languages, "LOCALE_DIRS", [*languages.LOCALE_DIRS, str(PSEUDO)])


def test_the_pseudo_language_is_listed_and_refused_without_its_data(
    pseudo: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert languages.names()["xx"] == "Pseudo"
    monkeypatch.setattr(languages, "LOCALE_DIRS", languages.LOCALE_DIRS[:1])
    code, _, err = invoke(capsys, "--lang", "xx", "status")
    assert code == 2 and "xx" in err


def test_status_and_help_speak_the_pseudo_language(
    pseudo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = invoke(capsys, "--lang", "xx", "status")
    assert code == 0 and "⟦Ÿöür ļíšţš⟧:" in out
    code, out, _ = invoke(capsys, "--lang", "xx", "--help")
    assert code == 0
    assert "⟦Üšåĝé⟧: foracheck" in out and "⟦Öþţíöñš⟧:" in out and "⟦Šĥöŵ ţĥíš" in out
    assert "Usage:" not in out and "Show this message" not in out


def test_a_plain_walk_in_the_pseudo_language_understands_its_words(
    pseudo: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    locations: Locations,
) -> None:
    """Its own words: "wat" shows the details, "jah" is yes, "hup" saves and quits."""
    typed = "\n" + "dun\n" + "wat\n" + "jah\n" + "hup\n"  # date skipped, a task, a question
    monkeypatch.setattr(session, "require_terminal", lambda: None)
    ran = run_here(
        "--lang",
        "xx",
        "--plain",
        "--checklists",
        str(WALK_LIST),
        "start",
        "plain-walk",
        input=typed,
        tty=True,
    )
    code, out, err = ran.returncode, ran.stdout, ran.stderr
    assert code == 0, err
    assert "⟦Ļíšţ⟧: " in out and "⟦Ţýþé⟧ jah ⟦ƒöŕ ýéš⟧" in out and "⟦Šåvéð⟧: jah." in out
    saved = store.read_progress(locations)
    assert saved is not None
    answers = {item: answer.value for item, answer in saved.answers_for("plain-walk").items()}
    assert answers == {"blood-thinners": "done", "feeling-sick": "yes"}
    assert saved.settings.language == "xx"  # the first walk remembers it
