"""The method, exactly: the places where the plan departed from SPEC section 3, each pinned by the smallest
seller that shows it, its figures worked by hand in the docstring.

Every seller here is `conformance_seller`'s: one US store "S" (operator Ann), USD base, seasonality off, no
payout fee, new_success_rate 1, new_ramp_months 1, SKU "A" at 100 with cogs 40 and FBA 10 (unit_net 35),
100 units (10 000) a month for the 24 months 2024-01 .. 2025-12, plan year 2026.
"""
import numpy as np
import pytest
from conformance.conformance_seller import book, months, sheets

from goalsheet.plan import make_plan
from goalsheet.plan.basis import build_basis, derive
from goalsheet.plan.cash.inputs import CashSearch

SKU_HEADER_G = ["store", "sku", "operator", "price", "cogs", "freight", "fba_fee", "status", "growth_rate"]


def _with_growth_column(s: dict) -> dict:
    """The SKUs sheet with a growth_rate column (rows already carry it)."""
    s["SKUs"][0] = list(SKU_HEADER_G)
    return s


# ---- 1. a gap below half a cent counts as covered (3.5) ----

def test_a_gap_below_half_a_cent_plans_no_launch():
    """Total mode 120 000.004, existing 12 × 10 000 = 120 000 (stable, growth 0, S flat): G = 0.004, below
    half a cent, so it counts as covered: no launch, gap 0.00, shortfall 0.00.  (Before: the greedy compared
    with 1e-9 and added a launch in March whose first order is 3 × 10 × 40 = 1 200.)"""
    s = sheets({"target_mode": "total", "target_total": 120_000.004, "new_price": 100, "new_monthly_units": 10})
    d = derive(build_basis(book(s)))
    assert d.gaps[0] == pytest.approx(0.004, abs=1e-9)
    assert d.launches.count == 0 and d.launches.shortfall[0] == 0.0
    plan, _ = make_plan(book(s))
    assert plan.headline.gap == 0.0 and plan.headline.launches_needed == 0
    assert plan.headline.shortfall == 0.0


def test_a_gap_of_half_a_cent_or_more_still_plans_a_launch():
    """The same seller at 120 000.006: G = 0.006 ≥ 0.005 is a gap: one launch, in March (m ≥ 1 + ⌈60 / 30.4⌉
    = 3), which covers 10 × 100 × 10 months = 10 000; the gap shows as 0.01."""
    s = sheets({"target_mode": "total", "target_total": 120_000.006, "new_price": 100, "new_monthly_units": 10})
    d = derive(build_basis(book(s)))
    assert list(d.launches.table["month"]) == ["2026-03"]
    assert d.launches.covered[0] == pytest.approx(10_000)
    plan, _ = make_plan(book(s))
    assert plan.headline.gap == 0.01 and plan.headline.launches_needed == 1


def test_a_yen_gap_below_half_a_yen_plans_no_launch():
    """Base currency JPY (no minor unit): half the smallest unit is 0.5 yen.  The seller in yen (price 10 000,
    100 units: 1 000 000 a month, existing 12 000 000); total 12 000 000.4: G = 0.4 yen, covered."""
    s = sheets({"base_currency": "JPY", "target_mode": "total", "target_total": 12_000_000.4,
                "new_price": 10_000, "new_monthly_units": 10},
               history={("S", "A"): [(m, 100, 1_000_000) for m in months("2024-01", 24)]},
               skus=[["S", "A", None, 10_000, 4_000, 0, 1_000, "active"]],
               stores=[["S", "JP", "JPY", "Ann"]])
    d = derive(build_basis(book(s)))
    assert d.gaps[0] == pytest.approx(0.4, abs=1e-6)
    assert d.launches.count == 0


# ---- 2. the gap at full precision, rounded once (3.4, 3.7) ----

