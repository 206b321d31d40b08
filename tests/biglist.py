"""A generated long checklist, for the speed test and ``bench/bench.py``: standalone on purpose."""

from __future__ import annotations

from pathlib import Path


def write_big_checklist(folder: Path, items: int) -> Path:
    """``folder/big-ITEMS.yaml``: id ``big-ITEMS``, questions each with a text follow-up."""
    lines = ["format: 1", f"id: big-{items}", "title: A very long list", "items:"]
    for pair in range(items // 2):
        lines += [
            f"  - {{id: q-{pair}, type: yesno, text: 'Question {pair}?', tell_surgeon: 'yes'}}",
            f"  - id: f-{pair}",
            "    type: text",
            f"    text: Which one, for question {pair}?",
            f"    show_if: {{item: q-{pair}, answer: 'yes'}}",
        ]
    path = folder / f"big-{items}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_long_task_list(folder: Path, items: int) -> Path:
    """``folder/tasks-ITEMS.yaml``: id ``tasks-ITEMS``, one short task per line.

    Compact on purpose, so that 20,000 items stay under the 1 MB cap.
    """
    lines = ["format: 1", f"id: tasks-{items}", "title: A very long list", "items:"]
    lines += [f"- {{id: t{n}, type: task, text: Step {n}.}}" for n in range(items)]
    path = folder / f"tasks-{items}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
