"""The progress store: durable saves, the lock, and files that cannot be read.

Each test states one guarantee of RELIABILITY.md and checks it on real files in
the test's own data folder (see conftest's ``isolated_home``).
"""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import DATA, run_cli

from foracheck import fsutil, kept_text, store
from foracheck.errors import (
    EXIT_DATA,
    EXIT_IO,
    EXIT_LOCKED,
    CorruptProgressError,
    ProgressLockedError,
    StorageError,
)
from foracheck.lock import ProgressLock
from foracheck.model import Answer, Checklist, Item, Progress
from foracheck.paths import Locations
from foracheck.store import codec
from foracheck.store import writer as store_writer

LIST = Checklist(
    id="week-before",
    title="The week before",
    items=(
        Item(id="one", type="task", text="One."),
        Item(id="two", type="yesno", text="Two?"),
        Item(id="three", type="text", text="Three?"),
    ),
)
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_permissions = pytest.mark.skipif(AS_ROOT, reason="root is not stopped by file modes")

AT = "2026-03-10T10:00:00+01:00"  # answer times carry an offset, as foracheck writes them
LATER = "2026-03-11T08:00:00+01:00"


def progress_with(*answers: tuple[str, str], note: str | None = None) -> Progress:
    progress = Progress(welcomed=True)
    for item_id, value in answers:
        progress = progress.with_answer(LIST, item_id, Answer(value, AT, note))
    return progress


def save(locations: Locations, progress: Progress) -> None:
    with store.open_for_writing(locations) as writer:
        writer.save(progress)


def leftovers(home: Path) -> list[str]:
    """Temp and lock files that must never outlive a foracheck."""
    return sorted(p.name for p in home.iterdir() if p.name.endswith((".tmp", ".lock")))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets everyone read: private modes must not depend on the umask."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


# -- round trip and permissions -------------------------------------------------------


def test_nothing_saved_reads_as_none(locations: Locations) -> None:
    assert store.read_progress(locations) is None
    assert not locations.home.exists()  # reading creates nothing


def test_round_trip(locations: Locations) -> None:
    from datetime import date

    progress = progress_with(("one", "done"), ("two", "no"), ("three", "Aspirin, «Ibuprofen» ✓"))
    progress = progress.with_answer(LIST, "one", Answer("skip", LATER, "a note"))
    import dataclasses

    progress = dataclasses.replace(progress, surgery_date=date(2026, 4, 1))
    save(locations, progress)
    assert store.read_progress(locations) == progress
    document = json.loads(locations.progress_file.read_text(encoding="utf-8"))
    assert document["schema"] == store.SCHEMA_VERSION
    assert document["lists"]["week-before"]["version"] == LIST.content_hash()
    assert document["lists"]["week-before"]["answers"]["one"]["note"] == "a note"
    with store.open_for_writing(locations) as writer:
        assert writer.progress == progress


def test_saved_files_and_folder_are_private(locations: Locations, open_umask: None) -> None:
    save(locations, progress_with(("one", "done")))
    save(locations, progress_with(("one", "done"), ("two", "yes")))
    assert mode(locations.home) == 0o700
    assert mode(locations.progress_file) == 0o600
    assert mode(locations.backup_file) == 0o600


def test_lock_file_is_private_while_held(locations: Locations, open_umask: None) -> None:
    with store.open_for_writing(locations):
        assert mode(locations.lock_file) == 0o600


def test_kept_aside_copies_are_private(locations: Locations, open_umask: None) -> None:
    locations.home.mkdir(mode=0o700)
    locations.progress_file.write_bytes(b"{not json")
    locations.progress_file.chmod(0o644)
    with pytest.raises(CorruptProgressError):
        store.read_progress(locations)
    (kept,) = locations.home.glob("progress.json.corrupt-*")
    assert mode(kept) == 0o600


