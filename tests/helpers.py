"""Helpers shared by test modules: running foracheck (in this process or another), paths."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
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


class Ran:
    """What one run gave: the fields of ``subprocess.CompletedProcess`` that tests read.

    ``stdout`` and ``stderr`` are decoded as ``run_cli`` decodes them (text mode:
    UTF-8, any line ending read as ``\\n``); ``out_bytes`` and ``err_bytes`` are
    exactly what was written.
    """

    def __init__(self, args: list[str], returncode: int, out: bytes, err: bytes) -> None:
        self.args = args
        self.returncode = returncode
        self.out_bytes = out
        self.err_bytes = err
        self.stdout = _as_text(out)
        self.stderr = _as_text(err)


class _Typed(io.TextIOWrapper):
    """Standard input that says it is a terminal: what a person typed at a prompt."""

    def isatty(self) -> bool:
        return True


class _Kept(io.BytesIO):
    """A stream's bytes, still readable after its text wrapper is closed or collected."""

    def close(self) -> None:
        pass


def _as_text(data: bytes) -> str:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=None).read()


def run_here(
    *args: str,
    input: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 20,
    as_module: bool = True,
    tty: bool = False,
) -> Ran:
    """Run ``python -m foracheck ARGS`` in this process, the way ``run_cli`` runs it in another.

    The default for every test that does not test the process itself (signals,
    the first milliseconds, closed or full descriptors, locks between processes,
    terminals, the installed program): about fifty times cheaper. It goes through
    ``foracheck.__main__.run``, the console script's own entry, so the same stdio
    guards, ``--version`` shortcut, language choice and exit point apply; only
    what a fresh process starts with is put back around it (see ``_fresh_run``).
    ``env`` applies to this run only, as it would to a process. A run that takes
    longer than ``timeout`` seconds raises ``subprocess.TimeoutExpired``, as
    ``run_cli`` does (a timer interrupts even a blocked ``open``).
    ``as_module=False`` keeps this program's ``sys.argv[0]``: foracheck then runs as
    embedded in another program and names itself plain ``foracheck`` in its hints.
    ``tty=True`` makes standard input say it is a terminal (a prompt's answers typed
    in; a real terminal's behaviour is for pexpect tests).
    """
    stdin = (_Typed if tty else io.TextIOWrapper)(
        io.BytesIO((input or "").encode("utf-8")), encoding="utf-8"
    )
    out, err = _Kept(), _Kept()

    def streams(encoding: str, errors: str) -> Streams:
        return (
            stdin,
            io.TextIOWrapper(out, encoding=encoding, errors=errors or "strict", write_through=True),
            io.TextIOWrapper(
                err, encoding=encoding, errors=errors or "backslashreplace", write_through=True
            ),
        )

    code = _run(list(args), env or {}, timeout, as_module, streams)
    return Ran(list(args), code, out.getvalue(), err.getvalue())


Streams = tuple[io.TextIOBase, io.TextIOBase, io.TextIOBase]


def _run(
    args: list[str],
    env: dict[str, str],
    timeout: float,
    as_module: bool,
    streams: Callable[[str, str], Streams],
) -> int:
    """One run of ``foracheck.__main__.run`` with the standard streams ``streams`` makes
    from the run's encoding and error handler; its exit code, as a process's would be."""
    code: int | str | None = 0
    with _fresh_run(args, env, as_module):
        # Python's own choice for a process: PYTHONIOENCODING, else UTF-8 (a C locale too).
        encoding, _, errors = os.environ.get("PYTHONIOENCODING", "").partition(":")
        sys.stdin, sys.stdout, sys.stderr = streams(encoding or "utf-8", errors)
        from foracheck.__main__ import run

        try:
            with _deadline(timeout):
                run()
        except SystemExit as stop:
            code = stop.code
        with contextlib.suppress(ValueError, OSError):
            if isinstance(code, str):  # sys.exit("message"), as Python would end the process
                sys.stderr.write(code + "\n")
            sys.stdout.flush()
            sys.stderr.flush()
    if code is None:
        return 0
    return 1 if isinstance(code, str) else code


