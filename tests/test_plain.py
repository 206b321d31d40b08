"""The plain (screen-reader) mode, and critical steps, as a patient meets them.

A whole walk runs in a real terminal (a pty) with every byte kept: the output
must only ever grow (no ESC, no carriage return without its newline, no box,
block or dingbat glyph), every prompt must say in words where the patient is
and what they may type, and every answer is confirmed once. Then the same
patient runs ``status``, ``print`` and ``export --require-critical``.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pexpect
import pytest
from helpers import DATA, GOLDEN, run_here
from pty_terminal import Terminal

from foracheck import accessible, store
from foracheck.paths import Locations

LIST = DATA / "critical.yaml"
TITLE = "The week before surgery"
TOTAL = 5
KEYS_WORDS = "a question mark for more, b to go back, date for your surgery date, q to stop."
# The keys are said once per list and on "?", not after every question (issue 20).
TASK_WORDS = "Type d for done, n for not yet, s if it does not apply."
YESNO_WORDS = "Type y for yes, n for no."
TEXT_WORDS = "Type your answer on one line, or say don't know if you do not know yet."
PROMPT = b"Your answer: "
REASON = "My surgeon told me I take none."
# Glyph-only marks: arrows, box drawing, block elements, geometric shapes,
# miscellaneous symbols and dingbats (check marks, crosses, bullets).
GLYPHS = re.compile("[\u2190-\u21ff\u2500-\u27bf]")
# (typed, what the walk must then say) for the whole walk over tests/data/critical.yaml.
WALK = [
    (
        "?",
        "More about this step: Aspirin and ibuprofen can thin the blood. You can type a question",
    ),
    ("s", None),  # critical: the reason is asked next
    (REASON, "Saved: does not apply, with your reason as a note."),
    ("maybe", "Not saved. Please answer yes (y) or no (n)."),
    ("n", "Saved: no."),
    ("n", "Saved: not yet."),
    ("aspirin 81 mg", "Saved: aspirin 81 mg."),
    ("d", "Saved: done."),
]


def spawn(*args: str, env: dict[str, str], columns: int = 80) -> pexpect.spawn:
    full = {**os.environ, "TERM": "xterm-256color", **env}
    for sizing in ("COLUMNS", "LINES", "NO_COLOR"):
        full.pop(sizing, None)
    full.update(env)
    return Terminal(
        sys.executable,
        ["-m", "foracheck", "--checklists", str(LIST), *args],
        env=full,
        dimensions=(24, columns),
        timeout=10,
    )


def squash(text: str) -> str:
    return " ".join(text.split())


def plain_walk(env: dict[str, str], columns: int = 80, *args: str) -> bytes:
    """The whole walk of WALK, typed at the prompts; every byte the terminal got."""
    child = spawn(*args, "start", "plain-walk", env=env, columns=columns)
    kept = bytearray()

    def until(*expected: bytes) -> None:
        child.expect_exact(list(expected))
        kept.extend(child.before + child.after)

    until(b"Surgery date: ")
    child.sendline("")
    for typed, _ in WALK:
        until(PROMPT, b"\r\nReason: ")
        child.sendline(typed)
    child.expect(pexpect.EOF)
    kept.extend(child.before)
    child.close()
    assert child.exitstatus == 0, bytes(kept).decode("utf-8", "replace")
    return bytes(kept)


def assert_append_only(output: bytes) -> str:
    """No byte that moves the cursor, recolours, redraws or draws; the text returned."""
    assert b"\x1b" not in output
    assert not re.search(rb"\r(?!\n)", output), "a carriage return without its newline"
    controls = set(re.findall(rb"[\x00-\x09\x0b-\x0c\x0e-\x1f\x7f]", output))
    assert not controls, f"control bytes: {controls}"
    text = output.decode("utf-8")
    assert not GLYPHS.search(text), GLYPHS.findall(text)
    return text.replace("\r\n", "\n")


def prompts(text: str) -> list[str]:
    """What was said before each "Your answer:" (since the previous one), squashed."""
    return [squash(part) for part in text.split("Your answer: ")[:-1]]


@pytest.mark.parametrize(
    ("env", "args"),
    [({"ACCESSIBLE": "1"}, ()), ({}, ("--plain",)), ({"TERM": "dumb"}, ())],
    ids=["accessible-env", "plain-option", "dumb-terminal"],
)
def test_a_whole_plain_walk_is_append_only_and_said_in_words(
    env: dict[str, str], args: tuple[str, ...], locations: Locations
) -> None:
    text = assert_append_only(plain_walk(env, 80, *args))
    said = prompts(text)
    expected_steps = [1, 1, 2, 2, 3, 4, 5]  # "?" and the wrong answer ask the same step again
    assert len(said) == len(expected_steps)
    for prompt, step in zip(said, expected_steps, strict=True):
        assert f"{TITLE}, step {step} of {TOTAL}." in prompt
        words = {1: TASK_WORDS, 2: YESNO_WORDS, 3: TASK_WORDS, 4: TEXT_WORDS, 5: TASK_WORDS}
        assert prompt.endswith(words[step]), prompt
        assert ("Important:" in prompt) == (step in (1, 2, 3))
    helps = sum(1 for typed, _ in WALK if typed == "?")
    assert squash(text).count(KEYS_WORDS) == 1 + helps  # the list's start, and each "?"
    for _, confirmation in WALK:
        if confirmation is not None:
            assert squash(text).count(confirmation) == 1, confirmation
    assert squash(text).count("Saved:") == 5  # one confirmation per answer, no more
    summary = squash(text.split("Summary")[1])
    assert summary.startswith(
        "Important steps still open (1): The week before surgery, step 3: "
        "Ask someone to drive you home."
    )
    surgeon = "Tell your surgeon: 1 thing. Which medicines do you take? "
    surgeon += "You answered: aspirin 81 mg."
    assert surgeon in summary
    answer = store.read_progress(locations)
    assert answer is not None
    skipped = answer.answer("plain-walk", "blood-thinners")
    assert skipped is not None and (skipped.value, skipped.note) == ("skip", REASON)


def test_a_narrow_ascii_dumb_terminal_keeps_every_word() -> None:
    env = {"TERM": "dumb", "PYTHONIOENCODING": "ascii", "LANG": "C", "LC_ALL": "C"}
    text = assert_append_only(plain_walk(env, 40))
    lines = text.split("\n")
    assert max(len(line) for line in lines) <= 40
    for prompt in prompts(text):
        assert prompt.endswith(("it does not apply.", "n for no.", "do not know yet."))
    assert KEYS_WORDS in squash(text)
    assert "Saved: done." in squash(text)


def _named(text: str, before: str, value: str, after: str, name: str) -> str:
    """``text`` with ``before value after`` (``value`` wrapped over lines anywhere, even
    mid-word; the words around it wrapped at spaces) written on one line as
    ``before name after``. It must be there exactly once."""
    wrapped = "\n?".join(map(re.escape, value))
    pattern = r"\s+".join(map(re.escape, before.split())) + r"\s+" + wrapped
    pattern += "".join(r"\s+" + re.escape(word) for word in after.split())
    found = list(re.finditer(pattern, text))
    assert len(found) == 1, (before, value, after)
    one_line = " ".join([before, name, after]).replace("  ", " ").strip()
    return text[: found[0].start()] + one_line + text[found[0].end() :]


def test_the_plain_walk_reads_as_the_golden_transcript(locations: Locations) -> None:
    """The words of a whole plain walk, pinned: tests/golden/plain-walk.txt (also what
    tests/data/plain-walk.espeak.txt was made from, to show how it sounds)."""
    text = assert_append_only(plain_walk({"ACCESSIBLE": "1"}))
    # The data folder's path and the interpreter the closing hint names (the child runs
    # as python -m foracheck) differ per clone and per run, and wrap wherever they
    # happen to: each is unwrapped, checked to be what it must be, then named.
    text = _named(text, "saved in", str(locations.progress_file), "", "PROGRESS_FILE")
    # The hint repeats the --checklists in effect (the list's path, likewise unwrapped).
    text = _named(text, "run:", sys.executable, "-m foracheck --checklists", "")
    text = _named(text, "--checklists", str(LIST), "start", "CHECKLISTS")
    text = text.replace("run: -m foracheck --checklists", "run: foracheck --checklists")
    # The ending names 'foracheck status' the same way, in quotes.
    text = _named(text, "still open:", "'" + sys.executable, "-m foracheck --checklists", "")
    # The words after a path wrap wherever its length leaves them: up to the line's end.
    text = _named(text, "--checklists", str(LIST), "status' shows it.", "CHECKLISTS")
    text = text.replace("open: -m foracheck --checklists", "open: 'foracheck --checklists")
    # The example date is built from today (four weeks on), so it changes every day.
    text = re.sub(
        r"for\s+example\s+\d{4}-\d\d-\d\d\s+for\s+\d+\s+\w+\s+\d{4},", "for example DATE,", text
    )
    golden = GOLDEN / "plain-walk.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_a_skipped_critical_step_then_status_print_and_export() -> None:
    """The patient's day after: the reason is on paper, and export fails on what is open."""
    checklists = ("--checklists", str(LIST))
    mark = ("mark", "plain-walk", "blood-thinners", "skip", "--note", REASON)
    assert run_here(*checklists, *mark).returncode == 0
    status = run_here(*checklists, "status", env={"ACCESSIBLE": "1"})
    assert status.returncode == 0 and "\x1b" not in status.stdout
    printed = run_here(*checklists, "print", "plain-walk", "--format", "text")
    assert f"[ ] Done  [x] Does not apply: {REASON}" in printed.stdout
    assert "[ ] Done  [ ] Does not apply: ____" in printed.stdout  # ride-home, still open
    export = run_here(*checklists, "export", "plain-walk", "--require-critical")
    assert export.returncode == 1
    assert export.stdout.startswith("# ")  # written first, as with --require-complete
    assert "2 critical steps are still open in plain-walk." in export.stderr
    for item, answer in (("feeling-sick", "no"), ("ride-home", "done")):
        assert run_here(*checklists, "mark", "plain-walk", item, answer).returncode == 0
    assert run_here(*checklists, "export", "plain-walk", "--require-critical").returncode == 0
    complete = run_here(*checklists, "export", "plain-walk", "--require-complete")
    assert complete.returncode == 1  # the other two steps are still open
    assert REASON not in export.stderr + complete.stderr


