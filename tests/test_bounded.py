"""Guarantee 14: bounded work on any input.

The limit the tests hold: validating any file under the 1 MB cap takes less
than ``CPU_LIMIT`` seconds of CPU time here (a 2-core machine; the worst file
below takes about 1.3 s), and the answer is always lines of ``FILE:LINE:COL``
(at most ``MAX_PROBLEMS`` and a last line saying that the check stopped), exit
65, never a traceback. CPU time, not wall time, so that other work on the
machine cannot make the test flaky; the run's own timeout catches a hang.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import Ran, run_here

from foracheck import loader
from foracheck.loader import MAX_FILE_BYTES, MAX_PROBLEMS, parse_checklist

CPU_LIMIT = 2.0
HEAD = "format: 1\nid: x\ntitle: t\n"
ONE_ITEM = "items: [{id: a, type: task, text: t}]\n"
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


def filled(head: str, line: Callable[[int], str], tail: str = "") -> str:
    """``head``, then ``line(n)`` for n = 0, 1, ... for as long as the file stays under the cap."""
    parts, size, number = [head], len(head) + len(tail), 0
    while size + len(piece := line(number)) < MAX_FILE_BYTES - 64:
        parts.append(piece)
        size += len(piece)
        number += 1
    return "".join([*parts, tail])


ADVERSARIAL: dict[str, Callable[[], str]] = {
    # One mapping of tens of thousands of keys: each unknown, or all the same.
    "many-keys": lambda: filled(HEAD + ONE_ITEM, lambda n: f"key{n}: {n}\n"),
    "one-key-repeated": lambda: filled("format: 1\n", lambda n: "id: x\n"),
    "flow-keys-repeated": lambda: filled("{", lambda n: f"k{n % 50}: 1, ", "}\n"),
    "unknown-item-keys": lambda: filled(
        HEAD + "items:\n", lambda n: f"- {{id: a{n}, type: task, text: t, bogus{n}: 1}}\n"
    ),
    "duplicate-item-ids": lambda: filled(
        HEAD + "items:\n", lambda n: "- {id: a, type: task, text: t}\n"
    ),
    "show-if-to-nowhere": lambda: filled(
        HEAD + "items:\n",
        lambda n: f"- {{id: a{n}, type: task, text: t, show_if: {{item: z{n}, answer: 'yes'}}}}\n",
    ),
    # Integers far past what int() converts (4,300 digits).
    "huge-integers": lambda: filled(
        HEAD + "items:\n",
        lambda n: f"- {{id: a{n}, type: task, text: t, due_days_before: {'9' * 5000}}}\n",
    ),
    "huge-format": lambda: "format: " + "7" * 900_000 + "\n" + HEAD[10:] + ONE_ITEM,
    # Deep nesting, flow and block.
    "deep-flow": lambda: "a: " + "[" * 300_000 + "]" * 300_000 + "\n",
    "deep-block": lambda: "".join("  " * depth + f"k{depth}:\n" for depth in range(500)),
    # Long flow sequences: of numbers (one problem each), and of valid items.
    "long-flow-numbers": lambda: filled(HEAD + "items: [", lambda n: "1, ", "]\n"),
    "long-flow-items": lambda: filled(
        HEAD + "items: [", lambda n: f"{{id: a{n}, type: task, text: t}}, ", "]\n"
    ),
    "one-long-scalar": lambda: HEAD.replace("title: t", "title: " + "x" * 1_000_000) + ONE_ITEM,
    "escapes-everywhere": lambda: filled(
        HEAD + "items:\n", lambda n: f'- {{id: a{n}, type: task, text: "\\e[2J"}}\n'
    ),
}


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("adversarial")
    paths = []
    for name, make in ADVERSARIAL.items():
        path = folder / f"{name}.yaml"
        text = make().replace("\nid: x\n", f"\nid: {name}\n", 1)  # no clash between files
        path.write_text(text, encoding="utf-8")
        assert path.stat().st_size <= MAX_FILE_BYTES, name
        paths.append(path)
    return paths


def timed_validate(
    paths: list[Path], monkeypatch: pytest.MonkeyPatch
) -> tuple[Ran, dict[str, float]]:
    """``validate`` on the files, in this process, with the CPU time each file's parse took."""
    parse = loader.parse_checklist
    took: dict[str, float] = {}

    def timed(data: bytes, path: Path, bundled: bool = False) -> Any:
        started = time.process_time()
        try:
            return parse(data, path, bundled)
        finally:
            took[path.stem] = time.process_time() - started

    monkeypatch.setattr(loader, "parse_checklist", timed)
    return run_here("validate", *map(str, paths), timeout=120), took  # a hang ends here


