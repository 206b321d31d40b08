"""The language foracheck speaks to the patient: English, or Spanish through gettext.

Every sentence a person reads goes through ``_`` (or ``ngettext`` when it
counts something) at the moment it is written, not at import time, so that the
language chosen for this run applies to it. English needs no catalog: the
messages are written in English, and neither gettext nor the catalog is ever
opened, which keeps an English command as fast as before. Stored answers, ids
and export field names never pass through here.

The language is chosen once, from the command line and the environment, before
``foracheck.cli`` is imported (its help texts are built at import): ``--lang``,
then ``FORACHECK_LANG``, then the locale (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``), else English; see ``choose``.

Catalog sources are the ``.po`` files under ``foracheck/locale/<code>/``
(one part per area of the code); they are compiled into
``foracheck/locale/<code>/LC_MESSAGES/foracheck.mo`` for ``gettext`` by
``foracheck.pocompile`` (the wheel build does it; so does a run whose
``.mo`` is missing or older than its parts, for developers).
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from foracheck.exit_codes import UsageError

if TYPE_CHECKING:
    import gettext
    from pathlib import Path

DOMAIN = "foracheck"
# A string, not a Path: pathlib is not loaded on the way to --version.
LOCALE_DIR: str | os.PathLike[str] = os.path.join(os.path.dirname(__file__), "locale")  # noqa: PTH118, PTH120
ENGLISH = "en"
LANG_ENV = "FORACHECK_LANG"
# The locale's variables, in the order gettext reads them.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# Locale names that mean "no language in particular": the messages as written.
_PLAIN_LOCALES = frozenset({"c", "posix"})
# The global options that take a value (``--lang`` must be found past them).
_VALUED_OPTIONS = frozenset({"--home", "--checklists", "--lang"})

_catalog: gettext.NullTranslations | None = None
_language = ENGLISH


def __getattr__(name: str) -> object:
    """``LANGUAGES``: each language's code and its name as its speakers write it,
    from the language records (``foracheck.languages``): a language is data."""
    if name == "LANGUAGES":
        from foracheck.languages import names

        return names()
    raise AttributeError(name)


def _exists(code: str) -> bool:
    from foracheck.languages import folder_of

    return folder_of(code) is not None


def _(message: str) -> str:
    """``message`` in the chosen language (itself in English)."""
    return message if _catalog is None else _catalog.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted message that fits ``count``, in the chosen language."""
    if _catalog is None:
        return singular if count == 1 else plural
    return _catalog.ngettext(singular, plural, count)


def use_language(code: str) -> None:
    """Speak ``code`` (a key of ``LANGUAGES``) from now on; English, with one notice,
    when its catalog cannot be used."""
    global _catalog, _language
    if not _exists(code):
        raise ValueError(f"no such language: {code!r}")  # callers pass a key of LANGUAGES
    _catalog = None if code == ENGLISH else _load_or_english(code)  # afresh: LOCALE_DIR may differ
    _language = code if code == ENGLISH or _catalog is not None else ENGLISH


def language() -> str:
    """The code of the language in use (``en`` unless another was chosen)."""
    return _language


# A catalog is a few hundred kilobytes; anything far larger is not one.
MAX_CATALOG_BYTES = 4 * 1024 * 1024


class _DamagedCatalog(Exception):
    """A catalog that cannot be used, with a short reason for the notice."""


def _load_or_english(code: str) -> gettext.NullTranslations | None:
    """The catalog of ``code``, or None (English) after one notice when it cannot be used.

    A damaged installation (guarantee 22): a FIFO, device or link to one where the
    catalog should be is never opened for reading (it would wait for a writer
    forever); an empty, truncated, oversized or malformed catalog, or one whose
    translations hold characters that could steer a terminal, gives English.
    """
    from foracheck.languages import DamagedRecord, record

    try:
        record(code)
        return _load(code)
    except (_DamagedCatalog, DamagedRecord) as damage:
        reason = str(damage)
    except Exception as error:  # gettext raises OSError, struct.error, KeyError, ...
        reason = type(error).__name__
    _tell_damaged(code, reason, str(LOCALE_DIR))
    return None


@functools.cache
def _tell_damaged(code: str, reason: str, _where: str) -> None:
    """The one notice of a run (the language is chosen more than once on the way in)."""
    import sys

    from foracheck.characters import shown
    from foracheck.languages import names

    notice = _(
        "Note: the {name} translation of foracheck is damaged ({reason}), so foracheck "
        "speaks English. Reinstalling foracheck brings it back."
    )
    # Written here, not through stdio (which speaks through this module): one line,
    # and a closed standard error is no reason to stop.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(shown(notice.format(name=names().get(code, code), reason=reason)) + "\n")
        sys.stderr.flush()


def _regular_size(path: Path, what: str) -> int | None:
    """The size of a regular file (links followed), None when missing; else _DamagedCatalog."""
    import stat

    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _DamagedCatalog(f"{what}: {error.strerror}") from None
    if not stat.S_ISREG(found.st_mode):
        raise _DamagedCatalog(f"{what} is not a regular file")
    if found.st_size > MAX_CATALOG_BYTES:
        raise _DamagedCatalog(f"{what} is far too large")
    return found.st_size


