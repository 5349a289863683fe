"""What a run tells the person who started it, and the counts its summary gives.

One line per workbook, then a summary (`processed 3, failed 1, skipped 1`).  A workbook's line starts with a fixed
token -- `ok`, `FAILED`, `skipped`, `recovered`, `recovery:` -- the same in every language, so a script reading a
cron log can pick the lines out; the rest of every line is the words catalogue's (`goalsheet.words.CONSOLE`, the
`run_` codes) in the run's language (`--lang`).  A failed workbook's line is followed by its first problems, as its
error report says them.  A file name is shown escaped (`goalsheet.batch.names.shown`).
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import click

from goalsheet.batch.names import one_line, shown
from goalsheet.words import console

_SHOWN_PROBLEMS = 5          # a failed workbook's first problems on the console; the rest are in its report


@dataclass
class RunConsole:
    """The run's console lines in `lang`, through `echo` (click.echo, or a test's list), and its counts."""
    echo: Callable = click.echo
    lang: str = "en"
    processed: int = 0
    failed: int = 0
    skipped: int = 0
    recovered: int = 0
    unwritten: int = 0          # workbooks left in the inbox because the outbox could not be written
    write_error: str = ""       # the last such reason
    _skips_reported: set = field(default_factory=set)

    def error(self, reason: str) -> None:
        """One `error:` line on standard error: what stops the run (or, at its end, what it could not do)."""
        self.echo(console("run_error", self.lang, reason=reason), err=True)

    def planned(self, name: str, output: str, seconds: float) -> None:
        self.processed += 1
        self.echo("ok      " + console("run_ok", self.lang, name=shown(name), output=output, seconds=seconds))

    def failed_workbook(self, name: str, detail: str, files: list[str], moved_to: Path, inbox: Path,
                        lines: list[str]) -> None:
        self.failed += 1
        self.echo("FAILED  " + console("run_failed", self.lang, name=shown(name), detail=one_line(detail),
                                       files=", ".join(files), moved=shown(_relative(moved_to, inbox))))
        for line in lines[:_SHOWN_PROBLEMS]:
            self.echo(f"        {one_line(line)}")
        if len(lines) > _SHOWN_PROBLEMS:
            self.echo("        " + console("run_more_lines", self.lang, count=len(lines) - _SHOWN_PROBLEMS,
                                           name=files[0]))

    def skip(self, name: str, why: str) -> None:
        """Count and say it once per file and reason (--watch would repeat it every poll)."""
        if (name, why) in self._skips_reported:
            return
        self._skips_reported.add((name, why))
        self.skipped += 1
        self.echo("skipped " + console("run_skipped", self.lang, name=shown(name), why=why))

    def unwritten_workbook(self, name: str, detail: str, why: str) -> None:
        """The outbox could not take this workbook's outputs: it stays in the inbox for the next run."""
        self.unwritten += 1
        self.write_error = why
        self.echo("skipped " + console("run_skipped", self.lang, name=shown(name), why=detail))

    def recovered_workbook(self, name: str, result: str, detail: str) -> None:
        """A commit of a killed run, finished by this one."""
        self.recovered += 1
        if result == "ok":
            self.processed += 1
        else:
            self.failed += 1
        self.echo("recovered " + console("run_recovered", self.lang, name=shown(name), result=result,
                                         detail=one_line(detail)))

    def set_aside(self, name: str, why: str, path: Path) -> None:
        self.echo("recovery: " + console("run_set_aside", self.lang, name=shown(name), why=one_line(why),
                                         path=path))

    def summary(self, taken: int) -> None:
        if taken == 0 and self.recovered == 0 and self.skipped == 0 and self.unwritten == 0:
            self.echo(console("run_nothing", self.lang))
            return
        self.echo(console("run_summary", self.lang, processed=self.processed, failed=self.failed,
                          skipped=self.skipped + self.unwritten)
                  + (console("run_summary_recovered", self.lang, recovered=self.recovered) if self.recovered
                     else ""))

    def summary_after_error(self) -> None:
        """The counts so far, after an error that stopped the run."""
        self.echo(console("run_summary", self.lang, processed=self.processed, failed=self.failed,
                          skipped=self.skipped))

    @contextlib.contextmanager
    def progress(self, n: int):
        """A progress bar on a terminal for more than one workbook, each message clearing its line first."""
        import sys

        if n <= 1 or not sys.stderr.isatty():
            yield _NoBar()
            return
        plain = self.echo

        def echo(message="", **kwargs):
            click.echo("\r\033[K", nl=False, err=True)
            plain(message, **kwargs)

        with click.progressbar(length=n, label=console("run_progress", self.lang), file=sys.stderr) as bar:
            self.echo = echo
            try:
                yield bar
            finally:
                self.echo = plain


class _NoBar:
    def update(self, n: int) -> None:
        pass


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
