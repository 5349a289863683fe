"""The capital plan (SPEC.md 3.6): the monthly cash table, the purchases, feasibility and the
largest fundable target.

Pure computation, no workbook I/O.  Every amount is in BASE currency, months are 'YYYY-MM'
strings.  `cash_plan(CashInputs)` is the cash plan from tables of sales rows, launches, history,
run-rate and fixed costs.  It is made of stages that the planner also calls directly
(`goalsheet.plan.funding.CashSearch`, for the plan's own cash plan and the ~35 of the
fundable-target search): `cash_base` (what does not depend on the target's sales), `sales_grid`
(sales rows summed per store × line × month), `first_order_flows` (the launches) and `cash_flows`
(the pools, the purchases and the table).  `largest_fundable_target` searches k with an
`evaluate(k)` that plans the target k·T.

Flows (SPEC 3.6 table), inflows positive, outflows negative in `CashResult.table`:
  receivables         payouts of history sales landing after the last history month
  payouts_in          units × payout_per_unit, payout_delay_days after the sale
  refunds             − units × refund_per_unit, with the payouts
  purchase_deposits   − deposit_rate × cogs per bought stock unit, lead_time_days +
                      safety_stock_days before the sale (with min_order_days: the purchase orders'
                      deposits, each on its order's day, `orders`)
  balances_freight_duty − (1 − deposit_rate) × cogs + freight + duty + other_cost per bought
                      stock unit, transit_days + safety_stock_days before the sale (likewise)
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

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from goalsheet.plan.cash import orders as po
from goalsheet.plan.cash.stock import (default_opening_payables, default_opening_stock, landed_value, purchase_balance,
                                       purchase_deposit, serve_from_pool, split_opening_stock, stock_units_per_sale)
from goalsheet.plan.cash.timing import DAYS_PER_MONTH, month_offset, spread_over_months


DOWNSIDE_PAYOUT_SHARE = 0.8

# a peak need within this of the credit line is within it: sums of many flows carry float noise, and a
# verdict must not hang on 1e-10 of a currency unit (far below the cent the figures are shown in)
FEASIBILITY_TOLERANCE = 1e-6

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
                 "downside_net_flow", "downside_closing_balance", "sales")

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
    min_order_days  None: purchases are paid as the flows of 3.6 say, continuously (each day's stock paid
                    lead_time_days + safety_stock_days before its sale); a number: purchases are grouped into
                    purchase orders (`orders`) covering at least this many days of a store's stock need, each
                    paid on its own days (the plan's way: Settings min_order_days, default 30).
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
    min_order_days: float | None = None


@dataclass
class CashResult:
    """The capital plan at full precision (the caller rounds for display).

    table        one row per table month, TABLE_COLUMNS; outflows negative; closing balances at
                 month end; downside_* = payouts and refunds of the table's sales at 80 %; `sales` (a
                 memo, not a flow) = what buyers pay for the month's sales the table follows (units ×
                 sell price), so the table can be held to the target it carries.
    purchases    one row per month × store with any order (PURCHASE_COLUMNS): stock units and
                 full value (cogs + freight + duty + other) ordered that month (timed by the
                 deposit), the deposits and balances paid that month; first orders included and
                 also shown on their own.
    stock        one row per month × store × line (STOCK_COLUMNS, landed value): need, served from
                 stock, bought, left at month end; plus a row per store × line for month 'next'
                 (the next year's lead_time_days + safety_stock_days).
    orders, first_orders   the replenishment orders and the launches' first orders the table pays (with
                 min_order_days; None for continuous purchases)
    peak_need    max(0, min_cash − lowest closing balance); feasible ⇔ peak_need ≤ credit_line
                 (to within FEASIBILITY_TOLERANCE, float noise).
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
    orders: po.PurchaseOrders | None = None
    first_orders: po.PurchaseOrders | None = None


def peak_need(lowest_balance: float, min_cash: float) -> float:
    """How far the lowest closing balance falls below min_cash (never negative)."""
    return max(0.0, min_cash - lowest_balance)


