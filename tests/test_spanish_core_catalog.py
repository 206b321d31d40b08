"""The core modules' catalog part is whole and safe: every sentence they mark has its
Spanish, every translation keeps its placeholders, and nothing is put into words at import.

The sentences are read from the code itself (``_()`` and ``ngettext()`` with literal
English, and the checks of ``store`` and ``importing`` that name what failed in English
and are put into words only when they fail), so a sentence added without its Spanish
fails here. Words kept in tables (months, weekdays, kinds of files and copies) are
checked from the tables.
"""

from __future__ import annotations

import ast
import gettext
import shutil
import string
import subprocess
from pathlib import Path

import pytest

from foracheck import fsutil, i18n, lock, store, timeline

PACKAGE = Path(i18n.__file__).parent
CORE_PART = PACKAGE / "locale" / "es" / "core.po"
CORE_MODULES = [
    "store/__init__", "store/codec", "store/kept", "store/reading", "store/writer",
    "store/recovery", "kept_text", "lock", "importing", "errors", "exits", "stdio", "fsutil",
    "marking", "schedule", "timeline", "agenda", "listing", "invocation", "paths", "signals",
    "safetext",
]  # fmt: skip
# Checks whose English argument (at this position) becomes a sentence only on failure.
LAZY_CHECKS = {
    "_expect": 1,
    "_optional_str": 1,
    "_need": 1,
    "_object": 1,
    "_array": 1,
    "_id": 1,
    "_text": 1,
    "_refused": 0,
}


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def marked_messages(source: str) -> list[tuple[str, ...]]:
    """Every (msgid,) or (msgid, msgid_plural) the code marks with literal English."""
    found: list[tuple[str, ...]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        texts = [_text(arg) for arg in node.args]
        name = node.func.id
        if name == "_" and texts and texts[0]:
            found.append((texts[0],))
        elif name == "ngettext" and len(texts) >= 2 and texts[0] and texts[1]:
            found.append((texts[0], texts[1]))
        elif name in LAZY_CHECKS and len(texts) > LAZY_CHECKS[name]:
            what = texts[LAZY_CHECKS[name]]
            if what:
                found.append((what,))
    return found


def table_words() -> list[str]:
    """English kept in tables and constants, shown through ``_`` when written."""
    kinds = [*store.KEPT_KINDS.values(), "a backup", "a copy"]
    return [
        *timeline.MONTHS,
        *timeline._WEEKDAYS,
        *(kind for _test, kind in fsutil._KINDS),
        *kinds,
        *(kind.split(" ", 1)[1] for kind in kinds),  # the nouns "Your {noun} is restored" uses
        lock.LOCKED_MESSAGE,
        "a foracheck JSON export",
        "a FHIR QuestionnaireResponse",
    ]


@pytest.fixture(scope="module")
def core_catalog(tmp_path_factory: pytest.TempPathFactory) -> dict[object, str]:
    """The core part alone, compiled and checked by msgfmt (placeholders and header)."""
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (GNU gettext) is needed to compile the Spanish catalog")
    compiled = tmp_path_factory.mktemp("core") / "core.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(CORE_PART)], check=True, capture_output=True
    )
    with compiled.open("rb") as stream:
        catalog: dict[object, str] = gettext.GNUTranslations(stream)._catalog
    return catalog


def _spanish(catalog: dict[object, str], message: tuple[str, ...]) -> list[str]:
    if len(message) == 1:
        return [catalog[message[0]]] if message[0] in catalog else []
    return [catalog[(message[0], n)] for n in (0, 1) if (message[0], n) in catalog]


def test_every_marked_sentence_has_its_spanish(core_catalog: dict[object, str]) -> None:
    missing = []
    for module in CORE_MODULES:
        source = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
        for message in marked_messages(source):
            forms = _spanish(core_catalog, message)
            if len(forms) != len(message) or not all(forms):
                missing.append(f"{module}: {message[0]!r}")
    assert missing == []


def test_every_word_kept_in_a_table_has_its_spanish(core_catalog: dict[object, str]) -> None:
    missing = [word for word in table_words() if not core_catalog.get(word)]
    assert missing == []
    assert core_catalog["May"] == "mayo"
    assert core_catalog["a named pipe (FIFO)"] == "una tubería con nombre (FIFO)"


def _placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_translations_keep_their_placeholders(core_catalog: dict[object, str]) -> None:
    """A Spanish sentence uses exactly the English one's named fields, so ``format`` never
    fails and never drops a file name, a date or a count."""
    wrong = []
    for key, spanish in core_catalog.items():
        english = key[0] if isinstance(key, tuple) else key
        if not english:  # the header
            continue
        assert isinstance(english, str)
        if _placeholders(spanish) != _placeholders(english):
            wrong.append(english)
    assert wrong == []


def test_the_part_is_spanish_with_two_plural_forms() -> None:
    header = CORE_PART.read_text(encoding="utf-8")
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header


def _import_time_calls(tree: ast.Module) -> list[int]:
    """Lines where ``_`` or ``ngettext`` would run when the module is imported."""
    lines = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue  # runs later, in the language chosen by then
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "ngettext")
        ):
            lines.append(node.lineno)
        pending.extend(ast.iter_child_nodes(node))
    return lines


def test_nothing_is_put_into_words_at_import_time() -> None:
    """The language is chosen after these modules are imported (exits guards the very start)."""
    found = {}
    for module in CORE_MODULES:
        tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
        lines = _import_time_calls(tree)
        if lines:
            found[module] = lines
    assert found == {}


def test_the_import_time_check_can_fail() -> None:
    tree = ast.parse('from x import _\nSENTENCE = _("Hello")\n\ndef later():\n    return _("x")\n')
    assert _import_time_calls(tree) == [2]
