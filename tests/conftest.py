"""Shared fixtures: every test gets its own data folder, no extra checklists, and English."""

from __future__ import annotations

import compileall
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

# One definition of the browser fixtures for the whole suite: a session-scoped fixture
# imported into two test modules would be two fixtures, two Playwrights in one worker.
from browser import browser, offline_page, print_to_pdf, printing_page  # noqa: F401

import foracheck
from foracheck import i18n
from foracheck.paths import CHECKLISTS_ENV, HOME_ENV, Locations


def pytest_configure(config: pytest.Config) -> None:
    """The program under test runs from bytecode, as an installed foracheck does (pip
    compiles what it installs). Compiled once per run, before the workers start: where
    PYTHONDONTWRITEBYTECODE is set (CI images often set it), each of the few hundred
    processes the tests start would otherwise compile foracheck from source again,
    which made those tests take half as long again."""
    if not hasattr(config, "workerinput"):  # the controller, or the one process of -n 0
        compileall.compile_dir(Path(foracheck.__file__).parent, quiet=1)
        _start_fetching_tools(config)


_fetching: list[threading.Thread] = []


def _start_fetching_tools(config: pytest.Config) -> None:
    """Install the pinned npm tools (FHIR.js; for the whole suite LHC-Forms and axe-core
    too) in the background while the first tests run: on a fresh clone the three take
    about 3 s (``npm ci`` of LHC-Forms' dependencies took 15 s before only its package
    was fetched), which the first test needing each would wait for. Each installer
    holds its own lock, so a test that gets there first just
    waits for it; a tool that cannot be had is reported by the tests that need it.
    Only where workers run the tests (``-n 0`` runs them in this process, where a
    thread would be alive while tests fork terminals)."""
    if not getattr(config.option, "numprocesses", 0):
        return
    import axe_core
    import fhir_validator
    import lforms_page

    installers: list[Callable[[], object]] = [fhir_validator.install]
    if "not slow" not in (config.getoption("markexpr") or ""):
        installers += [lforms_page.install, axe_core.install]

    def fetch() -> None:
        for install in installers:
            with contextlib.suppress(Exception):  # the tests say why, with the reason
                install()

    thread = threading.Thread(target=fetch, name="npm tools", daemon=False)
    thread.start()
    _fetching.append(thread)


