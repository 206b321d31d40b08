"""validate in Spanish: a clinic's broken lists explained in Spanish, at the same
FILE:LINE:COL, with what the clinic typed (keys, types, phrases, ids) left as typed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import BUNDLED, run_here

BROKEN = """\
format: 2
id: broken
title: A broken list
tittle: x
items:
  - id: one
    type: taks
    text: Hello
  - id: one
    type: task
    text: Again
    when:
      from: 1 day after
      until: 2 days before
  - id: three
    type: text
    text: What?
    show_if: {item: missing, answer: "yes"}
  - id: four
    type: task
    text: Later
    when:
      from: 2 weks before
"""

# (line:column, Spanish, English): the same place in both languages.
EXPECTED = [
    (
        "4:1",
        "clave desconocida 'tittle' en la lista; ¿quiso decir 'title'?",
        "unknown key 'tittle' in the checklist; did you mean 'title'?",
    ),
    (
        "7:11",
        "'type' es 'taks' (¿quiso decir 'task'?); debe ser uno de estos: task, yesno, text",
        "'type' is 'taks' (did you mean 'task'?); it must be one of: task, yesno, text",
    ),
    (
        "9:9",
        "el id de paso 'one' se usa dos veces (la primera en la línea 6)",
        "item id 'one' is used twice (first on line 6)",
    ),
    (
        "14:14",
        "'from' (1 day after) es posterior a 'until' (2 days before)",
        "'from' (1 day after) is later than 'until' (2 days before)",
    ),
    (
        "18:21",
        "show_if nombra 'missing', que no es un paso anterior de esta lista",
        "show_if names 'missing', which is not an earlier item of this list",
    ),
]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_problems_are_spanish_at_the_same_places(broken: Path) -> None:
    spanish = run_here("--lang", "es", "validate", str(broken))
    english = run_here("validate", str(broken))
    assert spanish.returncode == english.returncode == 65
    for place, in_spanish, in_english in EXPECTED:
        assert f"{broken}:{place}: {in_spanish}" in spanish.stderr
        assert f"{broken}:{place}: {in_english}" in english.stderr
    assert "Se encontraron" in spanish.stderr and "Found" not in spanish.stderr
    # The timing phrase a clinic mistyped is explained in Spanish too, at the phrase.
    phrase = next(line for line in spanish.stderr.splitlines() if f"{broken}:23:" in line)
    assert "2 weks before" in phrase and " is " not in phrase


def test_a_yaml_syntax_error_is_spanish(tmp_path: Path) -> None:
    path = tmp_path / "tabs.yaml"
    path.write_text("format: 2\nid: x\nitems:\n\t- id: a\n", encoding="utf-8")
    result = run_here("--lang", "es", "validate", str(path))
    assert result.returncode == 65
    assert f"{path}:4:1: se usa un tabulador para la sangría" in result.stderr


def test_a_translation_that_departs_from_its_base_file_is_spanish(tmp_path: Path) -> None:
    for name in ("day-of.yaml", "day-of.es.yaml"):
        shutil.copy(BUNDLED / name, tmp_path / name)
    translation = tmp_path / "day-of.es.yaml"
    text = translation.read_text(encoding="utf-8")
    translation.write_text(text.replace("type: task", "type: yesno", 1), encoding="utf-8")
    result = run_here("--lang", "es", "validate", str(translation))
    assert result.returncode == 65
    assert "'type' no es el del archivo base (task); una traducción solo cambia las palabras" in (
        result.stderr
    )
    assert f"{translation}:" in result.stderr


def test_an_unknown_list_id_is_spanish() -> None:
    result = run_here("--lang", "es", "show", "no-such-list")
    assert result.returncode == 2
    assert "No hay ninguna lista llamada 'no-such-list'." in result.stderr
