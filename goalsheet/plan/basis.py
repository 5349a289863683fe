"""The method end to end, as numbers: from a SellerBook to targets, launches and profit (SPEC 3.1-3.5).

`build_basis(book)` does everything that does not depend on the size of the target: the
calendar, S, unit economics, the existing products' forecasts, the new products.
`derive(basis, k)` plans the target k·T (k = 1: the plan itself; other k: the largest
fundable target search of 3.6): store-month targets, gaps, launches, new-product sales
and the profit of every store-month.  Arrays are (store × month) over the forecast months
(bridge then plan months) unless named `_plan`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from goalsheet.inputs.model import Problem, SellerBook
from goalsheet.plan import launches as nl
from goalsheet.plan import profit as pf
from goalsheet.plan import target as tg
from goalsheet.plan import unit_economics as ue
from goalsheet.plan.breakdown import minor_unit_decimals
from goalsheet.plan.calendar import Calendar, first_launch_m, make_calendar
from goalsheet.plan.existing import ExistingForecast, forecast_existing
from goalsheet.plan.launches import UNASSIGNED
from goalsheet.plan.seasonality import closed_months, seasonality_index
from goalsheet.plan.settings import PlanSettings
from goalsheet.plan.warnings import closed_month_warnings, no_team_warning, unassigned_warnings


# the existing-product analysis' columns the basis' econ carries
EXISTING_COLUMNS = ("existing", "first_sale", "months_sold", "sales_12m", "units_12m", "run_rate", "run_rate_units",
                    "trend_ratio", "trend", "g", "g_source")


def half_minor_unit(currency: str) -> float:
    """Half the currency's smallest money unit (0.005 for cents, 0.5 for yen): an amount below it rounds to
    nothing, so a gap this small counts as covered (3.5)."""
    return 0.5 * 10.0 ** -minor_unit_decimals(currency)


@dataclass
class Basis:
    book: SellerBook
    settings: PlanSettings
    base_currency: str
    calendar: Calendar
    S: np.ndarray
    S_method: str
    stores: list[str]
    store_params: pd.DataFrame
    econ: pd.DataFrame              # per SKU: unit economics (+ _base), existing-product analysis
    existing: ExistingForecast
    sku_store: np.ndarray           # store position of each SKU row
    scenario: str
    months: tuple[str, ...]         # forecast months: bridge then plan
    plan_cols: np.ndarray
    S_m: np.ndarray                 # S of each forecast month
    E_sku: np.ndarray               # (SKU × month) existing forecast sales, base currency, chosen scenario
    E_units_sku: np.ndarray
    P_sku: np.ndarray               # (SKU × month) existing forecast profit, base currency
    E_store: np.ndarray
    E_units_store: np.ndarray
    P_store: np.ndarray
    new_products: pd.DataFrame
    operators: dict[str, list[str]]
    first_col: int
    capacity: float
    history_revenue_base: pd.DataFrame   # month, store, revenue (base), for the trailing-12-month shares
    problems: list[Problem] = field(default_factory=list)
    cache: dict = field(default_factory=dict)       # figures derive(k) reuses across k

    @property
    def fx(self) -> np.ndarray:
        return self.store_params["fx"].to_numpy(dtype=float)


def build_basis(book: SellerBook, as_of: str | None = None) -> Basis:
    problems: list[Problem] = []
    settings = PlanSettings.read(book.settings)
    base = settings.base_currency
    sales = book.sales
    months_in_sales = {str(x)[:7] for x in pd.unique(sales["month"])} if len(sales) else set()
    calendar, p = make_calendar(months_in_sales, settings.plan_year, as_of)
    problems += p
    history = sales[sales["month"].isin(calendar.history)]

    store_params = ue.store_parameters(book.stores, book.fx, base)
    missing_fx = store_params.loc[store_params["fx"].isna(), "currency"].unique()
    for cur in missing_fx:
        problems.append(Problem("FX", "", code="fx_rate_missing", args={"currency": cur}))
    store_params["fx"] = store_params["fx"].fillna(0.0)
    stores = list(store_params["store"])
    fx_of = dict(zip(stores, store_params["fx"]))

    store_fx = history["store"].astype(str).map(fx_of).fillna(0.0).to_numpy(float)
    rev_base = history.assign(revenue_base=history["revenue"].to_numpy(float) * store_fx)
    month_sums = rev_base.groupby("month")["revenue_base"].sum()
    by_month = month_sums.reindex(list(calendar.history), fill_value=0.0)
    S, S_method, p = seasonality_index(by_month.to_numpy(float), calendar.history[0] if calendar.history else None,
                                       settings.seasonality)
    problems += p

    baseline_months = settings.baseline_months
    ad_rates = ue.effective_ad_rate(history, calendar.last_history_months(baseline_months))
    skus = book.skus.copy()
    # a store's named operator (a blank one is NaN in a column pandas has made its string type: not a name)
    store_op = {str(s): o for s, o in zip(book.stores["store"], book.stores["operator"])
                if isinstance(o, str) and o.strip()} if "operator" in book.stores else {}
    if "operator" not in skus:
        skus["operator"] = None
    skus["operator"] = [o if isinstance(o, str) and o.strip() else (store_op.get(str(s)) or UNASSIGNED)
                        for s, o in zip(skus["store"], skus["operator"])]
    products = ue.sku_products(skus, store_params, ad_rates, settings.payout_fee_rate)
    econ = ue.in_base_currency(ue.unit_economics(products))

    monthly_growth = settings.monthly_growth
    store_growth = pd.Series(monthly_growth, index=stores, dtype=float)
    if "monthly_growth" in book.stores:
        given = pd.to_numeric(book.stores["monthly_growth"], errors="coerce")
        for s, g in zip(book.stores["store"].astype(str), given):
            if not np.isnan(g):
                store_growth[s] = float(g)
    closed = closed_months(by_month.to_numpy(float))
    problems += closed_month_warnings([m for m, c in zip(calendar.history, closed) if c])
    existing = forecast_existing(history, skus, calendar, S, baseline_months, store_growth, closed)
    econ = ue.with_columns(econ, {col: existing.products[col].to_numpy() for col in EXISTING_COLUMNS})

    sku_store = econ["store"].map({s: i for i, s in enumerate(stores)}).fillna(-1).astype(int).to_numpy()
    scenario = settings.existing_scenario
    fx_sku = econ["fx"].to_numpy(float)
    E_sku = existing.sales(scenario) * fx_sku[:, None]
    E_units_sku = existing.units(scenario)
    P_sku = pf.existing_profit(E_units_sku, econ["unit_net_base"].to_numpy(float))
    n_months = len(existing.months)
    E_store, E_units_store, P_store = (_by_store(a, sku_store, len(stores), n_months)
                                       for a in (E_sku, E_units_sku, P_sku))

    new_products, p = nl.new_product_parameters(econ, store_params, settings, book.stores)
    problems += p
    problems += nl.unit_cost_below_freight(new_products, settings, book.launches, book.where)
    # a store's operators are the ones named for it (its Stores operator, then its SKUs'); only a store where
    # nobody is named has the one unnamed operator, who launches for it (3.5).  Its SKUs with no operator are
    # still "(unassigned)"'s in the operator split (3.7).
    operators = nl.store_operators(book.stores, book.skus)
    problems += unassigned_warnings(stores, operators, skus)
    problems += no_team_warning(operators, book.team)
    for s in stores:
        if not operators.get(s):
            operators[s] = [UNASSIGNED]
    months = existing.months
    plan_cols = np.arange(len(calendar.bridge), len(months))
    S_m = np.array([S[int(x[5:7]) - 1] for x in months])
    first_col = first_launch_m(settings.lead_time_days) - 1
    hist_base = rev_base.groupby(["month", "store"], as_index=False)["revenue_base"].sum()
    return Basis(book=book, settings=settings, base_currency=base, calendar=calendar, S=S, S_method=S_method,
                 stores=stores, store_params=store_params, econ=econ, existing=existing, sku_store=sku_store,
                 scenario=scenario, months=months, plan_cols=plan_cols, S_m=S_m, E_sku=E_sku,
                 E_units_sku=E_units_sku, P_sku=P_sku, E_store=E_store, E_units_store=E_units_store,
                 P_store=P_store, new_products=new_products, operators=operators, first_col=first_col,
                 capacity=settings.launches_per_operator_month,
                 history_revenue_base=hist_base, problems=problems)


def _by_store(a: np.ndarray, sku_store: np.ndarray, n_stores: int, n_months: int) -> np.ndarray:
    out = np.zeros((n_stores, n_months))
    ok = sku_store >= 0
    np.add.at(out, sku_store[ok], a[ok])
    return out


def store_targets(basis: Basis, k: float = 1.0) -> tuple[np.ndarray, list[Problem]]:
    """(store × plan month) T for the target k·T, base currency (3.4)."""
    problems: list[Problem] = []
    S_plan = basis.S_m[basis.plan_cols]
    mode = basis.settings.target_mode
    if mode == "total":
        total = basis.settings.target_total
        if total is None:
            problems.append(Problem("Settings", "", code="target_total_missing"))
            total = 0.0
        last12 = basis.calendar.last_history_months(12)
        h = basis.history_revenue_base
        trailing = h[h["month"].isin(last12)].groupby("store")["revenue_base"].sum()
        trailing = trailing.reindex(basis.stores, fill_value=0.0).to_numpy(float)
        return tg.total_target(k * float(total), trailing, S_plan), problems
    target = basis.cache.get("growth_target")      # the target at k = 1: every k·T scales it
    if target is None:
        run_rate_store = _by_store((basis.econ["run_rate"] * basis.econ["fx"]).to_numpy(float)[:, None],
                                   basis.sku_store, len(basis.stores), 1)[:, 0]
        m_plan = np.array(basis.calendar.plan_m, dtype=float)
        target = basis.cache["growth_target"] = tg.growth_target(run_rate_store, _store_growth(basis), m_plan,
                                                                 S_plan)
    return k * target, problems


def _store_growth(basis: Basis) -> np.ndarray:
    """Each store's monthly growth: its Stores monthly_growth (the first row naming it), else the setting."""
    default = basis.settings.monthly_growth
    st = basis.book.stores
    if "monthly_growth" not in st:
        return np.full(len(basis.stores), default)
    given = pd.to_numeric(st["monthly_growth"], errors="coerce").to_numpy(float)
    first: dict[str, float] = {}
    for store, g in zip(st["store"].astype(str), given):
        first.setdefault(store, g)
    return np.array([first[s] if s in first and not np.isnan(first[s]) else default for s in basis.stores])


