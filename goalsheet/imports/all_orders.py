"""The All Orders report (Seller Central: Reports > Fulfillment > All Orders, or Order Reports; a tab-separated
flat file): one line per order item, from every marketplace of the account.

Units are `quantity`, sales `item-price` (the line's price, all units) less `item-promotion-discount`, in the
month of `purchase-date` on the marketplace's clock; the store is the book's store of the `sales-channel`
(`Amazon.co.uk` -> the UK store; with --store, lines of other marketplaces are left out).  Shipped and unshipped
lines are taken; cancelled and pending ones (not sales yet, or never) are left out and counted.
"""
from __future__ import annotations

from goalsheet.imports.dates import month_of_stamp
from goalsheet.imports.extract import Extract, Source, body, cell, summed, unusable
from goalsheet.imports.marketplace import store_of_channel
from goalsheet.imports.values import amount, text

KIND = "all_orders"
MEASURES = ("units", "revenue")
HEADERS = {
    "order_id": ("amazon-order-id",),
    "date": ("purchase-date",),
    "status": ("order-status",),
    "channel": ("sales-channel",),
    "sku": ("sku",),
    "item_status": ("item-status",),
    "quantity": ("quantity",),
    "price": ("item-price",),
    "promotion": ("item-promotion-discount",),
}
REQUIRED = ("order_id", "date", "status", "channel", "sku", "quantity", "price")
CANCELLED = ("cancelled", "canceled")
TAKEN = ("shipped", "unshipped", "shipping", "partiallyshipped", "partially shipped")


def extract(rows: list[list], header: int, cols: dict[str, int], source: Source, report: str) -> Extract:
    out = Extract(report, KIND, MEASURES)
    records = []

    for row in body(rows, header):
        out.rows += 1
        status = text(cell(row, cols, "status")).lower()
        item_status = text(cell(row, cols, "item_status")).lower()
        if status.startswith(CANCELLED) or item_status.startswith(CANCELLED):
            out.left_out[("cancelled", "")] += 1
            continue
        if not status.startswith(TAKEN):
            out.left_out[("pending" if status.startswith("pending") else "status", text(cell(row, cols, "status")))] += 1
            continue
        store, market, why = store_of_channel(cell(row, cols, "channel"), source)
        if why:
            out.left_out[why] += 1
            continue
        sku = text(cell(row, cols, "sku"))
        month = month_of_stamp(cell(row, cols, "date"), market)
        units, price = amount(cell(row, cols, "quantity")), amount(cell(row, cols, "price"))
        promotion = amount(cell(row, cols, "promotion")) or 0.0
        if not unusable(out, sku, month, units, price):
            records.append({"month": month, "store": store, "sku": sku, "units": units,
                            "revenue": price - abs(promotion)})
    out.sales = summed(records, MEASURES)
    return out
