"""The capital plan (SPEC 3.6): the monthly cash table, the purchase orders, feasibility and the limits of the target.

    timing.py   the 30.4-day grid: when a flow due d days after its sales is paid
    stock.py    stock per store at landed value, the opening stock and payables, first in first out
    flows.py    the cash engine: `cash_plan(CashInputs)` and its stages (`cash_base`, `sales_grid`,
                `first_order_flows`, `cash_flows`)
    orders.py   the purchases as purchase orders (min_order_days, whole units), each paid on its days
    inputs.py   the plan's figures as cash inputs; `CashSearch` makes every cash plan the planner uses
    search.py   the limits of the target: the largest fundable, launchable and reachable targets
    tables.py   the Cash, Purchases and Orders tables, the funding headline, what falls due after December
"""
from __future__ import annotations

from goalsheet.plan.cash.flows import (BONUS_COLUMNS, FIXED_COST_COLUMNS, HISTORY_COLUMNS, LAUNCH_COLUMNS,
                                       PURCHASE_COLUMNS, RUN_RATE_COLUMNS, SALE_MEASURES, SALES_COLUMNS,
                                       STOCK_COLUMNS, TABLE_COLUMNS, CashBase, CashInputs, CashResult, cash_base,
                                       cash_flows, cash_plan, empty_sales_grid, first_order_flows, peak_need,
                                       sale_measures, sales_grid, store_order)
from goalsheet.plan.cash.search import (SEARCH_CAP, FundableResult, SearchResult, TargetLimits, binding_limit,
                                        largest_feasible_target, largest_fundable_target, target_limits)
from goalsheet.plan.cash.stock import (default_opening_payables, default_opening_stock, landed_value,
                                       purchase_balance, purchase_deposit, serve_from_pool, split_opening_stock,
                                       stock_units_per_sale)
from goalsheet.plan.cash.timing import DAYS_PER_MONTH, month_offset, spread_over_months



__all__ = ["BONUS_COLUMNS", "FIXED_COST_COLUMNS", "HISTORY_COLUMNS", "LAUNCH_COLUMNS", "PURCHASE_COLUMNS",
           "RUN_RATE_COLUMNS", "SALE_MEASURES", "SALES_COLUMNS", "STOCK_COLUMNS", "TABLE_COLUMNS", "CashBase",
           "CashInputs", "CashResult", "cash_base", "cash_flows", "cash_plan", "empty_sales_grid",
           "first_order_flows", "peak_need", "sale_measures", "sales_grid", "store_order", "SEARCH_CAP",
           "FundableResult", "SearchResult", "TargetLimits", "binding_limit", "largest_feasible_target",
           "largest_fundable_target", "target_limits", "default_opening_payables", "default_opening_stock",
           "landed_value", "purchase_balance", "purchase_deposit", "serve_from_pool", "split_opening_stock",
           "stock_units_per_sale", "DAYS_PER_MONTH", "month_offset", "spread_over_months"]
