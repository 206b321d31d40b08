"""The core modules in Spanish: errors for every exit code family, dates, countdowns, windows.

In-process, with the catalog compiled by hand into a temporary folder (the
``spanish`` fixture), so these tests need neither ``--lang`` nor the build
hook. Every test that speaks Spanish goes back to English when it ends.
English output is checked byte for byte by the rest of the suite, unchanged.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from foracheck import exits, i18n, importing, marking, store
from foracheck.agenda import next_line
from foracheck.errors import (
    EXIT_DATA,
    EXIT_INTERRUPTED,
    EXIT_IO,
    EXIT_LOCKED,
    EXIT_NO_INPUT,
    EXIT_USAGE,
    CorruptProgressError,
    ForacheckError,
    InputFileMissingError,
    InvalidChecklistError,
    ProgressLockedError,
    StorageError,
    UsageError,
)
from foracheck.fsutil import read_capped
from foracheck.lock import WAIT_ENV, ProgressLock
from foracheck.model import Checklist, Item, Window
from foracheck.paths import Locations
from foracheck.schedule import countdown, far_away_warning, parse_surgery_date
from foracheck.timeline import PhraseError, dates_text, day_text, parse_offset, window_phrase

LOCALE = Path(i18n.__file__).parent / "locale"
SURGERY = date(2026, 11, 27)  # a Friday


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every Spanish part compiled into one catalog, in a folder of this session's own."""
    if shutil.which("msgfmt") is None or shutil.which("msgcat") is None:
        pytest.skip("msgfmt and msgcat (GNU gettext) are needed to compile the Spanish catalog")
    root = tmp_path_factory.mktemp("locale")
    target = root / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    parts = sorted(str(part) for part in (LOCALE / "es").glob("*.po"))
    joined = subprocess.run(
        ["msgcat", "--use-first", *parts], check=True, capture_output=True
    ).stdout
    subprocess.run(
        ["msgfmt", "--check", "-o", str(target / f"{i18n.DOMAIN}.mo"), "-"],
        input=joined,
        check=True,
        capture_output=True,
    )
    return root