@pytest.mark.parametrize(
    ("flag", "environ", "plain"),
    [
        (False, {}, False),
        (True, {}, True),
        (False, {"ACCESSIBLE": "1"}, True),
        (False, {"ACCESSIBLE": "yes"}, True),
        (False, {"ACCESSIBLE": "0"}, False),
        (False, {"ACCESSIBLE": ""}, False),
        (False, {"TERM": "dumb"}, True),
        (False, {"TERM": "xterm", "NO_COLOR": "1"}, False),
    ],
)
def test_when_the_plain_mode_is_on(flag: bool, environ: dict[str, str], plain: bool) -> None:
    assert accessible.wanted(flag, environ) is plain


def test_the_decision_is_kept_for_every_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accessible, "_decided", None)
    monkeypatch.setenv("ACCESSIBLE", "1")
    assert accessible.plain_mode() is True
    assert accessible.decide(False, {}) is False
    assert accessible.plain_mode() is False  # decided: the environment is not read again


def test_the_normal_prompt_says_what_n_means(tmp_path: Path) -> None:
    child = spawn("start", "plain-walk", env={"NO_COLOR": "1"})
    child.expect_exact("Surgery date: ")
    child.sendline("")
    child.expect_exact("\r\n> ")
    first = squash(child.before.decode())
    assert "Important:" in first
    assert "done (d) | not yet (n) | does not apply (s)" in first
    child.sendline("d")
    child.expect_exact("\r\n> ")
    assert "yes (y) | no (n)" in squash(child.before.decode())
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_list_in_the_plain_mode_is_sentences() -> None:
    listed = run_here("--checklists", str(LIST), "--plain", "list")
    assert listed.returncode == 0
    assert listed.stdout.splitlines()[0].endswith(" checklists.")
    assert f"plain-walk: {TITLE}. 5 items, from {LIST}." in listed.stdout
    table = run_here("--checklists", str(LIST), "list").stdout
    assert table.startswith("ID ") and "plain-walk" in table


