"""Lingxing (领星) 产品表现 export (统计 > 产品表现, exported by day or month): one row per shop × product × date.

Units are `销量`, sales `销售额`, ad spend `广告花费` and refunds `退款金额` (when the export has them), in the month
of `统计日期`; the product is the `MSKU` (the seller SKU on Amazon; the local `SKU` column beside it is named in
a note, not used); the store is the book's store of `店铺`, else of `国家`/`站点` (`goalsheet.imports.erp`).
"""
from __future__ import annotations

from goalsheet.imports.erp import month_of, note_local_sku, store_of
from goalsheet.imports.extract import Extract, Source, body, cell, summed, unusable
from goalsheet.imports.values import amount, text

KIND = "lingxing"
MEASURES = ("units", "revenue", "ad_spend", "refunds")
HEADERS = {
    "date": ("统计日期",),
    "store": ("店铺", "店铺名称"),
    "market": ("国家", "站点", "国家/地区"),
    "sku": ("msku",),
    "local_sku": ("sku", "本地sku", "品名sku"),
    "units": ("销量",),
    "revenue": ("销售额",),
    "ad_spend": ("广告花费", "广告费"),
    "refunds": ("退款金额", "退款额"),
}
REQUIRED = ("date", "sku", "units", "revenue")


def extract(rows: list[list], header: int, cols: dict[str, int], source: Source, report: str) -> Extract:
    out = Extract(report, KIND, tuple(m for m in MEASURES if m in cols))
    note_local_sku(out, rows[header], cols, header)
    records = []
    for row in body(rows, header):
        out.rows += 1
        store, why = store_of(row, cols, source)
        if why:
            out.left_out[why] += 1
            continue
        sku, month = text(cell(row, cols, "sku")), month_of(cell(row, cols, "date"))
        figures = {m: amount(cell(row, cols, m)) for m in out.measures}
        if not unusable(out, sku, month, *figures.values()):
            records.append({"month": month, "store": store, "sku": sku, **figures})
    out.sales = summed(records, out.measures)
    return out
