"""A real install: a fresh clone installed by the README's own command (pip builds the
wheel and installs it, not editable), the wheel's files, and ``foracheck`` run from an
unrelated folder."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import ROOT

pytestmark = pytest.mark.slow
BIN = "Scripts" if sys.platform == "win32" else "bin"


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def once(
    tmp_path_factory: pytest.TempPathFactory,
    worker_id: str,
    name: str,
    make: Callable[[Path], None],
) -> Path:
    """A folder that ``make`` fills once per test run, however many workers share it.

    The workers of one run share the parent of their temporary folders (xdist's
    recipe); the first one there builds under a lock, the others wait and reuse.
    """
    if worker_id == "master":  # one process (-n 0): nothing to share
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent
    folder = shared / name
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / f"{name}.done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (shared / f"{name}.done").touch()
    return folder


def readme_install_command() -> str:
    """The README's one command that installs and runs foracheck, as a reader copies it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return next(line for line in readme.splitlines() if line.startswith("python3 -m venv"))


def clone_and_install(folder: Path) -> None:
    """A fresh clone (only what is committed) set up by the README's own command, which
    must install foracheck (not editable) and list the bundled checklists."""
    clone = folder / "clone"
    cloned = run("git", "clone", "--quiet", ROOT, clone)
    if cloned.returncode != 0:  # a source archive, not a repository: its files as they are
        ignored = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", "dist")
        shutil.copytree(ROOT, clone, ignore=ignored)
    command = readme_install_command()
    assert "-e " not in command  # a real install, not an editable one
    install = subprocess.run(
        command,
        shell=True,
        cwd=clone,
        env={**os.environ, "FORACHECK_HOME": str(folder / "home")},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    assert "tell-your-surgeon" in install.stdout and "bundled" in install.stdout


@pytest.fixture(scope="session")
def clone(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A fresh clone installed as the README says (not editable), made once per run.

    The tests that run the installed program share it: none of them changes it (each
    has its own data folder).
    """
    return once(tmp_path_factory, worker_id, "installed", clone_and_install) / "clone"


@pytest.fixture(scope="session")
def installed(clone: Path) -> Path:
    """The ``bin`` folder of the README's virtual environment."""
    return clone / ".venv" / BIN


@pytest.fixture(scope="session")
def wheel_files(installed: Path) -> set[str]:
    """Every file of the wheel pip built and installed, as its RECORD lists them (the
    same names as in the wheel's zip, without building a second wheel to read them)."""
    listed = run(
        installed / "python",
        "-c",
        "import importlib.metadata as m; print(*m.files('foracheck'), sep='\\n')",
    )
    assert listed.returncode == 0, listed.stderr
    return {name.replace("\\", "/") for name in listed.stdout.splitlines()}


def test_the_wheel_carries_the_checklists_and_schemas(wheel_files: set[str]) -> None:
    names = wheel_files
    for list_id in ["tell-your-surgeon", "week-before", "day-of"]:
        assert f"foracheck/checklists/{list_id}.yaml" in names
    assert "foracheck/checklists/checklist.schema.json" in names
    assert {"foracheck/form/form.js", "foracheck/form/form.css"} <= names  # the fillable form


def test_installed_wheel_lists_bundled_checklists_from_another_folder(
    installed: Path, tmp_path: Path
) -> None:
    bin_dir = installed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(bin_dir / "foracheck", "--home", tmp_path / "home", "list", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()[1:]
    assert {row.split()[0] for row in rows} >= {"tell-your-surgeon", "week-before", "day-of"}
    assert all(row.endswith("bundled") for row in rows)
    module = run(bin_dir / "python", "-m", "foracheck", "--version", cwd=elsewhere)
    assert module.returncode == 0 and module.stdout.startswith("foracheck ")


def test_the_wheel_carries_the_compiled_catalogs_not_their_sources(
    wheel_files: set[str],
) -> None:
    names = wheel_files
    assert "foracheck/locale/es/LC_MESSAGES/foracheck.mo" in names
    assert not [name for name in names if name.endswith(".po")]


def test_installed_wheel_speaks_spanish(installed: Path, tmp_path: Path) -> None:
    """hatchling does not compile .mo files: the build hook must have, or this is English."""

    bin_dir = installed
    home = tmp_path / "home"
    bad = run(
        bin_dir / "foracheck",
        "--home",
        home,
        "--lang",
        "es",
        "mark",
        "week-before",
        "sick-before-surgery",
        "quizás",
        cwd=tmp_path,
    )
    assert bad.returncode == 2
    assert "Por favor, responda sí (s) o no (n)." in bad.stderr
    marked = subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "foracheck",
            "--home",
            str(home),
            "mark",
            "week-before",
            "sick-before-surgery",
            "SÍ",
        ],
        env={**os.environ, "LANG": "es_ES.UTF-8"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert marked.returncode == 0, marked.stderr
    shown = run(bin_dir / "foracheck", "--home", home, "export", "--format", "json")
    answers = {
        item["id"]: item["answer"]
        for c in json.loads(shown.stdout)["checklists"]
        for item in c["items"]
    }
    assert answers["sick-before-surgery"] == "yes"


def test_a_fresh_clone_installed_as_the_readme_says_names_the_path_typed(
    clone: Path, tmp_path: Path
) -> None:
    """The README's install leaves foracheck off PATH; its hints must still work."""
    bare = os.pathsep.join(
        folder
        for folder in os.environ.get("PATH", "").split(os.pathsep)
        if folder and not (Path(folder) / "foracheck").exists()
    )
    result = subprocess.run(
        [".venv/bin/foracheck", "--home", str(tmp_path / "home"), "start"],
        cwd=clone,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": bare},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    home = tmp_path / "home"  # the hint repeats the --home in effect
    assert f"use: .venv/bin/foracheck --home {home} mark LIST_ID ITEM_ID ANSWER" in result.stderr
