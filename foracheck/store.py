"""The progress file: read it safely, save it durably, never lose it.

Guarantees (docs/reliability.md, "What foracheck guarantees"): atomic durable saves; one
writer at a time; only a missing file means "no progress yet" — anything
unreadable is moved aside and reported, never overwritten; a backup that only
ever holds a state that was read back and validated; a schema version with
migrations; private permissions; no symlink at the progress path is followed;
temp files left by a killed process are removed by the next writer.

The last good state outlives any later command. Every progress file carries a
*lineage*: a random id given when a fresh progress begins (first use, ``reset``,
or declining a restore at ``start``) and kept by every save. From that follow
three rules, all decided here and nowhere else:

- A *lost state* is a missing progress file (or one just moved aside as
  damaged) while something recoverable lies beside it (the backup, or a kept
  ``.bak-*``, ``.corrupt-*`` or ``.replaced-*`` copy). A writer then refuses
  (``LostProgressError`` or ``CorruptProgressError``, exit 65) and names
  ``foracheck restore``; ``start`` is asked, through ``on_lost``, whether to
  restore the best copy or to start over. Nothing at all there is first use.
- The backup is rotated only by a save of the lineage it holds. Before a state
  of another lineage would replace it, the backup is kept as ``.bak-<time>``.
- Starting over (``reset``, or "no" at ``start``) keeps every copy, sets the
  backup aside and writes a fresh, empty progress file of a new lineage, so that
  later writers do not mistake it for a lost state.

A file without a lineage was written by foracheck 0.1; its lineage stays unset
(the "0.1 lineage"), which is never created again, so no schema change is needed.

Schema 2 records who gave each answer (``by``: patient, caregiver or clinician).
A schema 1 file is migrated when read (every answer was the patient's); the
first writer keeps its bytes as ``progress.json.schema1`` before saving it as 2.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from foracheck import __version__
from foracheck.errors import (
    CorruptProgressError,
    InputFileMissingError,
    LostProgressError,
    ProgressLockedError,
    StorageError,
)
from foracheck.fsutil import (
    PRIVATE_DIR,
    PRIVATE_FILE,
    TEMP_SUFFIX,
    NotRegularFileError,
    atomic_write_bytes,
    fsync_dir,
    read_regular,
    remove_quietly,
    replace,
    temp_prefix,
    write_temp,
)
from foracheck.i18n import _, ngettext
from foracheck.invocation import command
from foracheck.lock import ProgressLock
from foracheck.model import ANSWERERS, DEFAULT_ANSWERER, ID_PATTERN, Answer, Progress
from foracheck.paths import Locations
from foracheck.remembered import forget, from_json, take
from foracheck.safetext import name, unsafe_character
from foracheck.signals import deferred
from foracheck.stdio import say

SCHEMA_VERSION = 2
MAX_PROGRESS_BYTES = 16 * 1024 * 1024
LINEAGE_PATTERN = re.compile(r"[0-9a-f]{8,64}")


class _Unreadable(ValueError):
    """The bytes are not a progress document we understand."""


class NewerProgressError(CorruptProgressError):
    """Saved by a newer foracheck: left untouched, never migrated down."""


def now_iso() -> str:
    """The current local time in the one written form (RFC 3339, ``±HH:MM``; UTC when
    the time zone setting is unusable)."""
    from foracheck.dates import now_text

    return now_text()


def _stamp() -> str:
    from foracheck.dates import local_now

    return local_now().strftime("%Y%m%dT%H%M%S")


def new_lineage() -> str:
    """A fresh lineage id: random, so two separate histories never share one."""
    import secrets

    return secrets.token_hex(8)


# -- encoding ------------------------------------------------------------------


def encode(progress: Progress, lineage: str | None = None) -> bytes:
    """The progress file's bytes: stable key order, one answer per entry.

    ``lineage`` is left out when unset, so a file of foracheck 0.1 is written
    back as it was.
    """
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
                    "by": answer.by,
                }
                for item_id, answer in sorted(answers.items())
            },
        }
    document = {
        "schema": SCHEMA_VERSION,
        "saved_by": f"foracheck {__version__}",
        **({"lineage": lineage} if lineage is not None else {}),
        "surgery_date": progress.surgery_date.isoformat() if progress.surgery_date else None,
        "welcomed": progress.welcomed,
        **({"settings": progress.settings.as_json()} if progress.settings.as_json() else {}),
        **({"date_changes": progress.date_changes} if progress.date_changes else {}),
        "lists": lists,
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _expect(condition: bool, what: str, **values: object) -> None:
    """``what`` (English, ``values`` fill its placeholders) is put into words only on failure."""
    if not condition:
        raise _Unreadable(_(what).format(**values))


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
    answered_at = _saved_time(answered_at)
    by = raw.get("by", DEFAULT_ANSWERER)  # left out, as hand-made files may: the patient
    _expect(isinstance(by, str) and by in ANSWERERS, "who gave an answer is not known")
    assert isinstance(by, str)
    note = _optional_str(raw.get("note"), "a note is not text")
    return Answer(value, answered_at, note, by)


def is_timestamp(text: str) -> bool:
    """RFC 3339 with a UTC offset, in range, as ``now_iso`` writes it (exports promise the same)."""
    from foracheck.dates import DateProblem, parse_time

    try:
        parse_time(text)
    except DateProblem:
        return False
    return True


def _saved_time(text: str) -> str:
    """A saved answer's time in the one written form, or _Unreadable.

    Files written before the one rule may hold any ISO 8601 time with an offset
    (``20270101T000000+0000``, an offset with seconds): those are rewritten in
    the one form (in UTC where the offset is not whole minutes). A time outside
    1900 to 2099 is refused, since every later command would trip over it.
    """
    from foracheck.dates import DateProblem, format_time, in_range, normal_time

    try:
        return normal_time(text)
    except DateProblem:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    _expect(
        moment is not None and moment.tzinfo is not None and in_range(moment.date()),
        "an answer's time is not a date and time with an offset between 1900 and 2099",
    )
    assert moment is not None
    offset = moment.utcoffset()
    if offset is None or offset % timedelta(minutes=1) or abs(offset) > timedelta(hours=14):
        moment = moment.astimezone(timezone.utc)
    return format_time(moment)


def _saved_date(text: str) -> date:
    """The saved surgery date by the one rule (``foracheck.dates``), or _Unreadable."""
    from foracheck.dates import DateProblem, parse_date

    try:
        return parse_date(text)
    except DateProblem as problem:
        message = _("the surgery date is refused: {problem}")
        raise _Unreadable(message.format(problem=str(problem).rstrip("."))) from None


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


# -- migrations ------------------------------------------------------------------


def _answers_record_who(document: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 to 2: every answer records who gave it; before, it was always the patient.

    Everything else (the lineage, the surgery date, answers to removed items) is
    carried over as it is. Shapes that are wrong are left for decoding to refuse.
    """
    lists = document.get("lists")
    if isinstance(lists, dict):
        lists = {list_id: _entry_with_who(entry) for list_id, entry in lists.items()}
    return {**document, "schema": 2, "lists": lists}


