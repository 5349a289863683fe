"""The largest fundable target (SPEC 3.6) and the monotone properties: more cash never makes a
plan less feasible, nor lowers the largest fundable target."""
from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalsheet.plan.cash import CashInputs, cash_plan, largest_fundable_target

YEAR = [f"2026-{m:02d}" for m in range(1, 13)]


def threshold(limit: float, target: float, shortfall_above: float | None = None):
    """A fake evaluate: k·T is fundable while k·T ≤ limit; capacity falls short above
    `shortfall_above`."""
    calls = []

    def evaluate(k: float):
        calls.append(k)
        short = 1.0 if shortfall_above is not None and k * target > shortfall_above else 0.0
        return SimpleNamespace(feasible=k * target <= limit, capacity_shortfall=short)
    return evaluate, calls


def test_search_up_to_one_unit():
    """T = 1 000, fundable up to 1 234.5.  k = 1 is feasible, k = 2 (2 000) is not; bisect
    [1, 2] until the bracket is ≤ 1 unit wide (1 000 / 2^10 = 0.98 after ten halvings).
    The answer is feasible (≤ 1 234.5) and within one unit of it (> 1 233.5)."""
    evaluate, calls = threshold(1234.5, 1000.0)
    r = largest_fundable_target(1000.0, evaluate)
    assert 1233.5 < r.largest_target <= 1234.5
    assert not r.at_least
    assert calls[:2] == [1.0, 2.0]
    assert len(calls) == 2 + 10
    assert r.k == pytest.approx(r.largest_target / 1000.0)


def test_search_doubles_to_100_then_reports_at_least():
    """Everything fundable: k = 1, 2, 4, 8, 16, 32, 64, 100 all feasible → "at least 100 × T"."""
    evaluate, calls = threshold(math.inf, 500.0)
    r = largest_fundable_target(500.0, evaluate)
    assert calls == [1, 2, 4, 8, 16, 32, 64, 100]
    assert r.at_least and r.k == 100 and r.largest_target == 50_000


def test_search_between_64_and_100():
    """Fundable up to 80 × T = 80 000 (T = 1 000): 64 feasible, 100 not; bisect [64, 100]:
    the answer is within one unit below 80 000."""
    evaluate, _ = threshold(80_000.0, 1000.0)
    r = largest_fundable_target(1000.0, evaluate)
    assert 79_999 < r.largest_target <= 80_000 and not r.at_least


def test_search_halves_when_the_target_is_not_fundable():
    """T = 1 000, fundable up to 300: k = 1 and 0.5 fail, 0.25 (250) is feasible; bisect
    [0.25, 0.5] to one unit: the answer is in (299, 300]."""
    evaluate, calls = threshold(300.0, 1000.0)
    r = largest_fundable_target(1000.0, evaluate)
    assert calls[:3] == [1.0, 0.5, 0.25]
    assert 299 < r.largest_target <= 300


def test_search_reaches_zero():
    """T = 1 000, only ≤ 0.5 fundable: halving reaches k = 1/1 024 (0.98 < 1 unit) → k = 0; the
    last infeasible k is 1/512 (1.95); one bisection at 1/1 024 fails, and the bracket
    [0, 0.98] is within a unit: the largest fundable target is 0."""
    evaluate, calls = threshold(0.5, 1000.0)
    r = largest_fundable_target(1000.0, evaluate)
    assert r.largest_target == 0 and r.k == 0
    assert calls[-1] == pytest.approx(1 / 1024)
    assert 1 / 1024 not in calls[:-1]


def test_capacity_binding_is_reported():
    """Cash funds up to 5 000 (T = 1 000) but launch capacity falls short above 3 000: the
    cash-feasible k = 4 (4 000) has a shortfall, so capacity binds before cash; the smallest
    cash-feasible target tried with a shortfall is reported (4 000: k = 1, 2 have none).
    Without a shortfall anywhere it is not reported."""
    evaluate, _ = threshold(5000.0, 1000.0, shortfall_above=3000.0)
    r = largest_fundable_target(1000.0, evaluate)
    assert r.capacity_binds
    assert 3000 < r.capacity_binds_at <= 4000
    evaluate, _ = threshold(5000.0, 1000.0)
    assert not largest_fundable_target(1000.0, evaluate).capacity_binds


# --------------------------------------------------------------------------- a synthetic seller

PRICE = 100.0   # CNY a unit, what buyers pay
UNIT = dict(payout_per_unit=60.0, refund_per_unit=1.0, ads_per_unit=15.0, cogs_per_unit=25.0, freight_per_unit=5.0,
            duty_per_unit=2.0, other_cost_per_unit=1.0, return_rate=0.04)
MATURE_SALES_PER_LAUNCH = 150 * PRICE * 10   # a launch's sales over March .. December


