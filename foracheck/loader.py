"""Strict checklist loading: YAML text in, a validated ``Checklist`` out.

Clinics write these files by hand, so every problem in a file is reported at
once, each as ``FILE:LINE:COL: message``. The YAML is read as a stream of
parser events (libyaml's C parser where the wheel has it), never through a
constructor: no Python tags can run, aliases are refused before they expand,
nesting is bounded, and duplicate keys are caught. Scalars keep their YAML 1.2
meaning: only ``true``/``false`` are booleans; ``yes``, ``no`` and dates stay text.
"""

from __future__ import annotations

import difflib
import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import yaml

from foracheck.fsutil import read_capped
from foracheck.i18n import _
from foracheck.model import (
    CHECKLIST_MAX_BYTES,
    FORMAT_VERSION,
    FORMAT_VERSIONS,
    ID_PATTERN,
    ITEM_TYPES,
    STORED_ANSWERS,
    Alert,
    Checklist,
    Item,
    ItemType,
    ShowIf,
    Source,
    Window,
)
from foracheck.safetext import shown, unsafe_character
from foracheck.timeline import PhraseError, parse_offset
from foracheck.translation import Mismatch

MAX_FILE_BYTES = CHECKLIST_MAX_BYTES
MAX_DEPTH = 8
# A file can hold a problem every few bytes (a million-byte flow list of numbers
# is 350,000 of them). Nobody reads that many, and listing them all would cost
# far more than reading the file: the first ones are reported, and a last line
# says that the check stopped there.
MAX_PROBLEMS = 1000
UTF8_BOM = b"\xef\xbb\xbf"
# What YAML allows in a stream (YAML 1.2, 5.1); anything else is a problem.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_YAML12_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_YAML12_BOOLS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_INTEGER = re.compile(r"[-+]?[0-9]+")
# Longer numbers are refused before int() sees them: Python refuses to convert
# more than 4,300 digits, and no checklist number needs more than a few.
_MAX_DIGITS = 18
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

_ParserLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, at a 1-based line and column."""

    line: int
    column: int
    message: str

    def format(self, path: Path | str) -> str:
        """The ``FILE:LINE:COL: message`` line that editors and people can follow.

        Always one line, whatever the file name or a quoted key holds.
        """
        return shown(f"{path}:{self.line}:{self.column}: {self.message}", multiline=False)


class Mark(NamedTuple):
    """A 1-based position in the file (a tuple: one is made per YAML node, so cheap)."""

    line: int
    column: int


@dataclass(slots=True)
class Scalar:
    value: str
    plain: bool
    mark: Mark


@dataclass(slots=True)
class Sequence:
    mark: Mark
    items: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Mapping:
    mark: Mark
    pairs: list[tuple[Scalar, Node]] = field(default_factory=list)


Node = Scalar | Sequence | Mapping


class _StopParsing(Exception):
    """The file cannot be read further; the problems so far say why."""


class _TooManyProblems(Exception):
    """MAX_PROBLEMS are found: enough to fix first, and the work stays bounded."""


def _add_problem(problems: list[Problem], problem: Problem) -> None:
    problems.append(problem)
    if len(problems) >= MAX_PROBLEMS:
        raise _TooManyProblems


def _position(text: str, offset: int) -> Mark:
    line_start = text.rfind("\n", 0, offset) + 1
    return Mark(text.count("\n", 0, offset) + 1, offset - line_start + 1)


def _mark(yaml_mark: Any) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


class _TreeBuilder:
    """Builds plain nodes from parser events, refusing what a checklist never needs."""

    def __init__(self, text: str, problems: list[Problem]) -> None:
        self.text = text
        self.problems = problems
        self.stack: list[Sequence | Mapping] = []
        self.pending_keys: list[Scalar | None] = []
        # The keys of each open mapping, so a duplicate is found in constant time.
        self.seen_keys: list[dict[str, Scalar]] = []
        self.root: Node | None = None
        self.documents = 0
        # Where a stand-in node replaced something already reported (an alias, a
        # complex key): later checks stay quiet there instead of repeating it.
        self.stand_ins: set[Mark] = set()

    def problem(self, mark: Mark, message: str) -> None:
        _add_problem(self.problems, Problem(mark.line, mark.column, message))

    def build(self) -> Node | None:
        loader = _ParserLoader(self.text)
        try:
            next_event = loader.get_event  # None after the last event
            event = next_event()
            while event is not None:
                self.handle(event)
                event = next_event()
        except yaml.MarkedYAMLError as error:
            self.syntax_problem(error)
            return None
        except yaml.YAMLError as error:
            self.problem(
                Mark(1, 1), _("the file cannot be read as YAML ({error})").format(error=error)
            )
            return None
        except _StopParsing:
            return None
        finally:
            loader.dispose()
        return self.root

    def syntax_problem(self, error: yaml.MarkedYAMLError) -> None:
        yaml_mark = error.problem_mark or error.context_mark
        mark = _mark(yaml_mark) if yaml_mark is not None else Mark(1, 1)
        line = (
            self.text.split("\n")[mark.line - 1] if mark.line <= self.text.count("\n") + 1 else ""
        )
        if "\t" in line[: mark.column]:
            message = _("a tab is used for indentation; YAML needs spaces here")
        else:
            message = _("YAML syntax error: {problem}").format(
                problem=error.problem or error.context
            )
        self.problem(mark, message)

    def handle(self, event: yaml.Event) -> None:
        # Scalars first: most events are scalars, and this runs once per event.
        if isinstance(event, yaml.ScalarEvent):
            self.scalar(event)
        elif isinstance(event, yaml.CollectionStartEvent):
            self.collection_start(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            self.pending_keys.pop()
            self.seen_keys.pop()
            self.add(self.stack.pop())
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.problem(
                    _mark(event.start_mark),
                    _("a checklist file holds one YAML document, not several"),
                )
                raise _StopParsing
        elif isinstance(event, yaml.AliasEvent):
            mark = _mark(event.start_mark)
            self.problem(mark, _("aliases (*name) are not allowed in checklists"))
            self.stand_ins.add(mark)
            self.add(Scalar("", plain=True, mark=mark))

    def properties(self, event: yaml.NodeEvent, mark: Mark) -> None:
        """Anchors and tags: a checklist needs neither, and either can be an attack."""
        if event.anchor is not None:
            self.problem(mark, _("anchors (&name) are not allowed in checklists"))
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            written = str(tag).replace("tag:yaml.org,2002:", "!!")
            self.problem(
                mark,
                _("tags such as {written} are not allowed in checklists").format(written=written),
            )

    def scalar(self, event: yaml.ScalarEvent) -> None:
        mark = _mark(event.start_mark)
        tag = event.tag
        if tag is not None or event.anchor is not None:
            self.properties(event, mark)
        value = event.value
        # isprintable() is one quick C call that is true for nearly every scalar.
        if not value.isprintable() and unsafe_character(value, multiline=True) is not None:
            self.refuse_characters(value, mark)
        node = Scalar(value, tag is None and bool(event.implicit[0]), mark)
        parent = self.stack[-1] if self.stack else None
        if isinstance(parent, Sequence):  # the common case, without a call to add()
            parent.items.append(node)
        else:
            self.add(node)

    def collection_start(self, event: yaml.CollectionStartEvent) -> None:
        mark = _mark(event.start_mark)
        self.properties(event, mark)
        if len(self.stack) >= MAX_DEPTH:
            self.problem(
                mark,
                _("the YAML is nested more than {max_depth} levels deep").format(
                    max_depth=MAX_DEPTH
                ),
            )
            raise _StopParsing
        collection: Sequence | Mapping = (
            Mapping(mark) if isinstance(event, yaml.MappingStartEvent) else Sequence(mark)
        )
        self.stack.append(collection)
        self.pending_keys.append(None)
        self.seen_keys.append({})

    def refuse_characters(self, value: str, mark: Mark) -> None:
        """Refuse what must never reach a screen, raw or written as a YAML escape."""
        unsafe = unsafe_character(value, multiline=True)
        self.problem(
            mark,
            _("the text holds a character that cannot be shown safely ({unsafe})").format(
                unsafe=unsafe
            ),
        )
        self.stand_ins.add(mark)

    def add(self, node: Node) -> None:
        """Attach a finished node to its parent (collections arrive when they end)."""
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        key = self.pending_keys[-1]
        if key is None:
            self.pending_keys[-1] = self.key(parent, node)
        else:
            parent.pairs.append((key, node))
            self.pending_keys[-1] = None

    def key(self, parent: Mapping, node: Node) -> Scalar:
        if not isinstance(node, Scalar):
            self.problem(node.mark, _("a key must be a plain word, not a list or mapping"))
            self.stand_ins.add(node.mark)
            return Scalar("", plain=True, mark=node.mark)
        existing = self.seen_keys[-1].setdefault(node.value, node)
        if existing is not node and node.value:
            self.problem(
                node.mark,
                _("duplicate key '{value}' (first given on line {line})").format(
                    value=node.value, line=existing.mark.line
                ),
            )
        return node


T = TypeVar("T")
Converter = Callable[["_Validator", Node, str], T | None]


class _Validator:
    """Turns the node tree into model objects, collecting every problem on the way."""

    def __init__(self, problems: list[Problem], quiet_at: set[Mark]) -> None:
        self.problems = problems
        self.quiet_at = quiet_at
        # The file's format version, once read; None (unreadable) checks no version rules.
        self.version: int | None = None

    def problem(self, node: Node | Mark, message: str) -> None:
        mark = node if isinstance(node, Mark) else node.mark
        if mark not in self.quiet_at:
            _add_problem(self.problems, Problem(mark.line, mark.column, message))

    # -- scalars ---------------------------------------------------------------

    def text(self, node: Node, key: str) -> str | None:
        if not isinstance(node, Scalar):
            self.problem(node, _("'{key}' must be text").format(key=key))
            return None
        if node.plain and node.value in _YAML12_NULLS:
            self.problem(node, _("'{key}' has no value").format(key=key))
            return None
        if node.plain and node.value in _YAML12_BOOLS:
            self.problem(
                node,
                _("'{key}' must be text, not {value}; put it in quotes").format(
                    key=key, value=node.value
                ),
            )
            return None
        value = node.value.strip()
        if not value:
            self.problem(node, _("'{key}' is empty").format(key=key))
            return None
        return value

    def line(self, node: Node, key: str) -> str | None:
        value = self.text(node, key)
        if value is not None and "\n" in value:
            self.problem(node, _("'{key}' must fit on one line").format(key=key))
            return None
        unsafe = None if value is None else unsafe_character(value, multiline=False)
        if unsafe is not None:
            self.problem(
                node,
                _("'{key}' must be one line of plain text; it holds {unsafe}").format(
                    key=key, unsafe=unsafe
                ),
            )
            return None
        return value

    def identifier(self, node: Node, key: str) -> str | None:
        value = self.line(node, key)
        if value is not None and not ID_PATTERN.fullmatch(value):
            self.problem(
                node,
                _(
                    "'{key}' is '{value}', which is not a valid id: use lowercase letters, "
                    "digits and hyphens, start with a letter or digit, at most 64 characters"
                ).format(key=key, value=value),
            )
            return None
        return value

    def integer(self, node: Node, key: str) -> int | None:
        if isinstance(node, Scalar) and node.plain and _INTEGER.fullmatch(node.value):
            if len(node.value.lstrip("+-").lstrip("0")) > _MAX_DIGITS:
                self.problem(node, _("'{key}' is far too large a number").format(key=key))
                return None
            return int(node.value)
        self.problem(node, _("'{key}' must be a whole number").format(key=key))
        return None

    def days(self, node: Node, key: str) -> int | None:
        value = self.integer(node, key)
        if value is not None and not 0 <= value <= 366:
            self.problem(node, _("'{key}' must be between 0 and 366 days").format(key=key))
            return None
        return value

    def iso_date(self, node: Node, key: str) -> str | None:
        value = self.line(node, key)
        if value is not None and not _ISO_DATE.fullmatch(value):
            self.problem(node, _("'{key}' must be a date written as YYYY-MM-DD").format(key=key))
            return None
        return value

    # -- mappings --------------------------------------------------------------

    def fields(
        self, node: Node, what: str, required: Iterable[str], optional: Iterable[str]
    ) -> dict[str, Node] | None:
        """The keys of a mapping, with unknown and missing keys reported."""
        if not isinstance(node, Mapping):
            self.problem(node, _("{what} must be a mapping of keys and values").format(what=what))
            return None
        required, optional = list(required), list(optional)
        known = required + optional
        found: dict[str, Node] = {}
        for key, value in node.pairs:
            if key.value in known:
                found.setdefault(key.value, value)
                continue
            hint = difflib.get_close_matches(key.value, known, n=1)
            suggestion = (
                _("; did you mean '{hint}'?").format(hint=hint[0])
                if hint
                else _("; known keys: {keys}").format(keys=", ".join(known))
            )
            self.problem(
                key,
                _("unknown key '{value}' in {what}{suggestion}").format(
                    value=key.value, what=what, suggestion=suggestion
                ),
            )
        for name in required:
            if name not in found:
                self.problem(
                    node,
                    _("{what} is missing the required key '{name}'").format(what=what, name=name),
                )
        return found

    def get(self, found: dict[str, Node], key: str, convert: Converter[T]) -> T | None:
        node = found.get(key)
        return None if node is None else convert(self, node, key)

    # -- the format ------------------------------------------------------------

    def checklist(self, root: Node | None, path: Path, bundled: bool) -> Checklist | None:
        if root is None or (
            isinstance(root, Scalar) and root.plain and root.value in _YAML12_NULLS
        ):
            self.problem(
                Mark(1, 1), _("the file is empty; a checklist needs format, id, title and items")
            )
            return None
        found = self.fields(
            root,
            _("the checklist"),
            required=("format", "id", "title", "items"),
            optional=("intro", "order", "when", "due_days_before", "source"),
        )
        if found is None:
            return None
        self.version = self.get(found, "format", _Validator.format_version)
        list_id = self.get(found, "id", _Validator.identifier)
        title = self.get(found, "title", _Validator.line)
        intro = self.get(found, "intro", _Validator.text)
        order = self.get(found, "order", _Validator.integer)
        when = self.timing(found)
        source = self.get(found, "source", _Validator.source)
        items = self.get(found, "items", _Validator.items)
        if self.problems or list_id is None or title is None or items is None:
            return None
        return Checklist(
            id=list_id,
            title=title,
            items=tuple(items),
            intro=intro,
            order=order or 0,
            when=when,
            source=source,
            path=path,
            bundled=bundled,
            format=self.version or FORMAT_VERSION,
        )

    def format_version(self, node: Node, key: str) -> int | None:
        version = self.integer(node, key)
        if version is None or version in FORMAT_VERSIONS:
            return version
        known = " or ".join(map(str, FORMAT_VERSIONS))
        if version > FORMAT_VERSION:
            self.problem(
                node,
                _(
                    "format {version} is newer than this foracheck understands ({known}); "
                    "upgrade foracheck"
                ).format(version=version, known=known),
            )
        else:
            self.problem(node, _("format must be {known}").format(known=known))
        return None

    # -- timing (format 2's when, format 1's due_days_before) -------------------

    def timing(self, found: dict[str, Node]) -> Window | None:
        """The window of a list or item, from whichever key its format uses."""
        if self.version == 2 and "due_days_before" in found:
            self.problem(
                found["due_days_before"],
                _(
                    "'due_days_before' is format 1; in format 2 write "
                    "'when:' with 'from: N days before' (and 'until: surgery day')"
                ),
            )
        if self.version == 1 and "when" in found:
            self.problem(found["when"], _("'when' needs 'format: 2' at the top of the file"))
        if "when" in found:
            return self.get(found, "when", _Validator.window)
        days = self.get(found, "due_days_before", _Validator.days)
        return None if days is None else Window(-days, 0)

    def window(self, node: Node, key: str) -> Window | None:
        found = self.fields(node, f"'{key}'", required=("from",), optional=("until",))
        if found is None:
            return None
        start = self.get(found, "from", _Validator.phrase)
        end = self.get(found, "until", _Validator.phrase)
        if start is None or ("until" in found and end is None):
            return None
        if end is not None and start > end:
            self.problem(
                found["until"],
                _(
                    "'from' ({start}) is later than 'until' ({until}); 'from' is the first day, "
                    "'until' the last"
                ).format(start=_scalar(found["from"]), until=_scalar(found["until"])),
            )
            return None
        return Window(start, end)

    def phrase(self, node: Node, key: str) -> int | None:
        value = self.line(node, key)
        if value is None:
            return None
        try:
            return parse_offset(value)
        except PhraseError as error:
            self.problem(node, _("'{key}': {error}").format(key=key, error=error))
            return None

    def flag(self, node: Node, key: str) -> bool | None:
        if isinstance(node, Scalar) and node.plain and node.value in _YAML12_BOOLS:
            return node.value.lower() == "true"
        self.problem(node, _("'{key}' must be true or false").format(key=key))
        return None

    def check_critical(self, found: dict[str, Node], item_type: ItemType | None) -> bool:
        critical = self.get(found, "critical", _Validator.flag)
        if critical is None:
            return False
        if self.version == 1:
            self.problem(
                found["critical"], _("'critical' needs 'format: 2' at the top of the file")
            )
        elif item_type == "text":
            self.problem(found["critical"], _("'critical' only applies to task and yesno items"))
        return critical

    def source(self, node: Node, key: str) -> Source | None:
        found = self.fields(node, f"'{key}'", required=("title",), optional=("url", "reviewed"))
        if found is None:
            return None
        title = self.get(found, "title", _Validator.line)
        url = self.get(found, "url", _Validator.line)
        reviewed = self.get(found, "reviewed", _Validator.iso_date)
        return None if title is None else Source(title=title, url=url, reviewed=reviewed)

    def items(self, node: Node, key: str) -> list[Item] | None:
        if not isinstance(node, Sequence):
            self.problem(node, _("'{key}' must be a list of items").format(key=key))
            return None
        if not node.items:
            self.problem(
                node, _("'{key}' is empty; a checklist needs at least one item").format(key=key)
            )
            return None
        earlier: dict[str, Item] = {}  # by id, so show_if checks stay linear in list length
        seen: dict[str, Node] = {}
        for item_node in node.items:
            item = self.item(item_node, seen, earlier)
            if item is not None:
                earlier.setdefault(item.id, item)
        return list(earlier.values()) if len(earlier) == len(node.items) else None

    def item(self, node: Node, seen: dict[str, Node], earlier: dict[str, Item]) -> Item | None:
        found = self.fields(
            node,
            _("an item"),
            required=("id", "type", "text"),
            optional=(
                "details",
                "when",
                "due_days_before",
                "critical",
                "tell_surgeon",
                "alert",
                "show_if",
            ),
        )
        if found is None:
            return None
        item_id = self.get(found, "id", _Validator.identifier)
        if item_id is not None and item_id in seen:
            first = seen[item_id].mark.line
            self.problem(
                found["id"],
                _("item id '{item_id}' is used twice (first on line {first})").format(
                    item_id=item_id, first=first
                ),
            )
        elif item_id is not None:
            seen[item_id] = found["id"]
        item_type = self.item_type(found["type"]) if "type" in found else None
        text = self.get(found, "text", _Validator.line)
        details = self.get(found, "details", _Validator.text)
        when = self.timing(found)
        critical = self.check_critical(found, item_type)
        tell = self.get(found, "tell_surgeon", _Validator.line)
        alert = self.get(found, "alert", _Validator.alert)
        if alert is not None:
            alert = self.check_alert(alert, found["alert"], item_type)
        show_if = self.get(found, "show_if", _Validator.show_if)
        if show_if is not None:
            self.check_show_if(show_if, found["show_if"], earlier)
        if tell is not None and item_type is not None:
            tell = self.check_tell_surgeon(found["tell_surgeon"], item_type, tell)
        if item_id is None or item_type is None or text is None:
            return None
        return Item(
            id=item_id,
            type=item_type,
            text=text,
            details=details,
            tell_surgeon=tell,
            show_if=show_if,
            when=when,
            critical=critical,
            alert=alert,
        )

    def item_type(self, node: Node) -> ItemType | None:
        value = self.line(node, "type")
        if value is None:
            return None
        for item_type in ITEM_TYPES:
            if value == item_type:
                return item_type
        hint = difflib.get_close_matches(value, ITEM_TYPES, n=1)
        guess = _(" (did you mean '{hint}'?)").format(hint=hint[0]) if hint else ""
        self.problem(
            node,
            _("'type' is '{value}'{guess}; it must be one of: {types}").format(
                value=value, guess=guess, types=", ".join(ITEM_TYPES)
            ),
        )
        return None

    def check_tell_surgeon(self, node: Node, item_type: ItemType, value: str) -> str | None:
        if item_type != "yesno":
            self.problem(node, _("'tell_surgeon' only applies to yesno items"))
            return None
        if value not in STORED_ANSWERS["yesno"]:
            self.problem(
                node,
                _("'tell_surgeon' is '{value}'; it must be \"yes\" or \"no\"").format(value=value),
            )
            return None
        return value

    def alert(self, node: Node, key: str) -> Alert | None:
        found = self.fields(node, f"'{key}'", required=("answer", "text"), optional=())
        if found is None:
            return None
        answer = self.get(found, "answer", _Validator.line)
        text = self.get(found, "text", _Validator.text)
        return None if answer is None or text is None else Alert(answer, text)

    def check_alert(self, alert: Alert, node: Node, item_type: ItemType | None) -> Alert | None:
        """An alert needs format 2 and a yes/no item, and names one of its answers."""
        if self.version == 1:
            self.problem(node, _("'alert' needs 'format: 2' at the top of the file"))
            return None
        if item_type is not None and item_type != "yesno":
            self.problem(node, _("'alert' only applies to yesno items"))
            return None
        if alert.answer not in STORED_ANSWERS["yesno"]:
            assert isinstance(node, Mapping)  # alert() returned a value, so it was a mapping
            values = {key.value: value for key, value in node.pairs}
            self.problem(
                values["answer"],
                _("'alert' answer is '{value}'; it must be \"yes\" or \"no\"").format(
                    value=alert.answer
                ),
            )
            return None
        return alert

    def show_if(self, node: Node, key: str) -> ShowIf | None:
        found = self.fields(node, f"'{key}'", required=("item", "answer"), optional=())
        if found is None:
            return None
        parent = self.get(found, "item", _Validator.identifier)
        answer = self.get(found, "answer", _Validator.line)
        return None if parent is None or answer is None else ShowIf(parent, answer)

    def check_show_if(self, show_if: ShowIf, node: Node, earlier: dict[str, Item]) -> None:
        assert isinstance(node, Mapping)  # show_if() returned a value, so it was a mapping
        values = {key.value: value for key, value in node.pairs}
        parent = earlier.get(show_if.item)
        if parent is None:
            self.problem(
                values["item"],
                _("show_if names '{item}', which is not an earlier item of this list").format(
                    item=show_if.item
                ),
            )
        elif parent.type == "text":
            self.problem(
                values["item"], _("show_if cannot follow '{id}', a text item").format(id=parent.id)
            )
        elif show_if.answer not in STORED_ANSWERS[parent.type]:
            allowed = ", ".join(STORED_ANSWERS[parent.type])
            self.problem(
                values["answer"],
                _("show_if answer '{answer}' is not an answer '{id}' can have ({allowed})").format(
                    answer=show_if.answer, id=parent.id, allowed=allowed
                ),
            )


def _scalar(node: Node) -> str:
    return node.value.strip() if isinstance(node, Scalar) else "?"


def _decode(data: bytes, problems: list[Problem]) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(1, 1, _("the file is UTF-16; save it as UTF-8")))
        return None
    data = data.removeprefix(UTF8_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        at = _position(data[: error.start].decode("utf-8", "replace"), error.start)
        bad = data[error.start]
        problems.append(
            Problem(
                at.line,
                at.column,
                _("the file is not UTF-8 text (byte 0x{bad:02X}); save it as UTF-8").format(
                    bad=bad
                ),
            )
        )
        return None
    control = _NOT_PRINTABLE.search(text)
    if control is not None:
        at = _position(text, control.start())
        code = f"U+{ord(control.group()):04X}"
        problems.append(
            Problem(
                at.line,
                at.column,
                _("the file contains a control character ({code})").format(code=code),
            )
        )
        return None
    return text


def parse_checklist(
    data: bytes, path: Path, bundled: bool = False
) -> tuple[Checklist | None, list[Problem]]:
    """Validate a checklist's bytes: the checklist, or None and every problem found."""
    problems: list[Problem] = []
    if len(data) > MAX_FILE_BYTES:
        size_mb = MAX_FILE_BYTES // (1024 * 1024)
        problems.append(
            Problem(
                1,
                1,
                _("the file is larger than {size_mb} MB; a checklist is far smaller").format(
                    size_mb=size_mb
                ),
            )
        )
        return None, problems
    text = _decode(data, problems)
    if text is None:
        return None, problems
    stopped = False
    with _no_garbage_collection():
        try:
            checklist = _validate(text, path, bundled, problems)
        except _TooManyProblems:
            checklist, stopped = None, True
    problems.sort(key=lambda problem: (problem.line, problem.column))
    if stopped:
        last = problems[-1]
        problems.append(
            Problem(
                last.line,
                last.column,
                _(
                    "stopped here after {max_problems} problems; fix these and validate again"
                ).format(max_problems=MAX_PROBLEMS),
            )
        )
    return (None if problems else checklist), problems


