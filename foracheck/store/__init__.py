"""The progress file: read it safely, save it durably, never lose it.

One job per module: ``codec`` (bytes to progress and back, schema, migrations),
``kept`` (the backup and every copy set aside, leftovers), ``reading`` (reading
and the lost state), ``writer`` (the lock and atomic saves) and ``recovery``
(``reset``, ``restore``). What a patient reads about kept copies and lost states,
with the commands that help, is ``foracheck.kept_text``'s. Everyone else imports
from here.

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

from typing import TYPE_CHECKING

from foracheck.model import Progress
from foracheck.store.codec import (
    LINEAGE_PATTERN,
    MAX_PROGRESS_BYTES,
    MIGRATIONS,
    SCHEMA_VERSION,
    NewerProgressError,
    _Unreadable,
    decode,
    encode,
    is_timestamp,
    migrate,
    new_lineage,
    now_iso,
)
from foracheck.store.kept import (
    KEPT_KINDS,
    LOST_SIGNS,
    STAMP,
    Backup,
    KeptCopy,
    best_copy,
    kept_copies,
    read_backup,
    remove_stale_temp_files,
    set_backup_aside,
)
from foracheck.store.reading import (
    LostState,
    find_lost_state,
    read_progress,
    read_saved_bytes,
    read_state,
)

if TYPE_CHECKING:  # loaded on first use (below): a command that only reads never needs them
    from foracheck.store.recovery import (
        ResetOutcome,
        Restored,
        reset,
        restore,
    )
    from foracheck.store.writer import (
        OnLost,
        ProgressWriter,
        Recovered,
        ensure_home,
        open_for_writing,
    )

# The writer and recovery, by name: ``status``, ``show`` and the exports only read, and
# importing what writes costs every one of them a few milliseconds for nothing.
_LAZY = {
    **dict.fromkeys(("ResetOutcome", "Restored", "reset", "restore"), "recovery"),
    **dict.fromkeys(
        ("OnLost", "ProgressWriter", "Recovered", "ensure_home", "open_for_writing"), "writer"
    ),
}


def __getattr__(name: str) -> object:
    """A name of the writer or recovery modules, imported when first asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'foracheck.store' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"foracheck.store.{module}"), name)
    globals()[name] = value
    return value


# ``Progress`` too: tests name it as ``store.Progress``.
__all__ = [
    "KEPT_KINDS",
    "LINEAGE_PATTERN",
    "LOST_SIGNS",
    "MAX_PROGRESS_BYTES",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STAMP",
    "Backup",
    "KeptCopy",
    "LostState",
    "NewerProgressError",
    "OnLost",
    "Progress",
    "ProgressWriter",
    "Recovered",
    "ResetOutcome",
    "Restored",
    "_Unreadable",
    "best_copy",
    "decode",
    "encode",
    "ensure_home",
    "find_lost_state",
    "is_timestamp",
    "kept_copies",
    "migrate",
    "new_lineage",
    "now_iso",
    "open_for_writing",
    "read_backup",
    "read_progress",
    "read_saved_bytes",
    "read_state",
    "remove_stale_temp_files",
    "reset",
    "restore",
    "set_backup_aside",
]
