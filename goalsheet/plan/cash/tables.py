"""The plan's capital (SPEC 3.6) as it is shown: its own cash plan and the limits of its target (fundable, launchable,
reachable), rounded into the Cash and Purchases tables and the funding headline."""
from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from goalsheet.inputs.model import Join, Problem
from goalsheet.plan import breakdown as bd
from goalsheet.plan.basis import Basis, Derived
from goalsheet.plan.cash import orders as po
from goalsheet.plan.cash.flows import CashResult
from goalsheet.plan.cash.inputs import CashSearch, bonus_payments
from goalsheet.plan.cash.search import target_limits
from goalsheet.plan.cash.timing import DAYS_PER_MONTH


def capital_tables(basis: Basis, d: Derived, bonus_table: pd.DataFrame | None, launch_bonus: float,
                   decimals: int) -> tuple[dict, list[Problem]]:
    """The plan's capital (3.6): its own cash plan and the limits of its target; the Cash and Purchases tables and
    the funding headline (peak need, feasible, the largest fundable, launchable and reachable targets, what binds)."""
    problems: list[Problem] = []
    search = CashSearch(basis, d, bonus_payments(basis, bonus_table, launches=False), launch_bonus)
    result = search.cash_plan(d, tables=True)
    limits = target_limits(basis, search, float(d.T.sum()))
    fundable = limits.fundable

    def rounded(x: float) -> float:
        return float(bd.round_largest_remainder([x], decimals)[0])
    headline = {
        "peak_cash_need": rounded(result.peak_need),
        "funding_feasible": bool(result.feasible),
        "max_feasible_sales": rounded(fundable.largest_target),
        "max_capacity_sales": rounded(limits.capacity.largest_target),
        "max_reachable_sales": rounded(limits.reachable.largest_target),
        "binding_limit": limits.binding,
    }
    if fundable.capacity_binds:
        problems.append(Problem("Settings", "", severity="warning", code="capacity_binds",
                                args={"target": fundable.capacity_binds_at or 0, "currency": basis.base_currency}))
    if fundable.at_least:
        problems.append(Problem("Settings", "", severity="warning", code="cash_carries_100x"))
    problems += payments_after_year(basis, bonus_table)
    if result.orders is None:
        cash = cash_table(result.table, decimals)
        purchases, orders = purchases_table(result.purchases, decimals), pd.DataFrame(columns=list(ORDER_COLUMNS))
    else:
        orders = orders_table(result, list(basis.months), list(search.base.stores), decimals)
        purchases = purchases_from_orders(orders, list(basis.months), list(search.base.stores), decimals)
        cash = cash_table(result.table, decimals, paid=paid_by_month(purchases, list(basis.months), decimals))
    return {"cash": cash, "purchases": purchases, "orders": orders,
            "headline": headline, "result": result, "limits": limits}, problems

def payments_after_year(basis: Basis, bonus_table: pd.DataFrame | None) -> list[Problem]:
    """Bonuses that fall due after December (the periods ending in December, launch bonuses known late): outside
    the cash table by SPEC 3.6, so the plan names them, with their amount at 100 % attainment and their months."""
    if bonus_table is None or not len(bonus_table):
        return []
    paid = bonus_payments(basis, bonus_table)
    last = basis.calendar.plan_months[-1]
    late = paid[paid["month"].astype(str) > last] if paid is not None else None
    if late is None or not len(late) or late["amount"].sum() <= 0:
        return []
    return [Problem("Bonus", "", severity="warning", code="bonus_after_year",
                    args={"amount": float(late["amount"].sum()), "currency": basis.base_currency,
                          "months": Join(tuple(str(m) for m in late["month"])),
                          "year": basis.calendar.plan_year + 1})]


FLOW_COLUMNS = ("receivables", "payouts_in", "refunds", "purchase_deposits", "balances_freight_duty", "advertising",
                "launch_budgets", "first_orders", "store_fees", "expenses", "salaries", "bonuses",
                "opening_payables")


