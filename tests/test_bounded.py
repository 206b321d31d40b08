"""Guarantee 14: bounded work on any input.

The limit the tests hold: validating any file under the 1 MB cap takes less
than ``CPU_LIMIT`` seconds of CPU time here (a 2-core machine; the worst file
below takes about 1.3 s), and the answer is always lines of ``FILE:LINE:COL``
(at most ``MAX_PROBLEMS`` and a last line saying that the check stopped), exit
65, never a traceback. CPU time, not wall time, so that other work on the
machine cannot make the test flaky; the subprocess's own timeout catches a hang.
"""

from __future__ import annotations

import gc
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import run_here

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

MEASURE = """
import json, sys, time
from pathlib import Path
from foracheck.loader import parse_checklist
results = {}
for name in sys.argv[1:]:
    path = Path(name)
    data = path.read_bytes()
    started = time.process_time()
    checklist, problems = parse_checklist(data, path)
    lines = [problem.format(path) for problem in problems]
    results[path.stem] = [time.process_time() - started, len(lines)]
print(json.dumps(results))
"""


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


@pytest.mark.slow  # a process per file, under a CPU limit
def test_every_adversarial_file_validates_within_the_cpu_limit(adversarial: list[Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *map(str, adversarial)],
        capture_output=True,
        text=True,
        timeout=120,  # a quadratic check would take minutes to hours
        check=False,
    )
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout)
    slow = {name: cpu for name, (cpu, _) in measured.items() if cpu >= CPU_LIMIT}
    assert not slow, f"over {CPU_LIMIT} s of CPU: {slow}"
    assert all(count <= MAX_PROBLEMS + 1 for _, count in measured.values()), measured
    valid = {name for name, (_, count) in measured.items() if count == 0}
    assert valid == {"long-flow-items", "one-long-scalar"}  # long, but nothing wrong


# The files that crashed or hung the loader before it was bounded (the others are
# measured above and take longest), for a real ``validate`` in the default run.
QUICK = ("one-key-repeated", "flow-keys-repeated", "huge-integers", "huge-format", "deep-flow")


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(QUICK, id="quick"),
        pytest.param(tuple(ADVERSARIAL), id="all", marks=pytest.mark.slow),
    ],
)
def test_validate_reports_each_as_problem_lines_and_exit_65(
    adversarial: list[Path], names: tuple[str, ...]
) -> None:
    paths = [path for path in adversarial if path.stem in names]
    result = run_here("validate", *map(str, paths), timeout=120)
    assert result.returncode == 65
    assert "Traceback" not in result.stderr
    *lines, summary = result.stderr.splitlines()
    assert summary.startswith("Found ")
    assert all(LINE.match(line) for line in lines), [x for x in lines if not LINE.match(x)][:3]
    with_problems = {LINE.match(line).group("file") for line in lines}  # type: ignore[union-attr]
    ok = {line.split(": ok (")[0] for line in result.stdout.splitlines()}
    assert with_problems | ok == {str(path) for path in paths}
    assert not with_problems & ok


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
