"""The language machinery: which language a run speaks, and the catalogs it reads.

Choosing: ``--lang``, then ``FORACHECK_LANG``, then the locale, else English;
an unknown code that someone asked for by name is a usage error. Catalogs: the
pure-Python compiler agrees with GNU msgfmt, refuses two translations of one
message, and every sentence the code marks for translation has its Spanish one.
"""

from __future__ import annotations

import ast
import gettext
import io
import shutil
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import ROOT, run_cli, run_here

from foracheck import i18n, pocompile
from foracheck.errors import UsageError

PACKAGE = ROOT / "foracheck"
SPANISH_HINT = "Por favor, responda sí (s) o no (n)."
ENGLISH_HINT = "Please answer yes (y) or no (n)."
# A yes/no item of a bundled list, and an answer no language accepts.
BAD_ANSWER = ("mark", "week-before", "sick-before-surgery", "quizás-mañana")


@pytest.mark.parametrize(
    ("args", "environ", "expected"),
    [
        ([], {}, "en"),
        (["--lang", "es", "list"], {}, "es"),
        (["--lang=es", "list"], {}, "es"),
        (["--home", "/tmp/x", "--lang", "es", "list"], {}, "es"),
        (["--checklists", "--lang", "list"], {}, "en"),  # "--lang" is --checklists' value
        (["--lang", "en", "list"], {"FORACHECK_LANG": "es", "LANG": "es_ES.UTF-8"}, "en"),
        (["list", "--lang", "es"], {}, "en"),  # after the command it is not global (Click refuses)
        (["--", "--lang", "es"], {}, "en"),
        ([], {"FORACHECK_LANG": "es", "LANG": "en_US.UTF-8"}, "es"),
        ([], {"FORACHECK_LANG": "en", "LANGUAGE": "es"}, "en"),
        ([], {"FORACHECK_LANG": "  ", "LANG": "es_MX"}, "es"),  # empty: not a request
        ([], {"LANG": "es_ES.UTF-8"}, "es"),
        ([], {"LANG": "es_MX"}, "es"),
        ([], {"LANG": "es"}, "es"),
        ([], {"LANG": "es_ES@euro"}, "es"),
        ([], {"LANG": "C"}, "en"),
        ([], {"LANG": "POSIX"}, "en"),
        ([], {"LANG": "C.UTF-8"}, "en"),
        ([], {"LANG": "fr_FR.UTF-8"}, "en"),  # not ours: English, silently
        ([], {"LC_MESSAGES": "es_ES.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
        ([], {"LC_ALL": "C", "LC_MESSAGES": "es_ES.UTF-8"}, "en"),
        ([], {"LC_ALL": "es_ES.UTF-8", "LANG": "C"}, "es"),
        ([], {"LANGUAGE": "es", "LC_ALL": "C.UTF-8"}, "es"),
        ([], {"LANGUAGE": "fr:es_MX:en", "LANG": "C"}, "es"),  # the first usable one
        ([], {"LANGUAGE": "en:es", "LANG": "es_ES.UTF-8"}, "en"),
        ([], {"LANGUAGE": "fr:de", "LANG": "es_ES.UTF-8"}, "es"),  # none usable: on to LANG
        ([], {"LANGUAGE": "", "LANG": "es_ES.UTF-8"}, "es"),
    ],
)
def test_the_language_comes_from_the_option_the_variable_then_the_locale(
    args: list[str], environ: dict[str, str], expected: str
) -> None:
    assert i18n.choose(args, environ) == expected


@pytest.mark.parametrize(
    ("args", "environ", "named"),
    [
        (["--lang", "fr", "list"], {}, "--lang 'fr'"),
        (["--lang=", "list"], {}, "--lang ''"),
        ([], {"FORACHECK_LANG": "klingon", "LANG": "es_ES.UTF-8"}, "FORACHECK_LANG 'klingon'"),
    ],
)
def test_an_unknown_code_asked_for_by_name_is_a_usage_error(
    args: list[str], environ: dict[str, str], named: str
) -> None:
    with pytest.raises(UsageError) as raised:
        i18n.choose(args, environ)
    assert raised.value.message.startswith(named)
    assert "en (English), es (español)" in raised.value.message


def test_the_options_skipped_while_looking_for_lang_are_the_global_ones_with_a_value() -> None:
    """--lang is found before Typer loads, past the global options that take a value;
    a new such option must be added to that list, or its value would end the search."""
    import typer

    from foracheck.cli import app

    command = typer.main.get_command(app)
    valued = {
        name
        for param in command.params
        if not getattr(param, "is_flag", False)
        for name in param.opts
    }
    assert valued == i18n._VALUED_OPTIONS


def _entry_points() -> Iterator[list[str]]:
    yield [sys.executable, "-m", "foracheck"]
    script = Path(sys.executable).parent / "foracheck"
    if script.exists():
        yield [str(script)]


@pytest.mark.parametrize("entry", list(_entry_points()), ids=lambda words: Path(words[-1]).name)
@pytest.mark.parametrize(
    ("args", "environ"),
    [(["--lang", "xx"], {}), ([], {"FORACHECK_LANG": "xx"})],
)
def test_an_unknown_code_exits_2_naming_the_languages_from_both_entry_points(
    entry: list[str], args: list[str], environ: dict[str, str], isolated_home: Path
) -> None:
    import os

    result = subprocess.run(
        [*entry, *args, "list"],
        capture_output=True,
        text=True,
        env={**os.environ, **environ},
        timeout=20,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "'xx' is not a language foracheck speaks" in result.stderr
    assert "en (English), es (español)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "environ", "expected"),
    [
        (["--lang", "es"], {}, SPANISH_HINT),
        ([], {"FORACHECK_LANG": "es"}, SPANISH_HINT),
        ([], {"LANG": "es_ES.UTF-8"}, SPANISH_HINT),
        ([], {"LANGUAGE": "fr:es"}, SPANISH_HINT),
        (["--lang", "en"], {"LANG": "es_ES.UTF-8"}, ENGLISH_HINT),
        ([], {"LANG": "fr_FR.UTF-8"}, ENGLISH_HINT),
        ([], {}, ENGLISH_HINT),
    ],
)
def test_a_real_run_speaks_the_chosen_language(
    args: list[str], environ: dict[str, str], expected: str
) -> None:
    result = run_here(*args, *BAD_ANSWER, env=environ)
    assert result.returncode == 2
    assert expected in result.stderr


def test_help_is_built_in_the_chosen_language() -> None:
    spanish = run_cli("--lang", "es", "--help")
    assert spanish.returncode == 0
    assert "Idioma de las pantallas" in " ".join(spanish.stdout.split())
    english = run_cli("--help")
    assert "Language of the screens" in " ".join(english.stdout.split())


def test_english_and_version_never_load_gettext() -> None:
    """English needs no catalog: choosing it must not cost gettext's import."""
    code = (
        "import sys\n"
        "from foracheck import i18n, remembered\n"
        "remembered.decide(['list'])\n"
        "assert i18n.language() == 'en'\n"
        "assert i18n._('yes') == 'yes'\n"
        "print('gettext' in sys.modules)\n"
    )
    chosen = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=20, check=True
    )
    assert chosen.stdout.strip() == "False"
    version = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "foracheck", "--version"],
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in version.stderr.splitlines()}
    assert "foracheck.exits" in imported  # the entry point did run
    # i18n itself is loaded (the exit path words its sentences through it), but it
    # costs no more than its own few lines: no gettext, no pathlib.
    assert "gettext" not in imported and "pathlib" not in imported


