"""How to run foracheck again, written the way that works in the user's own shell.

After the README's install (a virtual environment, not activated) ``foracheck``
is not on PATH, so a screen that says "run: foracheck start" would send a
patient to a "command not found". Every message that names a command builds it
here: ``foracheck`` when that name on PATH is this very program, else the path
the user typed (``.venv/bin/foracheck``), or ``python -m foracheck`` under ``-m``.
"""

from __future__ import annotations

import functools
import shlex
import shutil
import sys
from pathlib import Path

NAME = "foracheck"

# The global options in effect that a hint must repeat (``--home DIR``, ``--checklists
# PATH``), quoted for the shell: the command given must reach the same folder and lists.
_globals: tuple[str, ...] = ()


def use_globals(home: str | None, checklists: list[str]) -> None:
    """Remember this run's ``--home`` and ``--checklists``, for every hint it prints."""
    global _globals
    words: list[str] = []
    if home is not None:
        words += ["--home", shlex.quote(home)]
    for path in checklists:
        words += ["--checklists", shlex.quote(path)]
    _globals = tuple(words)


def command(*words: str, with_globals: bool = True) -> str:
    """A command line that runs foracheck with ``words``, as the user can type it,
    with the global options in effect (unless ``with_globals`` is False)."""
    return " ".join([program(), *(_globals if with_globals else ()), *words])


@functools.cache
def program() -> str:
    """The words that start this foracheck in the user's shell (worked out once per run)."""
    launched = sys.argv[0] if sys.argv else ""
    base = Path(launched).name
    if base == "__main__.py" and Path(launched).parent.name == NAME:  # python -m foracheck
        return f"{python_words()} -m {NAME}"
    if not base.startswith(NAME):  # run from inside another program (tests, an embedding)
        return NAME
    if _on_path_is(launched):
        return NAME
    return shlex.quote(launched)


def _on_path_is(launched: str) -> bool:
    """Whether typing plain ``foracheck`` would start the program at ``launched``."""
    found = shutil.which(NAME)
    if found is None:
        return False
    try:
        return Path(found).samefile(launched)
    except OSError:
        return False


def python_words() -> str:
    """The interpreter by a name the shell finds, else by its full path.

    Paths are compared without following links: a virtual environment's
    ``python`` links to the system's, yet only the first sees foracheck.
    """
    if not sys.executable:
        return "python3"
    executable = Path(sys.executable).absolute()  # absolute() keeps links, unlike resolve()
    for name in ("python3", "python", executable.name):
        found = shutil.which(name)
        if found is not None and Path(found).absolute() == executable:
            return name
    return shlex.quote(str(executable))