def _load(code: str) -> gettext.NullTranslations:
    """The catalog of ``code``: the compiled ``.mo``, or its ``.po`` parts when those are newer.

    An installed foracheck has only the ``.mo``. A developer's checkout may have
    an edited ``.po`` and no fresh ``.mo``: compiling the parts in memory shows
    the edit at once instead of a stale or missing translation.
    """
    import gettext
    import io
    from pathlib import Path

    from foracheck import pocompile
    from foracheck.languages import LOCALE_DIRS, folder_of

    locale_dir = Path(LOCALE_DIR)
    folder = folder_of(code)
    if folder is not None and Path(folder).parent != Path(LOCALE_DIRS[0]):
        locale_dir = Path(folder).parent  # a language that lives in a folder of its own
    compiled = pocompile.mo_path(code, locale_dir)
    parts = pocompile.parts_of(code, locale_dir)
    built = _regular_size(compiled, "the compiled catalog")
    for part in parts:
        _regular_size(part, part.name)
    built_time = compiled.stat().st_mtime if built is not None else None
    if parts and (built_time is None or any(p.stat().st_mtime > built_time for p in parts)):
        data = pocompile.compile_language(code, locale_dir)
    elif built is not None:
        from foracheck.languages import read_installed

        data = read_installed(compiled, MAX_CATALOG_BYTES, "the compiled catalog")
    else:
        raise _DamagedCatalog("no catalog")
    if not data:
        raise _DamagedCatalog("the catalog is empty")
    catalog = gettext.GNUTranslations(io.BytesIO(data))
    _check_texts(catalog)
    return catalog


def _check_texts(catalog: gettext.GNUTranslations) -> None:
    """Every translation is text that is safe to show (one search over all of them)."""
    from foracheck.characters import unsafe_character

    texts = vars(catalog).get("_catalog", {})
    if unsafe_character("\n".join(map(str, texts.values())), multiline=True) is not None:
        raise _DamagedCatalog("a translation holds a control character")


def known(code: str, where: str) -> str:
    """``code`` as a key of ``LANGUAGES``, or a UsageError naming the languages there are.

    ``where`` names what gave the code (``--lang``, ``FORACHECK_LANG``).
    """
    found = _from_locale_name(code)
    if found is None or found == "":
        from foracheck.languages import names

        available = ", ".join(f"{key} ({name})" for key, name in names().items())
        raise UsageError(
            _("{where} {code} is not a language foracheck speaks. Use one of: {available}.").format(
                where=where, code=repr(code), available=available
            )
        )
    return found


def _from_locale_name(name: str) -> str | None:
    """The language of a locale name ("es_MX.UTF-8", "es", "C"), None when not ours.

    The empty string means the name is empty or unset: nothing was asked for.
    """
    name = name.strip()
    if not name:
        return ""
    base = name.split(".")[0].split("@")[0]
    if base.lower() in _PLAIN_LOCALES:
        return ENGLISH
    code = base.replace("-", "_").split("_")[0].lower()
    return code if _exists(code) else None


def global_options(args: Sequence[str]) -> dict[str, str | None]:
    """The global options given before the command, by name, read where Click reads
    them: the scan stops at the first word that is neither an option nor an option's
    value, and at ``--``. A flag's value is None, and so is that of a valued option
    given last with nothing after it (Click refuses it; nothing here guesses)."""
    found: dict[str, str | None] = {}
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--" or not word.startswith("-"):
            break
        name, equals, given = word.partition("=")
        valued = name in _VALUED_OPTIONS
        value: str | None = given
        if valued and not equals:
            value = args[index + 1] if index + 1 < len(args) else None
            index += 1
        found[name] = value if valued else None
        index += 1
    return found


def _option_value(args: Sequence[str]) -> str | None:
    """The value of the global ``--lang`` option, read where Click will read it."""
    return global_options(args).get("--lang")


def choose(args: Sequence[str], environ: Mapping[str, str], remembered: str | None = None) -> str:
    """The language for this run: ``--lang``, ``FORACHECK_LANG``, the data folder's
    ``remembered`` language, the locale, else English.

    An unknown code given by ``--lang`` or ``FORACHECK_LANG`` is a usage error:
    someone asked for it by name. A locale that is not one of ours means English
    (the machine's setting was not a request to foracheck). Among the locale's
    variables, as in gettext, ``LANGUAGE`` may list several (``fr:es``); the
    first name that is one of ours (English included) decides.
    """
    asked, where = _option_value(args), "--lang"
    if asked is None:
        asked, where = environ.get(LANG_ENV, "").strip() or None, LANG_ENV
    if asked is None:
        return _remembered_or_locale(environ, remembered)
    try:
        return known(asked, where)
    except UsageError:  # said in the language the patient would otherwise read
        fallback = _remembered_or_locale(environ, remembered)
        if fallback != language():
            use_language(fallback)
        return known(asked, where)


def _remembered_or_locale(environ: Mapping[str, str], remembered: str | None) -> str:
    """The folder's remembered language when it is one of ours, else the locale's."""
    if remembered is not None and _exists(remembered):
        return remembered
    for variable in LOCALE_VARIABLES:
        for name in environ.get(variable, "").split(":"):
            code = _from_locale_name(name)
            if code:
                return code
    return ENGLISH
