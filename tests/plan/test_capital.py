"""The capital plan (SPEC 3.6): timing rule, stock pools, the cash table, feasibility.

Every expected figure is worked by hand in the docstring.  The scenarios use a 30.4-day grid
(table month i = days [30.4 i, 30.4 (i + 1))) and shifts that are multiples of 15.2 days so that
the working stays on half months.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies

from goalsheet.plan.cash import (
    CashInputs, cash_plan, default_opening_payables, default_opening_stock, spread_over_months,
    split_opening_stock,
)

YEAR = [f"2026-{m:02d}" for m in range(1, 13)]

# one unit: payout 25, refund 0.5, ads 3; stock: cogs 10, freight 2, duty 1, other 0.5, return 4 %
UNIT = dict(payout_per_unit=25.0, refund_per_unit=0.5, ads_per_unit=3.0, cogs_per_unit=10.0, freight_per_unit=2.0,
            duty_per_unit=1.0, other_cost_per_unit=0.5, return_rate=0.04)
# the timing settings of the worked scenarios: lead + safety = 76 days (2.5 months),
# transit + safety = 30.4 (1 month), lead − transit = 45.6 (1.5 months), payouts half a month later
TIMING = dict(lead_time_days=60.8, transit_days=15.2, safety_stock_days=15.2, deposit_rate=0.3,
              payout_delay_days=15.2)


def rows(months, units, store="US", line="existing", **over):
    return [dict(month=m, store=store, line=line, units=units, **{**UNIT, **over}) for m in months]


def frame(records):
    return pd.DataFrame(records)


# --------------------------------------------------------------------------- the timing rule

def test_payout_21_days_after_a_month_of_sales():
    """Sales of 3 040 spread over month 0 (days 0 .. 30.4), paid 21 days later: the payments
    fall over days 21 .. 51.4.  Days 21 .. 30.4 (9.4 days) are in month 0, days 30.4 .. 51.4
    (21 days) in month 1:
        month 0: 3 040 × 9.4 / 30.4 = 940
        month 1: 3 040 × 21 / 30.4  = 2 100
    """
    got = spread_over_months(0.0, 30.4, 3040.0, 21.0, 3)
    assert got[0] == pytest.approx([940.0, 2100.0, 0.0])


def test_parts_before_the_table_are_paid_in_the_first_month():
    """Sales of 3 040 over month 1 (days 30.4 .. 60.8) with a deposit due 76 days before: the
    deposit falls over days −45.6 .. −15.2, all before the table, so all 3 040 is paid in month 0.
    Sales over month 2 (days 60.8 .. 91.2): due over −15.2 .. 15.2; the half before the table is
    paid in month 0, the other half falls in month 0 too: 3 040 in month 0."""
    got = spread_over_months([30.4, 60.8], [60.8, 91.2], 3040.0, -76.0, 3)
    assert got[0] == pytest.approx([3040.0, 0.0, 0.0])
    assert got[1] == pytest.approx([3040.0, 0.0, 0.0])


def test_parts_after_december_are_left_out():
    """A three-month table; sales of 3 040 over month 2 (days 60.8 .. 91.2) paid 21 days later
    fall over 81.8 .. 112.2: 9.4 days (940) in month 2, the other 21 days (2 100) after the table,
    left out."""
    got = spread_over_months(60.8, 91.2, 3040.0, 21.0, 3)
    assert got[0] == pytest.approx([0.0, 0.0, 940.0])


def test_receivables_drop_what_was_received_in_history():
    """The last history month covers days −30.4 .. 0; its payouts of 3 040, 21 days later, fall
    over −9.4 .. 21.  The 9.4 days before the table were received in history (940, dropped);
    21 / 30.4 of it is a receivable in month 0: 2 100."""
    got = spread_over_months(-30.4, 0.0, 3040.0, 21.0, 2, before="drop")
    assert got[0] == pytest.approx([2100.0, 0.0])


def test_a_payment_on_a_day():
    """A window of no length pays on its day: day 40 is in month 1 (30.4 .. 60.8); day −5 is before
    the table (month 0); day 100 is after a 3-month table (left out)."""
    got = spread_over_months([40.0, -5.0, 100.0], [40.0, -5.0, 100.0], 10.0, 0.0, 3)
    assert got.tolist() == [[0.0, 10.0, 0.0], [10.0, 0.0, 0.0], [0.0, 0.0, 0.0]]


# --------------------------------------------------------------------------- defaults

def test_default_opening_stock_and_payables():
    """Run-rate 100 units a month, return rate 4 % → 98 units of stock a month.
    Opening stock = landed (10 + 2 = 12) × 98 × (lead 60.8 + safety 15.2 = 76 days) / 30.4
                  = 1 176 × 2.5 = 2 940.
    Opening payables = ((1 − 0.3) × 10 + 2 + 1 + 0.5 = 10.5) × 98 × (lead 60.8 − transit 15.2 = 45.6) / 30.4
                     = 1 029 × 1.5 = 1 543.5.
    A Settings opening stock of 1 000 over two stores whose defaults are 2 940 and 980 (a third of
    the run-rate): 750 and 250."""
    run_rate = frame([dict(store="US", units=100.0, **{k: v for k, v in UNIT.items() if "per_unit" in k
                                                          and k not in ("payout_per_unit", "refund_per_unit",
                                                                        "ads_per_unit")}, return_rate=0.04)])
    assert default_opening_stock(run_rate, 60.8, 15.2) == pytest.approx({"US": 2940.0})
    assert default_opening_payables(run_rate, 60.8, 15.2, 0.3) == pytest.approx(1543.5)
    assert split_opening_stock(1000.0, {"US": 2940.0, "DE": 980.0}, ["US", "DE"]) == pytest.approx(
        {"US": 750.0, "DE": 250.0})
    assert split_opening_stock(None, {"US": 2940.0}, ["US", "DE"]) == {"US": 2940.0, "DE": 0.0}
    assert split_opening_stock(90.0, {}, ["US", "DE", "JP"]) == pytest.approx({"US": 30.0, "DE": 30.0, "JP": 30.0})


# --------------------------------------------------------------------------- the worked cash table

def worked_inputs(**over) -> CashInputs:
    """The scenario of `test_first_three_months_by_hand`."""
    sales = rows(YEAR, 100.0) + rows(YEAR[2:], 50.0, line="new")
    history = frame([dict(month="2025-11", store="US", units=100.0, payout_per_unit=25.0, refund_per_unit=0.5),
                     dict(month="2025-12", store="US", units=100.0, payout_per_unit=25.0, refund_per_unit=0.5)])
    launches = frame([dict(month="2026-03", store="US", count=1, first_order_units=200.0, cogs_per_unit=10.0,
                           freight_per_unit=2.0, duty_per_unit=1.0, other_cost_per_unit=0.5, launch_budget=600.0,
                           ramp_months=3)])
    fixed = frame([dict(month=m, store_fees=280.0, expenses=1000.0, salaries=2000.0) for m in YEAR])
    bonus = frame([dict(month="2026-02", amount=500.0), dict(month="2027-01", amount=9999.0)])
    args = dict(months=YEAR, sales=frame(sales), cash_available=10_000.0, history_sales=history, launches=launches,
                fixed_costs=fixed, bonus_payments=bonus, opening_stock_value=1764.0, opening_payables=900.0,
                **TIMING)
    args.update(over)
    return CashInputs(**args)


def test_first_three_months_by_hand():
    """One store.  Existing products sell 100 units every month; from March a new product sells
    50 units a month.  Per unit sold: payout 25, refund 0.5, ads 3; a unit sold needs
    1 − 0.04 / 2 = 0.98 units of stock; per unit of stock: deposit 0.3 × 10 = 3, balance
    0.7 × 10 + 2 + 1 + 0.5 = 10.5, landed 12.  So an existing month needs 98 stock units:
    landed 1 176, deposits 294, balance 1 029.
    Timing: deposits 76 days (2.5 months) before the sale, balances 30.4 days (1 month) before,
    payouts 15.2 days (half a month) after.

    Opening stock 1 764 = 1.5 months: serves January and the first half of February; the second
    half of February (days 45.6 .. 60.8) is bought: deposit 147, balance 514.5.
    Deposits (−76 days):  Feb 2nd half → days −30.4 .. −15.2 → January        147
                          Mar → −15.2 .. 15.2 → January                       294
                          Apr → 15.2 .. 45.6 → Jan 147, Feb 147
                          May → 45.6 .. 76 → Feb 147, Mar 147
                          Jun → 76 .. 106.4 → Mar 147, Apr 147
        January 588, February 294, March 294.
    Balances (−30.4 days): Feb 2nd half → January 514.5; Mar → February 1 029; Apr → March 1 029.
    The new product's need (50 × 0.98 × 12 = 588 a month) is served by the first-order pool
    (200 × 12 = 2 400) March .. June, so it buys nothing that touches the first three months.
    First order: 200 units, deposit 200 × 3 = 600 as for sales over March, −76 days → January;
    balance 200 × 10.5 = 2 100, −30.4 days → February.
    Launch budget 600 over March, April, May: 200 in March.
    Payouts: half a month's sales in the month, half in the next.  Existing 100 × 25 = 2 500 a
    month, refunds 50; new from March 1 250, refunds 25.
        payouts in: Jan 1 250, Feb 2 500, Mar 2 500 + 625 = 3 125
        refunds:    Jan −25,   Feb −50,   Mar −50 − 12.5 = −62.5
    Receivables: December 2025's payouts (100 × (25 − 0.5) = 2 450) land half in December, half
    (1 225) in January; November's all landed in history.
    Ads: −300, −300, −300 − 150 = −450.  Fixed: fees −280, expenses −1 000, salaries −2 000.
    Bonus −500 in February (the one in 2027-01 is outside the table).
    Opening payables 900 over the first 45.6 days: January 30.4 / 45.6 → 600, February 300.

    January  = 1 225 + 1 250 − 25 − 588 − 514.5 − 300 − 600 − 280 − 1 000 − 2 000 − 600 = −3 432.5
               closing 10 000 − 3 432.5 = 6 567.5
    February = 2 500 − 50 − 294 − 1 029 − 300 − 2 100 − 280 − 1 000 − 2 000 − 500 − 300 = −5 353
               closing 1 214.5
    March    = 3 125 − 62.5 − 294 − 1 029 − 450 − 200 − 280 − 1 000 − 2 000 = −2 190.5
               closing −976
    Downside (payouts and refunds at 80 %): net − 0.2 × (payouts in + refunds):
        Jan −3 432.5 − 0.2 × 1 225 = −3 677.5 → 6 322.5
        Feb −5 353 − 0.2 × 2 450 = −5 843     → 479.5
        Mar −2 190.5 − 0.2 × 3 062.5 = −2 803 → −2 323.5
    """
    t = cash_plan(worked_inputs()).table.set_index("month")
    expected = {
        "receivables": [1225, 0, 0], "payouts_in": [1250, 2500, 3125], "refunds": [-25, -50, -62.5],
        "purchase_deposits": [-588, -294, -294], "balances_freight_duty": [-514.5, -1029, -1029],
        "advertising": [-300, -300, -450], "launch_budgets": [0, 0, -200], "first_orders": [-600, -2100, 0],
        "store_fees": [-280] * 3, "expenses": [-1000] * 3, "salaries": [-2000] * 3, "bonuses": [0, -500, 0],
        "opening_payables": [-600, -300, 0], "net_flow": [-3432.5, -5353, -2190.5],
        "opening_balance": [10000, 6567.5, 1214.5], "closing_balance": [6567.5, 1214.5, -976],
        "downside_closing_balance": [6322.5, 479.5, -2323.5],
    }
    for column, values in expected.items():
        assert t[column].iloc[:3].tolist() == pytest.approx(values, abs=1e-9), column


def test_closing_is_opening_plus_flows_every_month():
    """Each closing balance is the opening balance plus the month's flows, and each opening is
    the previous closing (a reconciliation, no hand figures needed)."""
    t = cash_plan(worked_inputs()).table
    flows = t.loc[:, "receivables":"opening_payables"].sum(axis=1)
    assert (t["opening_balance"] + flows - t["closing_balance"]).abs().max() < 1e-6
    assert t["opening_balance"].iloc[1:].tolist() == pytest.approx(t["closing_balance"].iloc[:-1].tolist())


# --------------------------------------------------------------------------- stock

def test_opening_stock_first_in_first_out():
    """Existing need 1 176 a month (98 stock units × 12); opening stock 1 764.
    January: 1 176 from stock, 588 left.  February: 588 from stock, 588 bought, 0 left.
    March: all 1 176 bought.  Bought stock units ordered in January (deposit timing, −76 days):
    the February half (49), March (98) and half of April (49) = 196 units, value 196 × 13.5
    (3 + 10.5) = 2 646; the first order's 200 units (value 200 × 13.5 = 2 700) is ordered in
    January too: 396 units, 5 346 in all."""
    result = cash_plan(worked_inputs())
    st = result.stock[result.stock["line"] == "existing"].set_index("month")
    assert st.loc["2026-01", ["need", "from_stock", "bought", "stock_left"]].tolist() == pytest.approx(
        [1176, 1176, 0, 588])
    assert st.loc["2026-02", ["need", "from_stock", "bought", "stock_left"]].tolist() == pytest.approx(
        [1176, 588, 588, 0])
    assert st.loc["2026-03", ["from_stock", "bought"]].tolist() == pytest.approx([0, 1176])
    jan = result.purchases.set_index(["month", "store"]).loc[("2026-01", "US")]
    assert jan["units_to_order"] == pytest.approx(396.0)
    assert jan["value_to_order"] == pytest.approx(5346.0)
    assert jan["first_order_units"] == pytest.approx(200.0)
    assert jan["first_order_value"] == pytest.approx(2700.0)
    assert jan["deposits_due"] == pytest.approx(588 + 600)


def test_default_opening_stock_when_not_given():
    """No opening stock in Settings: the default from a run-rate of 100 units a month is 2 940
    (2.5 months of 1 176, see test_default_opening_stock_and_payables), so January and February
    are served from stock, March half (588 left before March: 2 940 − 2 × 1 176 = 588)."""
    run_rate = frame([dict(store="US", units=100.0, cogs_per_unit=10.0, freight_per_unit=2.0, duty_per_unit=1.0,
                           other_cost_per_unit=0.5, return_rate=0.04)])
    result = cash_plan(worked_inputs(opening_stock_value=None, run_rate=run_rate))
    assert result.opening_stock == pytest.approx({"US": 2940.0})
    st = result.stock[result.stock["line"] == "existing"].set_index("month")
    assert st.loc["2026-03", ["from_stock", "bought"]].tolist() == pytest.approx([588, 588])


def test_first_order_pool():
    """New product from March, 50 units a month: need 50 × 0.98 × 12 = 588 a month.
    First order of 171.5 units in March: pool 171.5 × 12 = 2 058 = 3.5 months.
    March, April, May served (2 058 − 3 × 588 = 294 left); June: 294 from the pool, 294 bought
    (the second half of June, days 167.2 .. 182.4); July: all bought.  A second launch in August
    (another 2 058) joins the pool: August served, purchases pause (1 470 left).
    Months on the grid: April = days 91.2 .. 121.6, May 121.6 .. 152, June 152 .. 182.4.
    June's bought half (days 167.2 .. 182.4): deposit 0.5 × 49 × 3 = 73.5 due 76 days before →
    91.2 .. 106.4 → April; balance 0.5 × 49 × 10.5 = 257.25 due 30.4 days before → 136.8 .. 152 → May.
    July (all bought, days 182.4 .. 212.8): deposit 147 due over 106.4 .. 136.8 → April 73.5,
    May 73.5; balance 514.5 → 152 .. 182.4 → June.
        April deposits 73.5 + 73.5 = 147;  May deposits 73.5 (August .. October are served by the
        pool, so nothing else);  June deposits 0 (purchases pause);  May balances 257.25;
        June balances 514.5.
    August's first order (171.5 units) is paid as the purchase for sales over August (212.8 ..
    243.2): deposit 171.5 × 3 = 514.5 due over 136.8 .. 167.2 → May 257.25, June 257.25.  So the
    purchases table shows deposits due in May 73.5 + 257.25 = 330.75 and in June 257.25.
    """
    launch = dict(store="US", count=1, first_order_units=171.5, cogs_per_unit=10.0, freight_per_unit=2.0,
                  duty_per_unit=1.0, other_cost_per_unit=0.5, launch_budget=0.0, ramp_months=3)
    inputs = CashInputs(months=YEAR, sales=frame(rows(YEAR[2:], 50.0, line="new")), cash_available=0.0,
                        launches=frame([dict(month="2026-03", **launch), dict(month="2026-08", **launch)]),
                        opening_stock_value=0.0, opening_payables=0.0, **TIMING)
    result = cash_plan(inputs)
    st = result.stock[result.stock["line"] == "new"].set_index("month")
    assert st.loc["2026-05", "stock_left"] == pytest.approx(294)
    assert st.loc["2026-06", ["from_stock", "bought", "stock_left"]].tolist() == pytest.approx([294, 294, 0])
    assert st.loc["2026-07", ["from_stock", "bought"]].tolist() == pytest.approx([0, 588])
    assert st.loc["2026-08", ["from_stock", "bought", "stock_left"]].tolist() == pytest.approx([588, 0, 1470])
    deposits = result.table.set_index("month")["purchase_deposits"]
    assert deposits[["2026-04", "2026-05", "2026-06"]].tolist() == pytest.approx([-147, -73.5, 0])
    first_orders = result.table.set_index("month")["first_orders"]
    assert first_orders[["2026-05", "2026-06"]].tolist() == pytest.approx([-257.25, -257.25])
    buy = result.purchases.set_index("month")
    assert buy.loc["2026-05", "deposits_due"] == pytest.approx(330.75)
    assert buy.loc["2026-06", "deposits_due"] == pytest.approx(257.25)
    assert buy.loc["2026-05", "balances_due"] == pytest.approx(257.25)
    assert buy.loc["2026-06", "balances_due"] == pytest.approx(514.5)


def test_negative_new_product_need_lowers_existing_need():
    """January: existing 100 units (need 1 176), new −25 units (E > T): new need
    −25 × 0.98 × 12 = −294 lowers the existing need to 882; nothing is bought for the new line.
    Existing deposits for January's sales: 294 × 882 / 1 176 = 220.5.  Payouts follow the
    sales: (100 − 25) × 25 = 1 875, half (937.5) in January.
    When the negative need exceeds the existing need it stops at 0: new −150 units → need 0."""
    base = dict(months=YEAR[:1], cash_available=0.0, opening_stock_value=0.0, opening_payables=0.0, **TIMING)
    result = cash_plan(CashInputs(sales=frame(rows(YEAR[:1], 100.0) + rows(YEAR[:1], -25.0, line="new")), **base))
    st = result.stock.set_index(["month", "line"])
    assert st.loc[("2026-01", "existing"), "need"] == pytest.approx(882)
    assert st.loc[("2026-01", "new"), "need"] == 0
    assert result.table["payouts_in"].iloc[0] == pytest.approx(937.5)
    # a one-month table: January's deposit (−76 days) and next year's (2.5 months at January's
    # 882, all due from day 30.4 − 76 on, before or in January) are all paid in January:
    # 220.5 + 2.5 × 220.5 = 771.75
    assert result.table["purchase_deposits"].iloc[0] == pytest.approx(-771.75)
    result = cash_plan(CashInputs(sales=frame(rows(YEAR[:1], 100.0) + rows(YEAR[:1], -150.0, line="new")), **base))
    assert result.stock["need"].abs().sum() == 0
    assert result.table["purchase_deposits"].iloc[0] == 0


def test_next_year_stock_is_bought_in_the_plan_year():
    """A three-month table (October .. December) with 100 existing units a month and no opening
    stock: purchases cover December plus 76 days of the next year at December's need (2.5 months:
    deposits 2.5 × 294 = 735, balances 2.5 × 1 029 = 2 572.5).
    Balances (−30.4 days): next year's sales over days 91.2 .. 167.2 are due over 60.8 .. 136.8:
    30.4 of 76 days fall in December → 2 572.5 × 0.4 = 1 029; December's own sales → November.
    December balances = 1 029 (as in a steady month).
    Deposits (−76 days): October's, November's and December's own sales are due over
    −76 .. −45.6, −45.6 .. −15.2 and −15.2 .. 15.2: all paid in October (3 × 294 = 882); next
    year's are due over 15.2 .. 91.2: October 15.2 / 76 × 735 = 147, November 30.4 / 76 × 735 = 294,
    December 294.  Deposits: October 1 029, November 294, December 294.
    Balances: October's and November's own sales are due over −30.4 .. 0 and 0 .. 30.4: October
    2 058; December's → November 1 029."""
    months = ["2026-10", "2026-11", "2026-12"]
    result = cash_plan(CashInputs(months=months, sales=frame(rows(months, 100.0)), cash_available=0.0,
                                  opening_stock_value=0.0, opening_payables=0.0, **TIMING))
    t = result.table
    assert t["balances_freight_duty"].tolist() == pytest.approx([-2058, -1029, -1029])
    assert t["purchase_deposits"].tolist() == pytest.approx([-1029, -294, -294])
    nxt = result.stock.set_index(["month", "line"]).loc[("next", "existing")]
    assert nxt["need"] == pytest.approx(2.5 * 1176)


