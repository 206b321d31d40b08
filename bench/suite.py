#!/usr/bin/env python3
"""How long the test suite takes, tier by tier, as medians of several runs.

Each run starts as a fresh clone would: no byte-code of the tests and none of
foracheck (the suite compiles foracheck itself, once, before its workers start).
Beside every run the floor of ``bench/bench.py`` (``python -c "import typer"``) is
timed too, so that figures taken on a slower moment of a shared machine can be
told apart from a slower suite. Usage:

    python bench/suite.py [--runs 3] [--tier quick|whole|both]

Run it with the Python of the environment the tests are installed in.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIERS = {"quick": [], "whole": ["-m", ""]}  # the README's command runs the whole suite
FLOOR = [sys.executable, "-c", "import typer"]
TARGETS = {"quick": 30.0, "whole": 60.0}


def forget_byte_code() -> None:
    """No ``__pycache__`` in the tests or the package, as in a fresh clone."""
    folders = [*(ROOT / "tests").rglob("__pycache__"), *(ROOT / "foracheck").rglob("__pycache__")]
    for folder in folders:
        if "node_modules" not in folder.parts:
            shutil.rmtree(folder, ignore_errors=True)


def floor_ms(times: int = 9) -> float:
    """The median start of ``python -c "import typer"``: how fast the machine is now."""
    taken = []
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run(FLOOR, check=True)
        taken.append(time.perf_counter() - started)
    return statistics.median(taken) * 1000


def run_tier(tier: str) -> tuple[float, str]:
    """One run of the tier: its wall time and pytest's last line (which must say passed)."""
    forget_byte_code()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TIERS[tier]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - started
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
    if done.returncode != 0:
        raise SystemExit(f"the {tier} tier failed: {last}")
    return took, re.sub(r"=+", "", last).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tier", choices=["quick", "whole", "both"], default="both")
    options = parser.parse_args()
    tiers = ["quick", "whole"] if options.tier == "both" else [options.tier]
    for tier in tiers:
        times, floors = [], []
        for _ in range(options.runs):
            floors.append(floor_ms())
            took, said = run_tier(tier)
            times.append(took)
            print(f"{tier}: {took:.1f} s ({said}); floor {floors[-1]:.1f} ms", flush=True)
        median = statistics.median(times)
        verdict = "ok" if median < TARGETS[tier] else "over"
        print(
            f"{tier}: median {median:.1f} s of {len(times)} runs "
            f"(from {min(times):.1f} to {max(times):.1f}; "
            f"target {TARGETS[tier]:.0f} s, {verdict}); "
            f"floor median {statistics.median(floors):.1f} ms"
        )


if __name__ == "__main__":
    main()
