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

import numpy as np


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
