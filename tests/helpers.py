"""Helpers shared by test modules: real processes and well-known paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
BUNDLED = ROOT / "checklists"


def run_cli(
    *args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 20
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m foracheck`` as a real process: real exit codes and streams."""
    return subprocess.run(
        [sys.executable, "-m", "foracheck", *args],
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
    )