def test_in_process_the_language_switches_and_comes_back() -> None:
    assert i18n._("yes") == "yes"
    i18n.use_language("es")
    assert (i18n.language(), i18n._("yes"), i18n._("not yet")) == ("es", "sí", "todavía no")
    assert i18n._("A sentence no catalog has.") == "A sentence no catalog has."
    i18n.use_language("en")
    assert (i18n.language(), i18n._("yes")) == ("en", "yes")


def test_an_edited_po_shows_even_when_the_compiled_catalog_is_older(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A developer's stale .mo must not hide an edit: newer parts are compiled in memory."""
    locale = tmp_path / "locale"
    shutil.copytree(PACKAGE / "locale" / "es", locale / "es", ignore=shutil.ignore_patterns("LC_*"))
    pocompile.write_all(locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    part = locale / "es" / "answers.po"
    edited = part.read_text(encoding="utf-8").replace('msgstr "todavía no"', 'msgstr "aún no"')
    assert edited != part.read_text(encoding="utf-8")
    part.write_text(edited, encoding="utf-8")
    compiled = pocompile.mo_path("es", locale)
    stamp = part.stat().st_mtime - 10
    import os

    os.utime(compiled, (stamp, stamp))
    i18n.use_language("es")
    assert i18n._("not yet") == "aún no"


# --- the catalogs -------------------------------------------------------------------


# Text built at the call (an f-string, a concatenation, a %-format) has no msgid a
# catalog could hold; a name, attribute or call passes English worded elsewhere.
_BUILT_TEXT = (ast.JoinedStr, ast.BinOp)


def _marked_messages() -> Iterator[tuple[str, int, tuple[str, ...] | None]]:
    """Every ``_(...)`` and ``ngettext(...)`` call in the package: where, and its msgids.

    None instead of msgids when the call builds its text on the spot (which no
    catalog could translate).
    """
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "i18n"
                else None
            )
            wanted = {"_": 1, "ngettext": 2}.get(name or "")
            if wanted is None or (name == "_" and len(node.args) != 1):
                continue
            literals = node.args[:wanted]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if len(literals) == wanted and all(
                isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in literals
            ):
                yield where, node.lineno, tuple(arg.value for arg in literals)  # type: ignore[attr-defined]
            elif any(isinstance(arg, _BUILT_TEXT) for arg in literals):
                yield where, node.lineno, None
            # else: a value worded elsewhere (a table's English, a check's message):
            # tests/test_spanish_core_catalog.py checks those tables have their Spanish.


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_scan_finds_the_messages_this_branch_marked() -> None:
    """The completeness test below must see real calls, or it would pass on nothing."""
    found = {ids for _, _, ids in _marked_messages() if ids is not None}
    assert ("Please answer {choices}.",) in found
    assert ("does not apply",) in found
    assert (
        "Language of the screens: en (English) or es (español) "
        "[env: FORACHECK_LANG; otherwise the locale].",
    ) in found


TRANSLATED = [code for code in i18n.LANGUAGES if code != i18n.ENGLISH]


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_message_has_a_translation_with_the_same_placeholders(code: str) -> None:
    catalog = pocompile.merge(pocompile.parts_of(code))
    problems: list[str] = []
    for where, _, ids in _marked_messages():
        if ids is None:
            problems.append(f"{where}: pass literal strings to _() / ngettext()")
            continue
        key = "\x00".join(ids)
        forms = catalog.get(key, "").split("\x00")
        if not all(forms) or len(forms) != len(ids):
            problems.append(f"{where}: no {code} translation for {ids[0]!r}")
            continue
        for english, spanish in zip(ids, forms, strict=True):
            if _fields(english) != _fields(spanish):
                problems.append(
                    f"{where}: {ids[0]!r} has {sorted(_fields(english))} in English "
                    f"but {sorted(_fields(spanish))} in {code}"
                )
    assert not problems, "\n".join(problems)


def test_the_catalog_says_utf8_and_two_plural_forms() -> None:
    catalog = gettext.GNUTranslations(io.BytesIO(pocompile.compile_language("es")))
    assert catalog.charset() == "UTF-8"
    assert catalog.ngettext("{n} step", "{n} steps", 1) == "{n} step"  # untranslated: as given
    assert catalog.info()["plural-forms"] == "nplurals=2; plural=(n != 1);"


HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)
TRICKY = HEADER + (
    "# a comment\n#: somewhere.py:1\n#, python-brace-format\n"
    'msgid ""\n"A long message over "\n"two lines with \\"quotes\\", a tab\\t and \\\\."\n'
    'msgstr ""\n"Un mensaje largo en "\n"dos líneas con \\"comillas\\", un tab\\t y \\\\."\n\n'
    'msgid "{n} step"\nmsgid_plural "{n} steps"\nmsgstr[0] "{n} paso"\nmsgstr[1] "{n} pasos"\n\n'
    'msgctxt "answer"\nmsgid "done"\nmsgstr "hecho"\n\n'
    'msgid "done"\nmsgstr "listo"\n\n'
    '#, fuzzy\nmsgid "Fuzzy one"\nmsgstr "Difuso"\n\n'
    'msgid "Untranslated"\nmsgstr ""\n\n'
    'msgid "Line\\nbreak"\nmsgstr "Salto\\nde línea"\n\n'
    '#~ msgid "Old"\n#~ msgstr "Viejo"\n'
)


