#!/usr/bin/env python3
"""Start-up cost of foracheck commands, as medians over repeated runs in one go.

Each case is a whole process, timed from spawn to exit, and reported as a
ratio to the floor: ``python -c "import typer"``. Runs are interleaved (one
of each case per round) so that a busy moment on the machine hits every case
alike. Usage:

    python bench/bench.py [--rounds 30]

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from biglist import write_big_checklist  # noqa: E402  (the generator the speed test uses)

CHECKLISTS = sorted(str(path) for path in (ROOT / "checklists").glob("*.yaml"))
# The console script users run (not "python -m", which adds runpy to every start).
FORACHECK = [str(Path(sys.executable).with_name("foracheck"))]

# name -> (command, target ratio to the floor, or None)
CASES: dict[str, tuple[list[str], float | None]] = {
    'python -c "import typer"': ([sys.executable, "-c", "import typer"], None),
    "foracheck --version": ([*FORACHECK, "--version"], 1.15),
    "foracheck list": ([*FORACHECK, "list"], 1.6),
    "foracheck validate (bundled)": ([*FORACHECK, "validate", *CHECKLISTS], None),
    "foracheck export --format json": ([*FORACHECK, "export", "--format", "json"], 1.5),
    "foracheck export --format markdown": ([*FORACHECK, "export", "--format", "markdown"], 1.5),
    "foracheck print --format html": ([*FORACHECK, "print", "--format", "html"], None),
}
# Run once before timing, so that export and print render saved answers.
SETUP = [
    [*FORACHECK, "mark", "week-before", "ask-about-blood-thinners", "done", "--note", "Asked."],
    [*FORACHECK, "mark", "tell-your-surgeon", "takes-medicines", "yes"],
    [*FORACHECK, "mark", "tell-your-surgeon", "which-medicines", "Aspirin 81 mg"],
]
BIG_LISTS = (200, 2000)


def big_list_cases(folder: Path) -> dict[str, tuple[list[str], float | None]]:
    """Validate and export generated long lists, to see how time grows with size."""
    cases: dict[str, tuple[list[str], float | None]] = {}
    for items in BIG_LISTS:
        path = str(write_big_checklist(folder, items))
        export = [*FORACHECK, "--checklists", path, "export", f"big-{items}", "--format", "json"]
        cases[f"validate, {items} items"] = ([*FORACHECK, "validate", path], None)
        cases[f"export json, {items} items"] = (export, None)
    return cases


def time_once(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="runs of each case (default 30)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "FORACHECK_HOME": home}
        env.pop("FORACHECK_CHECKLISTS", None)
        # An installed foracheck runs from byte-code, as Typer here does; without this,
        # PYTHONDONTWRITEBYTECODE=1 would make every run compile foracheck from source.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for command in SETUP:
            time_once(command, env)
        cases = {**CASES, **big_list_cases(Path(home))}
        for command, _ in cases.values():  # warm the file cache and byte-code once
            time_once(command, env)
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.rounds):
            for name, (command, _) in cases.items():
                samples[name].append(time_once(command, env))
    floor = statistics.median(next(iter(samples.values())))
    print(f"{'case':<38} {'median ms':>10} {'ratio':>7} {'target':>7}")
    for name, (_, target) in cases.items():
        median = statistics.median(samples[name])
        ratio = median / floor
        goal = f"{target:.2f}x" if target else "-"
        verdict = "" if target is None else ("  ok" if ratio <= target else "  OVER")
        print(f"{name:<38} {median * 1000:>10.1f} {ratio:>6.2f}x {goal:>7}{verdict}")
    print(f"({args.rounds} rounds, Python {sys.version.split()[0]}, {sys.executable})")


if __name__ == "__main__":
    main()
