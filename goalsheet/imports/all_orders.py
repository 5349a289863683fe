"""The All Orders report (Seller Central: Reports > Fulfillment > All Orders, or Order Reports; a tab-separated
flat file): one line per order item, from every marketplace of the account.

Units are `quantity`, sales `item-price` (the line's price, all units) less `item-promotion-discount`, in the
month of `purchase-date` on the marketplace's clock; the store is the book's store of the `sales-channel`
(`Amazon.co.uk` -> the UK store; with --store, lines of other marketplaces are left out).  Shipped and unshipped
lines are taken; cancelled and pending ones (not sales yet, or never) are left out and counted.
"""
from __future__ import annotations

from goalsheet.imports.dates import month_of_stamp
from goalsheet.imports.extract import Extract, Source, summed
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

    def at(row, key):
        j = cols.get(key)
        return row[j] if j is not None and j < len(row) else None

    for row in rows[header + 1:]:
        if not any(text(v) for v in row):
            continue
        out.rows += 1
        status = text(at(row, "status")).lower()
        item_status = text(at(row, "item_status")).lower()
        if status.startswith(CANCELLED) or item_status.startswith(CANCELLED):
            out.left_out[("cancelled", "")] += 1
            continue
        if not status.startswith(TAKEN):
            out.left_out[("pending" if status.startswith("pending") else "status", text(at(row, "status")))] += 1
            continue
        store, market, why = store_of_channel(at(row, "channel"), source)
        if why:
            out.left_out[why] += 1
            continue
        sku = text(at(row, "sku"))
        month = month_of_stamp(at(row, "date"), market)
        units, price = amount(at(row, "quantity")), amount(at(row, "price"))
        promotion = amount(at(row, "promotion")) or 0.0
        if not sku:
            out.left_out[("no_sku", "")] += 1
        elif month is None:
            out.left_out[("no_date", "")] += 1
        elif units is None or price is None:
            out.left_out[("not_a_number", "")] += 1
        else:
            records.append({"month": month, "store": store, "sku": sku, "units": units,
                            "revenue": price - abs(promotion)})
    out.sales = summed(records, MEASURES)
    return out
