"""The help page of each command: what it does, for whom, and an example.

The patient's and the nurse's words for every command, kept apart from the
option table in ``cli.py`` so that they read as one text (cli.po translates
them). Built when ``cli`` is imported, in the language already chosen.
"""

from __future__ import annotations

from datetime import date

from foracheck.i18n import _
from foracheck.invocation import command as command_line
from foracheck.options import example_date


def pages(today: date) -> dict[str, str]:
    """Each command's help text, by command name, and foracheck's own (``foracheck``);
    examples are dated from ``today``."""
    text: dict[str, str] = {}
    text["foracheck"] = _(
        "Get ready for a foraminotomy, one calm step at a time.\n\n"
        "Start with '{command}'. Your answers are saved after each one, "
        "so you can stop and come back whenever you like.\n\n"
        "These checklists do not replace your care team's instructions."
    ).format(command=command_line("start"))
    text["start"] = _(
        "Go through your checklists one question at a time. Stop with q; come back any time.\n\n"
        "With a surgery date saved, you are asked what is due today (and anything overdue), then "
        "told what comes next and when. --all goes through every list now.\n\n"
        "Example: foracheck start --surgery-date {example}"
    ).format(example=example_date(today))
    text["status"] = _(
        "Show where you are: the days to surgery, what to do now, what comes next, and how far "
        "you are in each list.\n\n"
        "Example: foracheck status"
    )
    text["show"] = _(
        "Show one checklist's items, with their ids, timing and your saved answers.\n\n"
        "Example: foracheck show week-before"
    )
    text["list"] = _(
        "List the checklists: id, title, number of items and where each comes from.\n\n"
        "Example: foracheck list --json"
    )
    text["mark"] = _(
        "Record one answer without questions (for nurses and scripts).\n\n"
        'Example: foracheck mark week-before ask-about-blood-thinners done --note "Asked Dr. '
        'Lee"\n\n'
        "A text answer that starts with a dash goes after --, so that it is not read as an "
        'option: foracheck mark tell-your-surgeon which-medicines -- "- aspirin 81 mg"'
    )
    text["print"] = _(
        "Make a paper form for each checklist: filled in from the saved answers, or --blank.\n\n"
        'The first sheet is the "tell your surgeon" summary, to hand over. Every item is on the '
        "forms, with follow-up questions and when they apply. Each list starts a new page. Print "
        "the text with 'foracheck print | lp', or save --format html and print it from a "
        "browser.\n\n"
        'Example: foracheck print --format html --patient "Ana Ruiz" --born 1954-03-02 -o '
        "forms.html"
    )
    text["export"] = _(
        "Write the checklists and saved answers as Markdown, JSON or FHIR, for scripts and "
        "records.\n\n"
        "Only the items that apply are included. Never asks anything. --format ics writes the "
        "open steps and the surgery day as a calendar for your phone (it needs a saved surgery "
        "date, and holds no answers or notes).\n\n"
        "Example: foracheck export --format json --output answers.json"
    )
    text["form"] = _(
        "Make a form to fill in with any web browser, offline: one HTML file, filled in with "
        "the answers saved so far.\n\n"
        'Send it to the patient (e-mail, USB stick). "Save my answers" in the form saves a '
        "file that '{command}' brings back.\n\n"
        "Example: foracheck form --output form.html"
    ).format(command=command_line("import", "FILE"))
    text["validate"] = _(
        "Check checklist files; every problem is printed as FILE:LINE:COL: message.\n\n"
        "Example: foracheck validate my-clinic/week-before.yaml"
    )
    text["reset"] = _(
        "Forget your saved answers. A copy is kept, and the message says where.\n\n"
        "Example: foracheck reset --yes"
    )
    text["date"] = _(
        "Show the surgery date, or save it without questions (for nurses and scripts).\n\n"
        "The date is checked as the walk checks it: one in the past or more than a year "
        "ahead is saved only with --yes.\n\n"
        "Example: foracheck date {example}"
    ).format(example=example_date(today))
    text["settings"] = _(
        "Show or change what this data folder remembers: language (en, es) and plain "
        "(on, off). Every command run on the folder then uses them.\n\n"
        "Example: foracheck settings language es"
    )
    text["import"] = _(
        "Bring answers back from a foracheck JSON export or FHIR file (another computer, a "
        "nurse).\n\n"
        "All or nothing: a file that does not fit the checklists in use is refused and nothing "
        "changes. Where an answer is saved already, the newer one is kept.\n\n"
        "Example: foracheck import --dry-run answers.json"
    )
    text["restore"] = _(
        "Bring back your last good answers: the backup, or a copy foracheck kept.\n\n"
        "What is there now is kept as a copy first, so nothing is lost either way.\n\n"
        "Example: foracheck restore --from progress.json.bak-20261122T061000"
    )
    return text