def _validate(text: str, path: Path, bundled: bool, problems: list[Problem]) -> Checklist | None:
    builder = _TreeBuilder(text, problems)
    root = builder.build()
    if root is None and problems:  # the YAML itself could not be read to the end
        return None
    return _Validator(problems, builder.stand_ins).checklist(root, path, bundled)


@contextmanager
def _no_garbage_collection() -> Iterator[None]:
    """Pause the cycle collector while a file becomes nodes.

    A long list makes hundreds of thousands of objects that all stay alive, and
    each collection would walk every one of them again: about half the time of
    validating a 20,000-item list. Nothing here makes cycles, so no garbage
    waits; the collector runs again as before once the file is read.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_file(path: Path, bundled: bool = False) -> tuple[Checklist | None, list[str]]:
    """Read and validate one file: the checklist, or None and ``FILE:LINE:COL`` lines.

    A missing or unreadable file raises InputFileMissingError (exit 66).
    """
    checklist, problems = parse_checklist(read_capped(path, MAX_FILE_BYTES), path, bundled)
    return checklist, [problem.format(path) for problem in problems]


# -- translations ------------------------------------------------------------


def _pair(mapping: Node | None, key: str) -> tuple[Scalar, Node] | None:
    if not isinstance(mapping, Mapping):
        return None
    return next(((name, value) for name, value in mapping.pairs if name.value == key), None)


def _item_node(root: Node | None, item_id: str) -> Node | None:
    found = _pair(root, "items")
    if found is None or not isinstance(found[1], Sequence):
        return None
    for node in found[1].items:
        id_pair = _pair(node, "id")
        if id_pair is not None and _scalar(id_pair[1]) == item_id:
            return node
    return None


def _where(root: Node | None, mismatch: Mismatch) -> Mark:
    """The key that differs, else its item, else the ``items`` key, else the top."""
    target = root if mismatch.item is None else _item_node(root, mismatch.item)
    if target is None:
        items = _pair(root, "items")
        return items[0].mark if items else Mark(1, 1)
    found = _pair(target, mismatch.key) if mismatch.key else None
    if found is not None:
        return found[0].mark if mismatch.key != "id" else found[1].mark
    return target.mark


def mismatch_problems(data: bytes, mismatches: list[Mismatch]) -> list[Problem]:
    """Each way a (valid) translation departs from its base file, at its place in the file."""
    problems: list[Problem] = []
    text = _decode(data, problems)
    root = None if text is None else _TreeBuilder(text, problems).build()
    located = [
        Problem(mark.line, mark.column, mismatch.message)
        for mismatch in mismatches
        for mark in [_where(root, mismatch)]
    ]
    return sorted(located, key=lambda problem: (problem.line, problem.column))
