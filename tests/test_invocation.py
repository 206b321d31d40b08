"""Every screen that names a command names one that works in the user's shell.

The README installs into a virtual environment that is not activated, so
``foracheck`` is not on PATH: the hints must then name the path the user typed.
These run the installed console script by a relative path, as a patient would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_cli

BIN = Path(sys.executable).parent
SCRIPT = BIN / "foracheck"
# A PATH on which no foracheck (and not this environment's python) is found.
BARE_PATH = os.pathsep.join(
    folder
    for folder in os.environ.get("PATH", "").split(os.pathsep)
    if folder and not (Path(folder) / "foracheck").exists() and Path(folder) != BIN
)

needs_script = pytest.mark.skipif(
    not SCRIPT.exists(), reason="the console script is not installed in this environment"
)


def run_script(*args: str, path: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the console script as ``bin/foracheck`` typed from ``cwd``."""
    return subprocess.run(
        [os.path.relpath(SCRIPT, cwd), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PATH": path},
        timeout=20,
        check=False,
    )


@needs_script
def test_a_script_not_on_path_names_the_path_that_was_typed() -> None:
    typed = os.path.relpath(SCRIPT, BIN.parent)
    result = run_script("start", path=BARE_PATH, cwd=BIN.parent)
    assert result.returncode == 2
    assert f"'{typed} start' asks questions" in result.stderr
    assert f"use: {typed} mark LIST_ID ITEM_ID ANSWER" in result.stderr
    status = run_script("status", path=BARE_PATH, cwd=BIN.parent)
    assert status.returncode == 0
    screen = " ".join(status.stdout.split())  # however the screen wrapped it
    assert f"No answers are saved yet. Run '{typed} start' to begin." in screen
    assert f"Add it with: {typed} date YYYY-MM-DD" in screen


@needs_script
def test_the_script_on_path_is_named_plainly() -> None:
    on_path = os.pathsep.join([str(BIN), BARE_PATH])
    result = run_script("start", path=on_path, cwd=BIN.parent)
    assert "'foracheck start' asks questions" in result.stderr
    assert "use: foracheck mark LIST_ID ITEM_ID ANSWER" in result.stderr
    assert "bin/foracheck" not in result.stderr


def test_python_dash_m_names_the_interpreter_the_shell_finds() -> None:
    result = run_cli("start", env={"PATH": BARE_PATH})
    assert result.returncode == 2
    # this environment's python is not on BARE_PATH, so only its full path works
    assert f"use: {sys.executable} -m foracheck mark LIST_ID ITEM_ID ANSWER" in result.stderr


def test_python_dash_m_on_path_is_named_by_its_short_name() -> None:
    on_path = os.pathsep.join([str(BIN), BARE_PATH])
    expected = next(
        name
        for name in ("python3", "python", Path(sys.executable).name)
        if shutil.which(name, path=on_path) == sys.executable
    )
    result = run_cli("export", "--format", "ics", env={"PATH": on_path})
    assert result.returncode == 2
    assert f"Save one with: {expected} -m foracheck date YYYY-MM-DD" in result.stderr