def run_in_a_terminal(
    *args: str,
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (40, 100),
    timeout: float = 20,
) -> tuple[int, bytes]:
    """``run_here`` in a real terminal: the exit code and every byte the terminal got.

    A pty of ``size`` (rows, columns), echo off, is descriptors 0, 1 and 2 for the
    run (where Rich and Python look for a terminal and its size) and the standard
    streams, as Python makes them for a terminal.
    For what reaches a screen, where the process is not what is tested: the bytes
    ``python -m foracheck`` writes to a pty, without starting Python each time.
    """
    import fcntl
    import pty
    import struct
    import termios
    import threading

    control, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", *size, 0, 0))
    modes = termios.tcgetattr(terminal)
    modes[3] &= ~termios.ECHO
    termios.tcsetattr(terminal, termios.TCSANOW, modes)
    shown = bytearray()

    def read_screen() -> None:  # a full pty would stop the run: read as it writes
        with contextlib.suppress(OSError):  # EIO: every end of the terminal is closed
            while chunk := os.read(control, 65536):
                shown.extend(chunk)

    reader = threading.Thread(target=read_screen, daemon=True)
    reader.start()
    kept = {fd: os.dup(fd) for fd in (0, 1, 2)}
    try:
        for fd in kept:
            os.dup2(terminal, fd)

        def streams(encoding: str, errors: str) -> Streams:
            def stream(fd: int, mode: str, handler: str) -> io.TextIOWrapper:
                raw = open(fd, mode + "b", closefd=False)  # noqa: SIM115 - the run closes it
                return io.TextIOWrapper(raw, encoding=encoding, errors=handler, line_buffering=True)

            return (
                stream(0, "r", errors or _stdio_errors()),
                stream(1, "w", errors or _stdio_errors()),
                stream(2, "w", errors or "backslashreplace"),
            )

        code = _run(list(args), env or {}, timeout, True, streams)
    finally:
        for fd, original in kept.items():
            os.dup2(original, fd)
            os.close(original)
        os.close(terminal)
        reader.join(timeout)
        os.close(control)
    return code, bytes(shown)


def _stdio_errors() -> str:
    """The error handler Python gives standard input and output: ``surrogateescape``
    in the C or POSIX locale and in those it turns them into (C.UTF-8), else strict."""
    for variable in ("LC_ALL", "LC_CTYPE", "LANG"):
        if value := os.environ.get(variable):
            return "surrogateescape" if value in _COERCED_LOCALES else "strict"
    return "surrogateescape"


_COERCED_LOCALES = ("C", "POSIX", "C.UTF-8", "C.utf8", "UTF-8")


def _clear_caches() -> None:
    """Empty every ``functools`` cache of foracheck's functions (the console, the program's
    name, ...): a process starts with none, and one run's must not answer the next."""
    for name, module in list(sys.modules.items()):
        if name == "foracheck" or name.startswith("foracheck."):
            for clear in _cache_clearers(module):
                clear()


_CLEARERS: dict[int, tuple[object, list[Callable[[], None]]]] = {}


def _cache_clearers(module: object) -> list[Callable[[], None]]:
    """The ``cache_clear`` of each cached function a module defines, found once per module
    object (looking through every module's names before each run took a tenth of the
    in-process tests' time); a module imported again is looked through again."""
    known = _CLEARERS.get(id(module))
    if known is not None and known[0] is module:
        return known[1]
    name = getattr(module, "__name__", "")
    clearers = [
        clear
        for value in list(vars(module).values())
        if callable(clear := getattr(value, "cache_clear", None))
        and getattr(value, "__module__", None) == name
    ]
    _CLEARERS[id(module)] = (module, clearers)
    return clearers


