"""Planned launches with their own price, monthly units or unit cost (SPEC 2, Launches sheet: "what is not
given comes from the new_* defaults"; 3.5).  Their contribution, first order, write-off and the profit of
the new-product sales they bring must use the launch's own values."""
import numpy as np
import pandas as pd
import pytest

from conformance.conformance_seller import book, sheets
from plan.cash_reference import cash_inputs

from goalsheet.plan import launches as nl
from goalsheet.plan import make_plan
from goalsheet.plan.basis import build_basis, derive


def _sheets():
    """One US store, SKU A at 100 (referral 15, fba 10, cogs 40: unit_net 35), 100 units a month, growth 0,
    S flat: E = 10 000 a month.  Total mode 150 000: T = 12 500 a month, T − E = 2 500 a month.  No added
    launches (capacity 0); one planned launch in March 2026 with its own price 200 USD, 10 units a month,
    unit cost 60; success 0.5, failure write-off 0.5, ramp 1.  The store's default new product is SKU A's
    medians: price 100, unit cost 40, unit_net 35."""
    s = sheets({"target_mode": "total", "target_total": 150_000, "new_monthly_units": 10,
                "launches_per_operator_month": 0, "new_success_rate": 0.5, "new_failure_writeoff": 0.5})
    s["Launches"] = [["launch_month", "store", "operator", "count", "price", "monthly_units", "unit_cost"],
                     ["2026-03", "S", "Ann", 1, 200, 10, 60]]
    return s


def test_contribution_first_order_and_writeoff_use_the_launch_values():
    """Contribution: 0.5 × 10 units × 200 = 1 000 a month, March..December = 10 000.
    First order 3 × 10 = 30 units × (60 + duty 0 + other 0) = 1 800; write-off (1 − 0.5) × 1 800 × 0.5 = 450.
    Own unit_net: 200 − 0.15 × 200 − 10 − 60 = 100."""
    lp = derive(build_basis(book(_sheets()))).launches
    r = lp.table.iloc[0]
    assert r["contribution"] == pytest.approx(10_000)
    assert r["first_order_units"] == 30 and r["first_order_cost"] == pytest.approx(1_800)
    assert r["writeoff"] == pytest.approx(450)
    assert r["price_base"] == pytest.approx(200) and r["unit_net_base"] == pytest.approx(100)


def test_sales_rates_weight_the_launches_by_their_contribution():
    """Store 0 has two launches in month 1 earning 1 000 at 0.5 and 3 000 at 0.3 per unit of sales:
    (500 + 900) / 4 000 = 0.35; month 0 has none: the store default 0.2.  Store 1 has none: 0.4."""
    table = pd.DataFrame({"store": ["X", "X"]})
    lp = nl.LaunchPlan(table, np.array([[0.0, 1_000.0], [0.0, 3_000.0]]), np.zeros(2), np.zeros(2))
    rates = nl.sales_rates(lp, ["X", "Y"], np.array([0.2, 0.4]), np.array([0.5, 0.3]), np.arange(2))
    assert rates == pytest.approx(np.array([[0.2, 0.35], [0.4, 0.4]]))


def test_target_net_profit_costs_the_new_sales_at_the_launch_own_unit_net():
    """Existing 1 200 units × 35 = 42 000.  T − E = 2 500 a month.  January and February (before the first
    launch) at the existing mix 35 / 100 = 0.35: 2 × 2 500 × 0.35 = 1 750.  March..December at the launch's
    own 100 / 200 = 0.5: 10 × 2 500 × 0.5 = 12 500 (at the default product's 0.35 it would be 8 750).
    Less the write-off 450 and the US store fee 12 × 39.99 = 479.88:
    42 000 + 1 750 + 12 500 − 450 − 479.88 = 55 320.12.
    Units: March..December the new-product sales are 2 500 / 200 = 12.5 units a month (not 25)."""
    plan, _ = make_plan(book(_sheets()))
    assert plan.headline.target_net_profit == pytest.approx(55_320.12, abs=0.005)
    m = plan.tables["monthly"].set_index("month")
    assert m.loc["2026-03", "units"] == pytest.approx(100 + 12.5, abs=0.5)


def test_cash_table_stocks_the_new_sales_at_the_launch_own_price():
    """The cash table's new-product line in March 2026: T − E = 2 500 of sales at the launch's own 200 a unit
    = 12.5 units (the default product's 100 would make it 25)."""
    basis = build_basis(book(_sheets()))
    d = derive(basis)
    sales = cash_inputs(basis, d, None).sales
    new = sales[(sales["line"] == "new") & (sales["month"] == "2026-03")]
    assert new["units"].sum() == pytest.approx(12.5)


def test_cash_table_splits_a_store_month_between_own_and_default_launches():
    """Beside the own-priced launch, a second planned March launch at the defaults (price 100, 10 units).
    Contributions a month: own 0.5 × 10 × 200 = 1 000, default 0.5 × 10 × 100 = 500; of 1 500.
    T − E = 2 500 a month: the own launch sells 2 500 × 1 000 / 1 500 = 1 666.67 at 200 = 8.333 units,
    paid out 200 − 0.15 × 200 − 10 = 160 a unit, cogs 60; the default product 833.33 at 100 = 8.333 units,
    paid out 100 − 15 − 10 = 75, cogs 40.  Together 16.667 units, as the monthly table's 2 500 / 150."""
    s = _sheets()
    s["Launches"].append(["2026-03", "S", "Ann", 1, None, None, None])
    basis = build_basis(book(s))
    d = derive(basis)
    sales = cash_inputs(basis, d, None).sales
    new = sales[(sales["line"] == "new") & (sales["month"] == "2026-06")]
    by_cogs = new.groupby("cogs_per_unit")[["units", "payout_per_unit"]].agg({"units": "sum", "payout_per_unit": "max"})
    assert by_cogs.loc[60.0, "units"] == pytest.approx(2_500 * 2 / 3 / 200)
    assert by_cogs.loc[60.0, "payout_per_unit"] == pytest.approx(160)
    assert by_cogs.loc[40.0, "units"] == pytest.approx(2_500 / 3 / 100)
    assert by_cogs.loc[40.0, "payout_per_unit"] == pytest.approx(75)
    assert new["units"].sum() == pytest.approx(d.new_units[0, 5]) and new["units"].sum() == pytest.approx(2_500 / 150)
