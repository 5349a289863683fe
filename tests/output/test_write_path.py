"""Writing the plan workbook: marks and the plan sheet added during the render, the Assumptions sheet refitted
with every other part copied still compressed, a goalsheet output used as a template."""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import openpyxl

from goalsheet.output import (EMBED_SHEET, custom_properties, plan_json_text, read_embedded_plan,
                              render_workbook, default_template, plan_context, write_plan_workbook)

sys.path.insert(0, str(Path(__file__).parent))
from refit_reference import copy_package  # noqa: E402
from sample_plan import sample_plan  # noqa: E402


def test_copy_package_swaps_only_the_given_parts(tmp_path):
    """Three parts a, b, c; b replaced: a and c come out byte for byte (and with their compressed bytes
    unchanged), b is the new text, the order stays a, b, c and the zip checks clean."""
    src = tmp_path / "src.zip"
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xml", "<a>" + "x" * 5000 + "</a>")
        z.writestr("b.xml", "<b/>")
        z.writestr("c/d.xml", "<c>" + "y" * 3000 + "</c>")
    dst = tmp_path / "dst.zip"
    with zipfile.ZipFile(src) as z:
        copy_package(z, dst, {"b.xml": b"<b>new</b>"})
    with zipfile.ZipFile(dst) as out, zipfile.ZipFile(src) as before:
        assert out.testzip() is None
        assert out.namelist() == ["a.xml", "b.xml", "c/d.xml"]
        assert out.read("a.xml") == before.read("a.xml") and out.read("c/d.xml") == before.read("c/d.xml")
        assert out.read("b.xml") == b"<b>new</b>"
        assert out.getinfo("a.xml").compress_size == before.getinfo("a.xml").compress_size


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
