"""A damaged installation degrades, never hangs (guarantee 22, finding 7).

An installed foracheck has only the compiled catalog (``es/LC_MESSAGES/foracheck.mo``).
Whatever is found there instead (a FIFO, an empty, truncated or oversized file, a
folder, translations holding ESC) gives English and exactly one notice, never a hang,
a crash or a raw control byte. The catalog is read in this process from a copy of the
install's layout, so each case is cheap; the FIFO case runs in a thread with a deadline,
so that a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from render_helpers import invoke

from foracheck import i18n, pocompile

GOOD = pocompile.compile_language("es")


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A locale folder laid out as a wheel installs it: the ``.mo`` alone."""
    locale = tmp_path / "locale"
    compiled = pocompile.mo_path("es", locale)
    compiled.parent.mkdir(parents=True)
    compiled.write_bytes(GOOD)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    return compiled


def _with_escape() -> bytes:
    catalog = pocompile.merge(pocompile.parts_of("es"))
    catalog["yes"] = "s\x1b]0;PWNED\x07í"
    return pocompile.mo_bytes(catalog)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "empty": lambda path: path.write_bytes(b""),
    "truncated": lambda path: path.write_bytes(GOOD[: len(GOOD) // 3]),
    "header only": lambda path: path.write_bytes(GOOD[:20]),
    "garbage": lambda path: path.write_bytes(b"\xde\x12\x04\x95" + b"\xff" * 64),
    "too large": lambda path: path.write_bytes(GOOD + b"\0" * (i18n.MAX_CATALOG_BYTES + 1)),
    "a folder": lambda path: (path.unlink(), path.mkdir()),  # type: ignore[func-returns-value]
    "ESC in a translation": lambda path: path.write_bytes(_with_escape()),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_catalog_gives_english_and_one_notice(
    installed: Path, capsys: pytest.CaptureFixture[str], damage: Callable[[Path], None]
) -> None:
    damage(installed)
    i18n.use_language("es")
    assert i18n.language() == "en" and i18n._("yes") == "yes"
    err = capsys.readouterr().err
    assert err.count("Note: the español translation of foracheck is damaged") == 1, err
    assert "\x1b" not in err and "\x07" not in err


def test_a_whole_command_runs_in_english_on_a_damaged_catalog(
    installed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    installed.write_bytes(GOOD[:100])
    code, out, err = invoke(capsys, "--lang", "es", "list")
    assert code == 0 and "Traceback" not in err
    assert "tell-your-surgeon" in out and err.count("damaged") == 1


def test_a_fifo_at_the_catalog_never_hangs(installed: Path) -> None:
    installed.unlink()
    os.mkfifo(installed)
    done = threading.Event()

    def load() -> None:
        i18n.use_language("es")
        done.set()

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(timeout=20)
    if not done.is_set():  # let the stuck open() go before failing
        writer = os.open(installed, os.O_WRONLY | os.O_NONBLOCK)
        os.close(writer)
        worker.join(timeout=5)
        pytest.fail("loading the catalog waited on a FIFO")
    assert i18n.language() == "en"


def test_a_good_catalog_still_speaks_spanish(installed: Path) -> None:
    i18n.use_language("es")
    assert i18n.language() == "es" and i18n._("yes") == "sí"


RECORD_DAMAGE: dict[str, Callable[[Path], None]] = {
    "empty": lambda path: path.write_bytes(b""),
    "not JSON": lambda path: path.write_bytes(b'{"name": "espa'),
    "a list": lambda path: path.write_bytes(b"[1, 2]"),
    "no name": lambda path: path.write_bytes(b'{"code": "es"}'),
    "a FIFO": lambda path: (path.unlink(), os.mkfifo(path)),  # type: ignore[func-returns-value]
}


@pytest.mark.parametrize("damage", RECORD_DAMAGE.values(), ids=RECORD_DAMAGE.keys())
def test_a_damaged_language_record_gives_english_and_one_notice(
    installed: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    damage: Callable[[Path], None],
) -> None:
    """The language's own record (its words) is part of the installation too."""
    from foracheck import languages

    locale = installed.parents[2]
    record = locale / "es" / languages.RECORD
    record.write_bytes((Path(languages.LOCALE_DIRS[0]) / "es" / languages.RECORD).read_bytes())
    monkeypatch.setattr(languages, "LOCALE_DIRS", [str(locale), *languages.LOCALE_DIRS])
    damage(record)
    code, out, err = invoke(capsys, "--lang", "es", "list")
    assert code == 0 and "Traceback" not in err, err
    assert "tell-your-surgeon" in out and err.count("damaged") == 1, err
