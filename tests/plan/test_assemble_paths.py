"""Tables of the plan made over dicts and arrays against the pandas code they replace (kept here as the
reference): the same frames to the last bit, columns, order and dtypes, on the golden book, the sample and the
sample with its operators shuffled (several operators per store, in different orders)."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_book import golden_book, sample_book, sample_shuffled_operators  # noqa: E402

from goalsheet.plan import assemble as A  # noqa: E402
from goalsheet.plan import breakdown as bd  # noqa: E402


SELLERS = {"golden": golden_book, "sample": sample_book, "sample, operators shuffled": sample_shuffled_operators}


def _captured(book, name):
    """The arguments make_plan gives `name` and what it returned."""
    seen = []
    f = getattr(A, name)

    def spy(*args, **kwargs):
        out = f(*args, **kwargs)
        seen.append((args, kwargs, out))
        return out
    setattr(A, name, spy)
    try:
        A.make_plan(book)
    finally:
        setattr(A, name, f)
    return seen[0]


@pytest.fixture(scope="module", params=list(SELLERS))
def book(request):
    return SELLERS[request.param]()


def _same(fast: pd.DataFrame, ref: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fast, ref, check_exact=True)
    assert list(fast.columns) == list(ref.columns)
    for c in fast.columns:
        a, b = fast[c].to_numpy(), ref[c].to_numpy()
        assert a.dtype == b.dtype, c
        if a.dtype.kind == "f":
            assert np.array_equal(a.view(np.int64), b.view(np.int64)), c


# ---- store_operator_tables ----

def _store_operator_tables_reference(basis, cells, sums, parts, decimals, salaries, bonus_table):
    months = list(basis.calendar.plan_months)
    tnp = A._round(parts["target_net_profit"], decimals)
    bonus_of = A._operator_bonus(bonus_table)
    c = cells.assign(p=cells["existing_profit"] + cells["new_profit"] - cells["store_costs"])
    op_profit_cells = c.groupby("operator", sort=False)["p"].sum()
    ops = list(salaries["operator"])
    pay = dict(zip(salaries["operator"], salaries["monthly_salary"] * 12))
    op_profit = np.array([op_profit_cells.get(o, 0.0) - pay.get(o, 0.0) - bonus_of.get(o, 0.0) for o in ops])
    op_store = c.groupby(["operator", "store"], sort=False)["value"].sum()
    store_profit = c.groupby("store", sort=False)["p"].sum().reindex(basis.stores, fill_value=0.0).to_numpy(float)
    store_T = c.groupby("store", sort=False)["value"].sum().reindex(basis.stores, fill_value=0.0).to_numpy(float)
    for o in ops:
        cost = pay.get(o, 0.0) + bonus_of.get(o, 0.0)
        w = np.array([op_store.get((o, s), 0.0) for s in basis.stores], dtype=float)
        if w.sum() <= 0:
            w = store_T.copy() if store_T.sum() > 0 else np.ones(len(basis.stores))
        if w.sum() > 0:
            store_profit = store_profit - cost * w / w.sum()

    def wide(level, names, profit):
        sm = sums[f"{level}_month"].pivot(index=level, columns="month", values="value")
        sm = sm.reindex(index=names, columns=months).fillna(0.0)
        out = pd.DataFrame({level: names})
        for i, m in enumerate(months, start=1):
            out[f"m{i:02d}"] = sm[m].to_numpy()
        out["total"] = sums[level].set_index(level)["value"].reindex(names, fill_value=0.0).to_numpy()
        out["net_profit"] = bd.round_largest_remainder(profit, decimals, total=tnp) if len(names) else []
        return out

    return wide("store", basis.stores, store_profit), wide("operator", ops, op_profit)


def test_store_operator_tables_are_the_reference(book):
    args, kwargs, _ = _captured(book, "store_operator_tables")
    fast = A.store_operator_tables(*args, **kwargs)
    ref = _store_operator_tables_reference(*args, **kwargs)
    for f, r in zip(fast, ref):
        _same(f, r)


def test_store_operator_tables_without_operators_or_stores(book):
    args, kwargs, _ = _captured(book, "store_operator_tables")
    basis, cells, sums, parts, decimals, salaries, bonus_table = args
    no_ops = salaries.iloc[:0]
    for f, r in zip(A.store_operator_tables(basis, cells, sums, parts, decimals, no_ops, None),
                    _store_operator_tables_reference(basis, cells, sums, parts, decimals, no_ops, None)):
        _same(f, r)
    no_stores = dataclasses.replace(basis, stores=[])
    fast = A.store_operator_tables(no_stores, cells, sums, parts, decimals, salaries, bonus_table)
    ref = _store_operator_tables_reference(no_stores, cells, sums, parts, decimals, salaries, bonus_table)
    assert fast[0].empty and list(fast[0].columns) == ["store", *[f"m{i:02d}" for i in range(1, 13)], "total",
                                                       "net_profit"]
    for f, r in zip(fast, ref):
        _same(f, r)


# ---- products_table's flags ----

def test_flag_texts_are_flag_text_of_each_row(book):
    args, kwargs, table = _captured(book, "products_table")
    e = args[0].econ
    ref = [A.flag_text(r) for r in e[["loss_making", "low_margin", "ads_heavy"]].itertuples(index=False)]
    ex = e["existing"].to_numpy(bool)
    assert table["flags"].tolist() == [t for t, keep in zip(ref, ex) if keep]
    combos = [(a, b, c) for a in (False, True) for b in (False, True) for c in (False, True)]
    got = A.flag_texts(*map(list, zip(*combos)))
    assert got == [A.flag_text(A._Flags(*k)) for k in combos]
    assert got[3] == "margin under 10%, ads heavy" and got[4] == "loss-making" and got[0] == ""