def seller(k: float, target: float, cash: float, credit: float = 0.0, capacity: int | None = None) -> CashInputs:
    """Existing products sell 20 000 a month (200 units); the target k·T is filled by new products
    selling (k·T − 2 400 000) / 10 a month from March, with ⌈(k·T − E) / 150 000⌉ launches in
    March, each with a first order of 450 units and a 15 000 launch budget."""
    existing = 12 * 2000 * PRICE
    new_sales = max(0.0, k * target - existing)
    launches = math.ceil(new_sales / MATURE_SALES_PER_LAUNCH - 1e-9)
    shortfall = 0.0
    if capacity is not None and launches > capacity:
        shortfall = (launches - capacity) * MATURE_SALES_PER_LAUNCH
    sales = [dict(month=m, store="CN1", line="existing", units=2000.0, **UNIT) for m in YEAR]
    sales += [dict(month=m, store="CN1", line="new", units=new_sales / 10 / PRICE, **UNIT) for m in YEAR[2:]]
    launch_rows = pd.DataFrame([dict(month="2026-03", store="CN1", count=launches, first_order_units=450.0,
                                     cogs_per_unit=25.0, freight_per_unit=5.0, duty_per_unit=2.0,
                                     other_cost_per_unit=1.0, launch_budget=15_000.0, ramp_months=3)])
    fixed = pd.DataFrame([dict(month=m, store_fees=300.0, expenses=5_000.0, salaries=20_000.0) for m in YEAR])
    run_rate = pd.DataFrame([dict(store="CN1", units=2000.0, cogs_per_unit=25.0, freight_per_unit=5.0,
                                  duty_per_unit=2.0, other_cost_per_unit=1.0, return_rate=0.04)])
    history = pd.DataFrame([dict(month="2025-12", store="CN1", units=2000.0, payout_per_unit=60.0,
                                 refund_per_unit=1.0)])
    return CashInputs(months=YEAR, sales=pd.DataFrame(sales), cash_available=cash, credit_line=credit,
                      history_sales=history, run_rate=run_rate, launches=launch_rows, fixed_costs=fixed,
                      capacity_shortfall=shortfall)


def test_article_example_a_dream_target():
    """The SPEC's article example: 100 000 CNY of cash cannot carry a 100 000 000 CNY target —
    new products must sell 100 000 000 − 2 400 000 = 97 600 000, which takes
    ⌈97 600 000 / 150 000⌉ = 651 launches whose first orders alone cost 651 × 450 × 33 =
    9 667 350, due before March, months before their payouts come in.  So the plan is infeasible, the peak need is positive, and the largest fundable target
    is below 100 000 000.  With 1 000 000 000 CNY of cash the same target is feasible."""
    target = 100_000_000.0
    poor = cash_plan(seller(1.0, target, cash=100_000.0))
    assert not poor.feasible and poor.peak_need > 0
    found = largest_fundable_target(target, lambda k: cash_plan(seller(k, target, cash=100_000.0)))
    assert found.largest_target < target
    assert cash_plan(seller(found.k, target, cash=100_000.0)).feasible
    rich = cash_plan(seller(1.0, target, cash=1_000_000_000.0))
    assert rich.feasible and rich.peak_need == 0


def test_credit_line_counts():
    """Peak need ≤ credit line is feasible: a credit line of exactly the peak need makes the
    dream target fundable, one unit less does not."""
    target = 100_000_000.0
    need = cash_plan(seller(1.0, target, cash=100_000.0)).peak_need
    assert cash_plan(seller(1.0, target, cash=100_000.0, credit=need)).feasible
    assert not cash_plan(seller(1.0, target, cash=100_000.0, credit=need - 1.0)).feasible


@settings(max_examples=25, deadline=None)
@given(cash=st.floats(0, 5e7), extra=st.floats(0, 5e7), k=st.floats(0, 3), credit=st.floats(0, 1e6))
def test_more_cash_is_never_less_feasible(cash, extra, k, credit):
    target = 5_000_000.0
    less = cash_plan(seller(k, target, cash, credit))
    more = cash_plan(seller(k, target, cash + extra, credit))
    assert more.peak_need <= less.peak_need
    assert more.feasible or not less.feasible
    assert more.downside_peak_need <= less.downside_peak_need


@settings(max_examples=10, deadline=None)
@given(cash=st.floats(0, 3e6), extra=st.floats(0, 3e6), capacity=st.sampled_from([None, 5, 40]))
def test_more_cash_never_lowers_the_largest_fundable_target(cash, extra, capacity):
    target = 5_000_000.0

    def search(c):
        return largest_fundable_target(target, lambda k: cash_plan(seller(k, target, c, capacity=capacity)))
    assert search(cash + extra).largest_target >= search(cash).largest_target
