"""SPEC sections 2, 3 and 6 read line by line against the planner: one small seller per rule, figures by hand.

Every seller here goes through the real input pipeline (`from_rows`), so the Settings / Stores / SKUs
parsing, the defaults and the plan are checked together.  See conformance_seller.py for the defaults:
one US store, SKU A at 100 USD (referral 15, fba 10, cogs 40: unit_net 35), 100 units a month, base USD,
S flat, monthly growth 0, no payout fee.
"""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conformance_seller import book, months, sheets  # noqa: E402

from goalsheet.inputs import from_rows  # noqa: E402
from goalsheet.plan import make_plan  # noqa: E402
from goalsheet.plan.basis import build_basis, derive  # noqa: E402

FLAT_24 = [(m, 100, 10_000) for m in months("2024-01", 24)]
TWO_STORES = [["S", "US", "USD", "Ann"], ["T", "US", "USD", "Bob"]]


# ---------------------------------------------------------------- 3.1 calendar

def test_plan_year_default_after_december_is_next_year_with_a_warning():
    """Sales through 2025-12, no plan_year: Y = 2026, and a warning names 2026."""
    plan, _ = make_plan(book(sheets(drop=("plan_year",))))
    assert plan.plan_year == 2026
    assert any("plan_year" in w.message and "2026" in w.message for w in plan.warnings)


def test_plan_year_default_mid_year_is_that_year_and_its_months_are_actuals():
    """Sales through 2025-09, no plan_year: Y = 2025 (a monthly run keeps tracking the same year); history is
    2024-01 .. 2024-12 and 2025-01 .. 2025-09 are actuals (as of 2025-09)."""
    h = {("S", "A"): [(m, 100, 10_000) for m in months("2024-01", 21)]}
    b = book(sheets(history=h, drop=("plan_year",)))
    basis = build_basis(b)
    assert basis.calendar.plan_year == 2025
    assert basis.calendar.history[-1] == "2024-12" and basis.calendar.as_of == "2025-09"
    assert any("2025" in p.message for p in basis.problems if "plan_year" in p.message)


def test_bridge_months_are_forecast_never_targeted_and_open_the_cash_table():
    """History 2024-01 .. 2025-09, plan_year 2026, monthly growth 0.01: October .. December 2025 are bridge
    months, January 2026 is m = 4.  T_Jan = 10 000 × 1.01^4 = 10 406.04.  SKU A is stable, g = 0.005:
    E_Oct 2025 = 10 000 × 1.005 = 10 050 (forecast), E_Jan = 10 000 × 1.005^4 = 10 201.50.  The Monthly
    table holds the twelve plan months only; the cash table starts in 2025-10 and ends in 2026-12.
    lead_time_days 60 allows m ≥ 3 (December 2025, a bridge month), so the first added launch is in
    January 2026, the first plan month."""
    h = {("S", "A"): [(m, 100, 10_000) for m in months("2024-01", 21)]}
    b = book(sheets({"monthly_growth": 0.01, "new_monthly_units": 10}, history=h))
    basis = build_basis(b)
    assert basis.calendar.bridge == ("2025-10", "2025-11", "2025-12") and basis.calendar.m("2026-01") == 4
    assert basis.E_store[0, 0] == pytest.approx(10_050)
    plan, _ = make_plan(b)
    m = plan.tables["monthly"]
    assert list(m["month"]) == [f"2026-{k:02d}" for k in range(1, 13)]
    assert m.loc[0, "target_sales"] == pytest.approx(10_406.04)
    assert m.loc[0, "existing_sales"] == pytest.approx(10_201.50)
    cash = plan.tables["cash"]
    assert cash["month"].iloc[0] == "2025-10" and cash["month"].iloc[-1] == "2026-12"
    assert plan.tables["launches"]["launch_month"].iloc[0] == "2026-01"


# ---------------------------------------------------------------- 3.3 existing products

