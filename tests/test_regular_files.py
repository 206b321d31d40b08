"""Guarantee 15: only regular files, and private folders under any umask.

A FIFO, a device node or a symbolic link where foracheck reads or writes never
hangs it and is never replaced; ``--output`` never writes into the data folder.
Every case runs a real process with a timeout, so a hang fails the test.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import run_here

from foracheck.errors import EXIT_IO, EXIT_NO_INPUT, EXIT_USAGE

MARK = ["mark", "week-before", "ask-about-blood-thinners", "done"]
HANG = 10  # seconds: far beyond any real run, short enough to fail fast


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_here(*args, env=env, timeout=HANG)


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_device(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root may create a device node (mknod)")
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # the null device's numbers


def make_link(path: Path) -> None:
    target = path.with_name("link-target")
    target.write_text("not yours to replace\n", encoding="utf-8")
    path.symlink_to(target)


MAKERS: dict[str, Callable[[Path], None]] = {
    "fifo": make_fifo,
    "device": make_device,
    "symlink": make_link,
}
KIND = {"fifo": "named pipe", "device": "a device", "symlink": "symbolic link"}


def fingerprint(path: Path) -> tuple[int, int, str | None, bytes | None]:
    """What a path is, to prove it was left exactly as it was."""
    found = path.lstat()
    link = str(path.readlink()) if path.is_symlink() else None
    target = (path.parent / link).read_bytes() if link else None
    return found.st_ino, stat.S_IFMT(found.st_mode), link, target


# -- the progress file -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize(
    "command", [["status"], ["status", "--json"], ["export"], ["show", "day-of"], MARK]
)
def test_a_fifo_or_device_at_the_progress_path(
    isolated_home: Path, kind: str, command: list[str]
) -> None:
    isolated_home.mkdir()
    progress = isolated_home / "progress.json"
    MAKERS[kind](progress)
    before = fingerprint(progress)
    result = run(*command)
    assert "Traceback" not in result.stderr
    assert result.returncode == EXIT_IO, result.stderr
    assert KIND[kind] in result.stderr and "not a regular file" in result.stderr
    assert fingerprint(progress) == before
    assert sorted(p.name for p in isolated_home.iterdir() if "progress" in p.name) == [
        "progress.json"
    ]


def test_reset_leaves_a_fifo_at_the_progress_path(isolated_home: Path) -> None:
    isolated_home.mkdir()
    progress = isolated_home / "progress.json"
    os.mkfifo(progress)
    result = run("reset", "--yes")
    assert result.returncode == EXIT_IO, result.stderr
    assert stat.S_ISFIFO(progress.lstat().st_mode)


def test_a_fifo_at_the_checklist_cache_does_not_hang(isolated_home: Path) -> None:
    isolated_home.mkdir()
    cache = isolated_home / "checklists-cache.json"
    os.mkfifo(cache)
    result = run_here("list", timeout=HANG)  # a hang fails; a busy machine does not
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(cache.lstat().st_mode)


# -- checklist paths ------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["list"], ["validate"]])
def test_a_fifo_named_like_a_checklist_in_a_checklist_folder(
    tmp_path: Path, command: list[str]
) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    os.mkfifo(folder / "x.yaml")
    args = (
        [*command, str(folder)]
        if command == ["validate"]
        else ["--checklists", str(folder), *command]
    )
    result = run(*args)
    assert "Traceback" not in result.stderr
    assert result.returncode == EXIT_NO_INPUT, result.stderr
    assert "x.yaml: is a named pipe (FIFO), not a checklist file." in result.stderr


def test_a_link_to_a_checklist_file_is_read(tmp_path: Path) -> None:
    link = tmp_path / "day-of.yaml"
    link.symlink_to(Path(__file__).resolve().parent.parent / "checklists" / "day-of.yaml")
    result = run("validate", str(link))
    assert result.returncode == 0, result.stderr


# -- --output -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device", "symlink"])
@pytest.mark.parametrize("command", [["export"], ["print", "--blank"]])
def test_output_never_replaces_a_fifo_device_or_link(
    tmp_path: Path, kind: str, command: list[str]
) -> None:
    target = tmp_path / "out.md"
    MAKERS[kind](target)
    before = fingerprint(target)
    result = run(*command, "--output", str(target))
    assert "Traceback" not in result.stderr
    assert result.returncode == EXIT_IO, result.stderr
    assert KIND[kind] in result.stderr and "only ever replaces regular files" in result.stderr
    assert fingerprint(target) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("name", ["progress.json", "progress.json.bak", "notes.md"])
def test_output_never_writes_into_the_data_folder(isolated_home: Path, name: str) -> None:
    assert run(*MARK).returncode == 0
    before = (isolated_home / "progress.json").read_bytes()
    result = run("export", "--format", "json", "--output", str(isolated_home / name))
    assert result.returncode == EXIT_USAGE, result.stderr
    assert "inside the data folder" in result.stderr
    assert (isolated_home / "progress.json").read_bytes() == before
    assert json.loads(before)  # still the saved answers, not an export
    assert not (isolated_home / "notes.md").exists()


def test_output_into_the_data_folder_through_a_link_is_refused_too(
    isolated_home: Path, tmp_path: Path
) -> None:
    assert run(*MARK).returncode == 0
    before = (isolated_home / "progress.json").read_bytes()
    door = tmp_path / "door"
    door.symlink_to(isolated_home)
    result = run("print", "--output", str(door / "progress.json"))
    assert result.returncode == EXIT_USAGE, result.stderr
    assert (isolated_home / "progress.json").read_bytes() == before


# -- folders under any umask ----------------------------------------------------------------

UMASK_ZERO_MARK = """
import os, sys
os.umask(0)
sys.argv = ["foracheck", *sys.argv[1:]]
from foracheck.__main__ import run
run()
"""


def test_folders_created_under_umask_000_are_private(tmp_path: Path) -> None:
    home = tmp_path / "a" / "b" / "home"
    result = subprocess.run(
        [sys.executable, "-c", UMASK_ZERO_MARK, *MARK],
        capture_output=True,
        text=True,
        env={**os.environ, "FORACHECK_HOME": str(home)},
        timeout=HANG,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b", home):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for file in home.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777])
def test_an_existing_data_folder_others_can_write_to_gets_a_warning(
    isolated_home: Path, mode: int
) -> None:
    isolated_home.mkdir()
    isolated_home.chmod(mode)
    result = run(*MARK)
    assert result.returncode == 0, result.stderr
    assert "Warning: other users can change files in your data folder" in result.stderr
    assert f"chmod 700 {isolated_home}" in result.stderr


def test_a_private_data_folder_gets_no_warning(isolated_home: Path) -> None:
    assert run(*MARK).returncode == 0
    result = run(*MARK)
    assert (result.returncode, result.stderr) == (0, "")
