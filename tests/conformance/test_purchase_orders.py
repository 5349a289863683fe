"""Purchase orders (SPEC 3.6): the purchases grouped into orders of at least `min_order_days`, whole units, each paid
on its days; the Orders, Purchases and Cash sheets tie column by column and month by month.

The hand-worked store buys one line on the table's grid of 30.4-day months (January = days 0–30.4): periods
January, February, March and the next year's 60 days (days 91.2–151.2); stock needs 1 000, 1 000, 1 000 and 2 000
(landed value, 10 a unit: 100, 100, 100, 200 units), the deposit a quarter of the value, the balance the rest.
The opening stock serves all of January and half of February, so the store buys the last half of February
(500 from day 45.6: 15.2 days), all of March (1 000 from day 60.8: 30.4 days) and the next year (2 000 from day
91.2: 60 days).  Lead time 30 days, transit 10, safety stock 0: an order is placed 30 days before its first
sale, its balance paid 10 days before it, its stock sellable on the day of its first sale.
"""
import numpy as np
import pandas as pd
import pytest
from conformance.conformance_seller import book, sheets
from plan.golden_book import sample_book

from goalsheet.plan import make_plan
from goalsheet.plan.cash import orders as po
from goalsheet.plan.cash.tables import grid_date

PERIOD_START = np.array([0.0, 30.4, 60.8, 91.2])
PERIOD_LEN = np.array([30.4, 30.4, 30.4, 60.0])


def store(served=(1000.0, 500.0, 0.0, 0.0), units=(100.0, 100.0, 100.0, 200.0)):
    """need, served, deposit, balance, stock units: 1 store × 2 lines (existing, new: nothing) × 4 periods."""
    need = np.zeros((1, 2, 4))
    need[0, 0] = [1000.0, 1000.0, 1000.0, 2000.0]
    done = np.zeros((1, 2, 4))
    done[0, 0] = served
    su = np.zeros((1, 2, 4))
    su[0, 0] = units
    return need, done, need * 0.25, need * 0.75, su


def orders(min_order_days: float, **kw) -> po.PurchaseOrders:
    return po.replenishment_orders(*store(**kw), PERIOD_START, PERIOD_LEN, min_order_days, 30.0, 10.0, 0.0)


def test_thirty_days_merge_half_a_month_into_the_next():
    """min_order_days 30: February's purchase covers 15.2 days (< 30), so it joins March's (15.2 + 30.4 = 45.6):
    one order from day 45.6 of 50 + 100 = 150 units, deposit 125 + 250 = 375, balance 375 + 750 = 1 125, placed
    on day 45.6 − 30 = 15.6 (January), balance on day 35.6 (February); the next year's 60 days are an order of
    their own from day 91.2: 200 units, deposit 500 on day 61.2 (March), balance 1 500 on day 81.2 (March)."""
    o = orders(30)
    assert o.first_sale_day.tolist() == pytest.approx([45.6, 91.2])
    assert o.last_sale_day.tolist() == pytest.approx([91.2, 151.2])
    assert o.units.tolist() == [150, 200]
    assert o.deposit.tolist() == pytest.approx([375, 500])
    assert o.balance.tolist() == pytest.approx([1125, 1500])
    assert o.value.tolist() == pytest.approx([1500, 2000])
    assert o.order_day.tolist() == pytest.approx([15.6, 61.2])
    assert o.balance_day.tolist() == pytest.approx([35.6, 81.2])
    assert o.arrival_day.tolist() == pytest.approx([45.6, 91.2])
    assert po.paid_by_month(o.order_day, o.deposit, 3).tolist() == pytest.approx([375, 0, 500])
    assert po.paid_by_month(o.balance_day, o.balance, 3).tolist() == pytest.approx([0, 1125, 1500])


def test_zero_keeps_each_months_purchase_an_order_of_its_own():
    """min_order_days 0: February (50 units from day 45.6), March (100 from day 60.8, placed day 30.8: February)
    and the next year (200) are three orders."""
    o = orders(0)
    assert o.units.tolist() == [50, 100, 200]
    assert o.first_sale_day.tolist() == pytest.approx([45.6, 60.8, 91.2])
    assert po.paid_by_month(o.order_day, o.deposit, 3).tolist() == pytest.approx([125, 250, 500])


def test_a_long_minimum_makes_one_order_and_the_last_may_be_short():
    """min_order_days 100: 15.2 + 30.4 + 60 = 105.6 days reach it only with the last period: one order of 350
    units.  min_order_days 120: never reached; what is left at the year's end is still an order (the same one)."""
    for days in (100, 120):
        o = orders(days)
        assert o.units.tolist() == [350]
        assert o.deposit.tolist() == pytest.approx([125 + 250 + 500])


def test_units_are_whole_rounded_up_per_order_and_the_money_follows_them():
    """100.3 units a month: February's half is 50.15, March 100.3: the merged order needs 150.45 units, buys 151,
    and pays for 151 at the order's cost per unit: deposit 375 × 151 / 150.45 = 376.370887…"""
    o = orders(30, units=(100.3, 100.3, 100.3, 200.0))
    assert o.units.tolist() == [151, 200]
    assert o.deposit[0] == pytest.approx(375 * 151 / 150.45)
    assert o.balance[0] == pytest.approx(1125 * 151 / 150.45)
    assert po.whole_units(np.array([3.0 + 1e-12, 3.0000001, 0.0])).tolist() == [3, 4, 0]


