"""Guarantee 13: no hostile byte reaches a screen or a document.

Two lines of defence, each tested on its own: text that could steer a terminal
(ESC, C1 and other controls, DEL, bidirectional overrides and isolates, text
that is not valid Unicode) is refused where it enters (checklist files,
answers, notes, the progress file), and every renderer and screen replaces it
anyway. The end-to-end tests run every command in a real terminal (a pty, in
this process: ``run_in_a_terminal`` gives the bytes a process gives, compared
byte for byte on 28 commands) and look at every byte it wrote; the walk that is
typed into stays a process.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pexpect
import pytest
from helpers import DATA, run_here, run_in_a_terminal
from pty_terminal import Terminal

from foracheck import screens, store, ui
from foracheck.catalog import Catalog
from foracheck.listing import as_json, as_table
from foracheck.loader import Problem, parse_checklist
from foracheck.model import (
    Answer,
    Checklist,
    InvalidAnswerError,
    Item,
    Progress,
    ShowIf,
    Source,
    Window,
    parse_answer,
)
from foracheck.paths import Locations
from foracheck.render import RENDERERS, Options, render
from foracheck.safetext import STAND_IN, json_safe, shown, unsafe_character

ESCAPES = DATA / "escapes.yaml"
# What must never come out raw, as UTF-8 bytes: ESC, C0 controls but tab, line
# feed, carriage return (a pty turns "\n" into "\r\n") and form feed (the text
# form's page break), DEL, C1 controls, bidi overrides and isolates.
RAW_HOSTILE = re.compile(
    rb"[\x00-\x08\x0b\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)
PAYLOADS = [
    "\x1b[2J",  # clear the screen
    "\x1b]0;PWNED\x07",  # retitle the window
    "\x9b8m",  # C1 CSI: hide what follows
    "\x7f",
    "\x00",
    "\x08",
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
]
HOSTILE = "Take " + "".join(PAYLOADS) + " pills"
NOT_UNICODE = "caf\udce9 \ud800"  # a Latin-1 byte from argv or a terminal; a lone surrogate
TIMEOUT = 20


def assert_clean(output: bytes) -> None:
    found = RAW_HOSTILE.search(output)
    assert found is None, f"{found.group()!r} at {found.start()}: {output[:2000]!r}"
    assert b"Traceback" not in output


# -- the one definition --------------------------------------------------------------------


@pytest.mark.parametrize("payload", [*PAYLOADS, "\ud800", "\udcff", "\u202a", "\u2069", "\x85"])
def test_every_hostile_character_is_unsafe_everywhere(payload: str) -> None:
    assert unsafe_character(f"a{payload}b", multiline=True) is not None
    assert unsafe_character(f"a{payload}b", multiline=False) is not None
    assert payload[0] not in shown(f"a{payload}b") and STAND_IN in shown(f"a{payload}b")


def test_tabs_and_line_breaks_only_where_text_may_have_several_lines() -> None:
    for allowed in ("\t", "\n", "\r\n", "\r"):
        assert unsafe_character(f"a{allowed}b", multiline=True) is None
        assert unsafe_character(f"a{allowed}b", multiline=False) is not None
    assert shown("one\r\ntwo\rthree") == "one\ntwo\nthree"
    assert shown("one\ntwo\tthree", multiline=False) == f"one{STAND_IN}two{STAND_IN}three"


def test_direction_marks_are_allowed_for_right_to_left_languages() -> None:
    for mark in ("\u200e", "\u200f", "\u061c"):
        assert unsafe_character(f"\u05e9\u05dc\u05d5\u05dd{mark}!", multiline=False) is None


def test_the_description_names_the_code_point_not_the_text() -> None:
    assert unsafe_character("secret \x1b[2J", multiline=False) == "U+001B, a control character"
    assert unsafe_character("x\u202ey", multiline=False) == "U+202E, a bidirectional control"
    assert unsafe_character("caf\udce9", multiline=False) == "U+DCE9, not valid Unicode text"


def test_json_safe_escapes_what_json_leaves_raw_and_keeps_the_data() -> None:
    data = {"text": HOSTILE + NOT_UNICODE + "\u0085"}
    encoded = json_safe(json.dumps(data, ensure_ascii=False))
    assert unsafe_character(encoded, multiline=False) is None
    assert json.loads(encoded) == data


# -- refused where it enters: checklist files ----------------------------------------------

LINE = re.compile(r"^[^\n]+:(\d+):(\d+): [^\n]+$")


def test_the_hostile_fixture_is_refused_once_per_string_at_its_place() -> None:
    checklist, problems = parse_checklist(ESCAPES.read_bytes(), ESCAPES)
    assert checklist is None
    lines = ESCAPES.read_text(encoding="utf-8").splitlines()
    hostile_lines = [
        number
        for number, line in enumerate(lines, start=1)
        if not line.startswith("#")
        and re.search(r"\\e|\\x9b|\\x7f|\\t|\\u202e|[\u202a-\u202e\u2066-\u2069]", line)
    ]
    assert sorted({problem.line for problem in problems}) == hostile_lines
    assert len(problems) == len(hostile_lines)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        (r'"\e[2J"', "U+001B"),
        (r'"\x1b]0;x\a"', "U+001B"),
        (r'"\x9b2J"', "U+009B"),
        (r'"\x7f"', "U+007F"),
        (r'"\u202e"', "U+202E"),
        (r'"\u2066x\u2069"', "U+2066"),
        (r'"\0"', "U+0000"),
        (r'"\b"', "U+0008"),
        ("raw \u202e override", "U+202E"),
        ("raw \u2067 isolate", "U+2067"),
    ],
)
@pytest.mark.parametrize("field", ["title", "intro", "text", "details", "key"])
def test_each_hostile_string_is_one_problem_where_it_stands(
    written: str, code: str, field: str
) -> None:
    one_item = "items: [{id: a, type: task, text: t}]\n"
    item = "format: 1\nid: x\ntitle: t\nitems:\n- id: a\n  type: task\n"
    text = {
        "title": f"format: 1\nid: x\ntitle: {written}\n{one_item}",
        "intro": f"format: 1\nid: x\ntitle: t\nintro: {written}\n{one_item}",
        "text": f"{item}  text: {written}\n",
        "details": f"{item}  text: t\n  details: {written}\n",
        "key": f"format: 1\nid: x\ntitle: t\n{written}: 1\n{one_item}",
    }[field]
    checklist, problems = parse_checklist(text.encode(), Path("x.yaml"))
    assert checklist is None
    assert len(problems) == 1, problems
    line = problems[0].format("x.yaml")
    assert LINE.match(line) and code in line and unsafe_character(line, False) is None
    expected_line = 1 + text.split(written)[0].count("\n")
    assert problems[0].line == expected_line


def test_one_line_text_refuses_a_tab_that_details_may_hold() -> None:
    item = '{id: a, type: task, text: t, details: "a\\tb"}'
    text = f'format: 1\nid: x\ntitle: "a\\tb"\nitems: [{item}]\n'
    _, problems = parse_checklist(text.encode(), Path("x.yaml"))
    assert [(problem.line, "U+0009" in problem.message) for problem in problems] == [(3, True)]


def test_a_problem_line_is_one_line_whatever_the_path_and_message_hold() -> None:
    line = Problem(3, 4, "unknown key 'a\nb\x1b[2J\u202e'").format("dir\n\x1b]0;x\x07/f.yaml")
    assert "\n" not in line and unsafe_character(line, multiline=False) is None
    assert line.endswith(":3:4: unknown key 'a\ufffdb\ufffd[2J\ufffd'")


# -- refused where it enters: answers -------------------------------------------------------

TEXT_ITEM = Item("which", "text", "Which medicines?")


@pytest.mark.parametrize("typed", [*PAYLOADS, "\ud800", "caf\udce9", "tab\there"])
def test_a_hostile_text_answer_is_refused_without_repeating_it(typed: str) -> None:
    with pytest.raises(InvalidAnswerError) as refused:
        parse_answer(TEXT_ITEM, f"Aspirin {typed} daily")
    assert "Aspirin" not in str(refused.value)
    assert unsafe_character(str(refused.value), multiline=False) is None


def test_direction_marks_in_an_answer_are_kept() -> None:
    assert parse_answer(TEXT_ITEM, "\u05d0\u05e1\u05e4\u05d9\u05e8\u05d9\u05df\u200f") == (
        "\u05d0\u05e1\u05e4\u05d9\u05e8\u05d9\u05df\u200f"
    )


# -- refused where it enters: the progress file ---------------------------------------------


def progress_document(answer: str, note: str | None) -> bytes:
    """A progress file as foracheck writes it, with this answer and note to one item."""
    answers = {"which-medicines": {"answer": answer, "answered_at": "2026-01-01T10:00:00+00:00"}}
    answers["which-medicines"]["note"] = note  # type: ignore[assignment]
    document = {
        "schema": store.SCHEMA_VERSION,
        "saved_by": "foracheck",
        "surgery_date": None,
        "welcomed": True,
        "lists": {"tell-your-surgeon": {"version": None, "answers": answers}},
    }
    return json.dumps(document).encode("ascii")  # JSON escapes: "\u001b", "\ud800"


@pytest.mark.parametrize(
    ("answer", "note"),
    [("Aspirin", HOSTILE), (HOSTILE, None), ("Aspirin \ud800", None), ("Aspirin", "\udcff")],
)
def test_a_progress_file_with_hostile_text_is_damaged_not_read(
    answer: str, note: str | None
) -> None:
    with pytest.raises(ValueError):  # store._Unreadable: the corrupt-file path
        store.decode(progress_document(answer, note))


def test_a_progress_file_with_tabs_and_line_breaks_in_a_note_still_reads() -> None:
    progress = store.decode(progress_document("Aspirin", "line one\r\nline\ttwo\rthree"))
    assert progress.answer("tell-your-surgeon", "which-medicines") is not None


# -- replaced anyway: every renderer and screen ----------------------------------------------


def hostile_model() -> tuple[Checklist, Progress]:
    """A checklist and answers holding every payload, as if they had got past the loader."""
    items = (
        Item("tablets", "yesno", HOSTILE, details=HOSTILE + "\n" + HOSTILE, tell_surgeon="yes"),
        Item("which", "text", HOSTILE, show_if=ShowIf("tablets", "yes")),
        Item("bag", "task", HOSTILE + NOT_UNICODE),
        Item("later", "task", HOSTILE, critical=True),  # open: the calendar holds only these
    )
    checklist = Checklist(
        id="escapes",
        title=HOSTILE,
        items=items,
        intro=HOSTILE,
        source=Source(HOSTILE, "https://example.org/" + HOSTILE, "2024-01-01"),
        path=Path("/clinic/\x1b[2J.yaml"),
        when=Window(-7, -1),
    )
    answers = {
        "tablets": Answer("yes", "2026-01-01T10:00:00+00:00", HOSTILE + NOT_UNICODE),
        "which": Answer(HOSTILE + NOT_UNICODE, "2026-01-01T10:00:00+00:00", HOSTILE),
        "bag": Answer("done", "2026-01-01T10:00:00+00:00", "\r\n".join(PAYLOADS)),
    }
    return checklist, Progress(date(2026, 2, 1), {"escapes": answers})


@pytest.mark.parametrize(
    ("purpose", "name"),
    [(purpose, name) for purpose, names in RENDERERS.items() for name in names],
)
@pytest.mark.parametrize("blank", [False, True])
def test_every_renderer_replaces_hostile_characters(purpose: str, name: str, blank: bool) -> None:
    checklist, progress = hostile_model()
    before = datetime(2026, 1, 20, 12, 0, tzinfo=timezone.utc)  # a fixed day, before surgery
    output = render(purpose, name, [checklist], progress, Options(before, blank=blank))  # type: ignore[arg-type]
    assert_clean(output.encode("utf-8"))  # strict UTF-8: no lone surrogate either
    assert "pills" in output  # the text around the payloads is still there


def test_the_json_export_keeps_every_character_as_an_escape() -> None:
    checklist, progress = hostile_model()
    document = json.loads(render("export", "json", [checklist], progress, Options()))
    assert document["checklists"][0]["title"] == HOSTILE


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """What Rich writes, as a colour terminal would get it."""
    from rich.console import Console

    written = io.StringIO()
    console = Console(file=written, force_terminal=True, color_system="truecolor", width=60)
    monkeypatch.setattr(ui, "console", lambda stderr=False: console)
    return written


SGR = re.compile(rb"\x1b\[[0-9;]*m")  # Rich's own colours and bold; no payload is one


def test_every_screen_replaces_hostile_characters(screen: io.StringIO) -> None:
    checklist, progress = hostile_model()
    prompter = ui.TerminalPrompter()
    prompter.list_intro(checklist, due=True)
    prompter.summary([checklist], progress, [], date(2026, 1, 25))
    prompter.notice(HOSTILE)
    output = screen.getvalue().encode("utf-8")
    assert SGR.search(output)  # the colours are there, so the check below means something
    assert_clean(SGR.sub(b"", output))
    assert b"pills" in output


@pytest.mark.parametrize("surgery", [None, date(2026, 1, 20), date(2026, 2, 25)])
def test_the_status_and_show_screens_replace_hostile_characters(surgery: date | None) -> None:
    checklist, progress = hostile_model()
    progress = dataclasses.replace(progress, surgery_date=surgery)
    where = Path("/home/\x1b[2J/progress.json")
    lines = screens.status_lines([checklist], progress, date(2026, 1, 25), where)
    lines += screens.checklist_lines(checklist, progress)
    output = "\n".join(lines)
    assert_clean(output.encode("utf-8"))
    assert "pills" in output
    assert "\ufffd[2J/progress.json" in output


def test_the_list_table_and_json_are_clean() -> None:
    checklist, _ = hostile_model()
    catalog = Catalog((checklist,))
    assert_clean(as_table(catalog).encode("utf-8"))
    assert_clean(as_json(catalog).encode("utf-8"))


# -- end to end: every command in a real terminal ----------------------------------------------


def terminal_env(home: Path) -> dict[str, str]:
    """What each end-to-end run adds to the environment: its data folder, a colour
    terminal, no colours (so that every escape code in the output is one it must not be)."""
    return {"FORACHECK_HOME": str(home), "TERM": "xterm-256color", "NO_COLOR": "1"}


def in_terminal(*args: str, home: Path) -> tuple[int, bytes]:
    """foracheck run in a real terminal (a pty, echo off): its exit code and every byte
    the terminal got."""
    return run_in_a_terminal(*args, env=terminal_env(home), size=(40, 100), timeout=TIMEOUT)


def in_a_process(*args: str, home: Path) -> tuple[int, bytes]:
    """The same as ``in_terminal``, but ``python -m foracheck`` in a pty of its own."""
    env = {**os.environ, **terminal_env(home)}
    child = Terminal(
        sys.executable,
        ["-m", "foracheck", *args],
        env=env,
        echo=False,
        timeout=TIMEOUT,
        dimensions=(40, 100),
    )
    output = child.read()
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return child.exitstatus, output


@pytest.mark.parametrize(
    "args",
    [
        ["--checklists", str(ESCAPES), "status"],
        ["mark", "tell-your-surgeon", "\x1b[2J", "done"],
        ["mark", "tell-your-surgeon", "which-medicines", os.fsdecode(b"caf\xe9")],
        ["status"],
        ["print"],
    ],
    ids=repr,
)
def test_a_terminal_in_this_process_gets_what_a_process_gives_a_terminal(
    tmp_path: Path, args: list[str]
) -> None:
    """``in_terminal`` stands for a process: the same code and bytes, byte for byte."""
    assert in_terminal(*args, home=tmp_path / "here") == in_a_process(*args, home=tmp_path / "p")


COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", "escapes"],
    ["show", "day-of"],
    ["status"],
    ["status", "--json"],
    ["print"],
    ["print", "--format", "markdown"],
    ["print", "--format", "html"],
    ["print", "--blank"],
    ["export"],
    ["export", "--format", "json"],
    ["form"],
    ["mark", "escapes", "esc-text", "done"],
    ["start"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_hostile_checklist_never_reaches_the_terminal(tmp_path: Path, command: list[str]) -> None:
    code, output = in_terminal("--checklists", str(ESCAPES), *command, home=tmp_path / "home")
    assert code == 65
    assert_clean(output)
    assert b"cannot be shown safely (U+001B, a control character)" in output


def test_validate_shows_one_clean_line_per_problem(tmp_path: Path) -> None:
    code, output = in_terminal("validate", str(ESCAPES), home=tmp_path / "home")
    assert code == 65
    assert_clean(output)
    lines = output.decode("utf-8").splitlines()
    problems, summary = lines[:-1], lines[-1]
    assert all(LINE.match(line) for line in problems), lines
    assert summary == f"Found {len(problems)} problems in checklist files."
    assert len(problems) == len(parse_checklist(ESCAPES.read_bytes(), ESCAPES)[1])


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_no_output_file_is_written_from_a_hostile_checklist(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "form.out"
    args = ("--checklists", str(ESCAPES), "print", "--format", fmt, "--output", str(out))
    code, output = in_terminal(*args, home=tmp_path / "home")
    assert (code, out.exists()) == (65, False)
    assert_clean(output)


PROGRESS_COMMANDS = [
    ["show", "tell-your-surgeon"],
    ["status"],
    ["status", "--json"],
    ["print"],
    ["print", "--format", "markdown"],
    ["print", "--format", "html"],
    ["export"],
    ["export", "--format", "json"],
    ["form"],
    ["mark", "tell-your-surgeon", "which-medicines", "Aspirin"],
]


@pytest.mark.parametrize("command", PROGRESS_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("kind", ["escapes", "not-unicode"])
def test_hostile_answers_in_a_progress_file_never_reach_the_terminal(
    tmp_path: Path, command: list[str], kind: str
) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    planted = (
        progress_document(HOSTILE, HOSTILE)
        if kind == "escapes"
        else progress_document("Aspirin \ud800", NOT_UNICODE)
    )
    (home / "progress.json").write_bytes(planted)
    code, output = in_terminal(*command, home=home)
    assert code == 65, output
    assert_clean(output)
    assert b"pills" not in output and b"Aspirin" not in output
    assert not (home / "progress.json").exists()  # moved aside, as any damaged file is
    assert [p.read_bytes() for p in home.glob("progress.json.corrupt-*")] == [planted]


@pytest.mark.parametrize(
    "arguments",
    [
        ["which-medicines", "Aspirin \x1b[2J"],
        ["which-medicines", "Aspirin \x9b8m"],
        ["which-medicines", "Aspirin \u202e"],
        ["which-medicines", os.fsdecode(b"caf\xe9")],  # a Latin-1 byte in argv
        ["which-medicines", "Aspirin", "--note", "\x1b]0;PWNED\x07"],
        ["which-medicines", "Aspirin", "--note", os.fsdecode(b"seen \xff")],
        ["\x1b[2J", "done"],
        [os.fsdecode(b"\xff"), "done"],
    ],
    ids=repr,
)
def test_mark_refuses_hostile_text_with_a_sentence(tmp_path: Path, arguments: list[str]) -> None:
    home = tmp_path / "home"
    code, output = in_terminal("mark", "tell-your-surgeon", *arguments, home=home)
    assert code == 2, output
    assert_clean(output)
    assert b"Aspirin" not in output and b"PWNED" not in output and b"seen" not in output
    assert not (home / "progress.json").exists()


@pytest.mark.parametrize(
    "arguments",
    [
        ["start", "--surgery-date", "\x1b[2J"],
        ["--checklists", "/nowhere/\x1b]0;PWNED\x07", "list"],
        ["show", "\x9b2J"],
        ["\x1b[2J"],
        ["show", "--bogus\x1b[2J"],
    ],
    ids=repr,
)
def test_mistyped_arguments_are_never_echoed_raw(tmp_path: Path, arguments: list[str]) -> None:
    code, output = in_terminal(*arguments, home=tmp_path / "home")
    assert code in (2, 66), output
    assert_clean(output)


MINI = """\
format: 1
id: mini
title: Mini list
items:
  - id: words
    type: text
    text: Which medicines?
  - id: bag
    type: task
    text: Pack a bag.
