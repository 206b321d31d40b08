"""Guarantee 16: every exit is a sentence and a code, from the first millisecond to the last.

Real processes throughout: signals while Python and Typer are still loading,
standard output on a full disk or closed, standard input closed, a data folder
path that cannot be used, ``--version`` without Typer, answers that start with
a dash, and the ``reset`` question in a real terminal.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest
from helpers import run_here
from pty_terminal import Terminal

import foracheck
from foracheck import cli
from foracheck.errors import (
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_IO,
    EXIT_SOFTWARE,
    EXIT_TERMINATED,
    EXIT_USAGE,
)

MARK = ["mark", "week-before", "ask-about-blood-thinners", "done"]
PACKAGE = str(Path(foracheck.__file__).resolve().parent)
# Frames from these mean the traceback passed through foracheck or what it imports.
OURS = (PACKAGE, "typer", "click", "rich", "yaml", "platformdirs")
SCRIPT = Path(sys.executable).parent / "foracheck"  # the console script, when pip-installed
STARTS = [[sys.executable, "-m", "foracheck"]] + ([[str(SCRIPT)]] if SCRIPT.exists() else [])


def our_traceback(stderr: str) -> bool:
    """A traceback that went through foracheck's code (or a library it loaded).

    A traceback whose every frame is the interpreter's own start-up (site, runpy,
    importlib) is not ours to catch, nor one that stops at "line 0" of a module of
    ours: Python checked for the signal before that module's first statement ran.
    """
    if "Traceback" not in stderr:
        return False
    frames = [line for line in stderr.splitlines() if line.strip().startswith('File "')]
    ours = [frame for frame in frames if any(part in frame for part in OURS)]
    return not frames or any(not frame.endswith("line 0, in <module>") for frame in ours)


def interpreter_start(stderr: str) -> bool:
    """What Python itself prints when its own start-up is interrupted, before the first
    line of foracheck runs: a traceback through none of our frames, a "Fatal Python
    error", or the bare exception name with no frame at all."""
    bare = stderr.strip() == "KeyboardInterrupt"
    return bare or "Fatal Python error" in stderr or "Traceback" in stderr


def run(
    *args: str, stdout: object = subprocess.PIPE, stdin: object = subprocess.DEVNULL, **env: str
) -> subprocess.CompletedProcess[str]:
    """``python -m foracheck ARGS`` with the given standard streams."""
    return subprocess.run(
        [sys.executable, "-m", "foracheck", *args],
        stdout=stdout,
        stdin=stdin,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
        timeout=30,
        check=False,
    )


def shell(script: str) -> subprocess.CompletedProcess[str]:
    """A bash line (for ``<&-`` and ``>&-``); ``FC`` runs foracheck."""
    return subprocess.run(
        ["bash", "-c", f'FC() {{ "{sys.executable}" -m foracheck "$@"; }}; {script}'],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def saved_answer(list_id: str, item_id: str) -> str | None:
    document = json.loads(run_here("status", "--json").stdout)
    for checklist in document["checklists"]:
        for item in checklist["items"]:
            if (checklist["id"], item["id"]) == (list_id, item_id):
                answer: str | None = item["answer"]
                return answer
    raise AssertionError(f"{list_id} {item_id} not exported")


# -- --version without Typer --------------------------------------------------------------


def imported_modules(*command: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *command, "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == f"foracheck {foracheck.__version__}\n"
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}


def test_version_does_not_import_typer() -> None:
    modules = imported_modules("-m", "foracheck")
    assert "foracheck.exits" in modules  # our guard ran, and loaded nothing heavy
    assert not {name for name in modules if name.split(".")[0] in ("typer", "rich", "yaml")}


def test_the_console_script_answers_version_without_typer_too() -> None:
    if not SCRIPT.exists():
        pytest.skip("no console script beside this Python (foracheck is not pip-installed)")
    modules = imported_modules(str(SCRIPT))
    assert not {name for name in modules if name.split(".")[0] in ("typer", "rich", "yaml")}


# -- signals while starting -----------------------------------------------------------------


def run_script(script: str) -> subprocess.CompletedProcess[str]:
    """``python -c SCRIPT`` that starts foracheck its own way: its code and streams."""
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=False
    )


