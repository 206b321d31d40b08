"""The progress file: read it safely, save it durably, never lose it.

Guarantees (see RELIABILITY.md): atomic durable saves; one writer at a time;
only a missing file means "no progress yet" — anything unreadable is moved
aside and reported, never overwritten; a backup that only ever holds a state
that was read back and validated; a schema version with migrations; private
permissions; no symlink at the progress path is followed; temp files left by a
killed process are removed by the next writer.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from foracheck import __version__
from foracheck.errors import CorruptProgressError, ProgressLockedError, StorageError
from foracheck.fsutil import (
    PRIVATE_DIR,
    PRIVATE_FILE,
    TEMP_SUFFIX,
    atomic_write_bytes,
    fsync_dir,
    remove_quietly,
    replace,
    temp_prefix,
    write_temp,
)
from foracheck.lock import ProgressLock
from foracheck.model import ID_PATTERN, Answer, Progress
from foracheck.paths import Locations
from foracheck.safetext import unsafe_character
from foracheck.signals import deferred

SCHEMA_VERSION = 1
# Each entry upgrades a progress document from its key's schema to the next one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
MAX_PROGRESS_BYTES = 16 * 1024 * 1024


class _Unreadable(ValueError):
    """The bytes are not a progress document we understand."""


class NewerProgressError(CorruptProgressError):
    """Saved by a newer foracheck: left untouched, never migrated down."""


def now_iso() -> str:
    """The current local time, ISO 8601 with its UTC offset."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%dT%H%M%S")


# -- encoding ------------------------------------------------------------------


