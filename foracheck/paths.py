"""Where things live: the data folder and the checklist folders, resolved once.

Precedence, highest first: the global option (``--home``, ``--checklists``),
then the environment variable, then the default. Tests point every path at a
temporary folder through the environment variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

HOME_ENV = "FORACHECK_HOME"
CHECKLISTS_ENV = "FORACHECK_CHECKLISTS"
PROGRESS_NAME = "progress.json"


def bundled_checklists_dir() -> Path:
    """The checklists shipped with foracheck.

    A wheel carries them inside the package; a source checkout or an editable
    install keeps them in the top-level ``checklists/`` folder beside it.
    """
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "checklists"
    return installed if installed.is_dir() else package_dir.parent / "checklists"


def default_data_home() -> Path:
    """The platform's user data folder for foracheck (XDG on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("foracheck", appauthor=False))


def _split_paths(value: str) -> list[Path]:
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]


class Locations(NamedTuple):
    """Every path foracheck reads or writes."""

    # A NamedTuple, not a frozen dataclass: a quarter of the cost to define
    # (every command makes one).
    home: Path
    extra_checklists: tuple[Path, ...]

    @classmethod
    def resolve(
        cls,
        home: Path | None = None,
        checklists: Sequence[Path] = (),
        environ: Mapping[str, str] = os.environ,
    ) -> Locations:
        """Apply option > environment > default to each setting."""
        if home is None:
            env_home = environ.get(HOME_ENV, "").strip()
            home = Path(env_home).expanduser() if env_home else default_data_home()
        extra = list(checklists) or _split_paths(environ.get(CHECKLISTS_ENV, ""))
        return cls(home=home.absolute(), extra_checklists=tuple(p.absolute() for p in extra))

    @property
    def progress_file(self) -> Path:
        """The saved answers."""
        return self.home / PROGRESS_NAME

    @property
    def backup_file(self) -> Path:
        """The last good copy of the saved answers."""
        return self.home / (PROGRESS_NAME + ".bak")

    @property
    def lock_file(self) -> Path:
        """Held by the one foracheck that may write."""
        return self.home / (PROGRESS_NAME + ".lock")

    def holds(self, path: Path) -> bool:
        """Whether ``path`` is, or would be created, inside the data folder (links resolved)."""
        home = Path(os.path.realpath(self.home))
        target = Path(os.path.realpath(path))
        return target == home or home in target.parents
