"""The plan's capital (SPEC 3.6) as it is shown: its own cash plan and the limits of its target (fundable, launchable,
reachable), rounded into the Cash and Purchases tables and the funding headline."""
from __future__ import annotations

import numpy as np
import pandas as pd

from goalsheet.inputs.model import Join, Problem
from goalsheet.plan import breakdown as bd
from goalsheet.plan.basis import Basis, Derived
from goalsheet.plan.cash.inputs import CashSearch, bonus_payments
from goalsheet.plan.cash.search import target_limits


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
    return {"cash": cash_table(result.table, decimals), "purchases": purchases_table(result.purchases, decimals),
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


def cash_table(table: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """capital's table rounded once: each flow column by largest remainder, net flow = the sum of the
    rounded flows, closing = opening + net flow (so the table adds up to the cent)."""
    t = table.copy()
    flows = [c for c in FLOW_COLUMNS if c in t]
    for c in flows + (["sales"] if "sales" in t else []):
        t[c] = bd.round_largest_remainder(t[c].to_numpy(float), decimals) if len(t) else t[c]
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
