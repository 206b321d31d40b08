"""``foracheck settings``: what a data folder remembers for its patient, shown or changed.

Two settings, never health information: ``language`` (a language foracheck
speaks) and ``plain`` (``on``/``off``, the screen-reader mode). They live with
the progress (``remembered``), and every command run on the folder uses them
unless an option or an environment variable says otherwise.
"""

from __future__ import annotations

import dataclasses

from foracheck.errors import UsageError
from foracheck.i18n import _
from foracheck.invocation import command
from foracheck.paths import Locations
from foracheck.remembered import NAMES, PLAIN_VALUES, Settings


def _language_text(code: str | None) -> str:
    from foracheck.languages import folder_of, record

    if code is None:
        return _("not set (the locale decides)")
    return f"{code} ({record(code).name})" if folder_of(code) else code


def _plain_text(plain: bool | None) -> str:
    if plain is None:
        return _("not set (off unless TERM=dumb)")
    return "on" if plain else "off"


def show(locations: Locations, only: str | None = None) -> str:
    """Every remembered setting (or one), a line each, and how to change them."""
    from foracheck.store import read_state

    if only is not None:
        _check_name(only)
    progress = read_state(locations)
    settings = progress.settings if progress is not None else Settings()
    lines = []
    if only in (None, "language"):
        lines.append(f"language: {_language_text(settings.language)}")
    if only in (None, "plain"):
        lines.append(f"plain: {_plain_text(settings.plain)}")
    if only is None:
        hint = command("settings", "language", "es")
        lines.append(_("Change one with, for example: {command}").format(command=hint))
    return "\n".join(lines)


def _check_name(name: str) -> None:
    if name not in NAMES:
        raise UsageError(
            _("There is no setting '{name}'. The settings are: {names}.").format(
                name=name, names=", ".join(NAMES)
            )
        )


def parse(name: str, value: str) -> Settings:
    """The one setting ``name`` = ``value``, checked (a usage error names what is allowed)."""
    from foracheck.languages import codes

    _check_name(name)
    typed = value.strip().lower()
    if name == "language":
        if typed not in codes():
            raise UsageError(
                _("'{value}' is not a language foracheck speaks. Use one of: {choices}.").format(
                    value=value, choices=", ".join(codes())
                )
            )
        return Settings(language=typed)
    if typed not in PLAIN_VALUES:
        raise UsageError(_("plain is on or off, not '{value}'.").format(value=value))
    return Settings(plain=PLAIN_VALUES[typed])


def change(locations: Locations, name: str, value: str) -> str:
    """Remember ``name`` = ``value`` for this data folder; the sentence to show."""
    from foracheck.store import open_for_writing

    new = parse(name, value)
    with open_for_writing(locations, "settings") as writer:
        progress = writer.progress
        old = progress.settings
        merged = Settings(
            language=new.language if new.language is not None else old.language,
            plain=new.plain if new.plain is not None else old.plain,
        )
        if merged != old:
            writer.save(dataclasses.replace(progress, settings=merged))
    shown = _language_text(merged.language) if name == "language" else _plain_text(merged.plain)
    return _("Remembered for this data folder: {name} {value}.").format(name=name, value=shown)
