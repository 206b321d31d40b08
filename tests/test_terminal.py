"""``foracheck start`` in a real terminal (a pty, through pexpect).

These drive the walk the way a patient does: typed answers, ``?``, ``b``,
``q``, Ctrl-C, Ctrl-D, a closed terminal and signals, on plain and narrow
terminals. After each session the progress file on disk is checked.
"""

from __future__ import annotations

import json
import os
import platform
import re
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pexpect
import pytest
from helpers import run_cli, run_here
from pty_terminal import Terminal

from foracheck import store
from foracheck.catalog import Catalog, load_catalog
from foracheck.invocation import python_words
from foracheck.model import Answer, Item, Progress, applicable_items
from foracheck.paths import Locations
from foracheck.timeline import day_text, window_of

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
POSITION = re.compile(
    r"^(?P<title>[^\r\n]+): step (?P<number>\d+) of (?P<total>\d+)"
    r"(?: \(list (?P<list>\d+) of (?P<lists>\d+)\))?\r?$",
    re.M,
)
TIMEOUT = 10
READ_SYSCALL = {"x86_64": "0", "aarch64": "63"}  # the read() system call's number
# A surgery date near enough that the walk does not ask whether the year is right.
SOON = date.today() + timedelta(days=40)


# The child runs as "python -m foracheck", so its hint names the interpreter the
# way this shell finds it (see foracheck.invocation).
GO_ON = f"To go on later, run: {python_words()} -m foracheck start"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(Locations.resolve(home=Path("/nonexistent")))