def _frame(df: pd.DataFrame | None, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    """The caller's table with its required columns (an empty one when None)."""
    if df is None:
        return pd.DataFrame({c: pd.Series(dtype=object if c in ("month", "store", "line") else float)
                             for c in columns})
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"capital: {what} lacks columns {missing}")
    # a blank cost or rate counts as 0 rather than poisoning the whole table (the table is only read here,
    # so one without blanks is used as it is: the fundable-target search builds ~35 of them)
    numeric = [c for c in columns if c not in ("month", "store", "line")]
    has_blank = df[numeric].isna().to_numpy().any(axis=0) if numeric and len(df) else np.zeros(len(numeric), bool)
    blanks = {c: 0.0 for c, b in zip(numeric, has_blank) if b}
    return df.fillna(blanks) if blanks else df


def _offsets(df: pd.DataFrame, first: str) -> np.ndarray:
    """Each row's month as an offset from the first table month (distinct months looked up once)."""
    codes, uniques = pd.factorize(df["month"])
    return np.array([month_offset(str(m), first) for m in uniques], dtype=int)[codes] if len(codes) else \
        np.zeros(0, dtype=int)


def _positions(column: pd.Series, stores: list[str]) -> np.ndarray:
    """Each row's position in `stores` (distinct values looked up once)."""
    if not len(column):
        return np.zeros(0, int)
    codes, uniques = pd.factorize(column)
    return pd.Index(stores).get_indexer(uniques)[codes]


def store_order(inputs: CashInputs, frames: list[pd.DataFrame]) -> list[str]:
    """The stores of the cash plan: `inputs.stores`, then any other store the frames name, first seen first."""
    order: list[str] = list(inputs.stores or [])
    seen = set(order)
    for df in frames:
        for s in pd.unique(df["store"]):
            if s not in seen:
                order.append(s)
                seen.add(s)
    return order


def _by_month(df: pd.DataFrame, columns: list[str], first: str, n: int) -> dict[str, np.ndarray]:
    """Amounts given per month, summed into the table months (before → first month, after → out)."""
    out = {c: np.zeros(n) for c in columns}
    if df.empty or n == 0:
        return out
    idx = _offsets(df, first)
    keep = idx < n
    idx = np.maximum(idx, 0)
    for c in columns:
        np.add.at(out[c], idx[keep], df[c].to_numpy(float)[keep])
    return out

SALE_MEASURES = ("sales", "payout", "refund", "ads", "need", "deposit", "balance", "stock_units")


def sale_measures(units, return_rate, payout_per_unit, refund_per_unit, ads_per_unit, cogs_per_unit,
                  freight_per_unit, duty_per_unit, other_cost_per_unit, deposit_rate: float,
                  sales_per_unit=0.0) -> dict[str, np.ndarray]:
    """What `units` sold bring and cost (SALE_MEASURES): the sales (units × sell price, a memo), payout,
    refund and advertising per unit sold; the landed value needed, the deposit and the balance per unit of
    stock (1 − return_rate / 2 a unit sold)."""
    units = np.asarray(units, dtype=float)
    stock_units = units * stock_units_per_sale(return_rate)
    return {"sales": units * np.asarray(sales_per_unit, dtype=float),
            "payout": units * np.asarray(payout_per_unit, dtype=float),
            "refund": units * np.asarray(refund_per_unit, dtype=float),
            "ads": units * np.asarray(ads_per_unit, dtype=float),
            "need": stock_units * landed_value(cogs_per_unit, freight_per_unit),
            "deposit": stock_units * purchase_deposit(cogs_per_unit, deposit_rate),
            "balance": stock_units * purchase_balance(cogs_per_unit, freight_per_unit, duty_per_unit,
                                                      other_cost_per_unit, deposit_rate),
            "stock_units": stock_units}


