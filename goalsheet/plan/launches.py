"""New launches: the reverse calculation (SPEC.md 3.5).

New-product parameters default per store from that store's existing SKUs, each the median
of that field over them (sell price, run-rate units, landed cost, freight, every rate and fee
of 3.2; ad_rate of their effective rates).  The product's cogs = new_unit_cost − median
freight; no promotion on top of `new_price` (what buyers pay).

A launch in month L earns in month m >= L:

    new_success_rate × new_monthly_units × new_price × min(1, (m − L + 1) / new_ramp_months) × S_m

Planned launches (Launches sheet) count first and use capacity.  Then, while some store's gap
is not covered by its launches' contributions over the plan year, one launch is added: in the
earliest plan month with m >= 1 + ceil(lead_time_days / 30.4) in which a store with an uncovered
gap has an operator with capacity left (`LaunchAllowance`: 0.5 means one launch every two
months); the store with the largest uncovered gap (ties: store order); its first operator
with capacity.  What capacity cannot cover is the shortfall.
Each launch costs its first order, new_first_order_units × (new_unit_cost + duty + other_cost),
and `new_launch_budget`; a failed launch writes off `new_failure_writeoff` of its first order.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from goalsheet.inputs.model import Problem
from goalsheet.plan import unit_economics as ue
from goalsheet.plan.settings import PlanSettings

# Fields of a store's new product that are the median over its existing SKUs (3.5).
MEDIAN_FIELDS = ("sell_price", "run_rate_units", "landed_cost", "freight", "referral_rate", "vat_rate", "dst_rate",
                 "duty_rate", "fba_fee", "storage_fee", "placement_fee", "ad_rate", "return_rate", "other_cost")
# Settings that give the new product's rates, and its fees per unit (base currency), instead of the store's medians
# (`new_<field>`; a price band's medians in the scenarios of 3.10).
NEW_RATE_SETTINGS = ("referral_rate", "duty_rate", "ad_rate", "return_rate")
NEW_FEE_SETTINGS = ("fba_fee", "storage_fee", "placement_fee", "other_cost")
# The unnamed operator: launches for a store where nobody is named (3.5), and holds the SKUs that name nobody in
# the operator split (3.7).
UNASSIGNED = "(unassigned)"
OWN_VALUE_TOLERANCE = 1e-12     # a launch's price or unit cost this close to the new product's is the product's


def new_product_parameters(sku_econ: pd.DataFrame, store_params: pd.DataFrame, settings: PlanSettings,
                           stores: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Each store's new product, one row per store (store order), with its unit economics (3.2).

    sku_econ: the SKUs' unit economics with `existing` and `run_rate_units` columns.
    Columns: store, price (store currency, = what buyers pay), monthly_units, unit_cost (base),
    first_order_units, first_order_cost (base), launch_budget (base), price_source, and every term of
    `unit_economics` (store currency) and its `_base` twin."""
    problems: list[Problem] = []
    p = _with_store_medians(store_params, _store_medians(sku_econ, store_params["store"]))

    fx = p["fx"].to_numpy(dtype=float)
    store_new_price = _store_column(stores, p["store"], "new_price")
    setting_price = settings.new_price
    price = np.where(~np.isnan(store_new_price), store_new_price,
                     float(setting_price) / fx if setting_price is not None else p["median_sell_price"])
    p["price_source"] = np.where(~np.isnan(store_new_price), "Stores new_price",
                                 "Settings new_price" if setting_price is not None
                                 else "median sell price of the store's SKUs")
    p["price"] = price
    p["promo_rate"] = 0.0
    units_setting = settings.new_monthly_units
    p["monthly_units"] = float(units_setting) if units_setting is not None else p["median_run_rate_units"]
    cost_setting = settings.new_unit_cost
    p["unit_cost"] = float(cost_setting) if cost_setting is not None else p["median_landed_cost"]
    p["freight"] = p["median_freight"]
    for f in ("referral_rate", "vat_rate", "dst_rate", "duty_rate", "fba_fee", "storage_fee", "placement_fee",
              "ad_rate", "return_rate", "other_cost"):
        p[f] = p[f"median_{f}"]
    # the new product's own rates and fees where Settings give them (a price band's medians, 3.10): rates as
    # given, base-currency amounts converted to each store's currency (freight stays base currency, as cogs)
    for f in NEW_RATE_SETTINGS:
        if getattr(settings, f"new_{f}") is not None:
            p[f] = float(getattr(settings, f"new_{f}"))
    for f in NEW_FEE_SETTINGS:
        if getattr(settings, f"new_{f}") is not None:
            p[f] = float(getattr(settings, f"new_{f}")) / fx
    if settings.new_freight is not None:
        p["freight"] = float(settings.new_freight)
    p["cogs"] = p["unit_cost"] - p["freight"]
    p["return_cost"] = np.nan
    p["payout_fee_rate"] = settings.payout_fee_rate
    first_units = settings.new_first_order_units
    p["first_order_units"] = float(first_units) if first_units is not None else 3 * p["monthly_units"]
    p["launch_budget"] = settings.new_launch_budget
    missing = p["price"].isna() | p["unit_cost"].isna() | p["fba_fee"].isna()
    for store in p.loc[missing, "store"]:
        problems.append(Problem("Stores", "", severity="warning", code="store_no_skus", args={"store": store}))
    # a store whose SKUs sold nothing recently (all discontinued or silent) has no units to take: a launch
    # there would earn nothing, so none is added (a planned one still counts, at its own units if given)
    no_units = ~missing & ~(pd.to_numeric(p["monthly_units"], errors="coerce") > 0) & (units_setting is None)
    for store in p.loc[no_units, "store"]:
        problems.append(Problem("Settings", "", severity="warning", code="store_no_selling_sku",
                                args={"store": store}))
    p = ue.in_base_currency(ue.unit_economics(p.fillna({"price": 0.0}).infer_objects()))
    p["first_order_cost"] = first_order_cost(p["first_order_units"], p["unit_cost"], p["duty_base"],
                                             p["other_cost_base"])
    p["launchable"] = ~(missing | no_units).to_numpy()
    return p, problems