def pytest_unconfigure(config: pytest.Config) -> None:
    """An install is never cut off half-way (``npm ci`` would leave a broken one)."""
    for thread in _fetching:
        thread.join()


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> Iterator[None]:
    """A test that drives the browser is slow wherever it is (marked before ``-m``
    deselects); what is left is put in the order the workers share best."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
    yield  # -m and -k deselect here
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    items[:] = slow_first_in_each_share(items, workers)


def slow_first_in_each_share(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """The tests in an order where each worker's share starts with slow tests.

    ``--dist worksteal`` gives each worker a stretch of this list at the start (the
    first ``n // workers``, and so on) and, when one runs out, moves the end of
    another's queue to it. So each stretch starts with its part of the slow tests
    and ends with quick ones: what moves at the end is a quick test, and both
    workers end within a test of each other. With every slow test at the head of the
    list they all fell to the first worker, which outlasted the other by two
    seconds. The browser's tests come first, in one stretch, so that one worker
    starts a browser.
    """
    slow = [item for item in items if item.get_closest_marker("slow")]
    slow.sort(key=lambda item: "browser" not in getattr(item, "fixturenames", ()))
    quick = [item for item in items if not item.get_closest_marker("slow")]
    ordered: list[pytest.Item] = []
    for share in range(workers):
        # The same division as xdist's: never more slow tests than the stretch holds.
        size = (len(slow) + len(quick)) // (workers - share)
        slow_part, slow = split(slow, len(slow) // (workers - share))
        quick_part, quick = split(quick, size - len(slow_part))
        ordered += slow_part + quick_part
    return ordered


def split(items: list[pytest.Item], at: int) -> tuple[list[pytest.Item], list[pytest.Item]]:
    return items[:at], items[at:]


@pytest.fixture(autouse=True, scope="session")
def bundled_lists_parsed_once() -> Iterator[None]:
    """Each bundled checklist is parsed once per worker, not once per test.

    Every test starts with an empty data folder, so without this each one parsed the
    bundled YAML again (its checklist cache is empty): two fifths of the time of the
    in-process tests. ``parse_checklist`` is a pure function of the bytes, the path,
    the bundled flag and the language its problems are worded in, and its checklist
    is frozen, so the same answer is given again. Only the shipped files are kept:
    every other file a test writes or mutates is parsed as usual.
    """
    from foracheck import loader, paths

    parse = loader.parse_checklist
    shipped = paths.bundled_checklists_dir()
    parsed: dict[tuple[bytes, Path, bool, str], tuple[Any, list[Any]]] = {}

    def parse_shipped_once(data: bytes, path: Path, bundled: bool = False) -> tuple[Any, list[Any]]:
        if path.parent != shipped:
            return parse(data, path, bundled)
        key = (data, path, bundled, i18n.language())
        if key not in parsed:
            parsed[key] = parse(data, path, bundled)
        checklist, problems = parsed[key]
        return checklist, list(problems)

    loader.parse_checklist = parse_shipped_once
    yield
    loader.parse_checklist = parse


@pytest.fixture(autouse=True, scope="session")
def typer_reads_each_signature_once() -> Iterator[None]:
    """Typer reads each command's signature once per worker, not once per in-process run.

    A process reads the signatures of the commands it builds once; the in-process
    runs build them again each time, and reading a signature evaluates every
    annotation (a tenth of the in-process tests' time). What Typer reads is a pure
    function of the command's function, which a run never changes: ``foracheck.cli``
    is imported once per language, so each language's commands have their own
    functions and their own help texts.
    """
    import typer.main

    read = typer.main.get_params_from_function
    known: dict[Callable[..., Any], Any] = {}

    def read_once(function: Callable[..., Any]) -> Any:
        if function not in known:
            known[function] = read(function)
        return known[function]

    typer.main.get_params_from_function = read_once
    yield
    typer.main.get_params_from_function = read


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point FORACHECK_HOME at a fresh folder so no test touches real progress."""
    home = tmp_path / "home"
    monkeypatch.setenv(HOME_ENV, str(home))
    monkeypatch.delenv(CHECKLISTS_ENV, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture(autouse=True)
def any_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test depends on the terminal pytest runs in (guarantee 23): the size a shell
    or CI exports is dropped, so a pipe is 80 columns and a pty its own size, unless a
    test sets COLUMNS itself."""
    for variable in ("COLUMNS", "LINES"):
        monkeypatch.delenv(variable, raising=False)


# Longer than any one test takes, even on a busy machine.
_DAY_MARGIN_SECONDS = 30


@pytest.fixture(autouse=True)
def one_day() -> None:
    """A test never straddles midnight (guarantee 23): many compare what a command says
    about "today" with ``date.today()`` read in the test. Close to midnight, the test
    starts just after it instead."""
    now = datetime.now()
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
    left = (midnight - now).total_seconds()
    if left < _DAY_MARGIN_SECONDS:
        time.sleep(left + 0.5)


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """English unless a test asks for another language, whatever the machine's locale.

    LANG stays set, to a UTF-8 locale that means English, so that processes keep the
    encoding they have on a usual machine (tests that need an ASCII terminal set
    LANG and LC_ALL to C themselves). A test that switches the language in-process
    gets English back afterwards.
    """
    for variable in (i18n.LANG_ENV, "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    yield
    i18n.use_language(i18n.ENGLISH)


@pytest.fixture
def locations(isolated_home: Path) -> Locations:
    """The Locations a command would resolve in this test."""
    return Locations.resolve(home=isolated_home)
