"""Tracking against actuals (SPEC.md 3.8, 3.9): plan, actual, variance, attainment and reforecast.

Actuals are the plan year's Sales months up to as-of; every plan month up to as-of is closed
(a month without Sales rows counts 0).  They never change the plan: this module only reads the
plan's figures (its tables, so `--baseline` figures are tracked the same way) and sets the
actuals beside them.

Reforecast = actual for closed months; for the rest, the plan scaled by year-to-date
attainment, existing and new products separately at store × month, then summed:

    existing  E × (actual sales of the store's existing SKUs to date ÷ E to date)
    new       N × (actual sales of its other SKUs to date ÷ N to date), where N = T − E and
              "to date" counts the closed months from the store's first launch on (before it,
              new-product sales can only come from existing products, 3.4).  New products keep
              their plan N in months before the store's first launch, and while that plan to
              date is ≤ 0 (no launch month closed yet).

An operator's actual is the sales of their SKUs (SKUs `operator`, else the store's); their
reforecast is their actual for closed months plus their share (3.7) of each store-month's
reforecast after.  The bonus actuals (`bonus_actuals`) follow the same scope: an operator's
actual net profit = their SKUs' actual units × plan net profit per unit, less their share of
the store's costs and their salary, as planned (3.8: actual profit = actual units × plan unit
economics).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from goalsheet.plan import breakdown as bd
from goalsheet.inputs.model import Problem
from goalsheet.plan import bonus as bn
from goalsheet.plan.baseline import BONUS_TRACKING_COLUMNS
from goalsheet.plan.basis import Basis, Derived
from goalsheet.plan.calendar import month_index, month_name
from goalsheet.plan.launches import UNASSIGNED
from goalsheet.plan.result import Plan

TRACKING_COLUMNS = ["level", "name", "plan", "plan_to_date", "actual", "variance", "attainment", "reforecast"]


def attainment(actual: float, plan: float) -> float:
    """actual ÷ plan; a plan of 0 counts as 100 % when the actual is >= 0."""
    if plan == 0:
        return 1.0 if actual >= 0 else 0.0
    return actual / plan


def closed_months(basis: Basis) -> np.ndarray:
    """(plan month) True for the months up to as-of."""
    as_of = basis.calendar.as_of
    return np.array([as_of is not None and m <= as_of for m in basis.calendar.plan_months])


def actual_rows(basis: Basis) -> pd.DataFrame:
    """The Sales rows of closed plan months with their store/month positions, operator, existing flag and
    sales (revenue × FX) and net profit (units × plan unit_net) in base currency."""
    months = list(basis.calendar.plan_months)
    closed = set(np.array(months)[closed_months(basis)])
    a = basis.book.sales
    a = a[a["month"].isin(closed)]
    e = basis.econ
    keys = pd.MultiIndex.from_arrays([e["store"].astype(str), e["sku"].astype(str)])
    info = pd.DataFrame({"operator": e["operator"].to_numpy(), "existing": e["existing"].to_numpy(bool),
                         "unit_net_base": e["unit_net_base"].to_numpy(float)}, index=keys)
    info = info[~info.index.duplicated()]
    where = pd.MultiIndex.from_arrays([a["store"].astype(str), a["sku"].astype(str)])
    found = info.reindex(where)
    store_op = {s: (basis.operators.get(s) or [UNASSIGNED])[0] for s in basis.stores}
    fx = dict(zip(basis.stores, basis.fx))
    out = pd.DataFrame({
        "month": a["month"].to_numpy(), "store": a["store"].astype(str).to_numpy(),
        "sku": a["sku"].astype(str).to_numpy(),
        "units": a["units"].to_numpy(float),
        "sales": a["revenue"].to_numpy(float) * a["store"].astype(str).map(fx).fillna(0.0).to_numpy(float),
    })
    out["operator"] = [o if isinstance(o, str) else store_op.get(s, UNASSIGNED)
                       for o, s in zip(found["operator"].to_numpy(object), out["store"])]
    out["existing"] = found["existing"].fillna(False).to_numpy(bool)
    out["net_profit"] = out["units"] * found["unit_net_base"].fillna(0.0).to_numpy(float)
    out["s"] = out["store"].map({x: i for i, x in enumerate(basis.stores)}).fillna(-1).astype(int)
    out["m"] = out["month"].map({x: j for j, x in enumerate(months)}).astype(int)
    return out


def actual_by_store_month(basis: Basis) -> tuple[np.ndarray, np.ndarray]:
    """(store × plan month) actual sales in base currency: of existing SKUs, and of the others (new)."""
    n_s = len(basis.stores)
    existing, new = np.zeros((n_s, 12)), np.zeros((n_s, 12))
    a = actual_rows(basis)
    a = a[a["s"] >= 0]
    ex = a["existing"].to_numpy(bool)
    s, m, v = a["s"].to_numpy(int), a["m"].to_numpy(int), a["sales"].to_numpy(float)
    np.add.at(existing, (s[ex], m[ex]), v[ex])
    np.add.at(new, (s[~ex], m[~ex]), v[~ex])
    return existing, new


def reforecast(basis: Basis, d: Derived, actual_existing: np.ndarray, actual_new: np.ndarray) -> np.ndarray:
    """(store × plan month) reforecast at full precision (the rule in the module docstring)."""
    closed = closed_months(basis)
    out = np.zeros_like(d.T)
    for i in range(len(basis.stores)):
        plan_e, plan_n = d.E[i], d.new_sales[i]
        after_launch = ~d.before_launch[i]
        att_e = attainment(actual_existing[i, closed].sum(), plan_e[closed].sum())
        n_to_date = plan_n[closed & after_launch].sum()
        keep_new = d.before_launch[i] | (n_to_date <= 0)
        att_n = attainment(actual_new[i, closed].sum(), n_to_date) if n_to_date > 0 else 1.0
        future = plan_e * att_e + np.where(keep_new, plan_n, plan_n * att_n)
        out[i] = np.where(closed, actual_existing[i] + actual_new[i], future)
    return out


def tracking_table(basis: Basis, d: Derived, cells: pd.DataFrame, tables: dict, decimals: int
                   ) -> tuple[pd.DataFrame, dict]:
    """One row for the year, then one per month, quarter, store and operator: plan (the whole period), plan
    to date (its closed months), actual (to date), variance, attainment (actual ÷ plan to date) and reforecast.

    Plan figures come from the plan's tables (Monthly target_sales, Stores and Operators m01..m12), so a
    baseline's figures are tracked the same way."""
    months = list(basis.calendar.plan_months)
    closed = closed_months(basis)
    act_e, act_n = actual_by_store_month(basis)
    actual_sm = act_e + act_n
    refc_sm = reforecast(basis, d, act_e, act_n)
    act_m = bd.round_largest_remainder(actual_sm.sum(axis=0), decimals)
    ref_m = bd.round_largest_remainder(refc_sm.sum(axis=0), decimals)
    act_total, ref_total = float(np.round(act_m.sum(), decimals)), float(np.round(ref_m.sum(), decimals))
    plan_m = tables["monthly"]["target_sales"].to_numpy(float)
    rows: list[dict] = []

    def row(level: str, name: str, plan: np.ndarray, actual: float, ref: float, any_closed: bool) -> None:
        plan_full, to_date = float(np.sum(plan)), float(np.sum(plan[closed]))
        if not any_closed:
            rows.append({"level": level, "name": name, "plan": plan_full, "plan_to_date": math.nan, "actual": math.nan,
                         "variance": math.nan, "attainment": math.nan, "reforecast": ref})
            return
        rows.append({"level": level, "name": name, "plan": plan_full, "plan_to_date": to_date, "actual": actual,
                     "variance": actual - to_date, "attainment": attainment(actual, to_date), "reforecast": ref})

    row("year", str(basis.calendar.plan_year), plan_m, act_total, ref_total, bool(closed.any()))
    for j, m in enumerate(months):
        mask = np.arange(12) == j
        row("month", m, np.where(mask, plan_m, 0.0), float(act_m[j]), float(ref_m[j]), bool(closed[j]))
    for q in sorted({bd.quarter_of(m) for m in months}):
        mask = np.array([bd.quarter_of(m) == q for m in months])
        row("quarter", q, np.where(mask, plan_m, 0.0), float(act_m[mask & closed].sum()), float(ref_m[mask].sum()),
            bool((mask & closed).any()))

    month_cols = [f"m{i:02d}" for i in range(1, 13)]
    # stores: actual and reforecast rounded by largest remainder against the company totals
    act_s = bd.round_largest_remainder(actual_sm.sum(axis=1), decimals, total=act_total)
    ref_s = bd.round_largest_remainder(refc_sm.sum(axis=1), decimals, total=ref_total)
    wide = tables["stores"].set_index("store")
    for i, s in enumerate(basis.stores):
        plan = wide.loc[s, month_cols].to_numpy(float) if s in wide.index else np.zeros(12)
        row("store", s, plan, float(act_s[i]), float(ref_s[i]), bool(closed.any()))
    ops, act_o, ref_o = operator_actuals(basis, cells, refc_sm)
    act_o = bd.round_largest_remainder(act_o, decimals, total=act_total) if len(ops) else act_o
    ref_o = bd.round_largest_remainder(ref_o, decimals, total=ref_total) if len(ops) else ref_o
    wide = tables["operators"].set_index("operator")
    for k, o in enumerate(ops):
        plan = wide.loc[o, month_cols].to_numpy(float) if o in wide.index else np.zeros(12)
        row("operator", o, plan, float(act_o[k]), float(ref_o[k]), bool(closed.any()))
    out = pd.DataFrame(rows, columns=TRACKING_COLUMNS)
    for c in ("plan", "plan_to_date", "actual", "variance", "reforecast"):
        out[c] = out[c].astype(float).round(decimals)
    plan_ytd = float(np.round(plan_m[closed].sum(), decimals))
    headline = {"as_of": basis.calendar.as_of, "plan_sales_ytd": plan_ytd, "actual_sales_ytd": act_total,
                "attainment_ytd": attainment(act_total, plan_ytd), "reforecast_sales": ref_total}
    return out, headline