def test_a_file_written_by_foracheck_0_1_still_reads(locations: Locations) -> None:
    """A saved file from the first release (schema 1) must keep reading as it did."""
    from datetime import date

    fixture = DATA / "progress" / "schema1.json"
    locations.home.mkdir(mode=0o700)
    locations.progress_file.write_bytes(fixture.read_bytes())
    progress = store.read_progress(locations)
    assert progress is not None
    assert progress.surgery_date == date(2026, 12, 1)
    assert progress.welcomed is True
    assert progress.count() == 5
    assert progress.answer("day-of", "stop-eating-drinking") == Answer(
        "done", "2026-11-20T09:14:03+01:00", "Nothing after midnight."
    )
    which = progress.answer("tell-your-surgeon", "which-medicines")
    assert which is not None
    assert which.value == "Metformin, Lisinopril"
    assert progress.answer("tell-your-surgeon", "removed-item") is not None  # kept, not shown
    assert progress.list_versions == {"day-of": "sha256:0000000000000000"}
    assert {answer.by for items in progress.answers.values() for answer in items.values()} == {
        "patient"
    }
    # Written back, it is the same document as schema 2: every answer the patient's.
    again, original = json.loads(store.encode(progress)), json.loads(fixture.read_bytes())
    for entry in original["lists"].values():
        for answer in entry["answers"].values():
            answer["by"] = "patient"
    assert {**again, "saved_by": ""} == {**original, "schema": 2, "saved_by": ""}
    assert locations.progress_file.read_bytes() == fixture.read_bytes()  # reading changes nothing


# -- backups ----------------------------------------------------------------------------


def test_backup_holds_the_previous_saved_state(locations: Locations) -> None:
    first, second, third = (
        progress_with(("one", "done")),
        progress_with(("one", "done"), ("two", "no")),
        progress_with(("one", "done"), ("two", "no"), ("three", "x")),
    )
    with store.open_for_writing(locations) as writer:
        writer.save(first)
        assert not locations.backup_file.exists()  # nothing came before the first save
        writer.save(second)
        assert store.decode(locations.backup_file.read_bytes()) == first
    with store.open_for_writing(locations) as writer:
        writer.save(third)
    assert store.decode(locations.backup_file.read_bytes()) == second
    assert store.read_progress(locations) == third


