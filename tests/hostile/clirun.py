"""Running the command line in the tests: exit code, standard output and standard error apart."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from goalsheet.cli import cli

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "golden_seller.xlsx"


def invoke(*args) -> tuple[int, str, str]:
    """`goalsheet ARGS` in this process: (exit code, stdout, stderr)."""
    result = CliRunner().invoke(cli, [str(a) for a in args])     # click >= 8.2 keeps stderr apart
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def run(*args, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m goalsheet ARGS` in a child process (bytes out, so an encoding can be checked)."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "goalsheet", *[str(a) for a in args]], capture_output=True,
                          env=full_env, cwd=cwd, timeout=120)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes (to assert nothing was written or changed)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
