"""The README and docs/ pages link only to files and headings that exist.

The README starts small and sends readers to docs/*.md for the reference; a link
that points nowhere (a renamed heading, a moved section) is a dead end for them.
Headings become anchors as GitHub makes them; fenced code is not Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def prose(text: str) -> str:
    """The text outside fenced code blocks (links and headings there are not Markdown)."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            out.append(line)
    return "\n".join(out)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every heading anchor of a page, with GitHub's -1, -2 suffixes for repeats."""
    seen: dict[str, int] = {}
    found = set()
    for match in re.finditer(r"^#{1,6} +(.+?) *#*$", prose(page.read_text()), re.M):
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def relative_links(page: Path) -> list[str]:
    """The links of a page that point inside the repository (not to a web address)."""
    targets = LINK.findall(prose(page.read_text()))
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


def test_slug_follows_github() -> None:
    assert slug("Hand-offs to the care team (`import`, `--by`)") == (
        "hand-offs-to-the-care-team-import---by"
    )
    assert slug("Translations (`ID.LANG.yaml`)") == "translations-idlangyaml"
    assert slug("En español: the walk in Spanish") == "en-español-the-walk-in-spanish"


def test_the_docs_pages_exist_and_the_readme_links_each() -> None:
    docs = sorted(p.name for p in PAGES[1:])
    assert len(docs) >= 5
    linked = {t.split("#")[0] for t in relative_links(ROOT / "README.md")}
    assert {f"docs/{name}" for name in docs} <= linked


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_points_to_a_file_and_heading_that_exist(page: Path) -> None:
    broken = []
    for target in relative_links(page):
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(f"{target}: no file {dest.relative_to(ROOT)}")
        elif anchor and (dest.suffix != ".md" or anchor not in anchors(dest)):
            broken.append(f"{target}: no heading #{anchor} in {dest.relative_to(ROOT)}")
    assert not broken, broken


def test_the_readme_starts_small() -> None:
    lines = (ROOT / "README.md").read_text().splitlines()
    assert len(lines) <= 300
    first_screen = "\n".join(lines[:65])
    for who in ("patient", "nurse", "script", "clinic"):
        assert f"**The {who}.**" in first_screen


def test_the_readme_test_command_is_the_one_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"^## Run the tests.*?\n```sh\n(.+?)\n```", readme, re.S | re.M)
    assert block is not None
    command = block.group(1).strip()
    assert "pytest" in command
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert command in [line.strip() for line in ci_lines]
