"""Remembered settings: a Spanish or plain walk, quit and resumed with exactly the printed
hint in a real terminal, comes back in the same language and mode (and the same folder)."""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

import pexpect
import pytest
from pty_terminal import Terminal
from render_helpers import invoke

from foracheck import store
from foracheck.paths import Locations

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _env() -> dict[str, str]:
    """The shell's environment with no language, mode or data folder of foracheck's own:
    only what the folder remembers and what the hint says may bring them back."""
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    drop = (
        "FORACHECK_HOME",
        "FORACHECK_LANG",
        "ACCESSIBLE",
        "LANGUAGE",
        "LC_ALL",
        "COLUMNS",
        "LINES",
    )
    for name in drop:
        env.pop(name, None)
    return env


def _spawn(command: str) -> pexpect.spawn:
    return Terminal(
        "/bin/sh",
        ["-c", command],
        env=_env(),
        dimensions=(24, 400),  # the hint on one line, as typed
        encoding="utf-8",
        timeout=15,
    )


def _finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return ANSI.sub("", child.before or "")


@pytest.mark.parametrize(
    ("first", "date_prompt", "quit_at", "hint_words"),
    [
        (["--lang", "es"], "Fecha de la cirugía: ", "\r\n> ", "Para seguir más tarde, escriba: "),
        (["--plain"], "Surgery date: ", "Your answer: ", "To go on later, run: "),
    ],
    ids=["spanish", "plain"],
)
def test_the_printed_hint_brings_back_language_mode_and_folder(
    tmp_path: Path, first: list[str], date_prompt: str, quit_at: str, hint_words: str
) -> None:
    home = tmp_path / "a folder with spaces"
    program = f"{shlex.quote(sys.executable)} -m foracheck"
    child = _spawn(f"{program} --home {shlex.quote(str(home))} {' '.join(first)} start --all")
    child.expect_exact(date_prompt)
    child.sendline("")
    child.expect_exact(quit_at)
    child.sendline("salir" if "--lang" in first else "quit")  # a command word, not an answer
    text = _finish(child)
    hint = re.search(re.escape(hint_words) + r"(.+)", text)
    assert hint is not None, text
    typed = hint.group(1).strip()
    assert "--home" in typed and "--lang" not in typed and "--plain" not in typed
    again = _spawn(typed)
    index = again.expect_exact(["\r\n> ", "Your answer: "])
    opening = ANSI.sub("", again.before or "")
    again.sendline("q")
    rest = _finish(again)
    if "--lang" in first:
        assert index == 0 and "paso 1 de" in opening, opening
        assert "Para seguir más tarde, escriba:" in rest
    else:
        assert index == 1 and "step 1 of" in opening, opening
        assert "\x1b" not in (again.before or "") and "[? more" not in opening
    saved = store.read_progress(Locations.resolve(home=home))
    assert saved is not None and saved.count() == 0  # "quit" and "salir" were never answers


def test_settings_show_change_and_are_used(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "settings")
    assert code == 0 and "language: not set" in out and "plain: not set" in out
    assert invoke(capsys, "settings", "language", "es")[0] == 0
    assert invoke(capsys, "settings", "plain", "on")[0] == 0
    code, out, _ = invoke(capsys, "settings")
    assert "language: es (español)" in out and "plain: on" in out
    code, out, _ = invoke(capsys, "status")
    assert code == 0 and "Sus listas:" in out, out
    assert "[" not in out and "->" not in out  # plain: words, no bars or arrows
    code, out, _ = invoke(capsys, "--lang", "en", "status")  # the option wins
    assert "Your lists" in out
    code, _, err = invoke(capsys, "settings", "plain", "maybe")
    assert code == 2 and "plain" in err
    code, _, err = invoke(capsys, "settings", "colour", "red")
    assert code == 2 and "language, plain" in err


def test_settings_are_never_health_information_and_keep_the_file_readable(
    locations: Locations, capsys: pytest.CaptureFixture[str]
) -> None:
    assert invoke(capsys, "settings", "language", "es")[0] == 0
    data = locations.progress_file.read_bytes()
    assert b'"settings": {\n    "language": "es"\n  }' in data
    assert store.read_progress(locations) is None  # a setting alone is no progress


def test_an_unknown_lang_is_refused_in_the_language_the_patient_reads(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    code, _, err = invoke(capsys, "--lang", "fr", "status")
    assert code == 2 and "no es un idioma de foracheck" in err


def test_hints_repeat_home_and_checklists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home, extra = tmp_path / "ana home", tmp_path / "lists"
    extra.mkdir()
    code, out, _ = invoke(capsys, "--home", str(home), "--checklists", str(extra), "status")
    assert code == 0
    said = " ".join(out.split())
    expected = f"--home {shlex.quote(str(home))} --checklists {shlex.quote(str(extra))} start"
    assert expected in said


def test_the_settings_read_takes_as_much_as_the_store_does() -> None:
    from foracheck import remembered

    assert remembered.PROGRESS_LIMIT == store.MAX_PROGRESS_BYTES