def _entry_with_who(entry: object) -> object:
    if not isinstance(entry, dict) or not isinstance(entry.get("answers"), dict):
        return entry
    answers = {
        item_id: {**raw, "by": DEFAULT_ANSWERER} if isinstance(raw, dict) else raw
        for item_id, raw in entry["answers"].items()
    }
    return {**entry, "answers": answers}


# Each entry upgrades a progress document from its key's schema to the next one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _answers_record_who,
}


def migrate(document: dict[str, Any]) -> dict[str, Any]:
    """Bring an older document up to SCHEMA_VERSION, one named step at a time.

    Each step must raise the schema number, so a faulty step cannot loop.
    """
    while document["schema"] < SCHEMA_VERSION:
        schema = document["schema"]
        step = MIGRATIONS.get(schema)
        _expect(step is not None, "no migration from schema {schema}", schema=schema)
        assert step is not None
        document = step(document)
        after = document.get("schema")
        _expect(
            isinstance(after, int) and not isinstance(after, bool) and after > schema,
            "the migration from schema {schema} did not raise the schema",
            schema=schema,
        )
    return document


def decode(data: bytes) -> Progress:
    """Parse and validate a progress file; _Unreadable or NewerProgressError otherwise."""
    return _parse(data).progress


@dataclass(frozen=True)
class _Parsed:
    """A progress file understood: its progress, schema and lineage."""

    progress: Progress
    schema: int
    lineage: str | None