def test_run_rate_of_a_sku_younger_than_baseline_months():
    """baseline_months 3; SKU B first sold in November 2025 (5 000) and December (7 000): its run-rate is the
    mean of its 2 months, 6 000 (not (0 + 5 000 + 7 000) / 3 = 4 000); units (50 + 70) / 2 = 60."""
    h = {("S", "A"): FLAT_24, ("S", "B"): [("2025-11", 50, 5_000), ("2025-12", 70, 7_000)]}
    e = build_basis(book(sheets(history=h))).econ.set_index("sku")
    assert e.loc["B", "run_rate"] == pytest.approx(6_000) and e.loc["B", "run_rate_units"] == pytest.approx(60)


def test_discontinued_and_silent_skus_are_not_existing():
    """B is 停售 (discontinued) with full sales; C last sold in June 2024, outside the last 12 history months
    (2025-01 .. 2025-12).  Only A is existing: E = 10 000 a month."""
    h = {("S", "A"): FLAT_24, ("S", "B"): FLAT_24, ("S", "C"): [(m, 100, 10_000) for m in months("2024-01", 6)]}
    skus = [["S", k, None, 100, 40, 0, 10, st] for k, st in (("A", "active"), ("B", "停售"), ("C", "active"))]
    basis = build_basis(book(sheets(history=h, skus=skus)))
    assert list(basis.econ["existing"]) == [True, False, False]
    assert basis.E_store[0] == pytest.approx(np.full(12, 10_000))


def test_existing_scenario_stable_subtracts_the_stable_forecast():
    """monthly_growth 0.02, SKU A stable: growth forecast 10 000 × 1.01^m, stable forecast 10 000 × S_m
    = 10 000 every month; with existing_scenario stable E is the latter, and T = 10 000 × 1.02^m, so
    G = Σ_{m=1..12} 10 000 (1.02^m − 1); Σ 1.02^m = 1.02 × (1.02^12 − 1) / 0.02 = 1.02 × 13.412090
    = 13.680332, so G = 10 000 × (13.680332 − 12) = 16 803.32 (the growth scenario would subtract more)."""
    b = build_basis(book(sheets({"existing_scenario": "stable", "monthly_growth": 0.02})))
    d = derive(b)
    assert b.E_store[0] == pytest.approx(np.full(12, 10_000))
    assert d.gaps[0] == pytest.approx(16_803.32, abs=0.01)


# ---------------------------------------------------------------- 3.4 seasonality and the target

def test_seasonality_from_12_to_23_months_is_the_share_of_the_last_12():
    """18 months, 2024-07 .. 2025-12, December 20 000, other months 10 000.  Last 12 months total 130 000:
    S_Dec = 20 000 / 130 000 × 12 = 1.846154, the others 10 000 / 130 000 × 12 = 0.923077."""
    h = {("S", "A"): [(m, 100, 20_000 if m.endswith("-12") else 10_000) for m in months("2024-07", 18)]}
    S = build_basis(book(sheets({"seasonality": "history"}, history=h))).S
    assert S[11] == pytest.approx(1.846154, abs=1e-6) and S[:11] == pytest.approx(np.full(11, 0.923077), abs=1e-6)


def test_seasonality_under_12_months_is_flat_and_12_given_are_renormalised():
    """11 months of history: flat.  Given "2,1,...,1" (mean 13/12): January 2 × 12 / 13 = 1.846154."""
    h = {("S", "A"): [(m, 100, 20_000 if m.endswith("-12") else 10_000) for m in months("2025-02", 11)]}
    assert build_basis(book(sheets({"seasonality": "history"}, history=h))).S == pytest.approx(np.ones(12))
    S = build_basis(book(sheets({"seasonality": "2," + ",".join(["1"] * 11)}))).S
    assert S[0] == pytest.approx(1.846154, abs=1e-6) and S.mean() == pytest.approx(1.0)


def test_total_mode_store_without_trailing_revenue_gets_no_share():
    """Store T sold only in 2023 (outside the trailing 12 months 2025-01 .. 2025-12): shares S 100 %, T 0 %,
    so T_S = 240 000 and T_T = 0; T's SKU is not existing, so its gap is 0."""
    h = {("S", "A"): FLAT_24, ("T", "B"): [(m, 10, 1_000) for m in months("2023-01", 12)]}
    d = derive(build_basis(book(sheets({"target_mode": "total", "target_total": 240_000}, history=h,
                                       stores=TWO_STORES))))
    assert d.T.sum(axis=1) == pytest.approx([240_000, 0])
    assert d.gaps == pytest.approx([120_000, 0])


