#!/usr/bin/env python3
"""Start-up cost of foracheck commands, measured as alternating pairs.

Each case is a whole process, timed from spawn to exit. Every sample is a pair:
the floor (``python -c "import typer"``) and then the case, run back to back, so
that a busy moment on the machine hits both alike; the ratio of the pair is one
sample, and the report gives the median of those ratios (and of the times).
Unpaired medians let machine noise flip a 1.5x verdict; paired ones do not.
Usage:

    python bench/bench.py [--rounds 30] [--only SUBSTRING]

Run it with the Python of the environment foracheck is installed in.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from biglist import (  # noqa: E402  (the generators the speed tests use)
    write_big_checklist,
    write_long_task_list,
)

CHECKLISTS = sorted(str(path) for path in (ROOT / "checklists").glob("*.yaml"))
# The console script users run (not "python -m", which adds runpy to every start).
FORACHECK = [str(Path(sys.executable).with_name("foracheck"))]
FLOOR = [sys.executable, "-c", "import typer"]
BIG = 20_000  # items in the long list that status must show in under 0.3 s


@dataclass
class Case:
    """One command, with a target: a ratio to the floor, or seconds, or none."""

    command: list[str]
    ratio_target: float | None = None
    seconds_target: float | None = None
    times: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)


BATCH = 40  # answers in one ``mark --batch``: within 2x of the floor


def write_batch(folder: Path, count: int) -> Path:
    """``count`` answers to the bundled lists, one a line, parents before follow-ups."""
    from foracheck.catalog import load_catalog
    from foracheck.paths import Locations

    lines = []
    catalog = load_catalog(Locations.resolve(home=folder))
    for checklist in catalog.checklists:
        for item in checklist.items:
            answer = {"task": "done", "yesno": "yes", "text": "Aspirin 81 mg"}[item.type]
            lines.append(f"{checklist.id}\t{item.id}\t{answer}\n")
    path = folder / "answers.tsv"
    path.write_text("".join(lines[:count]), encoding="utf-8")
    return path


def cases(folder: Path) -> dict[str, Case]:
    """The commands people run most, and long lists to see how time grows with size."""
    big = str(write_long_task_list(folder, BIG))
    batch = str(write_batch(folder, BATCH))
    mid = str(write_big_checklist(folder, 2000))
    return {
        "foracheck --version": Case([*FORACHECK, "--version"], ratio_target=1.15),
        "foracheck list": Case([*FORACHECK, "list"], ratio_target=1.6),
        "foracheck status": Case([*FORACHECK, "status"], ratio_target=1.5),
        "foracheck status --json": Case([*FORACHECK, "status", "--json"], ratio_target=1.5),
        "foracheck show week-before": Case([*FORACHECK, "show", "week-before"], ratio_target=1.6),
        "foracheck mark (one answer)": Case(
            [*FORACHECK, "mark", "week-before", "ask-about-blood-thinners", "done"],
            ratio_target=1.6,
        ),
        f"foracheck mark --batch ({BATCH} answers)": Case(
            [*FORACHECK, "mark", "--batch", batch], ratio_target=2.0
        ),
        "foracheck export --format json": Case(
            [*FORACHECK, "export", "--format", "json"], ratio_target=1.5
        ),
        "foracheck export --format markdown": Case(
            [*FORACHECK, "export", "--format", "markdown"], ratio_target=1.5
        ),
        "foracheck export --format fhir": Case(
            [*FORACHECK, "export", "--format", "fhir"], ratio_target=1.5
        ),
        "foracheck print --format html": Case([*FORACHECK, "print", "--format", "html"]),
        "foracheck form": Case([*FORACHECK, "form"], ratio_target=1.5),
        "foracheck validate (bundled)": Case([*FORACHECK, "validate", *CHECKLISTS]),
        "validate, 2,000 items": Case([*FORACHECK, "validate", mid]),
        f"validate, {BIG:,} items": Case([*FORACHECK, "validate", big]),
        f"status, {BIG:,} items": Case(
            [*FORACHECK, "--checklists", big, "status"], seconds_target=0.3
        ),
    }


# Run once before timing, so that status, export and print show saved answers.
SETUP = [
    [*FORACHECK, "mark", "week-before", "ask-about-blood-thinners", "done", "--note", "Asked."],
    [*FORACHECK, "mark", "tell-your-surgeon", "takes-medicines", "yes"],
    [*FORACHECK, "mark", "tell-your-surgeon", "which-medicines", "Aspirin 81 mg"],
]


def time_once(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.decode()}")
    return elapsed


def verdict(case: Case, ratio: float, median: float) -> str:
    if case.ratio_target is not None:
        return f"{case.ratio_target:.2f}x  {'ok' if ratio <= case.ratio_target else 'OVER'}"
    if case.seconds_target is not None:
        return f"{case.seconds_target:.2f}s  {'ok' if median <= case.seconds_target else 'OVER'}"
    return "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="pairs per case (default 30)")
    parser.add_argument("--only", default="", help="only the cases whose name has this text")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "FORACHECK_HOME": home}
        env.pop("FORACHECK_CHECKLISTS", None)
        # An installed foracheck runs from byte-code, as Typer here does; without this,
        # PYTHONDONTWRITEBYTECODE=1 would make every run compile foracheck from source.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for command in SETUP:
            time_once(command, env)
        chosen = {name: case for name, case in cases(Path(home)).items() if args.only in name}
        for case in chosen.values():  # warm the file cache, byte-code and checklist cache
            time_once(case.command, env)
        for _ in range(args.rounds):
            for case in chosen.values():
                floor = time_once(FLOOR, env)
                elapsed = time_once(case.command, env)
                case.times.append(elapsed)
                case.ratios.append(elapsed / floor)
    print(f"{'case':<38} {'median ms':>10} {'paired ratio':>13} {'target':>12}")
    for name, case in chosen.items():
        median, ratio = statistics.median(case.times), statistics.median(case.ratios)
        goal = verdict(case, ratio, median)
        print(f"{name:<38} {median * 1000:>10.1f} {ratio:>12.2f}x {goal:>12}")
    print(f"({args.rounds} pairs per case, Python {sys.version.split()[0]}, {sys.executable})")


if __name__ == "__main__":
    main()