def _lineage(document: dict[str, Any]) -> str | None:
    lineage = _optional_str(document.get("lineage"), "the lineage is not text")
    _expect(lineage is None or bool(LINEAGE_PATTERN.fullmatch(lineage)), "the lineage is malformed")
    return lineage


def _parse(data: bytes) -> _Parsed:
    """The progress, the schema version the file was written in, and its lineage."""
    _expect(len(data) <= MAX_PROGRESS_BYTES, "the file is far too large")
    try:  # a BOM, as some editors add, is not damage
        document = json.loads(data.removeprefix(b"\xef\xbb\xbf").decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise _Unreadable(_("not valid JSON")) from error
    _expect(isinstance(document, dict), "not a JSON object")
    schema = document.get("schema")
    _expect(isinstance(schema, int) and not isinstance(schema, bool) and schema >= 1, "no schema")
    if schema > SCHEMA_VERSION:
        message = _(
            "Your progress was saved by a newer foracheck (file format {schema}; this one reads "
            "up to {supported}). Please upgrade foracheck. Your file was not changed."
        )
        raise NewerProgressError(message.format(schema=schema, supported=SCHEMA_VERSION))
    document = migrate(document)
    raw_date = _optional_str(document.get("surgery_date"), "the surgery date is not text")
    surgery_date = _saved_date(raw_date) if raw_date else None
    welcomed = document.get("welcomed", False)
    _expect(isinstance(welcomed, bool), "'welcomed' is not true or false")
    date_changes = document.get("date_changes", 0)
    _expect(
        type(date_changes) is int and 0 <= date_changes < 1_000_000,
        "'date_changes' is not a small whole number",
    )
    answers, versions = _decode_lists(document.get("lists"))
    settings = from_json(document.get("settings"))
    progress = Progress(
        surgery_date, answers, versions, welcomed, settings=settings, date_changes=date_changes
    )
    return _Parsed(progress, schema, _lineage(document))


# -- reading -------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes | None:
    """The file's bytes, None when it does not exist; a link, FIFO or device is refused."""
    try:
        return read_regular(path, MAX_PROGRESS_BYTES)
    except NotRegularFileError as error:
        message = _(
            "{path} is {kind}, not a regular file. foracheck keeps answers only in "
            "a plain file there and does not follow links; move it away and run again."
        )
        raise StorageError(message.format(path=name(path), kind=error.strerror)) from None
    except OSError as error:
        message = _("Could not read {path} ({reason}).")
        raise StorageError(message.format(path=name(path), reason=error.strerror)) from None


def _stat_time(path: Path) -> str:
    """When a file's content was last written (a rename keeps it), for a person to read."""
    return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")


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
    if not kept_at.is_symlink():  # a planted link is kept as it is; its target is not ours
        kept_at.chmod(PRIVATE_FILE)
    fsync_dir(path.parent)
    return kept_at


def _move_aside(locations: Locations) -> Path | None:
    """Keep an unreadable progress file as ``.corrupt-<time>``; None if it stays put."""
    try:
        return _set_aside(locations.progress_file, ".corrupt-")
    except OSError:
        return None


# -- kept copies and lost states ---------------------------------------------------

# What each kept copy is, by the suffix after "progress.json" (English: the kinds are
# keys, shown through ``kind_text`` in the run's language). The backup and the
# LOST_SIGNS mean "answers were set aside": with no progress file beside them, that
# is a lost state. A reset copy is not one: reset leaves a fresh progress file.
KEPT_KINDS = {
    ".bak-": "an earlier backup",
    ".corrupt-": "a damaged file",
    ".replaced-": "a copy kept by restore",
    ".reset-": "a copy kept by reset",
}
LOST_SIGNS = (".bak-", ".corrupt-", ".replaced-")


def _kind(locations: Locations, path: Path) -> str | None:
    """What a kept copy in the data folder is; None for any other file."""
    if path == locations.backup_file:
        return "a backup"
    prefix = locations.progress_file.name
    for suffix, kind in KEPT_KINDS.items():
        if path.parent == locations.home and path.name.startswith(prefix + suffix):
            return kind
    return None


@dataclass(frozen=True)
class KeptCopy:
    """A readable earlier state: the backup or a kept copy, or a file named to restore."""

    path: Path
    progress: Progress
    lineage: str | None
    saved: str
    kind: str = "a copy"

    def kind_text(self) -> str:
        """What this copy is ("a backup"), in the run's language."""
        return _(self.kind)

    def describe(self) -> str:
        """A sentence a patient can decide on."""
        count = self.progress.count()
        where = "" if self.kind == "a backup" else f" ({name(self.path)})"
        words = ngettext(
            "{kind} from {saved} with {count} answer",
            "{kind} from {saved} with {count} answers",
            count,
        )
        return words.format(kind=self.kind_text(), saved=self.saved, count=count) + where

    def restored(self) -> str:
        """The sentence once it is back in place."""
        count = self.progress.count()
        noun = _(self.kind.split(" ", 1)[-1])  # "backup": the kind without its article
        message = ngettext(
            "Your {noun} is restored. It has {count} answer, saved {saved}.",
            "Your {noun} is restored. It has {count} answers, saved {saved}.",
            count,
        )
        return message.format(noun=noun, count=count, saved=self.saved)


Backup = KeptCopy  # the name read_backup's callers know


def _read_copy(path: Path, kind: str, follow_links: bool = False) -> KeptCopy:
    """A kept copy, read and validated; _Unreadable, NewerProgressError or OSError."""
    data = read_regular(path, MAX_PROGRESS_BYTES, follow_links=follow_links)
    if data is None:
        raise FileNotFoundError(errno.ENOENT, "no such file", str(path))
    parsed = _parse(data)
    return KeptCopy(path, parsed.progress, parsed.lineage, _stat_time(path), kind)


def _readable_copy(locations: Locations, path: Path) -> KeptCopy | None:
    kind = _kind(locations, path)
    if kind is None:
        return None
    try:
        return _read_copy(path, kind)
    except (CorruptProgressError, _Unreadable, OSError):
        return None


def read_backup(locations: Locations) -> KeptCopy | None:
    """The backup, if there is one that can be read."""
    return _readable_copy(locations, locations.backup_file)


STAMP = re.compile(r"\d{8}T\d{6}")


def _set_aside_order(locations: Locations, path: Path) -> tuple[str, bool]:
    """When a copy was set aside (the time in its name), and at one time, a progress
    file before the backup set aside with it (reset keeps both; the backup is older)."""
    stamp = STAMP.search(path.name)
    is_progress = not path.name.startswith(locations.backup_file.name)
    return (stamp.group() if stamp else "", is_progress)


def kept_copies(locations: Locations) -> list[Path]:
    """The backup, then every kept copy in the data folder, the last set aside first."""
    if not locations.home.is_dir():
        return []
    found = [path for path in locations.home.iterdir() if _kind(locations, path) is not None]
    found.sort(key=lambda path: _set_aside_order(locations, path), reverse=True)
    backup = [path for path in found if path == locations.backup_file]
    return backup + [path for path in found if path != locations.backup_file]


def best_copy(locations: Locations) -> KeptCopy | None:
    """What ``restore`` brings back by default: the backup, else the newest readable copy."""
    backup = read_backup(locations)
    if backup is not None:
        return backup
    for path in kept_copies(locations):
        copy = _readable_copy(locations, path)
        if copy is not None:
            return copy
    return None


@dataclass(frozen=True)
class LostState:
    """No progress file in use, while earlier answers were set aside beside it.

    ``damaged`` is where an unreadable file was just moved (and ``why`` it could
    not be read); ``best`` is what ``restore`` would bring back, if anything.
    """

    progress_file: Path
    best: KeptCopy | None
    damaged: Path | None = None
    why: str | None = None

    def situation(self) -> str:
        """What happened, in a sentence or two."""
        if self.damaged is not None:
            message = _(
                "Your saved progress could not be read ({why}). It was moved to "
                "{path}, so nothing is lost."
            )
            return message.format(why=self.why, path=name(self.damaged))
        message = _(
            "Your saved progress ({path}) is missing, but earlier answers are kept beside it."
        )
        return message.format(path=name(self.progress_file))

    def offer(self) -> str:
        """What can be brought back."""
        if self.best is None:
            return _("None of the kept copies can be read.")
        return _("There is {copy}.").format(copy=self.best.describe())

    def question(self) -> str | None:
        """What ``start`` asks, or None when there is nothing to restore."""
        return _("Restore it?") if self.best else None

    def refusal(self) -> str:
        """Why a writer saved nothing, and the two ways forward."""
        if self.best:
            restore = _("To bring it back, run: {restore} (or '{start}', which offers it).")
        else:
            restore = _("A saved copy from elsewhere comes back with: {restore}.")
        restore = restore.format(
            restore=command("restore") if self.best else command("restore", "--from", "FILE"),
            start=command("start"),
        )
        start_over = _(
            "Nothing was saved. To start over on purpose instead, run: {command} "
            "(every copy is kept)."
        ).format(command=command("reset"))
        return f"{self.situation()} {self.offer()} {restore} {start_over}"


def find_lost_state(locations: Locations) -> LostState | None:
    """The lost state, if the missing progress file is one (None: first use)."""
    prefixes = tuple(locations.progress_file.name + sign for sign in LOST_SIGNS)
    signs = [
        path
        for path in kept_copies(locations)
        if path == locations.backup_file or path.name.startswith(prefixes)
    ]
    if not signs:
        return None
    return LostState(locations.progress_file, best_copy(locations))


def _left_in_place(locations: Locations, why: str) -> CorruptProgressError:
    """An unreadable file that could not be moved aside: nobody may go on."""
    offer = LostState(locations.progress_file, best_copy(locations)).offer()
    message = _(
        "Your saved progress could not be read ({why}). It was left at "
        "{path}, so nothing is lost. {offer}"
    )
    return CorruptProgressError(
        message.format(why=why, path=name(locations.progress_file), offer=offer)
    )


def _damaged(locations: Locations, why: str) -> LostState:
    """Move an unreadable progress file aside (under the lock) and describe what is left."""
    kept_at = _move_aside(locations)
    if kept_at is None:
        raise _left_in_place(locations, why)
    return LostState(locations.progress_file, best_copy(locations), kept_at, why)


def read_progress(locations: Locations) -> Progress | None:
    """The saved progress, or None when nothing was saved yet (or since a reset).

    Anything unreadable raises CorruptProgressError (exit 65) after the file
    was kept aside; a file from a newer foracheck is left exactly as it is.
    """
    progress = read_state(locations)
    if progress is None or progress == Progress(settings=progress.settings):
        return None  # remembered settings alone are no progress
    return progress


def read_state(locations: Locations) -> Progress | None:
    """What the progress file holds, settings included; None when there is no file."""
    _remove_leftovers_if_free(locations)
    data = read_saved_bytes(locations)
    if data is None:
        return None
    try:
        progress = decode(data)
    except _Unreadable as error:
        try:
            with ProgressLock(locations.lock_file, "status"):
                lost = _damaged(locations, str(error))
        except (ProgressLockedError, StorageError):
            raise _left_in_place(locations, str(error)) from None
        raise CorruptProgressError(lost.refusal()) from None
    return progress


def read_saved_bytes(locations: Locations) -> bytes | None:
    """The progress file's bytes: those read already for the remembered settings, if any."""
    kept = take(locations.progress_file)
    if isinstance(kept, bool):
        return _read_bytes(locations.progress_file)
    return kept


# -- writing -------------------------------------------------------------------


def ensure_home(locations: Locations) -> None:
    """Create the data folder (and any missing parents) private to this user, whatever
    the umask; warn when an existing one can be changed by other users."""
    home = locations.home
    try:
        missing = [folder for folder in (home, *home.parents) if not folder.exists()]
        for folder in reversed(missing):
            folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
            folder.chmod(PRIVATE_DIR)  # mkdir's mode is cut by the umask, never widened
        mode = home.stat().st_mode
    except OSError as error:
        message = _("Could not create the data folder {home} ({reason}).")
        raise StorageError(message.format(home=name(home), reason=error.strerror)) from None
    if not stat.S_ISDIR(mode):
        message = _("The data folder {home} is not a folder. Please choose another.")
        raise StorageError(message.format(home=name(home)))
    if not missing and mode & (stat.S_IWGRP | stat.S_IWOTH):
        message = _(
            "Warning: other users can change files in your data folder {home}. "
            "To keep your answers private, run: chmod 700 {home}"
        )
        say(message.format(home=name(home)))


def remove_stale_temp_files(locations: Locations) -> None:
    """Temp files left by a killed foracheck; only the lock holder may call this."""
    prefix = temp_prefix(locations.progress_file)
    for leftover in locations.home.glob(f"{prefix}*{TEMP_SUFFIX}"):
        remove_quietly(leftover)


def _remove_leftovers_if_free(locations: Locations) -> None:
    """Temp files a killed writer (``import``, ``restore``, ``mark``) left, removed by the
    next command even when it only reads (finding 9 of issue 17).

    Only while no writer holds the lock (a writer's temp file is in use): the lock
    is taken without waiting, and a busy lock just leaves them for a later run.
    The folder is listed first, so a clean folder costs no lock file.
    """
    prefix = temp_prefix(locations.progress_file)
    try:
        names = [path.name for path in locations.home.iterdir()]
    except OSError:
        return
    if not any(name.startswith(prefix) and name.endswith(TEMP_SUFFIX) for name in names):
        return
    lock = ProgressLock(locations.lock_file, "status")
    try:
        if not lock.try_acquire():
            return
        remove_stale_temp_files(locations)
    except (StorageError, OSError):
        return  # never a reason for a read to fail
    finally:
        lock.release()


class ProgressWriter:
    """Saves progress under the lock; built by ``open_for_writing``.

    ``lineage`` is the lineage of the state on disk, which every save keeps;
    ``recovered`` says what ``open_for_writing`` did about a lost state, if anything.
    """

    def __init__(
        self, locations: Locations, progress: Progress, on_disk: bytes | None, lineage: str | None
    ) -> None:
        self.locations = locations
        self.progress = progress
        self.lineage = lineage
        self.recovered = ""
        self._on_disk = on_disk

    def save(self, progress: Progress) -> None:
        """Save durably; only then does ``self.progress`` change. StorageError on failure.

        Ctrl-C, SIGTERM and a hang-up are held back until the save is done, so an
        answer is stored whole or not at all.
        """
        moved = self.progress.surgery_date not in (None, progress.surgery_date)
        if moved:  # the calendar's SEQUENCE: events already on a phone move with it
            changes = max(progress.date_changes, self.progress.date_changes + 1)
            progress = dataclasses.replace(progress, date_changes=changes)
        with deferred():
            self._write(progress, self.lineage, rotate=True)

    def replace_state(self, progress: Progress, lineage: str | None) -> None:
        """Put another state (a restored copy, a fresh start) in place, backup untouched."""
        with deferred():
            self._write(progress, lineage, rotate=False)

    def _write(self, progress: Progress, lineage: str | None, rotate: bool) -> None:
        forget()  # what was read for the settings is no longer the file
        data = encode(progress, lineage)
        path = self.locations.progress_file
        try:
            temp = write_temp(path, data)
            with contextlib.ExitStack() as cleanup:
                cleanup.callback(remove_quietly, temp)
                if temp.read_bytes() != data:
                    message = _("Could not save to {path}: the written copy did not match.")
                    raise StorageError(message.format(path=name(path)))
                try:
                    decode(data)
                except _Unreadable as error:  # a bug, never the patient's data: keep the old file
                    message = _(
                        "Could not save to {path}: the new copy did not read back ({why}). "
                        "What was saved before is unchanged."
                    )
                    raise StorageError(message.format(path=name(path), why=error)) from None
                if rotate and self._on_disk is not None and self._on_disk != data:
                    self._rotate_backup(self._on_disk)
                replace(temp, path)
                cleanup.pop_all()
        except OSError as error:
            message = _(
                "Could not save your answers to {path} ({reason}). "
                "What was saved before is unchanged."
            )
            raise StorageError(
                message.format(path=name(path), reason=error.strerror or error)
            ) from None
        self._on_disk = data
        self.progress = progress
        self.lineage = lineage

    def _rotate_backup(self, previous: bytes) -> None:
        """The state being replaced becomes the backup, but never over another lineage's."""
        backup = self.locations.backup_file
        if not _holds_lineage(backup, self.lineage):
            _set_aside(backup, "-")
        atomic_write_bytes(backup, previous)


def _holds_lineage(path: Path, lineage: str | None) -> bool:
    """Whether ``path`` is absent or a readable state of this lineage (so it may be replaced)."""
    try:
        data = read_regular(path, MAX_PROGRESS_BYTES)
    except OSError:
        return False
    if data is None:
        return True
    try:
        return _parse(data).lineage == lineage
    except (_Unreadable, CorruptProgressError):
        return False


# What ``start`` decides on a lost state: True restores ``lost.best``, False starts over.
OnLost = Callable[[LostState], bool]


@contextlib.contextmanager
def open_for_writing(
    locations: Locations, command: str = "write", on_lost: OnLost | None = None
) -> Iterator[ProgressWriter]:
    """Hold the lock while changing progress; unreadable files raise, never get replaced.

    ``command`` is recorded in the lock file (``start`` is not waited for). A lost
    state raises, unless ``on_lost`` is given: then it decides, and the writer
    comes back restored or fresh, with ``recovered`` saying which.
    """
    ensure_home(locations)
    with ProgressLock(locations.lock_file, command):
        remove_stale_temp_files(locations)
        yield _open_writer(locations, on_lost)


def _open_writer(locations: Locations, on_lost: OnLost | None) -> ProgressWriter:
    data = _read_bytes(locations.progress_file)
    if data is None:
        lost = find_lost_state(locations)
        if lost is None:  # first use: a new lineage begins
            return ProgressWriter(locations, Progress(), None, new_lineage())
        return _recover(locations, lost, on_lost, LostProgressError)
    try:
        parsed = _parse(data)
    except _Unreadable as error:
        return _recover(locations, _damaged(locations, str(error)), on_lost, CorruptProgressError)
    if parsed.schema < SCHEMA_VERSION:
        _keep_pre_migration_copy(locations, parsed.schema, data)
    return ProgressWriter(locations, parsed.progress, data, parsed.lineage)


def _recover(
    locations: Locations,
    lost: LostState,
    on_lost: OnLost | None,
    refusal: type[LostProgressError] | type[CorruptProgressError],
) -> ProgressWriter:
    """Refuse, or let ``on_lost`` choose between the best copy and a fresh start."""
    if on_lost is None:
        raise refusal(lost.refusal())
    writer = ProgressWriter(locations, Progress(), None, None)
    best = lost.best
    if on_lost(lost) and best is not None:  # always told; asked only with something to offer
        writer.replace_state(best.progress, best.lineage)
        writer.recovered = best.restored()
        return writer
    backup_kept_at = _start_over(writer)
    kept_at = backup_kept_at or (best.path if best else None)
    if kept_at is None:
        writer.recovered = _("Starting again.")
        return writer
    if backup_kept_at:
        message = _(
            "Starting again. The backup is kept at {path}. To bring it back later, run: {command}"
        )
    else:
        message = _(
            "Starting again. The copy is kept at {path}. To bring it back later, run: {command}"
        )
    writer.recovered = message.format(
        path=name(kept_at), command=command("restore", "--from", str(kept_at))
    )
    return writer


def _start_over(writer: ProgressWriter) -> Path | None:
    """Set the backup aside and put a fresh, empty progress of a new lineage in place."""
    kept_at = set_backup_aside(writer.locations)
    writer.replace_state(Progress(), new_lineage())
    return kept_at


def _keep_pre_migration_copy(locations: Locations, schema: int, data: bytes) -> None:
    """Keep the old file once before migrating it (not again on every open)."""
    copy = locations.progress_file.with_name(f"{locations.progress_file.name}.schema{schema}")
    if copy.exists() and _read_bytes(copy) == data:
        return
    atomic_write_bytes(_unique(copy), data)


def set_backup_aside(locations: Locations) -> Path | None:
    """Keep the backup under its own name, so later saves cannot rotate it away.

    None when there is no backup; StorageError when it cannot be moved.
    """
    backup = locations.backup_file
    try:
        return _set_aside(backup, "-")
    except FileNotFoundError:
        return None
    except OSError as error:
        message = _("Could not keep the backup {path} aside ({reason}).")
        raise StorageError(message.format(path=name(backup), reason=error.strerror)) from None


@dataclass(frozen=True)
class ResetOutcome:
    """What ``reset`` kept: the progress it cleared and the backup, where there were any."""

    progress_copy: Path | None
    backup_copy: Path | None
    started_over: bool


def reset(locations: Locations) -> ResetOutcome:
    """Start over on purpose: every copy is kept, and a fresh progress of a new lineage begins.

    With nothing saved and nothing kept, nothing is written (``started_over`` False).
    """
    ensure_home(locations)
    with ProgressLock(locations.lock_file, "reset"):
        remove_stale_temp_files(locations)
        progress_file = locations.progress_file
        exists = _read_bytes(progress_file) is not None  # a link there is refused, not moved
        if not exists and find_lost_state(locations) is None:
            return ResetOutcome(None, None, started_over=False)
        progress_copy = None
        if exists:
            try:
                progress_copy = _set_aside(progress_file, ".reset-")
            except OSError as error:
                message = _("Could not reset {path} ({reason}).")
                raise StorageError(
                    message.format(path=name(progress_file), reason=error.strerror)
                ) from None
        writer = ProgressWriter(locations, Progress(), None, None)
        backup_copy = _start_over(writer)
        return ResetOutcome(progress_copy, backup_copy, started_over=True)


# -- restore ---------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    """What ``restore`` did: the copy it brought back, and where the replaced state went."""

    copy: KeptCopy
    replaced_copy: Path | None
    unchanged: bool


def restore(locations: Locations, source: Path | None = None) -> Restored:
    """Bring back the best kept copy, or ``source``; all or nothing, the replaced state kept.

    A short write: it waits for a ``mark`` like any other.
    """
    ensure_home(locations)
    with ProgressLock(locations.lock_file, "restore"):
        remove_stale_temp_files(locations)
        copy = _named_copy(locations, source) if source else best_copy(locations)
        if copy is None:
            message = _(
                "There is no backup or kept copy to restore in {home}. Name a file with: {command}"
            )
            raise InputFileMissingError(
                message.format(
                    home=name(locations.home), command=command("restore", "--from", "FILE")
                )
            )
        return _put_back(locations, copy)


def _named_copy(locations: Locations, source: Path) -> KeptCopy:
    """The file the user named: a kept copy's name in the data folder, or any path."""
    in_home = locations.home / source.name
    path = in_home if source.parent == Path() and not source.exists() else source
    try:
        copy = _read_copy(path, _kind(locations, path) or "a copy", follow_links=True)
        _refuse_later_than_tomorrow(copy.progress)
        return copy
    except FileNotFoundError:
        message = _("{path}: no such file. Nothing was changed.")
        raise InputFileMissingError(message.format(path=name(source))) from None
    except NotRegularFileError:
        message = _("{path}: not a regular file. Nothing was changed.")
        raise InputFileMissingError(message.format(path=name(source))) from None
    except OSError as error:
        message = _("Could not read {path} ({reason}). Nothing was changed.")
        raise StorageError(message.format(path=name(source), reason=error.strerror)) from None
    except _Unreadable as error:
        message = _(
            "{path} is not a foracheck progress file that can be read ({why}). Nothing was changed."
        )
        raise CorruptProgressError(message.format(path=name(source), why=error)) from None


def _refuse_later_than_tomorrow(progress: Progress) -> None:
    """A named file brings in answers from elsewhere: like ``import``, it may not bring
    an answer time later than tomorrow, which would win every later comparison."""
    from foracheck.dates import DateProblem, local_now, parse_time

    now = local_now()
    for answers in progress.answers.values():
        for answer in answers.values():
            try:
                parse_time(answer.answered_at, now)
            except DateProblem as problem:
                raise _Unreadable(str(problem).rstrip(".")) from None


def _put_back(locations: Locations, copy: KeptCopy) -> Restored:
    """Replace the progress with ``copy``, keeping what was there (readable or not)."""
    current = _read_bytes(locations.progress_file)
    if current is None:
        return _write_restored(locations, copy, None)
    try:
        parsed = _parse(current)
    except _Unreadable as error:
        return _write_restored(locations, copy, _damaged(locations, str(error)).damaged)
    if parsed.progress == copy.progress:
        return Restored(copy, None, unchanged=True)
    empty = parsed.progress == Progress()  # a fresh start holds nothing worth a copy
    return _write_restored(locations, copy, None if empty else _keep_replaced(locations, current))


def _keep_replaced(locations: Locations, current: bytes) -> Path:
    name = f"{locations.progress_file.name}.replaced-{_stamp()}"
    kept_at = _unique(locations.progress_file.with_name(name))
    atomic_write_bytes(kept_at, current)
    return kept_at


def _write_restored(locations: Locations, copy: KeptCopy, replaced_copy: Path | None) -> Restored:
    ProgressWriter(locations, Progress(), None, None).replace_state(copy.progress, copy.lineage)
    return Restored(copy, replaced_copy, unchanged=False)
