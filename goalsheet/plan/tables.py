"""The plan's sheet tables (SPEC section 4): Monthly, Stores, Coverage, Operators, Products, Profit, Launches, Bonus."""
from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np
import pandas as pd

from goalsheet.plan import breakdown as bd
from goalsheet.plan.basis import Basis, Derived, half_minor_unit
from goalsheet.plan.cells import cell_profit
from goalsheet.plan.unit_economics import MONEY_TERMS


def monthly_table(basis: Basis, d: Derived, cells: pd.DataFrame, sums: dict, ex_sums: dict, parts: dict,
                  decimals: int) -> pd.DataFrame:
    months = list(basis.calendar.plan_months)
    target = sums["month"].set_index("month")["value"].reindex(months, fill_value=0.0).to_numpy()
    existing = ex_sums["month"].set_index("month")["value"].reindex(months, fill_value=0.0).to_numpy()
    by_m = cells.groupby("month", sort=False)
    units = (by_m["existing_units"].sum() + by_m["new_units"].sum()).reindex(months, fill_value=0.0).to_numpy()
    ads = (by_m["existing_ads"].sum() + by_m["new_ads"].sum()).reindex(months, fill_value=0.0).to_numpy()
    profit = monthly_profit(basis, d, cells, parts)
    lt = d.launches.table
    launches = [int((lt["month"] == m).sum()) if len(lt) else 0 for m in months]
    new_sales = np.round(target - existing, decimals)
    before = new_before_launches(d, new_sales, decimals)
    return pd.DataFrame({
        "month": months,
        "target_sales": target,
        "existing_sales": existing,
        "new_sales": new_sales,
        "new_before_launches": before,
        "new_from_launches": np.round(new_sales - before, decimals),
        "units": bd.round_largest_remainder(units, 0),
        "target_net_profit": bd.round_largest_remainder(profit, decimals, total=bd.round_one(parts["target_net_profit"],
                                                                                        decimals)),
        "ad_budget": bd.round_largest_remainder(ads, decimals),
        "launches": launches,
    })


def new_before_launches(d: Derived, new_sales: np.ndarray, decimals: int) -> np.ndarray:
    """The part of each month's new-product sales (target − existing, as shown) sold before the store's first
    launch (3.4: growth of the existing range), rounded by largest remainder; a month wholly before every store's
    first launch keeps all of it, a month wholly after keeps none, so no month shows a cent from launches it
    does not have."""
    if not d.new_sales.shape[0]:
        return np.zeros(len(new_sales))
    exact_before = (d.new_sales * d.before_launch).sum(axis=0)
    exact_after = (d.new_sales * ~d.before_launch).sum(axis=0)
    before = np.asarray(bd.round_largest_remainder(exact_before, decimals), float)
    before = np.where(~d.before_launch.any(axis=0), 0.0, before)
    return np.where((exact_after == 0) & d.before_launch.all(axis=0), new_sales, before)


def monthly_profit(basis: Basis, d: Derived, cells: pd.DataFrame, parts: dict) -> np.ndarray:
    """Target net profit per plan month at full precision: the cells' profit less salaries, and the bonus
    accrued evenly over the year (it adds up to the annual figure)."""
    months = list(basis.calendar.plan_months)
    profit = cell_profit(cells).groupby(cells["month"], sort=False).sum().reindex(months, fill_value=0.0).to_numpy()
    profit = profit - parts["salaries"] / 12 - parts["bonus_at_100"] / 12
    return profit



