"""Purchase orders (SPEC 3.6): the cash table's purchases grouped into orders.

The flows of 3.6 buy stock continuously: the stock a day's sales need is paid lead_time_days + safety_stock_days
before them (the deposit) and transit_days + safety_stock_days before them (the balance, freight, duty and other
costs).  A seller buys in orders instead:

- a **replenishment order** per store: the store's purchases (existing and new products, once their pools are sold
  through) of consecutive periods merged until the order covers at least `min_order_days` of the store's stock
  need (0: every month's purchase an order of its own; the last order of the year may cover less);
- a **first order** per launch: `new_first_order_units` for sales from the launch month on (3.6 "first orders").

An order is placed on the day the deposit of the first sale it serves is due and pays its whole deposit then; its
balance is paid transit_days + safety_stock_days before that first sale; it is sellable at Amazon lead_time_days
after it is placed.  Units are whole, rounded up per order, and the order's value, deposit and balance follow its
whole units (the cost per unit of the stock it buys).  The cash table pays the orders on these days: parts due
before the first table month in the first month, after December left out (3.6 timing).

Days are on the cash table's grid of 30.4-day months (`timing`): table month i covers [30.4·i, 30.4·(i + 1)).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from goalsheet.plan.cash.timing import DAYS_PER_MONTH

# a whole unit more than the stock needs only where the need exceeds the whole number by more than float noise
WHOLE_UNIT_NOISE = 1e-9

REPLENISHMENT = -1       # the `launch` of an order that is not a first order


@dataclass
class PurchaseOrders:
    """One entry per order (arrays of equal length).

    store           the store's position in the cash plan's stores
    launch          the launch's position in the plan's launches (first orders), REPLENISHMENT otherwise
    first_sale_day  the first day of the sales it serves; last_sale_day the day after the last
    units           whole units of stock bought
    value           landed value bought (cogs + freight + duty + other cost), = deposit + balance
    deposit         deposit_rate × cogs, paid on order_day
    balance         the rest of cogs, freight, duty, other cost, paid on balance_day
    order_day, balance_day, arrival_day   when it is placed, its balance paid, it is sellable at Amazon
    """
    store: np.ndarray
    launch: np.ndarray
    first_sale_day: np.ndarray
    last_sale_day: np.ndarray
    units: np.ndarray
    deposit: np.ndarray
    balance: np.ndarray
    order_day: np.ndarray
    balance_day: np.ndarray
    arrival_day: np.ndarray

    @property
    def value(self) -> np.ndarray:
        return self.deposit + self.balance

    def __len__(self) -> int:
        return len(self.store)


def order_dates(first_sale_day, lead_time_days: float, transit_days: float, safety_stock_days: float):
    """(order day, balance day, arrival day) of an order whose first sale is on `first_sale_day`: the deposit is
    due lead_time_days + safety_stock_days before the sale, the balance transit_days + safety_stock_days before
    it, and the stock is sellable safety_stock_days before it (lead_time_days after the order)."""
    first = np.asarray(first_sale_day, dtype=float)
    return (first - (lead_time_days + safety_stock_days), first - (transit_days + safety_stock_days),
            first - safety_stock_days)


def whole_units(units: np.ndarray) -> np.ndarray:
    """Units rounded up to whole units (a need within float noise of a whole number is that number)."""
    return np.ceil(np.asarray(units, dtype=float) - WHOLE_UNIT_NOISE).clip(min=0.0)


def _orders(store, launch, first, last, units, deposit, balance, lead, transit, safety) -> PurchaseOrders:
    """Orders from their raw parts: units made whole, deposit and balance scaled with them."""
    units = np.asarray(units, dtype=float)
    whole = whole_units(units)
    scale = np.divide(whole, units, out=np.ones_like(units), where=units > 0)
    order_day, balance_day, arrival_day = order_dates(first, lead, transit, safety)
    return PurchaseOrders(store=np.asarray(store, dtype=int), launch=np.asarray(launch, dtype=int),
                          first_sale_day=np.asarray(first, dtype=float), last_sale_day=np.asarray(last, dtype=float),
                          units=whole, deposit=np.asarray(deposit, dtype=float) * scale,
                          balance=np.asarray(balance, dtype=float) * scale,
                          order_day=order_day, balance_day=balance_day, arrival_day=arrival_day)


def replenishment_orders(need: np.ndarray, served: np.ndarray, deposit: np.ndarray, balance: np.ndarray,
                         stock_units: np.ndarray, period_start: np.ndarray, period_len: np.ndarray,
                         min_order_days: float, lead: float, transit: float, safety: float) -> PurchaseOrders:
    """Each store's purchases as orders.

    need, served, deposit, balance, stock_units: store × line × period (the table months, then the next year's
    lead_time_days + safety_stock_days); in each period a line buys the part of its need its pool does not serve,
    as the period's last days.  A store-period's purchase serves the store's sales from the earliest day one of
    its lines buys to the period's end: it covers those days of the store's stock need.  Periods are merged in
    order until an order covers at least min_order_days."""
    bought = need - served
    share = np.divide(bought, need, out=np.zeros_like(need), where=need > 0)
    buys = share > 0
    # the first day each store × line × period buys: the served part comes first
    start = np.where(buys, period_start[None, None, :] + (1.0 - share) * period_len[None, None, :], np.inf)
    first_day = start.min(axis=1)
    days = np.where(np.isfinite(first_day), (period_start + period_len)[None, :] - first_day, 0.0)
    parts = {"deposit": (deposit * share).sum(axis=1), "balance": (balance * share).sum(axis=1),
             "units": (stock_units * share).sum(axis=1)}
    # periods in order, every store at once: each store's open order takes the period's purchase, and closes once
    # it covers min_order_days or the store buys no more after this period
    buys_in = buys.any(axis=1)                                           # store × period
    n_stores, n_periods = buys_in.shape
    last_buy = np.where(buys_in.any(axis=1), n_periods - 1 - np.argmax(buys_in[:, ::-1], axis=1), -1)
    covered = np.zeros(n_stores)
    opened = np.full(n_stores, np.nan)
    open_parts = {k: np.zeros(n_stores) for k in parts}
    out: dict[str, list[np.ndarray]] = {k: [] for k in ("store", "first", "last", "deposit", "balance", "units")}
    for p in range(n_periods):
        b = buys_in[:, p]
        if not b.any():
            continue
        opened = np.where(b & np.isnan(opened), first_day[:, p], opened)
        covered = covered + np.where(b, days[:, p], 0.0)
        for k in parts:
            open_parts[k] = open_parts[k] + np.where(b, parts[k][:, p], 0.0)
        close = np.flatnonzero(b & ((covered >= min_order_days) | (last_buy == p)))
        if len(close):
            out["store"].append(close)
            out["first"].append(opened[close])
            out["last"].append(np.full(len(close), period_start[p] + period_len[p]))
            for k in parts:
                out[k].append(open_parts[k][close])
                open_parts[k][close] = 0.0
            covered[close] = 0.0
            opened[close] = np.nan
    rows = {k: (np.concatenate(v) if v else np.zeros(0)) for k, v in out.items()}
    return _orders(rows["store"].astype(int), np.full(len(rows["store"]), REPLENISHMENT), rows["first"], rows["last"],
                   rows["units"], rows["deposit"], rows["balance"], lead, transit, safety)


def first_orders(launch: np.ndarray, store: np.ndarray, month: np.ndarray, units: np.ndarray, deposit: np.ndarray,
                 balance: np.ndarray, lead: float, transit: float, safety: float) -> PurchaseOrders:
    """One order per launch (`launch`: its position in the plan's launches), serving sales from the start of its
    launch month (`month`: offset from the first table month)."""
    first = DAYS_PER_MONTH * np.asarray(month, dtype=float)
    return _orders(store, launch, first, first + DAYS_PER_MONTH, units, deposit, balance, lead, transit, safety)


def month_of_day(day, n_months: int) -> np.ndarray:
    """The table month a payment on `day` falls in: before the first table month → the first month (0), after
    the last → n_months (outside the table)."""
    idx = np.floor(np.asarray(day, dtype=float) / DAYS_PER_MONTH + WHOLE_UNIT_NOISE).astype(int)
    return np.clip(idx, 0, n_months)


def paid_by_month(day, amount, n_months: int) -> np.ndarray:
    """Amounts paid on their days, summed per table month (before → first month, after → left out)."""
    out = np.zeros(n_months + 1)
    np.add.at(out, month_of_day(day, n_months), np.asarray(amount, dtype=float))
    return out[:n_months]
