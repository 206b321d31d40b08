"""The command line in Spanish: every help page and cli.py's own sentences, as a
Spanish-speaking patient or nurse meets them (real processes; a real terminal for
the reset question). Click's and Typer's own words stay English (see docs/languages.md)."""

from __future__ import annotations

import ast
import json
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest
from helpers import ROOT, run_here
from pty_terminal import Terminal
from test_daily_words import COMMANDS

# Words that appear only in our English help sentences, never in the Spanish ones
# (command lines, option names and ids aside).
ENGLISH_WORDS = (" the ", " your ", " and ", " with ", " answers ")


# The modules that declare the command table: its options and its help pages.
HELP_MODULES = ("cli.py", "options.py", "helptext.py")


def _translated(call: ast.expr) -> str | None:
    """The English text of ``_("...")`` or ``_("...").format(...)``, else None."""
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
        call = call.func.value  # _("...").format(...)
    if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "_":
        argument = call.args[0]
        assert isinstance(argument, ast.Constant)
        return str(argument.value)
    return None


def our_help_sentences() -> list[str]:
    """Every help text the command table passes through _(), read from its source (so
    that a sentence added later is checked too): the ``help=`` of every option and
    command, and each command's page in helptext.py."""
    found = []
    for module in HELP_MODULES:
        tree = ast.parse((ROOT / "foracheck" / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "help":
                text = _translated(node.value)
            elif isinstance(node, ast.Assign) and module == "helptext.py":
                text = _translated(node.value)  # text["start"] = _("...")
            else:
                continue
            if text is not None:
                found.append(text)
    return found


def help_page(*words: str, lang: str = "es") -> str:
    page = run_here("--lang", lang, *words, "--help", env={"COLUMNS": "200"})
    assert page.returncode == 0, page.stderr
    return page.stdout


def test_the_scan_finds_every_command_help() -> None:
    """The check below must see the real help texts, or it would pass on nothing."""
    sentences = our_help_sentences()
    assert len(sentences) > 40
    assert any(sentence.startswith("Go through your checklists") for sentence in sentences)
    assert any(sentence.startswith("Get ready for a foraminotomy") for sentence in sentences)
    assert "Print JSON for scripts." in sentences  # options.py's shared options


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_page_is_spanish_with_its_example(command: str) -> None:
    words = [command] if command else []
    spanish = help_page(*words)
    english = help_page(*words, lang="en")
    assert spanish != english
    for sentence in our_help_sentences():
        first_line = sentence.split("\n")[0].split("{")[0]
        assert first_line not in spanish or first_line.startswith("Example")
    if command:
        assert "Ejemplo: foracheck " + command in spanish
        example = next(line for line in english.splitlines() if "Example: " in line)
        assert example.strip().replace("Example:", "Ejemplo:") in spanish  # typed verbatim
    described = " ".join(
        line for line in spanish.splitlines() if not line.lstrip().startswith(("-", "Usage"))
    )
    ours = described.split("Options:")[0]  # the command's own text, before Click's table
    assert not [word for word in ENGLISH_WORDS if word in ours.lower()], ours


def test_a_cli_message_is_spanish() -> None:
    result = run_here("--lang", "es", "print", "--patient", "")
    assert result.returncode == 2
    assert "--patient necesita un nombre" in result.stderr


def test_the_global_option_after_the_command_is_named_in_spanish() -> None:
    result = run_here("--lang", "es", "status", "--home", "x")
    assert result.returncode == 2
    assert "--home es una opción general: va antes del nombre del comando" in result.stderr


def test_validate_counts_in_spanish() -> None:
    result = run_here("--lang", "es", "validate", str(ROOT / "checklists" / "day-of.yaml"))
    assert result.returncode == 0, result.stderr
    assert "pasos)" in result.stdout and "items)" not in result.stdout


@pytest.fixture
def spanish_reset(isolated_home: Path) -> Iterator[pexpect.spawn]:
    marked = run_here("--lang", "es", "mark", "week-before", "sick-before-surgery", "no")
    assert marked.returncode == 0, marked.stderr
    shown = json.loads(run_here("show", "week-before", "--json").stdout)
    assert {item["id"]: item["answer"] for item in shown["checklists"][0]["items"]}[
        "sick-before-surgery"
    ] == "no"
    child = Terminal(
        sys.executable,
        ["-m", "foracheck", "--lang", "es", "reset"],
        env={**os.environ},
        encoding="utf-8",
        timeout=20,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    child.expect_exact("Se guardará una copia [s/N]: ")
    yield child
    child.close(force=True)


def _end(child: pexpect.spawn) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    rest = child.before
    child.close()
    return child.exitstatus, rest


@pytest.mark.parametrize("typed", ["sí", "SI", "s"])
def test_the_reset_question_takes_si(
    spanish_reset: pexpect.spawn, isolated_home: Path, typed: str
) -> None:
    spanish_reset.sendline(typed)
    code, _ = _end(spanish_reset)
    assert code == 0
    shown = json.loads(run_here("show", "week-before", "--json").stdout)
    items = {item["id"]: item for item in shown["checklists"][0]["items"]}
    assert items["sick-before-surgery"]["answer"] is None  # forgotten (a copy is kept)


def test_the_reset_question_takes_no_and_asks_again_in_spanish(
    spanish_reset: pexpect.spawn, isolated_home: Path
) -> None:
    before = (isolated_home / "progress.json").read_bytes()
    spanish_reset.sendline("quizás")
    spanish_reset.expect_exact("Se guardará una copia [s/N]: ")
    assert "Escriba s para olvidar sus respuestas guardadas" in spanish_reset.before
    spanish_reset.sendline("no")
    code, rest = _end(spanish_reset)
    assert code == 1 and "No se cambió nada." in rest
    assert (isolated_home / "progress.json").read_bytes() == before
