"""Templates for the render tests, built with openpyxl so every feature is in plain sight."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

STORES = [
    {"name": "US-1", "sales": 120.0, "units": 12, "note": "flagship",
     "by_month": [float(m) for m in range(1, 13)],
     "skus": [{"sku": "A1", "sales": 70.0}, {"sku": "A2", "sales": 50.0}]},
    {"name": "UK-1", "sales": 80.5, "units": 7, "note": "new",
     "by_month": [10.0] * 12,
     "skus": [{"sku": "B1", "sales": 80.5}]},
    {"name": "DE-1", "sales": 99.5, "units": 10, "note": "",
     "by_month": [0.5] * 12,
     "skus": [{"sku": "C1", "sales": 40.0}, {"sku": "C2", "sales": 39.5}, {"sku": "C3", "sales": 20.0}]},
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def build_feature_template(path: Path) -> None:
    """Sheet Data (rows):            Sheet Months (a column loop inside a row loop):
    1  Report {{ title }}  (merged A1:D1)   1  Store | {% for m %} | {{ m }} | {% endfor %} | Total
    2  Store Sales Units Price             2  {% for s in stores %}
    3  {% for s in stores %}               3  {{ s.name }} |  | {{ s.by_month[colloop.index0] }} | | =SUM(C3:C3)
    4  {{s.name}} {{s.sales}} {{s.units}} =B4/C4  {{s.note}} (merged E4:F4)
    5  {% endfor %}                        4  {% endfor %}
    6  Total =SUM(B4:B4) =SUM(C3:C5) =B6/C6    5  Total |  | =SUM(C3:C3) |  | =SUM(E3:E3)
    7  Notes (merged A7:D7)
    Sheet Nested: stores -> skus with a subtotal row per store.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = "Report {{ title }}"
    ws.merge_cells("A1:D1")
    ws.append(["Store", "Sales", "Units", "Price"])
    ws.append(["{% for s in stores %}", "a note the engine ignores"])
    ws.append(["{{ s.name }}", "{{ s.sales }}", "{{ s.units }}", "=B4/C4", "{{ s.note }}"])
    ws.merge_cells("E4:F4")
    ws.append(["{% endfor %}"])
    ws.append(["Total", "=SUM(B4:B4)", "=SUM(C3:C5)", "=B6/C6"])
    ws.append(["Notes"])
    ws.merge_cells("A7:D7")
    ws["B4"].number_format = "#,##0.00"
    ws["B4"].font = Font(bold=True)
    ws.row_dimensions[4].height = 25
    ws.column_dimensions["B"].width = 20
    red = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
    ws.conditional_formatting.add("B4:B4", CellIsRule(operator="greaterThan", formula=["100"], fill=red))
    ws.conditional_formatting.add("B6", CellIsRule(operator="lessThan", formula=["$B$4"], fill=red))
    dv = DataValidation(type="whole", operator="between", formula1="0", formula2="1000")
    ws.add_data_validation(dv)
    dv.add("C4:C4")
    wb.defined_names["sales"] = DefinedName("sales", attr_text="Data!$B$4:$B$4")
    wb.defined_names["total_sales"] = DefinedName("total_sales", attr_text="Data!$B$6")
    ws.defined_names["units"] = DefinedName("units", attr_text="Data!$C$4:$C$4")
    ws.print_area = "A1:F7"
    ws.print_title_rows = "2:2"
    ws.auto_filter.ref = "A2:D4"
    ws.freeze_panes = "B3"
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=4, max_row=4), titles_from_data=False)
    chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=4))
    ws.add_chart(chart, "H10")
    ws["H2"] = "=total_sales*2"
    ws["H8"] = "=SUM(sales)"

    mo = wb.create_sheet("Months")
    mo["A1"], mo["B1"], mo["C1"], mo["D1"], mo["E1"] = "Store", "{% for m in months %}", "{{ m }}", "{% endfor %}", "Total"
    mo["A2"] = "{% for s in stores %}"
    mo["A3"], mo["C3"], mo["E3"] = "{{ s.name }}", "{{ s.by_month[colloop.index0] }}", "=SUM(C3:C3)"
    mo["A4"] = "{% endfor %}"
    mo["A5"], mo["C5"], mo["E5"] = "Total", "=SUM(C3:C3)", "=SUM(E3:E3)"
    mo["F1"] = "=Data!B6"
    mo.column_dimensions["C"].width = 7
    mo.column_dimensions["E"].width = 15
    mo.merge_cells("C6:C7")
    mo["C6"] = "{{ m|upper }}"

    ne = wb.create_sheet("Nested")
    ne.append(["Store / SKU", "Sales"])
    ne.append(["{% for s in stores %}"])
    ne.append(["{{ s.name }}"])
    ne.append(["{% for k in s.skus %}"])
    ne.append(["{{ k.sku }}", "{{ k.sales }}", "{{ loop.index }}/{{ loop.length }} of {{ loop.parent.index }}"])
    ne.append(["{% endfor %}"])
    ne.append(["Subtotal", "=SUM(B5:B5)"])
    ne.append(["{% endfor %}"])
    ne.append(["Grand total", "=SUMIF(A3:A7,\"Subtotal\",B3:B7)"])
    ne.append(["Check", "=Data!B6"])
    wb.save(path)


@pytest.fixture
def feature_template(tmp_path: Path) -> Path:
    path = tmp_path / "features.xlsx"
    build_feature_template(path)
    return path


@pytest.fixture
def context() -> dict:
    return {"title": "FY2025", "stores": [dict(s) for s in STORES], "months": list(MONTHS),
            "today": dt.date(2025, 1, 31)}


@pytest.fixture
def five_stores() -> list[dict]:
    return [dict(s) for s in STORES] + [
        {"name": "FR-1", "sales": 50.0, "units": 5, "note": "x", "by_month": [1.0] * 12, "skus": []},
        {"name": "JP-1", "sales": 150.0, "units": 30, "note": "y", "by_month": [2.0] * 12,
         "skus": [{"sku": "J1", "sales": 150.0}]},
    ]
