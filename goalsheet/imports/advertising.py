"""The Sponsored Products "Advertised product" report (Advertising console: Measurement & Reporting > Sponsored
ads reports; report type Advertised product, time unit Daily or Summary): spend per advertised SKU, the only
report that carries advertising.

`Spend` per `Advertised SKU` becomes `ad_spend` in the month of `Date` (daily) or of `Start Date` and `End
Date` when both lie in one month (summary; a summary over several months needs --month).  The report has no
store column: the store is --store, the store named in the file name, the one store of the report's
`Currency`, or the book's only store.
"""
from __future__ import annotations

from goalsheet.imports.dates import month_of_date_text
from goalsheet.imports.extract import Extract, Source, body, cell, report_store, summed, unusable
from goalsheet.imports.values import amount, text

KIND = "advertising"
MEASURES = ("ad_spend",)
HEADERS = {
    "date": ("date", "datum", "日付", "日期"),
    "start": ("start date", "startdatum", "開始日", "开始日期"),
    "end": ("end date", "enddatum", "終了日", "结束日期"),
    "currency": ("currency", "währung", "通貨", "货币", "币种"),
    "sku": ("advertised sku", "beworbene sku", "広告対象sku", "広告が掲載されているsku", "广告sku", "推广的sku"),
    "spend": ("spend", "ausgaben", "費用", "花费", "支出"),
}
REQUIRED = ("sku", "spend")


def extract(rows: list[list], header: int, cols: dict[str, int], source: Source, report: str) -> Extract:
    out = Extract(report, KIND, MEASURES)
    records = []

    rows = body(rows, header)
    store = report_store(rows, cols, source, report)
    for row in rows:
        out.rows += 1
        sku = text(cell(row, cols, "sku"))
        spend = amount(cell(row, cols, "spend"))
        month = source.month or _month(row, cols)
        if not unusable(out, sku, month, spend):
            records.append({"month": month, "store": store, "sku": sku, "ad_spend": spend})
    out.sales = summed(records, MEASURES)
    return out


def _month(row: list, cols: dict[str, int]) -> str | None:
    day = month_of_date_text(cell(row, cols, "date"))
    if day is not None:
        return day
    start, end = month_of_date_text(cell(row, cols, "start")), month_of_date_text(cell(row, cols, "end"))
    return start if start is not None and start == end else None
