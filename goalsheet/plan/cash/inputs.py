"""The plan's cash inputs (SPEC 3.6): the plan (unit economics, existing forecast, targets, launches, fixed costs,
bonus payments) as per-unit cash flows, and `CashSearch`, which makes every cash plan the planner uses (the plan's
own and the fundable-target search's) from the cash engine's stages and sums per store-month."""
from __future__ import annotations

import numpy as np
import pandas as pd

from goalsheet.plan import bonus as bn
from goalsheet.plan import launches as nl
from goalsheet.plan import unit_economics as ue
from goalsheet.plan.basis import Basis, Derived
from goalsheet.plan.cash import flows, stock
from goalsheet.plan.profit import expenses_by_month


LINES = ["existing", "new"]

HISTORY_MONTHS_FOR_RECEIVABLES = 5   # payout_delay_days is at most 120 days (schema)


def per_unit_cash(econ: pd.DataFrame) -> pd.DataFrame:
    """Per unit, base currency: payout, refund, ads, cogs, freight, duty, other cost, return rate, and the
    sell price (what a buyer pays: the sales the cash table follows)."""
    f = lambda c: econ[c].to_numpy(dtype=float)        # noqa: E731
    fx = f("fx")
    fee = ue.admin_fee(f("referral"), f("admin_fee_cap"))
    return pd.DataFrame({
        "sales_per_unit": f("sell_price") * fx,
        "payout_per_unit": ue.payout_per_unit(f("net_price"), f("referral"), f("fba_fee"), f("storage_fee"),
                                              f("placement_fee"), f("dst"), f("payout_fee")) * fx,
        "refund_per_unit": ue.refund_per_unit(f("return_rate"), f("net_price"), f("referral"), fee) * fx,
        "ads_per_unit": f("ads") * fx,
        "cogs_per_unit": f("cogs"),
        "freight_per_unit": f("freight"),
        "duty_per_unit": f("duty") * fx,
        "other_cost_per_unit": f("other_cost") * fx,
        "return_rate": f("return_rate"),
    }, index=econ.index)


