"""What one report gives (`goalsheet import`): its Sales figures per month × store × SKU, and what it left out.

Every report kind (`business_report`, `all_orders`, `transactions`, `advertising`) turns its table into an
`Extract`; `goalsheet.imports.book` writes the extracts into the input workbook.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from goalsheet.imports.problems import ReportError
from goalsheet.imports.stores import BookStores
from goalsheet.imports.values import text


@dataclass
class Source:
    """What a report does not say about itself: the store and month the seller named (--store, --month), the
    book's stores, and the report's file name."""
    stores: BookStores
    file_name: str
    store: str | None = None
    month: str | None = None
    today: str | None = None          # the day of the import (YYYY-MM-DD): the period of a report's current fees


@dataclass(frozen=True)
class Economics:
    """A SKU's value of a SKUs column (`inputs.derived.DERIVED_KEYS`) as a report states it, over `period`."""
    store: str
    sku: str
    key: str
    value: float
    period: str


@dataclass
class Extract:
    """A report's figures: `sales` has month, store, sku and the `measures` the kind gives (summed), in store
    currency; `left_out` counts the rows not taken by reason (a TERMS `left_out` word) and detail."""
    report: str
    kind: str
    measures: tuple[str, ...]
    rows: int = 0
    sales: pd.DataFrame = field(default_factory=pd.DataFrame)
    left_out: Counter = field(default_factory=Counter)
    # SKU values the report states (written into blank SKUs cells): Economics, in store currency
    economics: list[Economics] = field(default_factory=list)
    # what the seller should know of how the report was read: (CONSOLE code, its args)
    notes: list[tuple[str, dict]] = field(default_factory=list)

    def months(self) -> list[str]:
        return sorted(self.sales["month"].unique()) if len(self.sales) else []

    def store_names(self) -> list[str]:
        return sorted(self.sales["store"].unique()) if len(self.sales) else sorted({e.store for e in self.economics})

    def skus(self) -> int:
        if len(self.sales):
            return self.sales["sku"].nunique()
        return len({(e.store, e.sku) for e in self.economics})


def cell(row: list, cols: dict[str, int], key: str):
    """The row's value of the column `key` names (None when the report has no such column or the row is short)."""
    j = cols.get(key)
    return row[j] if j is not None and j < len(row) else None


def body(rows: list[list], header: int) -> list[list]:
    """The report's rows under its header row that hold anything (blank rows are no rows)."""
    return [row for row in rows[header + 1:] if any(text(v) for v in row)]


def report_store(rows: list[list], cols: dict[str, int], source: Source, report: str) -> str:
    """The store of a report that names none in its rows: the one the seller named (--store), else a store named in
    the file name, else the store of the report's only currency, else the book's only store; a ReportError when
    none of these tells."""
    store = source.store or source.stores.in_file_name(source.file_name)
    if store is None:
        currencies = {text(cell(row, cols, "currency")).upper() for row in rows} - {""}
        by_currency = source.stores.of_currency(currencies.pop()) if len(currencies) == 1 else []
        store = by_currency[0] if len(by_currency) == 1 else source.stores.only()
    if store is None:
        raise ReportError("import_no_store", report=report)
    return store


def unusable(out: Extract, sku: str, month: str | None, *numbers: float | None) -> bool:
    """Whether a row lacks what every kind needs (a SKU, a month, its figures as numbers); it is then counted as
    left out with its reason."""
    reason = ("no_sku" if not sku else "no_date" if month is None else
              "not_a_number" if any(n is None for n in numbers) else None)
    if reason is not None:
        out.left_out[(reason, "")] += 1
    return reason is not None


def period_text(months: list[str]) -> str:
    """The months a value covers: "2025-03", or "2025-01 .. 2025-12" (sorted months)."""
    return months[0] if len(months) == 1 else f"{months[0]} .. {months[-1]}"


def summed(records: list[dict], measures: tuple[str, ...]) -> pd.DataFrame:
    """One row per month × store × SKU, each measure summed (records: dicts with those keys)."""
    columns = ["month", "store", "sku", *measures]
    if not records:
        return pd.DataFrame({c: pd.Series([], dtype=object if c in columns[:3] else "float64") for c in columns})
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.groupby(["month", "store", "sku"], as_index=False, sort=True)[list(measures)].sum()
