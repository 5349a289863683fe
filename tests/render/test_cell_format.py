"""render.Cell: a context value that carries its own number format and the least height of its row."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from goalsheet.render import Cell, render


def _template(path: Path) -> Path:
    """Row 1 a header; rows 2.. one per item: A `{{ r.label }}`, B `{{ r.value }}` (bold, format 0.0),
    C `Value: {{ r.value }}` (text)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    ws.append(["Label", "Value", "Text"])
    ws.append(["{% for r in rows %}"])
    ws.append(["{{ r.label }}", "{{ r.value }}", "Value: {{ r.value }}"])
    ws.append(["{% endfor %}"])
    ws["B3"].number_format = "0.0"
    ws["B3"].font = Font(bold=True)
    wb.save(path)
    return path


def test_a_cell_value_gets_its_number_format_and_row_height(tmp_path: Path):
    """Four rows: a plain 0.5 (the template's 0.0, default height); Cell(0.03, "0.00%") (percent, bold kept);
    Cell(4000000, "#,##0.00", row_height=31.5) (a row of two 15.75-point lines); Cell("text", None, 47.25)
    (the template's format, three lines tall)."""
    rows = [{"label": "plain", "value": 0.5},
            {"label": "rate", "value": Cell(0.03, number_format="0.00%")},
            {"label": "money", "value": Cell(4000000, number_format="#,##0.00", row_height=31.5)},
            {"label": "tall", "value": Cell("text", row_height=47.25)}]
    out = tmp_path / "o.xlsx"
    render(_template(tmp_path / "t.xlsx"), {"rows": rows}, out)
    ws = load_workbook(out)["S"]
    got = [(ws.cell(r, 2).value, ws.cell(r, 2).number_format, ws.cell(r, 2).font.b, ws.row_dimensions[r].height)
           for r in range(2, 6)]
    assert got == [(0.5, "0.0", True, None), (0.03, "0.00%", True, None), (4000000, "#,##0.00", True, 31.5),
                   ("text", "0.0", True, 47.25)]
    # in a text cell it reads as its value
    assert [ws.cell(r, 3).value for r in range(2, 6)] == ["Value: 0.5", "Value: 0.03", "Value: 4000000",
                                                          "Value: text"]
    # the label cells of those rows keep the template's (default) format
    assert {ws.cell(r, 1).number_format for r in range(2, 6)} == {"General"}


def test_the_tallest_cell_of_a_row_sets_its_height(tmp_path: Path):
    """Two Cells in one row asking for 20 and 40 points: the row is 40 points tall."""
    wb = Workbook()
    ws = wb.active
    ws.append(["{{ a }}", "{{ b }}"])
    wb.save(tmp_path / "t.xlsx")
    render(tmp_path / "t.xlsx", {"a": Cell(1, row_height=20), "b": Cell(2, row_height=40)}, tmp_path / "o.xlsx")
    ws = load_workbook(tmp_path / "o.xlsx").active
    assert (ws["A1"].value, ws["B1"].value, ws.row_dimensions[1].height) == (1, 2, 40)
