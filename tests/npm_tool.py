"""A test-only tool from npm, pinned by its folder's ``package-lock.json``.

FHIR.js, LHC-Forms and axe-core are each installed the same way: on first use,
``npm ci`` into the folder's ``node_modules`` (ignored by git; needs npm and the
npm registry). Test workers run in parallel, so a lock file makes the first one
install while the others wait, instead of two ``npm ci`` runs in one folder.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


class Unavailable(Exception):
    """The tool cannot be had here; the message says why."""


@dataclass(frozen=True)
class NpmTool:
    folder: Path  # holds package.json and package-lock.json
    package: str  # the npm package the lock file pins
    needed_by: str  # what needs it, as the messages say: "FHIR.js (the R4 validator)"
    minutes: int = 5  # how long npm ci may take

    def installed_version(self) -> str | None:
        manifest = self.folder / "node_modules" / self.package / "package.json"
        try:
            return str(json.loads(manifest.read_text("utf-8")).get("version"))
        except (OSError, ValueError):
            return None

    def locked_version(self) -> str:
        lock = json.loads((self.folder / "package-lock.json").read_text("utf-8"))
        return str(lock["packages"][f"node_modules/{self.package}"]["version"])

    def install(self) -> None:
        """Install the pinned version unless it already is; Unavailable when it cannot be."""
        if shutil.which("npm") is None:
            raise Unavailable(f"npm is not installed; {self.needed_by} needs it")
        with (self.folder / ".install.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.installed_version() != self.locked_version():
                self._npm_ci()

    def _npm_ci(self) -> None:
        command = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
        try:
            done = subprocess.run(
                command,
                cwd=self.folder,
                capture_output=True,
                text=True,
                timeout=self.minutes * 60,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise Unavailable(
                f"npm ci took more than {self.minutes} minutes; is the npm registry reachable?"
            ) from None
        if done.returncode != 0 or self.installed_version() != self.locked_version():
            raise Unavailable(
                f"npm ci could not install {self.package}: {done.stderr.strip()[-500:]}"
            )
