"""The command line (SPEC.md section 1): thin click wrappers over the library.

Every command parses its options, calls one library function, prints, and exits:
0 success (warnings allowed), 1 the input has errors / a batch workbook failed,
2 usage error.  Problems are printed `Sheet!Cell: message`, one per line, all of them.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from goalsheet import __version__

LANGS = click.Choice(["zh", "en"])


def _month_option(value: str | None) -> str | None:
    """--as-of: any month format the input accepts; anything else is a usage error (exit 2)."""
    if value is None:
        return None
    from goalsheet.inputs.values import BadValue, parse_month_text
    try:
        return parse_month_text(value)
    except BadValue as exc:
        raise click.BadParameter(str(exc), param_hint="--as-of") from None


def _print_problems(problems, *, to_err: bool = True) -> None:
    for p in problems:
        prefix = "warning: " if p.severity == "warning" else ""
        click.echo(f"{prefix}{p}", err=to_err)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="goalsheet")
def cli() -> None:
    """Turn an Amazon seller's workbook into an annual sales and net-profit plan.

    \b
    Example:
        goalsheet init my_shop.xlsx --lang en      # a blank input workbook to fill in
        goalsheet check my_shop.xlsx               # list every problem in it
        goalsheet plan my_shop.xlsx                # write my_shop-plan.xlsx beside it
    """


@cli.command()
@click.argument("input", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--annotate", "annotate_to", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a copy of INPUT with every bad cell highlighted and commented.")
def check(input: Path, annotate_to: Path | None) -> None:
    """Validate INPUT and print every problem found (not just the first).

    \b
    Example:
        goalsheet check shop.xlsx --annotate shop-checked.xlsx
    """
    from goalsheet.inputs import annotate, load

    book, problems = load(input)
    _print_problems(problems)
    errors = [p for p in problems if p.severity == "error"]
    if annotate_to is not None:
        if annotate_to.resolve() == input.resolve():
            raise click.UsageError("--annotate must name a new file; the input is never modified")
        written = annotate(input, problems, annotate_to)
        click.echo(f"annotated copy: {written}", err=True)
    if errors:
        click.echo(f"{len(errors)} error(s) in {input.name}", err=True)
        sys.exit(1)
    click.echo(f"{input.name}: OK" + (f" ({len(problems)} warning(s))" if problems else ""))


@cli.command()
@click.argument("path", required=False, default="goalsheet-input.xlsx",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of sheet names and headers.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def init(path: Path, lang: str, force: bool) -> None:
    """Write a blank input workbook: every sheet, headers, drop-downs, one example row, instructions.

    \b
    Example:
        goalsheet init shop.xlsx --lang en
    """
    from goalsheet.inputs.blank import write_blank

    if path.exists() and not force:
        raise click.UsageError(f"{path} exists; use --force to overwrite it")
    write_blank(path, lang=lang)
    click.echo(f"wrote {path}")


@cli.command()
@click.argument("input", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Plan workbook to write (default: <input stem>-plan.xlsx beside INPUT).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the plan (headline figures and every table) as JSON.")
@click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your own output template (see `goalsheet template export`).")
@click.option("--lang", type=click.Choice(["auto", "zh", "en"]), default="auto", show_default=True,
              help="Output language; auto follows the input's sheet names.")
@click.option("--as-of", "as_of", metavar="YYYY-MM", callback=lambda ctx, param, value: _month_option(value),
              help="Last closed month of actuals (default: the latest).")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Take the plan figures from an earlier plan workbook.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT even if goalsheet did not write it.")
def plan(input: Path, output: Path | None, json_out: Path | None, template: Path | None, lang: str,
         as_of: str | None, baseline: Path | None, force: bool) -> None:
    """Read, validate and plan INPUT; write the plan workbook.

    \b
    Example:
        goalsheet plan shop.xlsx -o shop-plan-2026.xlsx --json shop-plan.json
    """
    from goalsheet.pipeline import PlanRequest, run_plan

    request = PlanRequest(input=input, output=output, json_out=json_out, template=template, lang=lang,
                          as_of=as_of, baseline=baseline, force=force)
    result = run_plan(request)
    _print_problems(result.problems)
    if result.usage_error:
        raise click.UsageError(result.usage_error)
    if not result.ok:
        errors = [p for p in result.problems if p.severity == "error"]
        click.echo(f"{len(errors)} error(s) in {input.name}; nothing written", err=True)
        sys.exit(1)
    for line in result.summary:
        click.echo(line)
    click.echo(f"wrote {result.output}")


@cli.command()
@click.option("--inbox", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder sellers drop workbooks into.")
@click.option("--outbox", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder plans (and error reports) are written to.")
@click.option("--archive", type=click.Path(file_okay=False, path_type=Path),
              help="Where processed inputs go (default: <inbox>/processed).")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="Workbooks in parallel.")
@click.option("--watch", is_flag=True, help="Keep polling the inbox.")
@click.option("--interval", default=60.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds between polls with --watch.")
@click.option("--settle", default=2.0, show_default=True, type=click.FloatRange(0),
              help="Seconds a file must stay unchanged before it is taken.")
@click.option("--time-budget", default=600.0, show_default=True, type=click.FloatRange(1),
              help="Seconds one workbook may take; one that takes longer is failed on its own.")
@click.option("--memory-budget", default=4.0, show_default=True, type=click.FloatRange(0.5),
              help="GiB of memory one workbook may take (Linux); one that needs more is failed on its own.")
def run(inbox: Path, outbox: Path, archive: Path | None, jobs: int, watch: bool, interval: float,
        settle: float, time_budget: float, memory_budget: float) -> None:
    """Plan every workbook in an inbox, unattended (for cron / Task Scheduler).

    \b
    Example:
        goalsheet run --inbox /srv/plans/in --outbox /srv/plans/out --jobs 2
    """
    from goalsheet.batch import Budget, run_batch

    code = run_batch(inbox=inbox, outbox=outbox, archive=archive, jobs=jobs, watch=watch, interval=interval,
                     settle=settle, budget=Budget(seconds=time_budget, memory_gib=memory_budget))
    sys.exit(code)


@cli.group()
def template() -> None:
    """Output templates."""


@template.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def template_export(path: Path, lang: str) -> None:
    """Write the default output template to PATH, to restyle in Excel or WPS.

    \b
    Example:
        goalsheet template export my-template.xlsx --lang en
        goalsheet plan shop.xlsx --template my-template.xlsx
    """
    import shutil

    from goalsheet.output import default_template

    shutil.copyfile(default_template(lang), path)
    click.echo(f"wrote {path}")


def main() -> None:
    """Console entry point; never lets a traceback reach the seller."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover
        click.echo("interrupted", err=True)
        code: object = 130
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    exit_without_teardown(code)


def exit_without_teardown(code: object) -> NoReturn:
    """End the process as `sys.exit(code)` would, less the interpreter's teardown.

    The command has finished and closed what it wrote; the atexit handlers run and stdout and stderr are
    flushed, then the process ends (`os._exit`) instead of Python freeing every object and module one by one,
    which the operating system does at once (about 0.1 s of a mid-sized plan's 1 s: pandas, numpy and the
    plan's own objects).  While another thread is still running, or on an interpreter without
    `atexit._run_exitfuncs`, it is a plain `sys.exit`."""
    import atexit
    import os
    import threading

    if code is None:
        code = 0
    elif not isinstance(code, int):     # sys.exit("message"): the message on stderr, exit status 1
        print(code, file=sys.stderr)
        code = 1
    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    if run_exitfuncs is None or threading.active_count() > 1:
        sys.exit(code)
    run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe: nothing more can be said
            pass
    os._exit(code)
