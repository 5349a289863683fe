"""build_table factorizes the text columns once and keeps all-number columns as float64 (round 4); the blank-row
and total-row scans, `sales.factor_column` and `parse_column` use them. The rows kept, the keys and the numbers
must be what the row-by-row reading gives."""
from __future__ import annotations

import numpy as np
import pandas as pd

from goalsheet.inputs.columns import ProblemSink, parse_column
from goalsheet.inputs.sales import factor_column
from goalsheet.inputs.schema import SALES
from goalsheet.inputs.tables import Grid, build_table, find_header

HEADER = ["month", "store", "sku", "units", "revenue"]


def _table(rows):
    grid = Grid("Sales", [HEADER] + rows)
    header, cols, heads, unmatched, _ = find_header(grid, SALES)
    return build_table(grid, SALES, header, cols, heads, unmatched)


def test_blank_and_total_rows_by_hand():
    """Rows 2..6: data, blank (spaces and None), data, `Total` row, data.  Kept: rows 2, 4, 6 (3 rows).

    Store codes over the kept rows: US, DE, US -> the distinct cells cut to US, DE ("Total" and "  " are gone);
    units 3, 4, 5 all numbers -> kept as float64 3.0 4.0 5.0; revenue has a text "n/a" in a kept row -> not kept
    as numbers (parsed cell by cell, with an error).
    """
    table = _table([
        ["2025-01", "US", "A-1", 3, 30.0],
        [None, "  ", "", None, None],
        ["2025-01", "DE", " A-1 ", 4, "n/a"],
        [None, "Total", None, 12, 100.0],
        ["2025-02", "US", "A-1", 5, 50.0],
    ])
    assert table.row_index.tolist() == [1, 3, 5]
    assert any("total row" in p.message for p in table.notes)
    codes, uniques = table.factors_of("store")
    assert list(uniques[codes]) == ["US", "DE", "US"]
    assert sorted(uniques) == ["DE", "US"]
    assert table.numbers_of("units").tolist() == [3.0, 4.0, 5.0]
    assert table.numbers_of("revenue") is None
    sink = ProblemSink([])
    sku_codes, skus = factor_column(table, SALES.column("sku"), sink)
    assert skus.tolist() == ["A-1"] and sku_codes.tolist() == [0, 0, 0]
    store_codes, stores = factor_column(table, SALES.column("store"), sink)
    assert stores.tolist() == ["DE", "US"] and store_codes.tolist() == [1, 0, 1]
    assert parse_column(table, SALES.column("units"), sink).tolist() == [3.0, 4.0, 5.0]
    revenue = parse_column(table, SALES.column("revenue"), sink)
    assert revenue[0] == 30.0 and np.isnan(revenue[1]) and revenue[2] == 50.0


def test_stale_factors_are_not_used():
    """Once `data` is replaced (another filter), the cached factors and numbers no longer apply."""
    table = _table([["2025-01", "US", "A-1", 3, 30.0], ["2025-01", "DE", "A-1", 4, 40.0]])
    assert table.factors_of("store") is not None
    table.data = table.data.iloc[[1]].reset_index(drop=True)
    assert table.factors_of("store") is None and table.numbers_of("units") is None
    codes, stores = factor_column(table, SALES.column("store"), ProblemSink([]))
    assert stores.tolist() == ["DE"] and codes.tolist() == [0]
    assert isinstance(table.data, pd.DataFrame)