# --------------------------------------------------------------------------- feasibility

def fixed_only(cash, credit=0.0, min_cash=0.0, expenses=(1500.0, 0.0, 0.0)):
    months = YEAR[:3]
    fixed = frame([dict(month=m, store_fees=0.0, expenses=e, salaries=0.0) for m, e in zip(months, expenses)])
    return CashInputs(months=months, sales=frame(rows(months, 0.0)), cash_available=cash, credit_line=credit,
                      min_cash=min_cash, fixed_costs=fixed, opening_stock_value=0.0, opening_payables=0.0, **TIMING)


def test_peak_need_and_feasibility():
    """Cash 1 000, expenses 1 500 in January: closing −500 every month.
    Peak need = 0 − (−500) = 500: feasible with a credit line of 500, not with 499.
    With min_cash 200 the peak need is 200 − (−500) = 700.  Cash 1 500: closing 0, need 0."""
    r = cash_plan(fixed_only(1000.0, credit=499.0))
    assert (r.lowest_balance, r.peak_need, r.feasible) == (pytest.approx(-500.0), pytest.approx(500.0), False)
    assert r.lowest_month == "2026-01"
    assert cash_plan(fixed_only(1000.0, credit=500.0)).feasible
    assert cash_plan(fixed_only(1000.0, credit=500.0, min_cash=200.0)).peak_need == pytest.approx(700.0)
    r = cash_plan(fixed_only(1500.0))
    assert r.peak_need == 0 and r.feasible