@dataclass
class CashBase:
    """What the cash table takes that does not depend on the sales and launches of a target: the months,
    the stores (their order), the settings, and the flows fixed by history and the team (receivables,
    store fees, expenses, salaries, bonuses, opening payables), the opening stock.  `cash_base` makes it;
    the fundable-target search makes it once for its ~35 targets."""
    months: list[str]
    stores: list[str]
    cash_available: float
    credit_line: float
    min_cash: float
    lead_time_days: float
    transit_days: float
    safety_stock_days: float
    deposit_rate: float
    payout_delay_days: float
    fixed_flows: dict[str, np.ndarray]
    opening_stock: dict[str, float]
    opening_payables: float
    min_order_days: float | None = None
    # the timing rows `month_timing` has worked out: they depend only on the months and the settings
    timings: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n(self) -> int:
        return len(self.months)

    def month_timing(self, months: np.ndarray, shift: float) -> np.ndarray:
        """`spread_over_months` of one unit sold evenly over each given table month (index), due `shift` days
        later: a row per month given, each worked out once per base (the search asks for the same rows ~35
        times).  The rows are those spread_over_months makes for these windows, bit for bit: it works row by
        row."""
        n = self.n
        key = float(shift)
        rows = self.timings.get(key)
        if rows is None:
            rows = self.timings[key] = {}
        missing = sorted({int(i) for i in months} - rows.keys())
        if missing:
            start = DAYS_PER_MONTH * np.asarray(missing, dtype=float)
            for i, row in zip(missing, spread_over_months(start, start + DAYS_PER_MONTH, np.ones(len(missing)),
                                                          shift, n)):
                rows[i] = row
        return np.array([rows[int(i)] for i in months]).reshape(len(months), n)


@dataclass
class LaunchFlows:
    """The launches' part of the cash table: first orders joining each store's new pool (landed value,
    store × period), the first orders' deposits and balances, the launch budgets per table month, and their
    launch bonuses where the caller adds them."""
    additions: np.ndarray
    first_orders: dict[str, np.ndarray]
    budgets: np.ndarray
    bonuses: np.ndarray | None = None      # the launches' bonuses per table month (negative), when any


def _table_months(months) -> list[str]:
    months = [str(m) for m in months]
    if not months:
        raise ValueError("capital: the table needs at least one month")
    if [month_offset(m, months[0]) for m in months] != list(range(len(months))):
        raise ValueError("capital: table months must be consecutive")
    return months


def cash_plan(inputs: CashInputs, tables: bool = True) -> CashResult:
    """The monthly cash table of SPEC 3.6 and what follows from it.

    `tables=False` leaves the purchases and stock tables empty (the fundable-target search only
    needs the verdict; every other figure is the same)."""
    sales = _frame(inputs.sales, SALES_COLUMNS, "sales")
    launches = _frame(inputs.launches, LAUNCH_COLUMNS, "launches")
    run_rate = _run_rate(inputs)
    stores = store_order(inputs, [sales, launches] + ([run_rate] if run_rate is not None else [])
                         + [_frame(inputs.history_sales, HISTORY_COLUMNS, "history_sales")])
    base = cash_base(inputs, stores)
    return cash_flows(base, sales_grid(sales, base), launch_flows(launches, base), inputs.capacity_shortfall,
                      tables)


def _run_rate(inputs: CashInputs) -> pd.DataFrame | None:
    """The run-rate table, None when there is none."""
    if inputs.run_rate is None or inputs.run_rate.empty:
        return None
    return _frame(inputs.run_rate, RUN_RATE_COLUMNS, "run_rate")


def cash_base(inputs: CashInputs, stores: list[str]) -> CashBase:
    """The CashBase of `inputs` over `stores` (its sales and launches are not read)."""
    months = _table_months(inputs.months)
    n, first = len(months), months[0]
    history = _frame(inputs.history_sales, HISTORY_COLUMNS, "history_sales")
    run_rate = _run_rate(inputs)
    lead, transit, safety = inputs.lead_time_days, inputs.transit_days, inputs.safety_stock_days
    dr = inputs.deposit_rate
    fixed = _frame(inputs.fixed_costs, FIXED_COST_COLUMNS, "fixed_costs")
    bonus = _frame(inputs.bonus_payments, BONUS_COLUMNS, "bonus_payments")
    flows: dict[str, np.ndarray] = {c: np.zeros(n) for c in ("receivables", "store_fees", "expenses", "salaries",
                                                             "bonuses", "opening_payables")}

    # ---- receivables: history payouts landing after the last history month
    if len(history):
        j = _offsets(history, first)
        if j.max() >= 0:
            raise ValueError("capital: history_sales months must be before the first table month")
        value = history["units"].to_numpy(float) * (history["payout_per_unit"].to_numpy(float)
                                                    - history["refund_per_unit"].to_numpy(float))
        # every row of a history month is timed alike: sum each month's payouts, then time the months
        months_back, row_month = np.unique(j, return_inverse=True)
        value = np.bincount(row_month.reshape(-1), weights=value, minlength=len(months_back))
        flows["receivables"] = spread_over_months(DAYS_PER_MONTH * months_back, DAYS_PER_MONTH * (months_back + 1),
                                                  value, inputs.payout_delay_days, n, before="drop").sum(axis=0)

    # ---- fixed costs, bonuses, opening payables
    fixed_cols = _by_month(fixed, ["store_fees", "expenses", "salaries"], first, n)
    for c in ("store_fees", "expenses", "salaries"):
        flows[c] = -fixed_cols[c]
    bonus_in_table = bonus[[0 <= month_offset(str(m), first) < n for m in bonus["month"]]] if len(bonus) else bonus
    flows["bonuses"] = -_by_month(bonus_in_table, ["amount"], first, n)["amount"]
    payables = (inputs.opening_payables if inputs.opening_payables is not None
                else default_opening_payables(run_rate, lead, transit, dr))
    payable_days = max(0.0, lead - transit)
    flows["opening_payables"] = -spread_over_months(0.0, payable_days, payables, 0.0, n).sum(axis=0)
    opening_stock = split_opening_stock(inputs.opening_stock_value,
                                        default_opening_stock(run_rate, lead, safety), stores)
    return CashBase(months=months, stores=stores, cash_available=inputs.cash_available,
                    credit_line=inputs.credit_line, min_cash=inputs.min_cash, lead_time_days=lead,
                    transit_days=transit, safety_stock_days=safety, deposit_rate=dr,
                    payout_delay_days=inputs.payout_delay_days, fixed_flows=flows, opening_stock=opening_stock,
                    opening_payables=float(payables), min_order_days=inputs.min_order_days)


