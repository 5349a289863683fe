"""Which report a table is, by its header row (`goalsheet import`).

Seller Central puts lines above some headers (the transaction report's seven lines of definitions), so the
header row is the first of the table's first `HEADER_SEARCH_ROWS` rows that names every required column of a
report kind.  Each kind module lists its columns' headers (`HEADERS`: key -> accepted header texts, English
first, then the localised reports') and the keys it cannot do without (`REQUIRED`); the kinds are tried in
`KINDS` order, the most specific first.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from types import ModuleType

from goalsheet.imports import (advertising, all_orders, business_report, fee_preview, jijia, lingxing, mabang,
                               transactions)
from goalsheet.imports.raw import RawTable

KINDS: tuple[ModuleType, ...] = (transactions, all_orders, fee_preview, advertising, business_report, mabang, lingxing,
                                  jijia)
HEADER_SEARCH_ROWS = 30


def header_text(value: object) -> str:
    """A header as compared: NFKC, case-folded, runs of spaces made one, ends stripped (the advertising
    report's `7 Day Total Sales ` ends with a space)."""
    if value is None:
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value)).casefold()).strip()


@dataclass
class Recognised:
    kind: ModuleType
    table: RawTable
    header: int                 # index of the header row in table.rows
    cols: dict[str, int]        # key -> column index


def columns_of(kind: ModuleType, row: list) -> dict[str, int]:
    """key -> column of the kind's headers found in `row` (the first column naming a key wins)."""
    index = {header_text(h): key for key, names in kind.HEADERS.items() for h in names}
    cols: dict[str, int] = {}
    for j, value in enumerate(row):
        key = index.get(header_text(value))
        if key is not None and key not in cols:
            cols[key] = j
    return cols


def recognise(table: RawTable) -> Recognised | None:
    """The kind of the table and where its header is, trying the text's other decodings when this one has no
    header a kind knows; None when no decoding does."""
    for encoding, rows in ((table.encoding, table.rows), *table.alternatives):
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            for kind in KINDS:
                cols = columns_of(kind, row)
                if all(k in cols for k in kind.REQUIRED):
                    if rows is not table.rows:
                        table.rows, table.encoding = rows, encoding
                    return Recognised(kind, table, i, cols)
    return None