def test_downside_line_only_cuts_the_table_sales_payouts():
    """Downside closing = closing − 0.2 × cumulative (payouts in + refunds); receivables and
    everything else as planned (the first three months are worked by hand in
    test_first_three_months_by_hand; here the identity holds every month)."""
    r = cash_plan(worked_inputs())
    t = r.table
    cut = 0.2 * np.cumsum(t["payouts_in"] + t["refunds"])
    assert (t["closing_balance"] - cut - t["downside_closing_balance"]).abs().max() < 1e-6
    assert r.downside_lowest_balance == pytest.approx(t["downside_closing_balance"].min())
    assert r.downside_peak_need == pytest.approx(max(0.0, -t["downside_closing_balance"].min()))


def test_bad_contract_is_an_error():
    with pytest.raises(ValueError):
        cash_plan(worked_inputs(sales=frame(rows(["2027-01"], 1.0))))
    with pytest.raises(ValueError):
        cash_plan(worked_inputs(sales=frame(rows(YEAR, 1.0, line="old"))))
    with pytest.raises(ValueError):
        cash_plan(worked_inputs(months=["2026-01", "2026-03"]))


# --------------------------------------------------------------------------- more rules

def test_two_stores_split_the_opening_stock_and_sell_it_through_separately():
    """Settings opening stock 2 352 over US and DE whose run-rates are 100 and 50 units (defaults
    2 940 and 1 470): US 2 352 × 2/3 = 1 568, DE 784.  US needs 1 176 a month: January from
    stock, February 392 from stock and 784 bought.  DE sells 50 units (588 a month): January
    and the first 196 of February from stock, 392 bought."""
    run_rate = frame([dict(store=s, units=u, cogs_per_unit=10.0, freight_per_unit=2.0, duty_per_unit=1.0,
                           other_cost_per_unit=0.5, return_rate=0.04) for s, u in (("US", 100.0), ("DE", 50.0))])
    inputs = CashInputs(months=YEAR, sales=frame(rows(YEAR, 100.0) + rows(YEAR, 50.0, store="DE")),
                        cash_available=0.0, run_rate=run_rate, opening_stock_value=2352.0, **TIMING)
    result = cash_plan(inputs)
    assert result.opening_stock == pytest.approx({"US": 1568.0, "DE": 784.0})
    st = result.stock[result.stock["line"] == "existing"].set_index(["store", "month"])
    assert st.loc[("US", "2026-02"), ["from_stock", "bought"]].tolist() == pytest.approx([392, 784])
    assert st.loc[("DE", "2026-02"), ["from_stock", "bought"]].tolist() == pytest.approx([196, 392])
    assert list(result.purchases["store"].unique()) == ["US", "DE"]


