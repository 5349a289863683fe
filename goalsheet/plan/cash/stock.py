"""Stock (SPEC 3.6), per store, at landed value (cogs + freight).  A unit sold needs
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
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from goalsheet.plan.cash.timing import DAYS_PER_MONTH


def stock_units_per_sale(return_rate):
    """A unit sold needs 1 − return_rate / 2 units of stock: half of the returns are resold."""
    return 1.0 - np.asarray(return_rate, dtype=float) / 2.0


def landed_value(cogs, freight):
    """Stock is held at landed value: cogs + freight (base currency per unit)."""
    return np.asarray(cogs, dtype=float) + np.asarray(freight, dtype=float)


def purchase_deposit(cogs, deposit_rate: float):
    """Paid at order: deposit_rate × cogs per unit bought."""
    return deposit_rate * np.asarray(cogs, dtype=float)


def purchase_balance(cogs, freight, duty, other_cost, deposit_rate: float):
    """Paid before shipping: the rest of cogs, freight, duty and other_cost per unit bought."""
    return ((1.0 - deposit_rate) * np.asarray(cogs, dtype=float) + np.asarray(freight, dtype=float)
            + np.asarray(duty, dtype=float) + np.asarray(other_cost, dtype=float))


def default_opening_stock(run_rate: pd.DataFrame | None, lead_time_days: float,
                          safety_stock_days: float) -> dict[str, float]:
    """Per store: the landed value of the stock that lead_time_days + safety_stock_days of
    run-rate sales need (run-rate units are per 30.4-day month)."""
    if run_rate is None or run_rate.empty:
        return {}
    days = max(0.0, lead_time_days + safety_stock_days)
    value = (run_rate["units"].to_numpy(float) * stock_units_per_sale(run_rate["return_rate"])
             * landed_value(run_rate["cogs_per_unit"], run_rate["freight_per_unit"]) * days / DAYS_PER_MONTH)
    return {str(k): float(v) for k, v in pd.Series(value, index=run_rate["store"].to_numpy()).groupby(
        level=0, sort=False).sum().items()}


def default_opening_payables(run_rate: pd.DataFrame | None, lead_time_days: float, transit_days: float,
                             deposit_rate: float) -> float:
    """What is still owed on (lead_time_days − transit_days) days of run-rate purchases:
    (1 − deposit_rate) × cogs + freight + duty + other_cost per unit of stock bought."""
    if run_rate is None or run_rate.empty:
        return 0.0
    days = max(0.0, lead_time_days - transit_days)
    per_unit = purchase_balance(run_rate["cogs_per_unit"], run_rate["freight_per_unit"],
                                run_rate["duty_per_unit"], run_rate["other_cost_per_unit"], deposit_rate)
    units = run_rate["units"].to_numpy(float) * stock_units_per_sale(run_rate["return_rate"])
    return float((units * per_unit).sum() * days / DAYS_PER_MONTH)


def split_opening_stock(total: float | None, defaults: dict[str, float], stores: list[str]) -> dict[str, float]:
    """A Settings opening_stock_value is split over the stores pro rata to their defaults
    (equally when every default is 0); None takes the defaults."""
    base = {s: float(defaults.get(s, 0.0)) for s in stores}
    if total is None:
        return base
    weight = sum(base.values())
    if weight > 0:
        return {s: total * v / weight for s, v in base.items()}
    return {s: total / len(stores) for s in stores} if stores else {}


def serve_from_pool(needs: np.ndarray, additions: np.ndarray, opening) -> tuple[np.ndarray, np.ndarray]:
    """First in, first out: each period's need is served from the stock on hand (opening stock
    plus what joined the pool at the period's start) before anything is bought.  Returns the
    value served and the stock left after each period.  Periods are the last axis; any leading
    axes are pools side by side (`opening` one per pool)."""
    needs = np.asarray(needs, dtype=float)
    additions = np.broadcast_to(np.asarray(additions, dtype=float), needs.shape)
    served = np.zeros(needs.shape)
    left = np.zeros(needs.shape)
    stock = np.array(np.broadcast_to(np.asarray(opening, dtype=float), needs.shape[:-1]))
    for p in range(needs.shape[-1]):
        stock = stock + additions[..., p]
        served[..., p] = np.minimum(np.maximum(needs[..., p], 0.0), stock)
        stock = stock - served[..., p]
        left[..., p] = stock
    return served, left
