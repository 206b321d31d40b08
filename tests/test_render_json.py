"""JSON export: goldens, the shipped JSON Schema, and the contract's exact shape."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from importlib import resources
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from render_helpers import (
    ANSWERED_AT,
    NOW,
    answered,
    bundled,
    check_case,
    filled,
    hostile,
)

from foracheck.model import InvalidAnswerError, Item, Progress, parse_answer
from foracheck.render import Options, render

TOP_KEYS = ["format", "foracheck_version", "exported_at", "surgery_date", "checklists"]
ITEM_KEYS = [
    "id",
    "type",
    "text",
    "answer",
    "resolved",
    "note",
    "answered_at",
    "answered_by",
    "tell_surgeon",
    "critical",
    "window",
    "state",
    "applies",
    "alert",
]


def schema() -> dict[str, Any]:
    text = resources.files("foracheck").joinpath("schemas/export.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


VALIDATOR = jsonschema.Draft202012Validator(
    schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def export(checklists: Any, progress: Progress, **options: Any) -> dict[str, Any]:
    text = render("export", "json", checklists, progress, Options(**{"now": NOW, **options}))
    data: dict[str, Any] = json.loads(text)
    return data


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("lists", ["bundled", "hostile"])
@pytest.mark.parametrize("state", ["empty", "filled"])
def test_golden_and_schema(lists: str, state: str) -> None:
    text = check_case("export", "json", lists, state)
    VALIDATOR.validate(json.loads(text))


def test_text_form_is_stable_utf8_indented_with_a_final_newline() -> None:
    checklists = hostile()
    progress = answered(checklists, {"hostile": [("which", "Café — naïve ✓", None)]})
    text = render("export", "json", checklists, progress, Options(NOW))
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "format": 1,\n  "foracheck_version": ')
    # "which" does not apply while its question is open: listed, marked, never counted
    which = next(
        item for item in json.loads(text)["checklists"][0]["items"] if item["id"] == "which"
    )
    assert (which["answer"], which["applies"], which["state"]) == (
        "Café — naïve ✓",
        False,
        "hidden",
    )
    progress = answered(
        checklists, {"hostile": [("question", "yes", None), ("which", "Café — naïve ✓", None)]}
    )
    assert "Café — naïve ✓" in render("export", "json", checklists, progress, Options(NOW))


def test_keys_come_in_the_contract_order() -> None:
    checklists = bundled()
    data = export(checklists, filled(checklists))
    assert list(data) == TOP_KEYS
    for checklist in data["checklists"]:
        assert list(checklist) == ["id", "title", "version", "items"]
        for item in checklist["items"]:
            assert list(item) == ITEM_KEYS


def test_answers_are_the_stored_values() -> None:
    checklists = hostile()
    data = export(checklists, filled(checklists))
    items = {item["id"]: item for item in data["checklists"][0]["items"]}
    assert items["star-task"]["answer"] == "done"
    assert items["leading-hash"] == {
        "id": "leading-hash",
        "type": "task",
        "text": "# not a heading #",
        "answer": "not-yet",
        "resolved": False,
        "note": None,
        "answered_at": ANSWERED_AT,
        "answered_by": "patient",
        "tell_surgeon": False,
        "critical": False,
        "window": None,
        "state": "due",
        "applies": True,
        "alert": None,
    }
    assert items["leading-dash"]["answer"] == "skip" and items["leading-dash"]["resolved"]
    assert items["question"]["tell_surgeon"] is True
    assert items["which"]["answer"].startswith("Warfarin_5mg *daily*")
    assert items["which"]["tell_surgeon"] is True
    assert items["dashes"]["answer"] is None and items["dashes"]["answered_at"] is None
    assert data["surgery_date"] == "2025-03-14"
    assert data["exported_at"] == "2025-03-01T09:30:00+01:00"


def test_an_item_that_does_not_apply_is_listed_only_with_an_earlier_answer() -> None:
    checklists = hostile()
    ids = [item["id"] for item in export(checklists, Progress())["checklists"][0]["items"]]
    assert "which" not in ids
    no = answered(checklists, {"hostile": [("question", "no", None), ("which", "x", None)]})
    data = export(checklists, no)
    items = {item["id"]: item for item in data["checklists"][0]["items"]}
    assert [item["id"] for item in data["checklists"][0]["items"]].index("which") == (
        [item.id for item in checklists[0].items if item.id in items].index("which")
    )  # in its place
    which = items["which"]
    assert (which["answer"], which["applies"], which["state"]) == ("x", False, "hidden")
    assert which["resolved"] is False and which["tell_surgeon"] is True
    assert all(item["applies"] for item_id, item in items.items() if item_id != "which")
    VALIDATOR.validate(data)


def test_nothing_saved_exports_every_item_open() -> None:
    data = export(bundled(), Progress())
    assert data["surgery_date"] is None
    items = [item for checklist in data["checklists"] for item in checklist["items"]]
    assert items and not any(item["resolved"] or item["answer"] for item in items)


def test_export_time_is_local_iso_8601_with_an_offset_when_not_given() -> None:
    data = export(bundled()[:1], Progress(), now=None)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", data["exported_at"])
    VALIDATOR.validate(data)


def test_same_progress_same_bytes_apart_from_the_export_time() -> None:
    checklists = bundled()
    progress = filled(checklists)
    first = render("export", "json", checklists, progress, Options(NOW)).splitlines()
    later = Options(NOW + timedelta(hours=5))
    second = render("export", "json", checklists, progress, later).splitlines()
    assert [(a, b) for a, b in zip(first, second, strict=True) if a != b] == [
        (
            '  "exported_at": "2025-03-01T09:30:00+01:00",',
            '  "exported_at": "2025-03-01T14:30:00+01:00",',
        )
    ]


def typable(text: str) -> bool:
    """An answer the walk or ``mark`` could have stored (others are never shown)."""
    try:
        return parse_answer(Item("t", "text", "T"), text) == text
    except InvalidAnswerError:
        return False


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=80).filter(typable), note=st.none() | st.text(max_size=80))
def test_any_answer_and_note_round_trip_and_validate(text: str, note: str | None) -> None:
    checklists = hostile()
    progress = answered(checklists, {"hostile": [("question", "yes", note), ("which", text, note)]})
    data = export(checklists, progress)
    VALIDATOR.validate(data)
    items = {item["id"]: item for item in data["checklists"][0]["items"]}
    assert (items["which"]["answer"], items["which"]["note"]) == (text, note)
