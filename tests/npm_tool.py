"""A test-only tool from npm, pinned by its folder's ``package-lock.json``.

FHIR.js, LHC-Forms and axe-core are each installed the same way: on first use,
``npm ci`` into the folder's ``node_modules`` (ignored by git; needs npm and the
npm registry). Test workers run in parallel, so a lock file makes the first one
install while the others wait, instead of two ``npm ci`` runs in one folder.

A tool whose built files need nothing else (``package_only``) gets its own package
alone: the tarball ``npm pack`` fetches, checked against the lock's integrity and
unpacked. LHC-Forms' web component bundles Angular and the rest of its 250 MB of
dependencies; ``npm ci`` of them all took 11 s and 14 CPU-seconds of a first run.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
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
    package_only: bool = False  # its built files need none of its dependencies

    def installed_version(self) -> str | None:
        manifest = self.folder / "node_modules" / self.package / "package.json"
        try:
            return str(json.loads(manifest.read_text("utf-8")).get("version"))
        except (OSError, ValueError):
            return None

    def locked_version(self) -> str:
        return str(self._locked()["version"])

    def _locked(self) -> dict[str, str]:
        lock = json.loads((self.folder / "package-lock.json").read_text("utf-8"))
        return dict(lock["packages"][f"node_modules/{self.package}"])

    def install(self) -> None:
        """Install the pinned version unless it already is; Unavailable when it cannot be."""
        if shutil.which("npm") is None:
            raise Unavailable(f"npm is not installed; {self.needed_by} needs it")
        with (self.folder / ".install.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.installed_version() != self.locked_version():
                (self._unpack_the_package if self.package_only else self._npm_ci)()

    def _npm(self, *arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        """One npm command, within the tool's minutes; Unavailable when it fails."""
        try:
            done = subprocess.run(
                ["npm", *arguments],
                cwd=cwd,
                capture_output=True,
                text=True,
                timeout=self.minutes * 60,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise Unavailable(
                f"npm {arguments[0]} took more than {self.minutes} minutes;"
                " is the npm registry reachable?"
            ) from None
        if done.returncode != 0:
            raise Unavailable(
                f"npm {arguments[0]} failed for {self.package}: {done.stderr.strip()[-500:]}"
            )
        return done

    def _npm_ci(self) -> None:
        self._npm("ci", "--no-audit", "--no-fund", "--loglevel=error", cwd=self.folder)
        if self.installed_version() != self.locked_version():
            raise Unavailable(f"npm ci did not install the {self.package} the lock pins")

    def _unpack_the_package(self) -> None:
        """The locked version's own tarball, as ``npm pack`` fetches it, unpacked into
        ``node_modules`` once its bytes match the lock's integrity (as ``npm ci`` checks);
        unpacked beside and renamed, so that half a package never looks installed."""
        locked = self._locked()
        modules = self.folder / "node_modules"
        modules.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(dir=modules) as scratch:
            wanted = f"{self.package}@{locked['version']}"
            done = self._npm("pack", wanted, "--silent", "--pack-destination", scratch, cwd=modules)
            tarball = Path(scratch) / done.stdout.split()[-1]
            digest = hashlib.sha512(tarball.read_bytes()).digest()
            if "sha512-" + base64.b64encode(digest).decode() != locked["integrity"]:
                raise Unavailable(f"{tarball.name} is not what package-lock.json pins")
            unpacked = Path(scratch) / "package"
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            with tarfile.open(tarball) as archive:
                archive.extractall(scratch, members=_inside(archive, "package/"), **safe)
            target = modules / self.package
            shutil.rmtree(target, ignore_errors=True)
            unpacked.rename(target)


def _inside(archive: tarfile.TarFile, folder: str) -> list[tarfile.TarInfo]:
    """The archive's plain files and folders under ``folder``, none leading out of it."""
    members = []
    for member in archive.getmembers():
        parts = Path(member.name).parts
        if not member.name.startswith(folder) or ".." in parts or Path(member.name).is_absolute():
            raise Unavailable(f"the package holds an unexpected path: {member.name!r}")
        if member.isfile() or member.isdir():
            members.append(member)
    return members
