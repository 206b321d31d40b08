"""Compile a language's ``.po`` parts into the one ``.mo`` catalog that gettext reads.

Each helper of the code keeps its own part (``foracheck/locale/es/walk.po``,
``answers.po``, ...), so that translations of different areas never collide in
one file. This module merges every part of a language and writes
``foracheck/locale/<code>/LC_MESSAGES/foracheck.mo``. It is plain Python with
the standard library only, because GNU ``msgfmt`` is not on users' machines
and the wheel build (``hatch_build.py``) runs it in an environment that has
nothing but hatchling; ``foracheck.i18n`` also uses it when a ``.mo`` is
missing or older than its parts, so an edited ``.po`` shows at once.

Run ``python -m foracheck.pocompile`` after editing a ``.po``. As ``msgfmt``
does, fuzzy and untranslated entries are left out; the same message translated
two different ways (in one part or across parts) is refused with both places.
"""

from __future__ import annotations

import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

DOMAIN = "foracheck"
LOCALE_DIR = Path(__file__).parent / "locale"
_MAGIC = 0x950412DE
_CONTEXT_SEPARATOR = "\x04"  # gettext's key for a message with a msgctxt
_PLURAL_SEPARATOR = "\x00"  # between the forms of a plural msgid or msgstr


class CatalogError(Exception):
    """A ``.po`` part cannot be read, or two parts disagree; the message says where."""


@dataclass
class _Entry:
    """One message of a ``.po`` file while it is being read."""

    line: int
    context: str | None = None
    msgid: str | None = None
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False


@dataclass(frozen=True)
class Message:
    """One compiled message: its gettext key and translation, and where it came from."""

    key: str
    translation: str
    where: str


def _unquote(text: str, where: str) -> str:
    """The value of one ``"..."`` string of a ``.po`` file (C escapes, as msgfmt reads them)."""
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise CatalogError(f"{where}: expected a string in double quotes.")
    import ast  # only when compiling: i18n imports this module for its paths

    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError) as error:
        raise CatalogError(f"{where}: this string cannot be read ({error}).") from None
    if not isinstance(value, str):
        raise CatalogError(f"{where}: expected a string in double quotes.")
    return value