def _sales_rates(basis: Basis) -> tuple[np.ndarray, ...]:
    """Profit, units and advertising per unit of new-product sales: by the existing mix (before a store's
    first launch) and by the store's new product (after).  The same for every k: computed once per basis."""
    rates = basis.cache.get("sales_rates")
    if rates is not None:
        return rates
    pc = basis.plan_cols
    E = basis.E_store[:, pc]
    mix = pf.existing_mix(basis.P_store[:, pc], E)
    npd = basis.new_products
    price_base = (npd["price"] * npd["fx"]).to_numpy(float)
    new_rate = pf.new_product_rate(npd["unit_net_base"].to_numpy(float), price_base)
    # units and advertising of T − E follow the same reading: the existing mix before the first launch
    with np.errstate(divide="ignore", invalid="ignore"):
        units_mix = np.where(E > 0, basis.E_units_store[:, pc] / np.where(E > 0, E, 1.0), np.nan)
        new_units_rate = np.where(price_base > 0, 1 / price_base, 0.0)
        ads_store = _by_store(basis.E_units_sku * basis.econ["ads_base"].to_numpy(float)[:, None],
                              basis.sku_store, len(basis.stores), len(basis.months))[:, pc]
        ads_mix = np.where(E > 0, ads_store / np.where(E > 0, E, 1.0), np.nan)
    new_ads_rate = np.where(price_base > 0, npd["ads_base"].to_numpy(float) / price_base, 0.0)
    rates = (mix, new_rate, units_mix, new_units_rate, ads_mix, new_ads_rate)
    for a in rates:                      # shared by every derive(k): nobody may write into them
        a.setflags(write=False)
    basis.cache["sales_rates"] = rates
    return rates


