"""`goalsheet plan` as a library call: read -> validate -> plan -> render -> write.

`run_plan` is what the CLI and the batch runner both call.  It never raises for
a seller's mistake: problems come back as values, and nothing is written when
the input has errors.
"""
from __future__ import annotations

import json
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


def default_output(input: Path) -> Path:
    return input.with_name(f"{input.stem}-plan.xlsx")


def run_plan(request: PlanRequest) -> PlanResult:
    output = request.output or default_output(request.input)
    if output.resolve() == request.input.resolve():
        return PlanResult(ok=False, usage_error="the output would overwrite the input; choose another -o")
    if output.exists() and not request.force:
        from goalsheet.output import is_goalsheet_output    # before the read starts: a refused run parses nothing
        if not is_goalsheet_output(output):
            return PlanResult(ok=False, usage_error=f"{output} exists and was not written by goalsheet; "
                                                    f"use --force to overwrite it")
    from goalsheet.gc_pause import survivors_frozen
    template = _Template(request)
    with survivors_frozen() as freeze:
        book, problems = _load_while_starting_up(request.input, template.compile_for_sheets)
        freeze()            # what the read made and kept lives until the end: see survivors_frozen
        return _plan_loaded(request, output, book, problems, template)


class _Template:
    """The output template, compiled once, when this thread would otherwise wait: during the read when the
    Sales sheet is still being parsed once the imports are done (a large workbook), else while the plan's
    capital is made in a child process (see plan.assemble.PlanUnderWay).  A template that cannot be compiled is
    reported only once the plan has no errors, as when it was compiled last."""

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
        from goalsheet.output import default_template, load_template
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
                 template: _Template) -> PlanResult:
    if book is None or any(p.severity == "error" for p in problems):
        return PlanResult(ok=False, problems=problems)
    baseline = None
    if request.baseline is not None:
        from goalsheet.output import read_embedded_plan
        baseline = read_embedded_plan(request.baseline)
        if baseline is None:
            return PlanResult(ok=False, usage_error=f"{request.baseline} holds no goalsheet plan")
    from goalsheet.output import write_plan_workbook
    from goalsheet.plan import start_plan
    from goalsheet.render import TemplateError

    lang = template.lang_for(book.lang)
    under_way = start_plan(book, as_of=request.as_of, baseline=baseline)
    template.compile(lang)          # unless the read compiled it: while the plan's capital is made elsewhere
    plan, plan_problems = under_way.finish()
    problems = problems + plan_problems
    if any(p.severity == "error" for p in plan_problems):
        return PlanResult(ok=False, problems=problems)
    try:
        write_plan_workbook(plan, output, lang=lang, template=request.template, compiled=template.get(lang))
    except TemplateError as exc:
        where = request.template.name if request.template else "default template"
        return PlanResult(ok=False, problems=problems, usage_error=f"template {where}: {exc}")
    if request.json_out is not None:
        tmp = request.json_out.with_name(request.json_out.name + ".tmp")
        tmp.write_text(json.dumps(plan.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(request.json_out)
    return PlanResult(ok=True, problems=problems, output=output, summary=plan.summary_lines(), plan=plan)


def _load_while_starting_up(path: Path, while_parsing: Callable[[list[str]], None] | None = None
                            ) -> tuple[object, list[Problem]]:
    """`inputs.load`, its sheets parsed on worker threads while this thread imports the planner, the output
    and the template engine (pandas, openpyxl, jinja2: ~0.5 s that used to come before the read).  The
    planner's modules proper (`make_plan` imports them on first call) come too: on a large workbook this
    thread would otherwise sit waiting for the Sales sheet.  If the sheets are still being parsed once the
    imports are done, `while_parsing(sheet names)` is called then (the pipeline compiles its template)."""
    from goalsheet.inputs import load, reading

    with reading(path) as workbook:
        import goalsheet.output  # noqa: F401
        import goalsheet.plan.assemble  # noqa: F401
        import goalsheet.render  # noqa: F401
        if while_parsing is not None and workbook.parsing():
            while_parsing(list(workbook))
        return load(workbook)
