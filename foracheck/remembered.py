"""What a data folder remembers for its patient: the language and the plain mode.

They live in the progress file (``settings``), never anything about health. A
run decides its language and mode before anything is shown: ``--lang`` and
``--plain`` first, then ``FORACHECK_LANG`` and ``ACCESSIBLE``, then what the
folder remembers, then the locale and ``TERM=dumb``. Reading what the folder
remembers reads the progress file once; the bytes are kept here for the
command's own read of the progress (``take``), so a ``status`` reads its file
only once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

# A value for each setting: what ``foracheck settings NAME VALUE`` takes.
PLAIN_VALUES = {"on": True, "off": False}
NAMES = ("language", "plain")


class Settings(NamedTuple):
    """The remembered settings; None where nothing is remembered."""

    # A NamedTuple, not a frozen dataclass: a quarter of the cost to define
    # (every command but --version loads it).
    language: str | None = None
    plain: bool | None = None

    def as_json(self) -> dict[str, object]:
        """The ``settings`` object of the progress file (only what is set)."""
        found: dict[str, object] = {}
        if self.language is not None:
            found["language"] = self.language
        if self.plain is not None:
            found["plain"] = self.plain
        return found


def from_json(raw: object) -> Settings:
    """Settings from the progress file's ``settings`` object; anything odd is left out
    (a setting is a preference: a wrong one must never make the answers unreadable)."""
    if not isinstance(raw, Mapping):
        return Settings()
    language = raw.get("language")
    plain = raw.get("plain")
    return Settings(
        language=language if isinstance(language, str) and language.isalpha() else None,
        plain=plain if isinstance(plain, bool) else None,
    )


# The progress file's bytes as read for the settings, by path, for this one run.
_read: dict[Path, bytes | None] = {}


def folder_settings(args: Sequence[str], environ: Mapping[str, str]) -> Settings:
    """What the data folder named by ``args`` and ``environ`` remembers (nothing when
    its progress file cannot be read: the command itself will say why)."""
    from foracheck.i18n import global_options
    from foracheck.paths import Locations

    home = global_options(args).get("--home")
    if home is not None and not home.strip():
        return Settings()
    try:
        where = Locations.resolve(Path(home).expanduser() if home else None, (), environ)
        path = where.progress_file
        if path not in _read:
            _read[path] = _read_file(path)
        data = _read[path]
    except (OSError, ValueError):
        return Settings()
    if not data or b'"settings"' not in data:
        return Settings()
    import json

    try:
        document = json.loads(data)
    except ValueError:
        return Settings()
    return from_json(document.get("settings") if isinstance(document, dict) else None)


# store.MAX_PROGRESS_BYTES (a test keeps them equal): store is not imported this early,
# so that a command that never reads the progress (list, validate, --help) does not load it.
PROGRESS_LIMIT = 16 * 1024 * 1024


def _read_file(path: Path) -> bytes | None:
    from foracheck.fsutil import read_regular

    return read_regular(path, PROGRESS_LIMIT)


def take(path: Path) -> bytes | bool | None:
    """The bytes read for the settings at ``path`` (None: no file), once; False when
    nothing was read, so the caller reads the file itself."""
    return _read.pop(path, False)


def forget() -> None:
    """Drop what was read: the file is being written, or the run is over."""
    _read.clear()


def decide(args: Sequence[str], environ: Mapping[str, str] | None = None) -> Settings:
    """This run's language and plain mode, chosen and put in effect (see the module)."""
    from foracheck import accessible, i18n

    env = os.environ if environ is None else environ
    lang_given = i18n._option_value(args) is not None or bool(env.get(i18n.LANG_ENV, "").strip())
    plain_given = "--plain" in i18n.global_options(args) or accessible.env_says(env) is not None
    remembered = Settings() if lang_given and plain_given else folder_settings(args, env)
    code = i18n.choose(args, env, remembered.language)
    if code != i18n.language():
        i18n.use_language(code)
    accessible.remember(remembered.plain)
    return remembered
