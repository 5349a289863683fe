"""The Sales sheet, long or wide form, summed to one row per month × store × SKU (SPEC.md section 2).

Long form: `month`, `store`, `sku`, `units`, `revenue`, optional `ad_spend`, `refunds` (Seller
Central's report headers are aliases).  Daily or weekly rows are summed into their calendar month.
Wide form: `store`, `sku`, then one revenue column per month, optionally further blocks whose header
puts the measure before the month (`units 2025-03`, `销量 2025年3月`, `ad_spend 2025-03`).
Vectorised with pandas: the sheet may have Excel's full 1,048,575 rows.
"""
from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd

from goalsheet.inputs.columns import ProblemSink, parse_column, text_values
from goalsheet.inputs.model import Problem
from goalsheet.inputs.schema import SALES
from goalsheet.inputs.tables import (Grid, Table, _lookup, build_table, column_names_index, find_header,
                                     missing_columns_problems)
from goalsheet.inputs.values import BadValue, parse_month
from goalsheet.words import Phrase, Term

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
    problems.extend(table.notes)
    info = {"form": "long"}
    if len(table.data) == 0:
        problems.append(Problem(grid.name, table.first_row_to_fill(), code="sales_no_rows"))
        return empty_sales(), table, info
    keys = {k: factor_column(table, SALES.column(k), sink) for k in ("month", "store", "sku")}
    measures = {k: parse_column(table, SALES.column(k), sink).to_numpy(dtype="float64")
                for k in MEASURES}
    ok = (keys["month"][0] >= 0) & (keys["store"][0] >= 0) & (keys["sku"][0] >= 0)
    info["has_blanks"] = (not ok.all()) or any(np.isnan(measures[k]).any() for k in MEASURES if k in table.columns)
    with np.errstate(invalid="ignore"):
        odd = np.flatnonzero((measures["units"] == 0) & (measures["revenue"] > 0))
    if len(odd):
        problems.append(Problem(grid.name, table.cell(int(odd[0]), "units"), severity="warning",
                                code="revenue_no_units", args={"count": len(odd)}))
    info["raw_codes"] = (keys["store"], keys["sku"], table)
    summed = _sum_months(keys, measures, ok)
    info["pairs"] = summed.attrs.pop("pairs")
    return summed, table, info


def factor_column(table: Table, column, sink: ProblemSink) -> tuple[np.ndarray, np.ndarray]:
    """A key column as (codes, sorted distinct parsed values): each distinct cell is parsed once.

    Code -1 marks a blank or bad cell (reported to `sink`).  Cells that parse to the same value
    (the days of one month, `SKU-1` and ` SKU-1 `) share a code.
    """
    factor = table.factors_of(column.key)      # factorized once by build_table
    codes, uniques = factor if factor is not None else pd.factorize(table.data[column.key].to_numpy(dtype=object),
                                                                    use_na_sentinel=True)
    parsed: list[object] = []
    bad: dict[int, Phrase] = {}
    if column.kind == "month":
        for j, u in enumerate(uniques):
            try:
                v = parse_month(u)
            except BadValue as e:
                v, bad[j] = None, e.phrase
            parsed.append(v)
    else:
        parsed = text_values(uniques)          # text_value raises no BadValue
    parsed_arr = np.array(parsed, dtype=object)
    valid = np.array([v is not None for v in parsed], dtype=bool)
    final_codes, final_uniques = pd.factorize(parsed_arr[valid], sort=True) if valid.any() else (
        np.array([], dtype=np.int64), np.array([], dtype=object))
    remap = np.full(len(parsed) + 1, -1, dtype=np.int64)
    remap[np.flatnonzero(valid)] = final_codes
    out = remap[codes]                         # codes == -1 picks remap[-1] == -1
    header = table.headers.get(column.key, column.key)
    letter = table.column_cell(column.key).rstrip("0123456789")
    if (out < 0).any():
        for pos in np.flatnonzero(out < 0):
            c = int(codes[pos])
            msg = Phrase("cell_value", {"header": header, "reason": bad[c]}) if c >= 0 and c in bad else \
                Phrase("required_blank", {"header": header})
            sink.add(table.sheet, lambda p=int(pos): table.cell(p, column.key), msg, "error", column=letter)
    return out, np.asarray(final_uniques, dtype=object)


