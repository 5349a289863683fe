"""The plan's cash plans (plan/cash/inputs.CashSearch: the plan's own and the fundable-target search's) against
the cash plan of the same target made row by row (`cash_reference.cash_inputs` -> `cash.cash_plan`, one row per
SKU × month): the same table, purchases and stock to float noise and the same verdict, for targets below, at and
above the plan's, on the golden seller, the sample seller (whose planned launch has its own price and unit cost)
and the sample seller with its last three history months left out, so October to December 2025 are bridge
months, and a copy of its planned launch in November 2025."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from plan.cash_reference import cash_inputs
from plan.golden_book import golden_book, sample_book

from goalsheet.plan import cash as cp
from goalsheet.plan import make_plan
from goalsheet.plan.basis import build_basis, derive
from goalsheet.plan.cash.inputs import CashSearch, bonus_payments


def _sample_with_bridge_months():
    """History through September 2025 for the plan year 2026, and the planned launch also in November."""
    book = sample_book()
    sales = book.sales[book.sales["month"].astype(str) <= "2025-09"].reset_index(drop=True)
    bridge_launch = book.launches.iloc[[0]].assign(launch_month="2025-11")
    return dataclasses.replace(book, sales=sales,
                               launches=pd.concat([book.launches, bridge_launch], ignore_index=True))


SELLERS = {"golden": golden_book, "sample": sample_book, "sample with bridge months": _sample_with_bridge_months}


@pytest.fixture(scope="module", params=list(SELLERS))
def seller(request):
    book = SELLERS[request.param]()
    plan, _ = make_plan(book)
    basis = build_basis(book)
    payments = None
    if plan.tables.get("bonus") is not None and len(plan.tables["bonus"]):
        # the period bonuses; each target's launch bonuses are its own launches' (launch_bonus per launch)
        # (bonus.py's plan names the Bonus table's `bonus_<pct>` columns `bonus_at_<pct>`)
        scheme_plan = plan.tables["bonus"].rename(columns={f"bonus_{p}": f"bonus_at_{p}" for p in (80, 100, 120)})
        payments = bonus_payments(basis, scheme_plan, launches=False)
    launch_bonus = float(book.settings.get("launch_bonus") or 0.0)
    return request.param, basis, (payments, launch_bonus)


@pytest.mark.parametrize("k", [0.25, 0.9, 1.0, 1.7, 6.0, 40.0])
def test_search_cash_plan_is_the_row_by_row_plan(seller, k):
    name, basis, payments = seller
    search = CashSearch(basis, derive(basis, 1.0), *payments)
    d = derive(basis, k)
    fast = search.cash_plan(d)
    exact = cp.cash_plan(cash_inputs(basis, d, *payments), tables=False)
    a = exact.table.drop(columns="month").to_numpy(float)
    b = fast.table.drop(columns="month").to_numpy(float)
    assert list(fast.table.columns) == list(exact.table.columns)
    assert np.abs(a - b).max() <= 1e-9 * max(1.0, np.abs(a).max())
    assert fast.feasible == exact.feasible
    assert fast.peak_need == pytest.approx(exact.peak_need, rel=1e-12, abs=1e-6)
    assert fast.capacity_shortfall == pytest.approx(exact.capacity_shortfall)


@pytest.mark.parametrize("k", [0.5, 1.0, 3.0])
def test_the_plans_purchases_and_stock_are_the_row_by_row_ones(seller, k):
    """With its tables (the plan's own cash plan): the purchase orders and the stock table too, in stock units
    and value."""
    name, basis, payments = seller
    d = derive(basis, k)
    fast = CashSearch(basis, d, *payments).cash_plan(d, tables=True)
    exact = cp.cash_plan(cash_inputs(basis, d, *payments))
    for got, want in ((fast.orders, exact.orders), (fast.first_orders, exact.first_orders)):
        assert len(want)
        for field in ("store", "launch", "units"):
            assert getattr(got, field).tolist() == getattr(want, field).tolist()
        for field in ("first_sale_day", "last_sale_day", "deposit", "balance", "order_day", "balance_day"):
            a, b = getattr(want, field), getattr(got, field)
            assert np.abs(a - b).max() <= 1e-9 * max(1.0, np.abs(a).max())
    for got, want in ((fast.stock, exact.stock),):
        assert len(got) and got.columns.tolist() == want.columns.tolist()
        keys = [c for c in want.columns if c in ("month", "store", "line")]
        assert got[keys].astype(str).values.tolist() == want[keys].astype(str).values.tolist()
        a, b = want.drop(columns=keys).to_numpy(float), got.drop(columns=keys).to_numpy(float)
        assert np.abs(a - b).max() <= 1e-9 * max(1.0, np.abs(a).max())
    assert fast.opening_stock == pytest.approx(exact.opening_stock)


def test_the_sellers_exercise_own_valued_launches_and_bridge_months():
    """The comparison above would not see a mistake in the own-valued launches' or bridge months' units if
    no seller had them: the sample has an own-valued launch, its variant bridge months with launches in them."""
    sample = build_basis(sample_book())
    assert derive(sample, 1.0).launches.table["own_values"].any()
    bridged = build_basis(_sample_with_bridge_months())
    lt = derive(bridged, 1.0).launches.table
    assert bridged.calendar.bridge == ("2025-10", "2025-11", "2025-12")
    assert (lt["month"] == "2025-11").any() and lt["own_values"].any()