def empty_sales_grid(base: CashBase) -> dict[str, np.ndarray]:
    """measure -> store × line (0 existing, 1 new) × period (0..n−1 the table months, n the next year)."""
    return {m: np.zeros((len(base.stores), 2, base.n + 1)) for m in SALE_MEASURES}


def sales_grid(sales: pd.DataFrame, base: CashBase) -> dict[str, np.ndarray]:
    """The sales rows' measures (`sale_measures`) summed per store × line × table month (`empty_sales_grid`)."""
    n, first = base.n, base.months[0]
    line_codes, line_names = pd.factorize(sales["line"])
    bad_lines = set(line_names) - {"existing", "new"}
    if bad_lines:
        raise ValueError(f"capital: sales line must be 'existing' or 'new', not {sorted(bad_lines)}")
    sale_month = _offsets(sales, first)
    if len(sale_month) and (sale_month.min() < 0 or sale_month.max() >= n):
        raise ValueError("capital: sales months must be table months")
    store_pos = _positions(sales["store"], base.stores)
    is_new = (np.asarray(line_names, dtype=object) == "new").astype(np.int64)[line_codes] if len(sales) \
        else np.zeros(0, np.int64)
    # one integer key per store × month × line, in that order (one key groups faster than three)
    key = (store_pos.astype(np.int64) * n + sale_month) * 2 + is_new
    rows = pd.DataFrame(sale_measures(
        sales["units"], sales["return_rate"], sales["payout_per_unit"], sales["refund_per_unit"],
        sales["ads_per_unit"], sales["cogs_per_unit"], sales["freight_per_unit"], sales["duty_per_unit"],
        sales["other_cost_per_unit"], base.deposit_rate,
        sales["sales_per_unit"].fillna(0.0) if "sales_per_unit" in sales else 0.0))
    # grouped on the index (level 0): a Series or array key is first looked up as a column name, and the
    # failed look-up formats the whole key into a KeyError message
    rows.index = pd.Index(key)
    agg = rows.groupby(level=0, sort=True).sum()
    grid = empty_sales_grid(base)
    if len(agg):
        k = agg.index.to_numpy(np.int64)
        s_idx, i_idx, l_idx = k // (2 * n), (k // 2) % n, k % 2
        for m in SALE_MEASURES:
            grid[m][s_idx, l_idx, i_idx] = agg[m].to_numpy(float)
    return grid


def launch_flows(launches: pd.DataFrame, base: CashBase) -> LaunchFlows:
    """`first_order_flows` of a LAUNCH_COLUMNS table."""
    f = {c: launches[c].to_numpy(float) for c in LAUNCH_COLUMNS[2:]}
    return first_order_flows(base, _offsets(launches, base.months[0]), _positions(launches["store"], base.stores),
                             f["count"] * f["first_order_units"], f["cogs_per_unit"], f["freight_per_unit"],
                             f["duty_per_unit"], f["other_cost_per_unit"], f["count"] * f["launch_budget"],
                             f["ramp_months"])


