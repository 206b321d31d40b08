"""The checklist cache: what it gives back is exactly what the loader made."""

from __future__ import annotations

from pathlib import Path

from helpers import BUNDLED
from test_loader import VALID, VALID_2

from foracheck.checklist_cache import ChecklistCache
from foracheck.loader import parse_checklist


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
    for path in sorted(BUNDLED.glob("*.yaml")):
        _round_trip(tmp_path, path.read_bytes(), path)


def test_the_cache_is_keyed_on_an_explicit_version(tmp_path: Path) -> None:
    """Not on the source of loader.py or model.py: renaming a module must not matter."""
    cache = ChecklistCache(tmp_path)
    assert cache.version.endswith("/cache-2")