def _msgfmt() -> str:
    found = shutil.which("msgfmt")
    if found is None:
        pytest.skip("GNU msgfmt is not installed (gettext package); nothing to compare with")
    return found


@pytest.mark.parametrize("source", ["tricky", "bundled"])
def test_the_compiler_writes_what_msgfmt_writes(source: str, tmp_path: Path) -> None:
    msgfmt = _msgfmt()
    if source == "tricky":
        parts = [tmp_path / "tricky.po"]
        parts[0].write_text(TRICKY, encoding="utf-8")
        given = parts[0]
    else:  # every part of the Spanish catalog, concatenated the way msgfmt can read them
        parts = pocompile.parts_of("es")
        msgcat = shutil.which("msgcat")
        if msgcat is None:
            pytest.skip("GNU msgcat is not installed (gettext package)")
        given = tmp_path / "all.po"
        subprocess.run([msgcat, "--use-first", "-o", given, *parts], check=True, timeout=30)
    gnu = tmp_path / "gnu.mo"
    subprocess.run([msgfmt, "--no-hash", "-o", gnu, given], check=True, timeout=30)
    ours = pocompile.mo_bytes(pocompile.merge(parts))
    theirs = gnu.read_bytes()
    if source == "tricky":
        assert ours == theirs
    read = gettext.GNUTranslations(io.BytesIO(ours))
    assert read._catalog == gettext.GNUTranslations(io.BytesIO(theirs))._catalog  # type: ignore[attr-defined]
    if source == "tricky":
        assert read.gettext("Fuzzy one") == "Fuzzy one"  # fuzzy and untranslated: left out
        assert read.ngettext("{n} step", "{n} steps", 2) == "{n} pasos"
        assert read.pgettext("answer", "done") == "hecho"


