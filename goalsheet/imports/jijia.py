"""积加 (Gerpgo) sales export (数据 > 销量统计 / 产品分析, by day or month): one row per shop × MSKU × date.

Units are `销量`, sales `销售额`, ad spend `广告花费` and refunds `退款金额` (when the export has them), in the month
of `日期`; the product is the `MSKU` (a local `SKU`/`本地SKU` column beside it is named in a note, not used); the
store is the book's store of `店铺`, else of `站点`/`国家` (`goalsheet.imports.erp`).  Lingxing's export, which
dates its rows `统计日期`, is recognised first.
"""
from __future__ import annotations

from goalsheet.imports import lingxing
from goalsheet.imports.extract import Extract, Source

KIND = "jijia"
MEASURES = lingxing.MEASURES
HEADERS = {**lingxing.HEADERS, "date": ("日期", "销售日期", "统计时间")}
REQUIRED = ("date", "sku", "units", "revenue")


def extract(rows: list[list], header: int, cols: dict[str, int], source: Source, report: str) -> Extract:
    out = lingxing.extract(rows, header, cols, source, report)
    out.kind = KIND
    return out
