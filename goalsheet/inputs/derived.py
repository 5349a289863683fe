"""SKU values `goalsheet import` derived from a report, as the input workbook records them (SPEC.md sections 1, 4).

`goalsheet import` writes a SKU's price, referral rate, FBA fee or return rate worked out from a report into a
blank cell of the SKUs sheet, and lists each such value on its `Imports` sheet (columns I..N: store, SKU, column,
value, report, period).  A value so listed that the SKUs cell still holds is derived: the plan's Assumptions
sheet says which report and period it comes from, and `import --refresh` may replace it.  A cell whose value
differs from the one listed was typed over by the seller: it is the seller's value again, never replaced.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from goalsheet.inputs.schema import normalise

IMPORTS_SHEET = {"en": "Imports", "zh": "导入记录"}
DERIVED_FIRST_COLUMN = 9            # column I: the derived values' table beside the reports' (A..G)
DERIVED_COLUMNS = ("store", "sku", "column", "value", "report", "period")
DERIVED_HEADERS = {"store": ("store", "店铺"), "sku": ("SKU", "SKU"), "column": ("derived column", "推算的列"),
                   "value": ("value", "数值"), "report": ("from report", "来源报告"), "period": ("period", "期间")}
DERIVED_KEYS = ("price", "referral_rate", "fba_fee", "return_rate")    # the SKUs columns a report can state


@dataclass(frozen=True)
class Derived:
    """A SKUs cell's value as `import` derived it: `report` it came from and the `period` it covers."""
    value: float
    report: str
    period: str
    row: int                        # 1-based row of its line on the Imports sheet


def imports_sheet_name(names) -> str | None:
    """The book's Imports sheet among `names` (either language), or None."""
    wanted = {normalise(n) for n in IMPORTS_SHEET.values()}
    return next((n for n in names if normalise(n) in wanted), None)


def derived_lines(rows: list[list]) -> dict[tuple[str, str, str], Derived]:
    """(store, sku, column) -> Derived of the Imports sheet's rows (row 1: the headers); {} when the sheet has no
    such table."""
    first = DERIVED_FIRST_COLUMN - 1
    if not rows or len(rows[0]) < first + len(DERIVED_COLUMNS):
        return {}
    heads = [normalise(h) if h is not None else "" for h in rows[0][first:first + len(DERIVED_COLUMNS)]]
    if any(h not in {normalise(w) for w in DERIVED_HEADERS[k]} for h, k in zip(heads, DERIVED_COLUMNS)):
        return {}
    out = {}
    for r, row in enumerate(rows[1:], start=2):
        cells = list(row[first:first + len(DERIVED_COLUMNS)]) + [None] * len(DERIVED_COLUMNS)
        store, sku, key, value, report, period = cells[:len(DERIVED_COLUMNS)]
        if store in (None, "") or sku in (None, "") or key not in DERIVED_KEYS:
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            continue
        out[(str(store).strip(), str(sku).strip(), key)] = Derived(value, str(report or ""), str(period or ""), r)
    return out


def same_value(a: object, b: float) -> bool:
    """Whether a SKUs cell still holds the value `import` wrote (a rate may read back as its percent text's
    ratio: compared to 1e-9 of the larger)."""
    try:
        x = float(a)
    except (TypeError, ValueError):
        return False
    return math.isfinite(x) and abs(x - b) <= 1e-9 * max(1.0, abs(x), abs(b))


def derived_cells(lines: Mapping[tuple[str, str, str], Derived], skus,
                  defaulted: set[tuple[str, str]] = frozenset()) -> dict[tuple[str, str, str], Derived]:
    """The lines whose SKUs cell (in the read SKUs frame: store, sku and the columns) still holds the value;
    `defaulted` holds the ("store / sku", column) the reader filled with a default (a cell left blank)."""
    if not lines or skus is None or not len(skus):
        return {}
    where = {(str(s), str(k)): i for i, (s, k) in enumerate(zip(skus["store"], skus["sku"]))}
    out = {}
    for (store, sku, key), line in lines.items():
        i = where.get((store, sku))
        if i is None or key not in skus or (f"{store} / {sku}", key) in defaulted:
            continue
        if same_value(skus[key].iloc[i], line.value):
            out[(store, sku, key)] = line
    return out
