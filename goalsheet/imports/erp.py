"""What the ERP exports (Lingxing, Mabang, 积加) share (`goalsheet import`): a row's store from the ERP's shop
name or country column, its month from a date written any way, and the rule for their two SKU columns.

An ERP names a product twice: its own local SKU (`SKU`, `本地SKU`, `库存SKU`) and the seller SKU on Amazon
(`MSKU`, `平台SKU`), which is the one the SKUs sheet and Amazon's reports use.  The seller SKU is taken wherever
the columns stand; the local SKU's column is named in a note, so the seller sees which one was used.
"""
from __future__ import annotations

from goalsheet.imports.dates import month_of_date_text
from goalsheet.imports.extract import Extract, Source, cell
from goalsheet.imports.stores import channel_market
from goalsheet.imports.values import text
from goalsheet.inputs.read import col_letter
from goalsheet.inputs.schema import choice_code
from goalsheet.inputs.values import BadValue, parse_month


def month_of(value: object) -> str | None:
    """The month of an ERP's date: a day (`2025-01-15`, `2025/1/15 10:03`), a month (`2025-01`, `2025年1月`)."""
    month = month_of_date_text(value)
    if month is not None:
        return month
    try:
        return parse_month(value)
    except BadValue:
        return None


def store_of(row: list, cols: dict[str, int], source: Source) -> tuple[str | None, tuple[str, str] | None]:
    """(store, why left out) of an ERP row: the book's store the shop name names (`Lumos-US` is `Lumos US`),
    else the one store of the row's country or marketplace (`美国`, `US`, `Amazon.com`), else --store or the
    book's only store."""
    shop = text(cell(row, cols, "store"))
    if shop:
        named = source.stores.named(shop)
        if named is not None:
            if source.store is not None and named != source.store:
                return None, ("other_store", named)
            return named, None
    country = text(cell(row, cols, "market"))
    market = choice_code("marketplace", country) or channel_market(country) if country else None
    if market is not None:
        if source.store is not None:
            if source.stores.market.get(source.store) != market:
                return None, ("other_marketplace", market)
            return source.store, None
        stores = source.stores.of_market(market)
        if len(stores) == 1:
            return stores[0], None
        return None, ("no_store" if not stores else "several_stores", market)
    store = source.store or source.stores.only()
    return (store, None) if store is not None else (None, ("no_store", shop or country))


def note_local_sku(out: Extract, header: list, cols: dict[str, int], header_row: int) -> None:
    """A note naming the local SKU's column beside the seller SKU's that was used."""
    if "local_sku" in cols and "sku" in cols:
        out.notes.append(("import_local_sku", {
            "used": text(header[cols["sku"]]), "used_cell": f"{col_letter(cols['sku'])}{header_row + 1}",
            "other": text(header[cols["local_sku"]]),
            "other_cell": f"{col_letter(cols['local_sku'])}{header_row + 1}"}))
