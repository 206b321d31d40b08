"""Wheel build hook: compile the translation catalogs into the package.

hatchling copies files, it does not compile ``.po`` into ``.mo``. This hook runs
``foracheck/pocompile.py`` (loaded by its path: the build environment has only
hatchling, and foracheck is not installed there) for every language under
``foracheck/locale``. A regular wheel gets the ``.mo`` files (compiled into a
temporary folder, since they are git-ignored and the source tree may be
read-only); an editable install gets them written into the source tree, where
its ``import foracheck`` reads them.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _compiler(root: Path) -> ModuleType:
    path = root / "foracheck" / "pocompile.py"
    spec = importlib.util.spec_from_file_location("_foracheck_pocompile", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


class CatalogsHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile ``foracheck/locale/<code>/*.po`` into ``<code>/LC_MESSAGES/foracheck.mo``."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        compiler = _compiler(root)
        source = root / "foracheck" / "locale"
        if version == "editable":
            compiler.write_all(source)
            return
        self._temporary = Path(tempfile.mkdtemp(prefix="foracheck-locale-"))
        for code in compiler.languages(source):
            target = compiler.mo_path(code, self._temporary)
            target.parent.mkdir(parents=True)
            target.write_bytes(compiler.compile_language(code, source))
            inside = target.relative_to(self._temporary).as_posix()
            build_data["force_include"][str(target)] = f"foracheck/locale/{inside}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        temporary = getattr(self, "_temporary", None)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
