"""The shared presentation layer: what every screen and output says, whatever its syntax.

The words and the rows that the walk (ui), the screens (status, show) and every
format (render/) share, so that each is said once: the "tell your surgeon"
summary, the "Important" line, the labels. Exports show the items that apply;
printed forms show every item, because paper cannot hide a follow-up question.
The format modules only decide how these rows look.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from foracheck.i18n import _, ngettext
from foracheck.model import (
    Answer,
    Checklist,
    Item,
    Progress,
    ShowIf,
    Window,
    answer_label,
    answer_words,
    applicable_items,
    is_resolved,
    open_alert,
    surgeon_notes,
    tells_surgeon,
)
from foracheck.render import Options
from foracheck.timeline import (
    StepState,
    day_text,
    step_state,
    timing_text,
    window_dates,
    window_of,
    window_phrase,
)

# A form's fill-in lines: label and value, None being a line to write on.
Field = tuple[str, "str | None"]
_BLANK_NAME = "____________________"
_BLANK_DATE = "__________"


def title() -> str:
    """The title every output starts with."""
    return _("Getting ready for your foraminotomy")


def care_team_reminder() -> str:
    """The reminder at the end of every list: the care team's word comes first."""
    return _(
        "This checklist does not replace your care team's instructions. "
        "Always follow what they tell you."
    )


def surgery_date_label() -> str:
    """The label of the surgery date (a form's field, the export's line)."""
    return _("Surgery date")


def review_fields() -> tuple[Field, ...]:
    """The reviewer's signature and date, at the foot of every list."""
    return ((_("Reviewed by"), None), (_("Date"), None))


def nothing_to_tell() -> str:
    """What the summary says when no answer is for the surgeon."""
    return _("Nothing to tell your surgeon from these answers yet.")


def tell_your_surgeon() -> str:
    """The summary's heading."""
    return _("Tell your surgeon")


def ruled_out() -> str:
    """Said of a follow-up the answers already rule out (paper cannot hide it)."""
    return _("Does not apply, given the answer to that question.")


def circled(value: str) -> str:
    """ "yes / (no)": both words, the one answered in brackets, as if circled."""
    words = [f"({answer_words(w)})" if w == value else answer_words(w) for w in ("yes", "no")]
    return " / ".join(words)


def printed_line(checklists: Sequence[Checklist], progress: Progress, now: datetime | None) -> str:
    """A filled form says when it was printed and how current its answers are."""
    moment = now or datetime.now().astimezone()
    times = [
        datetime.fromisoformat(answer.answered_at)
        for checklist in checklists
        for answer in progress.answers_to(checklist).values()
    ]
    printed = clock_text(moment)
    if not times:
        return _("Printed {printed}. No answers saved yet.").format(printed=printed)
    newest = clock_text(max(times))
    return _("Printed {printed}. Newest answer: {newest}.").format(printed=printed, newest=newest)


