"""Temp files of a killed ``import``, ``restore`` or ``mark`` are removed by the next
command, even one that only reads (finding 9 of issue 17, guarantee 11).

A kill between a temp file's creation and its rename leaves it beside the progress
file; only a command that takes the lock may remove it (a writer's temp file is in
use). A read-only command takes the lock without waiting when it sees one, and leaves
them to a later run while a writer is busy.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from render_helpers import invoke, save

from foracheck import fsutil, lock, store
from foracheck.model import Answer, Progress
from foracheck.paths import Locations

ANSWER = Answer("done", "2026-11-20T09:30:00+01:00")


def _leftovers(locations: Locations) -> list[Path]:
    """What a killed import (the progress), restore (the replaced copy) and backup rotation
    leave; one of them read-only, as a umask or a copy tool can make it."""
    save(locations, Progress(answers={"day-of": {"arrive-on-time": ANSWER}}))
    progress = locations.progress_file
    paths = [
        locations.home / f"{fsutil.temp_prefix(progress)}k1ll3d{fsutil.TEMP_SUFFIX}",
        locations.home / f"{fsutil.temp_prefix(progress)}bak.x9{fsutil.TEMP_SUFFIX}",
        locations.home
        / f"{fsutil.temp_prefix(progress.with_name(progress.name + '.replaced-20261120T093000'))}"
        f"q7{fsutil.TEMP_SUFFIX}",
    ]
    for path in paths:
        path.write_bytes(b'{"schema": 2, "lis')
    paths[0].chmod(0o400)
    return paths


@pytest.mark.parametrize(
    "command", [["status"], ["show", "day-of"], ["export", "--format", "json"], ["print"]]
)
def test_a_read_only_command_removes_what_a_killed_writer_left(
    capsys: pytest.CaptureFixture[str], locations: Locations, command: list[str]
) -> None:
    paths = _leftovers(locations)
    unrelated = locations.home / "notes.tmp"
    unrelated.write_bytes(b"not ours")
    code, _, err = invoke(capsys, *command)
    assert code == 0, err
    assert [path.exists() for path in paths] == [False] * len(paths)
    assert unrelated.exists() and not locations.lock_file.exists()


def test_a_read_only_command_leaves_them_while_a_writer_holds_the_lock(
    capsys: pytest.CaptureFixture[str], locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _leftovers(locations)
    with store.open_for_writing(locations, "mark"):  # a short write others would wait for
        for path in paths:  # the holder's saves, in progress
            path.write_bytes(b"in use")

        def no_waiting(seconds: float) -> None:
            pytest.fail("a read-only command waited for the lock")

        monkeypatch.setattr(lock.time, "sleep", no_waiting)
        code, _, err = invoke(capsys, "status")
        monkeypatch.undo()
        assert code == 0, err
        assert all(path.exists() for path in paths)