@dataclass
class Derived:
    """The plan of the target k·T, at full precision, base currency."""
    k: float
    T: np.ndarray                  # (store × plan month)
    E: np.ndarray                  # (store × plan month) existing forecast
    gaps: np.ndarray               # G_s
    launches: nl.LaunchPlan
    new_sales: np.ndarray          # T − E, (store × plan month)
    first_launch_col: np.ndarray   # per store, forecast column of its first launch (NaN: none)
    before_launch: np.ndarray      # (store × plan month)
    new_profit: np.ndarray         # (store × plan month) profit of T − E
    new_units: np.ndarray          # (store × plan month) units of T − E
    new_ads: np.ndarray            # (store × plan month) advertising of T − E
    profit_rate: np.ndarray        # (store × plan month) profit per unit of new-product sales
    units_rate: np.ndarray         # (store × plan month) units per unit of new-product sales
    ads_rate: np.ndarray           # (store × plan month) advertising per unit of new-product sales
    problems: list[Problem] = field(default_factory=list)


def derive(basis: Basis, k: float = 1.0) -> Derived:
    T, problems = store_targets(basis, k)
    pc = basis.plan_cols
    E = basis.E_store[:, pc]
    gaps = tg.store_gaps(T, E)
    planned = basis.book.launches if basis.book.launches is not None else pd.DataFrame(
        columns=["launch_month", "store", "operator", "count"])
    lp = nl.plan_launches(gaps, basis.new_products, planned, basis.months, pc, basis.S_m, basis.first_col,
                          basis.operators, basis.capacity, basis.settings,
                          cache=basis.cache.setdefault("launch_economics", {}),
                          covered_below=half_minor_unit(basis.base_currency))
    problems += lp.problems
    first = np.full(len(basis.stores), np.nan)
    col_of = {x: j for j, x in enumerate(basis.months)}
    pos = {s: i for i, s in enumerate(basis.stores)}
    for month, store in zip(lp.column("month"), lp.column("store")):
        i, j = pos[store], col_of[month]
        first[i] = j if np.isnan(first[i]) else min(first[i], j)
    N = tg.new_product_sales(T, E)
    before = pf.before_first_launch(first, pc)
    mix, new_rate, units_mix, new_units_rate, ads_mix, new_ads_rate = _sales_rates(basis)
    # launches with their own price or unit cost (Launches sheet) earn at their own rates (3.5)
    new_rate, new_units_rate, new_ads_rate = lp.sales_rates_by_month(basis.stores, pc, new_rate, new_units_rate,
                                                                     new_ads_rate)
    new_profit = pf.new_sales_profit(N, mix, new_rate, before)
    ones = np.ones_like(N)
    profit_rate = pf.new_sales_profit(ones, mix, new_rate, before)
    units_rate = pf.new_sales_profit(ones, units_mix, new_units_rate, before)
    ads_rate = pf.new_sales_profit(ones, ads_mix, new_ads_rate, before)
    return Derived(k=k, T=T, E=E, gaps=gaps, launches=lp, new_sales=N, first_launch_col=first,
                   before_launch=before, new_profit=new_profit, new_units=N * units_rate, new_ads=N * ads_rate,
                   profit_rate=profit_rate, units_rate=units_rate, ads_rate=ads_rate, problems=problems)