def existing_per_unit_cash(econ: pd.DataFrame) -> pd.DataFrame:
    """`per_unit_cash` of existing SKUs, their sales per unit the forecast's own: run-rate revenue / run-rate
    units (the sales and units forecasts share S and g, so this holds in every month), so that the cash
    table's sales are the existing forecast E itself, whatever price the history was sold at."""
    cash = per_unit_cash(econ)
    rr, rr_units = econ["run_rate"].to_numpy(float), econ["run_rate_units"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cash["sales_per_unit"] = np.where(rr_units > 0, rr / np.where(rr_units > 0, rr_units, 1.0)
                                          * econ["fx"].to_numpy(float), cash["sales_per_unit"].to_numpy(float))
    return cash


def launch_bonus_payments(basis: Basis, d: Derived, launch_bonus: float) -> pd.DataFrame:
    """The launch bonuses of the launches of `d` (3.8): launch_bonus × new_success_rate per launch in a plan
    month, paid the month after launch month + new_ramp_months (BONUS_COLUMNS, one row per month paid).  The
    fundable-target search re-derives them with the launches of each k·T (3.6)."""
    if not launch_bonus or not d.launches.count:
        return pd.DataFrame({"month": pd.Series([], dtype=object), "amount": pd.Series([], dtype=float)})
    per_launch = float(launch_bonus) * basis.settings.new_success_rate
    ramp = basis.settings.new_ramp_months
    plan_months = set(basis.calendar.plan_months)
    paid = [bn.payment_month_of_launch(m, ramp) for m in d.launches.column("month") if m in plan_months]
    months, counts = np.unique(np.array(paid, dtype=object), return_counts=True) if paid else ([], [])
    return pd.DataFrame({"month": list(months), "amount": [per_launch * c for c in counts]})


def existing_scale(basis: Basis, d: Derived) -> np.ndarray:
    """(store × table month) the factor on the existing forecast's units: in plan months before the store's
    first launch its new-product sales come from its existing SKUs too (scaled by T / E, 3.4), else 1."""
    scale = np.ones((len(basis.stores), len(basis.months)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(d.E > 0, d.T / np.where(d.E > 0, d.E, 1.0), 1.0)
    scale[:, basis.plan_cols] = np.where(d.before_launch & (d.E > 0), ratio, 1.0)
    return scale

SALE_FLOWS = ("sales_per_unit", "payout_per_unit", "refund_per_unit", "ads_per_unit")

STOCK_COSTS = ("cogs_per_unit", "freight_per_unit", "duty_per_unit", "other_cost_per_unit")


def _weighted(cash: pd.DataFrame, units: np.ndarray) -> dict[str, np.ndarray]:
    """Per row of `cash` (× month when `units` is rows × months): units × each per-unit figure (blanks 0, as
    capital.py reads them); the stock units, units × (1 − return_rate / 2), and the stock costs per unit of
    stock, stock units × cost."""
    shape = (-1,) + (1,) * (units.ndim - 1)
    f = {c: np.nan_to_num(cash[c].to_numpy(float)).reshape(shape) for c in cash.columns}
    stock_units = units * stock.stock_units_per_sale(f["return_rate"])
    out = {c: units * f[c] for c in SALE_FLOWS if c in f}
    out.update({c: stock_units * f[c] for c in STOCK_COSTS})
    out["stock_units"] = stock_units
    return out


def _existing_totals(basis: Basis) -> pd.DataFrame:
    """One row per store × table month (store-major): the existing SKUs' units × per-unit cash summed, per unit
    of the store-month's scale (T / E before the store's first launch, else 1; `existing_scale`): every flow of
    capital.py is linear in the units, so scale × these sums are the store-month's flows (stock costs per unit of
    stock, × (1 − return_rate / 2), with return_rate 0 here).  `stock_units`: the SKUs' own stock units, which
    the purchases table orders."""
    months = list(basis.months)
    n, n_stores = len(months), len(basis.stores)
    ok = basis.sku_store >= 0
    s_pos = basis.sku_store[ok]
    weighted = _weighted(existing_per_unit_cash(basis.econ[ok]), np.asarray(basis.E_units_sku[ok], dtype=float))
    sums = {}
    for c, per_sku in weighted.items():
        total = np.zeros((n_stores, n))
        np.add.at(total, s_pos, per_sku)
        sums[c] = total.reshape(-1)
    return pd.DataFrame({
        "month": pd.Categorical(np.tile(months, n_stores), categories=months),
        "store": pd.Categorical(np.repeat(basis.stores, n), categories=basis.stores),
        "line": pd.Categorical(["existing"] * (n_stores * n), categories=LINES),
        **sums, "return_rate": 0.0})


def _unchanged_totals(history_sales: pd.DataFrame, run_rate: pd.DataFrame, fixed: pd.DataFrame
                      ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """History per month × store and run-rate per store, summed (units 1, per-unit = the sums; return_rate 0
    with the stock costs per unit of stock): what capital.py takes from them is linear in the units."""
    h = history_sales
    h_units = h["units"].to_numpy(float)
    history = pd.DataFrame({"month": h["month"].to_numpy(), "store": h["store"].to_numpy(),
                            "payout_per_unit": h_units * np.nan_to_num(h["payout_per_unit"].to_numpy(float)),
                            "refund_per_unit": h_units * np.nan_to_num(h["refund_per_unit"].to_numpy(float))})
    history = history.groupby(["month", "store"], sort=False, as_index=False).sum()
    history.insert(2, "units", 1.0)
    rr = run_rate
    weighted = _weighted(rr[["return_rate", *STOCK_COSTS]], rr["units"].to_numpy(float))
    run = pd.DataFrame({"store": rr["store"].to_numpy(), **weighted}).groupby("store", sort=False,
                                                                              as_index=False).sum()
    run.insert(1, "units", 1.0)
    run["return_rate"] = 0.0
    return history[list(flows.HISTORY_COLUMNS)], run[list(flows.RUN_RATE_COLUMNS)], fixed


def cash_settings(basis: Basis) -> dict:
    """The Settings the cash plan takes (CashInputs' fields)."""
    s = basis.settings
    return dict(cash_available=s.cash_available, credit_line=s.credit_line, min_cash=s.min_cash,
                lead_time_days=s.lead_time_days, transit_days=s.transit_days, safety_stock_days=s.safety_stock_days,
                min_order_days=s.min_order_days,
                deposit_rate=s.deposit_rate, payout_delay_days=s.payout_delay_days,
                opening_stock_value=s.opening_stock_value, opening_payables=s.opening_payables)


def new_line_units(basis: Basis, d: Derived) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The new line's units sold (3.4, 3.5): (store × table month) of each store's new product and (launch ×
    table month) of the launches with their own price or unit cost, and which launches those are (a mask over
    `d.launches.table`).

    T − E from the store's first launch month, and before it where the store has no existing forecast that
    month (3.4: nothing to spread them over, so they are the store's new product's, as their profit is); in
    bridge months the planned launches' sales.  Sales are split
    over the launches selling that store-month by their contributions (3.5, as the profit of T − E is): a
    launch with its own price or unit cost (Launches sheet) sells its share at its own price and is stocked
    and costed at its own unit economics; the rest is the store's new product."""
    n = len(basis.months)
    pc = basis.plan_cols
    price_base = _new_product_columns(basis)["price_base"]
    lp = d.launches
    pos = {s: i for i, s in enumerate(basis.stores)}
    own = lp.column("own_values").astype(bool) if lp.count else np.zeros(0, bool)
    launch_store = lp.column("store")
    launch_price = lp.column("price_base").astype(float)
    new_units = np.zeros((len(basis.stores), n))
    own_units = np.zeros((int(own.sum()), n))
    with np.errstate(divide="ignore", invalid="ignore"):
        new_units[:, pc] = np.where((~d.before_launch | ~(d.E > 0)) & (price_base[:, None] > 0),
                                    d.new_sales / np.where(price_base > 0, price_base, 1.0)[:, None], 0.0)
        if own.any():
            idx = np.array([pos[str(s)] for s in launch_store], dtype=int)
            weight = d.launches.monthly[:, pc]
            total = np.zeros((len(basis.stores), len(pc)))
            np.add.at(total, idx, weight)
            own_total = np.zeros_like(total)
            np.add.at(own_total, idx[own], weight[own])
            shared = (own_total > 0) & (total > 0) & ~d.before_launch
            N = np.where(shared, d.new_sales, 0.0)
            share = np.where(shared, 1.0 - own_total / np.where(total > 0, total, 1.0), 1.0)
            new_units[:, pc] = np.where(shared, new_units[:, pc] * share, new_units[:, pc])
            own_price = launch_price[own]
            own_safe = np.where(own_price > 0, own_price, 1.0)[:, None]
            own_share = weight[own] / np.where(total > 0, total, 1.0)[idx[own]]
            own_units[:, pc] = np.where(own_price[:, None] > 0, N[idx[own]] * own_share / own_safe, 0.0)
        bridge = np.setdiff1d(np.arange(n), pc)
        if len(bridge) and lp.count:
            j = 0
            for i, store in enumerate(launch_store):
                if own[i]:
                    p = float(launch_price[i])
                    own_units[j, bridge] += d.launches.monthly[i, bridge] / p if p > 0 else 0.0
                    j += 1
                    continue
                p = price_base[pos[store]]
                if p > 0:
                    new_units[pos[store], bridge] += d.launches.monthly[i, bridge] / p
    return new_units, own_units, own


def own_launch_cash(basis: Basis, d: Derived, own: np.ndarray) -> pd.DataFrame:
    """Per launch with its own price or unit cost (`own`, a mask over d's launches), its per-unit cash
    (`per_unit_cash` of its unit economics)."""
    lp = d.launches
    cache = basis.cache.setdefault("launch_economics", {})     # plan_launches' cache (engine.derive)
    econ = nl.launch_unit_economics(nl.products_by_store(basis.new_products, cache),
                                    [str(s) for s in lp.column("store")[own]], lp.column("price").astype(float)[own],
                                    lp.column("unit_cost").astype(float)[own], cache.setdefault("unit_economics", {}))
    return per_unit_cash(econ)


class CashSearch:
    """The plan's cash plans: the plan's own (with its purchases and stock tables) and those of the fundable-target
    search (SPEC 3.6), ~35 targets k·T of one basis.

    The same plan as the row-by-row one, `cash_plan(cash_inputs(...))` (one row per SKU × month; to float noise,
    tests/plan/test_cash_search.py), made from its parts: what does not change with k (`capital.cash_base`:
    receivables, fixed costs, bonuses, opening stock and payables) once; per k only the sales grid, as the units of
    each store-month and line × what a unit brings and costs (`capital.sale_measures` of its per-unit cash, worked
    out once per store-month for the existing products, per store for its new product, per own-valued launch),
    and the launches' first orders and budgets."""

    def __init__(self, basis: Basis, d: Derived, bonus_payments: pd.DataFrame | None, launch_bonus: float = 0.0):
        """`bonus_payments`: the period bonuses; each target's launch bonuses (`launch_bonus` per launch before
        the success rate) are those of its own launches (`launch_bonus_payments`)."""
        self.basis = basis
        self.launch_bonus = float(launch_bonus or 0.0)
        unchanged = basis.cache.get("cash_unchanged_totals")
        if unchanged is None:
            unchanged = basis.cache["cash_unchanged_totals"] = _unchanged_totals(*_unchanged_by_k(basis, d))
        history, run_rate, fixed = unchanged
        inputs = flows.CashInputs(months=list(basis.months), sales=None, history_sales=history, run_rate=run_rate,
                               fixed_costs=fixed, bonus_payments=bonus_payments, stores=list(basis.stores),
                               **cash_settings(basis))
        stores = flows.store_order(inputs, ([run_rate] if not run_rate.empty else []) + [history])
        self.base = flows.cash_base(inputs, stores)
        self.n_stores = len(basis.stores)
        n, dr = len(basis.months), self.base.deposit_rate
        totals = basis.cache.get("cash_existing_totals")
        if totals is None:
            totals = basis.cache["cash_existing_totals"] = _existing_totals(basis)
        self.existing = {m: v.reshape(self.n_stores, n)
                         for m, v in self._per_unit(totals, dr).items()}
        # the totals' rows are per unit of the store-month's scale, not per unit sold: the stock units are the
        # SKUs' own (what the purchases table orders)
        self.existing["stock_units"] = totals["stock_units"].to_numpy(float).reshape(self.n_stores, n)
        self.new = self._per_unit(per_unit_cash(basis.new_products), dr)
        self.col_of = {m: i for i, m in enumerate(basis.months)}
        self.ramp_months = basis.settings.new_ramp_months
        self.own_cache: dict[tuple, dict[str, np.ndarray]] = {}

    def _own_measures(self, d: Derived, own: np.ndarray) -> dict[str, np.ndarray]:
        """`_per_unit` of the launches with their own price or unit cost: the same launches (store, price, unit
        cost) at every target of the search, so worked out once per set of them."""
        lp = d.launches
        key = tuple(zip(map(str, lp.column("store")[own]), lp.column("price").astype(float)[own].tolist(),
                        lp.column("unit_cost").astype(float)[own].tolist()))
        measures = self.own_cache.get(key)
        if measures is None:
            measures = self.own_cache[key] = self._per_unit(own_launch_cash(self.basis, d, own),
                                                            self.base.deposit_rate)
        return measures

    @staticmethod
    def _per_unit(cash: pd.DataFrame, deposit_rate: float) -> dict[str, np.ndarray]:
        """`sale_measures` of one unit sold, per row of per-unit cash (blanks 0, as cash_plan reads them)."""
        f = {c: np.nan_to_num(cash[c].to_numpy(float)) for c in (*flows.SALES_COLUMNS[4:], "sales_per_unit")}
        return flows.sale_measures(1.0, f["return_rate"], f["payout_per_unit"], f["refund_per_unit"],
                                f["ads_per_unit"], f["cogs_per_unit"], f["freight_per_unit"], f["duty_per_unit"],
                                f["other_cost_per_unit"], deposit_rate, f["sales_per_unit"])

    def cash_plan(self, d: Derived, tables: bool = False) -> flows.CashResult:
        """The cash plan of the target k·T planned as `d` (the purchases and stock tables with `tables`)."""
        basis, base, ns = self.basis, self.base, self.n_stores
        n = base.n
        grid = flows.empty_sales_grid(base)
        scale = existing_scale(basis, d)
        new_units, own_units, own = new_line_units(basis, d)
        costs = launch_costs(basis, d)
        own_measures, own_store = None, None
        if own.any():
            own_measures = self._own_measures(d, own)
            own_store = costs["store_position"][own]
        for m in flows.SALE_MEASURES:
            grid[m][:ns, 0, :n] = scale * self.existing[m]
            grid[m][:ns, 1, :n] = new_units * self.new[m][:, None]
            if own_measures is not None:
                np.add.at(grid[m][:, 1, :n], own_store, own_units * own_measures[m][:, None])
        count = d.launches.count
        f = {c: np.nan_to_num(costs[c]) for c in flows.LAUNCH_COLUMNS[3:9]}     # blanks 0, as cash_plan reads them
        launches = flows.first_order_flows(
            base, np.array([self.col_of[m] for m in d.launches.column("month")], dtype=int), costs["store_position"],
            f["first_order_units"], f["cogs_per_unit"], f["freight_per_unit"], f["duty_per_unit"],
            f["other_cost_per_unit"], f["launch_budget"], np.full(count, self.ramp_months))
        if self.launch_bonus:
            paid = launch_bonus_payments(basis, d, self.launch_bonus)
            at = np.array([self.col_of.get(str(m), base.n) for m in paid["month"]], dtype=int)
            inside = at < base.n
            launches.bonuses = np.zeros(base.n)
            np.add.at(launches.bonuses, at[inside], -paid["amount"].to_numpy(float)[inside])
        return flows.cash_flows(base, grid, launches, float(d.launches.shortfall.sum()), tables=tables)


def _unchanged_by_k(basis: Basis, d: Derived) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Receivables' history, run-rate and fixed costs: the same for every k (cached on the basis)."""
    if "cash_unchanged" in basis.cache:
        return basis.cache["cash_unchanged"]
    e = basis.econ
    # receivables: the last history months' sales at today's unit economics
    hist_months = basis.calendar.last_history_months(HISTORY_MONTHS_FOR_RECEIVABLES)
    h = basis.book.sales
    h = h[h["month"].isin(hist_months)][["month", "store", "sku", "units"]]
    per_sku = pd.concat([e[["store", "sku"]], per_unit_cash(e)[["payout_per_unit", "refund_per_unit"]]], axis=1)
    history_sales = h.merge(per_sku, on=["store", "sku"], how="inner")[list(flows.HISTORY_COLUMNS)]

    rr = pd.concat([e[["store"]], per_unit_cash(e)], axis=1)[e["existing"].to_numpy(bool)]
    rr["units"] = e.loc[e["existing"].to_numpy(bool), "run_rate_units"].to_numpy(float)
    run_rate = rr[list(flows.RUN_RATE_COLUMNS)]
    basis.cache["cash_unchanged"] = (history_sales, run_rate, fixed_costs(basis, d))
    return basis.cache["cash_unchanged"]


def launch_costs(basis: Basis, d: Derived) -> dict[str, np.ndarray]:
    """Per launch: its store's position, its first order's units and per-unit costs (cogs = its unit cost −
    the store's new-product freight; duty on its customs value) and its launch budget."""
    lp = d.launches
    npd = _new_product_columns(basis)
    at = np.array([npd["position"][str(s)] for s in lp.column("store")], dtype=int)
    freight = npd["freight"][at]
    cogs = lp.column("unit_cost").astype(float) - freight
    duty = npd["duty_rate"][at] * ue.customs_value(cogs, freight, npd["customs_fob"][at])
    return {"store_position": at, "first_order_units": lp.column("first_order_units").astype(float),
            "cogs_per_unit": cogs, "freight_per_unit": freight, "duty_per_unit": duty,
            "other_cost_per_unit": npd["other_cost_base"][at],
            "launch_budget": lp.column("launch_budget").astype(float)}


def _new_product_columns(basis: Basis) -> dict:
    """The new products' columns the cash plan reads per launch, as arrays, and each store's position (the
    same for every k: kept on the basis)."""
    cols = basis.cache.get("new_product_columns")
    if cols is None:
        npd = basis.new_products
        cols = basis.cache["new_product_columns"] = {
            "position": {str(s): i for i, s in enumerate(npd["store"])},
            "price_base": (npd["price"] * npd["fx"]).to_numpy(float),
            "freight": npd["freight"].to_numpy(float), "customs_fob": npd["customs_fob"].to_numpy(bool),
            "duty_rate": npd["duty_rate"].to_numpy(float), "other_cost_base": npd["other_cost_base"].to_numpy(float)}
    return cols


def fixed_costs(basis: Basis, d: Derived) -> pd.DataFrame:
    """Store fees, expenses and salaries per table month (bridge months too, by calendar month)."""
    months = list(basis.months)
    fees = float((basis.store_params["monthly_fee"] * basis.store_params["fx"]).sum())
    direct, shared = expenses_by_month(basis.book, basis.stores, months)
    team = basis.book.team
    salaries = float(pd.to_numeric(team["base_salary"], errors="coerce").fillna(0.0).sum()) \
        if len(team) and "base_salary" in team else 0.0
    return pd.DataFrame({"month": months, "store_fees": fees, "expenses": direct.sum(axis=0) + shared,
                         "salaries": salaries})


def bonus_payments(basis: Basis, bonus_table: pd.DataFrame | None, launches: bool = True) -> pd.DataFrame | None:
    """When the bonuses are paid (`bonus.bonus_payments`), or None without a bonus table; without the launch
    bonuses when `launches` is False (each cash plan adds those of its own launches)."""
    if bonus_table is None or not len(bonus_table):
        return None
    if not launches:
        bonus_table = bonus_table[bonus_table["kind"] != "launch"]
    return bn.bonus_payments(bonus_table, basis.settings.new_ramp_months)