def test_ctrl_c_in_the_plain_mode_keeps_the_answer(locations: Locations) -> None:
    child = spawn("start", "plain-walk", env={"ACCESSIBLE": "1"})
    child.expect_exact(b"Surgery date: ")
    child.sendline("")
    child.expect_exact(PROMPT)
    child.sendline("d")
    child.expect_exact(PROMPT)
    child.sendline("n")
    child.expect_exact(PROMPT)
    child.sendline("s")  # a critical step: the reason is asked, nothing saved yet
    child.expect_exact(b"Reason: ")
    child.sendintr()
    child.expect(pexpect.EOF)
    kept = child.before
    child.close()
    assert child.exitstatus == 130 or child.signalstatus is not None
    assert b"\x1b" not in kept and b"Traceback" not in kept
    progress = store.read_progress(locations)
    assert progress is not None
    assert {k: a.value for k, a in progress.answers_for("plain-walk").items()} == {
        "blood-thinners": "done",
        "feeling-sick": "no",
    }


def test_a_yes_no_question_in_the_plain_mode_is_said_in_words(locations: Locations) -> None:
    far = (date.today() + timedelta(days=800)).isoformat()
    child = spawn("start", "plain-walk", "--surgery-date", far, env={"TERM": "dumb"}, columns=40)
    child.expect_exact(b"Type y for yes or n for no: ")
    asked = child.before
    child.sendline("y")
    child.expect_exact(PROMPT)
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = assert_append_only(asked)
    assert f"Is {far} right?" in squash(text)
    assert max(len(line) for line in text.split("\n")) <= 40
    progress = store.read_progress(locations)
    assert progress is not None and progress.surgery_date.isoformat() == far


