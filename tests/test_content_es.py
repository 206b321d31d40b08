"""Checks of the Spanish checklists (``checklists/ID.es.yaml``) against the English ones.

Like ``test_content.py``, these read the YAML files directly, without the
``foracheck`` package, so that parity and reading level are measured on their
own, independently of the loader's own check of a translation
(``test_translation.py`` covers that one).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from helpers import run_here
from render_helpers import bundled, invoke
from test_content import DOCS, FACTS, SCHEMA_PATH, _end, item_parts, joined_text

from foracheck.presentation import important_line
from foracheck.screens import checklist_lines
from foracheck.ui import spoken_prompt
from foracheck.walk import Question

CHECKLISTS = Path(__file__).resolve().parent.parent / "checklists"
ES = {list_id: CHECKLISTS / f"{list_id}.es.yaml" for list_id in sorted(DOCS)}
ES_DOCS: dict[str, dict[str, Any]] = {
    list_id: yaml.safe_load(path.read_text(encoding="utf-8"))
    for list_id, path in ES.items()
    if path.is_file()
}
ES_SOURCE = {
    "title": "Foraminotomía (Enciclopedia médica de MedlinePlus)",
    "url": "https://medlineplus.gov/spanish/ency/article/007390.htm",
}
# INFLESZ: 65 and above reads "bastante fácil" (fairly easy) or better; 55 is the
# bottom of "normal", the least any single step may score.
MIN_SZIGRISZT_PAZOS = 65.0
MIN_ITEM_SZIGRISZT_PAZOS = 55.0
# Spanish says the same in about a fifth more letters than English.
MAX_TEXT_LENGTH = 100
# What stays exactly the base file's: everything but the words.
SAME_LIST_KEYS = ("format", "id", "order", "when")
SAME_ITEM_KEYS = ("id", "type", "show_if", "when", "critical", "tell_surgeon")


def test_every_list_has_a_spanish_translation() -> None:
    missing = [path.name for path in ES.values() if not path.is_file()]
    assert not missing
    extra = {path.name for path in CHECKLISTS.glob("*.*.yaml")} - {p.name for p in ES.values()}
    assert not extra, f"translations without an English list: {extra}"


# --- structure --------------------------------------------------------------


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_same_structure_as_english(list_id: str) -> None:
    english, spanish = DOCS[list_id], ES_DOCS[list_id]
    for key in SAME_LIST_KEYS:
        assert spanish.get(key) == english.get(key), f"{list_id}: {key}"
    assert [i["id"] for i in spanish["items"]] == [i["id"] for i in english["items"]]
    for base, item in zip(english["items"], spanish["items"], strict=True):
        for key in SAME_ITEM_KEYS:
            assert item.get(key) == base.get(key), f"{list_id}/{item['id']}: {key}"
        assert set(item) == set(base), f"{list_id}/{item['id']}: different keys"
    assert set(spanish) == set(english)


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_only_the_words_change(list_id: str) -> None:
    """Every text a patient reads is translated: none is left as the English."""
    english, spanish = DOCS[list_id], ES_DOCS[list_id]
    assert spanish["title"] != english["title"]
    assert spanish["intro"] != english["intro"]
    for base, item in zip(english["items"], spanish["items"], strict=True):
        assert item["text"] != base["text"], item["id"]
        assert item["details"] != base["details"], item["id"]


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_matches_the_checklist_schema(list_id: str) -> None:
    """A translation is a checklist like any other: an editor checks it with the same schema."""
    schema = yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))  # JSON is YAML
    errors = [
        e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(ES_DOCS[list_id])
    ]
    assert not errors


def test_foracheck_accepts_each_translation_alone() -> None:
    """As a clinic would check one: ``validate week-before.es.yaml`` (against its base)."""
    result = run_here("validate", *map(str, ES.values()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(".es.yaml: ok (") == len(ES)


# --- what every list says ---------------------------------------------------


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_cites_the_spanish_page(list_id: str) -> None:
    source = ES_DOCS[list_id]["source"]
    assert source["url"] == ES_SOURCE["url"]
    assert source["title"].startswith(ES_SOURCE["title"])


def test_after_surgery_names_the_overview_in_its_source_line() -> None:
    assert "resumen general" in ES_DOCS["after-surgery"]["source"]["title"]


def _parts(doc: dict[str, Any]) -> list[str]:
    parts = [doc["title"], doc.get("intro", "")]
    for item in doc["items"]:
        parts += item_parts(item)
    return [" ".join(part.split()) for part in parts if part]


CARE_TEAM_SENTENCE = "Esta lista no reemplaza las instrucciones de su equipo de atención médica."


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_intro_says_the_list_does_not_replace_the_care_team(list_id: str) -> None:
    intro = " ".join(ES_DOCS[list_id]["intro"].split())
    assert CARE_TEAM_SENTENCE in intro


def test_every_spanish_sheet_says_the_list_does_not_replace_the_care_team(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = invoke(capsys, "--lang", "es", "print", *sorted(DOCS), "--blank")
    assert code == 0, err
    sheets = [" ".join(sheet.split()) for sheet in out.split("\f")]
    for list_id, doc in ES_DOCS.items():
        [sheet] = [sheet for sheet in sheets if f" {doc['title']} " in sheet]
        assert CARE_TEAM_SENTENCE in sheet, list_id


def test_status_and_export_in_spanish_say_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "--lang", "es", "status")
    assert code == 0, err
    assert "Estas listas no reemplazan las instrucciones" in " ".join(out.split())
    code, out, err = invoke(capsys, "--lang", "es", "export", "--format", "markdown")
    assert code == 0, err
    sections = out.split("\n## ")[1:-1]  # the last is the "tell your surgeon" summary
    assert len(sections) == len(ES_DOCS)
    for section in sections:
        assert CARE_TEAM_SENTENCE in " ".join(section.split()), section.split("\n", 1)[0]


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_show_in_spanish_says_the_list_does_not_replace_the_care_team(
    list_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = invoke(capsys, "--lang", "es", "show", list_id)
    assert code == 0, err
    assert CARE_TEAM_SENTENCE in " ".join(out.split())


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_questions_open_and_text_is_short(list_id: str) -> None:
    for item in ES_DOCS[list_id]["items"]:
        text = item["text"]
        assert "\n" not in text and len(text) <= MAX_TEXT_LENGTH, item["id"]
        if text.endswith("?"):
            assert text.startswith("¿"), f"{item['id']}: a question opens with ¿"
    for part in _parts(ES_DOCS[list_id]):
        for sentence in re.findall(r"[^.?!]*\?", part):
            assert "¿" in sentence, f"{list_id}: {sentence!r} has no ¿"


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_speaks_as_usted(list_id: str) -> None:
    """Usted, never tú: no second-person familiar forms a reader would stumble on."""
    words = set(re.findall(r"\w+", " ".join(_parts(ES_DOCS[list_id])).lower()))
    familiar = {"tú", "tu", "tus", "ti", "contigo", "puedes", "debes", "tienes", "eres"}
    assert not words & familiar


def test_words_that_were_fixed_in_english_stay_fixed() -> None:
    everything = " ".join(part for doc in ES_DOCS.values() for part in _parts(doc)).lower()
    for wrong in ("fuente", "resumen general", "cuáles de estos", "omitir"):
        assert wrong not in everything


@pytest.mark.parametrize(
    "wrong",
    [
        "empieza una semana antes",  # reads as one week before surgery; it is 4 weeks
        "¿toma alguna hierba?",  # "hierba" alone is common slang for cannabis
        "debe agacharse",  # reads as an order to bend
        "tenga que agacharse",  # the same
        "cargar",  # the details say "levantar"
        "son los dos buenos pasos",  # not Spanish
        "casi siempre",  # stronger than "most often"
        "que se la ponga",  # putting it on yourself
        "herpes labial",  # the source says a herpes breakout of any kind
        "algún anticoagulante",  # to many, only prescription drugs: say what they do
    ],
)
def test_spanish_that_read_wrong_is_gone(wrong: str) -> None:
    everything = " ".join(part for doc in ES_DOCS.values() for part in _parts(doc)).lower()
    assert wrong not in everything


def test_blood_thinners_are_named_by_what_they_do() -> None:
    """ "Anticoagulante" alone suggests prescription drugs only: each step says what they do."""
    week = {item["id"]: item for item in ES_DOCS["week-before"]["items"]}
    steps = ("ask-about-blood-thinners", "told-to-stop-blood-thinners", "stop-blood-thinners")
    for item_id in (*steps, "blood-thinners-to-stop"):
        assert re.search(r"\bdiluyen? la sangre", week[item_id]["text"]), item_id
    assert "anticoagulantes" in week["ask-about-blood-thinners"]["details"]


LOCALE = Path(__file__).resolve().parent.parent / "foracheck" / "locale" / "es"


def _msgstr(catalog: str, msgid: str) -> str:
    """The translation of one singular entry of a catalog part, its lines joined."""
    text = (LOCALE / catalog).read_text(encoding="utf-8")
    for entry in text.split("\n\n"):
        key, _, value = entry.partition("\nmsgstr ")
        if "".join(re.findall(r'"(.*)"', key.split("msgid ", 1)[-1])) == msgid:
            return "".join(re.findall(r'"(.*)"', value))
    raise AssertionError(f"{msgid!r} is not in {catalog}")


def test_the_walk_keeps_a_saved_answer_without_saying_dejar() -> None:
    """ "Dejar" also means to stop a medicine: Enter keeps an answer "para no cambiarla"."""
    kept = _msgstr("walk.po", "Saved answer: {answer} (press Enter to keep it)")
    assert kept == "Respuesta guardada: {answer} (presione Enter para no cambiarla)"


def test_the_important_line_reads_the_same_everywhere() -> None:
    """A critical step's line is one sentence (``important_line``), whether the walk, a
    shown list or the form says it: one message in the catalog, in both languages."""
    english = important_line()
    assert english == (
        "Important: missing this step could make your surgery less safe or put it off."
    )
    parts = "".join(part.read_text(encoding="utf-8") for part in LOCALE.glob("*.po"))
    assert parts.count('msgid "Important: missing this step') == 1
    assert _msgstr("print.po", english).startswith("Importante: si falta este paso")
    checklist = next(c for c in bundled() if any(item.critical for item in c.items))
    item = next(item for item in checklist.items if item.critical)
    question = Question(checklist, item, 1, 1, None, due=False, past_due=False)
    assert english in spoken_prompt(question)  # the walk, read aloud
    shown = " ".join(" ".join(checklist_lines(checklist, None, date(2026, 3, 1))).split())
    assert english in shown  # show
    assert "delay or cancel" not in shown


# --- reading level ----------------------------------------------------------


@pytest.fixture(scope="module")
def spanish_textstat() -> Iterator[Any]:
    """textstat in Spanish (syllables from Pyphen's Spanish dictionary, offline); imported
    here, not when the tests are collected: with NLTK it takes a third of a second."""
    import textstat

    textstat.set_lang("es")
    yield textstat
    textstat.set_lang("en_US")


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_reading_level(list_id: str, spanish_textstat: Any) -> None:
    """Measured on the same words as the English grade test: title, intro, items."""
    score = spanish_textstat.szigriszt_pazos(joined_text(ES_DOCS[list_id]))
    assert score >= MIN_SZIGRISZT_PAZOS, f"{list_id}: Szigriszt-Pazos {score:.1f}"


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_no_step_is_hard_to_read(list_id: str, spanish_textstat: Any) -> None:
    """A list's score is an average: no single step may fall below "normal"."""
    doc = ES_DOCS[list_id]
    scores = {
        item["id"]: spanish_textstat.szigriszt_pazos(
            " ".join(_end(part) for part in item_parts(item) if part)
        )
        for item in doc["items"]
    }
    low = {
        key: round(score, 1) for key, score in scores.items() if score < MIN_ITEM_SZIGRISZT_PAZOS
    }
    assert not low, f"{list_id}: {low}"


def test_the_measure_can_fail(spanish_textstat: Any) -> None:
    """A control: long sentences of long words score below the bar."""
    hard = (
        "La administración preoperatoria de anticoagulantes orales requiere una "
        "evaluación individualizada considerando características farmacocinéticas, "
        "comorbilidades cardiovasculares y probabilidad de complicaciones hemorrágicas."
    )
    assert spanish_textstat.szigriszt_pazos(hard) < MIN_SZIGRISZT_PAZOS


# --- the same facts ---------------------------------------------------------

# Each fact of test_content.FACTS, in the Spanish lists' words (all of them,
# case-insensitive, at a word start, in the list that says it in English).
FACTS_ES = {
    "pregnancy": ["embarazada"],
    "prescription-medicines": ["medicamento con receta", "medicamentos con receta"],
    "medicines-without-prescription": ["sin receta"],
    "supplements": ["suplemento"],
    "herbs": ["hierba"],
    "illicit-drugs": ["ilícitas", "drogas de la calle"],
    "alcohol": ["alcohol", "1 o 2 bebidas"],
    "illness": ["enfermedad", "COVID-19", "resfriado", "gripe", "fiebre", "herpes"],
    "postponed": ["posponga"],
    "other-conditions": ["diabetes", "enfermedad del corazón"],
    "smoking": ["fum", "dejar de fumar", "coágulo"],
    "help-quitting": ["ayuda para dejar de fumar"],
    "prepare-home": ["casa"],
    "ride-home": ["llevarle a casa", "maneje"],
    "imaging": ["resonancia magnética", "tomografía"],
    "nerve-injection": ["inyección"],
    "blood-thinners": ["anticoagulante", "deje"],
    "aspirin": ["aspirina"],
    "ibuprofen": ["ibuprofeno", "Advil", "Motrin"],
    "naproxen": ["naproxeno", "Aleve", "Naprosyn"],
    "vitamin-e": ["vitamina E"],
    "store-and-prescription-thinners": ["en una tienda", "receta un médico"],
    "day-of-medicines": ["medicamentos debe tomar el día de la cirugía"],
    "eating-drinking": ["comer", "beber"],
    "sip-of-water": ["sorbo pequeño de agua"],
    "arrive": ["llegar", "a tiempo"],
    "sit-up": ["2 horas", "sentarse", "levantarse de la cama"],
    "neck-collar": ["blando", "collarín"],
    "neck-care": ["mover el cuello"],
    "leave-hospital": ["irse a casa", "día después de la cirugía", "mismo día"],
    "wound": ["herida", "espalda"],
    "driving": ["volver a manejar", "dos semanas"],
    "light-work": ["trabajo ligero", "4 semanas"],
    "walking": ["caminar", "actividades ligeras", "unos pocos días y una semana"],
    "limits": ["agacharse", "levantar", "girar", "varias semanas"],
}


def _says(text: str, words: list[str]) -> bool:
    return all(re.search(r"\b" + re.escape(word), text, re.IGNORECASE) for word in words)


def _item_words(doc: dict[str, Any]) -> str:
    return " ".join(" ".join(f"{i['text']} {i.get('details', '')}".split()) for i in doc["items"])


def test_every_english_fact_has_spanish_words() -> None:
    assert set(FACTS_ES) == set(FACTS)


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_fact_is_said_in_spanish_where_it_is_said_in_english(fact: str) -> None:
    in_english = [list_id for list_id in DOCS if _says(_item_words(DOCS[list_id]), FACTS[fact])]
    lists = in_english or sorted(DOCS)  # a fact spread over several lists
    spanish = " ".join(_item_words(ES_DOCS[list_id]) for list_id in lists)
    assert _says(spanish, FACTS_ES[fact]), f"{fact}: not said in Spanish in {lists}"


# --- accents ----------------------------------------------------------------


@pytest.mark.parametrize("list_id", sorted(DOCS))
def test_text_is_composed_utf8(list_id: str) -> None:
    """Accents as single characters (NFC), so search and screen readers see one letter."""
    text = ES[list_id].read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text
    assert "\t" not in text
