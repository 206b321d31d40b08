"""The checklist cache: what it gives back is exactly what the loader made, and it
is an input like any other (guarantees 14 and 15).

Whatever is found at its path (a file of the wrong shape, size or type, an
entry whose values are not what the model holds, a FIFO) is ignored and the
cache rebuilt from the checklist files, never a traceback or a hang; temp
files from a killed cache write are removed by a later run.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from biglist import write_long_task_list
from helpers import BUNDLED, run_cli
from test_loader import VALID, VALID_2

from foracheck import checklist_cache
from foracheck.catalog import load_catalog
from foracheck.checklist_cache import (
    CACHE_NAME,
    CHECKLIST_KEYS,
    ITEM_COLUMNS,
    LEFTOVER_AGE_SECONDS,
    MAX_CACHE_BYTES,
    ChecklistCache,
)
from foracheck.loader import parse_checklist
from foracheck.model import Checklist, Item
from foracheck.paths import Locations


def bundled_titles(locations: Locations) -> dict[str, str]:
    return {c.id: c.title for c in load_catalog(locations).checklists}


def every_title(checklists: Sequence[Checklist]) -> list[str]:
    """The title of each cached file: the lists' and their translations'."""
    return [w.title for c in checklists for w in (c.wordings or (c.wording(),))]


@pytest.fixture
def cache_file(locations: Locations) -> Path:
    """A good cache, written by a first run."""
    locations.home.mkdir(mode=0o700)
    load_catalog(locations)
    path = locations.home / CACHE_NAME
    assert path.is_file()
    return path


def read_cache(path: Path) -> tuple[str, dict[str, Any]]:
    """The version and the entries of a cache file: an index line, then the entries' texts."""
    header, _, body = path.read_bytes().partition(b"\n")
    document = json.loads(header)
    entries = {
        key: json.loads(body[start : start + length])
        for key, (start, length) in document["entries"].items()
    }
    return document["version"], entries


def write_cache(path: Path, version: str, texts: dict[str, str]) -> None:
    """A cache file of these entry texts, laid out as foracheck lays it out."""
    index, body = {}, b""
    for key, text in texts.items():
        data = text.encode("utf-8", "surrogatepass")
        index[key] = [len(body), len(data)]
        body += data
    path.write_bytes(json.dumps({"version": version, "entries": index}).encode() + b"\n" + body)