def _entries(path: Path) -> list[_Entry]:
    """Every entry of one ``.po`` file, in file order (obsolete ``#~`` entries skipped)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise CatalogError(f"{path}: is not UTF-8 text.") from None
    entries: list[_Entry] = []
    entry = _Entry(line=1)
    target: tuple[str, int] | None = None  # the field that continuation lines add to
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        where = f"{path}:{number}"
        keyword, _, rest = line.partition(" ")
        starts_entry = not line or line.startswith("#") or keyword in ("msgctxt", "msgid")
        if starts_entry and entry.msgid is not None:  # the entry before this one is complete
            entries.append(_complete(entry, path))
            entry, target = _Entry(line=number), None
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in {flag.strip() for flag in line[2:].split(",")}:
                entry.fuzzy = True
            target = None
        elif line.startswith('"'):
            if target is None:
                raise CatalogError(f"{where}: a string follows no keyword.")
            _add(entry, target, _unquote(line, where))
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            if keyword == "msgctxt" or entry.context is None:
                entry.line = number
            target = (keyword, 0)
            _add(entry, target, _unquote(rest.strip(), where))
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            if entry.msgid is None:
                raise CatalogError(f"{where}: msgstr comes before its msgid.")
            index = 0 if keyword == "msgstr" else _plural_index(keyword, where)
            if index in entry.strings:
                raise CatalogError(f"{where}: {keyword} is given twice.")
            entry.strings[index] = ""
            target = ("msgstr", index)
            _add(entry, target, _unquote(rest.strip(), where))
        else:
            raise CatalogError(f"{where}: unknown keyword {keyword!r}.")
    if entry.msgid is not None:
        entries.append(_complete(entry, path))
    elif entry.context is not None:
        raise CatalogError(f"{path}:{entry.line}: an entry has no msgid.")
    return entries


def _add(entry: _Entry, target: tuple[str, int], value: str) -> None:
    """Append ``value`` to the field a keyword or a continuation line names."""
    name, index = target
    if name == "msgctxt":
        entry.context = (entry.context or "") + value
    elif name == "msgid":
        entry.msgid = (entry.msgid or "") + value
    elif name == "msgid_plural":
        entry.plural = (entry.plural or "") + value
    else:
        entry.strings[index] += value


def _complete(entry: _Entry, path: Path) -> _Entry:
    if not entry.strings:
        raise CatalogError(f"{path}:{entry.line}: this msgid has no msgstr.")
    return entry


def _plural_index(keyword: str, where: str) -> int:
    inside = keyword[len("msgstr[") :].rstrip("]")
    if not keyword.endswith("]") or not inside.isdigit():
        raise CatalogError(f"{where}: {keyword!r} should be msgstr[N].")
    return int(inside)


def _message(entry: _Entry, path: Path) -> Message | None:
    """The compiled form of one entry, or None when msgfmt would leave it out."""
    assert entry.msgid is not None  # _entries keeps only entries with one
    key = entry.msgid
    if entry.plural is not None:
        key += _PLURAL_SEPARATOR + entry.plural
    if entry.context is not None:
        key = entry.context + _CONTEXT_SEPARATOR + key
    forms = [entry.strings[index] for index in sorted(entry.strings)]
    if sorted(entry.strings) != list(range(len(forms))):
        raise CatalogError(f"{path}:{entry.line}: the msgstr[N] forms must count up from 0.")
    is_header = key == ""
    if not is_header and (entry.fuzzy or not forms or not all(forms)):
        return None  # fuzzy or untranslated: the English text is shown
    return Message(key, _PLURAL_SEPARATOR.join(forms), f"{path}:{entry.line}")


def read_part(path: Path) -> list[Message]:
    """The translated messages of one ``.po`` part (the header first when it has one)."""
    messages: list[Message] = []
    seen: dict[str, Message] = {}
    for entry in _entries(path):
        message = _message(entry, path)
        if message is None:
            continue
        if message.key in seen:
            raise CatalogError(
                f"{message.where}: this message is already in {seen[message.key].where}."
            )
        seen[message.key] = message
        messages.append(message)
    return messages


def _header_field(header: str, name: str) -> str | None:
    for line in header.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None


def merge(parts: list[Path]) -> dict[str, str]:
    """Every part's messages in one catalog; CatalogError when two parts disagree.

    The header is the first part's; every part must declare UTF-8 and the same
    plural rule, since one catalog has only one of each.
    """
    catalog: dict[str, Message] = {}
    for path in parts:
        for message in read_part(path):
            if message.key == "":
                _check_header(message, catalog.get(""))
                catalog.setdefault("", message)
                continue
            earlier = catalog.get(message.key)
            if earlier is not None and earlier.translation != message.translation:
                shown = message.key.split(_PLURAL_SEPARATOR)[0].replace(_CONTEXT_SEPARATOR, " | ")
                raise CatalogError(
                    f"{message.where}: {shown!r} is translated differently in "
                    f"{earlier.where}. Keep one translation (in one part)."
                )
            catalog.setdefault(message.key, message)
    if "" not in catalog:
        raise CatalogError(
            f"{', '.join(map(str, parts)) or 'no .po part'}: no part has a gettext header "
            '(msgid "" with Content-Type and Plural-Forms).'
        )
    return {key: message.translation for key, message in catalog.items()}


def _check_header(header: Message, first: Message | None) -> None:
    charset = (_header_field(header.translation, "Content-Type") or "").lower()
    if "charset=utf-8" not in charset.replace(" ", ""):
        raise CatalogError(f"{header.where}: the header must say charset=UTF-8.")
    plural = _header_field(header.translation, "Plural-Forms")
    if plural is None:
        raise CatalogError(f"{header.where}: the header has no Plural-Forms line.")
    if first is not None and _header_field(first.translation, "Plural-Forms") != plural:
        raise CatalogError(
            f"{header.where}: its Plural-Forms differs from the one in {first.where}."
        )


def mo_bytes(catalog: dict[str, str]) -> bytes:
    """The GNU ``.mo`` form of ``catalog`` (keys sorted, no hash table, as msgfmt --no-hash)."""
    keys = sorted(catalog, key=lambda key: key.encode("utf-8"))
    ids = [key.encode("utf-8") for key in keys]
    strs = [catalog[key].encode("utf-8") for key in keys]
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    table: list[int] = []
    data = bytearray()
    for strings in (ids, strs):
        for text in strings:
            table += [len(text), data_at + len(data)]
            data += text + b"\0"
    header = struct.pack("<7I", _MAGIC, 0, count, originals_at, translations_at, 0, data_at)
    return header + struct.pack(f"<{len(table)}I", *table) + bytes(data)


def parts_of(code: str, locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The ``.po`` parts of one language, in a stable order."""
    return sorted((locale_dir / code).glob("*.po"))


def mo_path(code: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Where gettext looks for a language's compiled catalog."""
    return locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.mo"


def compile_language(code: str, locale_dir: Path = LOCALE_DIR) -> bytes:
    """The ``.mo`` bytes of one language, from all its parts."""
    return mo_bytes(merge(parts_of(code, locale_dir)))


def languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """The codes that have ``.po`` parts."""
    return sorted(
        folder.name for folder in locale_dir.iterdir() if parts_of(folder.name, locale_dir)
    )


def write_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every language that has parts; the ``.mo`` files written."""
    written: list[Path] = []
    for code in languages(locale_dir):
        target = mo_path(code, locale_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".mo.tmp")
        temporary.write_bytes(compile_language(code, locale_dir))
        temporary.replace(target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m foracheck.pocompile [LOCALE_DIR]``: compile every language's parts."""
    args = sys.argv[1:] if argv is None else argv
    locale_dir = Path(args[0]) if args else LOCALE_DIR
    try:
        written = write_all(locale_dir)
    except (CatalogError, OSError) as error:
        sys.stderr.write(f"{error}\n")
        return 1
    for path in written:
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