def problem_lines_by_file(result: Ran, paths: list[Path]) -> dict[str, list[str]]:
    """The report of ``validate`` as it must be: only problem lines and a count, exit 65, no
    traceback, each file either with problems or "ok"; the problem lines of each file."""
    assert result.returncode == 65
    assert "Traceback" not in result.stderr
    *lines, summary = result.stderr.splitlines()
    assert summary.startswith("Found ")
    assert all(LINE.match(line) for line in lines), [x for x in lines if not LINE.match(x)][:3]
    by_file: dict[str, list[str]] = {}
    for line in lines:
        by_file.setdefault(LINE.match(line).group("file"), []).append(line)  # type: ignore[union-attr]
    ok = {line.split(": ok (")[0] for line in result.stdout.splitlines()}
    assert set(by_file) | ok == {str(path) for path in paths}
    assert not set(by_file) & ok
    return by_file


@pytest.mark.slow  # parses every adversarial file, about 3 s of CPU in all
def test_every_adversarial_file_validates_within_the_cpu_limit(
    adversarial: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    result, took = timed_validate(adversarial, monkeypatch)
    assert set(took) == {path.stem for path in adversarial}
    slow = {name: cpu for name, cpu in took.items() if cpu >= CPU_LIMIT}
    assert not slow, f"over {CPU_LIMIT} s of CPU: {slow}"
    by_file = problem_lines_by_file(result, adversarial)
    assert all(len(lines) <= MAX_PROBLEMS + 1 for lines in by_file.values())
    valid = {path.stem for path in adversarial if str(path) not in by_file}
    assert valid == {"long-flow-items", "one-long-scalar"}  # long, but nothing wrong


# The files that crashed or hung the loader before it was bounded (the others are
# measured above and take longest), for a real ``validate`` in the quick tier.
QUICK = ("one-key-repeated", "flow-keys-repeated", "huge-integers", "huge-format", "deep-flow")


def test_validate_reports_each_as_problem_lines_and_exit_65(adversarial: list[Path]) -> None:
    paths = [path for path in adversarial if path.stem in QUICK]
    problem_lines_by_file(run_here("validate", *map(str, paths), timeout=120), paths)


def test_a_huge_integer_is_a_problem_not_a_traceback() -> None:
    text = HEAD.replace("format: 1", "format: " + "9" * 5000) + ONE_ITEM
    checklist, problems = parse_checklist(text.encode(), Path("x.yaml"))
    assert checklist is None
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 9, "'format' is far too large a number")
    ]


def test_long_numbers_that_fit_still_read() -> None:
    text = HEAD + "order: -000000000000000000000000042\n" + ONE_ITEM
    checklist, problems = parse_checklist(text.encode(), Path("x.yaml"))
    assert problems == [] and checklist is not None and checklist.order == -42


def test_too_many_problems_stop_with_a_last_line_saying_so() -> None:
    text = filled(HEAD + "items: [", lambda n: "1, ", "]\n")
    checklist, problems = parse_checklist(text.encode(), Path("x.yaml"))
    assert checklist is None and len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message.startswith(f"stopped here after {MAX_PROBLEMS} problems")
    assert problems[-2].line <= problems[-1].line


def test_a_duplicate_key_is_still_reported_with_the_first_line() -> None:
    text = HEAD + ONE_ITEM + "title: again\n"
    _, problems = parse_checklist(text.encode(), Path("x.yaml"))
    assert [p.message for p in problems] == ["duplicate key 'title' (first given on line 3)"]


@pytest.mark.parametrize("enabled", [True, False])
def test_parsing_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        parse_checklist((HEAD + ONE_ITEM).encode(), Path("x.yaml"))
        parse_checklist(b"a: [1, 2", Path("x.yaml"))  # a syntax error on the way out
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
