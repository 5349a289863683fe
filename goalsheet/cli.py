"""The command line (SPEC.md section 1): thin click wrappers over the library.

Every command parses its options, calls one library function, prints, and exits:
0 success (warnings allowed), 1 the input has errors / a batch workbook failed,
2 usage error.  Problems are printed `Sheet!Cell: message`, one per line, all of them.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

import click

from goalsheet import __version__, usage
from goalsheet.usage import lang_of

LANGS = usage.Choice(["zh", "en"])
LANGS_AUTO = usage.Choice(["auto", "zh", "en"])


def _month_option(ctx: click.Context, value: str | None, option: str = "--as-of") -> str | None:
    """--as-of, --month: any month format the input accepts; anything else is a usage error (exit 2)."""
    if value is None:
        return None
    from goalsheet.inputs.values import BadValue, parse_month_text
    try:
        return parse_month_text(value)
    except BadValue as exc:
        raise click.BadParameter(exc.phrase.text(lang_of(ctx)), param_hint=option) from None


def _print_problems(problems, lang: str = "en", *, to_err: bool = True) -> None:
    for p in problems:
        click.echo(p.line(lang), err=to_err)


def _say(code: str, lang: str, **args) -> str:
    """A line of goalsheet's own about a run, in `lang` (`goalsheet.words.CONSOLE`)."""
    from goalsheet.words import console

    return console(code, lang, **args)


def _lang_before_reading(lang: str, input: Path, otherwise: str | None = None) -> str:
    """The language of a run before its workbook is read: `--lang`, else the workbook's by its sheet names,
    else `otherwise` (by default the command line's: `goalsheet.usage`)."""
    if lang != "auto":
        return lang
    from goalsheet.inputs.tables import workbook_lang

    return workbook_lang(input) or otherwise or lang_of(click.get_current_context(silent=True))


def _refuse(phrase, lang: str):
    """A refused output (`goalsheet.paths.refusal`): a usage error, exit 2, in the run's language."""
    raise usage.UsageProblem(phrase.text(lang), click.get_current_context(silent=True), lang)


@click.group(cls=usage.Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="goalsheet", message="%(prog)s %(version)s")
def cli() -> None:
    """Turn an Amazon seller's workbook into an annual sales and net-profit plan.

    \b
    Example:
        goalsheet init my_shop.xlsx --lang en      # a blank input workbook to fill in
        goalsheet check my_shop.xlsx               # list every problem in it
        goalsheet plan my_shop.xlsx                # write my_shop-plan.xlsx beside it
    """


# An input that is not there is a usage error (exit 2), as click reports a bad option.
INPUT_PATH = usage.Path(exists=True, dir_okay=False, path_type=Path)


def _write_or_exit(write: Callable[[], None], lang: str) -> None:
    """Run `write`; a file that cannot be written is its one line in `lang` and exit 1
    (`goalsheet.paths.OutputError`)."""
    from goalsheet.paths import OutputError

    try:
        write()
    except OutputError as exc:
        click.echo(exc.text(lang), err=True)
        sys.exit(1)


def _annotated_name(annotate_to: Path) -> Path:
    """The file `check --annotate` writes: the name given, made .xlsx unless it is .xlsx or .xlsm already (the
    rule of goalsheet.inputs.annotate, applied here first so the name can be checked before anything is read)."""
    if annotate_to.suffix.lower() in (".xlsx", ".xlsm"):
        return annotate_to
    return annotate_to.with_suffix(".xlsx")


def _is_annotated_copy(path: Path) -> bool:
    """An annotated copy `check --annotate` wrote: an .xlsx package whose comments are goalsheet's (the author
    every comment of the copy carries), or a goalsheet plan workbook."""
    import zipfile

    from goalsheet.report import is_goalsheet_output

    if not path.is_file():
        return False
    if is_goalsheet_output(path):
        return True
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/comments") and name.endswith(".xml"):
                    with z.open(name) as part:
                        if b"<author>goalsheet</author>" in part.read(4096):
                            return True
    except (OSError, zipfile.BadZipFile, ValueError):
        return False
    return False


@cli.command()
@click.argument("input", type=INPUT_PATH)
@click.option("--annotate", "annotate_to", type=usage.Path(dir_okay=False, path_type=Path),
              help="Also write a copy of INPUT with every bad cell highlighted and commented.")
@click.option("--force", is_flag=True, help="Overwrite the --annotate file even if goalsheet did not write it.")
@click.option("--lang", type=LANGS_AUTO, default="auto", show_default=True,
              help="Language of the problems; auto follows the input's sheet names.")
