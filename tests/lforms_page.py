"""NLM's LHC-Forms for the tests: the npm package ``lforms``, run in the shared browser.

The package is pinned in ``tests/lforms/package-lock.json``. On first use the package
alone is unpacked into ``tests/lforms/node_modules`` (ignored by git; needs node, npm
and the npm registry): its built web component needs none of its dependencies. A page then
loads LHC-Forms' own built files from there through ``file:`` addresses: nothing
comes from the network. Without npm the tests skip with the reason; with
``FORACHECK_REQUIRE_BROWSER=1`` (as ``.ci/run`` sets it) they fail instead.
"""

from __future__ import annotations

from pathlib import Path

from helpers import ROOT
from npm_tool import NpmTool, Unavailable

__all__ = ["Unavailable", "install", "page_file"]

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


TOOL = NpmTool(LFORMS_DIR, "lforms", "LHC-Forms (npm 'lforms')", package_only=True)


def install() -> None:
    """Install the pinned LHC-Forms unless it already is (one test worker at a time)."""
    TOOL.install()


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
