"""Console conventions (goalsheet/cli.py): `check`'s findings are its result (standard output), diagnostics go to
standard error, a long plan shows its stage on a terminal only, every line prints on a GBK console, and a missing
input is a usage error."""
from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clirun import GOLDEN, invoke, lines, listing, run  # noqa: E402

from goalsheet.cli import StageLine  # noqa: E402


def _bad_book(tmp_path: Path, price: str = "abc") -> Path:
    path = tmp_path / "bad.xlsx"
    wb = openpyxl.load_workbook(GOLDEN)
    wb["SKUs"]["F2"] = price
    wb.save(path)
    return path


def test_check_prints_its_findings_on_standard_output(tmp_path):
    bad = _bad_book(tmp_path)
    code, out, err = invoke("check", bad, "--annotate", tmp_path / "marked.xlsx")
    assert code == 1
    assert any(line.startswith("SKUs!F2:") for line in lines(out))
    assert lines(out)[-1] == "1 error(s) in bad.xlsx"
    assert lines(err) == [f"annotated copy: {tmp_path / 'marked.xlsx'}"]           # a diagnostic


def test_plan_prints_its_result_on_standard_output_and_the_problems_on_standard_error(tmp_path):
    code, out, err = invoke("plan", GOLDEN, "-o", tmp_path / "p.xlsx")
    assert code == 0
    assert lines(out)[-1] == f"wrote {tmp_path / 'p.xlsx'}" and lines(out)[0].startswith("plan year ")
    assert lines(err) and all(line.startswith("warning: ") for line in lines(err))


def test_a_missing_input_is_a_usage_error(tmp_path):
    for command in ("check", "plan"):
        code, out, err = invoke(command, tmp_path / "nowhere.xlsx")
        assert code == 2 and "nowhere.xlsx" in err and "does not exist" in err
    assert listing(tmp_path) == {}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_stage_line_shows_once_due_and_is_cleared_at_the_end():
    tty = _Terminal()
    with StageLine("shop.xlsx", after=3600, stream=tty) as stages:
        stages.show("reading")
        assert tty.getvalue() == ""                       # not due yet: a short plan shows nothing
        stages._due()
        stages.show("planning")
    shown = tty.getvalue()
    assert shown.startswith("\rreading shop.xlsx ...\rplanning shop.xlsx ...")
    assert shown.endswith("\r" + " " * len("planning shop.xlsx ...") + "\r")


def test_no_stage_line_when_standard_error_is_not_a_terminal():
    pipe = io.StringIO()
    with StageLine("shop.xlsx", after=0.0, stream=pipe) as stages:
        stages.show("reading")
        stages._due()
        stages.show("planning")
    assert pipe.getvalue() == ""


def test_the_plan_tells_its_stages_in_order(tmp_path):
    from goalsheet.pipeline import PlanRequest, run_plan
    told: list[str] = []
    result = run_plan(PlanRequest(input=GOLDEN, output=tmp_path / "p.xlsx"), progress=told.append)
    assert result.ok
    assert told == ["reading", "planning", "writing"]


def _gbk_lines(raw: bytes) -> list[str]:
    return lines(raw.decode("gbk"))                     # raises if anything is not GBK


def test_every_line_prints_on_a_gbk_console(tmp_path):
    """The seller's own text outside GBK (an emoji, the euro sign in Python's GBK) is escaped, not a crash;
    goalsheet's own words need no escape."""
    bad = _bad_book(tmp_path, price="12€😀")
    env = {"PYTHONIOENCODING": "gbk"}
    checked = run("check", bad, env=env)
    assert checked.returncode == 1
    out = _gbk_lines(checked.stdout)
    assert any(line.startswith("SKUs!F2:") and "\\U0001f600" in line for line in out)
    assert b"Traceback" not in checked.stderr
    shutil.copyfile(GOLDEN, tmp_path / "店铺.xlsx")
    planned = run("plan", tmp_path / "店铺.xlsx", env=env)
    assert planned.returncode == 0, planned.stderr
    printed = _gbk_lines(planned.stdout) + _gbk_lines(planned.stderr)
    assert _gbk_lines(planned.stdout)[-1].endswith("店铺-plan.xlsx")
    assert not any("\\u" in line or "\\U" in line for line in printed)
