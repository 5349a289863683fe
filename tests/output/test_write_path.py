"""Writing the plan workbook: marks and the plan sheet added during the render, a goalsheet output used as a
template."""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import openpyxl

from goalsheet.report.context import plan_context
from goalsheet.report.workbook import (custom_properties, default_template, EMBED_SHEET, plan_json_text,
                                       read_embedded_plan, render_workbook, write_plan_workbook)

sys.path.insert(0, str(Path(__file__).parent))
from sample_plan import sample_plan  # noqa: E402


def test_one_plan_sheet_when_the_template_is_a_goalsheet_output(tmp_path):
    """Rendering into an earlier output (which has its own _goalsheet_plan sheet and marks) leaves one plan
    sheet, very hidden, holding the new plan, and one property of each name."""
    first = tmp_path / "first.xlsx"
    write_plan_workbook(sample_plan(), first)
    second = tmp_path / "second.xlsx"
    plan = sample_plan(feasible=False)
    write_plan_workbook(plan, second, template=first)
    wb = openpyxl.load_workbook(second, read_only=True)
    assert wb.sheetnames.count(EMBED_SHEET) == 1 and wb[EMBED_SHEET].sheet_state == "veryHidden"
    wb.close()
    assert read_embedded_plan(second)["headline"] == plan.to_json()["headline"]
    with zipfile.ZipFile(second) as z:
        assert z.read("docProps/custom.xml").count(b'name="goalsheet_plan_sha256"') == 1
    assert custom_properties(second)["goalsheet"]


def test_render_workbook_returns_bytes_without_a_path():
    """render_workbook(template, context) as before: the .xlsx bytes, unmarked."""
    data = render_workbook(default_template("en"), plan_context(sample_plan(), "en"))
    assert data[:2] == b"PK"


def test_marks_match_the_embedded_json(tmp_path):
    path = tmp_path / "plan.xlsx"
    plan = sample_plan()
    write_plan_workbook(plan, path)
    import hashlib
    assert custom_properties(path)["goalsheet_plan_sha256"] == hashlib.sha256(
        plan_json_text(plan).encode()).hexdigest()
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
