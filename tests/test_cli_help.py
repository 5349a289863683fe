"""The command line's help and its exit: every command's --help shows an example (STYLE: the CLI), and the
console entry point leaves with a plain `sys.exit` - its status, one line for a fault of goalsheet itself."""
from __future__ import annotations

import sys

import click
import pytest
from click.testing import CliRunner

from goalsheet import cli as cli_module
from goalsheet.cli import cli, main


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group under `group`, as its argument path (the root as ())."""
    found = [path]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _commands(command, path + (name,))
        else:
            found.append(path + (name,))
    return found


def test_every_command_is_found():
    assert set(_commands(cli)) == {(), ("check",), ("import",), ("init",), ("plan",), ("run",), ("template",),
                                   ("template", "export")}


@pytest.mark.parametrize("path", _commands(cli), ids=lambda p: " ".join(p) or "goalsheet")
def test_help_has_an_example(path):
    """`goalsheet ... --help` exits 0 and has an `Example` line followed by a `goalsheet` command line."""
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    at = [i for i, line in enumerate(lines) if line.startswith("Example")]
    assert at, result.output
    assert lines[at[0] + 1].startswith("goalsheet " + " ".join(path)), result.output


def test_main_leaves_with_the_commands_status(monkeypatch):
    """A usage error (an unknown option) is exit status 2, raised as SystemExit."""
    monkeypatch.setattr(sys, "argv", ["goalsheet", "plan", "--no-such-option"])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 2


def test_a_fault_of_goalsheet_is_one_line_and_status_1(monkeypatch, capsys):
    """A command that fails with a RuntimeError("boom\\nsecond line"): status 1 and one line naming it."""
    def broken(**kwargs):
        raise RuntimeError("boom\nsecond line")
    monkeypatch.setattr(cli_module, "cli", broken)
    monkeypatch.delenv("GOALSHEET_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.splitlines() == ["goalsheet failed unexpectedly (RuntimeError: boom second line); set "
                                "GOALSHEET_DEBUG=1 to see where"]