def first_order_flows(base: CashBase, month: np.ndarray, store: np.ndarray, units: np.ndarray, cogs: np.ndarray,
                      freight: np.ndarray, duty: np.ndarray, other_cost: np.ndarray, budget: np.ndarray,
                      ramp_months: np.ndarray) -> LaunchFlows:
    """Per launch (or group of launches): its month (offset from the first table month), store (position in
    base.stores), first-order units at the new product's per-unit costs, and launch budget, in equal parts
    over the launch month and the next ramp_months − 1."""
    n, dr = base.n, base.deposit_rate
    additions = np.zeros((len(base.stores), n + 1))
    keep = month < n
    li = np.maximum(month, 0)
    np.add.at(additions, (store[keep], li[keep]), (units * landed_value(cogs, freight))[keep])
    fo = {"store": store[keep], "i": li[keep], "units": units[keep], "launch": np.flatnonzero(keep),
          "deposit": (units * purchase_deposit(cogs, dr))[keep],
          "balance": (units * purchase_balance(cogs, freight, duty, other_cost, dr))[keep]}
    budgets = np.zeros(n)
    ramp = np.maximum(1, ramp_months.astype(int))
    # launch by launch, its ramp months in order (the order of the sums as a loop would make them)
    part = np.repeat(np.arange(len(ramp)), ramp)
    paid_in = month[part] + (np.arange(len(part)) - np.repeat(np.cumsum(ramp) - ramp, ramp))
    inside = paid_in < n
    np.add.at(budgets, np.maximum(0, paid_in[inside]), -(budget / ramp)[part][inside])
    return LaunchFlows(additions=additions, first_orders=fo, budgets=budgets)


