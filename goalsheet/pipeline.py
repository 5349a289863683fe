"""`goalsheet plan` as a library call: read -> validate -> plan -> render -> write.

`run_plan` is what the CLI and the batch runner both call.  It never raises for
a seller's mistake: problems come back as values, and nothing is written when
the input has errors.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:          # the model imports pandas: see `_load_while_starting_up`
    from goalsheet.inputs.model import Problem


@dataclass
class PlanRequest:
    input: Path
    output: Path | None = None
    json_out: Path | None = None
    template: Path | None = None
    lang: str = "auto"
    as_of: str | None = None
    baseline: Path | None = None
    force: bool = False


@dataclass
class PlanResult:
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    output: Path | None = None
    summary: list[str] = field(default_factory=list)
    usage_error: str | None = None
    plan: object | None = None
    file_error: str | None = None      # a --template or --baseline file that cannot be used: one line, exit 1
    lang: str = "en"                   # the language the run speaks to the seller (--lang, or the input's)
    input_lang: str | None = None      # the input's own language, when its sheets could be told (None: unknown)


def default_output(input: Path) -> Path:
    return input.with_name(f"{input.stem}-plan.xlsx")


def run_plan(request: PlanRequest, progress: Callable[[str], None] | None = None) -> PlanResult:
    """Plan `request.input` and write the plan workbook (and `--json`).  A seller's mistake and a refused output
    (one of the inputs, or a file goalsheet did not write, without --force) come back in the result; a file
    that cannot be written raises `goalsheet.paths.OutputError` (an OSError, one line naming it), with nothing
    written.  `progress(stage)` is told "reading", "planning" and "writing" as each starts."""
    output = request.output or default_output(request.input)
    refused = _refused_outputs(request, output)       # before the read starts: a refused run parses nothing
    if refused:
        lang = _lang_before_reading(request)
        return PlanResult(ok=False, usage_error=refused.text(lang), lang=lang)
    tell = progress or (lambda stage: None)
    template = _Template(request)
    tell("reading")
    sheet_names: list[str] = []
    book, problems = _load_while_starting_up(request.input, template.compile_for_sheets, sheet_names)
    from goalsheet.inputs.tables import match_sheets
    matched, _, guessed = match_sheets(sheet_names) if book is None else ({}, [], book.lang)
    lang = request.lang if request.lang != "auto" else guessed
    result = _plan_loaded(request, output, book, problems, template, tell, lang)
    result.lang = lang
    result.input_lang = guessed if book is not None or matched else None
    if result.plan is not None:
        from goalsheet.report.words import console_summary
        result.summary = console_summary(result.plan, result.lang)
    return result


def _lang_before_reading(request: PlanRequest) -> str:
    """The run's language before the workbook is read: `--lang`, else the workbook's by its sheet names alone,
    else the console's."""
    from goalsheet.inputs.tables import workbook_lang
    from goalsheet.words import default_lang

    return request.lang if request.lang != "auto" else workbook_lang(request.input) or default_lang()


def _refused_outputs(request: PlanRequest, output: Path):
    """Why this plan must not write where it is asked to (a usage error: a `goalsheet.words.Phrase`), or None;
    raises OutputError for an output whose folder is missing (nothing has been read yet)."""
    from goalsheet.paths import Input, Output, check_folder, is_plan_json, refusal
    from goalsheet.words import Term

    def plan_workbook(path: Path) -> bool:
        from goalsheet.report import is_goalsheet_output
        return is_goalsheet_output(path)

    outputs = [Output(output, "-o" if request.output else Term("output_name", "plan"), plan_workbook)]
    if request.json_out is not None:
        outputs.append(Output(request.json_out, "--json", is_plan_json))
    inputs = [Input(request.input, Term("input_name", "input")),
              Input(request.template, Term("input_name", "template")),
              Input(request.baseline, Term("input_name", "baseline"))]
    refused = refusal(outputs, [i for i in inputs if i.path is not None], request.force)
    if refused is None:
        for out in outputs:
            check_folder(out.path)
    return refused


class _Template:
    """The output template, compiled once: during the read when the Sales sheet is still being parsed once the
    imports are done (a large workbook), else when the plan is written.  A template that cannot be compiled is
    reported only once the plan has no errors."""

    def __init__(self, request: PlanRequest):
        self.request = request
        self.compiled = None
        self.error: Exception | None = None
        self.lang: str | None = None

    def lang_for(self, book_lang: str) -> str:
        return book_lang if self.request.lang == "auto" else self.request.lang

    def compile(self, lang: str) -> None:
        if self.lang is not None:
            return
        self.lang = lang
        from goalsheet.report import default_template, load_template
        try:
            self.compiled = load_template(self.request.template or default_template(lang))
        except Exception as exc:  # noqa: BLE001 - raised once the plan is collected (TemplateError: a user's
            self.error = exc      # template names an unknown field or has a bad tag)

    def compile_for_sheets(self, sheet_names: list[str]) -> None:
        """During the read: the workbook's language from its sheet names, as the book will have it."""
        from goalsheet.inputs.validate import match_sheets
        self.compile(self.lang_for(match_sheets(sheet_names)[2]))

    def get(self, lang: str):
        """The compiled template for `lang` (compiled now if it was not, or for another language); raises what
        compiling it raised."""
        if self.lang != lang:
            self.lang = None
            self.compile(lang)
        if self.error is not None:
            raise self.error
        return self.compiled


