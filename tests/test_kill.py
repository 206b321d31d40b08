"""SIGKILL at random moments while answers are being saved, and signals held
back during a save.

The kill loop is RELIABILITY.md's first row: a child keeps saving one more
answer at a time and says which answers it has saved; it is killed with
SIGKILL after a random delay, again and again. After every kill the progress
file must parse and hold a prefix of the answers given (at least every answer
the child reported), and no lock may be left held. The seed is printed, and
FORACHECK_KILL_SEED replays a run.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta

import pexpect
import pytest
from pty_terminal import Terminal

from foracheck import signals, store
from foracheck.paths import Locations

pytestmark = pytest.mark.slow  # kills processes again and again

LIST_ID = "kill-test"
ITEMS = 2000
ITERATIONS = 40

# Saves answers item-0000, item-0001, ... in order, continuing from what is on disk,
# and prints each index once its save has returned.
CHILD = f"""
import sys
from collections.abc import Iterator
from pathlib import Path
from foracheck import store
from foracheck.model import Answer, Checklist, Item
from foracheck.paths import Locations

items = tuple(Item(id=f"item-{{i:04d}}", type="task", text="An item.") for i in range({ITEMS}))
checklist = Checklist(id="{LIST_ID}", title="Kill test", items=items)
with store.open_for_writing(Locations.resolve(home=Path(sys.argv[1]))) as writer:
    progress = writer.progress
    start = len(progress.answers_for("{LIST_ID}"))
    print("ready", start, flush=True)
    for i in range(start, {ITEMS}):
        answer = Answer("done", "2026-03-10T10:00:00+00:00", "note " * (i % 7))
        progress = progress.with_answer(checklist, f"item-{{i:04d}}", answer)
        writer.save(progress)
        print(i, flush=True)
"""

SOON = (date.today() + timedelta(days=30)).isoformat()  # near: no far-date question


def answered_indexes(progress: store.Progress | None) -> list[int]:
    if progress is None:
        return []
    return sorted(int(item_id.split("-")[1]) for item_id in progress.answers_for(LIST_ID))


def reported(output: str) -> int:
    """How many answers the child said were saved (counting from zero)."""
    numbers = [int(line) for line in output.splitlines() if line.isdigit()]  # not "ready N"
    return max(numbers) + 1 if numbers else 0


def test_sigkill_at_random_moments_never_loses_or_breaks_the_file(locations: Locations) -> None:
    seed = int(os.environ.get("FORACHECK_KILL_SEED", str(time.time_ns() % 2**32)))
    print(f"FORACHECK_KILL_SEED={seed}")
    rng = random.Random(seed)
    locations.home.mkdir(mode=0o700)
    saved_so_far = 0  # every answer some child reported as saved
    mid_save = 0  # kills that left a temp file behind: caught in the middle of a save
    for iteration in range(ITERATIONS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(locations.home)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        if iteration % 5 == 4:
            time.sleep(rng.uniform(0, 0.08))  # sometimes while starting up or opening
        else:
            ready = child.stdout.readline()
            assert ready.startswith("ready"), child.stderr.read() if child.stderr else ready
            assert int(ready.split()[1]) >= saved_so_far
            time.sleep(rng.uniform(0, 0.04))
        child.send_signal(signal.SIGKILL)
        output, errors = child.communicate(timeout=20)
        assert child.returncode == -signal.SIGKILL, errors
        mid_save += any(p.name.endswith(".tmp") for p in locations.home.iterdir())

        progress = store.read_progress(locations)  # parses, or this raises
        indexes = answered_indexes(progress)
        count = len(indexes)
        assert indexes == list(range(count)), f"not a prefix after kill {iteration}"
        saved_so_far = max(saved_so_far, reported(output))
        # Everything reported is there; at most the one answer in flight is extra.
        assert saved_so_far <= count <= saved_so_far + 1, (iteration, saved_so_far, count)
        saved_so_far = count
        if locations.backup_file.exists():
            backup = store.read_backup(locations)
            assert backup is not None, "the backup does not parse"
            backup_indexes = answered_indexes(backup.progress)
            assert backup_indexes == list(range(len(backup_indexes)))
            assert len(backup_indexes) <= count

    with store.open_for_writing(locations) as writer:  # no lock is held by a dead child
        assert answered_indexes(writer.progress) == list(range(saved_so_far))
        assert not [p for p in locations.home.iterdir() if p.name.endswith(".tmp")]
    print(f"{saved_so_far} answers saved over {ITERATIONS} kills; {mid_save} kills mid-save")
    assert saved_so_far > 0


def test_sigkill_while_answers_are_typed_in_a_terminal(locations: Locations) -> None:
    """The same through ``foracheck start`` in a pty: answers typed ahead, then SIGKILL."""
    seed = int(os.environ.get("FORACHECK_KILL_SEED", str(time.time_ns() % 2**32)))
    print(f"FORACHECK_KILL_SEED={seed}")
    rng = random.Random(seed)
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm-256color"}
    given = ["d", "s", "n", "n", "d", "d", "s"]  # plan-ahead: answers for items 1 to 7
    stored = ["done", "skip", "no", "no", "done", "done", "skip"]
    order = ["imaging-scan", "nerve-shot", "other-conditions", "smokes"]
    order += ["prepare-home", "ask-about-ride", "set-up-ride"]
    for iteration in range(6):
        child = Terminal(
            sys.executable,
            ["-m", "foracheck", "start", "plan-ahead", "--surgery-date", SOON],
            env=env,
            encoding="utf-8",
            timeout=10,
        )
        child.expect_exact("> ")
        for typed in given:
            child.sendline(typed)
        time.sleep(rng.uniform(0, 0.05))
        child.kill(signal.SIGKILL)
        child.expect(pexpect.EOF)
        child.close()
        progress = store.read_progress(locations)
        assert progress is not None
        answers = {k: a.value for k, a in progress.answers_for("plan-ahead").items()}
        count = len(answers)
        if child.signalstatus is None:  # it was quicker than the kill: all saved
            assert (child.exitstatus, count) == (0, len(given)), iteration
        assert answers == dict(zip(order[:count], stored[:count], strict=True)), iteration
        with store.open_for_writing(locations):  # the dead walk holds no lock
            pass
        store.reset(locations)
        for kept in locations.home.glob("progress.json.reset-*"):
            kept.unlink()


# -- signals held back during a save -------------------------------------------------------------


@pytest.fixture
def handlers() -> Iterator[None]:
    """Install foracheck's handlers for one test and put the old ones back."""
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    signals.install_handlers()
    yield
    for signum, handler in previous.items():
        signal.signal(signum, handler)