"""


def test_the_walk_asks_again_after_hostile_or_undecodable_typing(tmp_path: Path) -> None:
    checklist = tmp_path / "mini.yaml"
    checklist.write_text(MINI, encoding="utf-8")
    home = tmp_path / "home"
    env = {**os.environ, **terminal_env(home)}
    child = Terminal(
        sys.executable,
        ["-m", "foracheck", "--checklists", str(checklist), "start", "mini"],
        env=env,
        echo=False,
        timeout=TIMEOUT,
    )
    written = io.BytesIO()
    child.logfile_read = written
    child.expect("Surgery date: ")
    child.send(b"\r")
    for typed in (b"caf\xe9", b"\x1b[2J \xc2\x9b8m", "\u202e".encode(), b"Aspirin\x1b]0;x\x07"):
        child.expect("> ")
        child.send(typed + b"\r")
        child.expect("cannot be shown safely")
        child.expect("Which medicines")  # the same question again
    child.expect("> ")
    child.send(b"Aspirin\r")
    child.expect("Pack a bag")
    child.expect("> ")
    child.send(b"q\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert_clean(written.getvalue())
    saved = store.read_progress(Locations.resolve(home=home))
    assert saved is not None
    assert saved.answer("mini", "words") == Answer(
        "Aspirin", saved.answers["mini"]["words"].answered_at
    )


def test_validate_names_a_hostile_file_name_without_its_escape(tmp_path: Path) -> None:
    """A clinic folder may hold a file whose very name carries ESC: the ok line replaces it."""
    folder = tmp_path / "clinic"
    folder.mkdir()
    name = folder / "x\x1b[2J.yaml"
    name.write_text("format: 2\nid: esc\ntitle: T\nitems:\n  - {id: a, type: task, text: A.}\n")
    result = run_here("validate", str(folder))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    assert ": ok (esc, 1 item)" in result.stdout