@pytest.fixture
def spanish(compiled_locale: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Speak Spanish for one test, then English again whatever happened."""
    monkeypatch.setattr(i18n, "LOCALE_DIR", compiled_locale)
    i18n.use_language("es")
    try:
        yield
    finally:
        i18n.use_language("en")


def described(error: BaseException) -> tuple[str, int]:
    return exits.describe(error)


# -- exit code families ------------------------------------------------------------


def test_damaged_progress_is_told_in_spanish_with_exit_65(
    spanish: None, locations: Locations
) -> None:
    locations.home.mkdir(parents=True)
    locations.progress_file.write_text("{ not json", encoding="utf-8")
    with pytest.raises(CorruptProgressError) as caught:
        store.read_progress(locations)
    message, code = described(caught.value)
    assert code == EXIT_DATA
    assert message.startswith(
        "No se pudo leer su progreso guardado (no es JSON válido). Se movió a "
    )
    assert "así que no se perdió nada." in message
    assert "No se guardó nada. Si prefiere empezar de nuevo a propósito, ejecute:" in message
    assert "foracheck reset (se guardan todas las copias)." in message  # the command stays English


def test_a_newer_progress_file_is_refused_in_spanish(spanish: None) -> None:
    with pytest.raises(
        CorruptProgressError, match="Su progreso se guardó con un foracheck más nuevo"
    ):
        store.decode(b'{"schema": 99}')


def test_a_missing_file_is_told_in_spanish_with_exit_66(spanish: None, tmp_path: Path) -> None:
    missing = tmp_path / "no-such.yaml"
    with pytest.raises(InputFileMissingError) as caught:
        read_capped(missing, 100)
    assert described(caught.value) == (f"{missing}: no existe ese archivo.", EXIT_NO_INPUT)
    with pytest.raises(InputFileMissingError) as imported:
        importing.read_file(missing)
    assert imported.value.message == f"{missing}: no existe ese archivo. No se cambió nada."


def test_restore_without_copies_is_told_in_spanish(spanish: None, locations: Locations) -> None:
    with pytest.raises(InputFileMissingError) as caught:
        store.restore(locations)
    assert caught.value.message == (
        f"No hay ninguna copia de seguridad ni copia guardada para restaurar en {locations.home}. "
        "Indique un archivo con: foracheck restore --from FILE"
    )


def test_io_errors_are_told_in_spanish_with_exit_74(spanish: None, locations: Locations) -> None:
    full = OSError(errno.ENOSPC, "No space left on device", "/data/progress.json")
    assert described(full) == (
        "No se pudo leer ni escribir /data/progress.json (No space left on device).",
        EXIT_IO,
    )
    locations.home.mkdir(parents=True)
    os.mkfifo(locations.progress_file)
    with pytest.raises(StorageError) as caught:
        store.read_progress(locations)
    message, code = described(caught.value)
    assert code == EXIT_IO
    assert message.startswith(
        f"{locations.progress_file} es una tubería con nombre (FIFO), no un archivo normal."
    )


def test_a_busy_progress_is_told_in_spanish_with_exit_75(
    spanish: None, locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    locations.home.mkdir(parents=True)
    with (
        ProgressLock(locations.lock_file, "start"),
        pytest.raises(ProgressLockedError) as open_walk,
    ):
        ProgressLock(locations.lock_file, "mark").acquire()
    message, code = described(open_walk.value)
    assert code == EXIT_LOCKED
    assert message.startswith("Su progreso está abierto en otro foracheck: un 'foracheck start'")
    monkeypatch.setenv(WAIT_ENV, "0")
    with ProgressLock(locations.lock_file, "mark"), pytest.raises(ProgressLockedError) as stuck:
        ProgressLock(locations.lock_file, "import").acquire()
    assert stuck.value.message.startswith(
        f"Su progreso lleva 0 segundos ocupado: otro foracheck, 'foracheck mark' "
        f"(proceso {os.getpid()}), todavía lo tiene bloqueado."
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            "2026-11-31",
            "'2026-11-31' no es un día del calendario: noviembre de 2026 tiene 30 días.",
        ),
        ("2027-02-29", "'2027-02-29' no es un día del calendario: febrero de 2027 tiene 28 días."),
        ("2026-13-01", "'2026-13-01' no tiene mes 13: los meses van del 01 al 12."),
        (
            "next friday",
            "Esa no es una fecha que foracheck entienda. Por favor, use AAAA-MM-DD "
            "(año-mes-día), por ejemplo EXAMPLE.",
        ),
    ],
)
def test_a_bad_date_is_told_in_spanish_with_exit_2(
    spanish: None, typed: str, expected: str
) -> None:
    with pytest.raises(UsageError) as caught:
        parse_surgery_date(typed)
    example = (date.today() + timedelta(days=28)).isoformat()  # built from today
    assert described(caught.value) == (expected.replace("EXAMPLE", example), EXIT_USAGE)


def test_endings_are_told_in_spanish(spanish: None) -> None:
    assert described(KeyboardInterrupt()) == (
        "Se detuvo (interrumpido). Todo lo que se guardó antes se conserva.",
        EXIT_INTERRUPTED,
    )
    assert described(EOFError())[0] == "La entrada terminó antes de recibir una respuesta."
    internal, _code = described(ZeroDivisionError("the answer 42"))
    assert internal.startswith("foracheck se detuvo por un problema inesperado (ZeroDivisionError")
    assert "42" not in internal


def test_checklist_problems_are_counted_in_spanish(spanish: None) -> None:
    assert InvalidChecklistError(["a"]).message.endswith(
        "Se encontró 1 problema en los archivos de listas."
    )
    assert InvalidChecklistError(["a", "b"]).message.endswith(
        "Se encontraron 2 problemas en los archivos de listas."
    )


# -- mark: Spanish sentences, never the patient's words --------------------------------

LIST = Checklist(
    id="week-before",
    title="La semana antes",
    items=(
        Item(id="takes-medicines", type="yesno", text="¿Toma medicinas?"),
        Item(id="medicines", type="text", text="¿Cuáles?"),
    ),
)


def test_mark_speaks_spanish_and_never_repeats_the_answer(
    spanish: None, locations: Locations
) -> None:
    with pytest.raises(UsageError) as several:
        marking.single_answer(["aspirina", "diaria"])
    assert several.value.message.startswith("La respuesta tiene más de una palabra.")
    assert "aspirina" not in several.value.message
    with pytest.raises(UsageError) as wrong:
        marking.mark(locations, LIST, "takes-medicines", "quizás-secreto", None, clear=False)
    assert wrong.value.message.startswith(
        "Esa no es una respuesta que 'week-before takes-medicines'"
    )
    assert "secreto" not in wrong.value.message
    with pytest.raises(UsageError) as unknown:
        marking.find_item(LIST, "nope")
    assert unknown.value.message == (
        "La lista 'week-before' no tiene el paso 'nope'. Sus pasos son: takes-medicines, medicines."
    )
    said = marking.mark(locations, LIST, "medicines", "aspirina", "nota privada", clear=False)
    assert said == "Se guardó la respuesta de week-before medicines."
    assert marking.mark(locations, LIST, "medicines", None, None, clear=True) == (
        "Se borró la respuesta de week-before medicines."
    )


def test_a_bad_note_is_refused_in_spanish_without_the_note(
    spanish: None, locations: Locations
) -> None:
    with pytest.raises(UsageError) as caught:
        marking.mark(locations, LIST, "medicines", "x", "secreto\x1b[2J", clear=False)
    assert caught.value.message == (
        "La nota contiene un carácter que no se puede mostrar de forma segura "
        "(U+001B, un carácter de control). No se guardó nada."
    )


# -- dates, countdowns and windows ------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (SURGERY - timedelta(days=3), "La cirugía es en 3 días: viernes 27 de noviembre."),
        (SURGERY - timedelta(days=2), "La cirugía es en 2 días: viernes 27 de noviembre."),
        (SURGERY - timedelta(days=1), "La cirugía es mañana: viernes 27 de noviembre."),
        (SURGERY, "La cirugía es hoy."),
        (SURGERY + timedelta(days=1), "La cirugía fue hace 1 día, el viernes 27 de noviembre."),
        (SURGERY + timedelta(days=9), "La cirugía fue hace 9 días, el viernes 27 de noviembre."),
        (date(2025, 12, 1), "La cirugía es en 361 días: viernes 27 de noviembre de 2026."),
    ],
)
def test_the_countdown_in_spanish(spanish: None, today: date, expected: str) -> None:
    assert countdown(SURGERY, today) == expected


def test_no_surgery_date_names_the_command_in_english(spanish: None) -> None:
    assert countdown(None, SURGERY) == (
        "Todavía no hay una fecha de la cirugía guardada. Agréguela con: foracheck date AAAA-MM-DD"
    )


def test_every_weekday_and_month_has_its_spanish_name(spanish: None) -> None:
    names = {day_text(SURGERY + timedelta(days=n), SURGERY).split()[0] for n in range(7)}
    assert names == {"lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"}
    months = [day_text(date(2026, month, 1), SURGERY).split(" de ")[1] for month in range(1, 13)]
    assert months == [
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ]  # fmt: skip
    assert day_text(date(2027, 1, 4), SURGERY) == "lunes 4 de enero de 2027"


@pytest.mark.parametrize(
    ("window", "phrase"),
    [
        (Window(-1, -1), "1 día antes de la cirugía"),
        (Window(-3, -3), "3 días antes de la cirugía"),
        (Window(-7, -7), "1 semana antes de la cirugía"),
        (Window(14, 14), "2 semanas después de la cirugía"),
        (Window(1, 1), "1 día después de la cirugía"),
        (Window(0, 0), "el día de la cirugía"),
        (Window(-14, -1), "desde 2 semanas antes de la cirugía hasta 1 día antes"),
        (Window(0, 2), "desde el día de la cirugía hasta 2 días después"),
        (Window(0), "a partir del día de la cirugía"),
        (Window(7), "a partir de 1 semana después de la cirugía"),
    ],
)
def test_windows_in_words_in_spanish(spanish: None, window: Window, phrase: str) -> None:
    assert window_phrase(window) == phrase


@pytest.mark.parametrize(
    ("window", "dates"),
    [
        (Window(-1, -1), "el jueves 26 de noviembre"),
        (Window(4), "desde el martes 1 de diciembre"),
        (
            Window(-11, -1),
            "desde el lunes 16 de noviembre, a más tardar el jueves 26 de noviembre",
        ),
    ],
)
def test_windows_as_dates_in_spanish(spanish: None, window: Window, dates: str) -> None:
    assert dates_text(window, SURGERY) == dates


def test_what_comes_next_in_spanish(spanish: None) -> None:
    tuesday = date(2026, 12, 1)
    assert next_line([tuesday], SURGERY) == "Lo próximo: 1 paso a partir del martes 1 de diciembre."
    assert next_line([tuesday, tuesday, SURGERY + timedelta(days=9)], SURGERY) == (
        "Lo próximo: 2 pasos a partir del martes 1 de diciembre."
    )


def test_a_far_date_is_questioned_in_spanish(spanish: None) -> None:
    assert far_away_warning(date(2028, 1, 1), SURGERY) == (
        "2028-01-01 es dentro de más de un año. Por favor, revise el año antes de seguir."
    )


def test_timing_phrases_are_read_in_english_whatever_the_language(spanish: None) -> None:
    assert parse_offset("2 weeks before") == -14
    with pytest.raises(PhraseError) as caught:
        parse_offset("2 semanas antes")
    assert str(caught.value).startswith(
        "'2 semanas antes' no es un momento que foracheck sepa leer"
    )
    assert "'2 weeks before', '1 day before', 'surgery day', '3 days after'" in str(caught.value)


# -- English is unchanged, and comes back -------------------------------------------------


def test_english_after_spanish(spanish: None) -> None:
    assert countdown(SURGERY, SURGERY) == "La cirugía es hoy."
    i18n.use_language("en")
    assert (
        countdown(SURGERY, SURGERY - timedelta(days=3)) == "Surgery in 3 days: Friday 27 November."
    )
    assert window_phrase(Window(-14, -1)) == "from 2 weeks before surgery until 1 day before"
    assert window_phrase(Window(0)) == "from surgery day on"
    assert dates_text(Window(-11, -1), SURGERY) == (
        "from Monday 16 November, by Thursday 26 November"
    )
    with pytest.raises(UsageError, match=r"November 2026 has 30 days\.$"):
        parse_surgery_date("2026-11-31")


def test_errors_are_english_by_default() -> None:
    assert i18n.language() == "en"
    assert described(KeyboardInterrupt())[0] == (
        "Stopped (interrupted). Everything saved before this is kept."
    )
    assert isinstance(UsageError("x"), ForacheckError)
