"""The capital plan (SPEC.md 3.6): the monthly cash table, the purchases, feasibility and the
largest fundable target.

Pure computation, no workbook I/O.  Every amount is in BASE currency, months are 'YYYY-MM'
strings.  The integrator (`goalsheet.plan.make_plan`) builds a `CashInputs` from the unit
economics, the existing forecast, the targets and the launches, calls `cash_plan`, and calls
`largest_fundable_target` with an `evaluate(k)` that rebuilds the inputs for the target k·T.

Timing (SPEC 3.6).  The table runs on a grid of 30.4-day months: table month i (0 = the first
table month, the month after the last history month) covers days [30.4·i, 30.4·(i+1)); a
history month j months before the table covers [−30.4·j, −30.4·(j−1)).  A month's sales happen
evenly over it, so a flow due d days after (or before) its sales is spread evenly over the
30.4 days shifted by d and split pro rata between the months that window falls in.  Parts due
before the first table month are paid in the first month; parts after December are left out.
Receivables are the exception: only the part of a history month's payouts falling after the
last history month is a receivable; the part before was received in history.

Stock (SPEC 3.6), per store, at landed value (cogs + freight).  A unit sold needs
1 − return_rate / 2 units of stock.  Two pools per store:
  - 'existing': the opening stock, serving the store's existing-product sales first in,
    first out (line 'existing' of `CashInputs.sales`);
  - 'new': the store's first orders, serving its new-product sales from the first launch
    month; a later first order joins the pool (line 'new').
Within a month the pool serves the first days' sales; the sales after the pool runs out are
bought, so their purchase flows are timed from those days.  Purchases cover sales through
December plus lead_time_days + safety_stock_days of the next year at December's stock need
(per store and line, with December's cost mix).  A negative new-product need (E > T) lowers
the store's existing stock need that month by the same value, never below 0, and buys nothing.

Flows (SPEC 3.6 table), inflows positive, outflows negative in `CashResult.table`:
  receivables         payouts of history sales landing after the last history month
  payouts_in          units × payout_per_unit, payout_delay_days after the sale
  refunds             − units × refund_per_unit, with the payouts
  purchase_deposits   − deposit_rate × cogs per bought stock unit, lead_time_days +
                      safety_stock_days before the sale
  balances_freight_duty − (1 − deposit_rate) × cogs + freight + duty + other_cost per bought
                      stock unit, transit_days + safety_stock_days before the sale
  advertising         − units × ads_per_unit, in the month of the sale
  launch_budgets      − launch_budget per launch in equal parts over the launch month and the
                      next ramp_months − 1
  first_orders        − first_order_units × (cogs + freight + duty + other_cost), paid as the
                      purchase (deposit and balance) for sales spread over the launch month
  store_fees, expenses, salaries, bonuses   − as given per month (bonuses outside the table
                      are left out)
  opening_payables    − owed at the start, spread evenly over the first
                      lead_time_days − transit_days days (all in the first month if that is ≤ 0)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

DAYS_PER_MONTH = 30.4
DOWNSIDE_PAYOUT_SHARE = 0.8
SEARCH_CAP = 100.0

SALES_COLUMNS = ("month", "store", "line", "units", "payout_per_unit", "refund_per_unit", "ads_per_unit",
                 "cogs_per_unit", "freight_per_unit", "duty_per_unit", "other_cost_per_unit", "return_rate")
HISTORY_COLUMNS = ("month", "store", "units", "payout_per_unit", "refund_per_unit")
RUN_RATE_COLUMNS = ("store", "units", "cogs_per_unit", "freight_per_unit", "duty_per_unit",
                    "other_cost_per_unit", "return_rate")
LAUNCH_COLUMNS = ("month", "store", "count", "first_order_units", "cogs_per_unit", "freight_per_unit",
                  "duty_per_unit", "other_cost_per_unit", "launch_budget", "ramp_months")
FIXED_COST_COLUMNS = ("month", "store_fees", "expenses", "salaries")
BONUS_COLUMNS = ("month", "amount")

TABLE_COLUMNS = ("month", "opening_balance", "receivables", "payouts_in", "refunds", "purchase_deposits",
                 "balances_freight_duty", "advertising", "launch_budgets", "first_orders", "store_fees",
                 "expenses", "salaries", "bonuses", "opening_payables", "net_flow", "closing_balance",
                 "downside_net_flow", "downside_closing_balance")
PURCHASE_COLUMNS = ("month", "store", "units_to_order", "value_to_order", "deposits_due", "balances_due",
                    "first_order_units", "first_order_value")
STOCK_COLUMNS = ("month", "store", "line", "need", "from_stock", "bought", "stock_left")


@dataclass
class CashInputs:
    """Everything the cash table needs, in base currency.

    months          the table months, 'YYYY-MM', consecutive: the month after the last history
                    month .. December of the plan year.
    stores          store order for the purchases/stock tables (None: first-seen order).
    sales           one row per month × store × line (× anything finer, e.g. SKU — rows are summed
                    per store × month × line after the per-unit products are taken), columns
                    SALES_COLUMNS.  `line` is 'existing' (served by the opening stock: existing SKUs,
                    and new-product sales before the store's first launch, costed like them) or
                    'new' (served by the first-order pool; units may be negative when E > T).
                    units = units sold (as ordered); per unit of sale:
                      payout_per_unit  (net_price − referral − fba − storage − placement − dst
                                        − payout_fee) × fx
                      refund_per_unit  return_rate × (net_price − referral + admin fee) × fx
                      ads_per_unit     ads × fx
                    per unit of stock (bought or held): cogs_per_unit, freight_per_unit,
                    duty_per_unit, other_cost_per_unit (duty and other cost × fx); return_rate
                    (a unit sold needs 1 − return_rate / 2 units of stock).
                    Months must be table months.
    history_sales   the last history months' sales (HISTORY_COLUMNS), for the receivables; only
                    months whose payouts can land after the last history month matter.
    run_rate        monthly run-rate units of the existing products (RUN_RATE_COLUMNS, one row per
                    store or store × SKU), for the default opening stock and opening payables.
    launches        LAUNCH_COLUMNS: launch month, store, count of launches, first_order_units per
                    launch, the new product's per-unit costs, launch_budget per launch (total, spread
                    over ramp_months months).
    fixed_costs     FIXED_COST_COLUMNS, per table month, positive amounts (missing months = 0).
    bonus_payments  BONUS_COLUMNS: bonus paid per month (the month after each period ends, launch
                    bonuses the month after launch month + ramp); months outside the table ignored.
    opening_stock_value   total landed value on hand and in transit; None = per store the default
                    (the stock lead_time_days + safety_stock_days of run-rate sales need); a given
                    total is split over the stores pro rata to their defaults (equally when every
                    default is 0).
    opening_payables      owed to suppliers/forwarders at the start; None = the SPEC default.
    capacity_shortfall    the part of this target that launch capacity cannot cover (reported by
                    the caller, passed through to the result for the fundable-target search).
    """
    months: list[str]
    sales: pd.DataFrame
    cash_available: float
    credit_line: float = 0.0
    min_cash: float = 0.0
    lead_time_days: float = 60.0
    transit_days: float = 35.0
    safety_stock_days: float = 30.0
    deposit_rate: float = 0.3
    payout_delay_days: float = 21.0
    history_sales: pd.DataFrame | None = None
    run_rate: pd.DataFrame | None = None
    launches: pd.DataFrame | None = None
    fixed_costs: pd.DataFrame | None = None
    bonus_payments: pd.DataFrame | None = None
    opening_stock_value: float | None = None
    opening_payables: float | None = None
    stores: list[str] | None = None
    capacity_shortfall: float = 0.0


@dataclass
class CashResult:
    """The capital plan at full precision (the caller rounds for display).

    table        one row per table month, TABLE_COLUMNS; outflows negative; closing balances at
                 month end; downside_* = payouts and refunds of the table's sales at 80 %.
    purchases    one row per month × store with any order (PURCHASE_COLUMNS): stock units and
                 full value (cogs + freight + duty + other) ordered that month (timed by the
                 deposit), the deposits and balances paid that month; first orders included and
                 also shown on their own.
    stock        one row per month × store × line (STOCK_COLUMNS, landed value): need, served from
                 stock, bought, left at month end; plus a row per store × line for month 'next'
                 (the next year's lead_time_days + safety_stock_days).
    peak_need    max(0, min_cash − lowest closing balance); feasible ⇔ peak_need ≤ credit_line.
    """
    table: pd.DataFrame
    purchases: pd.DataFrame
    stock: pd.DataFrame
    opening_stock: dict[str, float]
    opening_payables: float
    lowest_balance: float
    lowest_month: str
    peak_need: float
    feasible: bool
    downside_lowest_balance: float
    downside_peak_need: float
    downside_feasible: bool
    credit_line: float = 0.0
    min_cash: float = 0.0
    capacity_shortfall: float = 0.0


@dataclass
class FundableResult:
    """The largest fundable target the search of SPEC 3.6 finds.

    largest_target   k · T for the largest feasible k found (0 when even k·T < 1 is not fundable)
    k                that k
    at_least         True when k = 100 is still feasible: the answer is "at least 100 × T"
    capacity_binds   True when launch capacity, not cash, limits the plan: some cash-feasible k
                     tried had a capacity shortfall
    capacity_binds_at   the smallest such k · T, or None
    evaluations      every (k, k·T, feasible) tried, in order
    """
    target: float
    largest_target: float
    k: float
    at_least: bool = False
    capacity_binds: bool = False
    capacity_binds_at: float | None = None
    evaluations: list[tuple[float, float, bool]] = field(default_factory=list)


def cash_plan(inputs: CashInputs) -> CashResult:
    """The monthly cash table of SPEC 3.6 and what follows from it."""
    raise NotImplementedError


def largest_fundable_target(target: float, evaluate: Callable[[float], CashResult]) -> FundableResult:
    """Search k for the largest fundable k·T (SPEC 3.6); `evaluate(k)` plans the target k·T."""
    raise NotImplementedError
