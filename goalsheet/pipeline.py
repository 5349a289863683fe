"""`goalsheet plan` as a library call: read -> validate -> plan -> render -> write.

`run_plan` is what the CLI and the batch runner both call.  It never raises for
a seller's mistake: problems come back as values, and nothing is written when
the input has errors.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

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
    book, problems = _load_while_starting_up(request.input)
    if book is None or any(p.severity == "error" for p in problems):
        return PlanResult(ok=False, problems=problems)
    baseline = None
    if request.baseline is not None:
        from goalsheet.output import read_embedded_plan
        baseline = read_embedded_plan(request.baseline)
        if baseline is None:
            return PlanResult(ok=False, usage_error=f"{request.baseline} holds no goalsheet plan")
    from goalsheet.output import write_plan_workbook
    from goalsheet.plan import make_plan

    plan, plan_problems = make_plan(book, as_of=request.as_of, baseline=baseline)
    problems = problems + plan_problems
    if any(p.severity == "error" for p in plan_problems):
        return PlanResult(ok=False, problems=problems)
    lang = book.lang if request.lang == "auto" else request.lang
    from goalsheet.render import TemplateError
    try:
        write_plan_workbook(plan, output, lang=lang, template=request.template)
    except TemplateError as exc:  # a user's template names an unknown field or has a bad tag
        where = request.template.name if request.template else "default template"
        return PlanResult(ok=False, problems=problems, usage_error=f"template {where}: {exc}")
    if request.json_out is not None:
        tmp = request.json_out.with_name(request.json_out.name + ".tmp")
        tmp.write_text(json.dumps(plan.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(request.json_out)
    return PlanResult(ok=True, problems=problems, output=output, summary=plan.summary_lines(), plan=plan)


def _load_while_starting_up(path: Path) -> tuple[object, list[Problem]]:
    """`inputs.load`, its sheets parsed on worker threads while this thread imports the planner, the output
    and the template engine (pandas, openpyxl, jinja2: ~0.5 s that used to come before the read).  The
    planner's modules proper (`make_plan` imports them on first call) come too: on a large workbook this
    thread would otherwise sit waiting for the Sales sheet."""
    from goalsheet.inputs import load, reading

    with reading(path) as workbook:
        import goalsheet.output  # noqa: F401
        import goalsheet.plan.assemble  # noqa: F401
        import goalsheet.render  # noqa: F401
        return load(workbook)