@dataclass
class Prompt:
    """An item prompt as the patient saw it."""

    title: str
    number: int
    total: int
    screen: str  # everything printed since the previous prompt, without escape codes

    def shows(self, text: str) -> bool:
        """Whether ``text`` is on screen, however the terminal wrapped it."""
        return squash(text) in squash(self.screen)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _default_interrupt() -> None:
    """Ctrl-C must reach the child even when pytest runs with SIGINT ignored
    (as a background job of a non-interactive shell does)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Session:
    """One ``python -m foracheck ...`` in a pty, with the whole output kept."""

    def __init__(
        self, *args: str, env: dict[str, str] | None = None, dimensions: tuple[int, int] = (24, 80)
    ) -> None:
        full_env = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        for sizing in ("COLUMNS", "LINES"):  # the pty's own size must decide the width
            full_env.pop(sizing, None)
        self.child = Terminal(
            sys.executable,
            ["-m", "foracheck", *args],
            env=full_env,
            dimensions=dimensions,
            encoding="utf-8",
            codec_errors="replace",
            timeout=TIMEOUT,
            preexec_fn=_default_interrupt,
        )
        self.output: list[str] = []

    def _seen(self) -> str:
        before = self.child.before if isinstance(self.child.before, str) else ""
        after = self.child.after if isinstance(self.child.after, str) else ""
        self.output.append(before + after)
        return ANSI.sub("", before)

    def expect(self, text: str) -> str:
        """Wait for ``text``; returns what came before it, without escape codes."""
        self.child.expect_exact(text)
        return self._seen()

    def prompt(self) -> Prompt:
        """Wait for the next item prompt."""
        self.child.expect_exact("\r\n> ")
        screen = self._seen()
        found = list(POSITION.finditer(screen))
        assert found, f"no position line before the prompt:\n{screen}"
        last = found[-1]
        return Prompt(last["title"], int(last["number"]), int(last["total"]), screen)

    def send(self, typed: str) -> None:
        self.child.sendline(typed)

    def wait_for_input(self) -> None:
        """Wait until the child is blocked reading its terminal.

        A signal that arrives after the prompt is printed but just before the
        read() starts is only acted on after the next Enter (a CPython race a
        person cannot hit, but a test sending at once can); so signals are sent
        once the child is really waiting, as a patient's would be.
        """
        read = READ_SYSCALL.get(platform.machine())
        deadline = time.monotonic() + 5
        while read is not None and time.monotonic() < deadline:
            try:
                fields = Path(f"/proc/{self.child.pid}/syscall").read_text().split()
            except OSError:
                break
            if fields[:2] == [read, "0x0"]:  # read(0, ...): waiting on standard input
                return
            time.sleep(0.01)
        time.sleep(0.3)  # no way to look: give it time

    def first_run(self, surgery_date: str = "") -> None:
        self.expect("Surgery date: ")
        self.send(surgery_date)

    def finish(self) -> tuple[int, str]:
        """Wait for the end; the exit code (128+N for a signal) and the last output."""
        self.child.expect(pexpect.EOF)
        rest = self._seen()
        self.child.close()
        if self.child.signalstatus is not None:
            return 128 + self.child.signalstatus, rest
        assert self.child.exitstatus is not None
        return self.child.exitstatus, rest

    @property
    def transcript(self) -> str:
        return "".join(self.output)


@pytest.fixture
def sessions() -> Iterator[list[Session]]:
    """Sessions started by a test; any still running at the end are killed."""
    started: list[Session] = []
    yield started
    for session in started:
        if session.child.isalive():
            session.child.close(force=True)


@pytest.fixture
def start(sessions: list[Session]):  # type: ignore[no-untyped-def]
    def spawn(
        *args: str, env: dict[str, str] | None = None, dimensions: tuple[int, int] = (24, 80)
    ) -> Session:
        session = Session("start", *args, env=env, dimensions=dimensions)
        sessions.append(session)
        return session

    return spawn


def saved(locations: Locations) -> Progress:
    progress = store.read_progress(locations)
    assert progress is not None
    return progress


def values(progress: Progress, list_id: str) -> dict[str, str]:
    return {item_id: answer.value for item_id, answer in progress.answers_for(list_id).items()}


def leftovers(home: Path) -> list[str]:
    return sorted(p.name for p in home.iterdir() if p.name.endswith((".tmp", ".lock")))


def ends_with(output: str, *lines: str) -> bool:
    """Whether the output ends with these lines, however the terminal wrapped them."""
    return squash(ANSI.sub("", output)).endswith(squash("".join(lines)))


def typed_answer(item: Item) -> tuple[str, str]:
    """What to type for an item, and how it is stored: every question answered yes."""
    if item.type == "task":
        return "d", "done"
    if item.type == "yesno":
        return "y", "yes"
    text = f"some text for {item.id}"
    return text, text


def seed(locations: Locations, catalog: Catalog, answers: dict[str, dict[str, str]]) -> None:
    """Progress as if the patient had been through the first run and answered these."""
    progress = Progress(welcomed=True)
    for list_id, items in answers.items():
        for item_id, value in items.items():
            progress = progress.with_answer(
                catalog.get(list_id), item_id, Answer(value, "2026-03-01T09:00:00+00:00")
            )
    with store.open_for_writing(locations) as writer:
        writer.save(progress)


# -- the whole walk ---------------------------------------------------------------------------


def test_a_whole_walk_through_every_bundled_list(
    start, locations: Locations, catalog: Catalog
) -> None:
    surgery = date.today() + timedelta(days=3)
    session = start("--all")  # every list now, not only what is due in 3 days
    welcome = session.expect("Surgery date: ")
    assert "Welcome to foracheck." in welcome
    assert "do not replace your care team's instructions" in squash_spaces(welcome)
    session.send(surgery.isoformat())

    expected: dict[str, dict[str, str]] = {}
    surgeon_lines: list[str] = []
    for checklist in catalog.checklists:
        given: dict[str, Answer] = {}
        expected[checklist.id] = {}
        for item in checklist.items:
            applies = applicable_items(checklist, given)
            if item not in applies:
                continue
            prompt = session.prompt()
            assert (prompt.title, prompt.number, prompt.total) == (
                checklist.title,
                applies.index(item) + 1,
                len(applies),
            ), item.id
            assert prompt.shows(item.text)
            if prompt.number == 1:
                begun = checklist.when and surgery + timedelta(checklist.when.start) <= date.today()
                intro = checklist.title + ("  (due now)" if begun else "")
                assert f"\n{intro}\r" in prompt.screen
            typed, stored = typed_answer(item)
            session.send(typed)
            given[item.id] = Answer(stored, "t")
            expected[checklist.id][item.id] = stored
            if item.type == "text" or (item.tell_surgeon and item.tell_surgeon == stored):
                surgeon_lines.append(f"{item.text} -> {stored}")

    code, rest = session.finish()
    assert code == 0
    summary = rest.split("Summary")[1]
    # Every step walked is answered, but the illness alerts below are still open: the
    # summary says so without the "well done" that would contradict the ending.
    assert "You answered every step of this walk." in summary
    assert "Everything for now is answered" not in rest
    surgeon = squash(summary.split("Tell your surgeon:")[1])
    for line in surgeon_lines:
        assert squash(line) in surgeon
    total = sum(len(items) for items in expected.values())
    # "yes" to an illness question needs action while its window is open: never "All done".
    # All three (the week before, the day before, the morning) were answered yes, and none
    # of their windows is over 3 days before surgery: each is said, in what-comes-first order.
    sick = catalog.get("week-before").item("sick-before-surgery")
    assert sick is not None and sick.alert is not None
    alerting = [
        (window_of(checklist, item), item.alert.text)
        for checklist in catalog.checklists
        for item in checklist.items
        if item.alert is not None and expected[checklist.id].get(item.id) == item.alert.answer
    ]
    assert alerting[0][1] == sick.alert.text and len(alerting) == 3
    assert all(w is not None and w.end is not None and w.end >= -3 for w, _ in alerting)
    ordered = [text for _, text in sorted(alerting, key=lambda a: a[0].end)]
    alerts = [f"Act now: {text}" for text in dict.fromkeys(ordered)]  # one line per action
    assert ends_with(
        rest,
        *alerts,
        f"{total} answers saved in {locations.progress_file}.",
        GO_ON,
    )
    progress = saved(locations)
    assert progress.surgery_date == surgery
    assert progress.welcomed is True
    for checklist in catalog.checklists:
        assert values(progress, checklist.id) == expected[checklist.id]
        assert progress.list_versions[checklist.id] == checklist.content_hash()
    assert leftovers(locations.home) == []
    assert "Traceback" not in session.transcript


def squash_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_quit_and_resume_at_the_first_open_item(start, locations: Locations) -> None:
    session = start()
    session.first_run()
    for typed in ("d", "s", "n"):
        session.prompt()
        session.send(typed)
    prompt = session.prompt()
    assert prompt.number == 4
    session.send("q")
    code, rest = session.finish()
    assert code == 0
    assert ends_with(
        rest,
        f"3 answers saved in {locations.progress_file}.",
        GO_ON,
    )
    assert values(saved(locations), "plan-ahead") == {
        "imaging-scan": "done",
        "nerve-shot": "skip",
        "other-conditions": "no",
    }

    again = start()
    prompt = again.prompt()  # no welcome and no date question the second time
    assert "Surgery date" not in prompt.screen
    assert (prompt.title, prompt.number, prompt.total) == (
        "Planning in the weeks before surgery",
        4,
        9,
    )
    assert prompt.shows("Do you smoke?")
    again.send("q")
    assert again.finish()[0] == 0


def test_resume_asks_not_yet_items_again(start, locations: Locations, catalog: Catalog) -> None:
    seed(locations, catalog, {"plan-ahead": {"imaging-scan": "not-yet", "nerve-shot": "done"}})
    session = start()
    prompt = session.prompt()
    assert prompt.number == 1
    assert "Saved answer: not yet (press Enter to keep it)" in prompt.screen
    session.send("d")
    prompt = session.prompt()
    assert prompt.number == 3  # nerve-shot is done, so it is not asked
    session.send("q")
    assert session.finish()[0] == 0
    assert values(saved(locations), "plan-ahead")["imaging-scan"] == "done"


def test_review_walks_answered_items(start, locations: Locations, catalog: Catalog) -> None:
    first, second = (item.id for item in catalog.get("day-of").items[:2])
    seed(locations, catalog, {"day-of": {first: "done", second: "skip"}})
    session = start("day-of", "--review")
    prompt = session.prompt()
    assert prompt.number == 1
    assert "Saved answer: done (press Enter to keep it)" in prompt.screen
    session.send("")
    prompt = session.prompt()
    assert prompt.number == 2
    assert "Saved answer: does not apply" in prompt.screen
    session.send("d")
    prompt = session.prompt()
    assert prompt.number == 3
    session.send("q")
    assert session.finish()[0] == 0
    assert values(saved(locations), "day-of") == {first: "done", second: "done"}


def test_back_and_change_an_answer(start, locations: Locations) -> None:
    session = start()
    session.first_run()
    session.prompt()
    session.send("d")
    session.prompt()
    session.send("d")
    prompt = session.prompt()
    assert prompt.number == 3
    session.send("b")
    prompt = session.prompt()
    assert prompt.number == 2
    assert "Saved answer: done (press Enter to keep it)" in prompt.screen
    session.send("s")
    prompt = session.prompt()
    assert prompt.number == 3
    session.send("q")
    assert session.finish()[0] == 0
    assert values(saved(locations), "plan-ahead") == {"imaging-scan": "done", "nerve-shot": "skip"}


def test_help_and_invalid_input(start, locations: Locations, catalog: Catalog) -> None:
    session = start()
    session.first_run()
    session.prompt()
    session.send("?")
    prompt = session.prompt()
    details = catalog.get("plan-ahead").items[0].details
    assert details is not None
    assert prompt.shows(details)
    assert prompt.number == 1
    session.send("maybe")
    prompt = session.prompt()
    assert "Please answer done (d), not yet (n) or does not apply (s)." in prompt.screen
    assert prompt.number == 1
    session.send(" DONE ")
    assert session.prompt().number == 2
    session.send("q")
    assert session.finish()[0] == 0
    assert values(saved(locations), "plan-ahead") == {"imaging-scan": "done"}


def test_a_follow_up_appears_and_disappears(start, locations: Locations) -> None:
    session = start()
    session.first_run()
    for _ in range(2):
        session.prompt()
        session.send("d")
    prompt = session.prompt()
    assert prompt.shows("Do you have diabetes, heart disease, or another health problem?")
    assert (prompt.number, prompt.total) == (3, 9)
    session.send("y")
    prompt = session.prompt()
    assert prompt.shows(
        "Ask your surgeon if you should see the doctor who treats your health problem."
    )
    assert (prompt.number, prompt.total) == (4, 10)
    session.send("d")
    prompt = session.prompt()
    assert prompt.shows("Do you smoke?")
    session.send("b")
    session.prompt()
    session.send("b")
    prompt = session.prompt()
    assert prompt.number == 3
    assert "Saved answer: yes" in prompt.screen
    session.send("n")
    prompt = session.prompt()
    assert prompt.shows("Do you smoke?")
    assert (prompt.number, prompt.total) == (4, 9)
    session.send("q")
    assert session.finish()[0] == 0
    # The hidden follow-up keeps its answer, in case "yes" comes back.
    assert values(saved(locations), "plan-ahead") == {
        "imaging-scan": "done",
        "nerve-shot": "done",
        "other-conditions": "no",
        "see-your-provider": "done",
    }


# -- interruptions ----------------------------------------------------------------------------


def _two_answers_then(session: Session) -> None:
    session.first_run()
    session.prompt()
    session.send("d")
    session.prompt()
    session.send("s")
    session.prompt()


@pytest.mark.parametrize(
    ("how", "code", "ending"),
    [
        ("ctrl-c", 130, "Stopped."),
        ("ctrl-d", 1, "Input ended."),
        ("sigterm", 143, "Stopped."),
        ("sighup", 129, "Stopped."),
    ],
)
def test_interrupted_at_a_prompt_keeps_every_answer(
    start, locations: Locations, how: str, code: int, ending: str
) -> None:
    session = start()
    _two_answers_then(session)
    if how != "ctrl-d":  # (Ctrl-D after a half line only ends that line)
        session.child.send("y")  # a half answer, never entered, must not be recorded
    session.wait_for_input()
    if how == "ctrl-c":
        session.child.sendintr()
    elif how == "ctrl-d":
        session.child.sendeof()
    elif how == "sigterm":
        session.child.kill(signal.SIGTERM)
    else:
        session.child.kill(signal.SIGHUP)
    exit_code, rest = session.finish()
    assert exit_code == code
    assert "Traceback" not in session.transcript
    assert ends_with(
        rest,
        ending,
        f"2 answers saved in {locations.progress_file}.",
        GO_ON,
    )
    assert values(saved(locations), "plan-ahead") == {"imaging-scan": "done", "nerve-shot": "skip"}
    assert leftovers(locations.home) == []


def test_ctrl_c_at_the_surgery_date_question(start, locations: Locations) -> None:
    session = start()
    session.expect("Surgery date: ")
    session.child.send("2026-1")  # half typed, never entered
    session.wait_for_input()
    session.child.sendintr()
    code, rest = session.finish()
    assert code == 130
    assert "Traceback" not in session.transcript
    assert ends_with(rest, "No answers are saved yet.", GO_ON)
    assert leftovers(locations.home) == []


def test_a_closed_terminal_keeps_every_answer(start, locations: Locations) -> None:
    session = start()
    _two_answers_then(session)
    session.wait_for_input()
    session.child.close(force=True)
    assert not session.child.isalive()
    assert values(saved(locations), "plan-ahead") == {"imaging-scan": "done", "nerve-shot": "skip"}
    assert leftovers(locations.home) == []


def test_mark_racing_a_running_start_exits_75(start, locations: Locations) -> None:
    session = start()
    _two_answers_then(session)
    before = locations.progress_file.read_bytes()
    result = run_cli("mark", "day-of", "arrive-on-time", "done")
    assert result.returncode == 75
    assert "another foracheck" in result.stderr
    assert locations.progress_file.read_bytes() == before
    reset = run_cli("reset", "--yes")
    assert reset.returncode == 75
    assert locations.progress_file.read_bytes() == before
    session.send("n")  # the walk goes on as if nothing happened
    session.prompt()
    session.send("q")
    assert session.finish()[0] == 0
    assert run_here("mark", "day-of", "arrive-on-time", "done").returncode == 0
    progress = saved(locations)
    assert len(values(progress, "plan-ahead")) == 3
    assert values(progress, "day-of") == {"arrive-on-time": "done"}


def test_a_second_start_exits_75(start, locations: Locations) -> None:
    first = start()
    _two_answers_then(first)
    second = start()
    code, rest = second.finish()
    assert code == 75
    assert "another foracheck" in rest
    first.send("q")
    assert first.finish()[0] == 0


# -- dates ------------------------------------------------------------------------------------


def test_first_run_asks_for_the_date_and_asks_again_when_it_is_bad(
    start, locations: Locations
) -> None:
    session = start("--all")  # nothing is due yet 40 days ahead
    session.expect("Surgery date: ")
    session.send("next tuesday")
    again = session.expect("Surgery date: ")
    assert "is not a date foracheck understands" in again
    assert "YYYY-MM-DD" in again
    session.send("2026-13-45")
    again = session.expect("Surgery date: ")
    assert "has no month 13" in again
    session.send(SOON.isoformat())
    session.prompt()
    session.send("q")
    assert session.finish()[0] == 0
    assert saved(locations).surgery_date == SOON


def test_surgery_date_option(start, locations: Locations) -> None:
    session = start("--all", "--surgery-date", SOON.isoformat())
    prompt = session.prompt()
    assert "Surgery date:" not in prompt.screen
    session.send("q")
    assert session.finish()[0] == 0
    assert saved(locations).surgery_date == SOON
    later = SOON + timedelta(days=7)
    session = start("--all", "--surgery-date", later.isoformat())  # changed later
    prompt = session.prompt()
    assert f"Surgery date saved: {later.isoformat()}." in prompt.screen
    session.send("q")
    assert session.finish()[0] == 0
    assert saved(locations).surgery_date == later


@pytest.mark.parametrize("columns", [80, 40])
def test_date_at_a_question_shows_and_changes_the_date(
    start, locations: Locations, catalog: Catalog, columns: int
) -> None:
    first, second = (c for c in catalog.checklists if c.id in ("week-before", "day-of"))
    session = start(first.id, second.id, dimensions=(24, columns))  # named: walked whole
    session.first_run()
    screen = squash(session.expect("\r\n> "))
    assert squash("No surgery date is saved yet. To add it, type date at any question.") in screen
    assert squash(f"{first.title}: step 1 of ") in screen
    assert squash("(list 1 of 2)") in screen
    session.send("date")
    asked = squash(session.expect("Surgery date: "))
    assert squash("No surgery date is saved yet.") in asked
    session.send("2026-02-30")
    assert "is not a day in the calendar" in squash_spaces(session.expect("Surgery date: "))
    session.send(SOON.isoformat())
    screen = squash(session.expect("\r\n> "))
    assert squash(f"Surgery date saved: {SOON.isoformat()}.") in screen
    assert squash(f"Surgery in 40 days: {day_text(SOON, date.today())}.") in screen
    assert squash(f"{first.title}: step 1 of ") in screen  # the same question again
    session.send("q")
    code, _ = session.finish()
    assert code == 0
    assert saved(locations).surgery_date == SOON  # saved at once, with no answer given
    assert values(saved(locations), first.id) == {}
    widths = [len(ANSI.sub("", line).rstrip("\r")) for line in session.transcript.split("\n")]
    assert max(widths) <= columns
    assert "Traceback" not in session.transcript


def test_resuming_says_welcome_back_and_the_countdown(
    start, locations: Locations, catalog: Catalog
) -> None:
    seed(locations, catalog, {"plan-ahead": {"imaging-scan": "done", "nerve-shot": "not-yet"}})
    total = sum(len(applicable_items(c, {})) for c in catalog.checklists)
    session = start("--all", "--surgery-date", SOON.isoformat())
    prompt = session.prompt()
    told = squash_spaces(prompt.screen)
    assert f"Welcome back: 1 of {total} answered." in told  # "not yet" is still to do
    assert f"Surgery in 40 days: {day_text(SOON, date.today())}." in told
    assert f"(list 1 of {len(catalog.checklists)})" in told
    session.send("q")
    assert session.finish()[0] == 0


def test_a_bad_surgery_date_option_exits_2(start, locations: Locations) -> None:
    session = start("--surgery-date", "06/07/2031")
    code, rest = session.finish()
    assert code == 2
    assert "YYYY-MM-DD" in rest
    assert not locations.home.exists()


def test_an_unknown_list_exits_2(start) -> None:
    code, rest = start("no-such-list").finish()
    assert code == 2
    assert "tell-your-surgeon" in rest


def test_past_due_items_stand_out(start, locations: Locations) -> None:
    today = date.today()  # steps meant for before surgery are late today, missed from tomorrow
    session = start("week-before", "--surgery-date", today.isoformat())
    prompt = session.prompt()
    assert "Past due: please do this as soon as you can." in prompt.screen
    session.send("q")
    assert session.finish()[0] == 0


# -- plain terminals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "env",
    [{"NO_COLOR": "1"}],
    ids=["no-color"],  # TERM=dumb turns the plain mode on: see test_plain.py
)
def test_plain_narrow_terminal(start, catalog: Catalog, env: dict[str, str]) -> None:
    session = start("tell-your-surgeon", env=env, dimensions=(24, 40))
    session.first_run()
    items = catalog.get("tell-your-surgeon").items
    prompt = session.prompt()
    assert prompt.shows(items[0].text)
    session.send("?")
    prompt = session.prompt()
    assert items[0].details is not None
    assert prompt.shows(items[0].details)
    session.send("n")
    prompt = session.prompt()
    assert prompt.shows(items[1].text)
    assert prompt.shows("yes (y) | no (n)")
    session.send("q")
    code, _ = session.finish()
    assert code == 0
    assert "\x1b[" not in session.transcript
    assert "Traceback" not in session.transcript
    # Lines are broken between words to fit the 40 columns (a dumb terminal included),
    # never left for the terminal to cut mid-word.
    widths = [len(line.rstrip("\r")) for line in session.transcript.split("\n")]
    assert max(widths) <= 40


def test_colour_terminal_uses_escape_codes(start) -> None:
    # The opposite of the test above, so that it can tell the difference.
    session = start("day-of")
    session.first_run()
    session.prompt()
    session.send("q")
    assert session.finish()[0] == 0
    assert "\x1b[" in session.transcript


@pytest.mark.parametrize(
    "env",
    [{"PYTHONIOENCODING": "ascii"}, {"LANG": "C", "LC_ALL": "C"}],
    ids=["ascii-io", "c-locale"],
)
def test_ascii_only_terminal_does_not_crash(
    start, locations: Locations, env: dict[str, str]
) -> None:
    session = start("tell-your-surgeon", env=env)
    session.first_run()
    session.prompt()
    session.send("n")
    session.prompt()
    session.send("y")
    prompt = session.prompt()
    assert prompt.shows("Which prescription medicines do you take?")
    session.send("Café Ünïcode ✓")
    ascii_only = env.get("PYTHONIOENCODING") == "ascii"
    if ascii_only:
        # The letters could not be read: asked again, nothing half-read is saved.
        assert "could not read what you typed" in session.expect("\r\n> ")
        session.send("Cafe")
    prompt = session.prompt()
    assert prompt.shows("Do you take any medicines that you buy without a prescription?")
    session.send("q")
    code, _ = session.finish()
    assert code == 0
    assert "Traceback" not in session.transcript
    answer = saved(locations).answer("tell-your-surgeon", "which-medicines")
    assert answer is not None
    assert answer.value == ("Cafe" if ascii_only else "Café Ünïcode ✓")


# -- an unreadable progress file at start -----------------------------------------------------


def _corrupt_with_backup(locations: Locations, catalog: Catalog) -> bytes:
    seed(locations, catalog, {"plan-ahead": {"imaging-scan": "done"}})
    seed(locations, catalog, {"plan-ahead": {"imaging-scan": "done", "nerve-shot": "skip"}})
    content = b'{"schema": 1, "lists": {"plan-ahead": '
    locations.progress_file.write_bytes(content)
    return content


def test_a_corrupt_file_at_start_is_kept_and_the_backup_offered(
    start, locations: Locations, catalog: Catalog
) -> None:
    content = _corrupt_with_backup(locations, catalog)
    session = start("--review")
    told = squash_spaces(session.expect("Restore it? (y/n): "))
    (kept,) = locations.home.glob("progress.json.corrupt-*")
    assert kept.read_bytes() == content
    assert "could not be read" in told
    assert squash(str(kept)) in squash(told)
    assert "There is a backup from" in told
    assert "with 1 answer" in told
    session.send("y")
    prompt = session.prompt()
    assert "Your backup is restored." in prompt.screen
    assert prompt.number == 1
    assert "Saved answer: done (press Enter to keep it)" in prompt.screen
    session.send("")
    session.prompt()
    session.send("q")
    assert session.finish()[0] == 0
    assert values(saved(locations), "plan-ahead") == {"imaging-scan": "done"}
    assert kept.read_bytes() == content


def test_a_corrupt_file_at_start_can_be_left_behind(
    start, locations: Locations, catalog: Catalog
) -> None:
    content = _corrupt_with_backup(locations, catalog)
    session = start()
    session.expect("Restore it? (y/n): ")
    session.send("n")
    session.first_run()  # a fresh start
    prompt = session.prompt()
    assert prompt.number == 1
    assert "Saved answer" not in prompt.screen
    session.send("d")  # two saves: a rotating backup would now have replaced the old one
    session.prompt()
    session.send("q")
    assert session.finish()[0] == 0
    (kept,) = locations.home.glob("progress.json.corrupt-*")
    assert kept.read_bytes() == content
    (declined,) = locations.home.glob("progress.json.bak-*")
    assert "The backup is kept at" in squash_spaces(session.transcript)
    assert values(store.decode(declined.read_bytes()), "plan-ahead") == {"imaging-scan": "done"}


def test_a_newer_file_at_start_is_left_untouched(start, locations: Locations) -> None:
    content = b'{"schema": 99, "lists": {}, "from": "the future"}\n'
    locations.home.mkdir()
    locations.progress_file.write_bytes(content)
    code, rest = start().finish()
    assert code == 65
    assert "upgrade foracheck" in squash_spaces(rest)
    assert "Traceback" not in rest
    assert locations.progress_file.read_bytes() == content
    assert not [p for p in locations.home.iterdir() if p.name.startswith("progress.json.")]


@pytest.mark.parametrize(("typed", "code"), [("n", 1), ("y", 0)])
def test_reset_in_a_terminal_asks_first(
    sessions: list[Session], locations: Locations, catalog: Catalog, typed: str, code: int
) -> None:
    seed(locations, catalog, {"day-of": {"arrive-on-time": "done"}})
    before = locations.progress_file.read_bytes()
    session = Session("reset")
    sessions.append(session)
    session.expect("[y/N]: ")
    session.send(typed)
    exit_code, rest = session.finish()
    assert exit_code == code
    kept = list(locations.home.glob("progress.json.reset-*"))
    if typed == "n":
        assert "Nothing was changed." in rest
        assert locations.progress_file.read_bytes() == before
        assert kept == []
    else:
        assert [k.read_bytes() for k in kept] == [before]
        assert squash(str(kept[0])) in squash(rest)
        assert store.read_progress(locations) is None  # a fresh, empty start


# -- a clinic edits a list between two sessions -------------------------------------------------

EDITED_DAY_OF = """\
format: 1
id: day-of
title: The day of surgery
items:
  - id: arrive-on-time
    type: task
    text: Get to the hospital on time.
  - id: bring-photo-id
    type: task
    text: Bring your photo ID.
