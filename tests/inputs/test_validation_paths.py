"""The validation's fast paths against straightforward references: the Defaults made in bulk, build_skus over
arrays (the old frame-at-a-time code kept below), text and blank cells judged by their distinct cells."""
from __future__ import annotations

import dataclasses
import math
import pickle

import numpy as np
import pandas as pd
import pytest

from goalsheet.inputs import from_rows, schema
from goalsheet.inputs.columns import ProblemSink, text_column, text_value, text_values
from goalsheet.inputs.model import REASON_DEFAULT, Default, Phrase, Problem, defaults_of
from goalsheet.inputs.read import Grid
from goalsheet.inputs.schema import SKUS, STORES
from goalsheet.inputs.tables import _blank_cell, blank_cells, build_table, closest, find_header
from goalsheet.inputs.validate import build_skus, build_stores, read_table


def test_defaults_of_are_the_dataclass_objects():
    de, us = (Phrase("reason_marketplace", {"marketplace": m}) for m in ("DE", "US"))
    made = defaults_of("SKUs", "vat_rate", [("S / A", 0.19, de), ("S / B", 0.0, us)])
    expected = [Default("SKUs", "S / A", "vat_rate", 0.19, Phrase("reason_marketplace", {"marketplace": "DE"})),
                Default("SKUs", "S / B", "vat_rate", 0.0, Phrase("reason_marketplace", {"marketplace": "US"}))]
    assert made == expected
    assert [type(d) for d in made] == [Default, Default]
    assert [hash(d) for d in made] == [hash(d) for d in expected]
    assert [repr(d) for d in made] == [repr(d) for d in expected]
    assert pickle.loads(pickle.dumps(made)) == expected
    assert pickle.dumps(made) == pickle.dumps(expected)
    assert dataclasses.asdict(made[0]) == dataclasses.asdict(expected[0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        made[0].value = 1.0
    assert defaults_of("SKUs", "x", []) == []


def _old_build_skus(table, stores, problems, defaults):
    """build_skus as it was (a frame copied, filled column by column): the reference."""
    frame = table.parsed.copy()
    seen = {}
    keep = np.ones(len(frame), dtype=bool)
    for pos, (store, sku) in enumerate(zip(frame["store"], frame["sku"])):
        if store is None or sku is None:
            continue
        if (store, sku) in seen:
            problems.append(Problem(table.sheet, table.cell(pos, "sku"),
                                    f'SKU "{sku}" of store "{store}" has two rows (first at '
                                    f'{table.cell(seen[(store, sku)], "sku")}); keep one'))
            keep[pos] = False
            continue
        seen[(store, sku)] = pos
        if stores and store not in stores:
            hint = closest("", [store], list(stores))
            problems.append(Problem(table.sheet, table.cell(pos, "store"),
                                    f'store "{store}" is not in the Stores sheet'
                                    + (f'; did you mean "{hint}"?' if hint else "")))
    frame = frame[keep].reset_index(drop=True)
    identity = [f"{a} / {b}" for a, b in zip(frame["store"], frame["sku"])]
    for c in SKUS.columns:
        if c.default is None:
            continue
        blank = frame[c.key].isna().to_numpy()
        if not blank.any():
            continue
        frame.loc[blank, c.key] = c.default
        for i in np.flatnonzero(blank):
            defaults.append(Default("SKUs", identity[i], c.key, c.default, REASON_DEFAULT))
    store_col = frame["store"].to_numpy(dtype=object)
    market = np.array([stores[s].marketplace if s in stores else "US" for s in store_col], dtype=object)
    for key, by_market in (("vat_rate", schema.MARKET_VAT), ("dst_rate", schema.MARKET_DST)):
        values = frame[key].to_numpy(dtype="float64", copy=True)
        for i in np.flatnonzero(np.isnan(values)):
            values[i] = by_market.get(market[i], 0.0)
            defaults.append(Default("SKUs", identity[i], key, float(values[i]),
                                    Phrase("reason_marketplace", {"marketplace": market[i]})))
        frame[key] = values
    ops = frame["operator"].to_numpy(dtype=object, copy=True)
    for i in np.flatnonzero(pd.isna(ops)):
        info = stores.get(store_col[i])
        if info is not None and isinstance(info.operator, str) and info.operator.strip():   # a named operator
            ops[i] = info.operator
            defaults.append(Default("SKUs", identity[i], "operator", info.operator,
                                    Phrase("reason_operator_of_store", {"store": info.store})))
    frame["operator"] = pd.Series(ops, dtype=object)
    return frame


STORES_ROWS = [["store", "marketplace", "operator"], ["Acme US", "US", "Wang"], ["Acme DE", "DE", None],
               ["Acme XX", None, "Li"], ["Acme JP", "JP", "Zhao"], ["Acme BR", "BR", None]]
SKUS_HEAD = ["store", "sku", "operator", "price", "cogs", "fba_fee", "freight", "vat_rate", "status", "promo_rate",
             "dst_rate"]
SKUS_ROWS = [
    ["Acme US", "A-1", None, 19.99, 5.0, 3.0, None, None, None, 0.1, None],
    ["Acme US", "A-2", "Chen", 9.99, 2.0, 2.5, 1.5, 0.0, "discontinued", None, 0.02],
    ["Acme DE", "D-1", None, 29.0, 8.0, 4.0, None, None, "active", None, None],
    ["Acme US", "A-1", None, 19.99, 5.0, 3.0, None, None, None, None, None],        # a duplicate
    ["Acme DX", "X-1", "Li", 5.0, 1.0, 1.0, 2.0, 0.2, None, None, None],            # an unknown store
    ["Acme JP", "J-1", None, 900.0, 300.0, 200.0, None, None, None, None, None],
    ["Acme XX", "Z-9", None, 12.0, 3.0, 2.0, None, 0.1, None, 0.05, None],
    [None, "N-1", None, 12.0, 3.0, 2.0, None, None, None, None, None],              # a blank store
    ["  ", "  ", None, None, None, None, None, None, None, None, None],              # a blank row
    ["Acme DE", "D-2", "Wang", 11.0, 3.0, 2.0, 0.5, None, None, None, 0.03],
    ["Acme BR", "B-1", None, 50.0, 10.0, 5.0, None, None, None, None, None],
]


def _frame_state(frame):
    return frame.to_dict("split"), [str(t) for t in frame.dtypes], dict(frame.attrs)


def _same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("with_stores", [True, False])
@pytest.mark.parametrize("rows", [SKUS_ROWS, SKUS_ROWS[:3], [r[:7] for r in SKUS_ROWS]])
def test_build_skus_as_the_reference(with_stores, rows):
    head = SKUS_HEAD[:len(rows[0])]
    sink, problems = ProblemSink([]), []
    stores_table = read_table(Grid("Stores", [list(r) for r in STORES_ROWS]), STORES, sink, problems)
    stores = build_stores(stores_table, None, None, problems, []) if with_stores else None
    info = {r.store: r for r in stores.itertuples(index=False)} if with_stores else {}
    table = read_table(Grid("SKUs", [head] + [list(r) for r in rows]), SKUS, sink, problems)
    got_problems, got_defaults = [], []
    want_problems, want_defaults = [], []
    got = build_skus(table, info, got_problems, got_defaults)
    want = _old_build_skus(table, info, want_problems, want_defaults)
    assert _same(_frame_state(got), _frame_state(want))
    assert got_defaults == want_defaults and len(got_defaults) > 0
    assert got_problems == want_problems
    assert not np.shares_memory(got["price"].to_numpy(), table.parsed["price"].to_numpy())


def test_build_skus_by_hand():
    book, problems = from_rows({
        "Settings": [["key", "value"], ["base_currency", "USD"], ["cash_available", 10000]],
        "Stores": [["store", "marketplace", "operator"], ["Acme DE", "DE", "Wang"]],
        "SKUs": [["store", "sku", "price", "cogs", "fba_fee", "vat_rate"],
                 ["Acme DE", "D-1", 29.0, 8.0, 4.0, None], ["Acme DE", "D-2", 11.0, 3.0, 2.0, 0.07]],
        "FX": [["currency", "rate"], ["EUR", 1.1]],
        "Sales": [["month", "store", "sku", "units", "revenue"], ["2025-01", "Acme DE", "D-1", 3, 87.0],
                  ["2025-01", "Acme DE", "D-2", 1, 11.0]],
    })
    assert book is not None, problems
    skus = book.skus
    assert skus["vat_rate"].tolist() == [schema.MARKET_VAT["DE"], 0.07]
    assert skus["operator"].tolist() == ["Wang", "Wang"]
    assert skus["status"].tolist() == ["active", "active"]
    assert skus["referral_rate"].tolist() == [0.15, 0.15]
    assert skus["price"].dtype == "float64" and skus["status"].dtype == object
    sku_defaults = [d for d in book.defaults if d.sheet == "SKUs"]
    assert Default("SKUs", "Acme DE / D-1", "vat_rate", schema.MARKET_VAT["DE"],
                   Phrase("reason_marketplace", {"marketplace": "DE"})) in sku_defaults
    assert Default("SKUs", "Acme DE / D-2", "operator", "Wang",
                   Phrase("reason_operator_of_store", {"store": "Acme DE"})) in sku_defaults
    assert not any(d.row == "Acme DE / D-2" and d.column == "vat_rate" for d in sku_defaults)


ODD_CELLS = ["SKU-1", " SKU-1 ", "", "   ", "\t", "Total", "  GRAND total ", "合计：", "sum:", "x", "\u3000", "ｘ"]


@pytest.mark.parametrize("cells", [ODD_CELLS, ODD_CELLS + [None, float("nan")], ODD_CELLS + [12345.0, True, 1.5],
                                   [None, float("nan")], []])
def test_cells_judged_by_their_distinct_cells(cells):
    values = np.array(cells, dtype=object)
    assert blank_cells(values) == [_blank_cell(v) for v in values]
    uniques = pd.unique(np.array([v for v in cells if v is not None and v == v], dtype=object))
    assert text_values(uniques) == [text_value(v) for v in uniques]
    raw = pd.Series(np.array(cells * 3, dtype=object), dtype=object)
    factor = pd.factorize(raw.to_numpy(dtype=object), use_na_sentinel=True)
    assert text_column(raw, factor).tolist() == [text_value(v) for v in raw]
    assert text_column(raw).tolist() == [text_value(v) for v in raw]


def test_total_rows_found_by_their_distinct_cells():
    rows = [["store", "sku", "price", "cogs", "fba_fee"], ["Acme", "A-1", 1.0, 1.0, 1.0],
            ["Acme", " Grand  TOTAL: ", 2.0, 2.0, 2.0], ["Total", None, 3.0, 3.0, 3.0], ["Acme", "A-2", 4.0, 4.0, 4.0],
            ["合计", None, 5.0, 5.0, 5.0], ["Acme", "total row", 6.0, 6.0, 6.0]]
    grid = Grid("SKUs", rows)
    header, cols, heads, unmatched, _ = find_header(grid, SKUS)
    table = build_table(grid, SKUS, header, cols, heads, unmatched)
    assert table.data["sku"].tolist() == ["A-1", "A-2", "total row"]
    assert table.row_index.tolist() == [1, 4, 6]
    assert [p.message for p in table.notes] == ["row 3, 4, 6 looks like a total row and is skipped"]
    codes, uniques = table.factors_of("sku")
    assert uniques[codes].tolist() == ["A-1", "A-2", "total row"]


@pytest.mark.parametrize("seed", range(5))
def test_distinct_keys_as_np_unique(seed):
    from goalsheet.inputs.sales import _distinct_keys
    rng = np.random.default_rng(seed)
    for n in (2, 3, 7, 500):
        for key in (np.sort(rng.integers(0, 6, n)), rng.integers(0, 6, n), np.zeros(n, dtype=np.int64)):
            groups, inverse = _distinct_keys(key.astype(np.int64))
            want_groups, want_inverse = np.unique(key, return_inverse=True)
            assert groups.tolist() == want_groups.tolist()
            assert inverse.tolist() == want_inverse.tolist() and inverse.dtype == np.intp
    assert _distinct_keys(np.array([3, 3, 5, 9, 9, 9], dtype=np.int64))[1].tolist() == [0, 0, 1, 2, 2, 2]
