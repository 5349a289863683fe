"""Which store a report's rows belong to (`goalsheet import`): the book's stores and their marketplaces, a
sales channel's marketplace (`Amazon.co.uk` -> UK), a store named in a file name, a currency's store."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from goalsheet.inputs.schema import MARKET_CURRENCY

# sales channel / marketplace as the reports write it -> marketplace code
CHANNEL_MARKET = {"amazon.com": "US", "amazon.ca": "CA", "amazon.com.mx": "MX", "amazon.com.br": "BR",
                  "amazon.co.uk": "UK", "amazon.de": "DE", "amazon.fr": "FR", "amazon.it": "IT", "amazon.es": "ES",
                  "amazon.nl": "NL", "amazon.se": "SE", "amazon.pl": "PL", "amazon.com.be": "BE",
                  "amazon.co.jp": "JP", "amazon.com.au": "AU", "amazon.sg": "SG", "amazon.ae": "AE",
                  "amazon.sa": "SA", "amazon.in": "IN", "amazon.com.tr": "TR"}


def normal(text: object) -> str:
    """A name compared loosely: case, spaces, `_` and `-` ignored."""
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", str(text)).casefold())


def channel_market(text: object) -> str | None:
    """`Amazon.co.uk` / `www.amazon.de` / `amazon.com` -> its marketplace code; None for anything else
    (`Non-Amazon`: an order of the seller's own shop fulfilled by Amazon)."""
    key = str(text or "").strip().lower().removeprefix("https://").removeprefix("www.").rstrip("/")
    return CHANNEL_MARKET.get(key)


@dataclass
class BookStores:
    """The stores of the book: store -> marketplace and currency (from its Stores sheet; stores only named on its
    SKUs or Sales sheets sell in the US, as the reader takes them)."""
    market: dict[str, str]
    currency: dict[str, str]

    def named(self, name: str) -> str | None:
        """The book's store called `name` (loosely), or None."""
        for store in self.market:
            if normal(store) == normal(name):
                return store
        return None

    def in_file_name(self, file_name: str) -> str | None:
        """The store whose name the file name holds (the longest such name), or None."""
        stem = normal(file_name.rsplit(".", 1)[0])
        found = [s for s in self.market if normal(s) and normal(s) in stem]
        return max(found, key=lambda s: len(normal(s))) if found else None

    def of_market(self, market: str) -> list[str]:
        return [s for s, m in self.market.items() if m == market]

    def of_currency(self, currency: str) -> list[str]:
        return [s for s, c in self.currency.items() if c == currency.strip().upper()]

    def only(self) -> str | None:
        return next(iter(self.market)) if len(self.market) == 1 else None


def book_stores(stores_rows: list[tuple[str, str | None, str | None]], other_names: list[str]) -> BookStores:
    """From the Stores sheet's (store, marketplace, currency) rows and the store names of the other sheets."""
    market: dict[str, str] = {}
    currency: dict[str, str] = {}
    for store, mkt, cur in stores_rows:
        store = str(store).strip()
        if not store:
            continue
        m = str(mkt).strip().upper() if mkt else "US"
        market[store] = m
        currency[store] = str(cur).strip().upper() if cur else MARKET_CURRENCY.get(m, "")
    for name in other_names:
        name = str(name).strip()
        if name and name not in market:
            market[name], currency[name] = "US", MARKET_CURRENCY["US"]
    return BookStores(market, currency)