def cash_table(table: pd.DataFrame, decimals: int, paid: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """capital's table rounded once: each flow column by largest remainder, net flow = the sum of the
    rounded flows, closing = opening + net flow (so the table adds up to the cent).  `paid`: flow columns taken
    as given (the purchase orders' rounded payments per month, so that Cash and Orders tie to the cent)."""
    t = table.copy()
    flows = [c for c in FLOW_COLUMNS if c in t]
    for c in flows + (["sales"] if "sales" in t else []):
        t[c] = bd.round_largest_remainder(t[c].to_numpy(float), decimals) if len(t) else t[c]
    for c, values in (paid or {}).items():
        t[c] = values
    opening = float(bd.round_largest_remainder([t["opening_balance"].iloc[0]], decimals)[0]) if len(t) else 0.0
    net = np.round(t[flows].sum(axis=1).to_numpy(float), decimals)
    closing = np.round(opening + np.cumsum(net), decimals)
    t["net_flow"] = net
    t["closing_balance"] = closing
    t["opening_balance"] = np.round(np.concatenate([[opening], closing[:-1]]), decimals) if len(t) else []
    if "downside_net_flow" in t:
        dn = bd.round_largest_remainder(t["downside_net_flow"].to_numpy(float), decimals) if len(t) else []
        t["downside_net_flow"] = dn
        t["downside_closing_balance"] = np.round(opening + np.cumsum(dn), decimals)
    t["fixed_costs"] = np.round(t[["store_fees", "expenses", "salaries"]].sum(axis=1), decimals)
    return t


def purchases_table(purchases: pd.DataFrame, decimals: int) -> pd.DataFrame:
    p = purchases.rename(columns={"units_to_order": "units", "value_to_order": "value", "deposits_due": "deposits",
                                  "balances_due": "balances"}).copy()
    for c in ("value", "deposits", "balances", "first_order_value"):
        if c in p and len(p):
            p[c] = bd.round_largest_remainder(p[c].to_numpy(float), decimals)
    for c in ("units", "first_order_units"):
        if c in p and len(p):
            p[c] = bd.round_largest_remainder(p[c].to_numpy(float), 0)
    return p


ORDER_COLUMNS = ("order_date", "arrival_date", "store", "order_for", "covers_from", "covers_to",
                 "units", "value", "deposit", "deposit_date", "balance", "balance_date", "paid_in", "balance_paid_in")


def grid_date(day: float, first_month: str) -> str:
    """The calendar date ('YYYY-MM-DD') of a day on the cash table's grid of 30.4-day months (day 0 = the first
    day of `first_month`): the date in the same month, at the same fraction of it."""
    i = int(np.floor(day / DAYS_PER_MONTH + po.WHOLE_UNIT_NOISE))
    y, m = int(first_month[:4]), int(first_month[5:7]) + i
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    days_in_month = calendar.monthrange(y, m)[1]
    fraction = min(max(day / DAYS_PER_MONTH - i, 0.0), 1.0)
    return f"{y:04d}-{m:02d}-{1 + min(days_in_month - 1, int(fraction * days_in_month)):02d}"


def orders_table(result: CashResult, months: list[str], stores: list[str], decimals: int) -> pd.DataFrame:
    """The Orders table (3.6 purchase orders): by order date, first orders (a launch's: it covers sales from its
    launch month) before replenishment orders of the same day; money
    rounded once per order by largest remainder (value = deposit + balance as rounded).  The order date is when the
    order is due (before the table: already overdue); the deposit and balance dates when the plan pays them (a
    payment due before the table on its first day); `paid_in` and `balance_paid_in` their table months (after
    December: blank, outside the table)."""
    n, first = len(months), months[0]
    parts = [(result.first_orders, "launch"), (result.orders, "replenishment")]
    frames = []
    for o, kind in parts:
        if o is None or not len(o):
            continue
        deposit_at, balance_at = po.month_of_day(o.order_day, n), po.month_of_day(o.balance_day, n)
        frames.append(pd.DataFrame({
            "order_day": o.order_day, "kind": kind, "store": [stores[i] for i in o.store],
            "covers_from": [grid_date(x, first)[:7] for x in o.first_sale_day],
            "covers_to": [grid_date(x - 1e-6, first)[:7] for x in o.last_sale_day],
            "units": o.units, "deposit": o.deposit, "balance": o.balance,
            "order_date": [grid_date(x, first) for x in o.order_day],
            "arrival_date": [grid_date(x, first) for x in o.arrival_day],
            "deposit_date": [grid_date(max(x, 0.0), first) for x in o.order_day],
            "balance_date": [grid_date(max(x, 0.0), first) for x in o.balance_day],
            "paid_in": [months[i] if i < n else "" for i in deposit_at],
            "balance_paid_in": [months[i] if i < n else "" for i in balance_at]}))
    if not frames:
        return pd.DataFrame(columns=list(ORDER_COLUMNS))
    t = pd.concat(frames, ignore_index=True).sort_values(["order_day", "kind", "store"], kind="stable",
                                                         ignore_index=True)
    t["order_for"] = t["kind"]
    for c in ("deposit", "balance"):
        t[c] = bd.round_largest_remainder(t[c].to_numpy(float), decimals)
    t["value"] = np.round(t["deposit"] + t["balance"], decimals)
    return t[list(ORDER_COLUMNS)]


PURCHASE_TABLE_COLUMNS = ("month", "store", "units", "value", "deposits", "balances", "first_order_units",
                          "first_order_value", "first_orders_paid")


def purchases_from_orders(orders: pd.DataFrame, months: list[str], stores: list[str], decimals: int) -> pd.DataFrame:
    """The Purchases table from the (rounded) orders, per table month × store: the units and value of the orders
    placed (paid_in the month: an order due before the table is placed in its first month), the replenishment
    deposits and balances paid, the first orders placed and what they paid: each money column the sum of the
    orders' rounded amounts, so Orders, Purchases and Cash tie month by month."""
    replenish = (orders["order_for"] == "replenishment").to_numpy()
    launch = ~replenish
    o = pd.DataFrame({
        "units": orders["units"], "value": orders["value"],
        "deposits": np.where(replenish, orders["deposit"], 0.0),
        "first_order_units": np.where(launch, orders["units"], 0.0),
        "first_order_value": np.where(launch, orders["value"], 0.0),
        "first_orders_paid": np.where(launch, orders["deposit"], 0.0)})
    placed = o.groupby([orders["paid_in"].rename("month"), orders["store"]]).sum()
    b = pd.DataFrame({"balances": np.where(replenish, orders["balance"], 0.0),
                      "first_orders_paid": np.where(launch, orders["balance"], 0.0)})
    balance_paid = b.groupby([orders["balance_paid_in"].rename("month"), orders["store"]]).sum()
    both = placed.add(balance_paid, fill_value=0.0).fillna(0.0)
    grid = pd.MultiIndex.from_product([months, stores], names=["month", "store"])
    both = both.reindex(grid, fill_value=0.0)
    both = both[(both.abs() > 0).any(axis=1)].reset_index()
    rows = both
    p = rows.reindex(columns=list(PURCHASE_TABLE_COLUMNS), fill_value=0.0)
    for c in ("value", "deposits", "balances", "first_order_value", "first_orders_paid"):
        p[c] = np.round(p[c].astype(float), decimals)
    return p


def paid_by_month(purchases: pd.DataFrame, months: list[str], decimals: int) -> dict[str, np.ndarray]:
    """The cash table's purchase columns (outflows, negative) from the Purchases table."""
    by = purchases.groupby("month")[["deposits", "balances", "first_orders_paid"]].sum()
    by = by.reindex(months, fill_value=0.0)
    return {"purchase_deposits": -np.round(by["deposits"].to_numpy(float), decimals),
            "balances_freight_duty": -np.round(by["balances"].to_numpy(float), decimals),
            "first_orders": -np.round(by["first_orders_paid"].to_numpy(float), decimals)}


def spending_after_year(launches: pd.DataFrame, cash: pd.DataFrame, orders: pd.DataFrame, currency: str,
                        year: int, decimals: int) -> list[Problem]:
    """What the plan spends that falls due after December, outside the cash table (3.6), named so the cash is kept
    for it: launch budgets whose ramp runs past December (the Launches sheet's budgets less what the Cash sheet
    pays), and the purchase orders' payments due after December (the next year's stock)."""
    problems = []
    budgets = round(float(launches["launch_budget"].sum()) + float(cash["launch_budgets"].sum()), decimals) \
        if len(launches) and len(cash) else 0.0
    if budgets > 0:
        problems.append(Problem("Launches", "", severity="warning", code="budgets_after_year",
                                args={"amount": budgets, "currency": currency, "year": year + 1}))
    if len(orders):
        late = round(float(orders.loc[orders["paid_in"] == "", "deposit"].sum()
                           + orders.loc[orders["balance_paid_in"] == "", "balance"].sum()), decimals)
        if late > 0:
            problems.append(Problem("Settings", "", severity="warning", code="orders_after_year",
                                    args={"amount": late, "currency": currency, "year": year + 1}))
    return problems