def _part(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_two_parts_that_translate_one_message_differently_are_refused(tmp_path: Path) -> None:
    first = _part(tmp_path, "a.po", '\nmsgid "Yes"\nmsgstr "Sí"\n')
    second = _part(
        tmp_path, "b.po", '\nmsgid "Other"\nmsgstr "Otro"\n\nmsgid "Yes"\nmsgstr "Claro"\n'
    )
    with pytest.raises(pocompile.CatalogError) as raised:
        pocompile.merge([first, second])
    message = str(raised.value)
    assert f"{second}:" in message and f"{first}:" in message and "'Yes'" in message
    same = _part(tmp_path, "c.po", '\nmsgid "Yes"\nmsgstr "Sí"\n')
    assert pocompile.merge([first, same])["Yes"] == "Sí"  # the same words twice are fine


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ('\nmsgid "Yes"\nmsgstr "Sí"\n\nmsgid "Yes"\nmsgstr "Sí"\n', "already in"),
        ('\nmsgid "Yes"\nmsgstr "Sí\n', "double quotes"),
        ('\nmsgid "Yes"\nmsgstr "S\\xí"\n', "cannot be read"),
        ('\nmsgid "Yes"\n\nmsgid "No"\nmsgstr "No"\n', "has no msgstr"),
        ('\nmsgstr "Sí"\n', "before its msgid"),
        ('\nmsgid "Yes"\nmsgtxt "Sí"\n', "unknown keyword"),
    ],
)
def test_a_broken_part_is_refused_with_its_line(body: str, complaint: str, tmp_path: Path) -> None:
    part = _part(tmp_path, "broken.po", body)
    with pytest.raises(pocompile.CatalogError, match=complaint) as raised:
        pocompile.merge([part])
    assert str(raised.value).startswith(f"{part}:")


def test_the_compile_command_writes_every_language(tmp_path: Path) -> None:
    locale = tmp_path / "locale"
    (locale / "es").mkdir(parents=True)
    _part(locale / "es", "a.po", '\nmsgid "Yes"\nmsgstr "Sí"\n')
    result = subprocess.run(
        [sys.executable, "-m", "foracheck.pocompile", str(locale)],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    compiled = pocompile.mo_path("es", locale)
    assert f"wrote {compiled}" in result.stdout
    assert gettext.GNUTranslations(io.BytesIO(compiled.read_bytes())).gettext("Yes") == "Sí"
    _part(locale / "es", "b.po", '\nmsgid "Yes"\nmsgstr "Claro"\n')
    refused = subprocess.run(
        [sys.executable, "-m", "foracheck.pocompile", str(locale)],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert refused.returncode == 1 and "translated differently" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_in_process_the_global_option_switches_the_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """cli.main called by another program (not through __main__) still honours --lang."""
    from foracheck.cli import main

    with pytest.raises(SystemExit) as ended:
        main(["--lang", "es", *BAD_ANSWER])
    assert ended.value.code == 2
    assert SPANISH_HINT in capsys.readouterr().err
    assert i18n.language() == "es"
