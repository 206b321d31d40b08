"""What kept copies and lost states are called, and the commands that bring answers back.

The store decides (what was set aside, what is lost, what ``restore`` would
choose) and hands over plain data: a ``KeptCopy``, a ``LostState``, a
``Recovered``. The sentences a patient reads about them, with the command hints
(``foracheck restore``, ``reset``, ``start``), are written here, for the layers
that print them (``session``, ``lost``, ``marking``) and for the errors the store
raises. The store is imported only for its types, so it may call this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foracheck.i18n import _, ngettext
from foracheck.invocation import command
from foracheck.safetext import name

if TYPE_CHECKING:
    from pathlib import Path

    from foracheck.store.kept import KeptCopy
    from foracheck.store.reading import LostState
    from foracheck.store.writer import Recovered


def kind_text(copy: KeptCopy) -> str:
    """What this copy is ("a backup"), in the run's language."""
    return _(copy.kind)


def describe(copy: KeptCopy) -> str:
    """A sentence a patient can decide on."""
    count = copy.progress.count()
    where = "" if copy.kind == "a backup" else f" ({name(copy.path)})"
    words = ngettext(
        "{kind} from {saved} with {count} answer",
        "{kind} from {saved} with {count} answers",
        count,
    )
    return words.format(kind=kind_text(copy), saved=copy.saved, count=count) + where


def restored(copy: KeptCopy) -> str:
    """The sentence once it is back in place."""
    count = copy.progress.count()
    noun = _(copy.kind.split(" ", 1)[-1])  # "backup": the kind without its article
    message = ngettext(
        "Your {noun} is restored. It has {count} answer, saved {saved}.",
        "Your {noun} is restored. It has {count} answers, saved {saved}.",
        count,
    )
    return message.format(noun=noun, count=count, saved=copy.saved)


def situation(lost: LostState) -> str:
    """What happened, in a sentence or two."""
    if lost.damaged is not None:
        message = _(
            "Your saved progress could not be read ({why}). It was moved to "
            "{path}, so nothing is lost."
        )
        return message.format(why=lost.why, path=name(lost.damaged))
    message = _("Your saved progress ({path}) is missing, but earlier answers are kept beside it.")
    return message.format(path=name(lost.progress_file))


def offer(best: KeptCopy | None) -> str:
    """What can be brought back."""
    if best is None:
        return _("None of the kept copies can be read.")
    return _("There is {copy}.").format(copy=describe(best))


def question(lost: LostState) -> str | None:
    """What ``start`` asks, or None when there is nothing to restore."""
    return _("Restore it?") if lost.best else None


def refusal(lost: LostState) -> str:
    """Why a writer saved nothing, and the two ways forward."""
    if lost.best:
        restore = _("To bring it back, run: {restore} (or '{start}', which offers it).")
    else:
        restore = _("A saved copy from elsewhere comes back with: {restore}.")
    restore = restore.format(
        restore=command("restore") if lost.best else command("restore", "--from", "FILE"),
        start=command("start"),
    )
    start_over = _(
        "Nothing was saved. To start over on purpose instead, run: {command} (every copy is kept)."
    ).format(command=command("reset"))
    return f"{situation(lost)} {offer(lost.best)} {restore} {start_over}"


def left_in_place(path: Path, why: str, best: KeptCopy | None) -> str:
    """An unreadable file that could not be moved aside: nobody may go on."""
    message = _(
        "Your saved progress could not be read ({why}). It was left at "
        "{path}, so nothing is lost. {offer}"
    )
    return message.format(why=why, path=name(path), offer=offer(best))


def recovered(outcome: Recovered) -> str:
    """What ``start`` did about a lost state: the copy it restored, or where answers stay."""
    if outcome.restored is not None:
        return restored(outcome.restored)
    if outcome.kept_at is None:
        return _("Starting again.")
    if outcome.backup_kept:
        message = _(
            "Starting again. The backup is kept at {path}. To bring it back later, run: {command}"
        )
    else:
        message = _(
            "Starting again. The copy is kept at {path}. To bring it back later, run: {command}"
        )
    kept_at = outcome.kept_at
    return message.format(path=name(kept_at), command=command("restore", "--from", str(kept_at)))


def nothing_to_restore(home: Path) -> str:
    """``restore`` found no backup or kept copy (exit 66)."""
    message = _("There is no backup or kept copy to restore in {home}. Name a file with: {command}")
    return message.format(home=name(home), command=command("restore", "--from", "FILE"))