def unit_cost_below_freight(new_products: pd.DataFrame, settings: PlanSettings, planned: pd.DataFrame,
                            where) -> list[Problem]:
    """A new product's cogs is its unit cost less the store's median freight (3.5): a `new_unit_cost` (Settings)
    or a planned launch's `unit_cost` (Launches) below that freight would make it negative, so it is an input
    error at its cell.  (The derived unit cost, the median of cogs + freight, is never below the median
    freight.)  `where(sheet, row, column)` gives the (sheet name, cell) of a value the seller typed."""
    freight = dict(zip(new_products["store"].astype(str), new_products["freight"].astype(float)))
    out: list[Problem] = []
    given = settings.new_unit_cost
    if given is not None:
        below = [(s, f) for s, f in freight.items() if float(given) < f]
        if below:
            names = ", ".join(f"{s} {f:,.2f}" for s, f in below)
            sheet, cell = where("Settings", "new_unit_cost", "value")
            out.append(Problem(sheet, cell, code="new_unit_cost_below_freight",
                               args={"cost": float(given), "names": names}))
    if settings.new_freight is not None and given is None:
        above = [(s, c) for s, c in zip(new_products["store"].astype(str), new_products["unit_cost"].astype(float))
                 if float(settings.new_freight) > c]
        if above:
            names = ", ".join(f"{s} {c:,.2f}" for s, c in above)
            sheet, cell = where("Settings", "new_freight", "value")
            out.append(Problem(sheet, cell, code="new_freight_above_unit_cost",
                               args={"freight": float(settings.new_freight), "names": names}))
    if planned is not None and "unit_cost" in planned:
        for pos, (store, cost) in enumerate(zip(planned["store"], pd.to_numeric(planned["unit_cost"],
                                                                                  errors="coerce"))):
            f = freight.get(str(store), math.nan)
            if not pd.isna(cost) and float(cost) < f:
                sheet, cell = where("Launches", pos, "unit_cost")
                out.append(Problem(sheet, cell, code="launch_unit_cost_below_freight",
                                   args={"cost": float(cost), "freight": f, "store": store}))
    return out


