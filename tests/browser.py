"""A real browser for the tests: Playwright driving the system's Chromium.

Playwright (a test dependency from PyPI) brings its own driver but no browser:
the tests point it at Debian's ``/usr/bin/chromium`` (``FORACHECK_CHROMIUM``
names another). Every page runs offline: any request that is not to a
``file:``, ``data:`` or ``blob:`` address is aborted and recorded, so a test can
assert that a page asked for nothing. Without Chromium or Playwright the tests
that use ``browser`` skip with the reason; with ``FORACHECK_REQUIRE_BROWSER=1``
(as ``.ci/run`` sets it) they fail instead. ``conftest.py`` imports the fixtures
once for the whole suite; test modules use them by name and import nothing of them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REQUIRE_ENV = "FORACHECK_REQUIRE_BROWSER"
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def chromium_path() -> Path | None:
    """The Chromium to drive, or None when this machine has none."""
    named = os.environ.get("FORACHECK_CHROMIUM")
    if named:
        return Path(named)
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found else None


def unavailable(reason: str) -> None:
    """Skip with the reason, or fail where the browser is required (CI)."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole test session."""
    executable = chromium_path()
    if executable is None or not executable.exists():
        unavailable("needs Chromium (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("needs the 'playwright' package (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


class OfflinePage:
    """A page whose every non-local request is aborted and remembered."""

    def __init__(self, browser: Any, **context_options: Any) -> None:
        self.context = browser.new_context(accept_downloads=True, **context_options)
        self.requests: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline_page(browser: Any) -> Iterator[OfflinePage]:
    """A fresh offline page (its own context: no shared storage between tests)."""
    page = OfflinePage(browser)
    try:
        yield page
    finally:
        page.close()


PrintToPdf = Callable[[Path, Path], Path]


@pytest.fixture(scope="session")
def printing_page(browser: Any) -> Iterator[OfflinePage]:
    """One offline page that prints every printout of the session: a document printed
    from a file depends on nothing a page keeps, and a new page is a new renderer
    process (a third of a second of CPU each time)."""
    page = OfflinePage(browser)
    try:
        yield page
    finally:
        page.close()


@pytest.fixture
def print_to_pdf(printing_page: OfflinePage) -> PrintToPdf:
    """Chromium's own printing ("Save as PDF", no header or footer, the page size the
    CSS asks for) of a local page, in the session's browser rather than a Chromium
    started for each print: the same words in the same places, in half the time."""

    def printed(page: Path, pdf: Path) -> Path:
        printing_page.page.goto(page.as_uri())
        printing_page.page.pdf(path=str(pdf), prefer_css_page_size=True)
        assert not printing_page.requests, printing_page.requests  # a printout fetches nothing
        return pdf

    return printed