def test_a_store_whose_target_equals_its_existing_forecast_has_no_gap():
    """Two stores, one SKU each, growing at the store's own 3 % (growth_rate 0.03 = monthly_growth), 12 months
    of history (2025): S sells 7 755.37 a month, T 7 063.64.  T_s = E_s = run-rate × Σ 1.03^m (m = 1..12,
    Σ = 14.6177904): S 113 366.3735, T 103 254.8093, so G_s = 0 in both.  Shown, the targets are sums of
    rounded month cells (S 113 366.38) while the existing forecasts are rounded over the stores against their
    company total 216 621.18 (S 113 366.37, T 103 254.81: the missing cent goes to T's larger remainder), so
    the rounded totals differ by 0.01 in S.  The gap is G_s rounded: 0.00 (before: 0.01, from the rounded
    totals)."""
    hist = {("S", "A"): [(m, 100, 7_755.37) for m in months("2025-01", 12)],
            ("T", "B"): [(m, 100, 7_063.64) for m in months("2025-01", 12)]}
    skus = [["S", "A", None, 50, 10, 0, 1, "active", 0.03], ["T", "B", None, 50, 10, 0, 1, "active", 0.03]]
    s = _with_growth_column(sheets({"monthly_growth": 0.03, "new_price": 100, "new_monthly_units": 10},
                                   history=hist, skus=skus,
                                   stores=[["S", "US", "USD", "Ann"], ["T", "US", "USD", "Bob"]]))
    plan, _ = make_plan(book(s))
    st = plan.tables["stores"].set_index("store")
    assert st.loc["S", "total"] == 113_366.38 and st.loc["S", "existing_sales"] == 113_366.37
    assert list(st["gap"]) == [0.0, 0.0]
    assert plan.headline.gap == 0.0 and plan.headline.launches_needed == 0


# ---- 8. "(unassigned)" launches only where nobody is named (3.5) ----

def test_unassigned_does_not_launch_where_the_store_has_a_named_operator():
    """Store S names no operator on Stores; SKU A names Bob, SKU B nobody; each sells 100 × 100 a month.
    Existing 2 × 120 000 = 240 000, target_total 1 000 000: gap 760 000.  New product 10 × 100 = 1 000 a
    month (success 1, ramp 1), one launch per operator-month from March: the store's operators are the named
    ones (Bob), so Bob launches March .. December, 10 launches covering 1 000 × (10 + 9 + … + 1) = 55 000,
    shortfall 705 000.  (Before: "(unassigned)" launched beside Bob, 20 launches covering 110 000.)  B's sales
    still count as "(unassigned)"'s in the operator split, and the plan says so."""
    hist = {("S", "A"): [(m, 100, 10_000) for m in months("2024-01", 24)],
            ("S", "B"): [(m, 100, 10_000) for m in months("2024-01", 24)]}
    s = sheets({"target_mode": "total", "target_total": 1_000_000, "new_price": 100, "new_monthly_units": 10},
               history=hist, skus=[["S", "A", "Bob", 100, 40, 0, 10, "active"],
                                   ["S", "B", None, 100, 40, 0, 10, "active"]],
               stores=[["S", "US", "USD", None]])
    d = derive(build_basis(book(s)))
    assert set(d.launches.table["operator"]) == {"Bob"} and d.launches.count == 10
    assert d.launches.covered[0] == pytest.approx(55_000)
    assert d.launches.shortfall[0] == pytest.approx(705_000)
    plan, problems = make_plan(book(s))
    assert set(plan.tables["operators"]["operator"]) == {"Bob", "(unassigned)"}
    assert any(p.code == "unassigned_skus" for p in problems)