def check(input: Path, annotate_to: Path | None, force: bool, lang: str) -> None:
    """Validate INPUT and print every problem found (not just the first).

    The problems are the result: they go to standard output.

    \b
    Example:
        goalsheet check shop.xlsx --annotate shop-checked.xlsx
    """
    from goalsheet.paths import Input, Output, check_folder, refusal
    from goalsheet.words import Term

    if annotate_to is not None:
        annotate_to = _annotated_name(annotate_to)
        early = _lang_before_reading(lang, input)
        refused = refusal([Output(annotate_to, "--annotate", _is_annotated_copy)],
                          [Input(input, Term("input_name", "input"))], force)
        if refused:
            _refuse(refused, early)
        _write_or_exit(lambda: check_folder(annotate_to), early)
    from goalsheet.inputs import annotate, load, reading
    from goalsheet.inputs.tables import match_sheets

    with reading(input) as workbook:
        book, problems = load(workbook)
        if lang == "auto":
            lang = match_sheets(list(workbook))[2]
    _print_problems(problems, lang, to_err=False)
    errors = [p for p in problems if p.severity == "error"]
    if annotate_to is not None:
        _write_or_exit(lambda: _publish_made_file(annotate_to, lambda tmp: annotate(input, problems, tmp, lang)),
                       lang)
        click.echo(_say("annotated", lang, path=annotate_to), err=True)
    if errors:
        click.echo(_say("errors_in", lang, count=len(errors), name=input.name))
        sys.exit(1)
    click.echo(_say("ok_warnings", lang, name=input.name, count=len(problems)) if problems else
               _say("ok", lang, name=input.name))


def _publish_made_file(path: Path, make: Callable[[Path], object]) -> None:
    """`make(tmp)` writes the file to a temporary name beside `path` (same suffix), which then becomes `path`:
    the file appears whole or not at all; an OSError is `path`'s one line."""
    from goalsheet.report import made_beside

    made_beside(path, make)


