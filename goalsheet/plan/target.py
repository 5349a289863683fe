"""The target and the gap (SPEC.md 3.4), per store and plan month, in base currency.

    growth mode   T_s,m = run_rate_store × (1 + g_store)^m × S_m
    total mode    T = target_total, split over stores by their share of trailing-12-month
                  revenue, then over the months by S_m (S_m / Σ S)
    E_s,m         the existing forecast of the chosen `existing_scenario`
    G_s           max(0, Σ_m (T_s,m − E_s,m)) over the plan year;  G = Σ_s G_s
    new sales     T_s,m − E_s,m (may be negative in a month)
"""
from __future__ import annotations

import numpy as np

from goalsheet.inputs.model import Problem


def growth_target(run_rate_store: np.ndarray, g_store: np.ndarray, m: np.ndarray, S_m: np.ndarray) -> np.ndarray:
    """Mode `growth`: (store × month) = run_rate_store × (1 + g_store)^m × S_m.

    Three stores at 30 000/month, g 0.05, S flat, m = 1..12: Σ = 3 × Σ 30 000 × 1.05^m = 1 504 168.46."""
    run_rate_store = np.asarray(run_rate_store, dtype=float)
    g_store = np.asarray(g_store, dtype=float)
    return run_rate_store[:, None] * np.power(1 + g_store[:, None], np.asarray(m, float)[None, :]) \
        * np.asarray(S_m, float)[None, :]


def store_shares(trailing_revenue: np.ndarray) -> np.ndarray:
    """Each store's share of the trailing-12-month revenue (equal shares when there was none)."""
    r = np.asarray(trailing_revenue, dtype=float)
    total = r.sum()
    return r / total if total > 0 else np.full(len(r), 1 / len(r) if len(r) else 0.0)


def total_target(target_total: float, trailing_revenue: np.ndarray, S_m: np.ndarray) -> np.ndarray:
    """Mode `total`: (store × month) = target_total × store share × S_m / Σ S."""
    S_m = np.asarray(S_m, dtype=float)
    return float(target_total) * np.outer(store_shares(trailing_revenue), S_m / S_m.sum())


def store_gaps(target: np.ndarray, existing: np.ndarray) -> np.ndarray:
    """G_s = max(0, Σ_m (T_s,m − E_s,m)): one store beating its target does not hide another's gap."""
    return np.maximum(0.0, (np.asarray(target) - np.asarray(existing)).sum(axis=1))


def new_product_sales(target: np.ndarray, existing: np.ndarray) -> np.ndarray:
    """'New products' per store-month: T − E (negative where the existing products beat the target)."""
    return np.asarray(target) - np.asarray(existing)


def negative_new_sales_notes(target: np.ndarray, existing: np.ndarray, stores: list[str], months: list[str],
                             base_currency: str = "") -> list:
    """3.4: "new products" in a store-month can be negative (its existing products beat the target there),
    and the plan says so: one warning per such store, naming the months and by how much in all.

    A store with T − E = −250 in January and −100 in February: 'store T: its existing products are
    forecast above its target in 2026-01, 2026-02 (by 350.00 in all), so "new products" are negative there'."""
    out = []
    new = new_product_sales(target, existing)
    for i, store in enumerate(stores):
        below = np.flatnonzero(new[i] < -0.005)
        if not len(below):
            continue
        names = ", ".join(months[j] for j in below)
        amount = f"{-new[i, below].sum():,.2f}" + (f" {base_currency}" if base_currency else "")
        out.append(Problem("Sales", "", severity="warning", code="negative_new_sales",
                           args={"store": store, "months": names, "amount": amount}))
    return out
