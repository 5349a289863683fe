"""Properties of the plan over generated small sellers (hypothesis).

- every total equals the sum of its parts, to the cent, at every level (the Checks sheet all PASS);
- a larger target never needs fewer launches;
- adding actual months of the plan year changes no plan figure;
- more cash never makes a plan less feasible, nor lowers the largest fundable target (the real search).
"""
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_book import book_from_sheets  # noqa: E402
from sellers import months, seller_sheets  # noqa: E402

from goalsheet.plan import cash as capital
from goalsheet.plan.cash import tables as capital_tables
from goalsheet.plan import make_plan  # noqa: E402
from goalsheet.plan.basis import build_basis, derive  # noqa: E402

MARKETS = [("US", "USD", 7.2), ("DE", "EUR", 7.8), ("UK", "GBP", 9.1), ("JP", "JPY", 0.048)]


@st.composite
def sellers(draw):
    n_stores = draw(st.integers(1, 3))
    n_months = draw(st.integers(8, 30))
    last_month = draw(st.sampled_from([9, 12]))
    hist = months(2025 - (n_months - last_month + 11) // 12, n_months,
                  (last_month - n_months) % 12 + 1)
    stores, history, skus, fx = [], {}, [], {}
    for i in range(n_stores):
        market, cur, rate = MARKETS[draw(st.integers(0, len(MARKETS) - 1))]
        fx[cur] = rate
        op = draw(st.sampled_from(["Ann", "Bo", "Cy"]))
        stores.append({"store": f"Store {i}", "marketplace": market, "currency": cur, "operator": op})
        for j in range(draw(st.integers(1, 3))):
            sku = f"S{i}-{j}"
            price = draw(st.floats(5, 80).map(lambda x: round(x, 2)))
            base_units = draw(st.integers(5, 400))
            trend = draw(st.sampled_from([0.95, 1.0, 1.04]))
            start = draw(st.integers(0, n_months - 1))
            rows = []
            for k, m in enumerate(hist):
                u = 0 if k < start else round(base_units * trend ** k * (1.3 if m.endswith("-11") else 1.0))
                rows.append((m, float(u), round(u * price, 2)))
            history[(stores[-1]["store"], sku)] = rows
            skus.append([stores[-1]["store"], sku, draw(st.sampled_from([None, "Ann", "Bo"])), price,
                         draw(st.floats(5, 100).map(lambda x: round(x, 2))), 5.0, 3.0, "active", None])
    mode = draw(st.sampled_from(["growth", "total"]))
    settings_ = {"base_currency": "CNY", "plan_year": 2026, "target_mode": mode,
                 "monthly_growth": draw(st.sampled_from([0.0, 0.02, 0.05])),
                 "seasonality": draw(st.sampled_from(["history", "off"])), "cash_available": 500_000,
                 "lead_time_days": draw(st.sampled_from([0, 45, 90])),
                 "launches_per_operator_month": draw(st.sampled_from([1, 2])), "_fx": fx}
    if mode == "total":
        settings_["target_total"] = draw(st.integers(100_000, 5_000_000))
    team = [("Ann", 8000, 20000), ("Bo", 6000, 10000)] if draw(st.booleans()) else None
    return seller_sheets(stores, history, settings_, team=team, skus=skus)


def quick_plan(book):
    """make_plan without the searches for the target's limits (not what the sums are about): they are stubbed
    where the planner looks them up, and the stub's 0 shows in the headline, so a stub that stops taking effect
    fails here instead of silently running the searches again."""
    none = capital.SearchResult(target=0.0, largest_target=0.0, k=1.0)
    fake = capital.TargetLimits(capital.FundableResult(**vars(none)), none, none, "both")
    with mock.patch.object(capital_tables, "target_limits", lambda basis, search, target: fake):
        plan, problems = make_plan(book)
    assert plan.headline.max_feasible_sales == 0.0, "the search ran: the stub is not where the planner looks"
    return plan, problems


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sellers())
def test_every_total_is_the_sum_of_its_parts(sheets):
    plan, problems = quick_plan(book_from_sheets(sheets))
    checks = plan.tables["checks"]
    assert (checks["result"] == "PASS").all(), checks[checks["result"] != "PASS"]
    m = plan.tables["monthly"]
    assert np.allclose(m["existing_sales"] + m["new_sales"], m["target_sales"], atol=1e-9)
    stores = plan.tables["stores"]
    month_cols = [f"m{i:02d}" for i in range(1, 13)]
    assert np.allclose(stores[month_cols].sum(axis=1).round(2), stores["total"], atol=1e-9)
    assert round(stores[month_cols].sum().sum(), 2) == plan.headline.target_sales
    assert np.allclose(stores[month_cols].sum(axis=0).round(2), m["target_sales"], atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(sellers(), st.floats(1.0, 3.0))
def test_a_larger_target_never_needs_fewer_launches(sheets, factor):
    basis = build_basis(book_from_sheets(sheets))
    counts = [derive(basis, k).launches.count for k in (0.5, 1.0, factor, 2 * factor)]
    assert counts == sorted(counts)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sellers(), st.integers(1, 6))
def test_actual_months_change_no_plan_figure(sheets, n_actual):
    # the real search: the largest fundable target is a plan figure too
    before, _ = make_plan(book_from_sheets(sheets))
    with_actuals = {k: [list(r) for r in v] for k, v in sheets.items()}
    sales = with_actuals["Sales"]
    last = {}
    for r in sales[1:]:
        last[(r[1], r[2])] = r
    for k in range(1, n_actual + 1):
        for (store, sku), r in last.items():
            sales.append([f"2026-{k:02d}", store, sku, r[3] * 2, r[4] * 2, 0.0])
    after, _ = make_plan(book_from_sheets(with_actuals))
    assert after.has_actuals
    for key, value in before.headline.items():
        assert getattr(after.headline, key) == value, key
    for name in ("stores", "operators", "products", "profit", "launches", "bonus", "cash", "purchases"):
        # with actuals the Bonus table gains tracking columns beside the plan's (as Monthly does)
        cols = list(before.tables[name].columns)
        pd.testing.assert_frame_equal(before.tables[name], after.tables[name][cols], check_dtype=False)
    cols = list(before.tables["monthly"].columns)
    pd.testing.assert_frame_equal(before.tables["monthly"], after.tables["monthly"][cols], check_dtype=False)


def _with_cash(sheets, cash):
    out = {k: [list(r) for r in v] for k, v in sheets.items()}
    for row in out["Settings"]:
        if row and row[0] == "cash_available":
            row[1] = cash
    return out


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sellers(), st.sampled_from([0, 20_000, 200_000, 2_000_000]), st.sampled_from([10_000, 300_000, 5_000_000]))
def test_more_cash_never_less_feasible_nor_a_lower_fundable_target(sheets, cash, extra):
    """SPEC 3.6, through the whole plan (the real search): the same seller with `extra` more cash is feasible
    whenever it was, its peak need is no larger, and its largest fundable target is no lower."""
    less, _ = make_plan(book_from_sheets(_with_cash(sheets, cash)))
    more, _ = make_plan(book_from_sheets(_with_cash(sheets, cash + extra)))
    assert more.headline.funding_feasible or not less.headline.funding_feasible
    assert more.headline.peak_cash_need <= less.headline.peak_cash_need
    assert more.headline.max_feasible_sales >= less.headline.max_feasible_sales
