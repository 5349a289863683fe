"""The Sales sheet, long or wide form, summed to one row per month × store × SKU (SPEC.md section 2).

Long form: `month`, `store`, `sku`, `units`, `revenue`, optional `ad_spend`, `refunds` (Seller
Central's report headers are aliases).  Daily or weekly rows are summed into their calendar month.
Wide form: `store`, `sku`, then one revenue column per month, optionally further blocks whose header
puts the measure before the month (`units 2025-03`, `销量 2025年3月`, `ad_spend 2025-03`).
Vectorised with pandas: the sheet may have Excel's full 1,048,575 rows.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from goalsheet.inputs.columns import ProblemSink, parse_column
from goalsheet.inputs.model import Problem
from goalsheet.inputs.schema import SALES, normalise
from goalsheet.inputs.tables import (Grid, Table, _lookup, build_table, column_names_index, find_header,
                                     missing_columns_problems)
from goalsheet.inputs.values import BadValue, parse_month

MEASURES = ("units", "revenue", "ad_spend", "refunds")
SALES_COLUMNS = ["month", "store", "sku", "units", "revenue", "ad_spend", "refunds"]


def empty_sales() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object if c in ("month", "store", "sku") else "float64")
                         for c in SALES_COLUMNS})


def wide_header(value: object) -> tuple[str, str] | None:
    """A wide-form header -> (measure, 'YYYY-MM'), or None.

    >>> wide_header("2025-03"), wide_header("units 2025-03"), wide_header("广告花费 2025年3月")
    (('revenue', '2025-03'), ('units', '2025-03'), ('ad_spend', '2025-03'))
    """
    try:
        month = parse_month(value)
        if month is not None:
            return "revenue", month
    except BadValue:
        pass
    if not isinstance(value, str):
        return None
    text = value.strip()
    index = column_names_index(SALES)
    splits = [m.start() for m in re.finditer(r"[\s_:：]+", text)]
    first_digit = re.search(r"\d", text)
    if first_digit:
        splits.append(first_digit.start())
    for cut in splits:
        measure, rest = text[:cut].strip(" _:："), text[cut:].strip(" _:：")
        if not measure or not rest:
            continue
        key = _lookup(index, measure)
        if key not in MEASURES:
            continue
        try:
            month = parse_month(rest)
        except BadValue:
            continue
        if month is not None:
            return key, month
    return None


def _is_measure_month(value: object) -> bool:
    """`units 2025-03`: a wide-form block header, not the long form's units column."""
    return isinstance(value, str) and bool(re.search(r"\d", value)) and wide_header(value) is not None


def _is_wide(cols: dict[str, int], unmatched: list[tuple[int, object]]) -> bool:
    return "store" in cols and "sku" in cols and "month" not in cols and any(
        wide_header(v) is not None for _, v in unmatched)


def read_sales(grid: Grid, sink: ProblemSink, problems: list[Problem]) -> tuple[pd.DataFrame, Table | None, dict]:
    """Sales as (summed frame, the table, info) where info has 'form' and 'first_cell' of each store/SKU."""
    header, cols, heads, unmatched, best = find_header(grid, SALES, extra_ok=_is_wide, special=_is_measure_month)
    if header is None:
        problems.extend(missing_columns_problems(grid, SALES, best))
        return empty_sales(), None, {"form": None}
    if _is_wide(cols, unmatched):
        return _read_wide(grid, header, cols, heads, unmatched, sink, problems)
    table = build_table(grid, SALES, header, cols, heads, unmatched)
    info = {"form": "long"}
    if len(table.data) == 0:
        problems.append(Problem(grid.name, "", "the Sales sheet has no rows of data under its header"))
        return empty_sales(), table, info
    parsed = {c.key: parse_column(table, c, sink) for c in SALES.columns}
    frame = pd.DataFrame(parsed)
    for k in ("ad_spend", "refunds"):
        frame[k] = frame[k].fillna(0.0)
    info["positions"] = np.arange(len(frame))
    ok = frame["month"].notna() & frame["store"].notna() & frame["sku"].notna()
    info["first_cell"] = _first_cells(table, frame)
    return _sum_months(frame[ok]), table, info


