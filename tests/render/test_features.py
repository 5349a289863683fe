"""Every feature of the template engine on one template (tests/render/conftest.py), read back.

The context has FIVE stores so that everything below the loop moves.  The Data sheet's template rows
  1 title, 2 header, 3 {% for %}, 4 body, 5 {% endfor %}, 6 Total, 7 Notes
become
  1 title, 2 header, 3..7 the five stores, 8 Total, 9 Notes
(the two tag rows go, the body row becomes five rows: 7 - 3 + 5 = 9 rows, everything below +2).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from goalsheet.render import Template, render
@pytest.fixture
def rendered(feature_template: Path, context: dict, five_stores: list, tmp_path: Path):
    context["stores"] = five_stores
    out = tmp_path / "out.xlsx"
    report = render(feature_template, context, out)
    return out, report


def test_row_loop_repeats_the_body_and_drops_the_tag_rows(rendered):
    out, _ = rendered
    ws = load_workbook(out)["Data"]
    assert ws["A1"].value == "Report FY2025"
    assert [ws.cell(r, 1).value for r in range(2, 10)] == ["Store", "US-1", "UK-1", "DE-1", "FR-1", "JP-1",
                                                            "Total", "Notes"]
    assert ws["B3"].value == 120.0 and ws["C7"].value == 30
    assert ws["B3"].number_format == "#,##0.00" and ws["B7"].number_format == "#,##0.00"
    assert ws["B5"].font.b


def test_formulas_fill_down_and_totals_stretch(rendered):
    """D4 `=B4/C4` is filled down (D3 = B3/C3 ... D7 = B7/C7); `=SUM(B4:B4)` under the loop becomes
    `=SUM(B3:B7)`; `=SUM(C3:C5)`, which spans both tag rows, covers exactly the generated rows."""
    out, _ = rendered
    ws = load_workbook(out)["Data"]
    assert [ws.cell(r, 4).value for r in range(3, 8)] == [f"=B{r}/C{r}" for r in range(3, 8)]
    assert ws["B8"].value == "=SUM(B3:B7)"
    assert ws["C8"].value == "=SUM(C3:C7)"
    assert ws["D8"].value == "=B8/C8"


def test_formula_cells_carry_their_values(rendered):
    """Worked by hand: sales 120 + 80.5 + 99.5 + 50 + 150 = 500; units 12 + 7 + 10 + 5 + 30 = 64;
    price 500 / 64 = 7.8125; D3 = 120 / 12 = 10; H2 = total_sales * 2 = 1000; H10 (H8 moved by 2)
    = SUM(sales) = 500.  Months: US-1's row 1 + 2 + ... + 12 = 78; the Jan column 1 + 10 + 0.5 + 1 + 2
    = 14.5; the grand total of the Total column 78 + 120 + 6 + 12 + 24 = 240."""
    out, _ = rendered
    wb = load_workbook(out, data_only=True)
    ws = wb["Data"]
    assert ws["B8"].value == 500.0
    assert ws["C8"].value == 64.0
    assert ws["D8"].value == pytest.approx(7.8125)
    assert ws["D3"].value == 10.0
    assert ws["H2"].value == 1000.0
    assert ws["H10"].value == 500.0
    mo = wb["Months"]
    assert mo["N2"].value == 78.0
    assert mo["B7"].value == 14.5
    assert mo["N7"].value == 240.0


def test_no_formula_left_without_value_and_full_calc_on_load(rendered):
    out, report = rendered
    assert report.unevaluated == []
    with zipfile.ZipFile(out) as z:
        assert 'fullCalcOnLoad="1"' in z.read("xl/workbook.xml").decode()
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name).decode()
                assert xml.count("<f>") == xml.count("</f><v>"), name


def test_merged_cells_inside_above_and_below_the_loop(rendered):
    out, _ = rendered
    ws = load_workbook(out)["Data"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"A1:D1", "E3:F3", "E4:F4", "E5:F5", "E6:F6", "E7:F7", "A9:D9"}


def test_conditional_formats_validations_and_heights_follow(rendered):
    out, _ = rendered
    ws = load_workbook(out)["Data"]
    cfs = {str(cf.sqref): [r.formula for r in cf.rules] for cf in ws.conditional_formatting}
    assert cfs == {"B3:B7": [["100"]], "B8": [["$B$3"]]}
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["C3:C7"]
    assert [r for r in range(1, 10) if ws.row_dimensions[r].height == 25] == [3, 4, 5, 6, 7]
    assert ws.column_dimensions["B"].width == 20


def test_names_print_area_filter_and_panes_follow(rendered):
    out, _ = rendered
    wb = load_workbook(out)
    ws = wb["Data"]
    assert wb.defined_names["sales"].attr_text == "Data!$B$3:$B$7"
    assert wb.defined_names["total_sales"].attr_text == "Data!$B$8"
    assert ws.defined_names["units"].attr_text == "Data!$C$3:$C$7"
    assert ws.print_area == "'Data'!$A$1:$F$9"
    assert ws.print_title_rows == "$2:$2"
    assert ws.auto_filter.ref == "A2:D7"
    assert ws.freeze_panes == "B3"


def test_chart_series_cover_the_generated_rows_and_the_anchor_moves(rendered):
    out, _ = rendered
    ws = load_workbook(out)["Data"]
    (chart,) = ws._charts
    (series,) = chart.series
    assert series.val.numRef.f == "'Data'!$B$3:$B$7"
    cat = series.cat.numRef or series.cat.strRef
    assert cat.f == "'Data'!$A$3:$A$7"
    assert (chart.anchor._from.row, chart.anchor._from.col) == (11, 7)      # H10 -> H12 (0-based 11)
    # the cached points are the five stores' sales, for viewers that do not calculate
    assert [p.v for p in series.val.numRef.numCache.pt] == [120.0, 80.5, 99.5, 50.0, 150.0]
    assert [p.v for p in cat.strCache.pt] == ["US-1", "UK-1", "DE-1", "FR-1", "JP-1"]


def test_column_loop(rendered):
    """Tag columns B and D go; C repeats for the 12 months (B..M); E (Total) lands in N, F in O."""
    out, _ = rendered
    mo = load_workbook(out)["Months"]
    assert [mo.cell(1, c).value for c in range(1, 16)] == ["Store", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Total",
                                                           "=Data!B8"]
    assert mo["N2"].value == "=SUM(B2:M2)"
    assert mo["C7"].value == "=SUM(C2:C6)"         # per month column, over the 5 store rows
    assert mo["N7"].value == "=SUM(N2:N6)"
    assert [mo.column_dimensions[L].width for L in "BCM"] == [7, 7, 7]
    assert mo.column_dimensions["N"].width == 15
    merged = {str(r) for r in mo.merged_cells.ranges}
    assert merged == {f"{L}8:{L}9" for L in "BCDEFGHIJKLM"}
    assert mo["B8"].value == "JAN" and mo["M8"].value == "DEC"


def test_nested_loops_with_subtotals(rendered):
    """US-1: 70 + 50 = 120; UK-1: 80.5; DE-1: 40 + 39.5 + 20 = 99.5; FR-1 has no SKU: its inner loop leaves
    one empty row and its subtotal is 0; JP-1: 150.  The SUMIF grand total adds the subtotals:
    120 + 80.5 + 99.5 + 0 + 150 = 450."""
    out, _ = rendered
    wb = load_workbook(out, data_only=True)
    ne = wb["Nested"]
    col_a = [ne.cell(r, 1).value for r in range(1, ne.max_row + 1)]
    assert col_a[:5] == ["Store / SKU", "US-1", "A1", "A2", "Subtotal"]
    subtotals = [ne.cell(r, 2).value for r, v in enumerate(col_a, 1) if v == "Subtotal"]
    assert subtotals == [120.0, 80.5, 99.5, 0, 150.0]
    fr = col_a.index("FR-1")
    assert col_a[fr + 1: fr + 3] == [None, "Subtotal"]
    assert ne.cell(col_a.index("Grand total") + 1, 2).value == 450.0
    assert ne["C3"].value == "1/2 of 1" and ne["C4"].value == "2/2 of 1"


def test_a_template_is_compiled_once_and_rendered_many_times(feature_template: Path, context: dict,
                                                             five_stores: list, tmp_path: Path):
    template = Template(feature_template)
    for n in (1, 3, 5):
        context["stores"] = five_stores[:n]
        out = tmp_path / f"out{n}.xlsx"
        template.render(context, out)
        ws = load_workbook(out, data_only=True)["Data"]
        assert ws.cell(3 + n, 1).value == "Total"
        assert ws.cell(3 + n, 2).value == sum(s["sales"] for s in five_stores[:n])


def test_an_empty_loop_leaves_one_empty_row_and_totals_show_zero(feature_template: Path, context: dict,
                                                                 tmp_path: Path):
    """No stores: rows 1 title, 2 header, 3 (empty placeholder), 4 Total = SUM(B3:B3) = 0, 5 Notes."""
    context["stores"] = []
    out = tmp_path / "empty.xlsx"
    render(feature_template, context, out)
    wb = load_workbook(out)
    ws = wb["Data"]
    assert [ws.cell(r, 1).value for r in range(1, 6)] == ["Report FY2025", "Store", None, "Total", "Notes"]
    assert ws["B4"].value == "=SUM(B3:B3)"
    assert load_workbook(out, data_only=True)["Data"]["B4"].value == 0
    assert {str(r) for r in ws.merged_cells.ranges} >= {"A1:D1", "A5:D5"}