def operator_actuals(basis: Basis, cells: pd.DataFrame, refc_sm: np.ndarray
                     ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Operators (in the Operators table's order), their actual sales to date (their SKUs') and their
    reforecast for the year (actual for closed months, then their share of each store-month's reforecast)."""
    months = list(basis.calendar.plan_months)
    closed = closed_months(basis)
    ops = list(pd.unique(cells["operator"]))
    a = actual_rows(basis)
    for o in pd.unique(a["operator"]):
        if o not in ops:
            ops.append(o)
    pos = {o: k for k, o in enumerate(ops)}
    actual = np.zeros(len(ops))
    np.add.at(actual, a["operator"].map(pos).to_numpy(int), a["sales"].to_numpy(float))
    future = np.zeros(len(ops))
    s_pos = {s: i for i, s in enumerate(basis.stores)}
    m_pos = {m: j for j, m in enumerate(months)}
    c = cells[~cells["month"].map(lambda m: bool(closed[m_pos[m]]))]
    if len(c):
        i = c["store"].map(s_pos).to_numpy(int)
        j = c["month"].map(m_pos).to_numpy(int)
        np.add.at(future, c["operator"].map(pos).to_numpy(int), refc_sm[i, j] * c["share"].to_numpy(float))
    return ops, actual, actual + future


def with_actuals(monthly: pd.DataFrame, tracking: pd.DataFrame) -> pd.DataFrame:
    """The Monthly table with actual, variance, attainment and reforecast columns."""
    t = tracking[tracking["level"] == "month"].set_index("name")
    out = monthly.copy()
    out["actual_sales"] = out["month"].map(t["actual"])
    out["variance"] = out["month"].map(t["variance"])
    out["attainment"] = out["month"].map(t["attainment"])
    out["reforecast"] = out["month"].map(t["reforecast"])
    return out


# --------------------------------------------------------------------------------------------
# the bonus with actuals (3.8)

def bonus_actuals(basis: Basis, cells: pd.DataFrame, salaries: pd.DataFrame) -> pd.DataFrame:
    """operator, month, sales, net_profit, launches for each closed month (the scope of `bonus_targets`):
    sales of their SKUs; net profit = their SKUs' units × plan unit_net, less their planned share of the
    store's costs and their salary; launches = their new SKUs whose first sale falls in that month."""
    months = list(basis.calendar.plan_months)
    closed = [m for m, c in zip(months, closed_months(basis)) if c]
    ops = list(dict.fromkeys(list(salaries["operator"]) + list(pd.unique(cells["operator"]))))
    a = actual_rows(basis)
    for o in pd.unique(a["operator"]):
        if o not in ops:
            ops.append(o)
    idx = pd.MultiIndex.from_product([ops, closed], names=["operator", "month"])
    g = a.groupby(["operator", "month"])[["sales", "net_profit"]].sum().reindex(idx).fillna(0.0)
    costs = cells.groupby(["operator", "month"])["store_costs"].sum().reindex(idx).fillna(0.0)
    pay = dict(zip(salaries["operator"], salaries["monthly_salary"]))
    out = g.reset_index()
    out["net_profit"] = out["net_profit"] - costs.to_numpy(float) - out["operator"].map(pay).fillna(0.0)
    launched = new_launches(basis)
    counts = launched.groupby(["operator", "month"]).size() if len(launched) else pd.Series(dtype=float)
    out["launches"] = [float(counts.get((o, m), 0)) for o, m in zip(out["operator"], out["month"])]
    return out


def new_launches(basis: Basis) -> pd.DataFrame:
    """The new SKUs launched in the plan year up to as-of: store, sku, operator, month (first sale),
    success (3.8: reached the store's new_monthly_units in a month within new_ramp_months + 1 of its first
    sale, among the closed months) and decided (that window has closed)."""
    as_of = basis.calendar.as_of
    cols = ["store", "sku", "operator", "month", "success", "decided"]
    if as_of is None:
        return pd.DataFrame(columns=cols)
    s = basis.book.sales
    s = s[(s["month"] <= as_of) & (s["units"].to_numpy(float) > 0)]
    # the first month per SKU as the minimum of the months' sorted codes: an integer group minimum, which pandas
    # computes in compiled code whatever the text type (over Arrow strings a text minimum runs per group in Python)
    codes, months = pd.factorize(s["month"], sort=True)
    first = s[["store", "sku"]].assign(code=codes).groupby(["store", "sku"])["code"].min()
    first = pd.Series(np.asarray(months, dtype=object)[first.to_numpy()], index=first.index, name="month")
    start = f"{basis.calendar.plan_year}-01"
    first = first[first >= start]
    if not len(first):
        return pd.DataFrame(columns=cols)
    e = basis.econ
    op = dict(zip(zip(e["store"].astype(str), e["sku"].astype(str)), e["operator"]))
    target_units = dict(zip(basis.new_products["store"], basis.new_products["monthly_units"].astype(float)))
    ramp = basis.settings.new_ramp_months
    units = s.groupby(["store", "sku", "month"])["units"].sum()
    rows = []
    for (store, sku), month in first.items():
        window = [month_name(month_index(month) + k) for k in range(ramp + 1)]
        best = max(float(units.get((store, sku, m), 0.0)) for m in window)
        need = target_units.get(store, math.inf)
        rows.append({"store": store, "sku": sku,
                     "operator": op.get((str(store), str(sku))) or (basis.operators.get(store) or [UNASSIGNED])[0],
                     "month": month, "success": bool(best >= need), "decided": window[-1] <= as_of})
    return pd.DataFrame(rows, columns=cols)


def successful_launches(basis: Basis) -> pd.DataFrame:
    """operator, month (launch month), count: the successful new SKUs (for bonus.earned_bonus)."""
    launched = new_launches(basis)
    won = launched[launched["success"].astype(bool)] if len(launched) else launched
    if not len(won):
        return pd.DataFrame(columns=["operator", "month", "count"])
    return won.groupby(["operator", "month"], sort=False).size().rename("count").reset_index()


def track_actuals(plan: Plan, basis: Basis, d: Derived, cells: pd.DataFrame, salaries: pd.DataFrame,
                  targets: pd.DataFrame, decimals: int, scheme: bn.BonusScheme, team: pd.DataFrame
                  ) -> tuple[list[Problem], dict[str, Any]]:
    """With actuals (3.8, 3.9): the Tracking table, the Monthly table's actual columns, the Bonus table's
    attainment to date, earned, paid and true-up; returns the problems met and the headline figures of the
    year so far (`Headline`'s actuals fields)."""
    tables, problems = plan.tables, []
    tables["tracking"], head = tracking_table(basis, d, cells, tables, decimals)
    tables["monthly"] = with_actuals(tables["monthly"], tables["tracking"])
    missing = [m for m in basis.calendar.plan_months
               if m <= basis.calendar.as_of and m not in basis.calendar.actuals]
    if missing:
        problems.append(Problem("Sales", "", severity="warning", code="actuals_missing",
                                args={"months": ", ".join(missing), "as_of": basis.calendar.as_of}))
    actuals = bonus_actuals(basis, cells, salaries)
    earned = bn.earned_bonus(scheme, team, targets, actuals, basis.calendar.as_of,
                             new_success_rate=basis.settings.new_success_rate,
                             target_net_profit=float(targets["net_profit"].sum()),
                             successful_launches=successful_launches(basis),
                             new_ramp_months=basis.settings.new_ramp_months,
                             plan_year=basis.calendar.plan_year, decimals=decimals)
    tables["bonus"] = bonus_with_actuals(tables["bonus"], earned)
    totals = earned[earned["kind"] == "total"]
    for key, col in (("bonus_earned", "earned"), ("bonus_paid", "paid"), ("bonus_forecast", "forecast"),
                     ("bonus_true_up", "true_up")):
        head[key] = bd.round_one(float(totals[col].sum()), decimals)
    return problems, head

def bonus_with_actuals(plan_table: pd.DataFrame, earned: pd.DataFrame) -> pd.DataFrame:
    """The plan's Bonus rows (their plan columns untouched) with the tracking columns of `earned` beside them;
    launch-bonus rows the plan did not have (an unplanned successful launch) join their operator's rows."""
    keys = ["operator", "period", "kind", "metric"]
    track = earned.rename(columns={"actual_to_date": "actual"})
    keep = keys + [c for c in BONUS_TRACKING_COLUMNS if c in track.columns]
    track = track[keep]
    if plan_table is None or not len(plan_table):
        return track
    plan_table = plan_table.copy()
    plan_table["metric"] = plan_table["metric"].fillna("")
    track = track.assign(metric=track["metric"].fillna(""))
    merged = track.merge(plan_table, on=keys, how="left", suffixes=("", "_plan"), indicator="_in_plan")
    unplanned = merged["_in_plan"].eq("left_only")
    for c in [c for c in plan_table.columns if c not in keys and c != "target"]:
        if c in merged and merged[c].dtype.kind == "f":
            merged.loc[unplanned, c] = 0.0          # the plan budgeted nothing for it
    merged = merged.drop(columns="_in_plan")
    # any plan row earned_bonus does not know (a custom table) stays, in plan order
    seen = set(map(tuple, merged[keys].astype(str).to_numpy()))
    rest = plan_table[[tuple(map(str, k)) not in seen for k in plan_table[keys].to_numpy()]]
    out = pd.concat([merged, rest], ignore_index=True) if len(rest) else merged
    return out[list(plan_table.columns) + [c for c in keep if c not in keys]]