def store_operator_tables(basis: Basis, cells: pd.DataFrame, sums: dict, parts: dict, decimals: int,
                          salaries: pd.DataFrame, bonus_table: pd.DataFrame | None
                          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stores and Operators: target sales by month (sums of rounded cells), total, net profit.

    A store's net profit: its cells' profit less its operators' salaries and bonuses, shared over their
    stores by their annual target there.  An operator's: their cells' profit (their share of the store's
    costs included) less their salary and bonus.  Both add up to the target net profit."""
    months = list(basis.calendar.plan_months)
    tnp = bd.round_one(parts["target_net_profit"], decimals)
    bonus_of = _operator_bonus(bonus_table)
    c = cells.assign(p=cell_profit(cells))
    op_profit_cells = c.groupby("operator", sort=False)["p"].sum()
    ops = list(salaries["operator"])
    pay = dict(zip(salaries["operator"], salaries["monthly_salary"] * 12))
    op_profit_of = dict(zip(op_profit_cells.index, op_profit_cells.to_numpy()))     # looked up per operator
    op_profit = np.array([op_profit_of.get(o, 0.0) - pay.get(o, 0.0) - bonus_of.get(o, 0.0) for o in ops])
    # store: allocate each operator's salary and bonus over the stores by their target there
    op_store = c.groupby(["operator", "store"], sort=False)["value"].sum()
    op_store = dict(zip(op_store.index, op_store.to_numpy()))                          # (operator, store) -> sum
    store_profit = c.groupby("store", sort=False)["p"].sum().reindex(basis.stores, fill_value=0.0).to_numpy(float)
    store_T = c.groupby("store", sort=False)["value"].sum().reindex(basis.stores, fill_value=0.0).to_numpy(float)
    for o in ops:
        cost = pay.get(o, 0.0) + bonus_of.get(o, 0.0)
        w = np.array([op_store.get((o, s), 0.0) for s in basis.stores], dtype=float)
        if w.sum() <= 0:
            w = store_T.copy() if store_T.sum() > 0 else np.ones(len(basis.stores))
        if w.sum() > 0:
            store_profit = store_profit - cost * w / w.sum()

    def wide(level: str, names: list[str], profit: np.ndarray) -> pd.DataFrame:
        sm = sums[f"{level}_month"].pivot(index=level, columns="month", values="value")
        sm = sm.reindex(index=names, columns=months).fillna(0.0)
        columns: dict[str, Any] = {level: names}
        for i, m in enumerate(months, start=1):
            columns[f"m{i:02d}"] = sm[m].to_numpy()
        columns["total"] = sums[level].set_index(level)["value"].reindex(names, fill_value=0.0).to_numpy()
        columns["net_profit"] = bd.round_largest_remainder(profit, decimals, total=tnp) if len(names) else []
        return pd.DataFrame(columns)

    return wide("store", basis.stores, store_profit), wide("operator", ops, op_profit)


def _operator_bonus(bonus_table: pd.DataFrame | None) -> dict[str, float]:
    if bonus_table is None or not len(bonus_table):
        return {}
    col = "bonus_at_100" if "bonus_at_100" in bonus_table else "bonus_100"
    rows = bonus_table[bonus_table["kind"] != "total"] if "kind" in bonus_table else bonus_table
    return rows.groupby("operator")[col].sum().to_dict()


def products_table(basis: Basis, decimals: int) -> pd.DataFrame:
    """Per existing SKU: history, trend class, growth, stable and growth forecasts, units, unit economics, flags."""
    e = basis.econ
    ex = e["existing"].to_numpy(bool)
    pc = basis.plan_cols
    fx = e["fx"].to_numpy(float)
    stable = basis.existing.stable_sales[:, pc].sum(axis=1) * fx
    growth = basis.existing.growth_sales[:, pc].sum(axis=1) * fx
    units = basis.E_units_sku[:, pc].sum(axis=1)
    hist = e["sales_12m"].to_numpy(float) * fx
    out = pd.DataFrame({
        "store": e["store"], "sku": e["sku"], "name": e.get("name"), "operator": e["operator"],
        "trend": e["trend"], "trend_ratio": e["trend_ratio"], "g": e["g"], "g_source": e["g_source"],
        "run_rate": e["run_rate"], "run_rate_units": e["run_rate_units"], "months_sold": e["months_sold"],
        "history_sales": hist, "stable_forecast": stable, "growth_forecast": growth,
        "forecast_units": units, "unit_net_base": e["unit_net_base"], "net_margin": e["net_margin"],
        "flags": flag_texts(e["loss_making"].tolist(), e["low_margin"].tolist(), e["ads_heavy"].tolist()),
    })[ex].reset_index(drop=True)
    for c in ("history_sales", "stable_forecast", "growth_forecast"):
        out[c] = bd.round_largest_remainder(out[c].to_numpy(float), decimals) if len(out) else out[c]
    out["forecast_units"] = bd.round_largest_remainder(out["forecast_units"].to_numpy(float), 0) \
        if len(out) else out["forecast_units"]
    return out

_Flags = namedtuple("_Flags", ["loss_making", "low_margin", "ads_heavy"])


def flag_texts(loss_making: list, low_margin: list, ads_heavy: list) -> list[str]:
    """`flag_text` of each row, worked out once per distinct combination of the three flags."""
    memo: dict = {}
    out = []
    for key in zip(loss_making, low_margin, ads_heavy):
        text = memo.get(key)
        if text is None:
            text = memo[key] = flag_text(_Flags(*key))
        out.append(text)
    return out


def flag_text(r) -> str:
    flags = []
    if r.loss_making:
        flags.append("loss-making")
    elif r.low_margin:
        flags.append("margin under 10%")
    if r.ads_heavy:
        flags.append("ads heavy")
    return ", ".join(flags)


def profit_table(basis: Basis) -> pd.DataFrame:
    """Per SKU, every term of 3.2 in store and base currency (per-unit figures: display only)."""
    e = basis.econ
    cols = ["store", "sku", "currency", "fx", *MONEY_TERMS, *(f"{t}_base" for t in MONEY_TERMS), "net_margin",
            "vat_rate", "referral_rate", "duty_rate", "dst_rate", "ad_rate", "ad_rate_given", "promo_rate",
            "return_rate", "return_cost_given", "customs_value", "loss_making", "low_margin", "ads_heavy",
            "existing"]
    return e[[c for c in cols if c in e]].reset_index(drop=True)


def launches_table(d: Derived, decimals: int) -> pd.DataFrame:
    lt = d.launches.table
    out = pd.DataFrame({
        "launch_month": lt["month"], "store": lt["store"], "operator": lt["operator"],
        "source": np.where(lt["planned"].to_numpy(bool), "planned", "added") if len(lt) else [],
        "count": 1, "price": lt["price"], "monthly_units": lt["monthly_units"], "unit_cost": lt["unit_cost"],
        "first_order_units": lt["first_order_units"],
    })
    if len(lt):
        out["contribution"] = bd.round_largest_remainder(lt["contribution"].to_numpy(float), decimals)
        out["first_order_cost"] = bd.round_largest_remainder(lt["first_order_cost"].to_numpy(float), decimals)
        out["launch_budget"] = bd.round_largest_remainder(lt["launch_budget"].to_numpy(float), decimals)
        out["writeoff"] = bd.round_largest_remainder(lt["writeoff"].to_numpy(float), decimals)
        out["capital"] = np.round(out["first_order_cost"] + out["launch_budget"], decimals)
    else:
        for c in ("contribution", "first_order_cost", "launch_budget", "writeoff", "capital"):
            out[c] = []
    return out


def bonus_plan_table(table: pd.DataFrame) -> pd.DataFrame:
    """bonus.py's plan with its `bonus_at_<pct>` columns named `bonus_<pct>`, the Bonus table's names."""
    return table.rename(columns={c: "bonus_" + str(c)[len("bonus_at_"):] for c in table.columns
                                 if str(c).startswith("bonus_at_")})


def empty_bonus() -> pd.DataFrame:
    return pd.DataFrame(columns=["operator", "period", "kind", "metric", "target", "share", "bonus_80", "bonus_100",
                                 "bonus_120"])


def store_gaps(d: Derived, currency: str) -> np.ndarray:
    """Each store's gap, rounded: G_s = max(0, T_s − E_s) at full precision (d.gaps), rounded by largest remainder
    so that the stores add up to the headline G = Σ G_s rounded once (3.4, 3.7): a store whose target equals its
    existing forecast has no gap, whatever cents the rounding of its target and existing cells put elsewhere; a
    gap below half a cent counts as covered (3.5) and shows as 0."""
    exact_gap = np.where(d.gaps >= half_minor_unit(currency), d.gaps, 0.0)
    decimals = bd.minor_unit_decimals(currency)
    return bd.round_largest_remainder(exact_gap, decimals) if len(exact_gap) else np.zeros(0)


def in_plan_year(basis: Basis, d: Derived) -> np.ndarray:
    """Which of d's launches are in a plan month (bridge-month launches are not counted as needed)."""
    lt = d.launches.table
    return lt["month"].isin(list(basis.calendar.plan_months)).to_numpy() if len(lt) else np.zeros(0, bool)


def store_totals(basis: Basis, cells: pd.DataFrame, sums: dict, ex_sums: dict, decimals: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Each store's target (the sum of its rounded cells) and existing forecast for the year: its full-precision
    sum rounded once over the stores against the rounded company total (not the sum of the month cells, whose
    cents fall elsewhere), so that it, the store's target and its gap reconcile on the Stores sheet."""
    store_T = sums["store"].set_index("store")["value"].reindex(basis.stores, fill_value=0.0).to_numpy(float)
    store_E_exact = cells.groupby("store", sort=False)["existing"].sum().reindex(basis.stores, fill_value=0.0)
    store_E = bd.round_largest_remainder(store_E_exact.to_numpy(float), decimals, total=ex_sums["company"]) \
        if len(basis.stores) else np.zeros(0)
    return store_T, np.asarray(store_E, float)


def coverage_table(basis: Basis, d: Derived, store_T: np.ndarray, store_E: np.ndarray, store_gap: np.ndarray,
                   launches: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """Gap → launches, store by store (3.5), in the figures as shown: target, existing, gap (G_s rounded, as
    `store_gaps`), the launches in the plan year, their contribution (the sum of the Launches sheet's rounded
    contributions of the store), the part of the gap they cover, what they add beyond it, and the part short.

    gap = covered + short and contribution = covered + over_covered, to the cent.  A store is short only where the
    plan found it short (3.5: an uncovered gap below half a cent counts as covered); its shortfall is then the gap
    as shown less the contributions as shown, so the page adds up as the seller reads it."""
    contribution = launches.groupby("store", sort=False)["contribution"].sum().reindex(basis.stores, fill_value=0.0)
    contribution = np.round(contribution.to_numpy(float), decimals)
    lt = d.launches.table
    planned = in_plan_year(basis, d)
    count = [int(((lt["store"] == s) & planned).sum()) if len(lt) else 0 for s in basis.stores]
    short = np.where(d.launches.shortfall > 0, np.maximum(0.0, np.round(store_gap - contribution, decimals)), 0.0)
    covered = np.round(store_gap - short, decimals)
    return pd.DataFrame({
        "store": basis.stores, "target_sales": store_T, "existing_sales": store_E, "gap": store_gap,
        "launches": count, "contribution": contribution, "covered": covered,
        "over_covered": np.maximum(0.0, np.round(contribution - covered, decimals)), "shortfall": short,
    })


def with_store_columns(stores: pd.DataFrame, coverage: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """The Stores table's existing and new products, gap, launches and shortfall beside its targets (from the
    coverage table, so the two sheets agree)."""
    stores["existing_sales"] = coverage["existing_sales"].to_numpy()
    stores["new_sales"] = np.round(coverage["target_sales"].to_numpy() - coverage["existing_sales"].to_numpy(),
                                   decimals)
    stores["gap"] = coverage["gap"].to_numpy()
    stores["launches"] = coverage["launches"].to_numpy()
    stores["shortfall"] = coverage["shortfall"].to_numpy()
    return stores
