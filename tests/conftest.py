"""Shared fixtures: every test gets its own data folder, no extra checklists, and English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from foracheck import i18n
from foracheck.paths import CHECKLISTS_ENV, HOME_ENV, Locations


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point FORACHECK_HOME at a fresh folder so no test touches real progress."""
    home = tmp_path / "home"
    monkeypatch.setenv(HOME_ENV, str(home))
    monkeypatch.delenv(CHECKLISTS_ENV, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """English unless a test asks for another language, whatever the machine's locale.

    LANG stays set, to a UTF-8 locale that means English, so that processes keep the
    encoding they have on a usual machine (tests that need an ASCII terminal set
    LANG and LC_ALL to C themselves). A test that switches the language in-process
    gets English back afterwards.
    """
    for variable in (i18n.LANG_ENV, "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    yield
    i18n.use_language(i18n.ENGLISH)


@pytest.fixture
def locations(isolated_home: Path) -> Locations:
    """The Locations a command would resolve in this test."""
    return Locations.resolve(home=isolated_home)