SIGNAL_WHILE_BUILDING = """
import os, signal, sys
import typer.main
build = typer.main.get_command

def build_then_signal(app):
    command = build(app)
    os.kill(os.getpid(), signal.{name})
    return command

typer.main.get_command = build_then_signal
sys.argv = ["foracheck", "list"]
from foracheck.__main__ import run
run()
"""


@pytest.mark.parametrize(
    ("name", "code", "said"),
    [("SIGINT", EXIT_INTERRUPTED, "interrupted"), ("SIGTERM", EXIT_TERMINATED, "asked to end")],
)
def test_a_signal_while_typer_builds_the_commands(name: str, code: int, said: str) -> None:
    result = run_script(SIGNAL_WHILE_BUILDING.format(name=name))
    assert "Traceback" not in result.stderr
    assert (result.returncode, result.stdout) == (code, "")
    assert f"Stopped ({said}) while starting. Nothing was changed." in result.stderr


SIGNAL_WHILE_PYTHON_ENDS = """
import atexit, os, signal, sys, time

def signal_at_exit():
    os.kill(os.getpid(), signal.{name})
    time.sleep(0.2)  # the signal is handled here, while Python shuts down

atexit.register(signal_at_exit)
sys.argv = ["foracheck", "list"]
from foracheck.__main__ import run
run()
"""


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_a_signal_after_the_command_ended_prints_no_traceback(name: str) -> None:
    """Seen in the signal loop: a SIGTERM that came after ``list`` had finished landed in
    Python's own shutdown, where a raising handler can only print a traceback."""
    result = run_script(SIGNAL_WHILE_PYTHON_ENDS.format(name=name))
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert result.returncode == -getattr(signal, name), result.stderr
    assert "tell-your-surgeon" in result.stdout  # the command itself had finished


def signal_early(command: list[str], signum: int, delay: float, home: Path) -> tuple[int, str]:
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "FORACHECK_HOME": str(home)},
    )
    time.sleep(delay)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    return process.returncode, stderr.decode(errors="replace")


def signals_in_the_first_100_ms(runs: int, home: Path, seed: int) -> None:
    allowed = {
        # finished first; our sentence and code; killed before Python could catch it
        signal.SIGINT: {0, EXIT_INTERRUPTED, -signal.SIGINT},
        signal.SIGTERM: {0, EXIT_TERMINATED, -signal.SIGTERM},
    }
    rng = random.Random(seed)
    for turn in range(runs):
        signum = (signal.SIGINT, signal.SIGTERM)[turn % 2]
        command = [*STARTS[turn // 2 % len(STARTS)], *(MARK if turn % 3 == 0 else ["list"])]
        delay = rng.uniform(0, 0.1)
        code, stderr = signal_early(command, signum, delay, home)
        kept = sorted(path.name for path in home.iterdir()) if home.exists() else []
        context = f"{signum!r} after {delay * 1000:.0f} ms, turn {turn}: {code}\n{stderr}\n{kept}"
        assert not our_traceback(stderr), context
        if interpreter_start(stderr):
            continue
        assert code in allowed[signum], context
        if code in (EXIT_INTERRUPTED, EXIT_TERMINATED):
            assert "Stopped" in stderr, context
        progress = home / "progress.json"
        if progress.exists():  # a save either happened whole or not at all
            json.loads(progress.read_bytes())
        assert not list(home.glob("*.tmp")), context


@pytest.mark.slow  # a hundred and twenty processes, each signalled as it starts
def test_signals_in_the_first_100_ms_many_times(tmp_path: Path) -> None:
    runs = int(os.environ.get("SIGNAL_RUNS", "120"))
    signals_in_the_first_100_ms(runs, tmp_path / "home", seed=16)


def broken(args: list[str]) -> int:
    raise ValueError("- warfarin 5 mg")


def test_an_unexpected_error_is_a_sentence_with_no_traceback_and_no_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli, "_run", broken)
    result = run_here("list")
    assert result.returncode == EXIT_SOFTWARE
    assert "Traceback" not in result.stderr and "warfarin" not in result.stderr
    assert "unexpected problem (ValueError at " in result.stderr
    assert "Please report this" in result.stderr


# -- standard output full or closed -----------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["export"],
        ["status"],
        ["show", "day-of"],
        ["print", "day-of"],
        ["--version"],
        ["--help"],
        ["validate", "--help"],
    ],
)
def test_standard_output_on_a_full_disk(command: list[str]) -> None:
    with Path("/dev/full").open("w") as full:
        result = run(*command, stdout=full)
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert result.returncode == EXIT_IO, result.stderr
    assert "Could not write to standard output (No space left on device)" in result.stderr


