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
        in the caller's order.  Returns the same rows in month, store, operator
        order (each key in its order of first appearance in `cells`: pass months
        chronologically), index reset, with a `rounded` column added.  `total` (optional) is the
        grand total to round against; default the sum of `value`.

    (The split of a store-month's target over its operators, share = the operator's existing forecast +
    launch contributions there / the store's, equal shares where the store has none, is made by
    cells.operator_cells; tests/plan/breakdown_reference.py states it with frames as its reference.)

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

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD"})


def minor_unit_decimals(currency: str) -> int:
    """Decimals of the currency's minor unit: 0 for JPY (yen has no cents), else 2."""
    return 0 if str(currency).upper() in ZERO_DECIMAL_CURRENCIES else 2


def _round_half_away(x: float, decimals: int) -> int:
    """x in minor units (an int), half away from zero, reading x as its shortest decimal repr.

    `repr` is what the seller sees in Excel: 33.335 rounds to 33.34, not to 33.33 as
    the binary float 33.33499999... would."""
    from decimal import ROUND_HALF_UP, Decimal
    return int((Decimal(repr(float(x))) * (Decimal(10) ** decimals)).to_integral_value(rounding=ROUND_HALF_UP))


def _scaled(values: np.ndarray, decimals: int) -> np.ndarray:
    """values × 10^decimals, snapped to whole minor units where float noise hides one (0.29 × 100)."""
    scaled = values * (10.0 ** decimals)
    nearest = np.round(scaled)
    tolerance = np.maximum(1e-7, 16 * np.finfo(float).eps * np.abs(scaled))
    return np.where(np.abs(scaled - nearest) <= tolerance, nearest, scaled)


def round_largest_remainder(values: Any, decimals: int = 2, total: float | None = None) -> np.ndarray:
    """Round each value to `decimals` so that they add up exactly to the rounded total.

    Largest-remainder method, in integer minor units: every value is first rounded
    down; the minor units still missing to reach round(total) go one each to the
    values with the largest remainders (ties: the earlier value).  If the total asks
    for more (or fewer) units than there are values, every value gets the whole
    quotient first.  Negative values are fine (floor is towards −∞, the remainder is
    always in [0, 1)).

    round_largest_remainder([100/3, 100/3, 100/3 + 0.00001]) -> [33.33, 33.33, 33.34]
    """
    arr = np.asarray(values, dtype=float).reshape(-1)
    if arr.size == 0:
        return np.zeros(0)
    if not np.all(np.isfinite(arr)):
        raise ValueError("round_largest_remainder: values must be finite numbers")
    target = _round_half_away(math.fsum(arr) if total is None else float(total), decimals)
    scaled = _scaled(arr, decimals)
    floors = np.floor(scaled)
    remainders = np.round(scaled - floors, 9)          # near-ties are ties: earlier cell wins
    if float(np.abs(floors).max()) * arr.size < 2.0 ** 62:
        units = floors.astype(np.int64)
    else:      # minor units past what int64 sums hold (totals over ~10^16): whole Python ints, exact
        units = np.array([int(f) for f in floors.tolist()], dtype=object)
    missing = target - int(units.sum())
    quotient, rest = divmod(missing, arr.size)          # floor division: works for missing < 0
    units += quotient
    if rest:
        order = np.argsort(-remainders, kind="stable")
        units[order[:rest]] += 1
    out = units / (10 ** decimals) if decimals >= 0 else units * 10.0 ** (-decimals)
    return out if out.dtype == float else out.astype(float)


def round_one(x: float, decimals: int = 2) -> float:
    """One figure rounded half away from zero to `decimals` (as the largest-remainder rounding of a single value)."""
    return float(round_largest_remainder([x], decimals)[0])


def _first_seen_codes(series: pd.Series) -> np.ndarray:
    """Position of each value's first appearance: the caller's order, as a sort key."""
    order = {v: i for i, v in enumerate(pd.unique(series))}
    return series.map(order).to_numpy()


def breakdown_cells(cells: pd.DataFrame, decimals: int = 2, total: float | None = None) -> pd.DataFrame:
    """The finest cells (month × store × operator) rounded once against the rounded grand total.

    Rows are put in month, store, operator order — each in the order it first appears
    in `cells` — so remainder ties go to the earlier month, then store, then operator.
    """
    missing = {"month", "store", "operator", "value"} - set(cells.columns)
    if missing:
        raise ValueError(f"breakdown_cells: missing columns {sorted(missing)}")
    out = cells.copy()
    keys = pd.DataFrame({k: _first_seen_codes(out[k]) for k in ("month", "store", "operator")}, index=out.index)
    order = keys.sort_values(["month", "store", "operator"], kind="stable").index
    out = out.loc[order].reset_index(drop=True)
    out["rounded"] = round_largest_remainder(out["value"].to_numpy(dtype=float), decimals, total)
    return out