def test_bridge_months_and_launch_budgets_cut_at_december():
    """History through September 2025, plan year 2026: the table runs October 2025 .. December
    2026 (15 months).  A launch in November 2026 with a 900 budget over 3 ramp months pays 300
    in November and December; January 2027's 300 is after the table.  Its first order (100 units,
    deposit 300, balance 1 050) is paid as the purchase for sales over November (days 395.2 ..
    425.6): deposit −76 days → 319.2 .. 349.6, August (304 .. 334.4) half 150 and September half
    150 of 2026; balance −30.4 → October 2026 (364.8 .. 395.2): 1 050."""
    months = ["2025-10", "2025-11", "2025-12"] + YEAR
    launch = frame([dict(month="2026-11", store="US", count=1, first_order_units=100.0, cogs_per_unit=10.0,
                         freight_per_unit=2.0, duty_per_unit=1.0, other_cost_per_unit=0.5, launch_budget=900.0,
                         ramp_months=3)])
    result = cash_plan(CashInputs(months=months, sales=frame(rows(months, 0.0)), cash_available=0.0,
                                  launches=launch, opening_stock_value=0.0, opening_payables=0.0, **TIMING))
    t = result.table.set_index("month")
    assert t["launch_budgets"].sum() == pytest.approx(-600)
    assert t.loc[["2026-11", "2026-12"], "launch_budgets"].tolist() == pytest.approx([-300, -300])
    assert t.loc[["2026-08", "2026-09", "2026-10"], "first_orders"].tolist() == pytest.approx([-150, -150, -1050])
    assert t["first_orders"].sum() == pytest.approx(-1350)


