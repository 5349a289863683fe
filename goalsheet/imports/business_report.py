"""The Business Report "Detail Page Sales and Traffic by Child Item" (Seller Central: Reports > Business
Reports): units and sales per SKU for the one date range and marketplace chosen when downloading.

The report has no month and no store column: the month is --month or the date range of the file name, the store
--store, the store named in the file name, or the book's only store.  `Units Ordered` and `Ordered Product Sales`
are the totals, business orders included, so the `- B2B` columns (a part of them) are not added.  The `SKU`
column names the product; `(Child) ASIN` only tells the report apart.  A row with no units and no sales (a
product that was only viewed) is left out.
"""
from __future__ import annotations

from goalsheet.imports.dates import month_of_file_name
from goalsheet.imports.extract import Extract, Source, body, report_store, summed
from goalsheet.imports.problems import ReportError
from goalsheet.imports.values import amount, text

KIND = "business_report"
MEASURES = ("units", "revenue")
HEADERS = {
    "asin": ("(child) asin", "（子）asin", "(子)asin", "(子) asin", "（子）asin", "(子商品)asin", "(子)asin"),
    "sku": ("sku",),
    "units": ("units ordered", "已订购商品数量", "注文された商品点数", "bestellte einheiten"),
    "revenue": ("ordered product sales", "已订购商品销售额", "注文商品売上", "注文商品の売上額", "umsatz bestellter produkte"),
}
REQUIRED = ("asin", "units", "revenue")


def extract(rows: list[list], header: int, cols: dict[str, int], source: Source, report: str) -> Extract:
    if "sku" not in cols:
        raise ReportError("import_no_sku_column", report=report)
    month = source.month
    if month is None:
        month, trouble = month_of_file_name(source.file_name)
        if month is None:
            raise ReportError("import_several_months" if trouble else "import_no_month", report=report)
    rows = body(rows, header)
    store = report_store(rows, cols, source, report)
    out = Extract(report, KIND, MEASURES)
    records = []
    for row in rows:
        out.rows += 1
        sku = text(_at(row, cols["sku"]))
        units, revenue = amount(_at(row, cols["units"])), amount(_at(row, cols["revenue"]))
        if not sku:
            out.left_out[("no_sku", "")] += 1
        elif units is None or revenue is None:
            out.left_out[("not_a_number", "")] += 1
        elif units == 0 and revenue == 0:
            out.left_out[("no_sales", "")] += 1
        else:
            records.append({"month": month, "store": store, "sku": sku, "units": units, "revenue": revenue})
    out.sales = summed(records, MEASURES)
    return out


def _at(row: list, j: int):
    return row[j] if j < len(row) else None