def edit_entries(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change every entry."""
    version, entries = read_cache(path)
    for entry in entries.values():
        change(entry)
    write_cache(path, version, {key: json.dumps(entry) for key, entry in entries.items()})


def set_title(value: object) -> Callable[[dict[str, Any]], None]:
    return lambda entry: entry.update(title=value)


def set_first_item(key: str, value: object) -> Callable[[dict[str, Any]], None]:
    """Items are stored by columns: the first value of the column ``key`` (a new one if none)."""

    def change(entry: dict[str, Any]) -> None:
        column = entry["items"].setdefault(key, [None] * len(entry["items"]["id"]))
        column[0] = value

    return change


WRONG_ENTRIES: dict[str, Callable[[dict[str, Any]], None]] = {
    "title a number": set_title(5),
    "title a list": set_title(["a"]),
    "title with ESC": set_title("\x1b]0;PWNED\x07 title"),
    "title with a lone surrogate": set_title("\ud800"),
    "item text None": set_first_item("text", None),
    "item text with C1": set_first_item("text", "\x9b2J"),
    "item type unknown": set_first_item("type", "shell"),
    "item id not a string": set_first_item("id", 7),
    "due days a bool": set_first_item("due_days_before", True),
    "show_if a string": set_first_item("show_if", "x"),
    "show_if with ESC": set_first_item("show_if", ["a", "\x1b[2J"]),
    "window a bool": set_first_item("when", [True, None]),
    "window a huge number": set_first_item("when", [10**40, None]),
    "critical a string": set_first_item("critical", "yes"),
    "details with C1": set_first_item("details", "\x9b2J"),
    "unknown field": set_first_item("run", "rm -rf /"),
    "a column short": lambda entry: entry["items"]["text"].pop(),
    "items a list": lambda entry: entry.update(items=[{"a": 1}]),
    "items a mapping": lambda entry: entry.update(items={"a": 1}),
    "items missing": lambda entry: entry.pop("items"),
    "source a number": lambda entry: entry.update(source=3),
    "source title with bidi": lambda entry: entry.update(source=["\u202e x", None, None]),
    "order a string": lambda entry: entry.update(order="1"),
    "order a bool": lambda entry: entry.update(order=True),
    "format unknown": lambda entry: entry.update(format=9),
}


@pytest.mark.parametrize("change", WRONG_ENTRIES.values(), ids=WRONG_ENTRIES.keys())
def test_an_entry_of_the_wrong_type_is_ignored_and_rebuilt(
    locations: Locations, cache_file: Path, change: Callable[[dict[str, Any]], None]
) -> None:
    expected = load_catalog(locations).checklists
    edit_entries(cache_file, change)
    assert load_catalog(locations).checklists == expected  # parsed again from the files
    _, rebuilt = read_cache(cache_file)
    assert sorted(entry["title"] for entry in rebuilt.values()) == sorted(every_title(expected))
    assert load_catalog(locations).checklists == expected  # and the rebuilt cache reads


WRONG_FILES: dict[str, bytes] = {
    "empty": b"",
    "not json": b"{not json",
    "a list": b"[]",
    "a number": b"42",
    "no version": b'{"entries": {}}',
    "entries a list": json.dumps({"version": "x", "entries": []}).encode(),
    "not UTF-8": b'{"version": "\xff\xfe"}',
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "NUL-filled": b"\x00" * 4096,
    "too large": b'{"pad": "' + b"x" * (MAX_CACHE_BYTES + 10) + b'"}',
}


@pytest.mark.parametrize("data", WRONG_FILES.values(), ids=WRONG_FILES.keys())
def test_a_cache_file_of_the_wrong_shape_or_size_is_rebuilt(
    locations: Locations, cache_file: Path, data: bytes
) -> None:
    expected = bundled_titles(locations)
    cache_file.write_bytes(data)
    assert bundled_titles(locations) == expected
    version, entries = read_cache(cache_file)  # rewritten as a good cache
    # One entry per file: each bundled list and its Spanish translation.
    assert isinstance(version, str) and len(entries) == 2 * len(expected)


WRONG_TEXTS: dict[str, str] = {
    "not json": "{not json",
    "a list": "[]",
    "a string": '"x"',
    "deeply nested": "[" * 100_000 + "]" * 100_000,
    "a lone surrogate": '{"id": "\\ud800"}',
}


@pytest.mark.parametrize("text", WRONG_TEXTS.values(), ids=WRONG_TEXTS.keys())
def test_an_entry_that_is_not_a_list_in_json_is_rebuilt(
    locations: Locations, cache_file: Path, text: str
) -> None:
    expected = bundled_titles(locations)
    version, entries = read_cache(cache_file)
    write_cache(cache_file, version, dict.fromkeys(entries, text))
    assert bundled_titles(locations) == expected
    _, rebuilt = read_cache(cache_file)
    lists = load_catalog(locations).checklists
    assert sorted(entry["title"] for entry in rebuilt.values()) == sorted(every_title(lists))


def test_entries_of_the_right_version_with_wrong_shape_are_dropped(
    locations: Locations, cache_file: Path
) -> None:
    header, _, body = cache_file.read_bytes().partition(b"\n")
    document = json.loads(header)
    wrong = {"a": 1, "b": [], "c": {"id": "x"}, "d": [0, 10**9], "e": [-1, 5], "f": [True, 1]}
    document["entries"] = {**wrong, **document["entries"]}
    cache_file.write_bytes(json.dumps(document).encode() + b"\n" + body)
    expected = bundled_titles(locations)
    # One entry per file: each bundled list and its Spanish translation.
    assert 2 * len(expected) == len(document["entries"]) - len(wrong)
    cache_file.write_bytes(b"")
    assert bundled_titles(locations) == expected


def test_a_fifo_at_the_cache_path_never_hangs_and_is_never_replaced(
    isolated_home: Path,
) -> None:
    isolated_home.mkdir(mode=0o700)
    fifo = isolated_home / CACHE_NAME
    os.mkfifo(fifo)
    result = run_cli("list", timeout=20)  # an ordinary open() would wait for a writer forever
    assert result.returncode == 0, result.stderr
    assert "tell-your-surgeon" in result.stdout and "Traceback" not in result.stderr
    assert fifo.is_fifo()


def test_a_folder_or_link_at_the_cache_path_is_left_alone(isolated_home: Path) -> None:
    isolated_home.mkdir(mode=0o700)
    target = isolated_home / "elsewhere.json"
    target.write_text("{}", encoding="utf-8")
    (isolated_home / CACHE_NAME).symlink_to(target)
    result = run_cli("list")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert (isolated_home / CACHE_NAME).is_symlink() and target.read_text() == "{}"


def test_temp_files_of_a_killed_cache_write_are_removed(
    locations: Locations, cache_file: Path
) -> None:
    old = time.time() - LEFTOVER_AGE_SECONDS - 60
    leftovers = [locations.home / f".{CACHE_NAME}.{name}.tmp" for name in ("ab12", "zz_9")]
    for leftover in leftovers:
        leftover.write_text('{"version": "half a wri', encoding="utf-8")
        os.utime(leftover, (old, old))
    being_written = locations.home / f".{CACHE_NAME}.now1.tmp"  # another process, right now
    being_written.write_text("{", encoding="utf-8")
    unrelated = locations.home / ".progress.json.x.tmp"  # the store's, under its lock
    unrelated.write_text("{", encoding="utf-8")
    os.utime(unrelated, (old, old))
    result = run_cli("list")
    assert result.returncode == 0, result.stderr
    assert [path.exists() for path in leftovers] == [False, False]
    assert being_written.exists() and unrelated.exists()


def _round_trip(home: Path, data: bytes, path: Path) -> None:
    checklist, problems = parse_checklist(data, path)
    assert checklist is not None and not problems
    cache = ChecklistCache(home)
    cache.put(data, checklist)
    cache.save()
    again = ChecklistCache(home).get(data, path, bundled=False)
    assert again == checklist
    assert again is not None and again.content_hash() == checklist.content_hash()


def test_format_1_and_2_lists_come_back_whole(tmp_path: Path) -> None:
    for number, text in enumerate((VALID, VALID_2)):
        _round_trip(tmp_path, text.encode(), tmp_path / f"list-{number}.yaml")


def test_every_bundled_list_comes_back_whole(tmp_path: Path) -> None:
    """And every translation: a translation file is cached as the list it also is."""
    for path in sorted(BUNDLED.glob("*.yaml")):
        _round_trip(tmp_path, path.read_bytes(), path)


def test_the_cache_is_keyed_on_an_explicit_version(tmp_path: Path) -> None:
    """Not on the source of loader.py or model.py: renaming a module must not matter."""
    cache = ChecklistCache(tmp_path)
    assert cache.version.endswith("/cache-4")


LOADED_MODULES = """
import sys
from foracheck.cli import main
try:
    main(["list"])
except SystemExit:
    print(sorted(m for m in sys.modules if m.split(".")[0] in ("yaml", "foracheck")))
"""


def test_a_good_cache_is_used_so_the_checks_never_reject_it(cache_file: Path) -> None:
    """Each cached list passes the type checks: a second run needs no YAML at all."""
    result = subprocess.run(
        [sys.executable, "-c", LOADED_MODULES], capture_output=True, text=True, check=False
    )
    modules = result.stdout.splitlines()[-1]
    assert "foracheck.checklist_cache" in modules
    assert "yaml" not in modules and "foracheck.loader" not in modules


def test_the_item_columns_are_the_items_fields_in_order() -> None:
    """Items are rebuilt positionally from the columns: a new field must get its column."""
    assert tuple(field.name for field in dataclasses.fields(Item)) == ITEM_COLUMNS
    assert {field.name for field in dataclasses.fields(Checklist)} - {
        "path",
        "bundled",
        "language",  # from the file's name, never cached
        "wordings",  # the translations, each cached as its own file
    } == CHECKLIST_KEYS


def test_a_long_list_in_the_cache_is_not_parsed_by_runs_that_do_not_use_it(
    locations: Locations, cache_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = write_long_task_list(tmp_path, 5000)
    load_catalog(Locations.resolve(home=locations.home, checklists=[big]))  # cached too
    _, entries = read_cache(cache_file)
    assert any(len(entry["items"]["id"]) == 5000 for entry in entries.values())
    parsed: list[int] = []
    real_loads = json.loads

    def counting_loads(text: str | bytes) -> Any:
        parsed.append(len(text))
        return real_loads(text)

    monkeypatch.setattr(checklist_cache.json, "loads", counting_loads)
    # Every entry but the long list's: the bundled lists and their translations.
    assert 2 * len(load_catalog(locations).checklists) == len(entries) - 1
    assert parsed and max(parsed) < 100_000  # the long list's entry is far larger