def quarter_of(month: str) -> str:
    """'2026-04' -> '2026-Q2'."""
    year, mm = str(month)[:7].split("-")
    return f"{year}-Q{(int(mm) - 1) // 3 + 1}"


def _to_units(values: Any, decimals: int) -> np.ndarray:
    return np.round(_scaled(np.asarray(values, dtype=float), decimals)).astype(np.int64)


def rollups(cells: pd.DataFrame, column: str = "rounded", decimals: int = 2) -> dict[str, Any]:
    """Every higher total as the exact sum of the rounded cells (in minor units, then back).

    Each key's totals in order of first appearance, summed as Python integers (exact, like pandas' int64 group
    sums); a cell with a blank key is left out of the groupings by that key (as groupby's dropna) and still
    counts in the company total."""
    keys = {k: cells[k] for k in ("month", "store", "operator")}
    units = _to_units(cells[column], decimals)
    scale = 10 ** decimals
    values = {k: c.tolist() for k, c in keys.items()}
    blank = {k: c.isna().to_numpy() for k, c in keys.items()}
    blank = {k: b for k, b in blank.items() if b.any()}
    quarter_of_month = {m: quarter_of(m) for m in dict.fromkeys(values["month"])}
    values["quarter"] = [quarter_of_month[m] for m in values["month"]]
    dtypes = {k: c.dtype for k, c in keys.items()}
    dtypes["quarter"] = dtypes["month"] if isinstance(dtypes["month"], pd.StringDtype) else np.dtype(object)
    unit_list = units.tolist()

    def by(names: list[str]) -> pd.DataFrame:
        rows = zip(*(values[k] for k in names)) if len(names) > 1 else values[names[0]]
        pairs = zip(rows, unit_list)
        skip = [blank[k] for k in names if k in blank]
        if skip:
            keep = ~np.logical_or.reduce(skip)
            pairs = (p for p, kept in zip(pairs, keep.tolist()) if kept)
        acc: dict[Any, int] = {}
        for key, u in pairs:
            acc[key] = acc.get(key, 0) + u
        got = list(acc)
        cols = {k: pd.Series([g[i] for g in got] if len(names) > 1 else got, dtype=dtypes[k])
                for i, k in enumerate(names)}
        cols["value"] = np.array(list(acc.values()), dtype=np.int64) / scale
        return pd.DataFrame(cols)

    return {"month": by(["month"]), "quarter": by(["quarter"]), "store": by(["store"]),
            "operator": by(["operator"]), "store_month": by(["store", "month"]),
            "operator_month": by(["operator", "month"]), "company": int(units.sum()) / scale}


def reconcile(checks: Iterable[tuple[str, Any, float]], decimals: int = 2) -> pd.DataFrame:
    """Rows for the Checks sheet: each total against the sum of its parts, PASS or FAIL.

    Compared at `decimals` (to the cent): expected = the total, actual = the sum of
    the parts, each rounded half away from zero to `decimals`."""
    rows = []
    scale = 10 ** decimals
    for name, parts, total in checks:
        part_values = np.asarray(list(parts) if not isinstance(parts, (pd.Series, np.ndarray)) else parts, dtype=float)
        actual_units = _round_half_away(math.fsum(part_values.tolist()), decimals)
        expected_units = _round_half_away(float(total), decimals)
        diff = actual_units - expected_units
        rows.append({"check": name, "expected": expected_units / scale, "actual": actual_units / scale,
                     "difference": diff / scale, "result": "PASS" if diff == 0 else "FAIL"})
    return pd.DataFrame(rows, columns=["check", "expected", "actual", "difference", "result"])


def standard_checks(cells: pd.DataFrame, tables: Mapping[str, tuple[Any, float]] | None = None,
                    column: str = "rounded", decimals: int = 2) -> list[tuple[str, Any, float]]:
    """The reconciliations every breakdown owes the Checks sheet, as (name, parts, total) triples.

    The rounded cells against the rounded exact total (the rounding lost nothing),
    then months, quarters, stores and operators against the company total; `tables` appends checks
    computed elsewhere (the launch table, the Monthly sheet's column, ...)."""
    sums = rollups(cells, column, decimals)
    company = sums["company"]
    checks: list[tuple[str, Any, float]] = []
    if "value" in cells.columns and column != "value":
        checks.append(("Rounded cells add up to the exact total", cells[column], math.fsum(cells["value"])))
    checks += [("Months add up to the year", sums["month"]["value"], company),
               ("Quarters add up to the year", sums["quarter"]["value"], company),
               ("Stores add up to the company", sums["store"]["value"], company),
               ("Operators add up to the company", sums["operator"]["value"], company)]
    for name, (parts, total) in (tables or {}).items():
        checks.append((name, parts, total))
    return checks
