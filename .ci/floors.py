"""Print a pip constraints file pinning every dependency of pyproject.toml (runtime and the `test` extra) to its
declared floor: `name>=X` becomes `name==X`.  `.ci/run` installs with it to run the tests on the oldest versions
the package says it supports.

    python3 .ci/floors.py > floors.txt && pip install -c floors.txt -e '.[test]'
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def floors(extras: tuple[str, ...] = ("test",)) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project.get("optional-dependencies", {}).get(extra, [])
    pins = []
    for requirement in wanted:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-\[\]]+)\s*>=\s*([^,;\s]+)\s*", requirement)
        if m is None:
            sys.exit(f"{requirement!r}: every dependency needs a plain floor (name>=version) to be pinned")
        name = re.sub(r"\[.*\]", "", m.group(1))
        pins.append(f"{name}=={m.group(2)}")
    return pins


if __name__ == "__main__":
    print("\n".join(floors()))
