"""NLM's LHC-Forms for the tests: the npm package ``lforms``, run in the shared browser.

The package is pinned in ``tests/lforms/package-lock.json``. On first use it is
installed with ``npm ci`` into ``tests/lforms/node_modules`` (ignored by git; needs
node, npm and the npm registry), as FHIR.js is (``fhir_validator.py``). A page then
loads LHC-Forms' own built files from there through ``file:`` addresses: nothing
comes from the network. Without npm the tests skip with the reason; with
``FORACHECK_REQUIRE_BROWSER=1`` (as ``.ci/run`` sets it) they fail instead.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from helpers import ROOT

LFORMS_DIR = ROOT / "tests" / "lforms"
BUILT = LFORMS_DIR / "node_modules" / "lforms" / "dist" / "lforms"
# The web component (one bundled file, then R4 support), as LHC-Forms' README lists them;
# the scripts go at the end of the body, since the bundle adds to it as it loads.
STYLES = ["webcomponent/styles.css"]
SCRIPTS = [
    "webcomponent/assets/lib/zone.min.js",
    "webcomponent/lhc-forms.js",
    "fhir/R4/lformsFHIR.min.js",
]


class Unavailable(Exception):
    """npm or LHC-Forms cannot be had here; the message says why."""


def _installed_version() -> str | None:
    try:
        manifest = json.loads((LFORMS_DIR / "node_modules/lforms/package.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return str(manifest.get("version"))


def _locked_version() -> str:
    lock = json.loads((LFORMS_DIR / "package-lock.json").read_text("utf-8"))
    return str(lock["packages"]["node_modules/lforms"]["version"])


def install() -> None:
    """Install the pinned LHC-Forms unless it already is (one test worker at a time)."""
    if shutil.which("npm") is None:
        raise Unavailable("npm is not installed; LHC-Forms (npm 'lforms') needs it")
    import fcntl

    with (LFORMS_DIR / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed_version() == _locked_version():
            return
        command = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
        try:
            done = subprocess.run(
                command, cwd=LFORMS_DIR, capture_output=True, text=True, timeout=600, check=False
            )
        except subprocess.TimeoutExpired:
            raise Unavailable(
                "npm ci took more than 10 minutes; is the registry reachable?"
            ) from None
        if done.returncode != 0 or _installed_version() != _locked_version():
            raise Unavailable(f"npm ci could not install lforms: {done.stderr.strip()[-500:]}")


def page_file(folder: Path) -> Path:
    """An empty page with LHC-Forms loaded from the local package and a ``#form`` to fill."""
    styles = "".join(f'<link rel="stylesheet" href="{(BUILT / s).as_uri()}">' for s in STYLES)
    scripts = "".join(f'<script src="{(BUILT / s).as_uri()}"></script>' for s in SCRIPTS)
    page = folder / "lforms.html"
    page.write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>LHC-Forms</title>'
        f'{styles}</head><body><div id="form"></div>{scripts}</body></html>\n',
        "utf-8",
    )
    return page