def cash_flows(base: CashBase, grid: dict[str, np.ndarray], launches: LaunchFlows, capacity_shortfall: float = 0.0,
               tables: bool = True) -> CashResult:
    """The cash table from its parts: the base, the sales summed per store × line × month (`sales_grid`;
    changed here) and the launches' flows."""
    months, stores, n = base.months, base.stores, base.n
    n_stores = len(stores)
    lead, safety = base.lead_time_days, base.safety_stock_days
    cols: dict[str, np.ndarray] = {c: np.zeros(n) for c in TABLE_COLUMNS[2:15]}
    cols.update(base.fixed_flows)
    cols["launch_budgets"] = launches.budgets
    if launches.bonuses is not None:
        cols["bonuses"] = cols["bonuses"] + launches.bonuses

    # ---- payouts and refunds, payout_delay_days after the sale; advertising in the month of the sale
    month_start = DAYS_PER_MONTH * np.arange(n)
    per_store_month = {m: grid[m][:, :, :n].sum(axis=1) for m in ("payout", "refund", "ads")}
    if n_stores:
        timing = base.month_timing(np.tile(np.arange(n), n_stores), base.payout_delay_days)
        cols["payouts_in"] = (timing * per_store_month["payout"].ravel()[:, None]).sum(axis=0)
        cols["refunds"] = -(timing * per_store_month["refund"].ravel()[:, None]).sum(axis=0)
        cols["advertising"] = -per_store_month["ads"].sum(axis=0)

    # ---- stock needs: a negative new-product need lowers the existing need that month, never below 0
    need, dep, bal, su = grid["need"], grid["deposit"], grid["balance"], grid["stock_units"]
    negative_new = need[:, 1, :n] < 0
    if negative_new.any():
        ex_need = need[:, 0, :n]
        lowered = np.maximum(0.0, ex_need + need[:, 1, :n])
        factor = np.where(negative_new, np.divide(lowered, ex_need, out=np.zeros_like(ex_need),
                                                  where=ex_need > 0), 1.0)
        for g in (need, dep, bal, su):
            g[:, 0, :n] *= factor
            g[:, 1, :n] = np.where(negative_new, 0.0, g[:, 1, :n])
    nothing = need <= 0
    for g in (need, dep, bal, su):
        g[nothing] = 0.0
    # the next year: lead_time_days + safety_stock_days at December's stock need and cost mix
    next_days = max(0.0, lead + safety)
    for g in (need, dep, bal, su):
        g[:, :, n] = g[:, :, n - 1] * next_days / DAYS_PER_MONTH
    period_start = np.append(month_start, DAYS_PER_MONTH * n)
    period_len = np.append(np.full(n, DAYS_PER_MONTH), next_days)

    # ---- the pools: opening stock (existing) and first orders (new)
    pool_additions = np.stack([np.zeros((n_stores, n + 1)), launches.additions], axis=1)
    pool_opening = np.zeros((n_stores, 2))
    pool_opening[:, 0] = [base.opening_stock.get(store, 0.0) for store in stores]
    served, left = serve_from_pool(need, pool_additions, pool_opening)
    bought_share = np.divide(need - served, need, out=np.zeros_like(need), where=need > 0)
    served_share = 1.0 - bought_share

    fo = launches.first_orders
    if base.min_order_days is None:
        continuous = _continuous_purchases(base, need, served_share, bought_share, dep, bal, su, fo,
                                           period_start, period_len)
        cols.update(continuous["cols"])
        orders = first = None
    else:
        # ---- purchase orders: the bought part of each period is its last days, grouped into orders per store;
        # a first order per launch; each paid on its days
        lead, transit = base.lead_time_days, base.transit_days
        orders = po.replenishment_orders(need, served, dep, bal, su, period_start, period_len, base.min_order_days,
                                         lead, transit, safety)
        first = po.first_orders(fo["launch"], fo["store"], fo["i"], fo["units"], fo["deposit"], fo["balance"], lead,
                                transit, safety)
        cols["purchase_deposits"] = -po.paid_by_month(orders.order_day, orders.deposit, n)
        cols["balances_freight_duty"] = -po.paid_by_month(orders.balance_day, orders.balance, n)
        cols["first_orders"] = -(po.paid_by_month(first.order_day, first.deposit, n)
                                 + po.paid_by_month(first.balance_day, first.balance, n))

    # ---- the table
    flow_columns = list(TABLE_COLUMNS[2:15])
    net = np.sum([cols[c] for c in flow_columns], axis=0)
    closing = base.cash_available + np.cumsum(net)
    downside_net = net - (1.0 - DOWNSIDE_PAYOUT_SHARE) * (cols["payouts_in"] + cols["refunds"])
    downside_closing = base.cash_available + np.cumsum(downside_net)
    lowest_i = int(np.argmin(closing))
    lowest = float(closing[lowest_i])
    need_cash = peak_need(lowest, base.min_cash)
    downside_lowest = float(downside_closing.min())
    downside_need = peak_need(downside_lowest, base.min_cash)
    # one float block (a frame of 18 separate arrays costs more than the rest of a search step)
    sales = grid["sales"][:, :, :n].sum(axis=(0, 1))
    table = pd.DataFrame(np.column_stack([np.concatenate([[base.cash_available], closing[:-1]]),
                                          *(cols[c] for c in flow_columns), net, closing, downside_net,
                                          downside_closing, sales]), columns=list(TABLE_COLUMNS[1:]))
    table.insert(0, "month", months)
    if tables and orders is None:
        purchases = _purchase_table(months, stores, *continuous["purchases"])
        stock = _stock_table(months, stores, need, served, left)
    elif tables:
        purchases = pd.DataFrame(columns=list(PURCHASE_COLUMNS))    # made from the orders by the caller
        stock = _stock_table(months, stores, need, served, left)
    else:
        purchases, stock = _no_tables()
    return CashResult(
        table=table, purchases=purchases, stock=stock, opening_stock=base.opening_stock,
        opening_payables=base.opening_payables, lowest_balance=lowest, lowest_month=months[lowest_i],
        peak_need=need_cash, feasible=need_cash <= base.credit_line + FEASIBILITY_TOLERANCE,
        downside_lowest_balance=downside_lowest, downside_peak_need=downside_need,
        downside_feasible=downside_need <= base.credit_line + FEASIBILITY_TOLERANCE,
        credit_line=base.credit_line, min_cash=base.min_cash, capacity_shortfall=capacity_shortfall,
        orders=orders, first_orders=first)


