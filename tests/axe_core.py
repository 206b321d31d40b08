"""axe-core, the accessibility checker the fillable form's browser tests run.

axe-core is an npm package pinned in ``tests/axe/package-lock.json``. On first
use it is installed with ``npm ci`` into ``tests/axe/node_modules`` (ignored by
git; needs npm and the npm registry); a test then evaluates its script inside
the page. Where npm is missing or the install fails, ``source`` raises
``Unavailable`` and the test skips with the reason (fails on CI, like Chromium).
"""

from __future__ import annotations

import json
import shutil
import subprocess

from helpers import ROOT

AXE_DIR = ROOT / "tests" / "axe"
SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


class Unavailable(Exception):
    """axe-core cannot be had here; the message says why."""


def _installed_version() -> str | None:
    try:
        manifest = json.loads((AXE_DIR / "node_modules/axe-core/package.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return str(manifest.get("version"))


def locked_version() -> str:
    """The version the lock file pins."""
    lock = json.loads((AXE_DIR / "package-lock.json").read_text("utf-8"))
    return str(lock["packages"]["node_modules/axe-core"]["version"])


def _install() -> None:
    """``npm ci`` unless the pinned version is there; one worker installs, the others wait."""
    if shutil.which("npm") is None:
        raise Unavailable("npm is not installed; the axe-core check needs it")
    import fcntl

    with (AXE_DIR / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed_version() == locked_version():
            return
        command = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
        try:
            done = subprocess.run(
                command, cwd=AXE_DIR, capture_output=True, text=True, timeout=300, check=False
            )
        except subprocess.TimeoutExpired:
            raise Unavailable(
                "npm ci took more than 5 minutes; is the registry reachable?"
            ) from None
        if done.returncode != 0 or _installed_version() != locked_version():
            raise Unavailable(f"npm ci could not install axe-core: {done.stderr.strip()[-500:]}")


def source() -> str:
    """axe-core's browser script, installed first if needed."""
    _install()
    return SCRIPT.read_text(encoding="utf-8")
