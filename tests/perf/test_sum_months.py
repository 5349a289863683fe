"""inputs/sales._sum_months: rows left out by `ok`, and the distinct (store, SKU) pairs found by marking."""
from __future__ import annotations

import numpy as np

from goalsheet.inputs.sales import _sum_months


def _keys(months, stores, skus):
    return {"month": (np.array(months[0]), np.array(months[1], dtype=object)),
            "store": (np.array(stores[0]), np.array(stores[1], dtype=object)),
            "sku": (np.array(skus[0]), np.array(skus[1], dtype=object))}


def test_by_hand():
    """Rows (month, store, SKU, units, revenue):
    0: 2025-01 US A 1 10;  1: 2025-01 US A 2 20;  2: 2025-02 DE B 3 30;  3: 2025-01 DE B 100 1000 (left out).
    Sums: 2025-01 US A = 1 + 2 = 3 units, 10 + 20 = 30;  2025-02 DE B = 3, 30.  Ad spend blank -> 0.
    Pairs sorted by store then SKU: (DE, B), (US, A)."""
    keys = _keys(([0, 0, 1, 0], ["2025-01", "2025-02"]), ([1, 1, 0, 0], ["DE", "US"]), ([0, 0, 1, 1], ["A", "B"]))
    measures = {"units": np.array([1.0, 2, 3, 100]), "revenue": np.array([10.0, 20, 30, 1000]),
                "ad_spend": np.full(4, np.nan), "refunds": np.zeros(4)}
    frame = _sum_months(keys, measures, np.array([True, True, True, False]))
    assert frame[["month", "store", "sku"]].values.tolist() == [["2025-01", "US", "A"], ["2025-02", "DE", "B"]]
    assert frame["units"].tolist() == [3.0, 3.0]
    assert frame["revenue"].tolist() == [30.0, 30.0]
    assert frame["ad_spend"].tolist() == [0.0, 0.0]
    assert frame.attrs["pairs"] == [("DE", "B"), ("US", "A")]


def test_every_row_kept():
    """All rows ok: 2025-01 DE A 1 + 2025-01 DE A 4 = 5 units; 2025-01 US B 2.  Pairs (DE, A), (US, B)."""
    keys = _keys(([0, 0, 0], ["2025-01"]), ([0, 1, 0], ["DE", "US"]), ([0, 1, 0], ["A", "B"]))
    measures = {k: np.array([1.0, 2, 4]) for k in ("units", "revenue", "ad_spend", "refunds")}
    frame = _sum_months(keys, measures, np.ones(3, dtype=bool))
    assert frame["store"].tolist() == ["DE", "US"] and frame["units"].tolist() == [5.0, 2.0]
    assert frame.attrs["pairs"] == [("DE", "A"), ("US", "B")]
