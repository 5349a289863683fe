"""The store of a row that names its marketplace (the order and transaction reports), shared by those kinds."""
from __future__ import annotations

from goalsheet.imports.extract import Source
from goalsheet.imports.stores import channel_market


def store_of_channel(channel: object, source: Source) -> tuple[str | None, str | None, tuple[str, str] | None]:
    """(store, marketplace, why left out): the named store (--store) when the row is of its marketplace, else
    the book's one store of that marketplace."""
    market = channel_market(channel)
    if market is None:
        return None, None, ("not_amazon", str(channel or "").strip())
    if source.store is not None:
        if source.stores.market.get(source.store) != market:
            return None, market, ("other_marketplace", market)
        return source.store, market, None
    stores = source.stores.of_market(market)
    if len(stores) == 1:
        return stores[0], market, None
    return None, market, ("no_store" if not stores else "several_stores", market)