"""


def test_an_edited_list_is_noticed_once_and_answers_stay_by_id(
    start, locations: Locations, catalog: Catalog, tmp_path: Path
) -> None:
    seed(locations, catalog, {"day-of": {"take-medicines": "done", "arrive-on-time": "done"}})
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "day-of.yaml").write_text(EDITED_DAY_OF, encoding="utf-8")
    env = {"FORACHECK_CHECKLISTS": str(clinic)}

    session = start("day-of", env=env)
    prompt = session.prompt()
    told = squash_spaces(prompt.screen)
    assert "The list 'The day of surgery' has changed since you last answered it." in told
    assert (
        "1 of your answers is for an item it no longer has, or no longer fits its item; "
        "it is kept but not shown." in told
    )
    assert (prompt.number, prompt.total) == (2, 2)  # arrive-on-time is still answered, by id
    assert prompt.shows("Bring your photo ID.")
    session.send("q")
    assert session.finish()[0] == 0
    kept = values(saved(locations), "day-of")
    assert kept == {"take-medicines": "done", "arrive-on-time": "done"}  # nothing dropped

    again = start("day-of", env=env)
    assert "has changed" not in again.prompt().screen  # told once, not at every start
    again.send("q")
    assert again.finish()[0] == 0


# -- a walk that follows the timeline ----------------------------------------------------------


def _reply_for(screen: str) -> str:
    """What to type at a prompt, read from its choices line ("no": no follow-up question)."""
    if "yes (y) | no (n)" in screen:
        return "n"
    if "done (d)" in screen:
        return "s"  # "does not apply": opens no follow-up question
    return "some text"


def test_with_a_date_start_walks_what_is_due_then_says_what_comes_next(
    start, locations: Locations
) -> None:
    from render_helpers import TIMELINE

    surgery = date.today() + timedelta(days=1)
    with store.open_for_writing(locations) as writer:
        writer.save(Progress(welcomed=True, surgery_date=surgery))
    export = run_here("--checklists", str(TIMELINE), "export", "--format", "json")
    items = [item for c in json.loads(export.stdout)["checklists"] for item in c["items"]]
    due = [item["text"] for item in items if item["state"] in ("due", "overdue")]
    starting = [item for item in items if item["state"] == "upcoming"]
    first = min(item["window"]["from"] for item in starting)
    count = sum(item["window"]["from"] == first for item in starting)
    session = start(env={"FORACHECK_CHECKLISTS": str(TIMELINE)})
    asked = []
    for _ in due:
        prompt = session.prompt()
        asked.append(prompt.screen)
        reply = _reply_for(prompt.screen)
        session.send(reply)
        if reply == "s" and "Important:" in prompt.screen:  # a critical step asks why, once
            session.expect("Reason: ")
            session.send("")
    code, rest = session.finish()
    assert code == 0
    for text in due:
        assert sum(squash(text) in squash(screen) for screen in asked) == 1, text
    everything = squash("".join(asked))
    assert squash("Stop eating at the time you were told.") not in everything  # surgery day
    day = day_text(date.fromisoformat(first), surgery)
    steps = "1 step" if count == 1 else f"{count} steps"
    assert squash(f"Next: {steps} from {day}.") in squash(ANSI.sub("", rest))
