"""The plan's cash inputs stated row by row (one sales row per existing SKU × table month, as SPEC 3.6 reads):
the reference the planner's `CashSearch` (goalsheet/plan/cash/inputs.py) is held to in test_cash_search.py."""
from __future__ import annotations

import numpy as np
import pandas as pd

from goalsheet.plan import cash as cp
from goalsheet.plan.basis import Basis, Derived
from goalsheet.plan.cash.inputs import (LINES, _unchanged_by_k, cash_settings, existing_per_unit_cash,
                                        existing_scale, launch_bonus_payments, launch_costs, new_line_units,
                                        own_launch_cash, per_unit_cash)


def cash_inputs(basis: Basis, d: Derived, bonus_payments: pd.DataFrame | None,
                launch_bonus: float = 0.0) -> cp.CashInputs:
    """The plan of target k·T (`d`) as capital.py's inputs (see CashInputs' docstring), row by row: one sales
    row per existing SKU × table month.  The reference `CashSearch` is tested against
    (tests/plan/test_cash_search.py).  `bonus_payments`: the period bonuses (no launch bonuses: those of d's
    own launches, `launch_bonus` each before the success rate, are added here)."""
    months = list(basis.months)
    n = len(months)
    e = basis.econ
    s_pos = basis.sku_store
    ok = s_pos >= 0
    units = (basis.E_units_sku[ok] * existing_scale(basis, d)[s_pos[ok]]).reshape(-1)
    template = basis.cache.get("cash_existing_rows")
    if template is None:      # one row per existing SKU × table month; only the units change with k
        sku_cash = existing_per_unit_cash(e[ok])
        rows = np.repeat(np.arange(ok.sum()), n)
        template = sku_cash.iloc[rows].reset_index(drop=True)
        # month, store and line as categories: the search re-reads them ~35 times (factorized, not hashed)
        template.insert(0, "line", pd.Categorical(["existing"] * len(rows), categories=LINES))
        template.insert(0, "store", pd.Categorical(e.loc[ok, "store"].to_numpy()[rows], categories=basis.stores))
        template.insert(0, "month", pd.Categorical(np.tile(months, ok.sum()), categories=months))
        basis.cache["cash_existing_rows"] = template
    existing = template.iloc[np.flatnonzero(units != 0)].copy()
    existing.insert(3, "units", units[units != 0])
    history_sales, run_rate, fixed = _unchanged_by_k(basis, d)
    launch_payments = launch_bonus_payments(basis, d, launch_bonus)
    if len(launch_payments):
        bonus_payments = pd.concat([p for p in (bonus_payments, launch_payments) if p is not None],
                                   ignore_index=True)
    return _cash_inputs(basis, d, existing, history_sales, run_rate, fixed, bonus_payments)


def _cash_inputs(basis: Basis, d: Derived, existing: pd.DataFrame, history_sales: pd.DataFrame,
                 run_rate: pd.DataFrame, fixed: pd.DataFrame, bonus_payments: pd.DataFrame | None
                 ) -> cp.CashInputs:
    """CashInputs from the existing line's rows, the new line's rows of `d` and the rest of the plan."""
    months = list(basis.months)
    n = len(months)
    new_cash = basis.cache.get("cash_new_product")   # the same for every k
    if new_cash is None:
        new_cash = basis.cache["cash_new_product"] = per_unit_cash(basis.new_products)
    new_units, own_units, own = new_line_units(basis, d)
    srows = np.repeat(np.arange(len(basis.stores)), n)
    new = new_cash.iloc[srows].reset_index(drop=True)
    new.insert(0, "units", new_units.reshape(-1))
    new.insert(0, "line", pd.Categorical(["new"] * len(srows), categories=LINES))
    new.insert(0, "store", pd.Categorical(np.repeat(basis.stores, n), categories=basis.stores))
    new.insert(0, "month", pd.Categorical(np.tile(months, len(basis.stores)), categories=months))
    new = new[new["units"] != 0]
    if own.any():
        new = pd.concat([new, own_launch_sales(basis, d, own, own_units, months)], ignore_index=True)
    sales = pd.concat([existing, new], ignore_index=True)
    return cp.CashInputs(months=months, sales=sales.reset_index(drop=True), history_sales=history_sales,
                         run_rate=run_rate, launches=launch_rows(basis, d), fixed_costs=fixed,
                         bonus_payments=bonus_payments, stores=list(basis.stores),
                         capacity_shortfall=float(d.launches.shortfall.sum()), **cash_settings(basis))


def own_launch_sales(basis: Basis, d: Derived, own: np.ndarray, units: np.ndarray, months: list[str]
                     ) -> pd.DataFrame:
    """The new line's rows of launches with their own price or unit cost (`own`, a mask over d's launches):
    `units` (launch × table month) at each launch's own per-unit cash (its unit economics at its price and
    unit cost, 3.2)."""
    n = len(months)
    stores = [str(x) for x in d.launches.column("store")[own]]
    rows = np.repeat(np.arange(len(stores)), n)
    out = own_launch_cash(basis, d, own).iloc[rows].reset_index(drop=True)
    out.insert(0, "units", units.reshape(-1))
    out.insert(0, "line", pd.Categorical(["new"] * len(rows), categories=LINES))
    out.insert(0, "store", pd.Categorical(np.asarray(stores, dtype=object)[rows], categories=basis.stores))
    out.insert(0, "month", pd.Categorical(np.tile(months, len(stores)), categories=months))
    return out[out["units"] != 0]


def launch_rows(basis: Basis, d: Derived) -> pd.DataFrame:
    """One row per launch: its first order's per-unit costs and its launch budget (LAUNCH_COLUMNS)."""
    if not d.launches.count:
        return pd.DataFrame(columns=list(cp.LAUNCH_COLUMNS))
    costs = launch_costs(basis, d)
    return pd.DataFrame({
        "month": d.launches.column("month"), "store": d.launches.column("store"), "count": 1,
        **{c: costs[c] for c in cp.LAUNCH_COLUMNS[3:9]},
        "ramp_months": basis.settings.new_ramp_months,
    })
