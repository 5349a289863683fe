"""The operator split (SPEC 3.7, plan/cells.operator_cells) against the split stated with long frames
(tests/plan/breakdown_reference.py): the same cells, in the same order, with the same target, share and
existing forecast to a hundredth of a cent, on the golden seller, the sample and the sample with its operators
shuffled (several operators per store, in orders that differ from store to store)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from plan import breakdown_reference as ref
from plan.golden_book import golden_book, sample_book, sample_shuffled_operators

from goalsheet.plan.basis import build_basis, derive
from goalsheet.plan.cells import operator_cells
from goalsheet.plan.launches import UNASSIGNED

SELLERS = {"golden": golden_book, "sample": sample_book, "sample, operators shuffled": sample_shuffled_operators}


def _long(matrix: np.ndarray, store, operator, months: list) -> pd.DataFrame:
    """(row × month) -> month, store, operator, sales, summed per (store, operator)."""
    df = pd.DataFrame(matrix, columns=months)
    df["store"], df["operator"] = np.asarray(store, dtype=object), np.asarray(operator, dtype=object)
    long = df.groupby(["store", "operator"], sort=False)[months].sum().stack().rename("sales").reset_index()
    long.columns = ["store", "operator", "month", "sales"]
    return long[["month", "store", "operator", "sales"]]


@pytest.mark.parametrize("seller", list(SELLERS))
def test_operator_cells_are_the_reference_split(seller):
    basis = build_basis(SELLERS[seller]())
    d = derive(basis, 1.0)
    months = list(basis.calendar.plan_months)
    pc = basis.plan_cols
    existing = _long(basis.E_sku[:, pc], basis.econ["store"], basis.econ["operator"], months)
    lt = d.launches.table
    launches = _long(d.launches.monthly[:, pc], lt["store"], lt["operator"].fillna(UNASSIGNED), months) \
        if len(lt) else None
    shares = ref.operator_shares(existing, launches, {s: basis.operators.get(s) or [UNASSIGNED]
                                                      for s in basis.stores}, months)
    targets = pd.DataFrame({"month": np.tile(months, len(basis.stores)),
                            "store": np.repeat(basis.stores, len(months)), "target": d.T.reshape(-1)})
    expected = ref.split_store_targets(targets, shares)
    key = ["month", "store", "operator"]
    ex = existing.groupby(key, sort=False)["sales"].sum()
    expected_existing = ex.reindex(pd.MultiIndex.from_frame(expected[key])).fillna(0.0).to_numpy(float)

    cells = operator_cells(basis, d)
    assert cells[key].values.tolist() == expected[key].values.tolist()
    np.testing.assert_allclose(cells["value"], expected["value"], rtol=0, atol=1e-4)
    np.testing.assert_allclose(cells["share"], shares["share"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(cells["existing"], expected_existing, rtol=0, atol=1e-4)
    # the split keeps each store-month's target
    by_store_month = cells.groupby(["store", "month"], sort=False)["value"].sum()
    np.testing.assert_allclose(by_store_month.loc[list(zip(targets["store"], targets["month"]))].to_numpy(),
                               targets["target"].to_numpy(), rtol=0, atol=1e-4)
