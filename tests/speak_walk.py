"""Write tests/data/plain-walk.espeak.txt: the golden plain walk as espeak-ng says it.

Run by hand after the plain walk's wording changes (it needs ``espeak-ng``; on
Debian ``apt-get install espeak-ng``): ``python tests/speak_walk.py``. Each line
of tests/golden/plain-walk.txt is followed by the International Phonetic
Alphabet that espeak-ng (US English) speaks for it, so a reader can check that
every prompt sounds like words, not like punctuation.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
WALK = HERE / "golden" / "plain-walk.txt"
SPOKEN = HERE / "data" / "plain-walk.espeak.txt"


def ipa(line: str) -> str:
    result = subprocess.run(
        ["espeak-ng", "-q", "--ipa", "-v", "en-us", line],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(result.stdout.split())


def main() -> None:
    version = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout
    lines = [f"# {WALK.name} as {version.split(' Data')[0].strip()} says it (-q --ipa -v en-us)"]
    for line in WALK.read_text(encoding="utf-8").splitlines():
        if line.strip():
            lines += [line, f"    /{ipa(line)}/"]
        else:
            lines.append("")
    SPOKEN.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