def _store_medians(sku_econ: pd.DataFrame, stores) -> list[dict]:
    """Per store of `stores`: {"store": store, "median_<field>": ...} over its existing SKUs (all its SKUs when
    none is existing), each the median of that field with blanks left out (NaN when none is)."""
    # each store's rows found once (one factorize), not by comparing every SKU's store per store
    store_codes, store_names = pd.factorize(sku_econ["store"].to_numpy(dtype=object))
    existing = sku_econ["existing"].to_numpy(dtype=bool)
    at = {name: j for j, name in enumerate(store_names)}
    n = len(sku_econ)
    values = np.empty((n, len(MEDIAN_FIELDS)))                  # (SKU × field)
    for i, f in enumerate(MEDIAN_FIELDS):
        column = sku_econ["cogs"] + sku_econ["freight"] if f == "landed_cost" else sku_econ[f]
        values[:, i] = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    names = [f"median_{f}" for f in MEDIAN_FIELDS]
    rows = []
    for store in stores:
        j = at.get(store)
        mine = store_codes == j if j is not None else np.zeros(len(sku_econ), dtype=bool)
        own = np.flatnonzero(mine & existing)
        if not len(own):
            own = np.flatnonzero(mine)
        rows.append({"store": store, **dict(zip(names, _column_medians(values[own])))})
    return rows


def _column_medians(block: np.ndarray) -> list[float]:
    """The median of each column of `block` over its known values (blanks, NaN, left out, as pandas' median does;
    NaN when none is known), as np.median takes it: the columns without a blank in one np.median along the rows
    (np.median works each column alone, the same way as on the column by itself), each other one over its known
    values."""
    out = [math.nan] * block.shape[1]
    if not block.shape[0]:
        return out
    blank = np.isnan(block)
    if not blank.any():
        return np.median(block, axis=0).tolist()
    gaps = blank.any(axis=0)
    full = np.flatnonzero(~gaps).tolist()
    if full:
        for c, m in zip(full, np.median(block[:, full], axis=0).tolist()):
            out[c] = m
    for c in np.flatnonzero(gaps).tolist():
        known = block[~blank[:, c], c]
        if len(known):
            out[c] = float(np.median(known))
    return out


