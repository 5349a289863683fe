"""Breakdown and rounding (SPEC.md 3.7): month × store × operator cells, rounded once.

The finest cell of the target is month × store × operator.  Money is rounded
once, at that cell, by the largest-remainder method against the rounded grand
total; every higher total (quarter, year, store, operator, company) is a sum of
rounded cells, so every total equals the sum of its parts exactly.  Ties in the
remainders go to the earlier cell (month, then store, then operator, in the
caller's order).  Rounding works in integer minor units (cents; yen for JPY),
so sums never drift.

Public functions (pure: numbers, numpy arrays and DataFrames in and out):

    minor_unit_decimals(currency) -> int
        0 for JPY (and other currencies without minor units), else 2.

    round_largest_remainder(values, decimals=2, total=None) -> np.ndarray[float]
        Each value rounded to `decimals`, the results adding up exactly to
        round(total if given else sum(values), decimals).  Negative values allowed.

    breakdown_cells(cells, decimals=2, total=None) -> DataFrame
        cells: DataFrame[month, store, operator, value] (any extra columns kept),
        in the caller's order of stores and operators.  Returns the same rows,
        sorted by month (stores and operators keep their order of first
        appearance), with a `rounded` column added.  `total` (optional) is the
        grand total to round against; default the sum of `value`.

    operator_shares(existing, launches=None, store_operators=None, months=None) -> DataFrame
        existing: DataFrame[month, store, operator, sales] — each operator's SKUs'
                  existing forecast in that store-month (base currency);
        launches: DataFrame[month, store, operator, sales] — each operator's launch
                  contributions there (optional);
        store_operators: {store: [operator, ...]} — the store's operators in order
                  (optional; default: operators seen for the store, first-seen order);
        months:   the months to cover (optional; default: months seen).
        Returns DataFrame[month, store, operator, share]: one row per month × store ×
        operator of that store; shares sum to 1 per store-month.  A store-month whose
        total (existing + launches) is 0 is split equally over the store's operators.

    split_store_targets(store_targets, shares) -> DataFrame[month, store, operator, value]
        store_targets: DataFrame[month, store, target]; shares: output of
        operator_shares.  value = target × share (full precision; feed it to
        breakdown_cells).

    rollups(cells, column="rounded", decimals=2) -> dict[str, DataFrame]
        Sums of the (rounded) cells, exact in minor units:
        "month" DataFrame[month, value], "quarter" DataFrame[quarter, value]
        ('2026-Q1'), "store" DataFrame[store, value], "operator"
        DataFrame[operator, value], "store_month" DataFrame[store, month, value],
        "operator_month" DataFrame[operator, month, value], "company" float.

    quarter_of(month) -> str
        '2026-04' -> '2026-Q2'.

    reconcile(checks, decimals=2) -> DataFrame[check, expected, actual, difference, result]
        checks: iterable of (name, parts, total) — parts an iterable of numbers
        (a Series, an array, a list), total a number.  expected = total,
        actual = sum(parts), difference = actual − expected, all rounded to
        `decimals`; result "PASS" when the difference is 0 at that precision, else
        "FAIL".  One row per check, in the given order (for the Checks sheet).

    standard_checks(cells, tables=None, column="rounded", decimals=2) -> list[(name, parts, total)]
        The usual reconciliations of a rounded cell frame: each month's cells add up to
        the month total, quarters to months, stores and operators to the company
        total; `tables` (optional) maps a name to (parts, total) pairs computed
        elsewhere (the launch table, the Monthly sheet, ...) and is appended.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD"})


def minor_unit_decimals(currency: str) -> int:
    raise NotImplementedError


def round_largest_remainder(values: Any, decimals: int = 2, total: float | None = None) -> np.ndarray:
    raise NotImplementedError


def breakdown_cells(cells: pd.DataFrame, decimals: int = 2, total: float | None = None) -> pd.DataFrame:
    raise NotImplementedError


def operator_shares(existing: pd.DataFrame, launches: pd.DataFrame | None = None,
                    store_operators: Mapping[str, Sequence[str]] | None = None,
                    months: Sequence[str] | None = None) -> pd.DataFrame:
    raise NotImplementedError


def split_store_targets(store_targets: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    raise NotImplementedError


def quarter_of(month: str) -> str:
    raise NotImplementedError


def rollups(cells: pd.DataFrame, column: str = "rounded", decimals: int = 2) -> dict[str, Any]:
    raise NotImplementedError


def reconcile(checks: Iterable[tuple[str, Any, float]], decimals: int = 2) -> pd.DataFrame:
    raise NotImplementedError


def standard_checks(cells: pd.DataFrame, tables: Mapping[str, tuple[Any, float]] | None = None,
                    column: str = "rounded", decimals: int = 2) -> list[tuple[str, Any, float]]:
    raise NotImplementedError
