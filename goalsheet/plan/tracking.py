"""Tracking against actuals (SPEC.md 3.9): plan, actual, variance, attainment and reforecast.

Actuals are the plan year's Sales months up to as-of (closed months).  They never change the
plan: this module only reads the plan's rounded cells and sets the actuals beside them.

Reforecast = actual for closed months; for the rest, the plan scaled by year-to-date
attainment, existing and new products separately at store × month, then summed.  New
products (sales of SKUs that are not existing products) keep their plan while their plan to
date is <= 0 or before the store's first launch.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from goalsheet.plan import breakdown as bd
from goalsheet.plan.engine import Basis, Derived


def attainment(actual: float, plan: float) -> float:
    """actual ÷ plan; a plan of 0 counts as 100 % when the actual is >= 0."""
    if plan == 0:
        return 1.0 if actual >= 0 else 0.0
    return actual / plan


def actual_by_store_month(basis: Basis) -> tuple[np.ndarray, np.ndarray]:
    """(store × plan month) actual sales in base currency: of existing SKUs, and of the others (new)."""
    months = list(basis.calendar.plan_months)
    n_s = len(basis.stores)
    existing = np.zeros((n_s, 12))
    new = np.zeros((n_s, 12))
    a = basis.book.sales
    a = a[a["month"].isin(basis.calendar.actuals)]
    if not len(a):
        return existing, new
    e = basis.econ.set_index(["store", "sku"])
    is_existing = pd.MultiIndex.from_arrays([a["store"].astype(str), a["sku"].astype(str)]).map(
        lambda k: bool(e["existing"].get(k, False)))
    fx = dict(zip(basis.stores, basis.fx))
    value = a["revenue"].to_numpy(float) * a["store"].astype(str).map(fx).fillna(0.0).to_numpy(float)
    s = a["store"].astype(str).map({x: i for i, x in enumerate(basis.stores)}).fillna(-1).astype(int).to_numpy()
    m = a["month"].map({x: j for j, x in enumerate(months)}).to_numpy(int)
    ok = s >= 0
    ex = np.asarray(is_existing, dtype=bool)
    np.add.at(existing, (s[ok & ex], m[ok & ex]), value[ok & ex])
    np.add.at(new, (s[ok & ~ex], m[ok & ~ex]), value[ok & ~ex])
    return existing, new


def reforecast(basis: Basis, d: Derived, actual_existing: np.ndarray, actual_new: np.ndarray) -> np.ndarray:
    """(store × plan month) reforecast, full precision."""
    months = list(basis.calendar.plan_months)
    closed = np.array([m in basis.calendar.actuals for m in months])
    out = np.zeros_like(d.T)
    for i in range(len(basis.stores)):
        plan_e, plan_n = d.E[i], d.new_sales[i]
        att_e = attainment(actual_existing[i, closed].sum(), plan_e[closed].sum())
        n_to_date = plan_n[closed].sum()
        att_n = attainment(actual_new[i, closed].sum(), n_to_date) if n_to_date > 0 else 1.0
        keep_new = d.before_launch[i] | (n_to_date <= 0)
        future = plan_e * att_e + np.where(keep_new, plan_n, plan_n * att_n)
        out[i] = np.where(closed, actual_existing[i] + actual_new[i], future)
    return out


def tracking_table(basis: Basis, d: Derived, cells: pd.DataFrame, monthly: pd.DataFrame, decimals: int
                   ) -> tuple[pd.DataFrame, dict]:
    """One row per month, quarter, store and operator: plan, actual (to date), variance, attainment, reforecast."""
    months = list(basis.calendar.plan_months)
    closed = np.array([m in basis.calendar.actuals for m in months])
    act_e, act_n = actual_by_store_month(basis)
    actual = act_e + act_n
    refc = reforecast(basis, d, act_e, act_n)
    # operator split of actual and reforecast by the cells' shares
    share = cells.pivot_table(index=["store", "operator"], columns="month", values="share", aggfunc="sum",
                              sort=False).reindex(columns=months).fillna(0.0)
    s_pos = {s: i for i, s in enumerate(basis.stores)}
    rows = []
    plan_sm = cells.groupby(["store", "month"], sort=False)["rounded"].sum()

    def row(level, name, plan_full, plan_to_date, act, ref):
        rows.append({"level": level, "name": name, "plan": plan_full, "plan_to_date": plan_to_date,
                     "actual": act, "variance": act - plan_to_date, "attainment": attainment(act, plan_to_date),
                     "reforecast": ref})

    plan_m = monthly["target_sales"].to_numpy(float)
    act_m = bd.round_largest_remainder(actual.sum(axis=0), decimals)
    ref_m = bd.round_largest_remainder(refc.sum(axis=0), decimals)
    for j, m in enumerate(months):
        if closed[j]:
            row("month", m, plan_m[j], plan_m[j], act_m[j], ref_m[j])
        else:
            rows.append({"level": "month", "name": m, "plan": plan_m[j], "plan_to_date": 0.0, "actual": np.nan,
                         "variance": np.nan, "attainment": np.nan, "reforecast": ref_m[j]})
    for q in sorted({bd.quarter_of(m) for m in months}):
        idx = [j for j, m in enumerate(months) if bd.quarter_of(m) == q]
        ptd = float(sum(plan_m[j] for j in idx if closed[j]))
        if closed[idx].any():
            row("quarter", q, float(plan_m[idx].sum()), ptd, float(act_m[idx].sum()), float(ref_m[idx].sum()))
        else:
            rows.append({"level": "quarter", "name": q, "plan": float(plan_m[idx].sum()), "plan_to_date": 0.0,
                         "actual": np.nan, "variance": np.nan, "attainment": np.nan,
                         "reforecast": float(ref_m[idx].sum())})
    for s in basis.stores:
        i = s_pos[s]
        p = np.array([plan_sm.get((s, m), 0.0) for m in months])
        row("store", s, float(p.sum()), float(p[closed].sum()), float(actual[i].sum()), float(refc[i].sum()))
    ops = list(pd.unique(cells["operator"]))
    plan_om = cells.groupby(["operator", "month"], sort=False)["rounded"].sum()
    for o in ops:
        p = np.array([plan_om.get((o, m), 0.0) for m in months])
        a_o = r_o = 0.0
        for (s, op), sh in share.iterrows():
            if op == o:
                a_o += float((actual[s_pos[s]] * sh.to_numpy()).sum())
                r_o += float((refc[s_pos[s]] * sh.to_numpy()).sum())
        row("operator", o, float(p.sum()), float(p[closed].sum()), a_o, r_o)
    out = pd.DataFrame(rows)
    for c in ("plan", "plan_to_date", "actual", "variance", "reforecast"):
        out[c] = out[c].astype(float).round(decimals)
    headline = {"as_of": basis.calendar.as_of, "actual_sales_ytd": float(np.round(act_m[closed].sum(), decimals)),
                "reforecast_sales": float(np.round(ref_m.sum(), decimals))}
    return out, headline


def with_actuals(monthly: pd.DataFrame, tracking: pd.DataFrame) -> pd.DataFrame:
    """The Monthly table with actual, variance, attainment and reforecast columns."""
    t = tracking[tracking["level"] == "month"].set_index("name")
    out = monthly.copy()
    out["actual_sales"] = out["month"].map(t["actual"])
    out["variance"] = out["month"].map(t["variance"])
    out["attainment"] = out["month"].map(t["attainment"])
    out["reforecast"] = out["month"].map(t["reforecast"])
    return out
