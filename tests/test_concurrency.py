"""Two writers both succeed (docs/reliability.md, guarantee 17), as real processes.

Short writes (``mark``, ``reset``, ``restore``) wait for each other; only an
open ``start`` (75 at once) or a lock held far too long (75 after the wait)
turns a writer away, and the message says which.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pexpect
import pytest
from helpers import run_cli, run_here
from pty_terminal import Terminal

from foracheck import lock, store
from foracheck.catalog import load_catalog
from foracheck.lock import ProgressLock
from foracheck.paths import Locations

TYPED = {"task": "done", "yesno": "yes", "text": "some words"}

pytestmark = pytest.mark.slow  # races real processes for the lock


def different_items(count: int) -> list[tuple[str, str, str]]:
    """``count`` different (list, item, answer) triples from the bundled lists
    (no follow-ups: those are refused until the answer that opens them is saved)."""
    catalog = load_catalog(Locations.resolve(home=Path("/nonexistent")))
    found = [
        (checklist.id, item.id, TYPED[item.type])
        for checklist in catalog.checklists
        for item in checklist.items
        if item.show_if is None
    ]
    assert len(found) >= count
    return found[:count]


@pytest.mark.parametrize("count", [8, 20])
def test_marks_at_once_all_succeed_and_all_are_saved(locations: Locations, count: int) -> None:
    """The guarantee names 20; 8 is the same race with fewer processes."""
    items = different_items(count)
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "foracheck", "mark", list_id, item_id, answer],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for list_id, item_id, answer in items
    ]
    results = [(child.wait(timeout=60), *child.communicate()) for child in children]
    failed = [(code, err) for code, _, err in results if code != 0]
    assert failed == []
    progress = store.read_progress(locations)
    assert progress is not None
    saved = {
        (list_id, item_id) for list_id, items_ in progress.answers.items() for item_id in items_
    }
    assert saved == {(list_id, item_id) for list_id, item_id, _ in items}
    assert not locations.lock_file.exists()


def test_a_short_write_waits_for_another_short_write(locations: Locations) -> None:
    locations.home.mkdir()
    held = ProgressLock(locations.lock_file, "mark")
    held.acquire()
    timer = threading.Timer(1.0, held.release)
    timer.start()
    try:
        began = time.monotonic()
        result = run_cli("mark", "day-of", "arrive-on-time", "done")
        waited = time.monotonic() - began
    finally:
        timer.join()
    assert result.returncode == 0, result.stderr
    assert waited >= 0.9  # it really waited for the holder, then wrote
    assert store.read_progress(locations) is not None


def test_a_stuck_short_write_gives_75_after_the_wait(locations: Locations) -> None:
    """The wait is 5 s; the private ``_FORACHECK_LOCK_WAIT`` shortens it for this test."""
    assert lock.WAIT_SECONDS == 5
    locations.home.mkdir()
    with ProgressLock(locations.lock_file, "mark"):
        began = time.monotonic()
        result = run_cli("mark", "day-of", "arrive-on-time", "done", env={lock.WAIT_ENV: "1"})
        waited = time.monotonic() - began
    assert result.returncode == 75
    assert waited >= 1
    assert "busy for 1 seconds" in result.stderr
    assert f"'foracheck mark' (process {os.getpid()})" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert not locations.progress_file.exists()


def test_the_lock_file_says_who_holds_it_and_nothing_else(locations: Locations) -> None:
    with store.open_for_writing(locations, "start"):
        recorded = json.loads(locations.lock_file.read_bytes())
    assert recorded == {"command": "start", "pid": os.getpid()}


def test_an_open_start_turns_a_mark_away_at_once(locations: Locations) -> None:
    env = {**os.environ, "TERM": "dumb"}
    child = Terminal(
        sys.executable, ["-m", "foracheck", "start"], env=env, encoding="utf-8", timeout=10
    )
    try:
        child.expect_exact("Surgery date: ")
        # A wait of 60 s, were either run to wait, would outlast the 30 s each may take
        # on the busiest machine: the time says "did not wait", whatever the load.
        for command in (["mark", "day-of", "arrive-on-time", "done"], ["restore"]):
            began = time.monotonic()
            result = run_cli(*command, env={lock.WAIT_ENV: "60"}, timeout=90)
            assert time.monotonic() - began < 30
            assert result.returncode == 75
            assert "'foracheck start'" in result.stderr
            assert "another foracheck" in result.stderr
        holder = json.loads(locations.lock_file.read_bytes())
        assert holder == {"command": "start", "pid": child.pid}
    finally:
        child.kill(signal.SIGTERM)
        child.expect(pexpect.EOF)
        child.close()
    assert run_here("mark", "day-of", "arrive-on-time", "done").returncode == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_at_the_lock_path_is_refused_without_hanging(locations: Locations) -> None:
    locations.home.mkdir()
    os.mkfifo(locations.lock_file)
    result = run_here("mark", "day-of", "arrive-on-time", "done", timeout=10)
    assert result.returncode == 74
    assert "lock file" in result.stderr
    assert "Traceback" not in result.stderr
    assert locations.lock_file.exists()  # not replaced or removed
    assert not locations.progress_file.exists()
