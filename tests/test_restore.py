"""The last good state outlives any later command (docs/reliability.md, guarantee 12).

Each test loses or damages the progress file the way people and disks do,
then runs the commands a script or a nurse would run after it, as real
processes, and checks that the answers last held still come back with
``foracheck restore``, and that only ``reset`` starts over.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from helpers import run_here
from pty_terminal import Terminal

from foracheck import marking, store
from foracheck.catalog import Catalog, load_catalog
from foracheck.model import Answer, Checklist, Item, Progress
from foracheck.paths import Locations

MARKS = [
    ("day-of", "arrive-on-time", "done"),
    ("day-of", "check-arrival-time", "skip"),
    ("tell-your-surgeon", "takes-medicines", "no"),
]
LATER = [("week-before", "ask-about-blood-thinners", "d"), ("day-of", "arrive-on-time", "n")]
LIST = Checklist(id="alpha", title="Alpha", items=(Item(id="a1", type="task", text="A1."),))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(Locations.resolve(home=Path("/nonexistent")))


def mark(list_id: str, item_id: str, answer: str) -> None:
    result = run_here("mark", list_id, item_id, answer)
    assert result.returncode == 0, result.stderr


def seed(locations: Locations, catalog: Catalog, count: int = len(MARKS)) -> None:
    """The first marks, in this process (faster); what follows a loss runs as real processes."""
    for list_id, item_id, answer in MARKS[:count]:
        marking.mark(locations, catalog.get(list_id), item_id, answer, None, clear=False)


def answers(progress: Progress | None) -> dict[tuple[str, str], str]:
    assert progress is not None
    return {
        (list_id, item_id): answer.value
        for list_id, items in progress.answers.items()
        for item_id, answer in items.items()
    }


def snapshot(home: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(home.iterdir())}


def state(value: str, lineage: str | None = None) -> bytes:
    """A progress file holding one answer, of a chosen lineage."""
    progress = Progress(welcomed=True).with_answer(
        LIST, "a1", Answer(value, "2026-03-01T09:00:00+01:00")
    )
    return store.encode(progress, lineage)


def lose(locations: Locations, how: str) -> None:
    if how == "deleted":
        locations.progress_file.unlink()
    else:
        data = locations.progress_file.read_bytes()
        damage = {"truncated": data[: len(data) // 2], "emptied": b"", "nul-filled": b"\0" * 512}
        locations.progress_file.write_bytes(damage[how])


# -- no command starts over on top of a lost state ------------------------------------


SLOW = pytest.mark.slow  # the same sequence again; test_store covers every kind of damage


@pytest.mark.parametrize(
    "how",
    [
        "deleted",
        "truncated",
        pytest.param("emptied", marks=SLOW),
        pytest.param("nul-filled", marks=SLOW),
    ],
)
def test_marks_after_a_loss_refuse_and_restore_brings_the_answers_back(
    locations: Locations, catalog: Catalog, how: str
) -> None:
    seed(locations, catalog)
    backup = locations.backup_file.read_bytes()
    lose(locations, how)
    for list_id, item_id, answer in LATER:  # the Watson #499 sequence: two marks
        result = run_here("mark", list_id, item_id, answer)
        assert result.returncode == 65, result.stdout
        assert "foracheck restore" in result.stderr
        assert "foracheck reset" in result.stderr
        assert "Traceback" not in result.stderr
        assert not locations.progress_file.exists()  # nothing started over
        assert locations.backup_file.read_bytes() == backup
    result = run_here("restore")
    assert result.returncode == 0, result.stderr
    assert "Restored 2 answers from a backup" in result.stdout
    assert str(locations.backup_file) in result.stdout.replace("\n", "")
    assert answers(store.read_progress(locations)) == {
        ("day-of", "arrive-on-time"): "done",
        ("day-of", "check-arrival-time"): "skip",
    }
    mark(*MARKS[2])  # and writing goes on as before
    assert len(answers(store.read_progress(locations))) == 3


def test_reset_is_the_one_way_to_start_over_and_keeps_the_old_backup(
    locations: Locations, catalog: Catalog
) -> None:
    seed(locations, catalog)
    backup = locations.backup_file.read_bytes()
    locations.progress_file.unlink()
    result = run_here("reset", "--yes")
    assert result.returncode == 0, result.stderr
    assert "starts over" in result.stdout
    (kept,) = locations.home.glob("progress.json.bak-*")
    assert kept.read_bytes() == backup
    for list_id, item_id, answer in LATER:  # later writers see a fresh start, not a loss
        mark(list_id, item_id, answer)
    assert kept.read_bytes() == backup
    result = run_here("restore", "--from", kept.name)
    assert result.returncode == 0, result.stderr
    assert "Restored 2 answers from an earlier backup" in result.stdout
    assert answers(store.read_progress(locations)) == answers(store.decode(backup))


def test_first_use_just_starts(locations: Locations) -> None:
    mark(*MARKS[0])
    assert answers(store.read_progress(locations)) == {("day-of", "arrive-on-time"): "done"}


def test_status_on_a_lost_state_is_not_an_error(locations: Locations, catalog: Catalog) -> None:
    seed(locations, catalog, 2)
    locations.progress_file.unlink()
    result = run_here("status")
    assert result.returncode == 0
    assert not locations.progress_file.exists()


# -- the backup and lineages --------------------------------------------------------


def test_a_state_of_another_lineage_never_pushes_the_backup_out(locations: Locations) -> None:
    locations.home.mkdir()
    locations.progress_file.write_bytes(state("done", "aa" * 8))
    with store.open_for_writing(locations) as writer:
        writer.save(store.decode(state("skip")))
    good_backup = locations.backup_file.read_bytes()
    assert store.decode(good_backup) == store.decode(state("done"))
    # Another history arrives at the progress path (copied in, or an old foracheck).
    locations.progress_file.write_bytes(state("not-yet", "bb" * 8))
    for value in ("done", "skip", "not-yet"):
        with store.open_for_writing(locations) as writer:
            writer.save(store.decode(state(value)))
    (kept,) = locations.home.glob("progress.json.bak-*")
    assert kept.read_bytes() == good_backup
    # Within one lineage the backup rotates as before: the state before the last save.
    assert store.decode(locations.backup_file.read_bytes()) == store.decode(state("skip"))


def test_every_save_keeps_the_lineage(locations: Locations, catalog: Catalog) -> None:
    seed(locations, catalog, 1)
    lineage = json.loads(locations.progress_file.read_bytes())["lineage"]
    mark(*MARKS[1])
    assert json.loads(locations.progress_file.read_bytes())["lineage"] == lineage
    assert json.loads(locations.backup_file.read_bytes())["lineage"] == lineage
    run_here("reset", "--yes")
    assert json.loads(locations.progress_file.read_bytes())["lineage"] != lineage


def test_a_file_without_a_lineage_keeps_rotating_its_backup(locations: Locations) -> None:
    """Files of foracheck 0.1 have no lineage; they rotate among themselves as before."""
    locations.home.mkdir()
    locations.progress_file.write_bytes(state("done"))
    locations.backup_file.write_bytes(state("not-yet"))
    with store.open_for_writing(locations) as writer:
        writer.save(store.decode(state("skip")))
    assert store.decode(locations.backup_file.read_bytes()) == store.decode(state("done"))
    assert not list(locations.home.glob("progress.json.bak-*"))
    assert "lineage" not in json.loads(locations.progress_file.read_bytes())


# -- restore --from -------------------------------------------------------------------


@pytest.mark.parametrize(
    "suffix",
    [
        ".bak",
        ".bak-20260301T090000",
        ".corrupt-20260301T090000",
        ".reset-20260301T090000",
        ".replaced-20260301T090000",
    ],
)
def test_restore_from_each_kind_of_kept_copy(
    locations: Locations, catalog: Catalog, suffix: str
) -> None:
    seed(locations, catalog, 1)
    copy = locations.home / f"progress.json{suffix}"
    copy.write_bytes(state("skip", "cc" * 8))  # a damaged copy the user repaired, for .corrupt
    result = run_here("restore", "--from", copy.name)
    assert result.returncode == 0, result.stderr
    assert "Restored 1 answer from" in result.stdout
    assert answers(store.read_progress(locations)) == {("alpha", "a1"): "skip"}
    assert copy.read_bytes() == state("skip", "cc" * 8)  # the source stays as it was
    (replaced,) = (p for p in locations.home.glob("progress.json.replaced-*") if p != copy)
    assert answers(store.decode(replaced.read_bytes())) == {("day-of", "arrive-on-time"): "done"}


def test_restore_from_any_path(locations: Locations, tmp_path: Path) -> None:
    elsewhere = tmp_path / "from-the-old-computer.json"
    elsewhere.write_bytes(state("done"))
    result = run_here("restore", "--from", str(elsewhere))
    assert result.returncode == 0, result.stderr
    assert str(elsewhere) in result.stdout.replace("\n", "")
    assert answers(store.read_progress(locations)) == {("alpha", "a1"): "done"}


def test_restore_from_a_missing_file_exits_66_and_writes_nothing(
    locations: Locations, catalog: Catalog
) -> None:
    seed(locations, catalog, 2)
    before = snapshot(locations.home)
    result = run_here("restore", "--from", "progress.json.bak-19990101T000000")
    assert result.returncode == 66
    assert "no such file" in result.stderr
    assert snapshot(locations.home) == before


@pytest.mark.parametrize("garbage", [b"", b"\0" * 100, b'{"schema": 1}', b"\xff\xfe{"])
def test_restore_from_garbage_exits_65_and_writes_nothing(
    locations: Locations, catalog: Catalog, tmp_path: Path, garbage: bytes
) -> None:
    seed(locations, catalog, 2)
    bad = tmp_path / "garbage.json"
    bad.write_bytes(garbage)
    before = snapshot(locations.home)
    result = run_here("restore", "--from", str(bad))
    assert result.returncode == 65
    assert "Nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(locations.home) == before
    assert bad.read_bytes() == garbage


def test_restore_with_nothing_to_restore_exits_66(locations: Locations) -> None:
    result = run_here("restore")
    assert result.returncode == 66
    assert "no backup or kept copy" in result.stderr


def test_restore_of_the_state_already_there_changes_nothing(
    locations: Locations, catalog: Catalog
) -> None:
    seed(locations, catalog, 1)
    copy = locations.home / "progress.json.reset-20260301T090000"
    copy.write_bytes(locations.progress_file.read_bytes())
    before = snapshot(locations.home)
    result = run_here("restore", "--from", copy.name)
    assert result.returncode == 0
    assert "nothing changed" in result.stdout
    assert snapshot(locations.home) == before


def test_restore_over_a_damaged_file_keeps_it_aside(locations: Locations, catalog: Catalog) -> None:
    seed(locations, catalog, 2)
    locations.progress_file.write_bytes(b"\0" * 64)
    result = run_here("restore")
    assert result.returncode == 0, result.stderr
    (damaged,) = locations.home.glob("progress.json.corrupt-*")
    assert damaged.read_bytes() == b"\0" * 64
    assert str(damaged) in result.stdout.replace("\n", "")
    assert answers(store.read_progress(locations)) == {("day-of", "arrive-on-time"): "done"}


def test_restore_after_a_reset_brings_back_what_reset_cleared(
    locations: Locations, catalog: Catalog
) -> None:
    seed(locations, catalog)
    before = answers(store.read_progress(locations))
    marking.reset(locations)
    result = run_here("restore")
    assert result.returncode == 0, result.stderr
    assert "Restored 3 answers from a copy kept by reset" in result.stdout
    assert answers(store.read_progress(locations)) == before
    assert not list(locations.home.glob("progress.json.replaced-*"))  # the fresh start was empty


def test_restore_refuses_a_newer_file(
    locations: Locations, catalog: Catalog, tmp_path: Path
) -> None:
    seed(locations, catalog, 1)
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"schema": store.SCHEMA_VERSION + 1, "lists": {}}))
    before = snapshot(locations.home)
    result = run_here("restore", "--from", str(newer))
    assert result.returncode == 65
    assert "upgrade" in result.stderr.lower()
    assert snapshot(locations.home) == before


def test_restore_leaves_a_newer_progress_file_untouched(
    locations: Locations, tmp_path: Path
) -> None:
    locations.home.mkdir()
    newer = json.dumps({"schema": store.SCHEMA_VERSION + 1, "lists": {}}).encode()
    locations.progress_file.write_bytes(newer)
    locations.backup_file.write_bytes(state("done"))
    before = snapshot(locations.home)
    result = run_here("restore")
    assert result.returncode == 65
    assert "upgrade" in result.stderr.lower()
    assert snapshot(locations.home) == before


def test_a_link_at_the_backup_path_is_kept_aside_and_its_target_untouched(
    locations: Locations, tmp_path: Path
) -> None:
    target = tmp_path / "not-ours.txt"
    target.write_bytes(b"someone else's file")
    target.chmod(0o644)
    locations.home.mkdir()
    locations.progress_file.write_bytes(state("done", "aa" * 8))
    locations.backup_file.symlink_to(target)
    with store.open_for_writing(locations) as writer:
        writer.save(store.decode(state("skip")))
    assert target.read_bytes() == b"someone else's file"
    assert target.stat().st_mode & 0o777 == 0o644
    (kept,) = locations.home.glob("progress.json.bak-*")
    assert kept.is_symlink()
    assert store.decode(locations.backup_file.read_bytes()) == store.decode(state("done"))


def test_damage_with_nothing_readable_left_still_refuses_until_reset(
    locations: Locations, catalog: Catalog
) -> None:
    seed(locations, catalog, 1)  # one save: no backup yet
    locations.progress_file.write_bytes(b"\0" * 64)
    for _ in range(2):
        result = run_here("mark", *LATER[0])
        assert result.returncode == 65
        assert "foracheck restore --from FILE" in result.stderr
        assert "foracheck reset" in result.stderr
        assert not locations.progress_file.exists()
    (damaged,) = locations.home.glob("progress.json.corrupt-*")
    assert run_here("reset", "--yes").returncode == 0
    mark(*LATER[0])
    assert damaged.read_bytes() == b"\0" * 64


def test_start_in_a_terminal_offers_a_deleted_file_back(
    locations: Locations, catalog: Catalog
) -> None:
    import pexpect

    seed(locations, catalog)
    locations.progress_file.unlink()
    env = {**os.environ, "TERM": "xterm-256color", "NO_COLOR": "1", "COLUMNS": "200"}
    child = Terminal(
        sys.executable,
        ["-m", "foracheck", "start", "day-of"],
        env=env,
        encoding="utf-8",
        timeout=10,
    )
    try:
        child.expect_exact("Restore it? (y/n): ")
        told = " ".join(str(child.before).split())
        assert "is missing" in told
        assert "There is a backup from" in told
        assert "with 2 answers" in told
        child.sendline("y")
        child.expect_exact("Your backup is restored.")
        child.expect_exact("Surgery date: ")  # answers from 'mark' come without the welcome
        child.sendline("")
        child.expect_exact("\n> ")
        child.sendline("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert answers(store.read_progress(locations)) == {
        ("day-of", "arrive-on-time"): "done",
        ("day-of", "check-arrival-time"): "skip",
    }
