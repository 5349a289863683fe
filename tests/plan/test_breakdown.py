"""Breakdown and rounding (SPEC 3.7): hand-worked largest-remainder cases and reconciliation properties."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalsheet.plan.breakdown import (breakdown_cells, minor_unit_decimals, quarter_of, reconcile, rollups,
                                      round_largest_remainder, standard_checks)

# the split over operators in frames: the reference the planner's operator_cells is held to (test_cells.py),
# hand-worked here
from plan.breakdown_reference import operator_shares, split_store_targets


# --- round_largest_remainder -------------------------------------------------------------------------------

def test_thirds_add_up_to_100():
    """33.333…, 33.333…, 33.334 against 100.00.

    In cents: 3333.33…, 3333.33…, 3333.4 → floors 3333 + 3333 + 3333 = 9 999; the total
    100.000666… rounds to 10 000, one cent is missing; remainders .333, .333, .4 → the
    third cell gets it: 33.33, 33.33, 33.34 (sum 100.00).
    """
    got = round_largest_remainder([100 / 3, 100 / 3, 33.334])
    assert got.tolist() == [33.33, 33.33, 33.34]
    assert math.isclose(got.sum(), 100.00)


def test_equal_thirds_first_cell_wins():
    """Three equal thirds of 100: floors 3333 × 3 = 9 999 cents, one cent missing, the
    remainders tie (.333…) → the first cell: 33.34, 33.33, 33.33."""
    assert round_largest_remainder([100 / 3] * 3).tolist() == [33.34, 33.33, 33.33]


def test_ties_go_to_the_earlier_cells():
    """Four cells of 10.005: total 40.02 = 4 002 cents; floors 1 000 × 4 = 4 000; two cents
    go to the two earliest of four equal remainders (.5): 10.01, 10.01, 10.00, 10.00."""
    assert round_largest_remainder([10.005] * 4).tolist() == [10.01, 10.01, 10.00, 10.00]


def test_half_units_decimals_0():
    """0.5 × 4, whole units: total 2; floors 0; two units to the first two: 1, 1, 0, 0."""
    assert round_largest_remainder([0.5, 0.5, 0.5, 0.5], decimals=0).tolist() == [1, 1, 0, 0]


def test_negative_cells():
    """A negative new-product month: −10.004, 5.006, 5.006 (sum 0.008 → 0.01 = 1 cent).

    Cents: −1000.4 → floor −1001 (remainder .6); 500.6 → 500 (.6); 500.6 → 500 (.6).
    Floors add to −1, two cents missing; remainders tie → the first two cells:
    −10.00, 5.01, 5.00 (sum 0.01).
    """
    got = round_largest_remainder([-10.004, 5.006, 5.006])
    assert got.tolist() == [-10.00, 5.01, 5.00]
    assert round(got.sum(), 2) == 0.01


def test_jpy_whole_yen():
    """JPY, 0 decimals: 1000.4, 1000.4, 1000.2 → total 3001; floors 3000; the one yen goes to
    the first of the two .4 remainders: 1001, 1000, 1000."""
    assert minor_unit_decimals("JPY") == 0 and minor_unit_decimals("CNY") == 2
    assert round_largest_remainder([1000.4, 1000.4, 1000.2], decimals=0).tolist() == [1001, 1000, 1000]


def test_against_a_given_total():
    """1.111, 2.222, 3.333 against 6.68: 668 cents; floors 111 + 222 + 333 = 666; two cents go
    to the largest remainders .3 (third) and .2 (second): 1.11, 2.23, 3.34."""
    assert round_largest_remainder([1.111, 2.222, 3.333], total=6.68).tolist() == [1.11, 2.23, 3.34]


def test_total_rounds_half_away_from_zero():
    """A single 1.005 is 1.01 (the half cent rounds up, as in Excel), −1.005 is −1.01."""
    assert round_largest_remainder([1.005]).tolist() == [1.01]
    assert round_largest_remainder([-1.005]).tolist() == [-1.01]


def test_float_noise_is_not_a_remainder():
    """0.29 × 100 is 28.999999999999996 in floats: it must stay 0.29 and not steal a cent.
    0.29 + 0.71 = 1.00 exactly; both cells keep their value."""
    assert round_largest_remainder([0.29, 0.71]).tolist() == [0.29, 0.71]


def test_empty_and_bad_input():
    assert round_largest_remainder([]).size == 0
    with pytest.raises(ValueError):
        round_largest_remainder([1.0, float("nan")])


# --- breakdown_cells ---------------------------------------------------------------------------------------

def test_cells_order_month_store_operator_as_given():
    """Stores listed Zeta before Alpha (not alphabetical), rows given store by store.
    Four cells of 0.005: total 0.02 = 2 cents; all remainders .5, so the two earliest cells in
    month, store, operator order get a cent: (Jan, Zeta) and (Jan, Alpha)."""
    cells = pd.DataFrame({
        "month": ["2026-01", "2026-02", "2026-01", "2026-02"],
        "store": ["Zeta", "Zeta", "Alpha", "Alpha"],
        "operator": ["Li", "Li", "Wu", "Wu"],
        "value": [0.005] * 4,
    })
    out = breakdown_cells(cells)
    assert list(zip(out["month"], out["store"])) == [("2026-01", "Zeta"), ("2026-01", "Alpha"),
                                                     ("2026-02", "Zeta"), ("2026-02", "Alpha")]
    assert out["rounded"].tolist() == [0.01, 0.01, 0.0, 0.0]


def test_golden_de_store_months():
    """Acme DE's twelve rounded month targets (tests/golden README, example 3) with one operator
    add up to the store's and Chen Jie's annual target, 2 915 491.53."""
    targets = [169347.51, 164014.47, 191237.67, 204144.14, 214816.46, 222756.75,
               258187.26, 235211.28, 240135.57, 279449.09, 353002.66, 383188.67]
    cells = pd.DataFrame({"month": [f"2026-{m:02d}" for m in range(1, 13)], "store": "Acme DE",
                          "operator": "Chen Jie", "value": targets})
    sums = rollups(breakdown_cells(cells))
    assert sums["company"] == 2915491.53
    assert sums["operator"]["value"].tolist() == [2915491.53]


# --- operator_shares ---------------------------------------------------------------------------------------

def test_operator_shares_existing_plus_launches():
    """Store S, January: Li's SKUs forecast 600, Wu's 300 plus Wu's launch 100 → store 1 000:
    Li 0.6, Wu 0.4.  February: nothing anywhere → equal split 0.5 / 0.5.  A target of
    1 234.56 in January splits 740.736 / 493.824."""
    existing = pd.DataFrame({"month": ["2026-01", "2026-01"], "store": ["S", "S"], "operator": ["Li", "Wu"],
                             "sales": [600.0, 300.0]})
    launches = pd.DataFrame({"month": ["2026-01"], "store": ["S"], "operator": ["Wu"], "sales": [100.0]})
    shares = operator_shares(existing, launches, months=["2026-01", "2026-02"])
    assert shares["share"].tolist() == pytest.approx([0.6, 0.4, 0.5, 0.5])
    targets = pd.DataFrame({"month": ["2026-01", "2026-02"], "store": ["S", "S"], "target": [1234.56, 0.0]})
    cells = split_store_targets(targets, shares)
    assert cells["value"].tolist() == pytest.approx([740.736, 493.824, 0.0, 0.0])


def test_operator_shares_listed_operator_without_sales():
    """Stores sheet lists three operators for S; only Li has a forecast (500) in January → 1, 0, 0;
    in February nobody has anything → a third each.  Store T has no data but is listed with one
    operator, who gets all of it (1) in both months."""
    existing = pd.DataFrame({"month": ["2026-01"], "store": ["S"], "operator": ["Li"], "sales": [500.0]})
    shares = operator_shares(existing, store_operators={"S": ["Wu", "Li", "Zhao"], "T": ["Qian"]},
                             months=["2026-01", "2026-02"])
    got = {(m, s, o): v for m, s, o, v in shares.itertuples(index=False)}
    assert got[("2026-01", "S", "Li")] == 1.0 and got[("2026-01", "S", "Wu")] == 0.0
    assert got[("2026-02", "S", "Zhao")] == pytest.approx(1 / 3)
    assert got[("2026-01", "T", "Qian")] == 1.0
    assert list(shares["operator"][:3]) == ["Wu", "Li", "Zhao"]     # the Stores sheet's order


def test_split_store_targets_refuses_a_store_without_operators():
    shares = operator_shares(pd.DataFrame({"month": ["2026-01"], "store": ["S"], "operator": ["Li"],
                                           "sales": [1.0]}))
    targets = pd.DataFrame({"month": ["2026-01"], "store": ["Other"], "target": [5.0]})
    with pytest.raises(ValueError):
        split_store_targets(targets, shares)


# --- reconcile ---------------------------------------------------------------------------------------------

def test_reconcile_pass_and_fail():
    """0.1 + 0.2 against 0.30 passes (the float 0.30000000000000004 is 0.30 to the cent);
    100.00 + 200.01 against 300.00 fails by 0.01."""
    out = reconcile([("a", [0.1, 0.2], 0.3), ("b", pd.Series([100.0, 200.01]), 300.0)])
    assert out.columns.tolist() == ["check", "expected", "actual", "difference", "result"]
    assert out["result"].tolist() == ["PASS", "FAIL"]
    assert out.loc[1, "difference"] == 0.01 and out.loc[1, "actual"] == 300.01


def test_quarter_of():
    assert [quarter_of(m) for m in ("2026-01", "2026-03", "2026-04", "2026-12")] == \
        ["2026-Q1", "2026-Q1", "2026-Q2", "2026-Q4"]


# --- properties --------------------------------------------------------------------------------------------

@st.composite
def cell_frames(draw):
    n_months = draw(st.integers(1, 12))
    stores = [f"store{i}" for i in range(draw(st.integers(1, 4)))]
    rows = []
    values = st.floats(-50_000, 2_000_000, allow_nan=False, allow_infinity=False)
    ops = {s: [f"op{j}" for j in draw(st.lists(st.integers(0, 5), min_size=1, max_size=3, unique=True))]
           for s in stores}
    for m in range(1, n_months + 1):
        for s in stores:
            for o in ops[s]:
                rows.append((f"2026-{m:02d}", s, o, draw(values)))
    decimals = draw(st.sampled_from([0, 2]))
    return pd.DataFrame(rows, columns=["month", "store", "operator", "value"]), decimals


@settings(max_examples=150, deadline=None)
@given(cell_frames())
def test_every_total_is_the_sum_of_its_rounded_parts(frame_and_decimals):
    cells, decimals = frame_and_decimals
    out = breakdown_cells(cells, decimals=decimals)
    unit = 10.0 ** -decimals
    # each rounded cell is within one minor unit of its exact value
    assert np.all(np.abs(out["rounded"] - out["value"]) < unit * (1 + 1e-6))
    # the company total is the rounded exact total
    exact = math.fsum(cells["value"])
    company_units = round(math.fsum(out["rounded"]) / unit)
    assert abs(company_units * unit - exact) <= unit / 2 + 1e-6
    sums = rollups(out, decimals=decimals)
    assert round(sums["company"] / unit) == company_units
    # each month, quarter, store and operator total is the sum of its cells, to the minor unit
    for key, name in (("month", "month"), ("store", "store"), ("operator", "operator")):
        for label, group in out.groupby(key):
            got = sums[name].set_index(key).loc[label, "value"]
            assert round(got / unit) == round(math.fsum(group["rounded"]) / unit)
    for label, group in out.assign(quarter=out["month"].map(quarter_of)).groupby("quarter"):
        got = sums["quarter"].set_index("quarter").loc[label, "value"]
        assert round(got / unit) == round(math.fsum(group["rounded"]) / unit)
    checks = reconcile(standard_checks(out, decimals=decimals), decimals=decimals)
    assert (checks["result"] == "PASS").all(), checks


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40), st.sampled_from([0, 2]))
def test_largest_remainder_hits_the_rounded_total(values, decimals):
    got = round_largest_remainder(values, decimals)
    unit = 10.0 ** -decimals
    assert round(got.sum() / unit) == round(round_largest_remainder([math.fsum(values)], decimals)[0] / unit)
    assert np.all(np.abs(got - np.asarray(values)) < unit * (1 + 1e-6))