def test_backup_is_only_written_after_the_new_file_validated(
    locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(locations, progress_with(("one", "done")))
    save(locations, progress_with(("one", "done"), ("two", "no")))
    backup_before = locations.backup_file.read_bytes()
    progress_before = locations.progress_file.read_bytes()

    def does_not_validate(data: bytes) -> Progress:
        raise store._Unreadable("the new copy does not read back")

    monkeypatch.setattr(store_writer, "decode", does_not_validate)  # what a save reads back with
    with store.open_for_writing(locations) as writer, pytest.raises(StorageError):
        writer.save(progress_with(("one", "skip")))
    assert locations.backup_file.read_bytes() == backup_before
    assert locations.progress_file.read_bytes() == progress_before
    assert leftovers(locations.home) == []


def test_read_backup(locations: Locations) -> None:
    assert store.read_backup(locations) is None
    save(locations, progress_with(("one", "done")))
    save(locations, progress_with(("one", "done"), ("two", "no")))
    backup = store.read_backup(locations)
    assert backup is not None
    assert backup.progress == progress_with(("one", "done"))
    assert "with 1 answer" in kept_text.describe(backup)
    locations.backup_file.write_bytes(b"\x00" * 10)
    assert store.read_backup(locations) is None  # a bad backup is never offered


# -- files that cannot be read -----------------------------------------------------------


def _valid_document(**changes: Any) -> bytes:
    document: dict[str, Any] = {
        "schema": 1,
        "saved_by": "foracheck 0.1.0",
        "surgery_date": None,
        "welcomed": True,
        "lists": {
            "week-before": {
                "version": None,
                "answers": {
                    "one": {
                        "answer": "done",
                        "answered_at": AT,
                        "note": None,
                    }
                },
            }
        },
    }
    document.update(changes)
    return json.dumps(document).encode()


UNREADABLE = {
    "empty": b"",
    "whitespace": b"  \n",
    "truncated": _valid_document()[:-20],
    "nul-filled": b"\x00" * 4096,
    "nul-after-save": _valid_document() + b"\x00" * 100,
    "latin-1": _valid_document().replace(b'"done"', b'"d\xf6ne"'),
    "a list": b"[1, 2, 3]",
    "a string": b'"progress"',
    "null": b"null",
    "missing schema": b'{"lists": {}}',
    "schema as text": _valid_document(schema="1"),
    "schema as bool": _valid_document(schema=True),
    "schema zero": _valid_document(schema=0),
    "lists not an object": _valid_document(lists=[]),
    "lists missing": b'{"schema": 1}',
    "answers not objects": _valid_document(
        lists={"week-before": {"version": None, "answers": {"one": "done"}}}
    ),
    "answers missing": _valid_document(lists={"week-before": {"version": None}}),
    "answer without time": _valid_document(
        lists={"week-before": {"answers": {"one": {"answer": "done"}}}}
    ),
    "note not text": _valid_document(
        lists={
            "week-before": {"answers": {"one": {"answer": "done", "answered_at": "t", "note": 5}}}
        }
    ),
    "list id ../x": _valid_document(lists={"../x": {"version": None, "answers": {}}}),
    "item id ../x": _valid_document(
        lists={"week-before": {"answers": {"../x": {"answer": "done", "answered_at": "t"}}}}
    ),
    "list id with slash": _valid_document(lists={"a/b": {"answers": {}}}),
    "bad surgery date": _valid_document(surgery_date="2026-02-30"),
    "surgery date a number": _valid_document(surgery_date=20260301),
    "welcomed not bool": _valid_document(welcomed="yes"),
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("content", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_unreadable_progress_is_kept_aside_byte_for_byte(
    locations: Locations, content: bytes
) -> None:
    locations.home.mkdir(mode=0o700)
    locations.progress_file.write_bytes(content)
    with pytest.raises(CorruptProgressError) as caught:
        store.read_progress(locations)
    assert caught.value.exit_code == EXIT_DATA == 65
    assert not isinstance(caught.value, store.NewerProgressError)
    (kept,) = locations.home.glob("progress.json.corrupt-*")
    assert kept.read_bytes() == content
    assert str(kept) in caught.value.message
    assert not locations.progress_file.exists()  # no new, empty file took its place
    assert leftovers(locations.home) == []


@pytest.mark.parametrize("content", list(UNREADABLE.values())[:6], ids=list(UNREADABLE)[:6])
def test_writer_never_replaces_an_unreadable_file(locations: Locations, content: bytes) -> None:
    locations.home.mkdir(mode=0o700)
    locations.progress_file.write_bytes(content)
    with pytest.raises(CorruptProgressError), store.open_for_writing(locations):
        pytest.fail("a writer was opened on an unreadable file")
    (kept,) = locations.home.glob("progress.json.corrupt-*")
    assert kept.read_bytes() == content
    assert not locations.progress_file.exists()
    assert leftovers(locations.home) == []


def test_over_large_progress_file_is_kept_aside(locations: Locations) -> None:
    # Valid JSON padded past the size cap: only its size makes it unreadable.
    content = _valid_document()[:-1] + b" " * store.MAX_PROGRESS_BYTES + b"}"
    locations.home.mkdir(mode=0o700)
    locations.progress_file.write_bytes(content)
    with pytest.raises(CorruptProgressError, match="too large"):
        store.read_progress(locations)
    (kept,) = locations.home.glob("progress.json.corrupt-*")
    assert kept.stat().st_size == len(content)
    assert not locations.progress_file.exists()


def test_corrupt_message_offers_the_backup(locations: Locations) -> None:
    save(locations, progress_with(("one", "done")))
    save(locations, progress_with(("one", "done"), ("two", "yes")))
    locations.progress_file.write_bytes(b"\x00" * 64)
    with pytest.raises(CorruptProgressError) as caught:
        store.read_progress(locations)
    assert "backup" in caught.value.message
    assert "with 1 answer" in caught.value.message
    assert "foracheck start" in caught.value.message
    assert "foracheck restore" in caught.value.message
    assert store.decode(locations.backup_file.read_bytes()) == progress_with(("one", "done"))


def test_two_corrupt_files_in_the_same_second_are_both_kept(locations: Locations) -> None:
    locations.home.mkdir(mode=0o700)
    for content in (b"first", b"second"):
        locations.progress_file.write_bytes(content)
        with pytest.raises(CorruptProgressError):
            store.read_progress(locations)
    kept = sorted(p.read_bytes() for p in locations.home.glob("progress.json.corrupt-*"))
    assert kept == [b"first", b"second"]


@needs_permissions
def test_an_unreadable_file_is_an_error_not_missing_progress(locations: Locations) -> None:
    save(locations, progress_with(("one", "done")))
    before = locations.progress_file.read_bytes()
    locations.progress_file.chmod(0)
    try:
        with pytest.raises(StorageError) as caught:
            store.read_progress(locations)
        assert caught.value.exit_code == EXIT_IO
        with pytest.raises(StorageError), store.open_for_writing(locations):
            pytest.fail("a writer was opened on a file it cannot read")
    finally:
        locations.progress_file.chmod(0o600)
    assert locations.progress_file.read_bytes() == before


@needs_permissions
def test_a_read_only_folder_fails_the_save_and_keeps_the_file(locations: Locations) -> None:
    save(locations, progress_with(("one", "done")))
    before = locations.progress_file.read_bytes()
    with store.open_for_writing(locations) as writer:
        locations.home.chmod(0o500)
        try:
            with pytest.raises(StorageError) as caught:
                writer.save(progress_with(("one", "done"), ("two", "no")))
        finally:
            locations.home.chmod(0o700)
    assert caught.value.exit_code == EXIT_IO
    assert locations.progress_file.read_bytes() == before
    assert writer.progress == progress_with(("one", "done"))


# -- schema versions -----------------------------------------------------------------------


@pytest.mark.parametrize("opener", ["read", "write"])
def test_a_newer_file_is_left_untouched(locations: Locations, opener: str) -> None:
    content = _valid_document(schema=store.SCHEMA_VERSION + 1, future_field={"x": 1})
    locations.home.mkdir(mode=0o700)
    locations.progress_file.write_bytes(content)
    with pytest.raises(store.NewerProgressError) as caught:
        if opener == "read":
            store.read_progress(locations)
        else:
            with store.open_for_writing(locations):
                pytest.fail("a writer was opened on a newer file")
    assert caught.value.exit_code == EXIT_DATA
    assert "upgrade" in caught.value.message.lower()
    assert locations.progress_file.read_bytes() == content
    assert sorted(p.name for p in locations.home.iterdir()) == ["progress.json"]


def test_an_older_file_is_migrated_and_its_bytes_kept(
    locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(locations, progress_with(("one", "done")))
    old_bytes = locations.progress_file.read_bytes()
    steps: list[int] = []

    def rename_one_to_two(document: dict[str, Any]) -> dict[str, Any]:
        steps.append(document["schema"])
        answers = document["lists"]["week-before"]["answers"]
        answers["two"] = answers.pop("one") | {"answer": "yes"}
        return {**document, "schema": 3}

    monkeypatch.setattr(codec, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(codec, "MIGRATIONS", {**codec.MIGRATIONS, 2: rename_one_to_two})
    with store.open_for_writing(locations) as writer:
        assert steps == [2]
        assert writer.progress.answer("week-before", "one") is None
        assert writer.progress.answer("week-before", "two") == Answer("yes", AT)
        kept = locations.home / "progress.json.schema2"
        assert kept.read_bytes() == old_bytes
        assert mode(kept) == 0o600
        writer.save(writer.progress)
    assert json.loads(locations.progress_file.read_bytes())["schema"] == 3
    assert store.read_progress(locations) is not None


def test_opening_an_old_file_twice_keeps_one_copy(
    locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(locations, progress_with(("one", "done")))
    monkeypatch.setattr(codec, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(codec, "MIGRATIONS", {2: lambda document: {**document, "schema": 3}})
    for _ in range(3):
        with store.open_for_writing(locations):
            pass  # opened and closed without a save, as a 'start' then 'q' does
    copies = [p.name for p in locations.home.glob("progress.json.schema*")]
    assert copies == ["progress.json.schema2"]


def test_a_missing_migration_is_unreadable_not_a_crash(
    locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(locations, progress_with(("one", "done")))
    before = locations.progress_file.read_bytes()
    monkeypatch.setattr(codec, "SCHEMA_VERSION", 4)
    monkeypatch.setattr(codec, "MIGRATIONS", {2: lambda d: {**d, "schema": 3}})
    with pytest.raises(CorruptProgressError, match="no migration from schema 3"):
        store.read_progress(locations)
    (kept,) = locations.home.glob("progress.json.corrupt-*")
    assert kept.read_bytes() == before


def test_a_migration_that_does_not_raise_the_schema_cannot_loop(
    locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(locations, progress_with(("one", "done")))
    before = locations.progress_file.read_bytes()
    calls: list[int] = []

    def stuck(document: dict[str, Any]) -> dict[str, Any]:
        calls.append(document["schema"])
        if len(calls) > 3:
            pytest.fail("the same migration ran again and again")
        return document  # forgot to raise "schema"

    monkeypatch.setattr(codec, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(codec, "MIGRATIONS", {2: stuck})
    with pytest.raises(CorruptProgressError, match="did not raise the schema"):
        store.read_progress(locations)
    assert set(calls) == {2}  # each read tried the step once (the kept copy is read too)
    (kept,) = locations.home.glob("progress.json.corrupt-*")
    assert kept.read_bytes() == before


# -- failed saves ------------------------------------------------------------------------------


def _fail_with(number: int) -> Any:
    """A stand-in for an os function that fails like a full or broken disk."""

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError(number, os.strerror(number))

    return fail


@pytest.mark.parametrize(
    ("function", "number"),
    [("fsync", errno.ENOSPC), ("fsync", errno.EIO), ("replace", errno.EIO)],
)
def test_a_failed_save_keeps_the_old_file(
    locations: Locations, monkeypatch: pytest.MonkeyPatch, function: str, number: int
) -> None:
    save(locations, progress_with(("one", "done")))
    save(locations, progress_with(("one", "done"), ("two", "no")))
    before = locations.progress_file.read_bytes()
    backup_before = locations.backup_file.read_bytes()
    with store.open_for_writing(locations) as writer:
        monkeypatch.setattr(os, function, _fail_with(number))
        try:
            with pytest.raises(StorageError) as caught:
                writer.save(progress_with(("one", "skip"), ("two", "no"), ("three", "secret")))
        finally:
            monkeypatch.undo()
        assert writer.progress == progress_with(("one", "done"), ("two", "no"))
    assert caught.value.exit_code == EXIT_IO == 74
    assert "secret" not in caught.value.message
    assert locations.progress_file.read_bytes() == before
    assert locations.backup_file.read_bytes() == backup_before
    assert leftovers(locations.home) == []


def test_a_failed_final_rename_keeps_the_old_file(
    locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(locations, progress_with(("one", "done")))
    before = locations.progress_file.read_bytes()
    real_replace = os.replace

    def replace(source: Any, target: Any, **kwargs: Any) -> None:
        if Path(target) == locations.progress_file:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(source, target, **kwargs)

    with store.open_for_writing(locations) as writer:
        monkeypatch.setattr(os, "replace", replace)
        with pytest.raises(StorageError):
            writer.save(progress_with(("one", "done"), ("two", "no")))
        monkeypatch.undo()
    assert locations.progress_file.read_bytes() == before
    assert leftovers(locations.home) == []


def test_a_full_disk_in_a_real_process_exits_74(locations: Locations) -> None:
    """RLIMIT_FSIZE makes the child's write fail with EFBIG, as a full disk would."""
    env = {**os.environ, "FORACHECK_HOME": str(locations.home)}
    first = run_cli("mark", "tell-your-surgeon", "takes-medicines", "yes", env=env)
    assert first.returncode == 0, first.stderr
    before = locations.progress_file.read_bytes()
    limit = len(before) + 40  # room for the backup copy, not for a longer file
    child = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
from foracheck.cli import main
main(sys.argv[1:])
"""
    secret = "Warfarin " * 20
    result = subprocess.run(
        [sys.executable, "-c", child, "mark", "tell-your-surgeon", "which-medicines", secret],
        capture_output=True,
        text=True,
        env=env,
        timeout=20,
        check=False,
    )
    assert result.returncode == EXIT_IO, result.stderr
    assert "Traceback" not in result.stderr
    assert "Warfarin" not in result.stderr + result.stdout
    assert "unchanged" in result.stderr
    assert locations.progress_file.read_bytes() == before
    assert leftovers(locations.home) == []


def test_stale_temp_files_are_removed_by_the_next_writer(locations: Locations) -> None:
    save(locations, progress_with(("one", "done")))
    prefix = fsutil.temp_prefix(locations.progress_file)
    stale = [
        locations.home / f"{prefix}abc123{fsutil.TEMP_SUFFIX}",
        locations.home / f"{prefix}x.tmp",
    ]
    for path in stale:
        path.write_bytes(b"half a save")
    unrelated = locations.home / "notes.tmp"
    unrelated.write_bytes(b"not ours")
    with store.open_for_writing(locations):
        assert not any(path.exists() for path in stale)
    assert unrelated.exists()


def test_stale_temp_files_are_left_while_another_writer_holds_the_lock(
    locations: Locations,
) -> None:
    save(locations, progress_with(("one", "done")))
    stale = locations.home / f"{fsutil.temp_prefix(locations.progress_file)}busy.tmp"
    with store.open_for_writing(locations, "start"):
        stale.write_bytes(b"the holder's save in progress")
        with pytest.raises(ProgressLockedError), store.open_for_writing(locations):
            pytest.fail("two writers")
        assert stale.exists()


# -- symlinks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symlink_at_the_progress_path_is_refused(
    locations: Locations, tmp_path: Path, dangling: bool
) -> None:
    target = tmp_path / "elsewhere.json"
    if not dangling:
        target.write_bytes(_valid_document())
    locations.home.mkdir(mode=0o700)
    locations.progress_file.symlink_to(target)
    with pytest.raises(StorageError, match="symbolic link"):
        store.read_progress(locations)
    with pytest.raises(StorageError, match="symbolic link"), store.open_for_writing(locations):
        pytest.fail("a writer was opened through a symlink")
    assert locations.progress_file.is_symlink()
    if dangling:
        assert not target.exists()
    else:
        assert target.read_bytes() == _valid_document()
    assert not list(locations.home.glob("progress.json.corrupt-*"))


def test_a_symlink_at_the_lock_path_is_refused(locations: Locations, tmp_path: Path) -> None:
    target = tmp_path / "victim"
    target.write_bytes(b"keep me")
    locations.home.mkdir(mode=0o700)
    locations.lock_file.symlink_to(target)
    with pytest.raises(StorageError), store.open_for_writing(locations):
        pytest.fail("locked through a symlink")
    assert target.read_bytes() == b"keep me"


# -- the lock ----------------------------------------------------------------------------------


def test_a_second_writer_is_refused_while_a_start_holds_the_lock(locations: Locations) -> None:
    with store.open_for_writing(locations, "start") as writer:
        writer.save(progress_with(("one", "done")))
        before = locations.progress_file.read_bytes()
        with pytest.raises(ProgressLockedError) as caught, store.open_for_writing(locations):
            pytest.fail("two writers at once")
        assert caught.value.exit_code == EXIT_LOCKED == 75
        with pytest.raises(ProgressLockedError):
            store.reset(locations)
        assert locations.progress_file.read_bytes() == before
        writer.save(progress_with(("one", "done"), ("two", "no")))  # the holder goes on
    assert store.read_progress(locations) == progress_with(("one", "done"), ("two", "no"))


def test_the_lock_is_held_across_processes(locations: Locations) -> None:
    code = "from foracheck import store; from foracheck.paths import Locations\n"
    code += "import sys\n"
    code += "with store.open_for_writing(Locations.resolve()): pass\n"
    with store.open_for_writing(locations, "start"):
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=20, check=False
        )
    assert result.returncode != 0
    assert "ProgressLockedError" in result.stderr
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=20, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_lock_file_is_gone_after_release(locations: Locations) -> None:
    with store.open_for_writing(locations):
        assert locations.lock_file.exists()
    assert not locations.lock_file.exists()
    with pytest.raises(RuntimeError), store.open_for_writing(locations):
        raise RuntimeError("boom")
    assert not locations.lock_file.exists()
    with store.open_for_writing(locations):  # and it can be taken again
        pass


def test_a_lock_file_left_by_a_killed_process_does_not_block(locations: Locations) -> None:
    locations.home.mkdir(mode=0o700)
    locations.lock_file.write_bytes(b"")  # left behind, but nobody holds it
    with store.open_for_writing(locations) as writer:
        writer.save(progress_with(("one", "done")))
    assert not locations.lock_file.exists()


def test_release_is_safe_twice(locations: Locations) -> None:
    locations.home.mkdir(mode=0o700)
    lock = ProgressLock(locations.lock_file)
    lock.acquire()
    lock.release()
    lock.release()
    assert not locations.lock_file.exists()


# -- reset -------------------------------------------------------------------------------------


def test_reset_keeps_a_copy(locations: Locations) -> None:
    assert store.reset(locations) == store.ResetOutcome(None, None, started_over=False)
    assert not locations.progress_file.exists()  # nothing to reset: nothing written
    save(locations, progress_with(("one", "done")))
    save(locations, progress_with(("one", "done"), ("two", "yes")))
    before = locations.progress_file.read_bytes()
    backup_before = locations.backup_file.read_bytes()
    outcome = store.reset(locations)
    kept, backup_kept = outcome.progress_copy, outcome.backup_copy
    assert kept is not None and backup_kept is not None
    assert kept.name.startswith("progress.json.reset-")
    assert kept.read_bytes() == before
    assert backup_kept.name.startswith("progress.json.bak-")
    assert backup_kept.read_bytes() == backup_before
    assert mode(kept) == 0o600
    assert store.read_progress(locations) is None
    assert not locations.backup_file.exists()
    assert not locations.lock_file.exists()


def test_reset_keeps_even_an_unreadable_file(locations: Locations) -> None:
    locations.home.mkdir(mode=0o700)
    locations.progress_file.write_bytes(b"\x00\x01garbage")
    kept = store.reset(locations).progress_copy
    assert kept is not None
    assert kept.read_bytes() == b"\x00\x01garbage"


# -- the real migration: schema 1 to 2 (who gave each answer) ---------------------------


def test_schema_1_file_is_migrated_to_2_keeping_lineage_and_a_copy(locations: Locations) -> None:
    fixture = DATA / "progress" / "schema1.json"
    original = json.loads(fixture.read_bytes())
    original["lineage"] = "0123456789abcdef"
    old_bytes = json.dumps(original).encode()
    locations.home.mkdir(mode=0o700)
    locations.progress_file.write_bytes(old_bytes)
    with store.open_for_writing(locations, "mark") as writer:
        assert writer.lineage == "0123456789abcdef"
        kept = locations.home / "progress.json.schema1"
        assert kept.read_bytes() == old_bytes
        writer.save(writer.progress)
    saved = json.loads(locations.progress_file.read_bytes())
    assert saved["schema"] == 2
    assert saved["lineage"] == "0123456789abcdef"
    assert saved["lists"]["tell-your-surgeon"]["answers"]["removed-item"]["by"] == "patient"
    assert saved["lists"]["day-of"]["version"] == "sha256:0000000000000000"
    assert store.decode(kept.read_bytes()) == store.read_progress(locations)
    # the backup holds the schema 1 bytes it replaced, and still reads
    assert store.read_backup(locations) is not None


def test_the_migration_changes_only_the_answers_and_the_schema() -> None:
    document = json.loads((DATA / "progress" / "schema1.json").read_bytes())
    before = json.dumps(document, sort_keys=True)
    after = store.MIGRATIONS[1](document)
    assert json.dumps(document, sort_keys=True) == before  # the input is not changed
    assert after["schema"] == 2
    for entry in after["lists"].values():
        assert all(answer.pop("by") == "patient" for answer in entry["answers"].values())
    assert {**after, "schema": 1} == document


@pytest.mark.parametrize(
    "lists", [None, [], {"x": 3}, {"x": {"answers": [1]}}, {"x": {"answers": {"a": 2}}}]
)
def test_the_migration_leaves_wrong_shapes_for_decoding_to_refuse(lists: object) -> None:
    document = {"schema": 1, "lists": lists}
    assert store.MIGRATIONS[1](document) == {"schema": 2, "lists": lists}
    with pytest.raises(store._Unreadable):
        store.decode(json.dumps(document).encode())


@pytest.mark.parametrize("by", ["nurse", None, 3, "Patient"])
def test_who_answered_must_be_known(by: object) -> None:
    document = json.loads(store.encode(progress_with(("one", "done"))))
    document["lists"]["week-before"]["answers"]["one"]["by"] = by
    with pytest.raises(store._Unreadable, match="who gave an answer"):
        store.decode(json.dumps(document).encode())


def test_who_answered_is_saved_and_read_back(locations: Locations) -> None:
    progress = progress_with(("one", "done")).with_answer(
        LIST, "two", Answer("no", LATER, None, "caregiver")
    )
    save(locations, progress)
    assert store.read_progress(locations) == progress
    saved = json.loads(locations.progress_file.read_bytes())
    assert saved["lists"]["week-before"]["answers"]["two"]["by"] == "caregiver"