@given(start=strategies.floats(-100, 400), length=strategies.floats(0.5, 60), shift=strategies.floats(-120, 120),
       value=strategies.floats(-1e6, 1e6))
def test_spreading_keeps_every_unit_of_money_inside_the_table(start, length, shift, value):
    """With before="first", what lands in the table is the value less the part after the last
    month: value × (days after day 30.4 × n) / length."""
    n = 6
    got = spread_over_months(start, start + length, value, shift, n)[0]
    end_of_table = 30.4 * n
    a, b = start + shift, start + length + shift
    after = max(0.0, b - max(a, end_of_table)) / length
    assert got.sum() == pytest.approx(value * (1 - after), abs=1e-6 * max(1.0, abs(value)))
    assert (np.sign(got) * np.sign(value) >= 0).all()


@settings(max_examples=30, deadline=None)
@given(units=strategies.lists(strategies.floats(0, 500), min_size=12, max_size=12),
       new_units=strategies.lists(strategies.floats(-200, 300), min_size=12, max_size=12),
       opening=strategies.floats(0, 20_000), first_order=strategies.floats(0, 2_000))
def test_stock_is_never_used_twice(units, new_units, opening, first_order):
    """Whatever the sales: each period's need is split into served + bought, neither negative;
    the opening stock serves at most its value, the pool at most its first orders (× landed 12);
    and the table pays for purchases at most the bought stock's cost: bought landed value ×
    (deposit 3 + balance 10.5) / landed 12 (the rest falls after December)."""
    sales = [dict(month=m, store="US", line="existing", units=u, **UNIT) for m, u in zip(YEAR, units)]
    sales += [dict(month=m, store="US", line="new", units=u, **UNIT) for m, u in zip(YEAR, new_units)]
    launch = frame([dict(month="2026-03", store="US", count=1, first_order_units=first_order, cogs_per_unit=10.0,
                         freight_per_unit=2.0, duty_per_unit=1.0, other_cost_per_unit=0.5, launch_budget=0.0,
                         ramp_months=3)])
    r = cash_plan(CashInputs(months=YEAR, sales=frame(sales), cash_available=0.0, launches=launch,
                             opening_stock_value=opening, opening_payables=0.0, **TIMING))
    s = r.stock
    assert (s["from_stock"] >= -1e-9).all() and (s["bought"] >= -1e-9).all()
    assert (s["from_stock"] + s["bought"] - s["need"]).abs().max() < 1e-6
    ex, nw = s[s["line"] == "existing"], s[s["line"] == "new"]
    assert ex["from_stock"].sum() <= opening + 1e-6
    assert nw["from_stock"].sum() <= first_order * 12 + 1e-6
    bought_cost = s["bought"].sum() * 13.5 / 12
    paid = -(r.table["purchase_deposits"].sum() + r.table["balances_freight_duty"].sum())
    assert paid <= bought_cost + 1e-6


def test_pools_side_by_side_are_served_each_first_in_first_out():
    """Pool A: 100 on hand, needs 30, 50, 40 -> serves 30, 50, 20 (left 70, 20, 0).
    Pool B: nothing on hand, 60 joins at the second period, needs 10, 20, 50 -> serves 0, 20, 40
    (left 0, 40, 0).  Served together (a leading axis of pools) as each alone."""
    from goalsheet.plan.cash import serve_from_pool
    needs = np.array([[30.0, 50.0, 40.0], [10.0, 20.0, 50.0]])
    additions = np.array([[0.0, 0.0, 0.0], [0.0, 60.0, 0.0]])
    served, left = serve_from_pool(needs, additions, np.array([100.0, 0.0]))
    assert served.tolist() == [[30.0, 50.0, 20.0], [0.0, 20.0, 40.0]]
    assert left.tolist() == [[70.0, 20.0, 0.0], [0.0, 40.0, 0.0]]
    alone, alone_left = serve_from_pool(needs[1], additions[1], 0.0)
    assert alone.tolist() == served[1].tolist() and alone_left.tolist() == left[1].tolist()