def _first_cells(table: Table, frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    """The first Sales cell (the SKU's) where each store × SKU appears, for reference problems."""
    keys = frame[["store", "sku"]].dropna()
    first = keys.drop_duplicates()
    out = {}
    for pos, (store, sku) in zip(first.index, first.itertuples(index=False)):
        out[(store, sku)] = table.cell(int(pos), "sku") if "sku" in table.columns else ""
    return out


def _sum_months(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per month × store × SKU (daily and weekly rows add up), sorted by month, store, SKU."""
    if frame.empty:
        return empty_sales()
    numbers = frame[["units", "revenue", "ad_spend", "refunds"]]
    keys = [frame["month"].astype(object), frame["store"].astype(object), frame["sku"].astype(object)]
    summed = numbers.groupby(keys, sort=True, dropna=True).sum(min_count=1)
    summed.index.names = ["month", "store", "sku"]
    summed = summed.reset_index()
    for k in ("ad_spend", "refunds"):
        summed[k] = summed[k].fillna(0.0)
    for k in ("month", "store", "sku"):
        summed[k] = summed[k].astype(object)
    return summed[SALES_COLUMNS].reset_index(drop=True)


def _read_wide(grid: Grid, header: int, cols: dict[str, int], heads: dict[str, str],
               unmatched: list[tuple[int, object]], sink: ProblemSink,
               problems: list[Problem]) -> tuple[pd.DataFrame, Table, dict]:
    month_cols: list[tuple[int, str, str]] = []   # (column, measure, month)
    seen: dict[tuple[str, str], int] = {}
    for j, v in unmatched:
        parsed = wide_header(v)
        if parsed is None:
            continue
        if parsed in seen:
            problems.append(Problem(grid.name, grid.a1(header, j), f'column "{v}" repeats {parsed[0]} of '
                                                                   f"{parsed[1]} (also in column "
                                                                   f"{grid.a1(header, seen[parsed])}); both are added",
                                    "warning"))
        seen[parsed] = j
        month_cols.append((j, *parsed))
    keep = {k: cols[k] for k in ("store", "sku") if k in cols}
    table = build_table(grid, SALES, header, keep, {k: heads[k] for k in keep}, unmatched,
                        extra_cols=[j for j, _, _ in month_cols])
    info = {"form": "wide", "first_cell": {}}
    if len(table.data) == 0:
        problems.append(Problem(grid.name, "", "the Sales sheet has no rows of data under its header"))
        return empty_sales(), table, info
    store = parse_column(table, SALES.column("store"), sink)
    sku = parse_column(table, SALES.column("sku"), sink)
    frames = []
    for j, measure, month in month_cols:
        col = SALES.column(measure)
        # parse the month column as if it were the measure's column
        table.columns[measure] = j
        table.headers[measure] = str(grid.rows[header][j]).strip()
        table.data[measure] = table.data[j]
        values = parse_column(table, col, sink)
        frames.append(pd.DataFrame({"month": month, "store": store, "sku": sku, "measure": measure,
                                    "value": values}))
    for measure in MEASURES:
        table.columns.pop(measure, None)
    long = pd.concat(frames, ignore_index=True)
    long = long[long["store"].notna() & long["sku"].notna()]
    wide = long.pivot_table(index=["month", "store", "sku"], columns="measure", values="value", aggfunc="sum",
                            dropna=False, observed=True)
    wide = wide.reset_index()
    for m in MEASURES:
        if m not in wide.columns:
            wide[m] = np.nan
    wide = wide[wide[["units", "revenue"]].notna().any(axis=1)]
    if not any(m == "units" for _, m, _ in month_cols):
        info["units_missing"] = True
    for k in ("ad_spend", "refunds"):
        wide[k] = wide[k].fillna(0.0)
    frame = pd.DataFrame({"month": wide["month"].astype(object), "store": wide["store"].astype(object),
                          "sku": wide["sku"].astype(object), "units": wide["units"].astype(float),
                          "revenue": wide["revenue"].fillna(0.0).astype(float),
                          "ad_spend": wide["ad_spend"].astype(float), "refunds": wide["refunds"].astype(float)})
    frame = frame.sort_values(["month", "store", "sku"], kind="stable").reset_index(drop=True)
    pairs = pd.DataFrame({"store": store, "sku": sku}).dropna().drop_duplicates()
    info["first_cell"] = {(a, b): table.cell(int(p), "sku") for p, (a, b) in
                          zip(pairs.index, pairs.itertuples(index=False))}
    return frame, table, info


__all__ = ["read_sales", "wide_header", "empty_sales", "normalise"]