def printed_times(printed: str | None) -> list[str]:
    """The times in a printed line, which paper must never break across lines."""
    return re.findall(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", printed or "")


def clock_text(moment: datetime) -> str:
    """A moment as printed: its own local date and time, "2025-03-01 09:30"."""
    return moment.strftime("%Y-%m-%d %H:%M")


def unbreakable(rows: Sequence[Row], progress: Progress, patient: Patient | None) -> list[str]:
    """What paper must never break across lines: the name, the dates (birth, surgery,
    each step's days) and the printed times; the longest first, so that a date inside
    a longer one is kept whole with it."""
    kept = [text for row in rows for text in row.unbreakable()]
    if progress.surgery_date is not None:
        kept.append(progress.surgery_date.isoformat())
    if patient is not None:
        kept += [text for text in (patient.name, patient.born_text) if text]
    return sorted(set(kept), key=lambda text: (-len(text), text))


def yesno_prompt() -> str:
    """The place for a yes/no answer on paper."""
    return _("Circle one:  yes  /  no")


def answer_label_text() -> str:
    """The label before an answer, or before a line to write one on."""
    return _("Answer:")


def source_label() -> str:
    """The label before a list's source."""
    return _("Source:")


def note_label() -> str:
    """The label before a note."""
    return _("Note:")


def exported_label() -> str:
    """The label before the export time."""
    return _("Exported:")


def when_label() -> str:
    """The label before a step's timing."""
    return _("When:")


def answered_by(by: str) -> str | None:
    """Who gave an answer, when it was not the patient ("answered by a caregiver")."""
    if by == "caregiver":
        return _("answered by a caregiver")
    if by == "clinician":
        return _("answered by a clinician")
    return None


def not_done_before_surgery() -> str:
    """The mark of a step whose moment passed with the surgery, for the care team."""
    return _("Not done before surgery.")


def missed_mark() -> str:
    """How Markdown marks a step not done before surgery, after its text."""
    return _("(not done before surgery)")


def important_mark() -> str:
    """How Markdown marks a critical step (one not missed), after its text."""
    return _("(important)")


def act_now_text(text: str) -> str:
    """An answer that needs action, marked on paper and in exports."""
    return _("Act now: {text}").format(text=text)


def important_line() -> str:
    """The line under a critical step wherever it is shown: the walk, ``show``, the form."""
    return _("Important: missing this step could make your surgery less safe or put it off.")


def saved_earlier() -> str:
    """The mark of an answer saved before its question stopped applying."""
    return _("(saved earlier; this question does not apply to your answers now)")


def summary_intro() -> str:
    """The first line of the summary sheet."""
    return _("Please give this sheet to your surgeon or nurse.")


def summary_blank() -> str:
    """The blank summary sheet's invitation to write."""
    return _("Write here anything your surgeon should know:")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of a text (a note may break lines as Windows or old Macs do), ends trimmed."""
    return _LINE_BREAK.split(text.strip())


def condition_text(checklist: Checklist, item: Item) -> str | None:
    """The ``show_if`` condition in words, for places that show every item."""
    if item.show_if is None:
        return None
    return _condition_words(item.show_if, checklist.item(item.show_if.item))


def _condition_words(condition: ShowIf, parent: Item | None) -> str:
    parent_text = parent.text if parent else condition.item
    answer = answer_words(condition.answer)
    return _('Only if you answered "{answer}" to: {question}').format(
        answer=answer, question=parent_text
    )


def export_time(now: datetime | None) -> str:
    """The export time in the one written form (the current time unless given)."""
    from foracheck.dates import format_time, local_now

    return format_time(now or local_now())


def form_progress(progress: Progress, blank: bool) -> Progress:
    """The progress a printed form shows: none at all on a blank form."""
    return Progress() if blank else progress


def patient_fields(progress: Progress, patient: Patient | None = None) -> list[Field]:
    """The lines at the top of a form: the surgery date filled in when known, the
    name and date of birth when given for this printout (``print --patient --born``)."""
    surgery_date = progress.surgery_date.isoformat() if progress.surgery_date else None
    name, born = (patient.name, patient.born_text) if patient else (None, None)
    return [
        (_("Patient name"), name),
        (_("Date of birth"), born),
        (surgery_date_label(), surgery_date),
    ]


def sheet_label(title: str, number: int, total: int, patient: Patient | None) -> str:
    """The line on every sheet that says which list and which patient it belongs to,
    so a dropped page finds its way back: "Sheet 2 of 4: The week before surgery. Patient: ..."."""
    who = patient.words() if patient else _("Patient: {name}").format(name=_BLANK_NAME)
    return _("Sheet {number} of {total}: {title}. {who}").format(
        number=number, total=total, title=title, who=who
    )


def page_label(
    title: str, number: int, total: int, page: int, pages: int, patient: Patient | None
) -> str:
    """The one line on every printed page: "Sheet 2 of 6, page 1 of 2: The week before
    surgery. Patient: ..."."""
    who = patient.words() if patient else _("Patient: {name}").format(name=_BLANK_NAME)
    return _("Sheet {number} of {total}, page {page} of {pages}: {title}. {who}").format(
        number=number, total=total, page=page, pages=pages, title=title, who=who
    )


def surgery_date_text(progress: Progress) -> str:
    """The saved surgery date, or words saying there is none."""
    return progress.surgery_date.isoformat() if progress.surgery_date else _("not set")


class Patient(NamedTuple):
    """Who a printout is for, given on the command line and never stored."""

    # A NamedTuple, not a frozen dataclass: a quarter of the cost to define, which every
    # command that loads this module pays (only a printout makes one).
    name: str | None = None
    born: date | None = None

    @property
    def born_text(self) -> str | None:
        """The date of birth as printed, or None."""
        return self.born.isoformat() if self.born else None

    def words(self) -> str:
        """ "Patient: NAME (born YYYY-MM-DD)", with lines to write on for what is not given."""
        return _("Patient: {name} (born {born})").format(
            name=self.name or _BLANK_NAME, born=self.born_text or _BLANK_DATE
        )


@dataclass(frozen=True)
class Row:
    """One item as an output shows it."""

    number: int
    item: Item
    answer: Answer | None
    condition: str | None = None
    ruled_out: bool = False
    window: Window | None = None
    surgery_date: date | None = None
    hidden: bool = False
    today: date | None = None  # the day states are counted on; None: no state is shown

    @property
    def resolved(self) -> bool:
        """Whether the box is ticked (never for an answer whose question no longer applies)."""
        return not self.hidden and is_resolved(self.item, self.answer)

    @property
    def headline(self) -> str:
        """The item text, then its answer when there is one."""
        return f"{self.item.text} — {self.shown_label}" if self.label else self.item.text

    @property
    def shown_label(self) -> str | None:
        """The signed label, marked when its question no longer applies (saved_earlier)."""
        label = self.signed_label
        return f"{label} {saved_earlier()}" if label is not None and self.hidden else label

    @property
    def label(self) -> str | None:
        """The answer as it reads on paper, or None when there is none."""
        return answer_label(self.item, self.answer) if self.answer else None

    @property
    def signed_label(self) -> str | None:
        """The label, then who gave the answer when it was not the patient."""
        if self.label is None or self.answer is None:
            return None
        by = answered_by(self.answer.by)
        return f"{self.label} ({by})" if by else self.label

    @property
    def note(self) -> str | None:
        """The note given with the answer, if any."""
        return self.answer.note if self.answer else None

    @property
    def tell_surgeon(self) -> bool:
        """Whether this answer belongs in the "tell your surgeon" summary."""
        return tells_surgeon(self.item, self.answer)

    @property
    def timing(self) -> str | None:
        """When the step is meant to happen: dates with a surgery date, else the phrase."""
        return None if self.window is None else timing_text(self.window, self.surgery_date)

    @property
    def when_phrase(self) -> str | None:
        """The window in words ("1 day before surgery"), whatever the surgery date."""
        return None if self.window is None else window_phrase(self.window)

    def state(self, today: date) -> StepState:
        """Upcoming, due, overdue, missed or resolved on ``today`` (the timeline's one rule)."""
        return step_state(self.item, self.answer, self.window, self.surgery_date, today)

    @property
    def missed(self) -> bool:
        """Open, and its moment passed with the surgery: "not done before surgery"."""
        return self.today is not None and not self.hidden and self.state(self.today) == "missed"

    @property
    def alert(self) -> str | None:
        """The alert's sentence when the saved answer is the one that needs action."""
        alert = None if self.hidden else open_alert(self.item, self.answer)
        return None if alert is None else alert.text

    @property
    def pair(self) -> Pair | None:
        """A critical task's "Done / Does not apply" pair on paper, or None for other items."""
        if not self.item.critical or self.item.type != "task" or self.ruled_out or self.hidden:
            return None
        value = self.answer.value if self.answer else None
        reason = self.note if value == "skip" else None
        return Pair(done=value == "done", skipped=value == "skip", reason=reason)

    def details(self) -> list[tuple[str, str]]:
        """The lines under a printed item, each with its kind: the timing, the
        details text (paper has no "?" key), the condition, the answer or a place
        for one ("write-in": the format adds a line to write on), and the note.
        A critical task has its "critical" pair instead of an answer line (and
        the reason for "does not apply" in it, instead of a note line)."""
        lines = [("timing", f"{when_label()} {self.timing}")] if self.timing else []
        if self.missed:
            lines.append(("missed", not_done_before_surgery()))
        if self.item.details:
            lines.append(("details", self.item.details))
        if self.condition:
            lines.append(("condition", self.condition))
        lines += self._answer_lines()
        pair = self.pair
        if self.note and (pair is None or pair.reason is None):
            lines.append(("note", f"{note_label()} {self.note}"))
        return lines

    def _answer_lines(self) -> list[tuple[str, str]]:
        """The answer, or a place for one; an answer saved before its question
        stopped applying is shown, marked, rather than lost from the paper."""
        earlier = (
            [("saved-earlier", f"{answer_label_text()} {self.signed_label} {saved_earlier()}")]
            if self.hidden and self.label is not None
            else []
        )
        if self.ruled_out:
            return [("ruled-out", ruled_out()), *earlier]
        if self.hidden:
            return earlier
        pair = self.pair
        if pair is not None:
            return self._pair_lines(pair)
        if self.label is None:
            if self.item.type == "yesno":
                return [("prompt", yesno_prompt())]
            return [("write-in", answer_label_text())] if self.item.type == "text" else []
        answer = [self._answer_line()]
        if self.alert is not None:
            answer.append(("alert", act_now_text(self.alert)))
        open_text = self.item.type == "text" and not self.resolved  # "don't know" yet
        return [*answer, ("write-in", answer_label_text())] if open_text else answer

    def _answer_line(self) -> tuple[str, str]:
        """The answer in words; a yes/no answer as its word circled among both ("circled":
        a tick beside a "no" would read as yes), who answered after it."""
        if self.item.type != "yesno" or self.answer is None:
            return ("answer", f"{answer_label_text()} {self.signed_label}")
        by = answered_by(self.answer.by)
        line = f"{answer_label_text()} {circled(self.answer.value)}"
        return ("circled", f"{line} ({by})" if by else line)

    @property
    def box(self) -> str | None:
        """What the item's own box shows on paper: "ticked" (done, or a text answer),
        "not-applicable" (does not apply: never the tick that done gets), "empty", or
        None: a critical task has its own pair, and an answered yes/no question shows its
        answer circled instead (an open one keeps its empty box)."""
        if self.pair is not None:
            return None
        if self.item.type == "yesno" and self.answer is not None and not self.hidden:
            return None if not self.ruled_out else "empty"
        if self.ruled_out or self.hidden or self.answer is None:
            return "empty"
        if self.answer.value == "skip" and self.item.type == "task":
            return "not-applicable"
        return "ticked" if self.resolved else "empty"

    def unbreakable(self) -> list[str]:
        """The dates in this row's timing, as printed: never broken across lines."""
        if self.window is None or self.surgery_date is None:
            return []
        start, end = window_dates(self.window, self.surgery_date)
        return [day_text(day, self.surgery_date) for day in (start, end) if day is not None]

    def _pair_lines(self, pair: Pair) -> list[tuple[str, str]]:
        """A critical task's boxes; an open answer ("not yet") above them, and who
        ticked them when it was not the patient."""
        ticked = pair.done or pair.skipped
        answer = f"{answer_label_text()} {self.signed_label}"
        lines = [("answer", answer)] if self.label and not ticked else []
        lines.append(("critical" if pair.reason else "critical-write-in", pair.text()))
        by = answered_by(self.answer.by) if self.answer and ticked else None
        if by:  # the pair is ticked: say who ticked it when it was not the patient
            lines.append(("answer", f"({by})"))
        return lines


class Pair(NamedTuple):
    """A critical step on paper: "[ ] Done  [ ] Does not apply: ______", as on the WHO form."""

    # A NamedTuple, not a frozen dataclass: a quarter of the cost to define, which every
    # command that loads this module pays (only a printout makes one).
    done: bool
    skipped: bool
    reason: str | None

    def text(self) -> str:
        """The pair in plain characters; without a reason the format adds a line to write on."""
        done = "[x]" if self.done else "[ ]"
        skipped = "[x]" if self.skipped else "[ ]"
        line = f"{done} {_('Done')}  {skipped} {_('Does not apply:')}"
        return f"{line} {self.reason}" if self.reason else line


def exported_rows(checklist: Checklist, progress: Progress, today: date | None = None) -> list[Row]:
    """The items that apply, with their saved answers (states counted on ``today``)."""
    answers = progress.answers_to(checklist)
    return [
        _row(number, checklist, item, answers.get(item.id), progress.surgery_date, today)
        for number, item in enumerate(applicable_items(checklist, answers), start=1)
    ]


def listed_rows(checklist: Checklist, progress: Progress, today: date | None = None) -> list[Row]:
    """The items that apply, and in their places the answers saved earlier to
    follow-ups that do not apply now (marked ``hidden``): what the JSON and Markdown
    exports list, so that nothing recorded vanishes. Never counted as open or done."""
    answers = progress.answers_to(checklist)
    applicable = {item.id for item in applicable_items(checklist, answers)}
    rows: list[Row] = []
    for item in checklist.items:
        if item.id in applicable or item.id in answers:
            answer, surgery = answers.get(item.id), progress.surgery_date
            row = _row(len(rows) + 1, checklist, item, answer, surgery, today)
            rows.append(dataclasses.replace(row, hidden=item.id not in applicable))
    return rows


def _row(
    number: int,
    checklist: Checklist,
    item: Item,
    answer: Answer | None,
    surgery: date | None,
    today: date | None = None,
) -> Row:
    window = window_of(checklist, item)
    return Row(number, item, answer, window=window, surgery_date=surgery, today=today)


def open_counts(
    checklists: Sequence[Checklist], progress: Progress, critical_only: bool = False
) -> dict[str, int]:
    """How many applicable items (or critical steps) are still open, per list id
    (lists with none left out)."""
    counts = {
        checklist.id: sum(
            not row.resolved and (row.item.critical or not critical_only)
            for row in exported_rows(checklist, progress)
        )
        for checklist in checklists
    }
    return {list_id: count for list_id, count in counts.items() if count}


def due_counts(checklists: Sequence[Checklist], progress: Progress, today: date) -> dict[str, int]:
    """How many steps due or overdue on ``today`` are still open, per list id (missed
    steps are not: after surgery they are past doing)."""
    from foracheck.agenda import agenda

    counts: dict[str, int] = {}
    for step in agenda(checklists, progress, today).now:
        counts[step.checklist.id] = counts.get(step.checklist.id, 0) + 1
    return counts


def incomplete_message(
    checklists: Sequence[Checklist],
    progress: Progress,
    critical_only: bool = False,
    due_on: date | None = None,
) -> str | None:
    """A sentence naming how many items (or critical steps, or steps due by ``due_on``)
    are open and where, or None."""
    if due_on is not None:
        counts = due_counts(checklists, progress, due_on)
    else:
        counts = open_counts(checklists, progress, critical_only)
    if not counts:
        return None
    total = sum(counts.values())
    if len(counts) == 1:
        where = _("in {list_id}").format(list_id=next(iter(counts)))
    else:
        each = (_("{count} in {list_id}").format(count=n, list_id=i) for i, n in counts.items())
        where = "(" + ", ".join(each) + ")"
    if due_on is not None:
        sentence = ngettext(
            "{total} step due by today is still open {where}. Answer it with {start} or {mark}.",
            "{total} steps due by today are still open {where}. Answer them with {start} or "
            "{mark}.",
            total,
        )
    elif critical_only:
        sentence = ngettext(
            "{total} critical step is still open {where}. Answer it with {start} or {mark}.",
            "{total} critical steps are still open {where}. Answer them with {start} or {mark}.",
            total,
        )
    else:
        sentence = ngettext(
            "{total} item is still open {where}. Answer it with {start} or {mark}.",
            "{total} items are still open {where}. Answer them with {start} or {mark}.",
            total,
        )
    from foracheck.invocation import command  # shlex and shutil, only for this sentence

    # A walk of today's steps shows what is due; only --all shows steps not begun yet.
    walk = command("start") if due_on is not None else command("start", "--all")
    return sentence.format(total=total, where=where, start=f"'{walk}'", mark=f"'{command('mark')}'")


def form_rows(checklist: Checklist, progress: Progress, today: date | None = None) -> list[Row]:
    """Every item, each with its condition, and its answer where it applies.

    An item is ruled out when the answers already settle that its condition
    is not met; the form says so rather than hiding it.
    """
    answers = progress.answers_to(checklist)
    applicable = {item.id for item in applicable_items(checklist, answers)}
    live = {item_id: answer for item_id, answer in answers.items() if item_id in applicable}
    by_id = {item.id: item for item in checklist.items}
    ruled_out: set[str] = set()
    rows = []
    for number, item in enumerate(checklist.items, start=1):
        condition, words = item.show_if, None
        if condition is not None:
            parent = by_id.get(condition.item)
            words = _condition_words(condition, parent)
            if item.id not in applicable and _settled_against(condition, parent, live, ruled_out):
                ruled_out.add(item.id)
        rows.append(
            Row(
                number,
                item,
                answers.get(item.id),
                words,
                item.id in ruled_out,
                window_of(checklist, item),
                progress.surgery_date,
                hidden=item.id in answers and item.id not in applicable,
                today=today,
            )
        )
    return rows


def hidden_answers(checklist: Checklist, progress: Progress) -> list[tuple[Item, Answer]]:
    """Answers saved to follow-ups whose condition is not met now (saved before
    ``mark`` refused that). They are not counted or exported, but every place that
    lists answers for people shows them, marked with saved_earlier(): nothing vanishes."""
    answers = progress.answers_to(checklist)
    applicable = {item.id for item in applicable_items(checklist, answers)}
    return [
        (item, answers[item.id])
        for item in checklist.items
        if item.id in answers and item.id not in applicable
    ]


def printout_patient(options: Options) -> Patient | None:
    """Who the printout is for, when ``--patient`` or ``--born`` was given."""
    if options.patient is None and options.born is None:
        return None
    return Patient(options.patient, options.born)


def summary_entries(checklists: Sequence[Checklist], progress: Progress) -> list[list[str]]:
    """The summary sheet's entries, each as lines (the item, its answer, a note)."""
    return [
        [
            row.item.text,
            f"{answer_label_text()} {row.shown_label}",
            *([f"{note_label()} {row.note}"] if row.note else []),
        ]
        for row in summary_rows(checklists, progress)
    ]


def summary_rows(checklists: Sequence[Checklist], progress: Progress) -> list[Row]:
    """Every "tell your surgeon" summary's rows: what to tell the surgeon, then
    answers saved earlier to questions that no longer apply but still say
    something the surgeon should hear (``hidden``, shown with saved_earlier)."""
    return [*surgeon_rows(checklists, progress), *earlier_surgeon_rows(checklists, progress)]


def surgeon_summary(checklists: Sequence[Checklist], progress: Progress) -> list[tuple[str, str]]:
    """The "tell your surgeon" summary as every screen says it (``status``, the walk's
    end): each item's text and its answer, signed when not the patient's and marked
    when saved earlier, from the same rows as the paper summary (``summary_rows``)."""
    return [(row.item.text, row.shown_label or "") for row in summary_rows(checklists, progress)]


def earlier_surgeon_rows(checklists: Sequence[Checklist], progress: Progress) -> list[Row]:
    """Hidden answers that would tell the surgeon something, for the summary sheet."""
    hidden = [
        (item, answer)
        for checklist in checklists
        for item, answer in hidden_answers(checklist, progress)
        if tells_surgeon(item, answer)
    ]
    return [
        Row(number, item, answer, hidden=True)
        for number, (item, answer) in enumerate(hidden, start=1)
    ]


def surgeon_rows(checklists: Sequence[Checklist], progress: Progress) -> list[Row]:
    """The "tell your surgeon" summary, one row per answer, list by list."""
    notes = surgeon_notes(list(checklists), progress)
    return [Row(number, note.item, note.answer) for number, note in enumerate(notes, start=1)]


def _settled_against(
    condition: ShowIf, parent: Item | None, answers: Mapping[str, Answer], ruled_out: set[str]
) -> bool:
    """Whether a follow-up's parent is ruled out, or applies with a final, other answer."""
    if condition.item in ruled_out:
        return True
    answer = answers.get(condition.item)
    return (
        parent is not None
        and answer is not None
        and is_resolved(parent, answer)
        and answer.value != condition.answer
    )
