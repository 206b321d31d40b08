"""The calendar read by software nobody here wrote: vobject (a second Python parser,
besides icalendar in test_render_ics.py) and khal, a calendar program that imports the
file into its own store and lists it. khal is a Debian package (``apt-get install
khal``); without it that test skips with the reason."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
import vobject
from render_helpers import NOW, SURGERY, filled, timeline

from foracheck.render import Options, render

KHAL_CONFIG = """[calendars]
[[foracheck]]
path = {folder}/calendar
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
[sqlite]
path = {folder}/khal.db
"""


def calendar_text(surgery: date = SURGERY, changes: int = 0) -> str:
    checklists = timeline()
    progress = dataclasses.replace(filled(checklists), surgery_date=surgery, date_changes=changes)
    return render("export", "ics", checklists, progress, Options(NOW))


def test_vobject_reads_every_event_as_icalendar_does() -> None:
    parsed = vobject.readOne(calendar_text())
    events = {str(event.summary.value): event for event in parsed.vevent_list}
    assert set(events) == {
        "Surgery day",
        "Important: Stop the blood thinners your surgeon named.",
        "Stop eating at the time you were told.",
        "Answer 1 question in foracheck",
    }
    surgery = events["Surgery day"]
    assert (surgery.dtstart.value, surgery.dtend.value) == (SURGERY, SURGERY + timedelta(1))
    assert surgery.valarm.trigger.value == timedelta(hours=-6)
    for event in events.values():
        assert isinstance(event.dtstart.value, date)
        assert int(event.sequence.value) == 0
        assert event.uid.value and event.valarm.action.value == "DISPLAY"
    thinners = events["Important: Stop the blood thinners your surgeon named."]
    assert "When: from 1 week before surgery until 1 day before" in thinners.description.value


def khal(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["khal", "-c", str(folder / "config"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def listed(folder: Path, start: date, days: int) -> list[str]:
    out = khal(
        folder,
        "list",
        start.isoformat(),
        f"{days}d",
        "--format",
        "{start-date}|{title}|{alarm-symbol}",
        "--day-format",
        "",
    )
    return sorted({line.replace("| ", "|").strip() for line in out.splitlines() if line.strip()})


def test_khal_imports_the_calendar_and_a_moved_date_replaces_the_events(tmp_path: Path) -> None:
    if shutil.which("khal") is None:
        pytest.skip("needs khal (Debian package 'khal')")
    (tmp_path / "calendar").mkdir()
    (tmp_path / "config").write_text(KHAL_CONFIG.format(folder=tmp_path), "utf-8")
    first = tmp_path / "first.ics"
    first.write_text(calendar_text(), "utf-8", newline="")
    khal(tmp_path, "import", "--batch", str(first))
    assert listed(tmp_path, date(2025, 2, 1), 60) == sorted(
        [
            "2025-03-01|Answer 1 question in foracheck|⏰",
            "2025-03-07|Important: Stop the blood thinners your surgeon named.|⏰",
            "2025-03-14|Stop eating at the time you were told.|⏰",
            "2025-03-14|Surgery day|⏰",
        ]
    )
    # the surgery moves a week later: same UIDs, a higher SEQUENCE, the events move
    moved = tmp_path / "moved.ics"
    moved.write_text(calendar_text(SURGERY + timedelta(days=7), 1), "utf-8", newline="")
    khal(tmp_path, "import", "--batch", str(moved))
    found = listed(tmp_path, date(2025, 2, 1), 60)
    assert "2025-03-21|Surgery day|⏰" in found
    assert "2025-03-14|Important: Stop the blood thinners your surgeon named.|⏰" in found
    assert not any(line.startswith("2025-03-14|Surgery day") for line in found)
    assert len(list((tmp_path / "calendar").iterdir())) == 4
