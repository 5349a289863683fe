"""The Checks table (SPEC 3.7): every total against the sum of its parts, to the cent."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from goalsheet.plan import breakdown as bd
from goalsheet.plan.cash.tables import FLOW_COLUMNS
from goalsheet.plan.result import Headline


def checks_table(cells: pd.DataFrame, tables: dict, headline: Headline, parts: dict, store_gap: np.ndarray,
                 decimals: int) -> pd.DataFrame:
    m = tables["monthly"]
    extra = {
        "Monthly target sales add up to the annual target": (m["target_sales"], headline.target_sales),
        "Monthly existing + new products = target": (list(m["existing_sales"]) + list(m["new_sales"]),
                                                     headline.target_sales),
        "Monthly target net profit adds up to the headline": (m["target_net_profit"],
                                                               headline.target_net_profit),
        "Stores' net profit adds up to the headline": (tables["stores"]["net_profit"],
                                                       headline.target_net_profit),
        "Operators' net profit adds up to the headline": (tables["operators"]["net_profit"],
                                                          headline.target_net_profit),
        "Store gaps add up to the gap": (store_gap, headline.gap),
        "Monthly existing + growth before launches + from launches = target": (
            list(m["existing_sales"]) + list(m["new_before_launches"]) + list(m["new_from_launches"]),
            headline.target_sales),
        "Stores' totals add up to the target": (tables["stores"]["total"], headline.target_sales),
        "Operators' totals add up to the target": (tables["operators"]["total"], headline.target_sales),
        "Target net profit = the sum of its parts": (
            [parts["existing_products"], parts["new_products"], -parts["launch_budgets"], -parts["writeoff"],
             -parts["store_fees"], -parts["expenses"], -parts["salaries"], -parts["bonus_at_100"]],
            parts["target_net_profit"]),
    }
    lt = tables["launches"]
    if len(lt):
        extra["Launch contributions add up"] = (lt["contribution"], math.fsum(lt["contribution"]))
    cov = tables.get("coverage")
    if cov is not None and len(cov):
        extra["Coverage: covered + short = the gap"] = (list(cov["covered"]) + list(cov["shortfall"]), headline.gap)
        extra["Coverage: store shortfalls add up to the shortfall"] = (cov["shortfall"], headline.shortfall)
        extra["Coverage: contributions = the Launches sheet's"] = (
            cov["contribution"], math.fsum(lt["contribution"]) if len(lt) else 0.0)
        extra["Coverage: covered + over-covered = contributions"] = (
            list(cov["covered"]) + list(cov["over_covered"]), math.fsum(cov["contribution"]))
    cash = tables.get("cash")
    if cash is not None and len(cash) and "net_flow" in cash:
        flows = [c for c in FLOW_COLUMNS if c in cash]
        extra["Cash: the flows add up to the net cash flow"] = (cash[flows].to_numpy(float).ravel(),
                                                                float(cash["net_flow"].sum()))
        extra["Cash: opening + net flows = closing balance"] = (
            [float(cash["opening_balance"].iloc[0]), *cash["net_flow"]], float(cash["closing_balance"].iloc[-1]))
    orders = tables.get("orders")
    if orders is not None and len(orders) and cash is not None and len(cash):
        extra.update(order_checks(orders, tables["purchases"], cash))
    checks = bd.standard_checks(cells, extra, "rounded", decimals)
    return bd.reconcile(checks, decimals)


def order_checks(orders: pd.DataFrame, purchases: pd.DataFrame, cash: pd.DataFrame) -> dict:
    """The purchase orders (3.6) against the Cash and Purchases sheets, month by month: per table month the
    orders' payments that month less the Cash column's outflow (and the Purchases column's sum), all of them 0."""
    months = list(cash["month"])
    replenish = orders["order_for"] == "replenishment"

    def by_month(amount: pd.Series, month: pd.Series) -> np.ndarray:
        return amount.groupby(month).sum().reindex(months, fill_value=0.0).to_numpy(float)

    def purchases_by_month(column: str) -> np.ndarray:
        return purchases.groupby("month")[column].sum().reindex(months, fill_value=0.0).to_numpy(float)

    paid = {
        "purchase_deposits": by_month(orders["deposit"].where(replenish, 0.0), orders["paid_in"]),
        "balances_freight_duty": by_month(orders["balance"].where(replenish, 0.0), orders["balance_paid_in"]),
        "first_orders": by_month(orders["deposit"].where(~replenish, 0.0), orders["paid_in"])
        + by_month(orders["balance"].where(~replenish, 0.0), orders["balance_paid_in"]),
    }
    in_purchases = {"purchase_deposits": "deposits", "balances_freight_duty": "balances",
                    "first_orders": "first_orders_paid"}
    checks = {}
    for column, name in (("purchase_deposits", "Orders: deposits paid = Cash purchase deposits, month by month"),
                         ("balances_freight_duty", "Orders: balances paid = Cash balances, freight, duty, month by month"),
                         ("first_orders", "Orders: first orders paid = Cash first orders, month by month")):
        to_cash = np.abs(paid[column] + cash[column].to_numpy(float))
        to_purchases = np.abs(paid[column] - purchases_by_month(in_purchases[column]))
        checks[name] = (np.round(np.concatenate([to_cash, to_purchases]), 6), 0.0)
    return checks