def first_cell(info: dict, store: str, sku: str) -> str:
    """The first Sales cell (the SKU's) where a store × SKU appears, for reference problems."""
    if "first_cell" in info:
        return info["first_cell"].get((store, sku), "")
    (store_codes, stores), (sku_codes, skus), table = info["raw_codes"]
    si, ki = np.flatnonzero(stores == store), np.flatnonzero(skus == sku)
    if not len(si) or not len(ki) or "sku" not in table.columns:
        return ""
    hits = np.flatnonzero((store_codes == si[0]) & (sku_codes == ki[0]))
    return table.cell(int(hits[0]), "sku") if len(hits) else ""


def _sum_months(keys: dict, measures: dict, ok: np.ndarray) -> pd.DataFrame:
    """One row per month × store × SKU (daily and weekly rows add up), sorted by month, store, SKU.

    Vectorised: the three key codes (sorted factors) make one integer key, and the measures are
    summed with bincount.  `attrs["pairs"]` lists the distinct (store, sku).
    """
    if not ok.any():
        frame = empty_sales()
        frame.attrs["pairs"] = []
        return frame
    (cm, um), (cs, us), (ck, uk) = keys["month"], keys["store"], keys["sku"]
    ns, nk = max(len(us), 1), max(len(uk), 1)
    every = bool(ok.all())                     # the usual case: no row to leave out, no copies
    pick = (lambda a: a) if every else (lambda a: a[ok])
    key = (pick(cm) * ns + pick(cs)) * nk + pick(ck)
    groups, inverse = _distinct_keys(key)
    out = {"month": um[groups // (ns * nk)], "store": us[(groups // nk) % ns], "sku": uk[groups % nk]}
    for k in MEASURES:
        out[k] = np.bincount(inverse, weights=np.nan_to_num(pick(measures[k])), minlength=len(groups))
    # the arrays are new: the Series take them as they are (the frame makes its own blocks of them)
    frame = pd.DataFrame({k: pd.Series(out[k], dtype=object if k in ("month", "store", "sku") else "float64",
                                       copy=False) for k in SALES_COLUMNS})
    pair_key = groups % (ns * nk)
    if ns * nk <= 4 * len(pair_key) + 1024:    # the distinct pairs, sorted, by marking them (no sort)
        present = np.zeros(ns * nk, dtype=bool)
        present[pair_key] = True
        pair_codes = np.flatnonzero(present)
    else:
        pair_codes = np.unique(pair_key)
    frame.attrs["pairs"] = list(zip(us[pair_codes // nk], uk[pair_codes % nk]))
    return frame


def _distinct_keys(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(key, return_inverse=True); in one pass, without sorting, when the rows are already in key
    order (a Sales sheet sorted by month, store, SKU: the usual export)."""
    if len(key) > 1 and bool((key[1:] >= key[:-1]).all()):
        new = np.empty(len(key), dtype=bool)           # where a key differs from the one before
        new[0] = False
        np.not_equal(key[1:], key[:-1], out=new[1:])
        inverse = np.cumsum(new, dtype=np.intp)
        new[0] = True
        return key[np.flatnonzero(new)], inverse
    return np.unique(key, return_inverse=True)


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
            problems.append(Problem(grid.name, grid.a1(header, j), severity="warning", code="wide_column_repeats",
                                    args={"header": v, "measure": Term("measure", parsed[0]), "month": parsed[1],
                                          "first": grid.a1(header, seen[parsed])}))
        seen[parsed] = j
        month_cols.append((j, *parsed))
    keep = {k: cols[k] for k in ("store", "sku") if k in cols}
    table = build_table(grid, SALES, header, keep, {k: heads[k] for k in keep}, unmatched,
                        extra_cols=[j for j, _, _ in month_cols])
    problems.extend(table.notes)
    info = {"form": "wide", "first_cell": {}}
    if len(table.data) == 0:
        problems.append(Problem(grid.name, table.first_row_to_fill(), code="sales_no_rows"))
        return empty_sales(), table, info
    store = parse_column(table, SALES.column("store"), sink)
    sku = parse_column(table, SALES.column("sku"), sink)
    frames = []
    for j, measure, month in month_cols:
        col = dataclasses.replace(SALES.column(measure), required=False)   # a blank month: no sales
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
    wide = (long.groupby(["month", "store", "sku", "measure"], sort=True)["value"].sum(min_count=1)
            .unstack("measure").reset_index())
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


__all__ = ["read_sales", "wide_header", "empty_sales", "first_cell"]
