"""The planner's array paths against the pandas frames they replace: the same figures to the last bit, the same
rows, order and dtypes (operator cells, rollups, the compensated sum they share with pandas' groupby)."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import breakdown_reference as ref  # noqa: E402
from golden_book import golden_book, golden_sheets, sample_book, sample_shuffled_operators  # noqa: E402

from goalsheet.inputs import from_rows  # noqa: E402
from goalsheet.plan import assemble as A  # noqa: E402
from goalsheet.plan import breakdown as bd  # noqa: E402
from goalsheet.plan.engine import build_basis, derive  # noqa: E402


def _golden_store_operator_blank():
    """The golden seller read by the validator with one store's operator blank and its SKUs' operators blank:
    a book that passes validation with those SKUs' operator blank (NaN) after the store's is filled in."""
    sheets = golden_sheets()
    stores, skus = sheets["Stores"], sheets["SKUs"]
    stores[1][stores[0].index("operator")] = None
    for row in skus[1:]:
        if row[0] == stores[1][0]:
            row[skus[0].index("operator")] = None
    book, problems = from_rows(sheets)
    assert book is not None, problems
    return book


def _sample_some_operators_blank():
    """The sample with some SKUs' operators blank (NaN, None) here and there, so the rows without a pair sit
    between others: the frames' group ids are then not sorted, the others' would be (pandas adds them otherwise)."""
    book = sample_book()
    skus = book.skus.copy()
    ops = np.array([f"Op {s}" for s in skus["store"]], dtype=object)   # the SKUs in store order: ids sorted
    ops[1::4] = np.nan
    ops[2::7] = None
    skus["operator"] = ops
    stores = book.stores.copy()
    stores["operator"] = np.nan          # as the validator leaves a blank among given ones
    return dataclasses.replace(book, skus=skus, stores=stores)


def test_blank_operators_are_the_unassigned_operator_in_the_cells():
    """A SKU with no operator of its own in a store whose operator is blank (NaN) is the "(unassigned)" operator's:
    no blank key reaches the cells (tests/plan/test_blank_operator.py has the figures)."""
    from goalsheet.plan.engine import UNASSIGNED
    for make in (_golden_store_operator_blank, _sample_some_operators_blank):
        ops = build_basis(make()).econ["operator"]
        assert not ops.isna().any() and (ops == UNASSIGNED).any()


SELLERS = {"golden": golden_book, "sample": sample_book, "sample, operators shuffled": sample_shuffled_operators,
           "golden, a store's operator blank": _golden_store_operator_blank,
           "sample, some operators blank": _sample_some_operators_blank}


def _bits(a) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(a, dtype=float)).view(np.int64)


def _rollups_reference(cells: pd.DataFrame, column: str = "rounded", decimals: int = 2) -> dict:
    """`rollups` by pandas' groupby (the code it replaced): blank keys left out by groupby's dropna."""
    df = cells[["month", "store", "operator"]].copy()
    df["units"] = bd._to_units(cells[column], decimals)
    df["quarter"] = df["month"].map(bd.quarter_of)
    scale = 10 ** decimals

    def by(keys: list[str]) -> pd.DataFrame:
        g = df.groupby(keys, sort=False)["units"].sum().reset_index()
        g["value"] = g.pop("units") / scale
        return g

    return {"month": by(["month"]), "quarter": by(["quarter"]), "store": by(["store"]),
            "operator": by(["operator"]), "store_month": by(["store", "month"]),
            "operator_month": by(["operator", "month"]), "company": int(df["units"].sum()) / scale}


def _same_rollups(fast: dict, ref: dict) -> None:
    assert list(fast) == list(ref)
    for k in fast:
        if k == "company":
            assert fast[k] == ref[k]
        else:
            pd.testing.assert_frame_equal(fast[k], ref[k], check_exact=True)


@pytest.fixture(scope="module", params=list(SELLERS))
def planned(request):
    book = SELLERS[request.param]()
    basis = build_basis(book)
    return basis, derive(basis, 1.0)


def _operator_cells_reference(basis, d) -> pd.DataFrame:
    """`operator_cells` over long frames (month, store, operator, figure): the code it replaced."""
    pc = basis.plan_cols
    months = list(basis.calendar.plan_months)
    econ = basis.econ
    keys = pd.DataFrame({"store": econ["store"].to_numpy(), "operator": econ["operator"].to_numpy()})
    existing = _long(basis.E_sku[:, pc], keys, months, "sales")
    lt = d.launches.table
    launches = None
    if len(lt):
        lkeys = pd.DataFrame({"store": lt["store"].to_numpy(),
                              "operator": lt["operator"].fillna(A.UNASSIGNED).to_numpy()})
        launches = _long(d.launches.monthly[:, pc], lkeys, months, "sales")
    store_ops = {s: (basis.operators.get(s) or [A.UNASSIGNED]) for s in basis.stores}
    shares = ref.operator_shares(existing, launches, store_ops, months)
    store_targets = pd.DataFrame({"month": np.tile(months, len(basis.stores)),
                                  "store": np.repeat(basis.stores, len(months)),
                                  "target": d.T.reshape(-1)})
    cells = ref.split_store_targets(store_targets, shares)
    cells["share"] = shares["share"].to_numpy()
    ex = existing.groupby(["month", "store", "operator"], sort=False)["sales"].sum()
    idx = pd.MultiIndex.from_frame(cells[["month", "store", "operator"]])
    cells["existing"] = ex.reindex(idx).fillna(0.0).to_numpy(float)
    p_ex = _long(basis.P_sku[:, pc], keys, months, "profit").groupby(["month", "store", "operator"],
                                                                      sort=False)["profit"].sum()
    cells["existing_profit"] = p_ex.reindex(idx).fillna(0.0).to_numpy(float)
    u_ex = _long(basis.E_units_sku[:, pc], keys, months, "units").groupby(["month", "store", "operator"],
                                                                           sort=False)["units"].sum()
    cells["existing_units"] = u_ex.reindex(idx).fillna(0.0).to_numpy(float)
    a_ex = _long(basis.E_units_sku[:, pc] * econ["ads_base"].to_numpy(float)[:, None], keys, months, "ads")
    cells["existing_ads"] = a_ex.groupby(["month", "store", "operator"], sort=False)["ads"].sum() \
        .reindex(idx).fillna(0.0).to_numpy(float)
    # new-product sales of the cell, costed as its store-month's (3.4)
    s_pos = cells["store"].map({s: i for i, s in enumerate(basis.stores)}).to_numpy()
    m_pos = cells["month"].map({m: j for j, m in enumerate(months)}).to_numpy()
    cells["new"] = cells["value"] - cells["existing"]
    cells["new_profit"] = cells["new"] * d.profit_rate[s_pos, m_pos]
    cells["new_units"] = cells["new"] * d.units_rate[s_pos, m_pos]
    cells["new_ads"] = cells["new"] * d.ads_rate[s_pos, m_pos]
    cells["store_costs"] = A.store_costs(basis, d)[s_pos, m_pos] * cells["share"].to_numpy()
    return cells


def _long(matrix: np.ndarray, keys: pd.DataFrame, months: list, name: str) -> pd.DataFrame:
    """(row × month) matrix -> long frame month, store, operator, <name>, summed per key."""
    df = pd.DataFrame(matrix, columns=months)
    df["store"] = keys["store"].to_numpy()
    df["operator"] = keys["operator"].to_numpy()
    g = df.groupby(["store", "operator"], sort=False)[months].sum()
    long = g.stack().rename(name).reset_index()
    long.columns = ["store", "operator", "month", name]
    return long[["month", "store", "operator", name]]


def test_operator_cells_are_the_frames_cells(planned):
    basis, d = planned
    fast, frames = A.operator_cells(basis, d), _operator_cells_reference(basis, d)
    pd.testing.assert_frame_equal(fast, frames, check_exact=True)
    for c in fast.columns:
        if fast[c].dtype == float:
            assert (_bits(fast[c]) == _bits(frames[c])).all(), c


def test_rollups_are_the_groupby_sums(planned):
    basis, d = planned
    cells = bd.breakdown_cells(A.operator_cells(basis, d), 2)
    for column in ("rounded", "value", "existing"):
        _same_rollups(bd.rollups(cells, column, 2), _rollups_reference(cells, column, 2))


@pytest.mark.parametrize("dtype", ["str", "string"])
def test_rollups_with_blank_keys_are_the_groupby_sums(planned, dtype):
    """Stores and operators blanked here and there (None, NaN, pd.NA): left out of the groupings by that key
    as groupby leaves them out, counted in the company total."""
    basis, d = planned
    cells = bd.breakdown_cells(A.operator_cells(basis, d), 2)
    rng = np.random.default_rng(3)
    for k in ("month", "store", "operator"):
        cells[k] = cells[k].astype(dtype)
    n = len(cells)
    for k in ("store", "operator"):
        col = cells[k].astype(object).to_numpy(copy=True)
        col[rng.integers(0, n, max(1, n // 7))] = None
        col[rng.integers(0, n, max(1, n // 11))] = np.nan
        cells[k] = pd.Series(col, index=cells.index).astype(dtype)
    assert cells["store"].isna().any() and cells["operator"].isna().any()
    for column in ("rounded", "value"):
        _same_rollups(bd.rollups(cells, column, 2), _rollups_reference(cells, column, 2))
    empty = cells.iloc[:0]
    _same_rollups(bd.rollups(empty), _rollups_reference(empty))


def test_rollups_by_hand_with_object_keys():
    cells = pd.DataFrame({"month": np.array(["2026-02", "2026-01", "2026-02", "2026-04"], dtype=object),
                          "store": np.array(["B", "A", "A", "B"], dtype=object),
                          "operator": np.array(["Li", "Li", "Wu", "Wu"], dtype=object),
                          "rounded": [0.1, 0.2, 1.05, 2.0]})
    sums = bd.rollups(cells)
    assert sums["company"] == 3.35
    assert sums["month"]["month"].tolist() == ["2026-02", "2026-01", "2026-04"]
    assert sums["month"]["value"].tolist() == [1.15, 0.2, 2.0]
    assert sums["quarter"]["quarter"].tolist() == ["2026-Q1", "2026-Q2"]
    assert sums["quarter"]["value"].tolist() == [1.35, 2.0]
    assert sums["store_month"][["store", "month"]].values.tolist() == [["B", "2026-02"], ["A", "2026-01"],
                                                                       ["A", "2026-02"], ["B", "2026-04"]]
    for k, frame in sums.items():
        if k != "company":
            pd.testing.assert_frame_equal(frame, _rollups_reference(cells)[k], check_exact=True)


def test_rollups_leave_out_blank_keys_as_groupby_does():
    cells = pd.DataFrame({"month": ["2026-01", "2026-01"], "store": ["A", "A"], "operator": ["Li", None],
                          "rounded": [1.0, 2.0]})
    sums = bd.rollups(cells)
    assert sums["operator"]["value"].tolist() == [1.0]
    assert sums["operator_month"]["value"].tolist() == [1.0]
    assert sums["month"]["value"].tolist() == [3.0]
    assert sums["store_month"]["value"].tolist() == [3.0]
    assert sums["company"] == 3.0
    _same_rollups(sums, _rollups_reference(cells))


def test_operator_cells_refuse_a_store_off_the_stores_sheet():
    basis = build_basis(golden_book())
    d = derive(basis, 1.0)
    econ = basis.econ.copy()
    econ["store"] = econ["store"].where(econ.index != 0, "Nowhere")
    with pytest.raises(ValueError, match="not on the Stores sheet"):
        A.operator_cells(dataclasses.replace(basis, econ=econ), d)