@pytest.mark.parametrize(
    ("signum", "raised"),
    [(signal.SIGTERM, signals.Terminated), (signal.SIGHUP, signals.Terminated)],
)
def test_deferred_holds_a_signal_until_the_block_is_done(
    handlers: None, signum: int, raised: type[BaseException]
) -> None:
    steps: list[str] = []
    with pytest.raises(raised) as caught:
        with signals.deferred():
            os.kill(os.getpid(), signum)
            time.sleep(0.05)
            steps.append("finished")
        steps.append("after")  # never reached: the signal is delivered right after
    assert steps == ["finished"]
    assert isinstance(caught.value, signals.Terminated)
    assert caught.value.exit_code == 128 + signum


def test_deferred_turns_a_held_ctrl_c_into_keyboard_interrupt(handlers: None) -> None:
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt), signals.deferred():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        steps.append("finished")
    assert steps == ["finished"]
    assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL  # handlers restored


def test_without_deferred_a_signal_interrupts_at_once(handlers: None) -> None:
    steps: list[str] = []
    with pytest.raises(signals.Terminated):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)
        steps.append("finished")
    assert steps == []


SLOW_SAVE_CHILD = """
import os, sys, time
from collections.abc import Iterator
from pathlib import Path
from foracheck import signals, store
from foracheck.model import Answer, Checklist, Item
from foracheck.paths import Locations

checklist = Checklist(id="slow", title="Slow", items=(Item(id="one", type="task", text="One."),))
signals.install_handlers()
real_fsync = os.fsync
with store.open_for_writing(Locations.resolve(home=Path(sys.argv[1]))) as writer:
    answer = Answer("done", "2026-03-10T10:00:00+01:00")
    progress = writer.progress.with_answer(checklist, "one", answer)
    def slow_fsync(fd):
        time.sleep(0.3)
        real_fsync(fd)
    os.fsync = slow_fsync
    print("saving", flush=True)
    try:
        writer.save(progress)
    except signals.Terminated as stop:
        print("terminated after the save", flush=True)
        sys.exit(stop.exit_code)
    print("not interrupted", flush=True)
"""


def test_sigterm_during_a_save_lets_the_save_finish(locations: Locations) -> None:
    locations.home.mkdir(mode=0o700)
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_SAVE_CHILD, str(locations.home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "saving\n"
    time.sleep(0.1)  # inside the first (slowed) fsync
    child.send_signal(signal.SIGTERM)
    output, errors = child.communicate(timeout=20)
    assert child.returncode == 143, errors
    assert output == "terminated after the save\n"
    progress = store.read_progress(locations)
    assert progress is not None
    assert progress.answer("slow", "one") is not None
    assert sorted(p.name for p in locations.home.iterdir()) == ["progress.json"]