def _with_store_medians(store_params: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    """store_params with the median columns joined on store (a left merge on store)."""
    med = pd.DataFrame(rows)
    return store_params.merge(med, on="store", how="left", sort=False)


def first_order_cost(first_order_units, unit_cost, duty_base, other_cost_base):
    """new_first_order_units × (new_unit_cost + duty + other_cost), base currency."""
    return first_order_units * (unit_cost + duty_base + other_cost_base)


def writeoff(first_order_cost, success_rate, failure_writeoff):
    """A launch's expected write-off: (1 − new_success_rate) × first-order cost × new_failure_writeoff."""
    return (1 - success_rate) * first_order_cost * failure_writeoff


def ramp_curve(launch_col: int, n_months: int, ramp_months: int, S_m: np.ndarray) -> np.ndarray:
    """min(1, (m − L + 1) / new_ramp_months) × S_m for each month column (0 before L)."""
    j = np.arange(n_months)
    ramp = np.clip((j - launch_col + 1) / float(ramp_months), 0.0, 1.0)
    return ramp * np.asarray(S_m, dtype=float)


def contribution(success_rate: float, monthly_units: float, price_base: float, launch_col: int, n_months: int,
                 ramp_months: int, S_m: np.ndarray) -> np.ndarray:
    """A launch's sales per month, base currency:
    new_success_rate × new_monthly_units × new_price × min(1, (m − L + 1)/ramp) × S_m."""
    return success_rate * monthly_units * price_base * ramp_curve(launch_col, n_months, ramp_months, S_m)


LAUNCH_TABLE_COLUMNS = ["month", "store", "operator", "planned", "price", "monthly_units", "unit_cost",
                        "first_order_units", "first_order_cost", "launch_budget", "writeoff", "contribution",
                        "price_base", "unit_net_base", "ads_base", "own_values"]


class LaunchPlan:
    """Launches, one row each, and their monthly contributions.

    table          month, store, operator, planned, price (store currency), monthly_units, unit_cost,
                   first_order_units, first_order_cost, launch_budget, writeoff, contribution (plan year),
                   price_base, unit_net_base, ads_base (the launch's own unit economics, base currency),
                   own_values (a price or unit cost of its own)
    monthly        (n_launches × n_forecast_months) contribution in base currency
    covered        per store: contributions over the plan year
    shortfall      per store: max(0, G_s − covered_s) after the last launch

    `plan_launches` gives the rows as dicts and the table is made from them when first asked for: the
    fundable-target search plans ~35 targets and reads only a few columns of each (`column`).
    """

    def __init__(self, table: pd.DataFrame | None, monthly: np.ndarray, covered: np.ndarray, shortfall: np.ndarray,
                 problems: list[Problem] | None = None, rows: list[dict] | None = None,
                 who: list[tuple[str | None, bool]] | None = None):
        """`rows` (instead of the table): a dict per launch; with `who`, (operator, planned) per launch, the rows'
        own values of those two keys are not read (the greedy shares one row among a store-month's launches)."""
        if table is None and rows is None:
            raise ValueError("LaunchPlan: a table or its rows")
        self._table, self._rows, self._who, self._columns = table, rows, who, {}
        self.monthly, self.covered, self.shortfall = monthly, covered, shortfall
        self.problems = [] if problems is None else problems

    @property
    def table(self) -> pd.DataFrame:
        if self._table is None:
            rows = self._rows if self._who is None else \
                [{**row, "operator": op, "planned": planned} for row, (op, planned) in zip(self._rows, self._who)]
            self._table = pd.DataFrame(rows, columns=LAUNCH_TABLE_COLUMNS)
        return self._table

    def column(self, name: str) -> np.ndarray:
        """One column of the table as an array (read only), without making the table."""
        if name not in self._columns:
            if self._table is not None:
                values = self._table[name].to_numpy()
            elif self._who is not None and name in ("operator", "planned"):
                k = 0 if name == "operator" else 1
                values = np.array([w[k] for w in self._who], dtype=self._dtype(name))
            else:
                values = np.array([r[name] for r in self._rows], dtype=self._dtype(name))
            values.setflags(write=False)
            self._columns[name] = values
        return self._columns[name]

    @staticmethod
    def _dtype(name: str):
        return {"month": object, "store": object, "operator": object, "planned": bool, "own_values": bool}.get(
            name, float)

    @property
    def count(self) -> int:
        return len(self._rows) if self._table is None else len(self._table)

    def sales_rates_by_month(self, stores: list[str], cols: np.ndarray, profit_rate: np.ndarray,
                             units_rate: np.ndarray, ads_rate: np.ndarray
                             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Profit, units and advertising per unit of new-product sales, (store × month) over `cols`: the
        store's new product's (the 1-D arguments) blended with what its launches earn at their own price
        and unit cost, each launch weighted by its contribution that month (`sales_rates`)."""
        price = self.column("price_base").astype(float)
        safe = np.where(price > 0, price, 1.0)
        per_sale = {name: np.where(price > 0, self.column(col).astype(float) / safe, 0.0)
                    for name, col in (("profit", "unit_net_base"), ("ads", "ads_base"))}
        per_sale["units"] = np.where(price > 0, 1 / safe, 0.0)
        return (sales_rates(self, stores, profit_rate, per_sale["profit"], cols),
                sales_rates(self, stores, units_rate, per_sale["units"], cols),
                sales_rates(self, stores, ads_rate, per_sale["ads"], cols))


def store_operators(stores: pd.DataFrame, skus: pd.DataFrame) -> dict[str, list[str]]:
    """A store's operators: its Stores operator, then its SKUs' operators, in sheet order."""
    out: dict[str, list[str]] = {str(s): [] for s in stores["store"]}
    pairs = [(r.store, r.operator) for r in stores[["store", "operator"]].itertuples()] if "operator" in stores \
        else []
    pairs += list(zip(skus["store"], skus["operator"])) if "operator" in skus else []
    for store, op in pairs:
        if isinstance(op, str) and op.strip() and str(store) in out and op not in out[str(store)]:
            out[str(store)].append(op)
    return out


def plan_launches(gaps: np.ndarray, new_products: pd.DataFrame, planned: pd.DataFrame,
                  months: tuple[str, ...], plan_cols: np.ndarray, S_m: np.ndarray, first_col: int,
                  operators: dict[str, list[str]], capacity: float, settings: PlanSettings,
                  cache: dict | None = None, covered_below: float = 0.005) -> LaunchPlan:
    """Planned launches first, then the greedy additions until every store's gap is covered or capacity ends.

    gaps          G_s per store (order of `new_products`)
    months        forecast months (bridge then plan); plan_cols the columns of the plan months
    S_m           S of each forecast month
    first_col     the first column a launch may be added in (m >= 1 + ceil(lead_time_days / 30.4))
    covered_below an uncovered gap below this counts as covered: half the base currency's smallest unit
                  (0.005 for cents, 0.5 for yen), so float noise in G_s never buys a launch (3.5)
    planned       Launches sheet: launch_month, store, operator, count, price, monthly_units, unit_cost
    cache         optional, kept by the caller across calls with the same new products, months and settings
                  (the fundable-target search plans ~35 targets): the new products' rows (also indexed by store,
                  `products_by_store`), each launch's row and curve (`cache["launch_rows"]`) and own-valued
                  launches' unit economics (`cache["unit_economics"]`, see `launch_unit_economics`) are worked out
                  once
    """
    problems: list[Problem] = []
    stores = [str(s) for s in new_products["store"]]
    pos = {s: i for i, s in enumerate(stores)}
    n = len(months)
    col_of = {x: j for j, x in enumerate(months)}
    success, ramp = settings.new_success_rate, settings.new_ramp_months
    budget, failure = settings.new_launch_budget, settings.new_failure_writeoff
    in_plan = np.zeros(n, dtype=bool)
    in_plan[plan_cols] = True
    allowance = LaunchAllowance(capacity, n)
    rows: list[dict] = []                             # each launch's row, shared by launches alike but for
    who: list[tuple[str | None, bool]] = []           # their operator and whether planned
    curves: list[np.ndarray] = []
    covered = [0.0] * len(stores)

    cache = {} if cache is None else cache
    store_rows = cache.get("store_rows")
    if store_rows is None:
        used = [c for c in ("store", "price", "monthly_units", "unit_cost", "fx", "freight", "duty_rate",
                            "customs_fob", "other_cost_base", "unit_net_base", "ads_base") if c in new_products]
        store_rows = cache["store_rows"] = {str(r["store"]): r for r in new_products[used].to_dict(orient="records")}
    # a launch is the same whichever operator makes it: its row and curve worked out once per store, month
    # and values (the greedy adds the store's default product at a month many times)
    made: dict[tuple, tuple[dict, np.ndarray, float]] = cache.setdefault("launch_rows", {})
    economics: dict = cache.setdefault("unit_economics", {})

    def launch(store: str, col: int, price, units, unit_cost) -> tuple[dict, np.ndarray, float]:
        np_row = store_rows[store]
        price = float(np_row["price"]) if price is None or pd.isna(price) else float(price)
        units = float(np_row["monthly_units"]) if units is None or pd.isna(units) else float(units)
        cost = float(np_row["unit_cost"]) if unit_cost is None or pd.isna(unit_cost) else float(unit_cost)
        key = (store, col, price, units, cost)
        if key in made:
            return made[key]
        fx = float(np_row["fx"])
        curve = contribution(success, units, price * fx, col, n, ramp, S_m)
        first_units = (settings.new_first_order_units if settings.new_first_order_units is not None
                       else 3 * units)
        # duty and other cost per unit as the store's new product; duty follows the cogs of this launch
        duty_base = float(np_row["duty_rate"]) * float(ue.customs_value(cost - float(np_row["freight"]),
                                                                         float(np_row["freight"]),
                                                                         bool(np_row["customs_fob"])))
        foc = float(first_order_cost(first_units, cost, duty_base, float(np_row["other_cost_base"])))
        in_year = curve[in_plan].sum()
        unit_net, ads = float(np_row.get("unit_net_base", np.nan)), float(np_row.get("ads_base", np.nan))
        own_values = not (abs(price - float(np_row["price"])) <= OWN_VALUE_TOLERANCE
                          and abs(cost - float(np_row["unit_cost"])) <= OWN_VALUE_TOLERANCE)
        if own_values and "unit_net" in new_products:      # its own unit economics (3.2)
            econ = launch_unit_economics(products_by_store(new_products, cache), [store], np.array([price]),
                                         np.array([cost]), economics)
            unit_net, ads = float(econ["unit_net_base"].iloc[0]), float(econ["ads_base"].iloc[0])
        row = {"month": months[col], "store": store, "operator": None, "planned": False,
               "price": price, "monthly_units": units, "unit_cost": cost, "first_order_units": first_units,
               "first_order_cost": foc, "launch_budget": budget,
               "writeoff": float(writeoff(foc, success, failure)),
               "contribution": float(in_year), "price_base": price * fx,
               "unit_net_base": unit_net, "ads_base": ads,
               "own_values": own_values}
        made[key] = (row, curve, in_year)
        return made[key]

    def add(store: str, op: str | None, col: int, planned_flag: bool, price=None, units=None, unit_cost=None):
        row, curve, in_year = launch(store, col, price, units, unit_cost)
        rows.append(row)
        who.append((op, planned_flag))
        curves.append(curve)
        covered[pos[store]] += in_year
        if op is not None:
            allowance.book(op, col)

    # the planned launches' rows once per `cache` (itertuples makes a new row class on every call)
    kept = cache.get("planned_rows")
    if kept is None or kept[0] is not planned:
        kept = cache["planned_rows"] = (planned, list(planned.itertuples(index=False)))
    for r in kept[1]:
        store = str(r.store)
        month = str(r.launch_month)[:7]
        if store not in pos or month not in col_of:
            problems.append(Problem("Launches", "", severity="warning", code="launch_outside",
                                    args={"month": month, "store": store, "first": months[0],
                                          "last": months[-1]}))
            continue
        op = r.operator if isinstance(getattr(r, "operator", None), str) and r.operator.strip() else \
            (operators.get(store) or [None])[0]
        count = int(r.count) if getattr(r, "count", None) is not None and not pd.isna(r.count) else 1
        for _ in range(count):
            add(store, op, col_of[month], True, getattr(r, "price", None), getattr(r, "monthly_units", None),
                getattr(r, "unit_cost", None))

    launchable = new_products["launchable"].to_numpy(dtype=bool).tolist() if "launchable" in new_products \
        else [True] * len(stores)
    gaps = np.asarray(gaps, dtype=float)
    gap = gaps.tolist()          # the greedy below looks at a few dozen stores per launch: lists, not arrays
    col = col_start = max(int(first_col), int(plan_cols[0]) if len(plan_cols) else n)
    store_ops = [operators.get(store, []) for store in stores]
    can_add = allowance.can_add

    def first_able(ops: list[str], col: int) -> str | None:
        for o in ops:
            if can_add(o, col):
                return o
        return None

    # a launch that would add nothing to the plan year covers nothing: none is added (3.5), and the store is
    # named in a warning.  A launch earns less the later it starts, so a store whose launch now would add
    # nothing cannot launch in any later month either.
    adds_nothing: list[str] = []

    def contributes(i: int, col: int) -> bool:
        if launch(stores[i], col, None, None, None)[2] >= covered_below:
            return True
        launchable[i] = False
        adds_nothing.append(stores[i])
        return False

    while col < n:
        # Each month: the store with the largest uncovered gap (first in store order on a tie) among those with
        # an operator who can still launch this month, its first such operator; until none is left.  Booking
        # an operator only takes capacity away, so only the stores whose first operator it was are looked at
        # again (a store with nobody left this month stays so).  A store that cannot launch has no first
        # operator, so the search for the largest gap looks at first operators only.
        first_op = [first_able(store_ops[i], col) if launchable[i] and gap[i] - covered[i] >= covered_below
                    and contributes(i, col) else None for i in range(len(stores))]
        while True:
            best, most = -1, -math.inf
            for i, o in enumerate(first_op):
                if o is not None:
                    uncovered = gap[i] - covered[i]
                    if uncovered >= covered_below and uncovered > most:
                        best, most = i, uncovered
            if best < 0:
                break
            op = first_op[best]
            add(stores[best], op, col, False)
            for i, o in enumerate(first_op):
                if o == op:
                    first_op[i] = first_able(store_ops[i], col)
        col += 1

    no_month = [s for i, s in enumerate(stores) if launchable[i] and gap[i] - covered[i] >= covered_below
                and col_start >= n]
    problems += zero_contribution_warnings(adds_nothing, no_month, settings)
    monthly = np.vstack(curves) if curves else np.zeros((0, n))
    covered = np.array(covered, dtype=float)
    uncovered = gaps - covered
    shortfall = np.where(uncovered >= covered_below, uncovered, 0.0)
    return LaunchPlan(None, monthly, covered, shortfall, problems, rows=rows, who=who)


def zero_contribution_warnings(adds_nothing: list[str], no_month: list[str], settings: PlanSettings) -> list[Problem]:
    """Why stores with a gap got no launch although an operator could launch: each launch would have added
    nothing to the plan year (3.5), so their gap stays as shortfall."""
    out = []
    if adds_nothing:
        names = ", ".join(dict.fromkeys(adds_nothing))
        out.append(Problem("Settings", "", severity="warning", code="launch_adds_nothing",
                           args={"names": names}))
    if no_month:
        names = ", ".join(no_month)
        out.append(Problem("Settings", "", severity="warning", code="no_launch_month",
                           args={"names": names, "days": settings.lead_time_days}))
    return out


def products_by_store(new_products: pd.DataFrame, cache: dict) -> pd.DataFrame:
    """The new products indexed by store, made once per `cache` (see `plan_launches`)."""
    if "by_store" not in cache:
        cache["by_store"] = new_products.set_index(new_products["store"].astype(str))
    return cache["by_store"]


def launch_unit_economics(npd: pd.DataFrame, stores, price: np.ndarray, unit_cost: np.ndarray,
                          cache: dict | None = None) -> pd.DataFrame:
    """The unit economics (3.2, with the `_base` twins) of launches at their own price (store currency) and
    unit cost (base currency), one row per launch: the store's new product (`npd`, indexed by store) with
    that price, unit cost and cogs = unit cost − the store's median freight, return cost by the formula.

    Each distinct (store, price, unit cost) is costed once, and kept in `cache` when one is given."""
    cache = {} if cache is None else cache
    keys = list(zip((str(s) for s in stores), np.asarray(price, float).tolist(),
                    np.asarray(unit_cost, float).tolist()))
    missing = list(dict.fromkeys(k for k in keys if k not in cache))
    if missing:
        products = npd.loc[[k[0] for k in missing]].reset_index(drop=True).copy()
        products["price"] = [k[1] for k in missing]
        products["unit_cost"] = [k[2] for k in missing]
        products["cogs"] = products["unit_cost"].to_numpy(float) - products["freight"].to_numpy(float)
        products["return_cost"] = np.nan           # by the 3.2 formula at this price and cost
        econ = ue.in_base_currency(ue.unit_economics(products))
        for i, k in enumerate(missing):
            cache[k] = econ.iloc[i]
    return pd.DataFrame([cache[k] for k in keys]).reset_index(drop=True).infer_objects()


def sales_rates(launch_plan: "LaunchPlan", stores: list[str], default_rate: np.ndarray, per_launch: np.ndarray,
                cols: np.ndarray) -> np.ndarray:
    """(store × month) a per-unit-of-sales figure of a store-month's new-product sales: the launches selling
    that month, each weighted by its contribution then (3.4, 3.5); the store's new product's `default_rate`
    where none of its launches sells that month.

    per_launch: the figure per unit of sales of each launch (e.g. unit_net_base / price_base).
    Two launches earning 1 000 at 0.5 and 3 000 at 0.3 in a month: (500 + 900) / 4 000 = 0.35."""
    default_rate = np.asarray(default_rate, dtype=float)
    out = np.repeat(default_rate[:, None], len(cols), axis=1)
    if not launch_plan.count:
        return out
    pos = {s: i for i, s in enumerate(stores)}
    idx = np.array([pos[str(s)] for s in launch_plan.column("store")], dtype=int)
    weights = launch_plan.monthly[:, cols]
    total = np.zeros_like(out)
    weighted = np.zeros_like(out)
    np.add.at(total, idx, weights)
    np.add.at(weighted, idx, weights * np.asarray(per_launch, dtype=float)[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, weighted / np.where(total > 0, total, 1.0), out)


class LaunchAllowance:
    """Launch capacity `launches_per_operator_month` = c, per operator (the reading is in docs/method.md).

    In any run of w consecutive months an operator launches at most c × w, rounded up.  A whole c is
    exactly c launches a month (an idle month is not saved up); 0.5 is one launch every two months; 0.25
    one every four; 1.5 alternately two and one.  Planned launches count first and may overbook; a
    launch is added only where every run of months containing it stays within capacity.
    """
    EPS = 1e-9

    def __init__(self, capacity: float, n_months: int):
        self.c = max(0.0, float(capacity))
        self.n = n_months
        self.whole = abs(self.c - round(self.c)) < self.EPS
        self.per_month = round(self.c)                  # a whole c: launches a month
        self.limit = [math.ceil(self.c * w - self.EPS) for w in range(n_months + 1)]  # by run length
        # launches booked per operator and month, as Python lists: the greedy asks can_add some 400 times per
        # target of a mid-sized seller, ~35 targets per plan, and a numpy scalar per question costs more than this
        self.booked: dict[str, list[int]] = {}

    def book(self, operator: str, col: int) -> None:
        counts = self.booked.get(operator)
        if counts is None:
            counts = self.booked[operator] = [0] * self.n
        counts[col] += 1

    def can_add(self, operator: str, col: int) -> bool:
        counts = self.booked.get(operator)
        if self.whole:
            return (counts[col] if counts is not None else 0) + 1 <= self.per_month
        if counts is None:
            counts = [0] * self.n
        csum = [0, *itertools.accumulate(counts)]
        limit = self.limit
        for first in range(col + 1):
            for last in range(col, self.n):
                if csum[last + 1] - csum[first] + 1 > limit[last - first + 1]:
                    return False
        return True


def _store_column(stores: pd.DataFrame, store_order: pd.Series, column: str) -> np.ndarray:
    if column not in stores:
        return np.full(len(store_order), np.nan)
    m = dict(zip(stores["store"].astype(str), pd.to_numeric(stores[column], errors="coerce")))
    return np.array([m.get(str(s), np.nan) for s in store_order], dtype=float)
