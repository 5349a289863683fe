"""The sums the plan's cash plans start from (plan/cash/inputs.CashSearch): the existing products summed once per
store × month, the run-rate per store and the history per month × store (SPEC 3.6: every flow is linear in the
units).  That the cash plans made from them are the row-by-row ones: tests/plan/test_cash_search.py."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from goalsheet.plan.cash import inputs as funding


def _econ(**cols):
    base = dict(fx=1.0, referral=0.0, admin_fee_cap=0.0, net_price=0.0, fba_fee=0.0, storage_fee=0.0,
                placement_fee=0.0, dst=0.0, payout_fee=0.0, return_rate=0.0, ads=0.0, cogs=0.0, freight=0.0,
                duty=0.0, other_cost=0.0, sell_price=0.0, run_rate=0.0, run_rate_units=0.0)
    n = len(next(iter(cols.values())))
    return pd.DataFrame({c: cols.get(c, [v] * n) for c, v in base.items()})


def test_existing_totals_by_hand():
    """Store S (position 0) has SKUs a and b; SKU c belongs to no store (left out).  Two months.
    a: 10 then 20 units, net price 50, fba 10 -> payout 40 a unit; return_rate 0.2, cogs 8, freight 2.
    b: 30 then 0 units, net price 30 -> payout 30; return_rate 0, cogs 5.
    Month 1 payout: 10 x 40 + 30 x 30 = 1 300; month 2: 20 x 40 = 800.
    Stock per unit sold: a 1 - 0.2 / 2 = 0.9, b 1.
    Month 1 cogs: 10 x 0.9 x 8 + 30 x 1 x 5 = 72 + 150 = 222; freight 10 x 0.9 x 2 = 18.
    Month 2 cogs: 20 x 0.9 x 8 = 144; freight 20 x 0.9 x 2 = 36.  Return rate of the summed rows: 0.
    Stock units (what the purchases order): month 1 10 x 0.9 + 30 = 39, month 2 20 x 0.9 = 18.
    Sales at the forecast's revenue per unit (run-rate 1 000 / 20 units = 50 for a, 900 / 30 = 30 for b):
    month 1 10 x 50 + 30 x 30 = 1 400, month 2 20 x 50 = 1 000."""
    basis = SimpleNamespace(
        months=("2026-01", "2026-02"), stores=["S"], sku_store=np.array([0, 0, -1]),
        E_units_sku=np.array([[10.0, 20.0], [30.0, 0.0], [99.0, 99.0]]),
        econ=_econ(net_price=[50.0, 30.0, 1.0], fba_fee=[10.0, 0.0, 0.0], return_rate=[0.2, 0.0, 0.0],
                   cogs=[8.0, 5.0, 1.0], freight=[2.0, 0.0, 1.0], run_rate=[1_000.0, 900.0, 1.0],
                   run_rate_units=[20.0, 30.0, 1.0]))
    t = funding._existing_totals(basis)
    assert list(t["month"].astype(str)) == ["2026-01", "2026-02"]
    assert list(t["line"].astype(str)) == ["existing", "existing"]
    assert t["payout_per_unit"].tolist() == pytest.approx([1_300.0, 800.0])
    assert t["sales_per_unit"].tolist() == pytest.approx([1_400.0, 1_000.0])
    assert t["cogs_per_unit"].tolist() == pytest.approx([222.0, 144.0])
    assert t["freight_per_unit"].tolist() == pytest.approx([18.0, 36.0])
    assert t["stock_units"].tolist() == pytest.approx([10 * 0.9 + 30 * 1.0, 20 * 0.9])
    assert t["return_rate"].tolist() == [0.0, 0.0]


def test_unchanged_totals_by_hand():
    """History: two rows of store S in 2025-12 (5 units at payout 40 / refund 2, 10 units at 30 / 1) -> one
    row, units 1, payout 5 x 40 + 10 x 30 = 500, refund 5 x 2 + 10 x 1 = 20.  Run rate of S: 10 units,
    return_rate 0.2, cogs 8 -> 10 x 0.9 x 8 = 72 per unit of the summed row; duty 1 -> 9."""
    history = pd.DataFrame({"month": ["2025-12", "2025-12"], "store": ["S", "S"], "units": [5.0, 10.0],
                            "payout_per_unit": [40.0, 30.0], "refund_per_unit": [2.0, 1.0]})
    run_rate = pd.DataFrame({"store": ["S"], "units": [10.0], "cogs_per_unit": [8.0], "freight_per_unit": [0.0],
                             "duty_per_unit": [1.0], "other_cost_per_unit": [np.nan], "return_rate": [0.2]})
    h, r, _ = funding._unchanged_totals(history, run_rate, None)
    assert h.to_dict("records") == [{"month": "2025-12", "store": "S", "units": 1.0, "payout_per_unit": 500.0,
                                     "refund_per_unit": 20.0}]
    assert r.iloc[0]["cogs_per_unit"] == pytest.approx(72.0)
    assert r.iloc[0]["duty_per_unit"] == pytest.approx(9.0)
    assert r.iloc[0]["other_cost_per_unit"] == 0.0 and r.iloc[0]["return_rate"] == 0.0