def test_payments_before_the_table_fall_in_its_first_month_and_after_it_are_left_out():
    """Days −44.4 and 20 → January; 30.4 → February; 95 (past March, the last of 3 months) → left out."""
    assert po.paid_by_month([-44.4, 20.0, 30.4, 95.0], [1.0, 2.0, 4.0, 8.0], 3).tolist() == [3.0, 4.0, 0.0]


def test_grid_days_as_calendar_dates():
    """Day 45.6 is half way through February (28 days): the 15th; day −44.4 is 0.54 of the way through
    November of the year before (−44.4 / 30.4 = −1.46: November, 30 days × 0.54 = 16.2 → the 17th); day 0 is
    1 January."""
    assert grid_date(45.6, "2026-01") == "2026-02-15"
    assert grid_date(-44.4, "2026-01") == "2025-11-17"
    assert grid_date(0.0, "2026-01") == "2026-01-01"


# ---- the plan: first orders whole and one per launch; Orders, Purchases and Cash tie month by month

NEW = {"new_price": 100, "new_monthly_units": 10, "target_mode": "total", "target_total": 150_000,
       "new_first_order_units": 37.2, "cash_available": 1_000_000}


def tie(plan) -> None:
    """Per table month: the orders' deposits, balances and first-order payments = the Purchases sheet's = the
    Cash sheet's outflows, to the cent."""
    o, p, c = plan.tables["orders"], plan.tables["purchases"], plan.tables["cash"]
    months = list(c["month"])
    rep = o["order_for"] == "replenishment"

    def by(amount, month):
        return amount.groupby(month).sum().reindex(months, fill_value=0.0).to_numpy(float)

    paid = {"purchase_deposits": by(o["deposit"].where(rep, 0.0), o["paid_in"]),
            "balances_freight_duty": by(o["balance"].where(rep, 0.0), o["balance_paid_in"]),
            "first_orders": by(o["deposit"].where(~rep, 0.0), o["paid_in"])
            + by(o["balance"].where(~rep, 0.0), o["balance_paid_in"])}
    for cash_col, purchase_col in (("purchase_deposits", "deposits"), ("balances_freight_duty", "balances"),
                                   ("first_orders", "first_orders_paid")):
        in_purchases = p.groupby("month")[purchase_col].sum().reindex(months, fill_value=0.0).to_numpy(float)
        assert np.round(paid[cash_col], 2).tolist() == np.round(-c[cash_col].to_numpy(float), 2).tolist()
        assert np.round(paid[cash_col], 2).tolist() == np.round(in_purchases, 2).tolist()
    assert round(float(o["value"].sum()), 2) == round(float(o["deposit"].sum() + o["balance"].sum()), 2)
    checks = plan.tables["checks"]
    order_checks = checks[checks["check"].str.startswith("Orders:")]
    assert len(order_checks) == 3 and (order_checks["result"] == "PASS").all()


def test_a_first_order_is_one_whole_order_per_launch():
    """First orders of 37.2 units: each launch the plan makes is one order of 38 units, serving sales from the first day of its launch month, placed lead 60 + safety 30 =
    90 days before it (a March launch, day 60.8: day −29.2, before the table: paid in January), never cut into
    the months its window straddles."""
    plan, _ = make_plan(book(sheets({**NEW, "launches_per_operator_month": 2})))
    o = plan.tables["orders"]
    first = o[o["order_for"] == "launch"]
    launches = plan.tables["launches"]
    assert len(first) == len(launches) > 0
    assert (first["units"] == 38).all()
    assert sorted(first["covers_from"]) == sorted(launches["launch_month"])
    assert (first["covers_to"] == first["covers_from"]).all()
    march = first[first["covers_from"] == "2026-03"]
    assert set(march["order_date"]) == {"2025-12-02"} and set(march["paid_in"]) == {"2026-01"}
    tie(plan)


def test_orders_purchases_and_cash_tie_month_by_month():
    """On the sample seller at min_order_days 0, 30 and 90, the three sheets tie per column and month; the
    longer the minimum, the fewer the replenishment orders."""
    replenishments = {}
    for days in (0, 30, 90):
        b = sample_book()
        b.settings["min_order_days"] = days
        plan, _ = make_plan(b)
        tie(plan)
        replenishments[days] = int((plan.tables["orders"]["order_for"] == "replenishment").sum())
    assert replenishments[0] > replenishments[30] > replenishments[90] > 0


def test_every_replenishment_order_covers_the_minimum_but_the_last():
    """At min_order_days 60, each store's replenishment orders but its last cover at least 60 days of sales."""
    b = sample_book()
    b.settings["min_order_days"] = 60
    plan, _ = make_plan(b)
    o = plan.tables["orders"]
    rep = o[o["order_for"] == "replenishment"]
    assert len(rep) > 3
    for _store, g in rep.groupby("store"):
        span = [(pd.Period(t, "M") - pd.Period(f, "M")).n + 1 for f, t in zip(g["covers_from"], g["covers_to"])]
        assert all(s >= 2 for s in span[:-1])      # 60 days reach into a second month at least