def test_store_growth_override_and_a_store_whose_existing_beats_its_target():
    """Stores monthly_growth: S 0.02, T −0.05 (Settings 0).  S: T_Jan = 10 000 × 1.02 = 10 200; SKU A stable,
    g = half of 0.02 = 0.01: E_Jan = 10 100.  T: T_Jan = 10 000 × 0.95 = 9 500; SKU B stable, g = −0.025:
    E_Jan = 9 750, so "new products" in January = −250 (it says so: negative), and G_T = max(0, Σ(T − E)) = 0:
    no launch for T.  T's new-product sales are sold from its existing products (no launch): profit
    −250 × 35 / 100 = −87.50 in January."""
    h = {("S", "A"): FLAT_24, ("T", "B"): FLAT_24}
    s = sheets(history=h, stores=[r + [g] for r, g in zip(TWO_STORES, (0.02, -0.05))])
    s["Stores"][0].append("monthly_growth")
    basis = build_basis(book(s))
    d = derive(basis)
    assert d.T[:, 0] == pytest.approx([10_200, 9_500])
    assert d.E[:, 0] == pytest.approx([10_100, 9_750])
    assert d.new_sales[1, 0] == pytest.approx(-250) and d.gaps[1] == 0
    assert "T" not in set(d.launches.table["store"])
    assert d.new_profit[1, 0] == pytest.approx(-87.5)


# ---------------------------------------------------------------- 3.2 money, currencies, per-store overrides

def test_jpy_store_and_jpy_base_have_no_decimals():
    """Store J on JP selling in JPY, base JPY.  Price 3 000 incl. VAT 10 %: net 2 727.272727; referral 450;
    fba 400; cogs 1 000: unit_net = 2 727.272727 − 450 − 400 − 1 000 = 877.272727.  monthly_growth 0.013:
    T_Jan = 300 000 × 1.013 = 303 900.  Every headline money figure is a whole number of yen."""
    h = {("J", "A"): [(m, 100, 300_000) for m in months("2024-01", 24)]}
    s = sheets({"base_currency": "JPY", "monthly_growth": 0.013}, history=h, stores=[["J", "JP", "JPY", "Ann"]],
               skus=[["J", "A", None, 3000, 1000, 0, 400, "active"]])
    plan, _ = make_plan(book(s))
    assert plan.tables["profit"]["unit_net"].iloc[0] == pytest.approx(877.272727)
    assert plan.tables["monthly"]["target_sales"].iloc[0] == 303_900
    for key in ("target_sales", "target_net_profit", "existing_sales", "gap", "peak_cash_need"):
        assert float(getattr(plan.headline, key)) == round(float(getattr(plan.headline, key))), key
    assert all(float(v) == round(float(v)) for v in plan.tables["monthly"]["target_net_profit"])


def test_new_price_stores_override_in_store_currency_settings_in_base():
    """Base CNY, USD at 7.2.  Settings new_price 720 CNY = 100 USD for store T; Stores new_price 150 (USD)
    for store S.  S's new product: referral 0.15 × 150 = 22.50 USD."""
    h = {("S", "A"): FLAT_24, ("T", "B"): FLAT_24}
    s = sheets({"base_currency": "CNY", "new_price": 720}, history=h, stores=[TWO_STORES[0] + [150], TWO_STORES[1]
                                                                               + [None]],
               FX=[["currency", "rate"], ["USD", 7.2]])
    s["Stores"][0].append("new_price")
    npd = build_basis(book(s)).new_products.set_index("store")
    assert npd.loc["S", "price"] == pytest.approx(150) and npd.loc["T", "price"] == pytest.approx(100)
    assert npd.loc["S", "referral"] == pytest.approx(22.5)


