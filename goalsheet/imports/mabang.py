"""Mabang (马帮) order export (订单 > 导出订单): one row per order item, of every shop of the seller.

Units are `商品数量`, sales `商品总金额` (the items' price, all units, without shipping), in the month of
`付款时间` as written; orders never paid or cancelled (`订单状态` 已作废, 已取消, 未付款, …) are left out and
counted.  The product is the `平台SKU` (the seller SKU on Amazon; the local `SKU` column beside it is named in a
note, not used); the store is the book's store of `店铺名称`, else of `站点` (`goalsheet.imports.erp`).
"""
from __future__ import annotations

from goalsheet.imports.erp import month_of, note_local_sku, store_of
from goalsheet.imports.extract import Extract, Source, body, cell, summed, unusable
from goalsheet.imports.values import amount, text

KIND = "mabang"
MEASURES = ("units", "revenue")
HEADERS = {
    "paid": ("付款时间",),
    "status": ("订单状态",),
    "store": ("店铺名称", "店铺", "店铺名"),
    "market": ("站点", "国家"),
    "sku": ("平台sku", "msku", "在线sku"),
    "local_sku": ("sku", "库存sku", "本地sku"),
    "quantity": ("商品数量", "数量"),
    "total": ("商品总金额",),
}
REQUIRED = ("paid", "sku", "quantity", "total")
NOT_SOLD = ("作废", "取消", "未付款", "待付款")


def extract(rows: list[list], header: int, cols: dict[str, int], source: Source, report: str) -> Extract:
    out = Extract(report, KIND, MEASURES)
    note_local_sku(out, rows[header], cols, header)
    records = []
    for row in body(rows, header):
        out.rows += 1
        status = text(cell(row, cols, "status"))
        if any(word in status for word in NOT_SOLD):
            out.left_out[("cancelled", status)] += 1
            continue
        store, why = store_of(row, cols, source)
        if why:
            out.left_out[why] += 1
            continue
        sku, month = text(cell(row, cols, "sku")), month_of(cell(row, cols, "paid"))
        units, total = amount(cell(row, cols, "quantity")), amount(cell(row, cols, "total"))
        if not unusable(out, sku, month, units, total):
            records.append({"month": month, "store": store, "sku": sku, "units": units, "revenue": total})
    out.sales = summed(records, MEASURES)
    return out
