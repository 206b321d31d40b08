"""FHIR.js, the R4 validator the tests run on every FHIR export, driven from Python.

The validator is an npm package pinned in ``tests/fhir/package-lock.json``. On
first use it is installed with ``npm ci`` into ``tests/fhir/node_modules``
(ignored by git; needs node, npm and the npm registry), then one Node process
(``tests/fhir/validate.js``) serves the whole test session, one JSON document
per line. Without node or npm the FHIR validator tests skip with the reason;
with ``FORACHECK_REQUIRE_FHIR=1`` (as ``.ci/run`` sets it) they fail instead.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Any

from helpers import ROOT
from npm_tool import NpmTool, Unavailable

FHIR_DIR = ROOT / "tests" / "fhir"
REQUIRE_ENV = "FORACHECK_REQUIRE_FHIR"
# What makes a document invalid; "info" is only FHIR.js saying it lacks a value set.
FAILING = frozenset({"fatal", "error", "warning"})
_STEP = re.compile(r"([^.\[\]]+)(?:\[(\d+)\])?")


class FhirJs:
    """One running FHIR.js; ``problems`` validates a document."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            ["node", str(FHIR_DIR / "validate.js")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def messages(self, document: Any) -> list[dict[str, str]]:
        """Everything FHIR.js says about a document, info messages included."""
        assert self._process.stdin and self._process.stdout
        self._process.stdin.write(json.dumps(document, ensure_ascii=True) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            assert self._process.stderr
            raise Unavailable(f"FHIR.js stopped: {self._process.stderr.read().strip()[-500:]}")
        messages: list[dict[str, str]] = json.loads(line)
        return messages

    def problems(self, document: Any) -> list[str]:
        """The errors and warnings, as "location: message" lines (none for a valid one)."""
        return [
            f"{m['severity']} {m.get('resource') or ''} {m.get('location')}: {m['message']}"
            for m in self.messages(document)
            if m["severity"] in FAILING and not _false_missing(document, m)
        ]

    def close(self) -> None:
        """Stop the Node process."""
        self._process.communicate(timeout=10)


def _element(root: Any, path: str) -> Any:
    """The element at a FHIR.js path such as ``Bundle.entry[0].resource``, or None.

    The path starts with the root's resource type, which names no key.
    """
    element = root
    for name, index in _STEP.findall(path)[1:]:
        element = element.get(name) if isinstance(element, dict) else None
        if index and isinstance(element, list) and int(index) < len(element):
            element = element[int(index)]
        elif index:
            return None
    return element


def _false_missing(document: Any, message: dict[str, str]) -> bool:
    """FHIR.js 4.12's one known false alarm: a required choice element whose value
    is ``false`` (``answerBoolean: false``) is reported as "Missing property"
    (validator.js tests ``!!obj[name]``). Only that exact case is let through."""
    location = message.get("location") or ""
    if message.get("message") != "Missing property" or not location.endswith("[x]"):
        return False
    resource = message.get("resource") or "#initial"
    root = document if resource == "#initial" else _element(document, resource)
    parent_path, _, choice = location.rpartition(".")
    parent = _element(root, parent_path)
    prefix = choice.removesuffix("[x]")
    values = (
        [v for k, v in parent.items() if k.startswith(prefix)] if isinstance(parent, dict) else []
    )
    return values == [False]


TOOL = NpmTool(FHIR_DIR, "fhir", "FHIR.js (the R4 validator)")


def install() -> None:
    """Install the pinned FHIR.js unless it already is; Unavailable when it cannot be."""
    if shutil.which("node") is None:
        raise Unavailable("node is not installed; FHIR.js (the R4 validator) needs it")
    TOOL.install()


def start() -> FhirJs:
    """A running FHIR.js, installed first if needed; Unavailable when it cannot run."""
    install()
    validator = FhirJs()
    try:
        validator.messages({"resourceType": "Basic"})  # loads FHIR.js, or says why not
    except Unavailable:
        validator.close()
        raise
    return validator