def test_the_surgery_date_in_the_plain_mode_at_40_columns(locations: Locations) -> None:
    """'date' at a question: the date question in words, checked, saved, then the countdown."""
    soon = date.today() + timedelta(days=10)
    child = spawn("start", "plain-walk", env={"ACCESSIBLE": "1"}, columns=40)
    kept = bytearray()

    def until(expected: bytes) -> None:
        child.expect_exact(expected)
        kept.extend(child.before + child.after)

    until(b"Surgery date: ")
    child.sendline("")
    until(PROMPT)
    child.sendline("date")
    until(b"Surgery date: ")
    child.sendline("2026-11-31")
    until(b"Surgery date: ")
    child.sendline(soon.isoformat())
    until(PROMPT)
    child.sendline("q")
    child.expect(pexpect.EOF)
    kept.extend(child.before)
    child.close()
    assert child.exitstatus == 0
    text = assert_append_only(bytes(kept))
    assert max(len(line) for line in text.split("\n")) <= 40
    said = squash(text)
    assert "No surgery date is saved yet. To add it, type date at any question." in said
    assert "date to hear or change your surgery date" in said
    assert "'2026-11-31' is not a day in the calendar: November 2026 has 30 days." in said
    assert f"Surgery date saved: {soon.isoformat()}. Surgery in 10 days: " in said
    assert said.count(f"{TITLE}, step 1 of {TOTAL}.") == 2  # the same step, asked again
    progress = store.read_progress(locations)
    assert progress is not None and progress.surgery_date == soon