@cli.command()
@click.argument("path", required=False, default="goalsheet-input.xlsx",
                type=usage.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of sheet names and headers.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def init(path: Path, lang: str, force: bool) -> None:
    """Write a blank input workbook: every sheet, headers, drop-downs, one example row, instructions.

    \b
    Example:
        goalsheet init shop.xlsx --lang en
    """
    from goalsheet.inputs.blank import write_blank
    from goalsheet.paths import Output, check_folder, never, refusal

    # a blank workbook becomes the seller's own as they fill it in: nothing existing is replaced without --force
    refused = refusal([Output(path, "PATH", never)], [], force)
    if refused:
        _refuse(refused, lang)
    _write_or_exit(lambda: check_folder(path), lang)
    _write_or_exit(lambda: _publish_made_file(path, lambda tmp: write_blank(tmp, lang=lang)), lang)
    click.echo(_say("wrote", lang, path=path))


@cli.command()
@click.argument("input", type=INPUT_PATH)
@click.option("-o", "--output", type=usage.Path(dir_okay=False, path_type=Path),
              help="Plan workbook to write (default: <input stem>-plan.xlsx beside INPUT).")
@click.option("--json", "json_out", type=usage.Path(dir_okay=False, path_type=Path),
              help="Also write the plan (headline figures and every table) as JSON.")
@click.option("--template", type=usage.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your own output template (see `goalsheet template export`).")
@click.option("--lang", type=LANGS_AUTO, default="auto", show_default=True,
              help="Output language; auto follows the input's sheet names.")
@click.option("--as-of", "as_of", metavar="YYYY-MM", callback=lambda ctx, param, value: _month_option(ctx, value),
              help="Last closed month of actuals (default: the latest).")
@click.option("--baseline", type=usage.Path(exists=True, dir_okay=False, path_type=Path),
              help="Take the plan figures from an earlier plan workbook.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT and the --json file even if goalsheet did not "
                                             "write them.")
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
    from goalsheet.paths import OutputError

    console_lang = lang_of(click.get_current_context())
    with StageLine(input.name, lang=lambda: _lang_before_reading(lang, input, console_lang)) as stages:
        try:
            result = run_plan(request, progress=stages.show)
        except OutputError as exc:
            result = None
            failure = exc
    if result is None:
        click.echo(failure.text(_lang_before_reading(lang, input)), err=True)
        sys.exit(1)
    _print_problems(result.problems, result.lang)
    if result.usage_error:
        raise usage.UsageProblem(result.usage_error, click.get_current_context(silent=True), result.lang)
    if result.file_error:
        click.echo(result.file_error, err=True)
        sys.exit(1)
    if not result.ok:
        errors = [p for p in result.problems if p.severity == "error"]
        click.echo(_say("nothing_written", result.lang, count=len(errors), name=input.name), err=True)
        sys.exit(1)
    for line in result.summary:
        click.echo(line)
    click.echo(_say("wrote", result.lang, path=result.output))


class StageLine:
    """What a long `plan` is doing, on a terminal: once the plan has run for `after` seconds, one line on
    standard error naming the stage ("reading shop.xlsx ...", "planning ...", "writing ..."; in Chinese
    "正在读取 shop.xlsx ……"), rewritten as the stage changes and cleared at the end.  Nothing when standard error
    is not a terminal (a pipe, a log file, the batch).  `lang` is the run's language, or what tells it (the
    workbook's, read from its sheet names only once the line is due)."""

    def __init__(self, name: str, after: float = 2.0, stream=None, lang: str | Callable[[], str] = "en"):
        import threading

        self.name, self.after, self.lang = name, after, lang
        self.stream = stream if stream is not None else sys.stderr
        self.active = _is_terminal(self.stream)
        self.stage = "starting"
        self.shown = False
        self.lock = threading.Lock()
        self.timer = threading.Timer(after, self._due) if self.active else None
        if self.timer is not None:
            self.timer.daemon = True

    def __enter__(self) -> "StageLine":
        if self.timer is not None:
            self.timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer.join()
        with self.lock:
            if self.shown:
                self._write("\r" + " " * self.width + "\r")
                self.shown = False
            self.active = False

    width = 0

    def show(self, stage: str) -> None:
        with self.lock:
            self.stage = stage
            if self.shown:
                self._line()

    def _due(self) -> None:
        lang = self.lang() if callable(self.lang) else self.lang
        with self.lock:
            self.lang = lang
            if self.active:
                self.shown = True
                self._line()

    def text(self) -> str:
        """The line as it shows now: the stage and the workbook, in the run's language."""
        lang = self.lang if isinstance(self.lang, str) else "en"
        return _say("stage_line", lang, stage=_say(f"stage_{self.stage}", lang), name=self.name)

    def _line(self) -> None:
        text = self.text()
        width = _columns(text)
        self._write("\r" + text + " " * max(0, self.width - width))
        self.width = max(self.width, width)

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError, UnicodeError):
            pass


def _columns(text: str) -> int:
    """Terminal columns `text` takes at most (a CJK character two, and one of ambiguous width such as … too, as
    on a CJK terminal), so a shorter line rewritten over it is padded enough."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1 for ch in text)


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


@cli.command()
@click.option("--inbox", required=True, type=usage.Path(file_okay=False, path_type=Path),
              help="Folder sellers drop workbooks into.")
@click.option("--outbox", required=True, type=usage.Path(file_okay=False, path_type=Path),
              help="Folder plans (and error reports) are written to.")
@click.option("--archive", type=usage.Path(file_okay=False, path_type=Path),
              help="Where processed inputs go (default: <inbox>/processed).")
@click.option("--jobs", default=1, show_default=True, type=usage.IntRange(1, 64), help="Workbooks in parallel.")
@click.option("--watch", is_flag=True, help="Keep polling the inbox.")
@click.option("--interval", default=60.0, show_default=True, type=usage.FloatRange(0.1),
              help="Seconds between polls with --watch.")
@click.option("--settle", default=2.0, show_default=True, type=usage.FloatRange(0),
              help="Seconds a file must stay unchanged before it is taken.")
@click.option("--time-budget", default=600.0, show_default=True, type=usage.FloatRange(1),
              help="Seconds one workbook may take; one that takes longer is failed on its own.")
@click.option("--memory-budget", default=4.0, show_default=True, type=usage.FloatRange(0.5),
              help="GiB of memory one workbook may take (Linux); one that needs more is failed on its own.")
@click.option("--lang", type=LANGS, default="en", show_default=True,
              help="Language of the console and of the log's details (a workbook's error report is in its own "
                   "language).")
def run(inbox: Path, outbox: Path, archive: Path | None, jobs: int, watch: bool, interval: float,
        settle: float, time_budget: float, memory_budget: float, lang: str) -> None:
    """Plan every workbook in an inbox, unattended (for cron / Task Scheduler).

    \b
    Example:
        goalsheet run --inbox /srv/plans/in --outbox /srv/plans/out --jobs 2
        goalsheet run --inbox /srv/plans/in --outbox /srv/plans/out --lang zh
    """
    from goalsheet.batch import Budget, run_batch

    code = run_batch(inbox=inbox, outbox=outbox, archive=archive, jobs=jobs, watch=watch, interval=interval,
                     settle=settle, budget=Budget(seconds=time_budget, memory_gib=memory_budget), lang=lang)
    sys.exit(code)


@cli.command("import")
@click.argument("reports", nargs=-1, required=True, type=INPUT_PATH)
@click.option("--into", "into", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The input workbook to write (made from the init layout when it does not exist).")
@click.option("--store", help="The store of the reports (default: from each report, its file name or the book).")
@click.option("--month", metavar="YYYY-MM", callback=lambda ctx, param, value: _month_option(ctx, value, "--month"),
              help="The month of a report that does not say it (a Business Report).")
@click.option("--force", is_flag=True, help="Replace Sales figures you typed for the imported store-months.")
@click.option("--lang", type=LANGS, default=None, help="Language of a new book and of the lines printed "
                                                      "(default: the book's; zh for a new book).")
@click.option("--refresh", is_flag=True, help="Replace SKU values an earlier import derived from a report (never "
                                              "one you typed).")
def import_(reports: tuple[Path, ...], into: Path, store: str | None, month: str | None, force: bool,
            lang: str | None, refresh: bool) -> None:
    """Read Seller Central reports as downloaded into the input workbook's Sales sheet.

    \b
    Example:
        goalsheet import BusinessReport_2025-01-01_2025-01-31.csv --into shop.xlsx --store "Shop US"
        goalsheet import orders.txt transactions.csv ads.xlsx --into shop.xlsx
    """
    from goalsheet.imports import import_reports
    from goalsheet.imports.problems import ReportError
    from goalsheet.paths import OutputError

    if any(into.resolve() == r.resolve() for r in reports):
        raise click.UsageError(_say("import_book_is_report", lang or "en", book=into))
    try:
        result = import_reports(list(reports), into, store=store, month=month, force=force, lang=lang,
                                refresh=refresh)
    except ReportError as exc:
        click.echo(exc.line(lang or "en"), err=True)
        sys.exit(1)
    except OutputError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for line in result.lines:
        click.echo(line)


@cli.group()
def template() -> None:
    """Output templates: export the default one to restyle, then plan with it.

    \b
    Example:
        goalsheet template export my-template.xlsx --lang en
    """


@template.command("export")
@click.argument("path", type=usage.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--force", is_flag=True, help="Overwrite PATH even if it is not an unchanged exported template.")
def template_export(path: Path, lang: str, force: bool) -> None:
    """Write the default output template to PATH, to restyle in Excel or WPS.

    \b
    Example:
        goalsheet template export my-template.xlsx --lang en
        goalsheet plan shop.xlsx --template my-template.xlsx
    """
    import shutil

    from goalsheet.report import default_template, made_beside
    from goalsheet.paths import Output, check_folder, refusal

    def unchanged_export(existing: Path) -> bool:
        """An export nobody has restyled yet: byte for byte a shipped template (a restyled one is the user's)."""
        shipped = [default_template(lg).read_bytes() for lg in ("en", "zh")]
        try:
            if not existing.is_file() or existing.stat().st_size not in {len(b) for b in shipped}:
                return False
            return existing.read_bytes() in shipped
        except OSError:
            return False

    refused = refusal([Output(path, "PATH", unchanged_export)], [], force)
    if refused:
        _refuse(refused, lang)
    _write_or_exit(lambda: check_folder(path), lang)
    _write_or_exit(lambda: made_beside(path, lambda tmp: shutil.copyfile(default_template(lang), tmp)), lang)
    click.echo(_say("wrote", lang, path=path))


def main() -> None:
    """Console entry point; never lets a traceback reach the seller."""
    printable_console()
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - Ctrl-C between click's own handlers
        click.echo(_say("interrupted", usage.usage_lang(sys.argv[1:])), err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - a fault of goalsheet itself: one line, and the details on request
        if os.environ.get("GOALSHEET_DEBUG") == "1":
            raise
        text = " ".join(str(exc).split())[:200]
        click.echo(_say("unexpected", usage.usage_lang(sys.argv[1:]), kind=type(exc).__name__, text=text), err=True)
        sys.exit(1)


def printable_console() -> None:
    """Standard output and error never fail on a character their encoding lacks (a GBK / CP936 console on
    Chinese Windows, output redirected to a file in that code page): such a character, which can only come
    from the seller's own text (a SKU, a sheet name) since goalsheet's messages keep to characters GBK has,
    is written as a \\uXXXX escape instead of stopping the command with a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):      # a stream already closed or not reconfigurable
                pass