def _plan_loaded(request: PlanRequest, output: Path, book, problems: list[Problem],
                 template: _Template, tell: Callable[[str], None], lang: str = "en") -> PlanResult:
    """The loaded book planned and written; `lang` is the language the run speaks to the seller."""
    from goalsheet.words import console

    if book is None or any(p.severity == "error" for p in problems):
        return PlanResult(ok=False, problems=problems)
    baseline = None
    if request.baseline is not None:
        from goalsheet.report import read_embedded_plan
        baseline = read_embedded_plan(request.baseline)
        if baseline is None:
            return PlanResult(ok=False, problems=problems,
                              file_error=console("baseline_no_plan", lang, path=request.baseline))
    from goalsheet.plan import make_plan
    from goalsheet.report import TemplateFileError, write_plan_workbook
    from goalsheet.render import TemplateError

    tell("planning")
    try:
        plan, plan_problems = make_plan(book, as_of=request.as_of, baseline=baseline, scenarios=True)
    except _BASELINE_FAULTS as exc:
        if baseline is None:
            raise
        return PlanResult(ok=False, problems=problems, file_error=_unusable_baseline(request.baseline, exc, lang))
    problems = problems + plan_problems
    if any(p.severity == "error" for p in plan_problems):
        return PlanResult(ok=False, problems=problems)
    tell("writing")
    try:
        write_plan_workbook(plan, output, lang=lang, template=request.template, compiled=template.get(lang),
                            json_path=request.json_out)
    except _BASELINE_FAULTS as exc:
        if baseline is None:
            raise
        return PlanResult(ok=False, problems=problems, file_error=_unusable_baseline(request.baseline, exc, lang))
    except TemplateFileError as exc:
        return PlanResult(ok=False, problems=problems, file_error=exc.text(lang))
    except TemplateError as exc:
        return PlanResult(ok=False, problems=problems, usage_error=_template_error(request, exc, lang))
    return PlanResult(ok=True, problems=problems, output=output, plan=plan)


def _template_error(request: PlanRequest, exc, lang: str) -> str:
    """A template's error in `lang`: the template and its cell, and the problem (the catalogue's words for the
    errors the engine gives a code, its English for the rare rest, which quote Jinja2's own message)."""
    from goalsheet.words import PROBLEMS, Phrase, Term, console

    template = request.template.name if request.template else Term("template_name", "default")
    message = Phrase(exc.code, exc.params) if exc.code in PROBLEMS else exc.message
    if exc.where:
        return console("template_error_at", lang, template=template, where=exc.where, message=message)
    return console("template_error", lang, template=template, message=message)


# What a plan taken from an edited --baseline (its hidden plan sheet changed, yet well-formed: see
# report.workbook._plan_shaped) can raise in the planner or the render: a column or a value of the wrong kind.
_BASELINE_FAULTS = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def _unusable_baseline(path: Path, exc: Exception, lang: str = "en") -> str:
    from goalsheet.words import console

    reason = " ".join(str(exc).split())[:120] or type(exc).__name__
    return console("baseline_unusable", lang, path=path, reason=reason)


def _load_while_starting_up(path: Path, while_parsing: Callable[[list[str]], None] | None = None,
                            sheet_names: list[str] | None = None) -> tuple[object, list[Problem]]:
    """`inputs.load`, its sheets parsed on worker threads while this thread imports the planner, the output
    and the template engine (pandas, openpyxl, jinja2: ~0.5 s that used to come before the read).  The
    planner's modules proper (`make_plan` imports them on first call) come too: on a large workbook this
    thread would otherwise sit waiting for the Sales sheet.  If the sheets are still being parsed once the
    imports are done, `while_parsing(sheet names)` is called then (the pipeline compiles its template).  Returns
    the book and the problems; `sheet_names`, when given, is filled with the workbook's sheet names."""
    from goalsheet.inputs import load, reading

    with reading(path) as workbook:
        import goalsheet.report  # noqa: F401
        import goalsheet.plan.assemble  # noqa: F401
        import goalsheet.render  # noqa: F401
        if while_parsing is not None and workbook.parsing():
            while_parsing(list(workbook))
        if sheet_names is not None:
            sheet_names.extend(workbook)
        return load(workbook)
