"""The language foracheck speaks to the patient: English, or Spanish through gettext.

Every sentence a person reads goes through ``_`` (or ``ngettext`` when it
counts something) at the moment it is written, not at import time, so that the
language chosen for this run applies to it. English needs no catalog: the
messages are written in English, and the catalog is never opened, which keeps
an English command as fast as before. Stored answers, ids and export field
names never pass through here.

Catalog sources are the ``.po`` files under ``foracheck/locale/<code>/``
(one part per area of the code); they are compiled into
``foracheck/locale/<code>/LC_MESSAGES/foracheck.mo`` for ``gettext``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gettext

DOMAIN = "foracheck"
LOCALE_DIR = Path(__file__).parent / "locale"
ENGLISH = "en"
# Each language's code and its name as its speakers write it.
LANGUAGES: dict[str, str] = {"en": "English", "es": "español"}

_catalog: gettext.NullTranslations | None = None
_language = ENGLISH


def _(message: str) -> str:
    """``message`` in the chosen language (itself in English)."""
    return message if _catalog is None else _catalog.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted message that fits ``count``, in the chosen language."""
    if _catalog is None:
        return singular if count == 1 else plural
    return _catalog.ngettext(singular, plural, count)


def use_language(code: str) -> None:
    """Speak ``code`` (a key of ``LANGUAGES``) from now on."""
    global _catalog, _language
    if code == ENGLISH:
        _catalog, _language = None, ENGLISH
        return
    import gettext

    _catalog = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code])
    _language = code


def language() -> str:
    """The code of the language in use (``en`` unless another was chosen)."""
    return _language
