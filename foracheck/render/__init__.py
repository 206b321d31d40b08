"""Output formats, looked up by name: one small module per format.

A renderer is a pure function from checklists, progress and ``Options`` to a
string: it never prompts, prints or touches a file. Modules are imported only
when their format is used, so importing this registry costs nothing; the CLI's
``--format`` choices come from the names here. A new format is one new module
plus one line below.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal, NamedTuple, cast

if TYPE_CHECKING:
    from foracheck.model import Checklist, Progress

Purpose = Literal["export", "print", "form"]


class Options(NamedTuple):
    """What a renderer may vary by: the export time, a blank form, the patient's day, and
    large print (``print --large``).

    ``today`` decides each step's state (upcoming, due, overdue); left out, it is
    the local calendar day of ``now``, or of the clock, so the two never disagree.
    """

    # A NamedTuple, not a frozen dataclass: a quarter of the cost to define, which every
    # command pays (the CLI loads this registry for its --format choices).
    now: datetime | None = None
    blank: bool = False
    today: date | None = None
    large: bool = False
    patient: str | None = None  # print --patient and --born: this printout only, never stored
    born: date | None = None

    def local_day(self) -> date:
        """The patient's local calendar day that states are counted on."""
        if self.today is not None:
            return self.today
        from foracheck.dates import today

        return self.now.date() if self.now is not None else today()


Renderer = Callable[["Sequence[Checklist]", "Progress", Options], str]

# purpose -> format name -> "module:function"; the first name is the default.
RENDERERS: dict[Purpose, dict[str, str]] = {
    "export": {
        "markdown": "foracheck.render.markdown:export",
        "json": "foracheck.render.json_format:export",
        "fhir": "foracheck.render.fhir:export",
        "ics": "foracheck.render.ics:export",
    },
    "print": {
        "text": "foracheck.render.text:printable",
        "markdown": "foracheck.render.markdown:printable",
        "html": "foracheck.render.html:printable",
    },
    "form": {"html": "foracheck.render.form:fillable"},
}


def formats(purpose: Purpose) -> list[str]:
    """The format names for ``export``, ``print`` or ``form``, the default first."""
    return list(RENDERERS[purpose])


def renderer(purpose: Purpose, name: str) -> Renderer:
    """The function that renders ``name`` for ``purpose``, imported on first use."""
    module_name, function = RENDERERS[purpose][name].split(":")
    return cast(Renderer, getattr(importlib.import_module(module_name), function))


def render(
    purpose: Purpose,
    name: str,
    checklists: Sequence[Checklist],
    progress: Progress,
    options: Options,
) -> str:
    """Render checklists and progress in one format."""
    return renderer(purpose, name)(checklists, progress, options)