def test_referral_min_per_store_override():
    """Price 2 USD: 15 % is 0.30.  Store S sets referral_min 0.50: referral 0.50; store T keeps the USD
    default 0.30: max(0.30, 0.30) = 0.30."""
    h = {("S", "A"): FLAT_24, ("T", "B"): FLAT_24}
    s = sheets(history=h, stores=[TWO_STORES[0] + [0.5], TWO_STORES[1] + [None]],
               skus=[["S", "A", None, 2, 1, 0, 0.5, "active"], ["T", "B", None, 2, 1, 0, 0.5, "active"]])
    s["Stores"][0].append("referral_min")
    e = build_basis(book(s)).econ.set_index("store")
    assert e.loc["S", "referral"] == pytest.approx(0.5) and e.loc["T", "referral"] == pytest.approx(0.3)


def test_marketplace_without_listed_defaults_warns_naming_them():
    """AU has none of the listed defaults (monthly fee, referral_min for AUD, VAT, DST); MX lacks only
    referral_min (MXN)."""
    h = {("A", "X"): FLAT_24, ("M", "Y"): FLAT_24}
    s = sheets(history=h, stores=[["A", "AU", None, "Ann"], ["M", "MX", None, "Bob"]],
               FX=[["currency", "rate"], ["AUD", 0.65], ["MXN", 0.05]])
    b, problems = from_rows(s)
    warnings = [p.message for p in problems if p.severity == "warning" and "no listed default" in p.message]
    assert any("AU" in w and all(k in w for k in ("monthly_fee", "referral_min", "vat_rate", "dst_rate"))
               for w in warnings)
    assert any("MX" in w and "referral_min" in w and "vat_rate" not in w for w in warnings)


# ---------------------------------------------------------------- 3.5 launches

def test_first_order_units_default_three_months_of_mature_sales():
    """new_monthly_units 10: first order 3 × 10 = 30 units × unit cost 40 = 1 200; Settings
    new_first_order_units 50: 50 × 40 = 2 000."""
    base = {"monthly_growth": 0.02, "new_monthly_units": 10}
    lt = derive(build_basis(book(sheets(base)))).launches.table
    assert lt["first_order_units"].iloc[0] == 30 and lt["first_order_cost"].iloc[0] == pytest.approx(1_200)
    lt = derive(build_basis(book(sheets(dict(base, new_first_order_units=50))))).launches.table
    assert lt["first_order_units"].iloc[0] == 50 and lt["first_order_cost"].iloc[0] == pytest.approx(2_000)


def test_a_store_with_no_selling_sku_gets_no_empty_launches():
    """Store T's only SKU is discontinued: its new product would sell the median of no run-rate, 0 units, so
    every launch would earn 0.  Total mode 300 000 split 150 000 / 150 000 by trailing revenue: G_T = 150 000
    stays as the shortfall, with no launch for T (before: ten launches of 0 filled Bob's capacity)."""
    h = {("S", "A"): FLAT_24, ("T", "B"): FLAT_24}
    s = sheets({"target_mode": "total", "target_total": 300_000}, history=h, stores=TWO_STORES,
               skus=[["S", "A", None, 100, 40, 0, 10, "active"], ["T", "B", None, 100, 40, 0, 10, "停售"]])
    basis = build_basis(book(s))
    d = derive(basis)
    assert "T" not in set(d.launches.table["store"])
    assert d.launches.shortfall[1] == pytest.approx(150_000)
    assert any("no existing SKU selling" in p.message for p in basis.problems)


# ---------------------------------------------------------------- 3.2 expenses; 6 text stays text

def test_expenses_with_store_and_months():
    """Shared 100 a month in January .. June; 50 in March and April charged to store S.  Target net profit
    = 1 200 units × 35 − US fee 12 × 39.99 − (6 × 100 + 2 × 50) = 42 000 − 479.88 − 700 = 40 820.12."""
    s = sheets()
    s["Expenses"] = [["item", "monthly_amount", "store", "months"], ["tools", 100, None, "1-6"],
                     ["rent", 50, "S", "3,4"]]
    plan, _ = make_plan(book(s))
    assert plan.headline.target_net_profit == pytest.approx(40_820.12, abs=0.005)