class _TooLong(BaseException):
    """The run went past its timeout (a BaseException: nothing in foracheck catches it)."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise ``subprocess.TimeoutExpired`` when the block takes longer than ``seconds``.

    foracheck's exit point maps every exception to a code, so the timer's
    exception is recognised on the way out, wherever it was caught and rewrapped.
    """
    import signal

    expired: list[bool] = []

    def ring(signum: int, frame: object) -> None:
        expired.append(True)
        raise _TooLong

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except BaseException:
        if expired:
            raise subprocess.TimeoutExpired(sys.argv[1:], seconds) from None
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if expired:
        raise subprocess.TimeoutExpired(sys.argv[1:], seconds)


_CLI_BY_LANGUAGE: dict[tuple[str, str], object] = {}


@contextlib.contextmanager
def _fresh_run(args: list[str], env: dict[str, str], as_module: bool) -> Iterator[None]:
    """Around one in-process run: the state a new ``python -m foracheck`` would start with.

    Saved and put back: the standard streams, ``sys.argv`` (its program is
    ``foracheck/__main__.py``, so command hints read ``python -m foracheck`` as
    from a process), the environment, the signal handlers, the garbage
    collector's switch, the time zone, the language, the plain-mode decision and
    every ``functools`` cache of foracheck's modules (the console, the program
    name). ``foracheck.cli`` builds its help texts in the language chosen
    before it is imported: a run in another language than
    English uses a ``foracheck.cli`` imported in that language (once per
    language and catalog folder), exactly as a process would.
    """
    import gc
    import signal
    import time

    import pytest

    from foracheck import accessible, i18n

    saved_streams = (sys.stdin, sys.stdout, sys.stderr, sys.argv)
    signals = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s]
    handlers = {signum: signal.getsignal(signum) for signum in signals}
    collecting = gc.isenabled()
    language = (i18n._catalog, i18n._language)
    decided = accessible._decided
    english_cli = _english_cli()
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            patch.setattr(
                gc, "freeze", lambda: None
            )  # a process's freeze would pin every test's garbage
            program = str(ROOT / "foracheck" / "__main__.py") if as_module else sys.argv[0]
            sys.argv = [program, *args]
            time.tzset()  # TZ is read when a process starts
            accessible._decided = None
            _clear_caches()
            with contextlib.redirect_stderr(io.StringIO()):  # the run itself says any notice
                _cli_in_chosen_language(args)
            _clear_caches()
            yield
    finally:
        sys.stdin, sys.stdout, sys.stderr, sys.argv = saved_streams
        time.tzset()
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        (gc.enable if collecting else gc.disable)()
        i18n._catalog, i18n._language = language
        accessible._decided = decided
        _clear_caches()
        sys.modules["foracheck.cli"] = english_cli


def _english_cli() -> object:
    """``foracheck.cli`` as the tests import it: built in English."""
    import importlib

    from foracheck import i18n

    if "foracheck.cli" not in sys.modules:
        previous = (i18n._catalog, i18n._language)
        i18n.use_language(i18n.ENGLISH)
        try:
            importlib.import_module("foracheck.cli")
        finally:
            i18n._catalog, i18n._language = previous
    return sys.modules["foracheck.cli"]


def _cli_in_chosen_language(args: list[str]) -> None:
    """Put in ``sys.modules`` a ``foracheck.cli`` whose help texts are in the run's language."""
    import importlib

    from foracheck import i18n
    from foracheck.errors import UsageError

    try:
        chosen = i18n.choose(args, os.environ)
    except UsageError:
        return  # the run itself refuses it, before cli is imported
    if chosen == i18n.ENGLISH:
        return
    key = (chosen, str(i18n.LOCALE_DIR))
    if key not in _CLI_BY_LANGUAGE:
        english = sys.modules.pop("foracheck.cli")
        previous = (i18n._catalog, i18n._language)
        try:
            i18n.use_language(chosen)
            _CLI_BY_LANGUAGE[key] = importlib.import_module("foracheck.cli")
        finally:
            i18n._catalog, i18n._language = previous
            sys.modules["foracheck.cli"] = english
    sys.modules["foracheck.cli"] = _CLI_BY_LANGUAGE[key]  # type: ignore[assignment]
