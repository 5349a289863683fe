"""Target net profit (SPEC.md 3.2, end; costing of new-product sales, 3.4).

    target net profit = Σ units × unit_net (existing and new products)
                        − launch budgets − write-offs of failed launches' first orders
                        − store monthly fees − expenses − salaries − bonus at 100 %

Existing products earn their forecast units × unit_net.  The store-month "new products"
sales (T − E) are costed like the store's new product (sales × unit_net / new price) from
the store's first launch month (planned or added) on; before it (all year for a store with
no launch) they can only come from its existing products, so they are spread over its
existing SKUs in proportion to their forecast sales that month and earn, per unit of sales,
what those SKUs earn: the store-month's existing profit / existing sales (the "mix").
Expenses without a store are shared over the stores by their planned sales that month.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from goalsheet.inputs.model import SellerBook

if TYPE_CHECKING:
    from goalsheet.plan.basis import Basis, Derived


def existing_profit(forecast_units: np.ndarray, unit_net_base: np.ndarray) -> np.ndarray:
    """Σ-ready (SKU × month): forecast units × unit_net in base currency."""
    return np.asarray(forecast_units) * np.asarray(unit_net_base)[:, None]


def existing_mix(existing_profit_store: np.ndarray, existing_sales_store: np.ndarray) -> np.ndarray:
    """Profit per unit of sales of a store-month's existing products: Σ units × unit_net / Σ sales
    (the SKUs weighted by their forecast sales that month).  NaN where the store sells nothing."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(existing_sales_store > 0, existing_profit_store / existing_sales_store, np.nan)


def new_product_rate(unit_net_base: np.ndarray, price_base: np.ndarray) -> np.ndarray:
    """Profit per unit of sales of a store's new product: unit_net / new price (base currency)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(price_base > 0, unit_net_base / price_base, 0.0)


def new_sales_profit(new_sales: np.ndarray, mix: np.ndarray, new_rate: np.ndarray,
                     before_first_launch: np.ndarray) -> np.ndarray:
    """(store × month) profit of the new-product sales T − E: at the existing mix before the store's
    first launch month, at the new product's rate from it on (and where the store has no existing sales).

    new_rate: per store, or per store and month (the rate of the launches selling that month,
    `launches.sales_rates`, when launches carry their own price or cost)."""
    new_rate = np.asarray(new_rate, dtype=float)
    rate = np.where(before_first_launch & ~np.isnan(mix), mix, new_rate[:, None] if new_rate.ndim == 1 else new_rate)
    return np.asarray(new_sales) * rate


def before_first_launch(first_launch_col: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(store × month) True where the month column is before the store's first launch (all, without one)."""
    first = np.where(np.isnan(first_launch_col), np.inf, first_launch_col)
    return np.asarray(cols)[None, :] < first[:, None]


def shared_expenses(amount_by_month: np.ndarray, store_sales: np.ndarray) -> np.ndarray:
    """(store × month): shared expenses split over stores by their planned sales that month
    (equally when no store sells anything)."""
    total = store_sales.sum(axis=0)
    n = store_sales.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, store_sales / np.where(total > 0, total, 1.0), 1.0 / max(n, 1))
    return share * np.asarray(amount_by_month)[None, :]


def target_net_profit(existing: float, new_products: float, launch_budgets: float, writeoffs: float,
                      store_fees: float, expenses: float, salaries: float, bonus_at_100: float) -> float:
    """The sum of 3.2: products' profit less every cost of the business."""
    return (existing + new_products - launch_budgets - writeoffs - store_fees - expenses - salaries
            - bonus_at_100)


def store_costs(basis: Basis, d: Derived) -> np.ndarray:
    """(store × plan month) costs charged to a store: monthly fee, expenses (direct, and shared by
    planned sales), launch budgets and write-offs of its launches (in the launch month)."""
    n_s, months = len(basis.stores), list(basis.calendar.plan_months)
    fees = np.repeat(basis.store_params["monthly_fee"].to_numpy(float)[:, None] * basis.fx[:, None], 12, axis=1)
    direct, shared = expenses_by_month(basis.book, basis.stores, months)
    expenses = direct + shared_expenses(shared, d.T)
    launch = np.zeros((n_s, 12))
    lt = d.launches.table
    pos = {s: i for i, s in enumerate(basis.stores)}
    col = {m: j for j, m in enumerate(months)}
    for r in lt.itertuples(index=False):
        if r.month in col:
            launch[pos[r.store], col[r.month]] += r.launch_budget + r.writeoff
    return fees + expenses + launch

def expenses_by_month(book: SellerBook, stores: list[str], months: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Expenses per calendar month: (store × month) charged to a named store, and (month) shared."""
    direct = np.zeros((len(stores), len(months)))
    shared = np.zeros(len(months))
    ex = book.expenses if book.expenses is not None else pd.DataFrame()
    pos = {s: i for i, s in enumerate(stores)}
    for r in ex.itertuples(index=False):
        amount = float(r.monthly_amount) if r.monthly_amount is not None and not pd.isna(r.monthly_amount) else 0.0
        which = tuple(r.months) if isinstance(r.months, (tuple, list)) and len(r.months) else tuple(range(1, 13))
        for j, m in enumerate(months):
            if int(m[5:7]) in which:
                store = r.store if isinstance(r.store, str) and r.store.strip() else None
                if store is not None and store in pos:
                    direct[pos[store], j] += amount
                else:
                    shared[j] += amount
    return direct, shared

def profit_parts(basis: Basis, d: Derived, salaries: pd.DataFrame, bonus_total: float) -> dict[str, float]:
    """Target net profit and its parts (3.2), full precision, base currency, plus per-month arrays."""
    months = list(basis.calendar.plan_months)
    lt = d.launches.table
    plan_launch = lt[lt["month"].isin(months)] if len(lt) else lt
    fees = float((basis.store_params["monthly_fee"] * basis.store_params["fx"]).sum() * 12)
    direct, shared = expenses_by_month(basis.book, basis.stores, months)
    parts = {
        "existing_products": float(basis.P_store[:, basis.plan_cols].sum()),
        "new_products": float(d.new_profit.sum()),
        "launch_budgets": float(plan_launch["launch_budget"].sum()) if len(plan_launch) else 0.0,
        "writeoff": float(plan_launch["writeoff"].sum()) if len(plan_launch) else 0.0,
        "store_fees": fees,
        "expenses": float(direct.sum() + shared.sum()),
        "salaries": float(salaries["monthly_salary"].sum() * 12),
        "bonus_at_100": float(bonus_total),
    }
    parts["target_net_profit"] = target_net_profit(
        parts["existing_products"], parts["new_products"], parts["launch_budgets"], parts["writeoff"],
        parts["store_fees"], parts["expenses"], parts["salaries"], parts["bonus_at_100"])
    return parts

def monthly_profit(basis: Basis, d: Derived, cells: pd.DataFrame, parts: dict) -> np.ndarray:
    """Target net profit per plan month at full precision: the cells' profit less salaries, and the bonus
    accrued evenly over the year (it adds up to the annual figure)."""
    months = list(basis.calendar.plan_months)
    c = cells.assign(p=cells["existing_profit"] + cells["new_profit"] - cells["store_costs"])
    profit = c.groupby("month", sort=False)["p"].sum().reindex(months, fill_value=0.0).to_numpy()
    profit = profit - parts["salaries"] / 12 - parts["bonus_at_100"] / 12
    return profit
