"""New launches (SPEC 3.5): the ramped contribution, the greedy order, the capacity shortfall."""
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from goalsheet.plan import launches as nl
from goalsheet.plan.basis import build_basis, derive
from goalsheet.plan.settings import PlanSettings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_book import book_from_sheets
from sellers import three_stores_at_30000


def test_ramped_contribution():
    """0.6 × 150 units × 20 × min(1, (m − L + 1)/3) × S_m, L = March (column 2), S_m = 1.2 in May, else 1:
    Mar 1800/3 = 600, Apr 1200, May 1800 × 1.2 = 2160, then 1800; Jan and Feb 0.
    Over the year: 600 + 1200 + 2160 + 7 × 1800 = 16 560."""
    S = np.ones(12)
    S[4] = 1.2
    c = nl.contribution(0.6, 150, 20.0, 2, 12, 3, S)
    assert c[:2].tolist() == [0, 0]
    assert c[2:6] == pytest.approx([600, 1200, 2160, 1800])
    assert c.sum() == pytest.approx(16_560)


def _one_store_plan(gap, capacity=1.0, planned=None, first_col=2):
    new_products = pd.DataFrame({"store": ["S"], "price": [20.0], "monthly_units": [150.0], "unit_cost": [10.0],
                                 "fx": [1.0], "freight": [2.0], "duty_rate": [0.1], "customs_fob": [False],
                                 "other_cost_base": [0.5], "launchable": [True]})
    planned = planned if planned is not None else pd.DataFrame(columns=["launch_month", "store", "operator", "count"])
    months = tuple(f"2026-{k:02d}" for k in range(1, 13))
    return nl.plan_launches(np.array([gap]), new_products, planned, months, np.arange(12), np.ones(12), first_col,
                            {"S": ["Ann"]}, capacity,
                            PlanSettings.read({"new_success_rate": 0.6, "new_ramp_months": 3, "new_launch_budget": 1000,
                                               "new_failure_writeoff": 0.5}))


def test_capacity_shortfall():
    """1 800 a month ramped; one launch a month from March: contributions 1800 × (12 − L), L = 3..12,
    and for December 1800/3: 16 200 + 14 400 + ... + 1 800 + 600 = 1800 × 45 + 600 = 81 600.
    A gap of 100 000 leaves a shortfall of 18 400 after ten launches."""
    lp = _one_store_plan(100_000)
    assert len(lp.table) == 10
    assert lp.covered[0] == pytest.approx(81_600)
    assert lp.shortfall[0] == pytest.approx(18_400)


def test_first_order_cost_budget_and_writeoff():
    """First order 3 × 150 = 450 units × (unit cost 10 + duty 0.1 × (8 + 2) CIF + other 0.5) = 450 × 11.5
    = 5 175; write-off (1 − 0.6) × 5 175 × 0.5 = 1 035; budget 1 000."""
    lp = _one_store_plan(10_000)
    r = lp.table.iloc[0]
    assert r["first_order_units"] == 450 and r["first_order_cost"] == pytest.approx(5175)
    assert r["writeoff"] == pytest.approx(1035) and r["launch_budget"] == 1000


def test_planned_launches_count_first_and_use_capacity():
    """A planned March launch covers 16 200 of a 20 000 gap and takes Ann's March capacity: the next
    launch goes to April (14 400) and covers the rest."""
    planned = pd.DataFrame({"launch_month": ["2026-03"], "store": ["S"], "operator": ["Ann"], "count": [1]})
    lp = _one_store_plan(20_000, planned=planned)
    assert list(lp.table["month"]) == ["2026-03", "2026-04"]
    assert list(lp.table["planned"]) == [True, False]


def test_largest_uncovered_gap_first_ties_in_store_order():
    """Three equal stores: each March launch goes to the store with the largest uncovered gap, ties to
    the earlier store: A, B, C in March (one operator each), then A, B, C in April..."""
    b = build_basis(book_from_sheets(three_stores_at_30000()))
    d = derive(b)
    lt = d.launches.table
    assert list(lt["store"]) == ["Store A", "Store B", "Store C"]
    assert list(lt["month"]) == ["2026-03"] * 3


def test_a_store_without_a_named_operator_still_launches():
    """No operator anywhere for the three stores: each gets one anonymous operator, '(unassigned)',
    with the usual capacity, so the March launches still happen."""
    sheets = three_stores_at_30000()
    sheets["Stores"] = [r[:3] + [None] for r in sheets["Stores"]]
    d = derive(build_basis(book_from_sheets(sheets)))
    assert list(d.launches.table["operator"]) == ["(unassigned)"] * 3
