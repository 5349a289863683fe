"""The FBA Fee Preview report (Seller Central: Reports > Fulfillment > Fee Preview; a tab-separated flat file):
Amazon's estimate of the fees of each listed SKU at its current price.

It gives no sales, only SKU economics (written into blank SKUs cells, `goalsheet.imports.book`):

    price          = your-price (sales-price when your-price is blank)
    fba_fee        = expected-fulfillment-fee-per-unit
    referral_rate  = estimated-referral-fee-per-unit ÷ price       (the report states an amount; 4 decimals)

The period of these values is the day of the import (the fees as of then).  The store is the book's store of
the row's `amazon-store` marketplace (with --store, rows of other marketplaces are left out); a report without
that column goes to --store, the store named in the file name, the one store of its `currency`, or the book's
only store.  A row with no price (a listing without an offer) is left out.
"""
from __future__ import annotations

import datetime as dt

from goalsheet.imports.extract import Economics, Extract, Source, body, cell, report_store
from goalsheet.imports.stores import channel_market
from goalsheet.imports.values import amount, text
from goalsheet.inputs.schema import MARKETPLACES

KIND = "fee_preview"
MEASURES: tuple[str, ...] = ()
HEADERS = {
    "sku": ("sku",),
    "store_market": ("amazon-store",),
    "currency": ("currency",),
    "price": ("your-price",),
    "sales_price": ("sales-price",),
    "fba": ("expected-fulfillment-fee-per-unit",),
    "referral": ("estimated-referral-fee-per-unit",),
}
REQUIRED = ("sku", "price", "fba", "referral")


def extract(rows: list[list], header: int, cols: dict[str, int], source: Source, report: str) -> Extract:
    out = Extract(report, KIND, MEASURES)
    rows = body(rows, header)
    period = source.today or dt.date.today().isoformat()
    fallback = report_store(rows, cols, source, report) if "store_market" not in cols else None
    for row in rows:
        out.rows += 1
        store, why = (fallback, None) if fallback is not None else _store(cell(row, cols, "store_market"), source)
        if why:
            out.left_out[why] += 1
            continue
        sku = text(cell(row, cols, "sku"))
        price = amount(cell(row, cols, "price"))
        if not price:
            price = amount(cell(row, cols, "sales_price"))
        fba, referral = amount(cell(row, cols, "fba")), amount(cell(row, cols, "referral"))
        if not sku:
            out.left_out[("no_sku", "")] += 1
        elif price is None or fba is None or referral is None:
            out.left_out[("not_a_number", "")] += 1
        elif price <= 0:
            out.left_out[("no_price", "")] += 1
        else:
            out.economics += [Economics(store, sku, "price", round(price, 2), period),
                              Economics(store, sku, "fba_fee", round(fba, 2), period),
                              Economics(store, sku, "referral_rate", round(referral / price, 4), period)]
    return out


def _store(value: object, source: Source) -> tuple[str | None, tuple[str, str] | None]:
    """The store of a row's `amazon-store` (a marketplace code such as US or DE, or a domain)."""
    code = text(value).upper()
    market = code if code in MARKETPLACES else "UK" if code == "GB" else channel_market(value)
    if market is None:
        return None, ("not_amazon", text(value))
    if source.store is not None:
        return (source.store, None) if source.stores.market.get(source.store) == market else \
            (None, ("other_marketplace", market))
    stores = source.stores.of_market(market)
    if len(stores) == 1:
        return stores[0], None
    return None, ("no_store" if not stores else "several_stores", market)
