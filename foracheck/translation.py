"""A checklist's translations: which files they are, and whether they fit their base file.

A translation is the sibling file ``NAME.LANG.yaml`` of a base file ``NAME.yaml``
(``week-before.es.yaml`` beside ``week-before.yaml``). It is a whole checklist
in the same format, so it validates like any list and a clinic makes one by
copying its base file and changing the words. Only the words may differ (title,
intro, source, item text, details and an alert's text): the id, order, timing,
and each item's id, place, type, ``show_if``, ``when``, ``critical``,
``tell_surgeon`` and alert answer must be the base file's, so that an answer
means the same in every language. The catalog never shows a translation as a
list of its own: the base list carries the translation's words
(``Checklist.wordings``) and is shown in them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from foracheck.i18n import _
from foracheck.model import BASE_LANGUAGE, Checklist, Item, ShowIf, Window

# Two lowercase letters (ISO 639-1), as LANGUAGES and --lang use them.
_LANGUAGE_CODE = re.compile(r"[a-z]{2}")


def split_name(path: Path) -> tuple[str, str | None]:
    """``(NAME, LANG)`` for ``NAME.LANG.yaml``; ``(NAME, None)`` for a base file."""
    name, dot, code = path.stem.rpartition(".")
    if dot and name and _LANGUAGE_CODE.fullmatch(code):
        return name, code
    return path.stem, None


def base_path(path: Path) -> Path:
    """Where the base file of a translation is: the same name without the language."""
    return path.with_name(split_name(path)[0] + path.suffix)


def sibling_translations(path: Path) -> list[Path]:
    """The translation files beside a base file, by language code."""
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return []
    found = [
        child
        for child in candidates
        if child.suffix == path.suffix and split_name(child) != (path.stem, None)
        if split_name(child)[0] == path.stem
    ]
    return sorted(found, key=lambda child: child.name)


class Mismatch(NamedTuple):
    """Where a translation departs from its base file: a list key, an item, an item key.

    ``item`` None means the list itself; ``key`` None means the item as a whole.
    """

    # A NamedTuple, not a frozen dataclass: a quarter of the cost to define, which every
    # command that loads this module pays (only a translation that does not fit makes one).
    item: str | None
    key: str | None
    message: str


def _window(window: Window | None) -> str:
    if window is None:
        return "none"
    until = f", until: {window.end_text}" if window.end_text else ""
    return f"from: {window.start_text}{until}"


def _show_if(show_if: ShowIf | None) -> str:
    return "none" if show_if is None else f"item: {show_if.item}, answer: {show_if.answer}"


def _differs(key: str, base_value: str) -> str:
    return _(
        "'{key}' is not the base file's ({value}); a translation changes only the words"
    ).format(key=key, value=base_value)


def _presence(key: str, base_has: bool) -> str:
    if base_has:
        return _(
            "'{key}' is missing; the base file has one, so the translation needs it too"
        ).format(key=key)
    return _("'{key}' is here but not in the base file; a translation adds no text").format(key=key)


def _item_mismatches(base: Item, other: Item) -> Iterable[Mismatch]:
    pairs: list[tuple[str, object, object, str]] = [
        ("type", base.type, other.type, base.type),
        ("show_if", base.show_if, other.show_if, _show_if(base.show_if)),
        ("when", base.when, other.when, _window(base.when)),
        ("critical", base.critical, other.critical, str(base.critical).lower()),
        ("tell_surgeon", base.tell_surgeon, other.tell_surgeon, str(base.tell_surgeon or "none")),
    ]
    if base.alert is not None and other.alert is not None:
        answers = (base.alert.answer, other.alert.answer)
        pairs.append(("alert", answers[0], answers[1], f"answer: {answers[0]}"))
    for key, base_value, value, described in pairs:
        if base_value != value:
            yield Mismatch(other.id, key, _differs(key, described))
    if (base.details is None) != (other.details is None):
        yield Mismatch(other.id, "details", _presence("details", base.details is not None))
    if (base.alert is None) != (other.alert is None):
        yield Mismatch(other.id, "alert", _presence("alert", base.alert is not None))


def mismatches(base: Checklist, translation: Checklist) -> list[Mismatch]:
    """Every way a translation is not its base file in other words (none when it fits)."""
    found: list[Mismatch] = []
    if translation.id != base.id:
        found.append(Mismatch(None, "id", _differs("id", base.id)))
    if translation.order != base.order:
        found.append(Mismatch(None, "order", _differs("order", str(base.order))))
    if translation.when != base.when:
        found.append(Mismatch(None, "when", _differs("when", _window(base.when))))
    for key, base_has, has in (
        ("intro", base.intro is not None, translation.intro is not None),
        ("source", base.source is not None, translation.source is not None),
    ):
        if base_has != has:
            found.append(Mismatch(None, key, _presence(key, base_has)))
    found += _item_list_mismatches(base.items, translation.items)
    return found


def _item_list_mismatches(base: Sequence[Item], items: Sequence[Item]) -> list[Mismatch]:
    base_by_id = {item.id: item for item in base}
    ids = {item.id for item in items}
    found = [
        Mismatch(
            item.id, None, _("item '{id}' of the base file is missing here").format(id=item.id)
        )
        for item in base
        if item.id not in ids
    ]
    found += [
        Mismatch(item.id, "id", _("item '{id}' is not in the base file").format(id=item.id))
        for item in items
        if item.id not in base_by_id
    ]
    common = [item for item in items if item.id in base_by_id]
    base_order = [item.id for item in base if item.id in ids]
    for place, (item, expected) in enumerate(zip(common, base_order, strict=True), start=1):
        if item.id != expected:
            found.append(
                Mismatch(
                    item.id,
                    "id",
                    _(
                        "item '{id}' is not where the base file has it "
                        "(item {place} there is '{expected}'); keep the base file's order"
                    ).format(id=item.id, place=place, expected=expected),
                )
            )
            break
    for item in common:
        found += _item_mismatches(base_by_id[item.id], item)
    return found


def with_translations(base: Checklist, translations: Sequence[Checklist]) -> Checklist:
    """The base list carrying its own words and each fitting translation's."""
    if not translations:
        return base
    ordered = sorted(translations, key=lambda translation: translation.language)
    wordings = (base.wording(), *(translation.wording() for translation in ordered))
    return replace(base, wordings=wordings)


def shown_in(checklists: Iterable[Checklist], language: str) -> tuple[list[Checklist], list[str]]:
    """Each list in ``language``'s words where it has them, and the titles of those
    shown in their base file's words instead."""
    shown: list[Checklist] = []
    untranslated: list[str] = []
    for checklist in checklists:
        translated = checklist.in_language(language)
        if translated is None:
            untranslated.append(checklist.title)
        shown.append(translated or checklist)
    return shown, untranslated


def in_base_words(checklist: Checklist) -> Checklist:
    """The list as its base file words it: what exports carry whatever the language."""
    return checklist.in_language(BASE_LANGUAGE) or checklist
