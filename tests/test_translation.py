"""Translated checklists: loaded beside their base file, checked against it, shown in the
chosen language, and never changing what the care team or a script receives.

The language is set here the way the run sets it, by what ``i18n.language()``
answers to the catalog; the Spanish words of the lists themselves need no
message catalog.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from helpers import BUNDLED, run_here

from foracheck import catalog as catalog_module
from foracheck.catalog import Catalog, load_catalog
from foracheck.model import Answer, Progress
from foracheck.paths import Locations
from foracheck.render import Options, render
from foracheck.render.fhir import TRANSLATION

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
WEEK_BEFORE = BUNDLED / "week-before.yaml"
WEEK_BEFORE_ES = BUNDLED / "week-before.es.yaml"
NOT_TRANSLATED = "is not translated; it is shown in English."


def catalog_in(language: str, monkeypatch: pytest.MonkeyPatch, locations: Locations) -> Catalog:
    """The catalog as a run in ``language`` loads it."""
    with monkeypatch.context() as patch:
        patch.setattr(catalog_module, "language", lambda: language)
        return load_catalog(locations)


def with_clinic(locations: Locations, folder: Path) -> Locations:
    return Locations(locations.home, (folder,))


# --- the catalog --------------------------------------------------------------


def test_spanish_catalog_shows_every_list_in_spanish(
    monkeypatch: pytest.MonkeyPatch, locations: Locations, capsys: pytest.CaptureFixture[str]
) -> None:
    english = catalog_in("en", monkeypatch, locations)
    spanish = catalog_in("es", monkeypatch, locations)
    assert spanish.ids == english.ids  # no ID.es.yaml as a list of its own
    for base, shown in zip(english.checklists, spanish.checklists, strict=True):
        assert shown.language == "es" and base.language == "en"
        assert shown.title != base.title
        assert [i.id for i in shown.items] == [i.id for i in base.items]
        assert all(a.text != b.text for a, b in zip(shown.items, base.items, strict=True))
        # Answers stay attached whatever the language.
        assert shown.content_hash() == base.content_hash()
    assert spanish.get("day-of").title == "El día de la cirugía"
    assert NOT_TRANSLATED not in capsys.readouterr().err


def test_english_texts_stay_reachable(
    monkeypatch: pytest.MonkeyPatch, locations: Locations
) -> None:
    english = catalog_in("en", monkeypatch, locations).get("week-before")
    spanish = catalog_in("es", monkeypatch, locations).get("week-before")
    assert spanish.in_language("en") == english
    assert english.in_language("es") == spanish


def test_a_list_without_translation_is_shown_in_english_and_said_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    locations: Locations,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    shutil.copy(WEEK_BEFORE, clinic / "week-before.yaml")  # the clinic's own, untranslated
    catalog = catalog_in("es", monkeypatch, with_clinic(locations, clinic))
    adapted = catalog.get("week-before")
    assert adapted.title == "The week before surgery"  # not the bundled translation
    assert catalog.get("day-of").title == "El día de la cirugía"
    err = capsys.readouterr().err
    assert err.count(NOT_TRANSLATED) == 1
    assert "'The week before surgery'" in err
    catalog_in("en", monkeypatch, with_clinic(locations, clinic))
    assert NOT_TRANSLATED not in capsys.readouterr().err


def test_a_clinic_list_can_have_its_own_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locations: Locations
) -> None:
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    shutil.copy(WEEK_BEFORE, clinic / "week-before.yaml")
    text = WEEK_BEFORE_ES.read_text(encoding="utf-8")
    (clinic / "week-before.es.yaml").write_text(
        text.replace("La semana antes de la cirugía", "Su semana antes"), encoding="utf-8"
    )
    catalog = catalog_in("es", monkeypatch, with_clinic(locations, clinic))
    assert catalog.get("week-before").title == "Su semana antes"
    assert catalog.get("week-before").path == clinic / "week-before.yaml"


def test_the_notice_is_spanish_in_spanish(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    locations: Locations,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from foracheck import i18n

    try:
        i18n.use_language("es")
    except OSError:
        pytest.skip("the Spanish message catalog is not compiled here")
    try:
        clinic = tmp_path / "clinic"
        clinic.mkdir()
        shutil.copy(WEEK_BEFORE, clinic / "week-before.yaml")
        load_catalog(with_clinic(locations, clinic))
    finally:
        i18n.use_language("en")
    err = capsys.readouterr().err
    assert (
        err.strip() == "La lista «The week before surgery» no está traducida; se muestra en inglés."
    )


def test_the_cache_never_takes_a_file_for_a_translation_by_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locations: Locations
) -> None:
    """A translation's bytes, cached, and then met again as a clinic's base file."""
    locations.home.mkdir(mode=0o700)
    first = catalog_in("es", monkeypatch, locations)  # fills the cache
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    shutil.copy(WEEK_BEFORE_ES, clinic / "week-before.yaml")  # Spanish words as a base file
    catalog = catalog_in("en", monkeypatch, with_clinic(locations, clinic))
    adapted = catalog.get("week-before")
    assert adapted.language == "en" and adapted.title == "La semana antes de la cirugía"
    assert not adapted.wordings
    assert catalog_in("es", monkeypatch, locations) == first  # and from the cache, the same


# --- what the care team and scripts get ------------------------------------------


def _answered(catalog: Catalog) -> Progress:
    progress = Progress()
    for list_id, item_id, value in [
        ("week-before", "ask-about-blood-thinners", "done"),
        ("week-before", "told-to-stop-blood-thinners", "yes"),
        ("week-before", "blood-thinners-to-stop", "Aspirina, 3 días antes"),
        ("tell-your-surgeon", "pregnant", "no"),
    ]:
        answer = Answer(value, NOW.isoformat())
        progress = progress.with_answer(catalog.get(list_id), item_id, answer)
    return progress


@pytest.mark.parametrize("fmt", ["fhir", "json"])
def test_exports_for_the_care_team_do_not_change_with_the_language(
    fmt: str, monkeypatch: pytest.MonkeyPatch, locations: Locations
) -> None:
    outputs = []
    for language in ("en", "es"):
        catalog = catalog_in(language, monkeypatch, locations)
        progress = _answered(catalog)
        outputs.append(render("export", fmt, catalog.checklists, progress, Options(now=NOW)))
    assert outputs[0] == outputs[1]
    assert "The week before surgery" in outputs[0]


def _translations(element: dict[str, object], key: str) -> dict[str, str]:
    twin = element.get(f"_{key}")
    assert isinstance(twin, dict), f"no _{key}"
    found = {}
    for extension in twin["extension"]:
        assert extension["url"] == TRANSLATION
        parts = {part["url"]: part for part in extension["extension"]}
        found[parts["lang"]["valueCode"]] = parts["content"]["valueString"]
    return found


def test_fhir_carries_the_spanish_words_beside_the_english(
    monkeypatch: pytest.MonkeyPatch, locations: Locations
) -> None:
    catalog = catalog_in("es", monkeypatch, locations)
    bundle = json.loads(
        render("export", "fhir", catalog.checklists, Progress(), Options(now=NOW, blank=True))
    )
    questionnaires = [entry["resource"] for entry in bundle["entry"]]
    assert len(questionnaires) == len(catalog.checklists)
    for resource, shown in zip(questionnaires, catalog.checklists, strict=True):
        english = shown.in_language("en")
        assert english is not None
        assert resource["language"] == "en"
        assert resource["title"] == english.title
        assert _translations(resource, "title") == {"es": shown.title}
        for question, item in zip(resource["item"], shown.items, strict=True):
            assert question["text"] == english.item(item.id).text  # type: ignore[union-attr]
            assert _translations(question, "text") == {"es": item.text}
            details = question["item"][0]
            assert _translations(details, "text") == {"es": item.details}


def test_markdown_export_takes_the_chosen_language(
    monkeypatch: pytest.MonkeyPatch, locations: Locations
) -> None:
    catalog = catalog_in("es", monkeypatch, locations)
    text = render("export", "markdown", catalog.checklists, Progress(), Options(now=NOW))
    assert "## La semana antes de la cirugía" in text
    assert "The week before surgery" not in text


def test_a_spanish_answered_fhir_export_imports_under_english(tmp_path: Path) -> None:
    """The file does not depend on the language, so its answers come back anywhere."""
    marked = run_here("mark", "week-before", "ask-about-blood-thinners", "done")
    assert marked.returncode == 0, marked.stderr
    exported = run_here("export", "--format", "fhir", "--output", str(tmp_path / "out.json"))
    assert exported.returncode == 0, exported.stderr
    bundle = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert "La semana antes de la cirugía" in json.dumps(bundle, ensure_ascii=False)
    other_home = tmp_path / "other"
    imported = run_here("--home", str(other_home), "import", str(tmp_path / "out.json"))
    assert imported.returncode == 0, imported.stderr
    shown = run_here("--home", str(other_home), "show", "week-before", "--json")
    answers = {i["id"]: i["answer"] for i in json.loads(shown.stdout)["checklists"][0]["items"]}
    assert answers["ask-about-blood-thinners"] == "done"


# --- validate: a translation against its base file ----------------------------------


def _line_of(text: str, needle: str, after: str = "") -> int:
    """The 1-based line where ``needle`` first appears (after ``after``, if given)."""
    start = text.index(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def _broken(tmp_path: Path, change: str) -> tuple[Path, str]:
    """The bundled week-before and its Spanish translation, the latter broken one way."""
    shutil.copy(WEEK_BEFORE, tmp_path / "week-before.yaml")
    text = WEEK_BEFORE_ES.read_text(encoding="utf-8")
    old, new = BROKEN[change]
    assert old in text
    text = text.replace(old, new, 1)
    path = tmp_path / "week-before.es.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


# change -> (what is replaced, by what)
BROKEN = {
    "type": (
        "  - id: day-of-medicines\n    type: text",
        "  - id: day-of-medicines\n    type: task",
    ),
    "critical": (
        '    tell_surgeon: "yes"\n    critical: true',
        '    tell_surgeon: "yes"\n    critical: false',
    ),
    "show_if": ("    show_if:\n      item: ask-day-of-medicines\n      answer: done\n", ""),
    "when": (
        "      from: 4 weeks before\n      until: 10 days before",
        "      from: 3 weeks before\n      until: 10 days before",
    ),
    "details": (
        "    details: >-\n      Puede que aún necesite algunos de sus medicamentos el día de la "
        "cirugía.\n      Pregunte a su cirujano cuáles.\n",
        "",
    ),
    "missing": ("  - id: blood-thinners-to-stop\n", "  - id: blood-thinners-to-stop-x\n"),
    "alert answer": ('    alert:\n      answer: "yes"', '    alert:\n      answer: "no"'),
    "alert missing": (
        '    alert:\n      answer: "yes"\n      text: >-\n'
        "        Dígale hoy a su cirujano o a su enfermera que tiene una enfermedad. Si\n"
        "        tiene una enfermedad, puede que su cirugía pase a otro día (que se\n"
        "        posponga).\n",
        "",
    ),
    "order": ("order: 30", "order: 31"),
}


def _expected(change: str, text: str) -> tuple[int, int, str]:
    """Where validate must point, and a word of what it says."""
    if change == "type":
        return (
            _line_of(text, "type: task", after="id: day-of-medicines"),
            5,
            ("'type' is not the base file's (text)"),
        )
    if change == "critical":
        return _line_of(text, "critical: false"), 5, "'critical' is not the base file's (true)"
    if change == "show_if":
        return _line_of(text, "- id: day-of-medicines"), 5, "'show_if' is not the base file's"
    if change == "when":
        line = _line_of(text, "when:", after="id: ask-about-blood-thinners")
        base = "(from: 4 weeks before, until: 10 days before)"
        return line, 5, f"'when' is not the base file's {base}"
    if change == "details":
        return _line_of(text, "- id: ask-day-of-medicines"), 5, "'details' is missing"
    if change == "alert answer":
        line = _line_of(text, '      answer: "no"') - 1
        return line, 5, "'alert' is not the base file's (answer: yes)"
    if change == "alert missing":
        return _line_of(text, "- id: sick-before-surgery"), 5, "'alert' is missing"
    if change == "missing":
        return (
            _line_of(text, "items:"),
            1,
            "item 'blood-thinners-to-stop' of the base file is missing",
        )
    assert change == "order"
    return _line_of(text, "order: 31"), 1, "'order' is not the base file's (30)"


@pytest.mark.parametrize("change", sorted(BROKEN))
@pytest.mark.parametrize("named", ["translation", "base"])
def test_validate_points_at_each_mismatch(tmp_path: Path, change: str, named: str) -> None:
    path, text = _broken(tmp_path, change)
    target = path if named == "translation" else tmp_path / "week-before.yaml"
    result = run_here("validate", str(target))
    assert result.returncode == 65, result.stdout + result.stderr
    line, column, message = _expected(change, text)
    assert f"{path}:{line}:{column}: {message}" in result.stderr
    assert "week-before.es.yaml: ok" not in result.stdout


def test_an_extra_item_is_named_where_it_is(tmp_path: Path) -> None:
    shutil.copy(WEEK_BEFORE, tmp_path / "week-before.yaml")
    text = WEEK_BEFORE_ES.read_text(encoding="utf-8") + (
        "\n  - id: extra-step\n    type: task\n    text: Otro paso.\n    details: Más.\n"
    )
    path = tmp_path / "week-before.es.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_here("validate", str(path))
    assert result.returncode == 65
    line = _line_of(text, "- id: extra-step")
    assert f"{path}:{line}:9: item 'extra-step' is not in the base file" in result.stderr


def test_a_translation_needs_its_base_file(tmp_path: Path) -> None:
    path = tmp_path / "week-before.es.yaml"
    shutil.copy(WEEK_BEFORE_ES, path)
    result = run_here("validate", str(path))
    assert result.returncode == 65
    assert f"{path}:1:1: its base file week-before.yaml does not exist" in result.stderr


def test_a_broken_translation_stops_the_catalog_like_a_broken_list(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    _broken(clinic, "type")
    result = run_here("--checklists", str(clinic), "list")
    assert result.returncode == 65
    assert "week-before.es.yaml:" in result.stderr and "Traceback" not in result.stderr


def test_a_fitting_translation_validates_with_its_base(tmp_path: Path) -> None:
    shutil.copy(WEEK_BEFORE, tmp_path / "week-before.yaml")
    shutil.copy(WEEK_BEFORE_ES, tmp_path / "week-before.es.yaml")
    result = run_here("validate", str(tmp_path / "week-before.yaml"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'week-before.yaml'}: ok (week-before, 8 items)",
        f"{tmp_path / 'week-before.es.yaml'}: ok (week-before, 8 items)",
    ]