def test_export_with_standard_output_closed_says_so() -> None:
    result = shell("FC export >&-")
    assert result.returncode == EXIT_IO, result.stderr
    assert "Could not write to standard output" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_to_a_file_needs_no_standard_output(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    result = shell(f'FC export --output "{target}" >&-')
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("redirect", ["> /dev/full", ">&-"])
def test_mark_that_saved_but_cannot_print_says_it_saved_and_exits_0(redirect: str) -> None:
    result = shell(f"FC {' '.join(MARK)} {redirect}")
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert "Saved the answer for week-before ask-about-blood-thinners." in result.stderr
    assert "could not be shown" in result.stderr
    assert saved_answer("week-before", "ask-about-blood-thinners") == "done"


def test_reset_that_cleared_but_cannot_print_says_so_and_exits_0(isolated_home: Path) -> None:
    assert run_here(*MARK).returncode == 0
    result = shell("FC reset --yes > /dev/full")
    assert result.returncode == 0, result.stderr
    assert "Your saved answers are cleared" in result.stderr
    assert saved_answer("week-before", "ask-about-blood-thinners") is None  # started over
    assert list(isolated_home.glob("progress.json.reset-*"))  # with a copy kept


# -- standard input closed --------------------------------------------------------------------


def test_start_with_standard_input_closed_exits_2_and_names_mark() -> None:
    result = shell("FC start <&-")
    assert (result.returncode, "Traceback" in result.stderr) == (EXIT_USAGE, False)
    assert "foracheck mark" in result.stderr


def test_reset_with_standard_input_closed_exits_2_and_changes_nothing(
    isolated_home: Path,
) -> None:
    assert run_here(*MARK).returncode == 0
    before = (isolated_home / "progress.json").read_bytes()
    result = shell("FC reset <&-")
    assert (result.returncode, "Traceback" in result.stderr) == (EXIT_USAGE, False)
    assert "--yes" in result.stderr
    assert (isolated_home / "progress.json").read_bytes() == before


# -- a data folder that cannot be used ----------------------------------------------------------


@pytest.mark.parametrize("shape", ["long name", "deep path"])
@pytest.mark.parametrize(
    ("command", "code"),
    [(MARK, EXIT_IO), (["status"], EXIT_IO), (["reset", "--yes"], EXIT_IO), (["list"], 0)],
)
def test_a_data_folder_path_too_long_to_use(
    tmp_path: Path, shape: str, command: list[str], code: int
) -> None:
    long = "a" * 300 if shape == "long name" else "/".join(["b" * 200] * 25)
    result = run_here(*command, env={"FORACHECK_HOME": str(tmp_path / long)})
    assert "Traceback" not in result.stderr
    assert result.returncode == code, result.stderr
    if code:
        assert "too long" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root is not stopped by folder permissions")
@pytest.mark.parametrize("command", [MARK, ["status"]])
def test_a_data_folder_that_may_not_be_entered(tmp_path: Path, command: list[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        result = run_here(*command, env={"FORACHECK_HOME": str(locked / "home")})
    finally:
        locked.chmod(0o700)
    assert "Traceback" not in result.stderr
    assert result.returncode == EXIT_IO
    assert "Permission denied" in result.stderr


def test_an_empty_home_option_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_here("--home", "", *MARK)
    assert result.returncode == EXIT_USAGE
    assert "--home needs a folder name" in result.stderr
    assert list(tmp_path.iterdir()) == []


# -- answers that start with a dash ------------------------------------------------------------

SECRET = "- warfarin 5 mg"


def test_a_text_answer_that_starts_with_a_dash_goes_after_two_dashes() -> None:
    assert run_here("mark", "tell-your-surgeon", "takes-medicines", "yes").returncode == 0
    result = run_here("mark", "tell-your-surgeon", "which-medicines", "--", SECRET)
    assert result.returncode == 0, result.stderr
    assert saved_answer("tell-your-surgeon", "which-medicines") == SECRET


@pytest.mark.parametrize("answer", [SECRET, "-warfarin", "--warfarin 5"])
def test_a_dash_answer_without_two_dashes_is_not_echoed(answer: str) -> None:
    assert run_here("mark", "tell-your-surgeon", "takes-medicines", "yes").returncode == 0
    result = run_here("mark", "tell-your-surgeon", "which-medicines", answer)
    assert result.returncode == EXIT_USAGE
    # The hint names the program by its path, which may hold anything ("-w" in a folder
    # called "to-wrap"): what must not be echoed is checked in the words around it.
    said = " ".join(result.stderr.split()).replace(sys.executable, "PROGRAM")
    assert "warfarin" not in said and "-w" not in said
    assert "after --" in result.stderr
    assert saved_answer("tell-your-surgeon", "which-medicines") is None


def test_a_mistyped_option_of_mark_is_still_named() -> None:
    result = run_here("mark", "day-of", "arrive-on-time", "done", "--nte", "x")
    assert result.returncode == EXIT_USAGE
    assert "--nte" in result.stderr and "--note" in result.stderr


def test_mark_help_explains_the_two_dashes() -> None:
    result = run_here("mark", "--help")
    assert result.returncode == 0
    assert '-- "- aspirin 81 mg"' in " ".join(result.stdout.split())


# -- the reset question in a terminal ---------------------------------------------------------

RESET_QUESTION = "A copy will be kept [y/N]: "


@pytest.fixture
def reset_session(isolated_home: Path) -> pexpect.spawn:
    assert run_here(*MARK).returncode == 0
    child = Terminal(
        sys.executable,
        ["-m", "foracheck", "reset"],
        env={**os.environ},
        encoding="utf-8",
        timeout=20,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    child.expect_exact(RESET_QUESTION)
    yield child
    child.close(force=True)


def finish(child: pexpect.spawn) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    rest = child.before
    child.close()
    return child.exitstatus, rest


def test_ctrl_c_at_the_reset_question_exits_130(
    reset_session: pexpect.spawn, isolated_home: Path
) -> None:
    before = (isolated_home / "progress.json").read_bytes()
    reset_session.sendintr()
    code, rest = finish(reset_session)
    assert code == EXIT_INTERRUPTED
    assert "Traceback" not in rest and "Aborted" not in rest and "Stopped" in rest
    assert (isolated_home / "progress.json").read_bytes() == before


def test_ctrl_d_at_the_reset_question_exits_1(
    reset_session: pexpect.spawn, isolated_home: Path
) -> None:
    reset_session.sendeof()
    code, rest = finish(reset_session)
    assert code == EXIT_INCOMPLETE
    assert "Traceback" not in rest
    assert (isolated_home / "progress.json").exists()


def test_an_unclear_answer_at_the_reset_question_is_asked_again_in_our_words(
    reset_session: pexpect.spawn, isolated_home: Path
) -> None:
    reset_session.sendline("maybe")
    reset_session.expect_exact(RESET_QUESTION)
    said = reset_session.before
    assert "Error" not in said and "invalid input" not in said
    assert "Please type y" in said
    reset_session.sendline("y")
    code, rest = finish(reset_session)
    assert code == 0
    assert "cleared" in rest
    assert list(isolated_home.glob("progress.json.reset-*"))  # reset went ahead, with a copy