def test_input_text_is_written_as_text(tmp_path):
    """A SKU named =HYPERLINK(...) and a store named =1+1 reach the workbook as text cells, never formulas."""
    import openpyxl

    from goalsheet.report import write_plan_workbook
    evil = '=HYPERLINK("http://x","y")'
    s = sheets(history={("=1+1", evil): FLAT_24}, stores=[["=1+1", "US", "USD", "@SUM(A1)"]])
    plan, _ = make_plan(book(s))
    out = tmp_path / "plan.xlsx"
    write_plan_workbook(plan, out, lang="en")
    seen = []
    for ws in openpyxl.load_workbook(out).worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in (evil, "=1+1", "@SUM(A1)"):
                    seen.append(c.data_type)
    assert seen and set(seen) == {"s"}


# ---------------------------------------------------------------- 6 bad input

def test_a_bad_required_setting_is_reported_once_at_its_cell():
    """cash_available −5: one error at its value cell ("cannot be negative"), not a second one saying the
    setting is missing (it is there, just wrong)."""
    _, problems = from_rows(sheets({"cash_available": -5}))
    about_cash = [str(p) for p in problems if "cash_available" in p.message]
    assert len(about_cash) == 1 and "negative" in about_cash[0] and "!B" in about_cash[0]


def test_rates_out_of_range_suggest_the_percent_meant():
    """payout_fee_rate 1 = 100 %, outside 0–10 %: an error suggesting 1 %; monthly_growth 3 is read as 3 %
    with a warning (its range ends at or below 100 %); duty_rate 1.5 is 150 % (its range goes to 300 %)."""
    _, problems = from_rows(sheets({"payout_fee_rate": 1}))
    assert any(p.severity == "error" and "did you mean 1 %" in p.message for p in problems)
    b, problems = from_rows(sheets({"monthly_growth": 3}))
    assert b.settings["monthly_growth"] == pytest.approx(0.03)
    assert any(p.severity == "warning" and "monthly_growth" in p.message for p in problems)
    s = sheets()
    s["SKUs"][0].append("duty_rate")
    s["SKUs"][1].append(1.5)
    b, problems = from_rows(s)
    assert b.skus["duty_rate"].iloc[0] == pytest.approx(1.5)


def test_an_operator_not_on_the_team_sheet_is_flagged():
    """SPEC 3.5: operators = Team rows (else those named in Stores and SKUs).  Team lists "Wang Fang"; the
    Stores sheet names "Wang Fan": a warning at that cell suggests the Team name (the plan still runs)."""
    s = sheets(stores=[["S", "US", "USD", "Wang Fan"]], Team=[["operator", "base_salary"], ["Wang Fang", 9000]])
    b, problems = from_rows(s)
    msgs = [str(p) for p in problems if "not on the Team sheet" in p.message]
    assert b is not None and len(msgs) == 1
    assert msgs[0].startswith("Stores!D2") and '"Wang Fang"' in msgs[0]


def _beaten_store_plan():
    h = {("S", "A"): FLAT_24, ("T", "B"): FLAT_24}
    s = sheets(history=h, stores=[r + [g] for r, g in zip(TWO_STORES, (0.02, -0.05))])
    s["Stores"][0].append("monthly_growth")
    return book(s)


def test_negative_new_products_note_unit():
    """Store T: T − E = 9 500 − 9 750 = −250 in January, −100 in February (made up): one warning naming both
    months and 350.00 in all; store S (positive) gets none."""
    from goalsheet.plan.target import negative_new_sales_notes
    T = np.array([[10_200, 10_300], [9_500, 9_000]])
    E = np.array([[10_100, 10_200], [9_750, 9_100]])
    notes = negative_new_sales_notes(T, E, ["S", "T"], ["2026-01", "2026-02"], "USD")
    assert len(notes) == 1 and "store T" in notes[0].message and "2026-01, 2026-02" in notes[0].message
    assert "350.00 USD" in notes[0].message


def test_a_store_whose_existing_beats_its_target_is_said_so():
    """The store of test_store_growth_override...: T's existing products are above its target every month
    (9 500 × 0.95^(m−1) < 9 750 × 0.975^(m−1)), so the plan's warnings say so for store T."""
    plan, _ = make_plan(_beaten_store_plan())
    assert any("store T" in w.message and "negative" in w.message for w in plan.warnings)