def test_a_store_with_nobody_named_launches_through_unassigned_and_says_so():
    """The same store with nobody named anywhere: "(unassigned)" launches March .. December (10 launches,
    55 000 covered) and the plan warns that this operator has no salary or bonus base."""
    hist = {("S", "A"): [(m, 100, 10_000) for m in months("2024-01", 24)],
            ("S", "B"): [(m, 100, 10_000) for m in months("2024-01", 24)]}
    s = sheets({"target_mode": "total", "target_total": 1_000_000, "new_price": 100, "new_monthly_units": 10},
               history=hist, skus=[["S", "A", None, 100, 40, 0, 10, "active"],
                                   ["S", "B", None, 100, 40, 0, 10, "active"]],
               stores=[["S", "US", "USD", None]])
    d = derive(build_basis(book(s)))
    assert set(d.launches.table["operator"]) == {"(unassigned)"} and d.launches.count == 10
    assert d.launches.covered[0] == pytest.approx(55_000)
    _, problems = make_plan(book(s))
    assert [p.code for p in problems if p.code.startswith("unassigned")] == ["unassigned_store"]


# ---- 4. launch_month earlier than the first sale (3.3) ----

def test_launch_month_before_the_first_sale_starts_the_run_rate_window():
    """SKU B sells 100 × 100 every month of 2025 (so the history is 2025-01 .. 12); SKU A was launched in
    2025-07 (SKUs launch_month) but first sold in October: 100 × 100 in October, November, December.
    baseline_months 6: A's run-rate is the mean over the 6 months since its launch, (0 + 0 + 0 + 3 × 10 000) /
    6 = 5 000 a month (before: launch_month ignored as earlier than the first sale, 3 months since it, 10 000)."""
    hist = {("S", "B"): [(m, 100, 10_000) for m in months("2025-01", 12)],
            ("S", "A"): [(m, 100, 10_000) for m in months("2025-10", 3)]}
    s = sheets({"baseline_months": 6}, history=hist,
               skus=[["S", "A", None, 100, 40, 0, 10, "active", "2025-07"],
                     ["S", "B", None, 100, 40, 0, 10, "active", None]])
    s["SKUs"][0] = ["store", "sku", "operator", "price", "cogs", "freight", "fba_fee", "status", "launch_month"]
    basis = build_basis(book(s))
    rr = dict(zip(basis.econ["sku"], basis.econ["run_rate"]))
    assert rr["A"] == pytest.approx(5_000) and rr["B"] == pytest.approx(10_000)
    assert dict(zip(basis.econ["sku"], basis.econ["months_sold"]))["A"] == 6


# ---- 7. a month the whole business sold nothing is missing, not seasonal (3.4) ----

def test_a_closed_month_is_left_out_of_seasonality_and_the_run_rate():
    """One SKU, 12 months of history (2025, seasonality `history`: each month's share of the window × 12),
    100 × 100 every month but November 2025, when the business sold nothing.  November is missing: the other
    eleven months' mean is 10 000, so each has index 10 000 / 10 000 = 1 and November, with no value, gets 1:
    S is flat.  The run-rate over the last 3 months (baseline_months 3) is the mean of October and December,
    10 000, so the target (growth 0) is 10 000 in every month of 2026, November included: 120 000.
    (Before: S_Nov = 0 and the others 12 / 11, so November's target was 0, and the run-rate (10 000 × 11/12 +
    0 + 10 000 × 11/12) / 3 = 6 111.11, cut by a third.)  The plan names the month in a warning."""
    hist = {("S", "A"): [(m, 100, 10_000) for m in months("2025-01", 12) if m != "2025-11"]}
    s = sheets({"seasonality": "history", "target_mode": "growth"}, history=hist)
    basis = build_basis(book(s))
    assert np.allclose(basis.S, 1.0)
    assert basis.econ["run_rate"].iloc[0] == pytest.approx(10_000)
    d = derive(basis)
    assert np.allclose(d.T[0], 10_000)
    assert [p.code for p in basis.problems if p.code == "closed_months"] == ["closed_months"]
    assert "2025-11" in next(p.message for p in basis.problems if p.code == "closed_months")


