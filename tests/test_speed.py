"""Start-up cost, measured as the bench measures it but with generous bounds, so that
a loaded 2-core machine does not fail them while a real slip (a heavy import at the
top of a module, every command built again, the cache checked value by value) does.

CPU time of the child, not wall time (another process's turn on the CPU is not
ours), best of several runs, floor and command alternating. ``bench/bench.py``
measures the real targets.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from biglist import write_long_task_list

FORACHECK = [sys.executable, "-m", "foracheck"]
FLOOR = [sys.executable, "-c", "import typer"]
RUNS = 5


def cpu_seconds(command: list[str], env: dict[str, str], shows: str = "") -> float:
    """The CPU time (user and system) one run of ``command`` takes, checking it succeeds
    (and prints ``shows``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert result.returncode == 0, result.stderr
    assert shows in result.stdout
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def installed_env() -> dict[str, str]:
    """Run as installed: from byte-code (PYTHONDONTWRITEBYTECODE would compile every run)."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


@pytest.mark.slow  # starts processes and times them
def test_status_costs_little_more_than_importing_typer(isolated_home: Path) -> None:
    """The target is 1.5x (bench); before the lazy commands and imports it was over 2x."""
    isolated_home.mkdir()
    env = installed_env()
    cpu_seconds([*FORACHECK, "status"], env)  # fills the checklist cache and byte-code
    floor, status = [], []
    for _ in range(RUNS):
        floor.append(cpu_seconds(FLOOR, env))
        status.append(cpu_seconds([*FORACHECK, "status"], env, "Tell your surgeon:"))
    assert min(status) < 1.8 * min(floor), (status, floor)


@pytest.mark.slow  # starts processes and times them
def test_status_on_a_20000_item_list_is_quick(tmp_path: Path, isolated_home: Path) -> None:
    """The target is 0.3 s (bench); checking the cache value by value took 0.6 s alone."""
    isolated_home.mkdir()
    big = str(write_long_task_list(tmp_path, 20_000))
    env = installed_env()
    command = [*FORACHECK, "--checklists", big, "status"]
    cpu_seconds(command, env)  # the first run parses the list and fills the cache
    took = [cpu_seconds(command, env, "0 of 20000 done: A very long list") for _ in range(RUNS)]
    assert min(took) < 0.6, took


COMMAND_SEES_COLLECTOR = """
import gc, sys
import foracheck.cli as cli
seen = []
cli.main = lambda: seen.append((gc.isenabled(), len(gc.get_objects()) < gc.get_freeze_count()))
sys.argv = ["foracheck", "status"]
from foracheck.__main__ import run
run()
print(seen)
"""


def test_the_collector_waits_while_loading_and_is_on_when_the_command_runs() -> None:
    """A long ``start`` session must collect its garbage as any program does."""
    result = subprocess.run(
        [sys.executable, "-c", COMMAND_SEES_COLLECTOR], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[(True, True)]"  # on, and what loading made set aside
