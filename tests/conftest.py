"""Shared fixtures: every test gets its own data folder and no extra checklists."""

from __future__ import annotations

from pathlib import Path

import pytest

from foracheck.paths import CHECKLISTS_ENV, HOME_ENV, Locations


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point FORACHECK_HOME at a fresh folder so no test touches real progress."""
    home = tmp_path / "home"
    monkeypatch.setenv(HOME_ENV, str(home))
    monkeypatch.delenv(CHECKLISTS_ENV, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def locations(isolated_home: Path) -> Locations:
    """The Locations a command would resolve in this test."""
    return Locations.resolve(home=isolated_home)
