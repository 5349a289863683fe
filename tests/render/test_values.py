"""Values: native types, data that must stay data, formulas with Jinja inside, errors naming the cell."""
from __future__ import annotations

import datetime as dt
import decimal
import math
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from goalsheet.render import Template, TemplateError, render

HOSTILE = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "{{ 7*7 }}", "{% for %}", "=1+1", "{% endfor %}"]


def _one_loop(path: Path, body: list, before: list | None = None, after: list | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet"
    for row in before or []:
        ws.append(row)
    ws.append(["{% for v in values %}"])
    ws.append(body)
    ws.append(["{% endfor %}"])
    for row in after or []:
        ws.append(row)
    wb.save(path)
    return path


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def test_hostile_values_are_written_verbatim_as_text(tmp_path: Path):
    template = _one_loop(tmp_path / "t.xlsx", ["{{ v }}", "x{{ v }}"])
    out = tmp_path / "o.xlsx"
    render(template, {"values": HOSTILE}, out)
    ws = load_workbook(out)["Sheet"]
    assert [ws.cell(r, 1).value for r in range(1, len(HOSTILE) + 1)] == HOSTILE
    assert [ws.cell(r, 1).data_type for r in range(1, len(HOSTILE) + 1)] == ["s"] * len(HOSTILE)
    assert [ws.cell(r, 2).value for r in range(1, len(HOSTILE) + 1)] == ["x" + v for v in HOSTILE]
    xml = _sheet_xml(out)
    assert "<f>" not in xml
    cells = re.findall(r'<c r="A\d+"[^>]*>', xml)
    assert len(cells) == len(HOSTILE) and all('t="inlineStr"' in c for c in cells)
    # what pandas sees
    df = pd.read_excel(out, header=None, engine="calamine")
    assert list(df[0]) == HOSTILE


def test_data_inside_a_formula_becomes_a_literal(tmp_path: Path):
    """`=LEN({{ v }})`: a value becomes a quoted Excel string, so `"),HYPERLINK("x` cannot escape it.
    LEN of the 14 characters `"),HYPERLINK("x` (the quote doubled in the formula) is 14; a number goes in
    as a number: =2.5*2 = 5."""
    template = _one_loop(tmp_path / "t.xlsx", ["{{ v.name }}", "=LEN({{ v.name }})", "={{ v.n }}*2"])
    out = tmp_path / "o.xlsx"
    report = render(template, {"values": [{"name": '"),HYPERLINK("x', "n": 2.5}]}, out)
    assert report.unevaluated == ['Sheet!B1: =LEN("""),HYPERLINK(""x")']
    ws = load_workbook(out)["Sheet"]
    assert ws["B1"].value == '=LEN("""),HYPERLINK(""x")'
    assert ws["C1"].value == "=2.5*2"
    cached = load_workbook(out, data_only=True)["Sheet"]
    assert cached["C1"].value == 5
    # LEN is not in the evaluator: written without a value (Excel computes it on load)
    assert cached["B1"].value is None


def test_native_types_keep_the_template_style(tmp_path: Path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet"
    values = {"i": 7, "f": 2.25, "d": dt.date(2025, 3, 1), "t": dt.datetime(2025, 3, 1, 12, 30), "b": True,
              "n": None, "nan": float("nan"), "np_i": np.int64(3), "np_f": np.float64(1.5), "np_nan": np.float64("nan"),
              "ts": pd.Timestamp("2025-04-01"), "nat": pd.NaT, "dec": decimal.Decimal("1.25"), "s": "text",
              "inf": math.inf, "np_b": np.bool_(False)}
    for i, key in enumerate(values, 1):
        ws.cell(i, 1, key)
        ws.cell(i, 2, "{{ %s }}" % key).number_format = "0.000" if key == "f" else "General"
    wb.save(tmp_path / "t.xlsx")
    out = tmp_path / "o.xlsx"
    render(tmp_path / "t.xlsx", values, out)
    got = {ws.cell(r, 1).value: ws.cell(r, 2) for r, ws in
           ((r, load_workbook(out)["Sheet"]) for r in range(1, len(values) + 1))}
    assert got["i"].value == 7 and got["i"].data_type == "n"
    assert got["f"].value == 2.25 and got["f"].number_format == "0.000"
    assert got["d"].value == dt.datetime(2025, 3, 1) and got["d"].is_date
    assert got["t"].value == dt.datetime(2025, 3, 1, 12, 30) and got["t"].is_date
    assert got["b"].value is True
    for blank in ("n", "nan", "np_nan", "nat", "inf"):
        assert got[blank].value is None, blank
    assert got["np_i"].value == 3 and got["np_f"].value == 1.5
    assert got["ts"].value == dt.datetime(2025, 4, 1)
    assert got["dec"].value == 1.25
    assert got["s"].value == "text"
    assert got["np_b"].value is False


def test_mixed_text_renders_as_text(tmp_path: Path):
    template = _one_loop(tmp_path / "t.xlsx", ["{{ v }} units", "{% if v > 1 %}many{% else %}one{% endif %}",
                                               "{{ none }}-{{ v|round(1) }}"])
    out = tmp_path / "o.xlsx"
    render(template, {"values": [1, 2.25]}, out)
    ws = load_workbook(out)["Sheet"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["1 units", "one", "-1"],
                                                                 ["2.25 units", "many", "-2.2"]]


def test_a_dataframe_loops_over_its_rows(tmp_path: Path):
    template = _one_loop(tmp_path / "t.xlsx", ["{{ v.sku }}", "{{ v.units }}"], after=[["Total", "=SUM(B2:B2)"]])
    out = tmp_path / "o.xlsx"
    render(template, {"values": pd.DataFrame({"sku": ["a", "b"], "units": [3, 4]})}, out)
    ws = load_workbook(out, data_only=True)["Sheet"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["a", 3], ["b", 4], ["Total", 7]]


@pytest.mark.parametrize("cell, text, message", [
    ("B2", "{{ montly }}", "unknown name 'montly'"),
    ("B2", "{{ v.montly }}", "v has no attribute 'montly'"),
    ("C2", "total {{ v.a.b }}", "v.a has no attribute 'b'"),
    ("B2", "{{ v|nosuchfilter }}", "unknown filter 'nosuchfilter'"),
    ("B2", "{{ v. }}", "cannot read"),
    ("B2", "=SUM({{ montly }})", "unknown name 'montly'"),
])
def test_errors_name_the_template_cell(tmp_path: Path, cell: str, text: str, message: str):
    wb = Workbook()
    ws = wb.active
    ws.title = "Profit"
    ws["A1"] = "{% for v in values %}"
    ws[cell] = text
    ws["A3"] = "{% endfor %}"
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(TemplateError) as info:
        render(tmp_path / "t.xlsx", {"values": [{"a": {}}]}, tmp_path / "o.xlsx")
    assert info.value.where == f"Profit!{cell}"
    assert message in info.value.message
    assert str(info.value).startswith(f"Profit!{cell}: ")
    assert not (tmp_path / "o.xlsx").exists()


@pytest.mark.parametrize("a1, a3, where, message", [
    ("{% for v in montly %}", "{% endfor %}", "Profit!A1", "unknown name 'montly'"),
    ("{% for v in values %}", None, "Profit!A1", "without a matching {% endfor %}"),
    (None, "{% endfor %}", "Profit!A3", "without a {% for %}"),
    ("{% for v in %}", "{% endfor %}", "Profit!A1", "bad loop tag"),
])
def test_loop_tag_errors_name_the_cell(tmp_path: Path, a1, a3, where, message):
    wb = Workbook()
    ws = wb.active
    ws.title = "Profit"
    ws["A1"], ws["A3"], ws["B2"] = a1, a3, "x"
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(TemplateError) as info:
        Template(tmp_path / "t.xlsx").render({"values": [1]}, tmp_path / "o.xlsx")
    assert info.value.where == where
    assert message in info.value.message


def test_the_sandbox_holds(tmp_path: Path):
    template = _one_loop(tmp_path / "t.xlsx", ["{{ v.__class__.__mro__ }}"])
    with pytest.raises(TemplateError) as info:
        render(template, {"values": [1]}, tmp_path / "o.xlsx")
    assert info.value.where == "Sheet!A2"


def test_running_totals_use_absolute_rows_like_excel_fill_down(tmp_path: Path):
    """Row 2 is the loop body: `=SUM(B$2:B2)` -> row k: `=SUM(B$1:Bk)`; values 1, 2, 3 give running totals
    1, 3, 6; `=B2/B$6` divides by the total below (template row 6 -> output row 4 = 6)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet"
    ws["A1"] = "{% for v in values %}"
    ws["B2"], ws["C2"], ws["D2"] = "{{ v }}", "=SUM(B$2:B2)", "=B2/B$4"
    ws["A3"] = "{% endfor %}"
    ws["A4"], ws["B4"] = "Total", "=SUM(B2:B2)"
    wb.save(tmp_path / "t.xlsx")
    out = tmp_path / "o.xlsx"
    render(tmp_path / "t.xlsx", {"values": [1, 2, 3]}, out)
    ws = load_workbook(out)["Sheet"]
    assert [ws.cell(r, 3).value for r in (1, 2, 3)] == ["=SUM(B$1:B1)", "=SUM(B$1:B2)", "=SUM(B$1:B3)"]
    assert [ws.cell(r, 4).value for r in (1, 2, 3)] == ["=B1/B$4", "=B2/B$4", "=B3/B$4"]
    cached = load_workbook(out, data_only=True)["Sheet"]
    assert [cached.cell(r, 3).value for r in (1, 2, 3)] == [1, 3, 6]
    assert [cached.cell(r, 4).value for r in (1, 2, 3)] == pytest.approx([1 / 6, 2 / 6, 3 / 6])


def test_other_sheets_references_follow_the_rendered_sheet(tmp_path: Path):
    """Summary!B1 `=Data!B4` points at Data's total row (template row 4); with 4 items the loop adds 3
    rows minus 2 tag rows: the total lands on row 5 = 10 + 20 + 30 + 40 = 100."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    summary["A1"], summary["B1"], summary["B2"] = "Total", "=Data!B4", "=SUM(Data!B2:B2)/2"
    data = wb.create_sheet("Data")
    data["A1"], data["B2"], data["A3"], data["B4"] = "{% for v in values %}", "{{ v }}", "{% endfor %}", "=SUM(B2:B2)"
    wb.save(tmp_path / "t.xlsx")
    out = tmp_path / "o.xlsx"
    render(tmp_path / "t.xlsx", {"values": [10, 20, 30, 40]}, out)
    wb = load_workbook(out)
    assert wb["Summary"]["B1"].value == "=Data!B5"
    assert wb["Summary"]["B2"].value == "=SUM(Data!B1:B4)/2"
    cached = load_workbook(out, data_only=True)
    assert cached["Summary"]["B1"].value == 100
    assert cached["Summary"]["B2"].value == 50


def test_evaluator_functions(tmp_path: Path):
    """Hand-worked: values 2, -3.5, 4 -> SUM 2.5, AVERAGE 0.8333, MIN -3.5, MAX 4, COUNT 3,
    ROUND(2.675, 2) = 2.68 (half away from zero on the decimal), IF(SUM>2, "big", "small") = "big",
    IFERROR(1/0, -1) = -1, SUMPRODUCT(B1:B3, B1:B3) = 4 + 12.25 + 16 = 32.25, "a"&1.5 = "a1.5",
    AND(TRUE, 1>2) = FALSE, 10%*3 = 0.3, -2^2 = 4 (negation first, as in Excel), ABS(-3.5) = 3.5,
    COUNTIF(A:A, "m*") = 2 (the labels min and max)."""
    template = _one_loop(tmp_path / "t.xlsx", [None, "{{ v }}"], after=[
        ["sum", "=SUM(B2:B2)"], ["avg", "=AVERAGE(B2:B2)"], ["min", "=MIN(B2:B2)"], ["max", "=MAX(B2:B2)"],
        ["count", "=COUNT(B2:B2)"], ["round", "=ROUND(2.675,2)"], ["if", '=IF(SUM(B2:B2)>2,"big","small")'],
        ["iferror", "=IFERROR(1/0,-1)"], ["sumproduct", "=SUMPRODUCT(B2:B2,B2:B2)"], ["concat", '="a"&1.5'],
        ["and", "=AND(TRUE,1>2)"], ["pct", "=10%*3"], ["pow", "=-2^2"], ["abs", "=ABS(MIN(B2:B2))"],
        ["div0", "=1/0"], ["countif", '=COUNTIF(A:A,"m*")']])
    out = tmp_path / "o.xlsx"
    render(template, {"values": [2, -3.5, 4]}, out)
    ws = load_workbook(out, data_only=True)["Sheet"]
    got = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(4, ws.max_row + 1)}
    assert got == {"sum": 2.5, "avg": pytest.approx(2.5 / 3), "min": -3.5, "max": 4, "count": 3, "round": 2.68,
                   "if": "big", "iferror": -1, "sumproduct": 32.25, "concat": "a1.5", "and": False,
                   "pct": pytest.approx(0.3), "pow": 4, "abs": 3.5, "div0": "#DIV/0!", "countif": 2}


def test_before_save_hook_and_file_objects(tmp_path: Path):
    """`before_save` sees the openpyxl workbook last: a custom property and an extra sheet it adds are kept;
    the output may be a binary file object."""
    import io

    from openpyxl.packaging.custom import StringProperty
    template = _one_loop(tmp_path / "t.xlsx", ["{{ v }}"])

    def mark(wb):
        wb.custom_doc_props.append(StringProperty(name="made_by", value="goalsheet"))
        wb.create_sheet("_extra")["A1"] = "kept"

    buf = io.BytesIO()
    Template(template.read_bytes()).render({"values": [1, 2]}, buf, before_save=mark)
    buf.seek(0)
    wb = load_workbook(buf)
    assert wb.custom_doc_props["made_by"].value == "goalsheet"
    assert wb["_extra"]["A1"].value == "kept"
    assert [c.value for c in wb["Sheet"]["A"]] == [1, 2]