def encode(progress: Progress) -> bytes:
    """The progress file's bytes: stable key order, one answer per entry."""
    lists: dict[str, Any] = {}
    for list_id in sorted(set(progress.answers) | set(progress.list_versions)):
        answers = progress.answers_for(list_id)
        lists[list_id] = {
            "version": progress.list_versions.get(list_id),
            "answers": {
                item_id: {
                    "answer": answer.value,
                    "answered_at": answer.answered_at,
                    "note": answer.note,
                }
                for item_id, answer in sorted(answers.items())
            },
        }
    document = {
        "schema": SCHEMA_VERSION,
        "saved_by": f"foracheck {__version__}",
        "surgery_date": progress.surgery_date.isoformat() if progress.surgery_date else None,
        "welcomed": progress.welcomed,
        "lists": lists,
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise _Unreadable(what)


def _optional_str(value: object, what: str) -> str | None:
    """Text or nothing. Text that could steer a terminal (ESC, a lone surrogate) is not
    text foracheck writes, so the file is treated as damaged (guarantee 13); tabs and
    line breaks, which older versions let into answers and notes, still read."""
    _expect(value is None or isinstance(value, str), what)
    if isinstance(value, str):
        _expect(unsafe_character(value, multiline=True) is None, what)
        return value
    return None


def _decode_answer(raw: object) -> Answer:
    _expect(isinstance(raw, dict), "an answer is not an object")
    assert isinstance(raw, dict)
    value = _optional_str(raw.get("answer"), "an answer is not text")
    answered_at = _optional_str(raw.get("answered_at"), "an answer time is not text")
    _expect(value is not None and answered_at is not None, "an answer is incomplete")
    assert value is not None and answered_at is not None
    return Answer(value, answered_at, _optional_str(raw.get("note"), "a note is not text"))


def _decode_lists(raw: object) -> tuple[dict[str, dict[str, Answer]], dict[str, str]]:
    _expect(isinstance(raw, dict), "'lists' is not an object")
    assert isinstance(raw, dict)
    answers: dict[str, dict[str, Answer]] = {}
    versions: dict[str, str] = {}
    for list_id, entry in raw.items():
        _expect(bool(ID_PATTERN.fullmatch(list_id)), "a checklist id is malformed")
        _expect(isinstance(entry, dict) and isinstance(entry.get("answers"), dict), "a list entry")
        version = _optional_str(entry.get("version"), "a list version is not text")
        if version is not None:
            versions[list_id] = version
        list_answers = {}
        for item_id, raw_answer in entry["answers"].items():
            _expect(bool(ID_PATTERN.fullmatch(item_id)), "an item id is malformed")
            list_answers[item_id] = _decode_answer(raw_answer)
        if list_answers:
            answers[list_id] = list_answers
    return answers, versions


def migrate(document: dict[str, Any]) -> dict[str, Any]:
    """Bring an older document up to SCHEMA_VERSION, one named step at a time."""
    while document["schema"] < SCHEMA_VERSION:
        step = MIGRATIONS.get(document["schema"])
        _expect(step is not None, f"no migration from schema {document['schema']}")
        assert step is not None
        document = step(document)
    return document


def decode(data: bytes) -> Progress:
    """Parse and validate a progress file; _Unreadable or NewerProgressError otherwise."""
    return _parse(data)[0]


def _parse(data: bytes) -> tuple[Progress, int]:
    """The progress and the schema version the file was written in."""
    _expect(len(data) <= MAX_PROGRESS_BYTES, "the file is far too large")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise _Unreadable("not valid JSON") from error
    _expect(isinstance(document, dict), "not a JSON object")
    schema = document.get("schema")
    _expect(isinstance(schema, int) and not isinstance(schema, bool) and schema >= 1, "no schema")
    if schema > SCHEMA_VERSION:
        raise NewerProgressError(
            f"Your progress was saved by a newer foracheck (file format {schema}; this one reads "
            f"up to {SCHEMA_VERSION}). Please upgrade foracheck. Your file was not changed."
        )
    document = migrate(document)
    raw_date = _optional_str(document.get("surgery_date"), "the surgery date is not text")
    try:
        surgery_date = date.fromisoformat(raw_date) if raw_date else None
    except ValueError as error:
        raise _Unreadable("the surgery date is malformed") from error
    welcomed = document.get("welcomed", False)
    _expect(isinstance(welcomed, bool), "'welcomed' is not true or false")
    answers, versions = _decode_lists(document.get("lists"))
    return Progress(surgery_date, answers, versions, welcomed), schema


# -- reading -------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes | None:
    """The file's bytes, None when it does not exist; a symlink is refused."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP or path.is_symlink():
            raise StorageError(
                f"{path} is a symbolic link. foracheck does not follow links at the progress "
                "path; remove the link and run again."
            ) from None
        raise StorageError(f"Could not read {path} ({error.strerror}).") from None
    try:
        with os.fdopen(fd, "rb") as stream:
            return stream.read(MAX_PROGRESS_BYTES + 1)
    except OSError as error:
        raise StorageError(f"Could not read {path} ({error.strerror}).") from None


@dataclass(frozen=True)
class Backup:
    """The last good copy of the progress, offered when the file cannot be read."""

    path: Path
    progress: Progress
    saved: str

    def describe(self) -> str:
        """A sentence a patient can decide on."""
        count = self.progress.count()
        return f"a backup from {self.saved} with {count} answer{'s' * (count != 1)}"


def read_backup(locations: Locations) -> Backup | None:
    """The backup, if there is one that can be read."""
    path = locations.backup_file
    try:
        data = _read_bytes(path)
        if data is None:
            return None
        progress = decode(data)
        saved = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except (CorruptProgressError, StorageError, _Unreadable, OSError):
        return None
    return Backup(path, progress, saved)


def _unique(path: Path) -> Path:
    candidate, counter = path, 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{path.name}-{counter}")
    return candidate


def _set_aside(path: Path, suffix: str) -> Path:
    """Rename ``path`` to ``<name><suffix><time>`` (never over another file), privately.

    Raises OSError when the rename fails; the file is then where it was.
    """
    kept_at = _unique(path.with_name(f"{path.name}{suffix}{_stamp()}"))
    path.replace(kept_at)
    kept_at.chmod(PRIVATE_FILE)
    fsync_dir(path.parent)
    return kept_at


def _move_aside(locations: Locations) -> Path | None:
    """Keep an unreadable progress file as ``.corrupt-<time>``; None if it stays put."""
    try:
        return _set_aside(locations.progress_file, ".corrupt-")
    except OSError:
        return None


def _unreadable(locations: Locations, why: str, kept_at: Path | None) -> CorruptProgressError:
    """Explain an unreadable progress file and the way forward."""
    where = f"It was moved to {kept_at}" if kept_at else f"It was left at {locations.progress_file}"
    backup = read_backup(locations)
    offer = (
        f" There is {backup.describe()}: run 'foracheck start' to restore it."
        if backup
        else " There is no backup; 'foracheck start' will begin again."
    )
    return CorruptProgressError(
        f"Your saved progress could not be read ({why}). {where}, so nothing is lost.{offer}"
    )


def read_progress(locations: Locations) -> Progress | None:
    """The saved progress, or None when nothing was saved yet.

    Anything unreadable raises CorruptProgressError (exit 65) after the file
    was kept aside; a file from a newer foracheck is left exactly as it is.
    """
    data = _read_bytes(locations.progress_file)
    if data is None:
        return None
    try:
        return decode(data)
    except _Unreadable as error:
        kept_at = None
        with (
            contextlib.suppress(ProgressLockedError, StorageError),
            ProgressLock(locations.lock_file),
        ):
            kept_at = _move_aside(locations)
        raise _unreadable(locations, str(error), kept_at) from None


# -- writing -------------------------------------------------------------------


def ensure_home(locations: Locations) -> None:
    """Create the data folder, private to this user."""
    try:
        locations.home.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    except OSError as error:
        raise StorageError(
            f"Could not create the data folder {locations.home} ({error.strerror})."
        ) from None


def remove_stale_temp_files(locations: Locations) -> None:
    """Temp files left by a killed foracheck; only the lock holder may call this."""
    prefix = temp_prefix(locations.progress_file)
    for leftover in locations.home.glob(f"{prefix}*{TEMP_SUFFIX}"):
        remove_quietly(leftover)


class ProgressWriter:
    """Saves progress under the lock; built by ``open_for_writing``."""

    def __init__(self, locations: Locations, progress: Progress, on_disk: bytes | None) -> None:
        self.locations = locations
        self.progress = progress
        self._on_disk = on_disk

    def save(self, progress: Progress) -> None:
        """Save durably; only then does ``self.progress`` change. StorageError on failure.

        Ctrl-C, SIGTERM and a hang-up are held back until the save is done, so an
        answer is stored whole or not at all.
        """
        with deferred():
            self._save(progress)

    def _save(self, progress: Progress) -> None:
        data = encode(progress)
        path = self.locations.progress_file
        try:
            temp = write_temp(path, data)
            with contextlib.ExitStack() as cleanup:
                cleanup.callback(remove_quietly, temp)
                if temp.read_bytes() != data:
                    raise StorageError(f"Could not save to {path}: the written copy did not match.")
                try:
                    decode(data)
                except _Unreadable as error:  # a bug, never the patient's data: keep the old file
                    raise StorageError(
                        f"Could not save to {path}: the new copy did not read back ({error}). "
                        "What was saved before is unchanged."
                    ) from None
                if self._on_disk is not None and self._on_disk != data:
                    atomic_write_bytes(self.locations.backup_file, self._on_disk)
                replace(temp, path)
                cleanup.pop_all()
        except OSError as error:
            raise StorageError(
                f"Could not save your answers to {path} ({error.strerror or error}). "
                "What was saved before is unchanged."
            ) from None
        self._on_disk = data
        self.progress = progress


@contextlib.contextmanager
def open_for_writing(locations: Locations) -> Iterator[ProgressWriter]:
    """Hold the lock while changing progress; unreadable files raise, never get replaced."""
    ensure_home(locations)
    with ProgressLock(locations.lock_file):
        remove_stale_temp_files(locations)
        data = _read_bytes(locations.progress_file)
        progress = Progress()
        if data is not None:
            try:
                progress, schema = _parse(data)
            except _Unreadable as error:
                raise _unreadable(locations, str(error), _move_aside(locations)) from None
            if schema < SCHEMA_VERSION:
                _keep_pre_migration_copy(locations, schema, data)
        yield ProgressWriter(locations, progress, data)


def _keep_pre_migration_copy(locations: Locations, schema: int, data: bytes) -> None:
    """Keep the old file once before migrating it (not again on every open)."""
    copy = locations.progress_file.with_name(f"{locations.progress_file.name}.schema{schema}")
    if copy.exists() and _read_bytes(copy) == data:
        return
    atomic_write_bytes(_unique(copy), data)


def set_backup_aside(locations: Locations) -> Path | None:
    """Keep the backup under its own name, so later saves cannot rotate it away."""
    try:
        return _set_aside(locations.backup_file, "-")
    except OSError:
        return None


def reset(locations: Locations) -> Path | None:
    """Forget saved progress, keeping a copy; returns where the copy is (None: nothing saved)."""
    ensure_home(locations)
    with ProgressLock(locations.lock_file):
        progress_file = locations.progress_file
        if _read_bytes(progress_file) is None:
            return None
        try:
            kept_at = _set_aside(progress_file, ".reset-")
        except OSError as error:
            raise StorageError(f"Could not reset {progress_file} ({error.strerror}).") from None
        remove_quietly(locations.backup_file)
        return kept_at