def test_a_closed_month_is_left_out_of_the_moving_average():
    """24 months (2024-01 .. 2025-12) of 10 000 but for November 2024 (nothing sold): ratio to the centred
    moving average, the closed month left out of each window's weights, so every open month's moving average
    is 10 000 and its ratio 1; November has no ratio (2024-11 is closed, 2025-11 is in the last six months)
    and gets 1: S flat.  (Before: the windows around it averaged 10 000 × 11/12 or × 11.5/12, their ratios
    rose above 1, and S_Nov was 0.)"""
    hist = {("S", "A"): [(m, 100, 10_000) for m in months("2024-01", 24) if m != "2024-11"]}
    basis = build_basis(book(sheets({"seasonality": "history"}, history=hist)))
    assert np.allclose(basis.S, 1.0)


# ---- 5. pre-launch sales of a store with no existing forecast are in the cash table (3.4, 3.6) ----

def test_sales_before_a_launch_in_a_store_with_no_existing_forecast_are_in_the_cash_table():
    """SKU A is discontinued (100 × 100 a month in 2024-25), so the store's existing forecast is 0; total mode
    120 000 by its trailing-12-month share (all of it): T = 10 000 a month (S flat).  No launch can be added
    (launches_per_operator_month 0), so every month is before the store's first launch and there is no
    existing SKU to spread T − E over: they are the store's new product's (price 100: 100 units a month).
    The cash table carries them: sales 10 000 a month; payouts of 100 − 15 % referral − 10 FBA = 75 a unit,
    7 500 a month, 21 days late: January gets (30.4 − 21) / 30.4 of its own, 2 319.08, the other months
    7 500.  (Before: in the target and the profit, but the cash table had no sales and no payouts.)"""
    hist = {("S", "A"): [(m, 100, 10_000) for m in months("2024-01", 24)]}
    s = sheets({"target_mode": "total", "target_total": 120_000, "new_price": 100, "new_monthly_units": 10,
                "launches_per_operator_month": 0}, history=hist,
               skus=[["S", "A", None, 100, 40, 0, 10, "discontinued"]])
    plan, _ = make_plan(book(s))
    assert plan.headline.existing_sales == 0.0 and plan.headline.launches_needed == 0
    cash = plan.tables["cash"]
    assert list(cash["sales"]) == [10_000.0] * 12
    assert cash["payouts_in"].iloc[0] == 2_319.08
    assert list(cash["payouts_in"].iloc[1:]) == [7_500.0] * 11


# ---- 3. the fundable-target search re-derives the launch bonuses of each k·T (3.6) ----

def test_the_search_pays_the_launch_bonuses_of_its_own_launches():
    """Existing 10 000 a month (120 000), total mode 130 000: gap 10 000, covered by one launch in March
    (10 units × 100, success 1, ramp 1: 1 000 × 10 months).  launch_bonus 1 000: 1 000 × success 1 per launch,
    paid the month after launch month + 1 ramp month: March's in May.  At k = 2 (T = 260 000, gap 140 000)
    the operator launches every month March .. December (10 launches, 55 000): their bonuses fall in May ..
    December (November's and December's in the next year, outside the table), −1 000 each month.  (Before:
    every k carried the plan's own bonuses, −1 000 in May only.)"""
    s = sheets({"target_mode": "total", "target_total": 130_000, "new_price": 100, "new_monthly_units": 10,
                "launch_bonus": 1_000})
    plan, _ = make_plan(book(s))
    assert plan.headline.launches_needed == 1
    assert list(plan.tables["cash"]["bonuses"]) == [0.0] * 4 + [-1_000.0] + [0.0] * 7
    basis = build_basis(book(s))
    d1 = derive(basis, 1.0)
    search = CashSearch(basis, d1, None, launch_bonus=1_000)
    d2 = derive(basis, 2.0)
    assert d2.launches.count == 10
    bonuses = search.cash_plan(d2).table["bonuses"].tolist()
    assert bonuses == pytest.approx([0.0] * 4 + [-1_000.0] * 8)


