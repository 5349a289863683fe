"""Scenarios (SPEC 3.10): every scenario row equals, to the cent, the headline of a separate plan of the workbook
with that scenario's Settings typed into its Settings sheet; the price bands by hand; the monotone properties.

A separate plan is given an empty Scenarios sheet (its header only): the plan then compares no scenario of its own,
which changes none of its figures and keeps the test quick."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conformance_seller import book, months, sheets  # noqa: E402

from goalsheet.inputs import load  # noqa: E402
from goalsheet.plan import make_plan  # noqa: E402
from goalsheet.plan.basis import build_basis, derive  # noqa: E402
from goalsheet.plan.scenarios import default_scenarios, net_sales, price_bands  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_workbooks" / "demo_seller.xlsx"
FIGURES = ("target_sales", "target_net_profit", "launches_needed", "shortfall", "peak_cash_need", "funding_feasible",
           "max_reachable_sales", "binding_limit", "bonus_total")
EMPTY_SCENARIOS = {"Scenarios": [["scenario"]]}


def assert_row_is_plan(row, plan_book):
    """The row's figures are the separate plan's headline, to the cent; its net margin is that plan's target net
    profit over its net sales."""
    plan, problems = make_plan(plan_book, scenarios=True)
    assert not [p for p in problems if p.severity == "error"]
    assert len(plan.tables["scenarios"]) == 1            # its own row only: the empty Scenarios sheet
    for key in FIGURES:
        assert row[key] == getattr(plan.headline, key), (row["scenario"], key)
    basis = build_basis(plan_book)
    margin = plan.headline.target_net_profit / net_sales(basis, derive(basis, 1.0))
    assert row["net_margin"] == pytest.approx(margin, rel=1e-12)


# ---------------------------------------------------------------- the sample: every default scenario

@pytest.fixture(scope="module")
def sample_plan():
    b, problems = load(SAMPLE)
    assert b is not None
    plan, _ = make_plan(b, scenarios=True)
    return plan


def sample_with_settings(tmp_path: Path, changes: dict) -> Path:
    """The sample workbook with `changes` typed into its Settings sheet (over a key's row, or a new row) and an
    empty Scenarios sheet."""
    path = tmp_path / "changed.xlsx"
    shutil.copy(SAMPLE, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Settings"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for key, value in changes.items():
        r = rows.get(key) or ws.max_row + 1
        ws.cell(r, 1, key)
        ws.cell(r, 2, value)
    wb.create_sheet("Scenarios").append(["scenario"])
    wb.save(path)
    return path


def test_sample_has_the_default_scenarios(sample_plan):
    """The sample plans in growth mode at 3 % with 40 existing SKUs: base, growth 1 % and 5 %, and 4 price bands of
    10 SKUs each (40 // 3 = 13 ≥ 4 bands; 40 / 4 = 10 ≥ 3 per band)."""
    t = sample_plan.tables["scenarios"]
    assert len(t) == 7
    assert t["is_plan"].tolist() == [True] + [False] * 6
    assert [json.loads(s).get("monthly_growth") for s in t["settings"][1:3]] == [0.01, 0.05]
    assert all(json.loads(s)["new_price"] > 0 for s in t["settings"][3:])
    assert t["scenario"][3].startswith("launch products like your ")
    assert t.iloc[0]["target_sales"] == sample_plan.headline.target_sales
    assert t.iloc[0]["max_reachable_sales"] == sample_plan.headline.max_reachable_sales


@pytest.mark.parametrize("i", range(1, 7))
def test_sample_scenario_is_a_separate_plan(sample_plan, tmp_path, i):
    row = sample_plan.tables["scenarios"].iloc[i]
    changes = json.loads(row["settings"])
    b, problems = load(sample_with_settings(tmp_path, changes))
    assert b is not None, [str(p) for p in problems if p.severity == "error"]
    assert row["target_sales"] != sample_plan.headline.target_sales or \
        row["target_net_profit"] != sample_plan.headline.target_net_profit      # the scenario changes something
    assert_row_is_plan(row, b)


# ---------------------------------------------------------------- a 3-band seller

PRICES = [20, 22, 24, 40, 44, 48, 80, 90, 100]


def three_band_sheets(**settings_) -> dict:
    """Nine SKUs in one US store at the prices above (cogs a quarter of the price, freight 2, fba 5), each selling
    100 − price/2 units a month for 24 months."""
    history = {("S", f"K{i}"): [(m, 100 - p // 2, (100 - p // 2) * p) for m in months("2024-01", 24)]
               for i, p in enumerate(PRICES)}
    skus = [["S", f"K{i}", None, p, p / 4, 2, 5, "active"] for i, p in enumerate(PRICES)]
    base = {"monthly_growth": 0.03, "cash_available": 40_000, "new_success_rate": 0.6, "new_ramp_months": 3}
    base.update(settings_)
    return sheets(settings=base, history=history, skus=skus)


def test_three_band_seller_bands_by_hand():
    """n = 9: b = min(4, 9 // 3) = 3 bands, cut at the prices at sorted positions ⌊9/3⌋ = 3 and ⌊18/3⌋ = 6, i.e.
    40 and 80: {20, 22, 24}, {40, 44, 48}, {80, 90, 100}.  Band 2's medians: price 44; units 100 − 22 = 78;
    unit cost 44/4 + 2 = 13; freight 2; fba 5; referral 15 %."""
    basis = build_basis(book(three_band_sheets()))
    bands = [s for s in default_scenarios(basis) if "new_price" in s.settings]
    assert [s.settings["new_price"] for s in bands] == [22, 44, 90]
    assert bands[1].settings["new_monthly_units"] == 78
    assert bands[1].settings["new_unit_cost"] == 13
    assert bands[1].settings["new_freight"] == 2
    assert bands[1].settings["new_fba_fee"] == 5
    assert bands[1].settings["new_referral_rate"] == 0.15
    assert bands[1].name.text("en") == "launch products like your 40–48 ones"


@pytest.fixture(scope="module")
def three_band_plan():
    plan, _ = make_plan(book(three_band_sheets()), scenarios=True)
    return plan


@pytest.mark.parametrize("i", range(1, 6))
def test_three_band_scenario_is_a_separate_plan(three_band_plan, i):
    """Rows: base, growth 1 % and 5 %, the three bands."""
    t = three_band_plan.tables["scenarios"]
    assert len(t) == 6
    row = t.iloc[i]
    changes = json.loads(row["settings"])
    assert_row_is_plan(row, book({**three_band_sheets(**changes), **EMPTY_SCENARIOS}))


# ---------------------------------------------------------------- a Scenarios sheet

USER_ROWS = [["scenario", "cash_available", "launches_per_operator_month", "target_mode", "target_total",
              "new_price"],
             ["more cash", 400_000, None, None, None, None],
             ["two launches a month", None, 2, None, None, None],
             ["a 2.5 million target", None, None, "total", 2_500_000, None],
             ["premium launches", None, None, None, None, 120],
             ["all at once", 10_000, 0.5, "total", 900_000, 30]]


@pytest.fixture(scope="module")
def user_plan():
    plan, problems = make_plan(book({**three_band_sheets(), "Scenarios": USER_ROWS}), scenarios=True)
    return plan


def test_sheet_rows_replace_the_defaults(user_plan):
    t = user_plan.tables["scenarios"]
    assert t["scenario"].tolist() == ["base: the plan as set", "more cash", "two launches a month",
                                      "a 2.5 million target", "premium launches", "all at once"]
    assert t["changes"][1] == "cash_available 40,000 → 400,000"
    assert t["changes_zh"][2] == "每人每月上新数 1 → 2"
    assert t["changes"][3] == "target_mode growth → total; target_total not set → 2,500,000"
    assert t["changes_zh"][3] == "目标模式 增长 → 总额；年度总目标 未设置 → 2,500,000"


@pytest.mark.parametrize("i", range(1, 6))
def test_sheet_scenario_is_a_separate_plan(user_plan, i):
    row = user_plan.tables["scenarios"].iloc[i]
    changes = {k: v for k, v in zip(USER_ROWS[0][1:], USER_ROWS[i][1:]) if v is not None}
    assert_row_is_plan(row, book({**three_band_sheets(**changes), **EMPTY_SCENARIOS}))


# ---------------------------------------------------------------- price bands

def test_price_bands_by_hand():
    """Twelve prices: 4 bands of 3 (cuts at sorted positions 3, 6, 9).  Eleven: 11 // 3 = 3 bands, cuts at
    positions ⌊11/3⌋ = 3 and ⌊22/3⌋ = 7: 3, 4 and 4 prices.  Six: 2 bands of 3.  Five: none (under 6).
    Ties: 10,10,10,10,20,20 gives b = 2, cut at position 3 = 10, so every 10 is in the upper band and the
    lower one is empty: fewer bands, b = 1, which is none."""
    assert [g.tolist() for g in price_bands(np.arange(12.0, 0.0, -1))] == [[9, 10, 11], [6, 7, 8], [3, 4, 5],
                                                                             [0, 1, 2]]
    assert [len(g) for g in price_bands(np.arange(1.0, 12.0))] == [3, 4, 4]
    assert [g.tolist() for g in price_bands(np.array([5, 1, 4, 2, 6, 3.0]))] == [[1, 3, 5], [0, 2, 4]]
    assert price_bands(np.arange(1.0, 6.0)) == []
    assert price_bands(np.array([10, 10, 10, 10, 20, 20.0])) == []


def test_bands_use_the_existing_skus_only():
    """A discontinued SKU and one silent for the last 12 months are no band's (3.3): with 9 SKUs of which one is
    discontinued and one silent, 7 are left (22, 24, 40, 44, 48, 80, 90): 7 // 3 = 2 bands, cut at the price at
    sorted position ⌊7/2⌋ = 3, 44: {22, 24, 40} (median 24) and {44, 48, 80, 90} (median (48 + 80) / 2 = 64)."""
    s = three_band_sheets()
    s["SKUs"][1][-1] = "discontinued"
    s["Sales"] = [r for r in s["Sales"] if not (r[2] == "K8" and r[0] >= "2025-01")]
    basis = build_basis(book(s))
    bands = [x for x in default_scenarios(basis) if "new_price" in x.settings]
    assert [x.settings["new_price"] for x in bands] == [24, 64]


def test_no_growth_scenarios_in_total_mode_and_none_below_zero():
    basis = build_basis(book(three_band_sheets(target_mode="total", target_total=1_000_000)))
    assert not [s for s in default_scenarios(basis) if "monthly_growth" in s.settings]
    basis = build_basis(book(three_band_sheets(monthly_growth=0.01)))
    assert [s.settings["monthly_growth"] for s in default_scenarios(basis) if "monthly_growth" in s.settings] == \
        [0.0, 0.03]
    basis = build_basis(book(three_band_sheets(monthly_growth=0)))
    assert [s.settings["monthly_growth"] for s in default_scenarios(basis) if "monthly_growth" in s.settings] == \
        [0.02]


# ---------------------------------------------------------------- monotone properties (3.6 on each scenario)

@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cash=st.integers(0, 200_000), more=st.integers(1, 400_000), price=st.sampled_from([30, 60, 120]))
def test_more_cash_never_lowers_a_scenarios_reachable_target(cash, more, price):
    rows = [["scenario", "cash_available", "new_price"], ["less", cash, price], ["more", cash + more, price]]
    plan, _ = make_plan(book({**three_band_sheets(), "Scenarios": rows}), scenarios=True)
    t = plan.tables["scenarios"].set_index("scenario")
    assert t.loc["more", "max_reachable_sales"] >= t.loc["less", "max_reachable_sales"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rate=st.sampled_from([0.25, 0.5, 1, 1.5]), more=st.sampled_from([0.25, 0.5, 1, 2]),
       price=st.sampled_from([30, 60, 120]))
def test_more_launches_per_operator_never_raise_a_scenarios_shortfall(rate, more, price):
    rows = [["scenario", "launches_per_operator_month", "new_price", "monthly_growth"],
            ["fewer", rate, price, 0.08], ["more", rate + more, price, 0.08]]
    plan, _ = make_plan(book({**three_band_sheets(), "Scenarios": rows}), scenarios=True)
    t = plan.tables["scenarios"].set_index("scenario")
    assert t.loc["more", "shortfall"] <= t.loc["fewer", "shortfall"]
