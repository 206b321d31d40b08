"""axe-core, the accessibility checker the fillable form's browser tests run.

axe-core is an npm package pinned in ``tests/axe/package-lock.json``. On first
use it is installed with ``npm ci`` into ``tests/axe/node_modules`` (ignored by
git; needs npm and the npm registry); a test then evaluates its script inside
the page. Where npm is missing or the install fails, ``source`` raises
``Unavailable`` and the test skips with the reason (fails on CI, like Chromium).
"""

from __future__ import annotations

from helpers import ROOT
from npm_tool import NpmTool, Unavailable

__all__ = ["Unavailable", "install", "source"]

AXE_DIR = ROOT / "tests" / "axe"
SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


TOOL = NpmTool(AXE_DIR, "axe-core", "the axe-core check")


def install() -> None:
    """``npm ci`` unless the pinned version is there; one worker installs, the others wait."""
    TOOL.install()


def source() -> str:
    """axe-core's browser script, installed first if needed."""
    install()
    return SCRIPT.read_text(encoding="utf-8")