# ---- 6. a unit cost below the median freight is an input error at its cell (3.5) ----

def test_new_unit_cost_below_the_median_freight_is_an_error_at_its_cell(tmp_path):
    """SKUs A and B with freight 8 and 12 (cogs 40): median freight 10.  new_unit_cost 6 would leave the new
    product a cogs of 6 − 10 = −4 (a deposit paid to the seller, negative FOB duty): refused at the Settings
    cell holding 6, and nothing is planned.  A planned launch's unit_cost 9 (Launches) likewise, at its cell.
    new_unit_cost 10 (cogs 0) is accepted."""
    from goalsheet.inputs import from_rows

    hist = {("S", "A"): [(m, 100, 10_000) for m in months("2024-01", 24)],
            ("S", "B"): [(m, 100, 10_000) for m in months("2024-01", 24)]}
    skus = [["S", "A", None, 100, 40, 8, 10, "active"], ["S", "B", None, 100, 40, 12, 10, "active"]]
    s = sheets({"new_unit_cost": 6, "new_price": 100, "new_monthly_units": 10}, history=hist, skus=skus,
               Launches=[["launch_month", "store", "operator", "count", "unit_cost"],
                         ["2026-04", "S", "Ann", 1, 9]])
    b, _ = from_rows(s)
    settings_row = 1 + [r[0] for r in s["Settings"][1:]].index("new_unit_cost") + 1
    _, problems = make_plan(b)
    errors = {(p.sheet, p.cell, p.code) for p in problems if p.severity == "error"}
    assert errors == {("Settings", f"B{settings_row}", "new_unit_cost_below_freight"),
                      ("Launches", "E2", "launch_unit_cost_below_freight")}
    s["Settings"][settings_row - 1][1] = 10
    s["Launches"][1][4] = 10
    _, problems = make_plan(from_rows(s)[0])
    assert not [p for p in problems if p.severity == "error"]


# ---- the warnings of the settled readings (3.4, 3.5) ----

def test_launches_that_would_add_nothing_are_not_added_and_the_plan_says_why():
    """new_success_rate 0: a launch earns 0 × 10 × 100 = 0 in every month, so it covers nothing of the gap
    200 000 − 120 000 = 80 000: no launch is added (before: one a month March .. December, 10 launches of
    first orders 3 × 10 × 40 = 1 200 each, covering nothing), the shortfall is 80 000, and the plan says why."""
    s = sheets({"target_mode": "total", "target_total": 200_000, "new_price": 100, "new_monthly_units": 10,
                "new_success_rate": 0})
    d = derive(build_basis(book(s)))
    assert d.launches.count == 0
    assert d.launches.shortfall[0] == pytest.approx(80_000)
    assert [p.code for p in d.problems if p.code == "launch_adds_nothing"] == ["launch_adds_nothing"]


def test_no_launch_month_left_in_the_plan_year_is_said():
    """lead_time_days 365: the first launch month is m ≥ 1 + ⌈365 / 30.4⌉ = 14, after December: no launch, the
    gap 80 000 stays as shortfall, and the plan names the reason."""
    s = sheets({"target_mode": "total", "target_total": 200_000, "new_price": 100, "new_monthly_units": 10,
                "lead_time_days": 365})
    d = derive(build_basis(book(s)))
    assert d.launches.count == 0 and d.launches.shortfall[0] == pytest.approx(80_000)
    assert [p.code for p in d.problems if p.code == "no_launch_month"] == ["no_launch_month"]


def test_operators_with_no_team_sheet_are_warned_about():
    """No Team sheet: Ann (the store's operator) launches and has targets but no salary or bonus base."""
    basis = build_basis(book(sheets()))
    warning = next(p for p in basis.problems if p.code == "no_team_sheet")
    assert "Ann" in warning.message
