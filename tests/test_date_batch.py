"""``foracheck date``, ``mark --batch``, "did you mean" and ``--format md``, in process."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import run_here
from render_helpers import invoke

from foracheck import cli, store, surgery
from foracheck.paths import Locations

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    class Today(date):
        @classmethod
        def today(cls) -> Today:
            return cls(TODAY.year, TODAY.month, TODAY.day)

    monkeypatch.setattr(cli, "date", Today)


def test_date_sets_shows_and_clears_without_a_terminal(
    locations: Locations, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = invoke(capsys, "date")
    assert code == 0 and "No surgery date is saved yet. Save one with:" in out
    code, out, _ = invoke(capsys, "date", "2026-04-01")
    assert code == 0 and "Surgery date saved: 2026-04-01. Surgery in 22 days" in out
    code, out, _ = invoke(capsys, "date")
    assert "Your surgery date: 2026-04-01." in out
    state = store.read_state(locations)
    assert state is not None and state.surgery_date == date(2026, 4, 1)
    code, out, _ = invoke(capsys, "date", "--clear")
    assert code == 0 and "cleared" in out
    state = store.read_state(locations)
    assert state is not None and state.surgery_date is None


@pytest.mark.parametrize("typed", ["2026-03-09", "2027-06-01"])
def test_a_past_or_far_date_needs_yes(
    locations: Locations, capsys: pytest.CaptureFixture[str], typed: str
) -> None:
    code, _, err = invoke(capsys, "--home", str(locations.home), "date", typed)
    assert code == 2 and "--yes" in err and "Nothing was saved" in err
    assert f"--home {locations.home} date {typed} --yes" in err  # the hint works as typed
    assert store.read_state(locations) is None
    assert invoke(capsys, "date", typed, "--yes")[0] == 0
    state = store.read_state(locations)
    assert state is not None and state.surgery_date == date.fromisoformat(typed)


@pytest.mark.parametrize("typed", ["2026-02-30", "2026-W48-1", "tomorrow", "2026-13-01"])
def test_a_bad_date_is_refused(capsys: pytest.CaptureFixture[str], typed: str) -> None:
    code, _, err = invoke(capsys, "date", typed)
    assert code == 2 and err.strip()


def test_date_waits_for_the_lock_like_mark(locations: Locations) -> None:
    """Another short write holds the lock for a moment: date waits, then saves."""
    import threading
    import time

    from foracheck.lock import ProgressLock

    store.ensure_home(locations)
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with ProgressLock(locations.lock_file, "mark"):
            taken.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(5)
    threading.Timer(0.3, release.set).start()
    started = time.monotonic()
    said = surgery.change(locations, "2026-04-01", False, False, TODAY)
    holder.join()
    assert "saved" in said and time.monotonic() - started >= 0.25


def test_start_without_a_terminal_names_date_and_mark(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = invoke(capsys, "start", "--surgery-date", "2026-12-26")
    assert code == 2
    said = " ".join(err.split())
    assert "foracheck date YYYY-MM-DD" in said and "foracheck mark LIST_ID ITEM_ID ANSWER" in said


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "answers.tsv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_mark_batch_saves_every_line_at_once(
    tmp_path: Path, locations: Locations, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = write(
        tmp_path,
        "# answers from the clinic\n\n"
        "week-before\task-about-blood-thinners\tdone\tAsked Dr. Lee\n"
        "tell-your-surgeon\ttakes-medicines\tyes\n"
        "tell-your-surgeon\twhich-medicines\tAspirin 81 mg\n"
        "tell-your-surgeon\tpregnant\tn\n",
    )
    code, out, _ = invoke(capsys, "mark", "--batch", batch, "--by", "clinician")
    assert code == 0 and "Saved 4 answers." in out
    progress = store.read_progress(locations)
    assert progress is not None
    answer = progress.answer("week-before", "ask-about-blood-thinners")
    assert answer is not None and (answer.value, answer.note, answer.by) == (
        "done",
        "Asked Dr. Lee",
        "clinician",
    )
    which = progress.answer("tell-your-surgeon", "which-medicines")
    assert which is not None and which.value == "Aspirin 81 mg"


def test_one_bad_line_saves_nothing_and_is_named(
    tmp_path: Path, locations: Locations, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = write(
        tmp_path,
        "week-before\task-about-blood-thinners\tdone\n"
        "week-before\tsick-before-surgery\tmaybe secret\n"
        "week\task-about-blood-thinners\tdone\n"
        "just one field\n",
    )
    code, _, err = invoke(capsys, "mark", "--batch", batch)
    assert code == 2
    assert "Line 2:" in err and "Line 3:" in err and "Line 4:" in err and "Line 1:" not in err
    assert "Did you mean 'week-before'?" in err
    assert "secret" not in err  # an answer is never repeated
    assert store.read_state(locations) is None


def test_mark_batch_reads_standard_input(locations: Locations) -> None:
    ran = run_here("mark", "--batch", "-", input="week-before\task-about-blood-thinners\tdone\n")
    assert ran.returncode == 0 and "Saved 1 answer." in ran.stdout, ran.stderr
    saved = store.read_progress(locations)
    assert saved is not None and saved.answers["week-before"]["ask-about-blood-thinners"]


def test_a_follow_up_before_its_parent_in_a_batch_is_refused(
    tmp_path: Path, locations: Locations, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = write(tmp_path, "tell-your-surgeon\twhich-medicines\tAspirin\n")
    code, _, err = invoke(capsys, "mark", "--batch", batch)
    assert code == 2 and "Line 1:" in err and "follow-up" in err
    assert store.read_state(locations) is None


def test_a_missing_batch_file_is_66(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert invoke(capsys, "mark", "--batch", str(tmp_path / "none.tsv"))[0] == 66


def test_did_you_mean_for_lists_and_items(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = invoke(capsys, "show", "week")
    assert code == 2 and "Did you mean 'week-before'?" in err
    code, _, err = invoke(capsys, "mark", "week-before", "ask-about-blod-thinners", "done")
    assert code == 2 and "Did you mean 'ask-about-blood-thinners'?" in err
    code, _, err = invoke(capsys, "show", "zzzzzz")
    assert code == 2 and "Did you mean" not in err


def test_format_md_is_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, short, _ = invoke(capsys, "export", "--format", "md")
    assert code == 0 and short.startswith("# ")
    code, long, _ = invoke(capsys, "export", "--format", "markdown")
    assert short.split("\n", 3)[3] == long.split("\n", 3)[3]  # all but the export time


def test_reset_takes_the_same_yes_words(
    locations: Locations, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from foracheck import i18n

    assert invoke(capsys, "date", "2026-04-01")[0] == 0
    i18n.use_language("es")
    ran = run_here("--lang", "es", "reset", input="y\n", tty=True)
    assert ran.returncode == 0, ran.stderr
    assert store.read_progress(locations) is None