def _continuous_purchases(base: CashBase, need, served_share, bought_share, dep, bal, su, fo, period_start,
                          period_len) -> dict:
    """Purchases paid as the flows of 3.6 say, continuously: the bought part of each period is its last days,
    each day's deposit and balance due lead_time_days + safety_stock_days and transit_days + safety_stock_days
    before its sale; first orders paid as the purchase for sales spread over the launch month."""
    n = base.n
    deposit_shift = -(base.lead_time_days + base.safety_stock_days)
    balance_shift = -(base.transit_days + base.safety_stock_days)
    flat = np.flatnonzero(bought_share.ravel() > 0)
    s_of, _, p_of = np.unravel_index(flat, need.shape)
    b_start = period_start[p_of] + served_share.ravel()[flat] * period_len[p_of]
    b_end = period_start[p_of] + period_len[p_of]
    share = bought_share.ravel()[flat]
    p_dep = dep.ravel()[flat] * share
    p_bal = bal.ravel()[flat] * share
    p_units = su.ravel()[flat] * share
    order_timing = spread_over_months(b_start, b_end, np.ones(len(flat)), deposit_shift, n)
    balance_timing = spread_over_months(b_start, b_end, np.ones(len(flat)), balance_shift, n)
    fo_order = base.month_timing(fo["i"], deposit_shift)
    fo_balance = base.month_timing(fo["i"], balance_shift)
    cols = {"purchase_deposits": -(order_timing * p_dep[:, None]).sum(axis=0),
            "balances_freight_duty": -(balance_timing * p_bal[:, None]).sum(axis=0),
            "first_orders": -((fo_order * fo["deposit"][:, None]).sum(axis=0)
                              + (fo_balance * fo["balance"][:, None]).sum(axis=0))}
    return {"cols": cols, "purchases": (s_of, order_timing, balance_timing, p_units, p_dep, p_bal, fo, fo_order,
                                        fo_balance)}


@functools.lru_cache(maxsize=1)
def _no_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The empty purchases and stock tables of `tables=False`, made once (the search asks ~35 times; nobody
    writes into them)."""
    return pd.DataFrame(columns=list(PURCHASE_COLUMNS)), pd.DataFrame(columns=list(STOCK_COLUMNS))


def _purchase_table(months, stores, s_of, order_timing, balance_timing, p_units, p_dep, p_bal,
                    fo, fo_order, fo_balance) -> pd.DataFrame:
    """Per month × store: stock units and full value ordered (timed by the deposit), deposits and
    balances paid, first orders included and shown on their own."""
    n, n_stores = len(months), len(stores)
    out = {c: np.zeros((n_stores, n)) for c in PURCHASE_COLUMNS[2:]}

    def add(col, store_idx, matrix, amounts):
        if len(store_idx):
            np.add.at(out[col], store_idx, matrix * amounts[:, None])

    add("units_to_order", s_of, order_timing, p_units)
    add("value_to_order", s_of, order_timing, p_dep + p_bal)
    add("deposits_due", s_of, order_timing, p_dep)
    add("balances_due", s_of, balance_timing, p_bal)
    fs = fo["store"]
    add("units_to_order", fs, fo_order, fo["units"])
    add("value_to_order", fs, fo_order, fo["deposit"] + fo["balance"])
    add("deposits_due", fs, fo_order, fo["deposit"])
    add("balances_due", fs, fo_balance, fo["balance"])
    add("first_order_units", fs, fo_order, fo["units"])
    add("first_order_value", fs, fo_order, fo["deposit"] + fo["balance"])
    records = []
    for i, month in enumerate(months):
        for s, store in enumerate(stores):
            values = {c: float(out[c][s, i]) for c in PURCHASE_COLUMNS[2:]}
            if any(abs(v) > 1e-9 for v in values.values()):
                records.append({"month": month, "store": store, **values})
    return pd.DataFrame(records, columns=list(PURCHASE_COLUMNS))


def _stock_table(months, stores, need, served, left) -> pd.DataFrame:
    labels = list(months) + ["next"]
    records = []
    for s, store in enumerate(stores):
        for line_k, line in enumerate(("existing", "new")):
            for p, label in enumerate(labels):
                records.append({"month": label, "store": store, "line": line, "need": float(need[s, line_k, p]),
                                "from_stock": float(served[s, line_k, p]),
                                "bought": float(need[s, line_k, p] - served[s, line_k, p]),
                                "stock_left": float(left[s, line_k, p])})
    return pd.DataFrame(records, columns=list(STOCK_COLUMNS))
