"""make_plan: chain the method's steps and assemble the Plan (headline figures, every table, warnings).

Money is kept at full precision until the end, then rounded once: the target at the finest
cell (month × store × operator) by the largest-remainder method against the rounded total
(3.7), every higher total a sum of rounded cells; figures that are not sums of cells
(target net profit, peak need, largest fundable target) rounded once, and their monthly /
store / operator spreads rounded by largest remainder against them.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from collections import namedtuple
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np
import pandas as pd

from goalsheet.inputs import schema
from goalsheet.inputs.model import Problem, SellerBook
from goalsheet.plan import bonus as bn
from goalsheet.plan import breakdown as bd
from goalsheet.plan.engine import UNASSIGNED, Basis, Derived, build_basis, derive, setting
from goalsheet.plan.target import negative_new_sales_notes
from goalsheet.plan.result import TABLES, Plan

MAX_NAMED = 10   # SKUs named in one warning before "and N more"


def make_plan(book: SellerBook, as_of: str | None = None,
             baseline: dict[str, Any] | None = None) -> tuple[Plan, list[Problem]]:
    if as_of is not None:
        as_of = as_of_month(as_of)
        if as_of is None:
            return Plan(headline={}, tables={}), [Problem("", "", "--as-of must be a month such as 2026-03",
                                                          "error", message_zh="--as-of 须为月份，例如 2026-03",
                                                          code="as_of_bad")]
    basis = build_basis(book, as_of)
    d = derive(basis, 1.0)
    problems = list(basis.problems) + list(d.problems)
    decimals = bd.minor_unit_decimals(basis.base_currency)
    plan_months = list(basis.calendar.plan_months)
    pc = basis.plan_cols

    cb = cells_and_bonus(book, basis, d, baseline, decimals)
    cells, sums, ex_sums, salaries = cb.cells, cb.sums, cb.ex_sums, cb.salaries
    scheme, bonus_team, bonus_table, bonus_total = cb.scheme, cb.bonus_team, cb.bonus_table, cb.bonus_total
    problems += cb.problems
    from goalsheet.plan import funding
    parts = profit_parts(basis, d, cells, salaries, bonus_total)
    target_net_profit = parts["target_net_profit"]
    tnp_rounded = _round(target_net_profit, decimals)

    headline: dict[str, Any] = {
        "plan_year": basis.calendar.plan_year,
        "target_sales": sums["company"],
        "target_net_profit": tnp_rounded,
        "existing_sales": ex_sums["company"],
        "new_sales": _round(sums["company"] - ex_sums["company"], decimals),
    }
    store_T = sums["store"].set_index("store")["value"].reindex(basis.stores, fill_value=0.0)
    # a store's existing forecast for the year: its full-precision sum rounded once over the stores against the
    # rounded company total (not the sum of the month cells, whose cents fall elsewhere), so that it, the store's
    # target and its gap reconcile on the Stores sheet
    store_E_exact = cells.groupby("store", sort=False)["existing"].sum().reindex(basis.stores, fill_value=0.0)
    store_E = pd.Series(bd.round_largest_remainder(store_E_exact.to_numpy(float), decimals,
                                                   total=ex_sums["company"]) if len(basis.stores) else [],
                        index=basis.stores, dtype=float)
    # G_s = max(0, T_s − E_s) at full precision (d.gaps), the headline G = Σ G_s rounded once and each store's
    # share of it by largest remainder (3.4, 3.7): a store whose target equals its existing forecast has no gap,
    # whatever cents the rounding of its target and existing cells put elsewhere; a gap below half a cent
    # counts as covered (3.5) and shows as 0.
    half = 0.5 * 10.0 ** -decimals
    exact_gap = np.where(d.gaps >= half, d.gaps, 0.0)
    store_gap = bd.round_largest_remainder(exact_gap, decimals) if len(basis.stores) else np.zeros(0)
    lt = d.launches.table
    in_plan_year = lt["month"].isin(plan_months).to_numpy() if len(lt) else np.zeros(0, bool)
    shortfall = bd.round_largest_remainder(d.launches.shortfall, decimals) if len(basis.stores) else np.zeros(0)
    headline.update({
        "gap": _round(float(store_gap.sum()), decimals),
        "launches_needed": int(in_plan_year.sum()),
        "shortfall": _round(float(shortfall.sum()), decimals),
        "cash_available": _round(float(setting(basis.settings, "cash_available", 0.0)), decimals),
        "bonus_total": _round(bonus_total, decimals),
    })

    tables: dict[str, pd.DataFrame] = {}
    tables["monthly"] = monthly_table(basis, d, cells, sums, ex_sums, parts, decimals)
    tables["stores"], tables["operators"] = store_operator_tables(basis, cells, sums, parts, decimals,
                                                                  salaries, bonus_table)
    tables["stores"]["existing_sales"] = store_E.to_numpy()
    tables["stores"]["new_sales"] = np.round(store_T.to_numpy() - store_E.to_numpy(), decimals)
    tables["stores"]["gap"] = store_gap
    tables["stores"]["launches"] = [int(((lt["store"] == s) & in_plan_year).sum()) if len(lt) else 0
                                    for s in basis.stores]
    tables["stores"]["shortfall"] = shortfall
    tables["products"] = products_table(basis, decimals)
    tables["profit"] = profit_table(basis)
    tables["launches"] = launches_table(d, decimals)
    tables["bonus"] = with_layout_bonus_columns(bonus_table) if bonus_table is not None else empty_bonus()

    assumptions = assumptions_table(basis, book)
    targets = bonus_targets(basis, d, cells, salaries)
    cash, cash_problems = funding.capital_tables(basis, d, bonus_table, scheme.launch_bonus, decimals)
    problems += cash_problems
    tables["cash"], tables["purchases"] = cash.get("cash", pd.DataFrame()), cash.get("purchases", pd.DataFrame())
    headline.update(cash.get("headline", {}))

    from goalsheet.plan import tracking
    tables["tracking"] = pd.DataFrame(columns=tracking.TRACKING_COLUMNS)
    has_actuals = basis.calendar.as_of is not None
    tables["assumptions"] = assumptions
    tables["checks"] = checks_table(cells, tables, headline, parts, store_gap, decimals)
    problems += seller_warnings(basis, d, headline)
    for name in TABLES:
        tables.setdefault(name, pd.DataFrame())

    plan = Plan(headline=headline, tables=tables, warnings=[], base_currency=basis.base_currency,
                plan_year=basis.calendar.plan_year, has_actuals=has_actuals,
                source_name=book.source_name, source_sha256=book.source_sha256,
                frozen={"target_net_profit_parts": {k: _plain_round(v, decimals) for k, v in parts.items()},
                        "seasonality": [float(x) for x in basis.S],
                        "bonus_targets": [{"operator": str(r.operator), "month": str(r.month),
                                           "sales": round(float(r.sales), 6), "net_profit": round(float(r.net_profit), 6),
                                           "launches": float(r.launches)} for r in targets.itertuples(index=False)],
                        "bonus_scheme": bn.scheme_to_json(scheme, bonus_team)})
    if baseline:
        plan = apply_baseline(plan, baseline)
        if isinstance(baseline.get("frozen"), dict) and baseline["frozen"].get("bonus_targets"):
            targets = pd.DataFrame(baseline["frozen"]["bonus_targets"])
    if has_actuals:
        problems += track_actuals(plan, basis, d, cells, salaries, targets, decimals, scheme, bonus_team)
    plan.warnings = [p for p in problems if p.severity == "warning"]
    return plan, problems


@dataclass
class CellsAndBonus:
    """The finest cells with their rounded targets and rollups, the salaries and the bonus table (3.7, 3.8)."""
    cells: pd.DataFrame
    sums: dict
    ex_sums: dict
    salaries: pd.DataFrame
    scheme: Any
    bonus_team: Any
    bonus_table: pd.DataFrame | None
    bonus_total: float
    problems: list[Problem]


def cells_and_bonus(book: SellerBook, basis: Basis, d: Derived, baseline: dict[str, Any] | None,
                    decimals: int) -> CellsAndBonus:
    cells = operator_cells(basis, d)
    cells = bd.breakdown_cells(cells, decimals)                       # rounded target, `rounded`
    existing_cells = bd.breakdown_cells(cells[["month", "store", "operator"]].assign(value=cells["existing"]),
                                        decimals)
    cells["existing_rounded"] = existing_cells["rounded"].to_numpy()
    cells["new_rounded"] = np.round(cells["rounded"] - cells["existing_rounded"], decimals)
    sums = bd.rollups(cells, "rounded", decimals)
    ex_sums = bd.rollups(cells, "existing_rounded", decimals)

    # ---- net profit before bonuses, per cell (3.2, 3.8: an operator's net profit) ----
    salaries = operator_salaries(book, cells)
    scheme, bonus_team, scheme_problems = bonus_scheme(basis, baseline)
    bonus_table, bonus_total, bonus_problems = plan_bonus(basis, d, cells, salaries, scheme, bonus_team)
    return CellsAndBonus(cells, sums, ex_sums, salaries, scheme, bonus_team, bonus_table, bonus_total,
                         list(scheme_problems) + list(bonus_problems))


def as_of_month(text: str) -> str | None:
    """--as-of as 'YYYY-MM', in any month format the input accepts ('2026/3', '2026年3月', 'Mar 2026');
    None when it is not a month."""
    from goalsheet.inputs.values import BadValue, parse_month_text
    try:
        return parse_month_text(str(text))
    except BadValue:
        return None


# --------------------------------------------------------------------------------------------
# cells: month × store × operator

def operator_cells(basis: Basis, d: Derived) -> pd.DataFrame:
    """The finest cells with their target (value) and existing forecast at full precision (3.7).

    An operator's share of a store-month = (their SKUs' existing forecast + their launches'
    contribution there) / the store's.

    Made over arrays, every sum pandas' group sum over the (store, operator) rows in their order with the group
    ids a groupby gives them (pandas adds sorted groups plainly and others compensated, so the ids matter): the
    same figures, bit for bit, as the long frames of `operator_shares` and `split_store_targets` (the reference in
    tests/plan/breakdown_reference.py, held to in test_array_paths.py).  A SKU whose store or operator is blank
    counts in no cell, as the groupby leaves it out (build_basis names a SKU with no operator, and no store
    operator, "(unassigned)", so a validated book has none)."""
    pc = basis.plan_cols
    months = list(basis.calendar.plan_months)
    econ = basis.econ
    lt = d.launches.table
    sku_store, sku_op = econ["store"], econ["operator"]
    l_store = lt["store"] if len(lt) else None
    l_op = lt["operator"].fillna(UNASSIGNED) if len(lt) else None
    if len(months) != len(pc):
        raise ValueError("operator_cells: plan_cols are not the plan months' columns (a Basis invariant)")
    n_m = len(months)
    ads = basis.E_units_sku[:, pc] * econ["ads_base"].to_numpy(float)[:, None]
    sku_pairs, sku_sums = _pair_sums(sku_store, sku_op,
                                     [basis.E_sku[:, pc], basis.P_sku[:, pc], basis.E_units_sku[:, pc], ads])
    if len(lt):
        launch_pairs, launch_sums = _pair_sums(l_store, l_op, [d.launches.monthly[:, pc]])
    else:
        launch_pairs, launch_sums = [], np.zeros((0, n_m))
    stores = list(basis.stores)
    s_index = {s: i for i, s in enumerate(stores)}
    if any(s not in s_index for s, _ in sku_pairs + launch_pairs):
        raise ValueError("operator_cells: a SKU or launch of a store not on the Stores sheet (validation refuses it)")
    # each store's operators: the listed ones, then any contributor not listed (as the reference's operator_shares)
    ops = {s: list(dict.fromkeys(basis.operators.get(s) or [UNASSIGNED])) for s in stores}
    for s, o in sku_pairs + launch_pairs:
        if o not in ops[s]:
            ops[s].append(o)
    pairs = [(s, o) for s in stores for o in ops[s]]
    n_p = len(pairs)
    pair_at = {p: i for i, p in enumerate(pairs)}
    # a pair's sales in a month: pandas' group sum over its SKUs' sum, then its launches' (the frames' rows in
    # their order, grouped as they were: the same ids, so the same summation, whichever way pandas adds)
    sku_rows = np.array([pair_at[p] for p in sku_pairs], dtype=np.intp)
    l_rows = np.array([pair_at[p] for p in launch_pairs], dtype=np.intp)
    month_ix = np.arange(n_m)
    key = np.concatenate([(sku_rows[:, None] + month_ix[None, :] * n_p).reshape(-1),
                          (l_rows[:, None] + month_ix[None, :] * n_p).reshape(-1)])
    codes, uniques = pd.factorize(key)
    got = pd.Series(np.concatenate([sku_sums[:, :n_m].reshape(-1), launch_sums.reshape(-1)])) \
        .groupby(codes, sort=True).sum().to_numpy(dtype=float)
    sales_cells = np.zeros(n_m * n_p)                                # month-major cells; absent: 0
    sales_cells[uniques] = got
    # the store-month total over its operators, and how many they are
    n_ops = np.array([len(ops[s]) for s in stores])
    store_of_pair = np.repeat(np.arange(len(stores)), n_ops)
    store_month = (month_ix[:, None] * len(stores) + store_of_pair[None, :]).reshape(-1)
    total_cells = pd.Series(sales_cells).groupby(store_month, sort=True).transform("sum").to_numpy(dtype=float)
    sales = sales_cells.reshape(n_m, n_p).T
    total_p = total_cells.reshape(n_m, n_p).T
    s_pos_p = store_of_pair
    zero = np.isclose(total_p, 0.0, atol=1e-9)
    share = np.where(zero, 1.0 / n_ops[s_pos_p].astype(float)[:, None], sales / np.where(zero, 1.0, total_p))
    value = d.T[s_pos_p] * share

    def existing(col: int) -> np.ndarray:
        """The SKUs' sum of block `col` per pair (0 for a pair without SKUs), as the frames' re-grouping gives it."""
        out = np.zeros((n_p, n_m))
        v = sku_sums[:, col * n_m:(col + 1) * n_m]
        if np.isnan(v).any() or (np.signbit(v) & (v == 0)).any():
            # a group of one value is that value, but for a blank or a −0.0 pandas' way of adding matters
            v = pd.Series(v.reshape(-1)).groupby(np.arange(v.size), sort=True).sum().to_numpy(float).reshape(v.shape)
        out[sku_rows] = v
        return out

    # month-major cells: month, then store, then operator (the reference operator_shares' grid)
    def cell(a: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(a.T).reshape(-1)

    s_pos = np.tile(s_pos_p, n_m)
    m_pos = np.repeat(np.arange(n_m), n_p)
    cells = pd.DataFrame({"month": np.repeat(np.array(months, dtype=object), n_p).tolist(),
                          "store": [p[0] for p in pairs] * n_m, "operator": [p[1] for p in pairs] * n_m,
                          "value": cell(value), "share": cell(share), "existing": cell(existing(0)),
                          "existing_profit": cell(existing(1)), "existing_units": cell(existing(2)),
                          "existing_ads": cell(existing(3))})
    share_c = cells["share"].to_numpy()
    new = cells["value"].to_numpy() - cells["existing"].to_numpy()
    cells["new"] = new
    cells["new_profit"] = new * d.profit_rate[s_pos, m_pos]
    cells["new_units"] = new * d.units_rate[s_pos, m_pos]
    cells["new_ads"] = new * d.ads_rate[s_pos, m_pos]
    cells["store_costs"] = store_costs(basis, d)[s_pos, m_pos] * share_c
    return cells


def _pair_sums(store: pd.Series, operator: pd.Series, blocks: list[np.ndarray]) -> tuple[list[tuple], np.ndarray]:
    """The (store, operator) pairs in order of first appearance and each block's rows summed per pair (the blocks
    side by side), as `df.groupby(["store", "operator"], sort=False)[block columns].sum()` gives them: pandas'
    group sum over the same rows with the same group ids (one call for all blocks unless one holds a blank,
    which changes how pandas adds: then one call per block, as the frames made them).  A row whose store or
    operator is blank is in no pair: its group id is blank, so pandas drops it just as that groupby does."""
    s_codes, s_names = pd.factorize(store.to_numpy(dtype=object))
    o_codes, o_names = pd.factorize(operator.to_numpy(dtype=object))
    width = max(len(o_names), 1)
    keyed = (s_codes >= 0) & (o_codes >= 0)
    key = s_codes.astype(np.int64) * width + o_codes
    if keyed.all():
        codes, uniques = pd.factorize(key)
        ids: np.ndarray = codes
    else:
        codes, uniques = pd.factorize(key[keyed])
        ids = np.full(len(key), np.nan)
        ids[keyed] = codes
    pairs = [(s_names[u // width], o_names[u % width]) for u in uniques]
    if any(np.isnan(b).any() for b in blocks):
        parts = [pd.DataFrame(np.ascontiguousarray(b)).groupby(ids, sort=True).sum().to_numpy(dtype=float)
                 for b in blocks]
        return pairs, np.hstack(parts)
    return pairs, pd.DataFrame(np.hstack(blocks)).groupby(ids, sort=True).sum().to_numpy(dtype=float)


def store_costs(basis: Basis, d: Derived) -> np.ndarray:
    """(store × plan month) costs charged to a store: monthly fee, expenses (direct, and shared by
    planned sales), launch budgets and write-offs of its launches (in the launch month)."""
    n_s, months = len(basis.stores), list(basis.calendar.plan_months)
    fees = np.repeat(basis.store_params["monthly_fee"].to_numpy(float)[:, None] * basis.fx[:, None], 12, axis=1)
    direct, shared = expenses_by_month(basis.book, basis.stores, months)
    from goalsheet.plan import profit as pf
    expenses = direct + pf.shared_expenses(shared, d.T)
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


def operator_salaries(book: SellerBook, cells: pd.DataFrame) -> pd.DataFrame:
    """operator, monthly salary (Team base_salary; 0 for operators not on the Team sheet)."""
    ops = list(dict.fromkeys(list(book.team["operator"].astype(str)) if len(book.team) else []))
    ops += [o for o in pd.unique(cells["operator"]) if o not in ops]
    pay = {}
    if len(book.team):
        for o, s in zip(book.team["operator"].astype(str), pd.to_numeric(book.team.get("base_salary", 0.0),
                                                                         errors="coerce")):
            pay[o] = pay.get(o, 0.0) + (0.0 if np.isnan(s) else float(s))
    return pd.DataFrame({"operator": ops, "monthly_salary": [pay.get(o, 0.0) for o in ops]})


# --------------------------------------------------------------------------------------------
# bonus and profit

def bonus_scheme(basis: Basis, baseline: dict[str, Any] | None
                 ) -> tuple[bn.BonusScheme, pd.DataFrame, list[Problem]]:
    """The bonus scheme (3.8) and the team with its bonus bases: the Bonus and Team sheets' now, or under
    --baseline the earlier plan's (3.1: the terms people are paid on do not change mid-year), with a warning
    when the sheets now say something else.  An earlier plan without a scheme: the sheets' now, and a warning."""
    book = basis.book
    current, problems = bn.parse_scheme(book.bonus, basis.settings)
    if not baseline:
        return current, book.team, problems
    frozen = baseline.get("frozen") if isinstance(baseline.get("frozen"), dict) else {}
    try:
        scheme, bases = bn.scheme_from_json(frozen["bonus_scheme"])
    except (KeyError, TypeError, ValueError):
        return current, book.team, problems + [Problem(
            "Bonus", "", "the earlier plan (--baseline) carries no bonus scheme: the Bonus and Team sheets as they "
            "are now are used", "warning",
            message_zh="早先的计划（--baseline）未保存奖金方案：按当前的绩效奖金表和团队表计算", code="baseline_no_scheme")]
    team = bn.with_bonus_bases(book.team, bases)
    if bn.scheme_to_json(current, book.team) != bn.scheme_to_json(scheme, team):
        problems = [Problem("Bonus", "", "the Bonus or Team sheet (tiers, weights, bonus bases, profit pool, launch "
                            "bonus) differs from the earlier plan's: the earlier plan's scheme is used (--baseline)",
                            "warning", message_zh="绩效奖金表或团队表（档位、权重、奖金基数、利润分享、新品奖金）与早先的"
                                                  "计划不同：按早先计划的奖金方案计算（--baseline）",
                            code="baseline_scheme_changed")]
    else:
        problems = []
    return scheme, team, problems


def plan_bonus(basis: Basis, d: Derived, cells: pd.DataFrame, salaries: pd.DataFrame,
               scheme: bn.BonusScheme, team: pd.DataFrame) -> tuple[pd.DataFrame | None, float, list[Problem]]:
    """The scheme at 80 / 100 / 120 % (3.8) via bonus.py; its 100 % total enters target net profit."""
    try:
        problems: list[Problem] = []
        targets = bonus_targets(basis, d, cells, salaries)
        table = bn.plan_bonus(scheme, team, targets,
                              new_success_rate=float(setting(basis.settings, "new_success_rate", 0.6)),
                              target_net_profit=float(targets["net_profit"].sum()),
                              plan_year=basis.calendar.plan_year,
                              decimals=bd.minor_unit_decimals(basis.base_currency))
        return table, float(bn.bonus_total(table)), problems
    except NotImplementedError:
        # TODO(bonus.py): the bonus engine is not there yet; the plan carries no bonus until it lands.
        return None, 0.0, [Problem("Bonus", "", "the bonus scheme is not computed in this build: bonus 0",
                                   "warning")]


def bonus_targets(basis: Basis, d: Derived, cells: pd.DataFrame, salaries: pd.DataFrame) -> pd.DataFrame:
    """operator, month, sales, net_profit (before bonuses), launches: one row per operator × plan month.

    The plan asks twice (for its bonus, and for the frozen targets) with the same figures: made once per
    (plan, cells, salaries), each caller given its own copy."""
    made = basis.cache.get("bonus_targets")
    if made is not None and made[0] is d and made[1] is cells and made[2] is salaries:
        return made[3].copy()
    out = _bonus_targets(basis, d, cells, salaries)
    basis.cache["bonus_targets"] = (d, cells, salaries, out.copy())
    return out


def _bonus_targets(basis: Basis, d: Derived, cells: pd.DataFrame, salaries: pd.DataFrame) -> pd.DataFrame:
    c = cells.assign(profit=cells["existing_profit"] + cells["new_profit"] - cells["store_costs"])
    g = c.groupby(["operator", "month"], sort=False).agg(sales=("rounded", "sum"), net_profit=("profit", "sum"))
    ops = list(salaries["operator"])
    months = list(basis.calendar.plan_months)
    idx = pd.MultiIndex.from_product([ops, months], names=["operator", "month"])
    out = g.reindex(idx).fillna(0.0).reset_index()
    pay = dict(zip(salaries["operator"], salaries["monthly_salary"]))
    out["net_profit"] = out["net_profit"] - out["operator"].map(pay).fillna(0.0)
    lt = d.launches.table
    counts = lt.assign(operator=lt["operator"].fillna(UNASSIGNED)).groupby(["operator", "month"]).size() \
        if len(lt) else pd.Series(dtype=float)
    out["launches"] = [float(counts.get((o, m), 0)) for o, m in zip(out["operator"], out["month"])]
    return out


def profit_parts(basis: Basis, d: Derived, cells: pd.DataFrame, salaries: pd.DataFrame,
                 bonus_total: float) -> dict[str, float]:
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
    from goalsheet.plan import profit as pf
    parts["target_net_profit"] = pf.target_net_profit(
        parts["existing_products"], parts["new_products"], parts["launch_budgets"], parts["writeoff"],
        parts["store_fees"], parts["expenses"], parts["salaries"], parts["bonus_at_100"])
    return parts


# --------------------------------------------------------------------------------------------
# tables

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
    return pd.DataFrame({
        "month": months,
        "target_sales": target,
        "existing_sales": existing,
        "new_sales": np.round(target - existing, decimals),
        "units": bd.round_largest_remainder(units, 0),
        "target_net_profit": bd.round_largest_remainder(profit, decimals, total=_round(parts["target_net_profit"],
                                                                                        decimals)),
        "ad_budget": bd.round_largest_remainder(ads, decimals),
        "launches": launches,
    })


def monthly_profit(basis: Basis, d: Derived, cells: pd.DataFrame, parts: dict) -> np.ndarray:
    """Target net profit per plan month at full precision: the cells' profit less salaries, and the bonus
    accrued evenly over the year (it adds up to the annual figure)."""
    months = list(basis.calendar.plan_months)
    c = cells.assign(p=cells["existing_profit"] + cells["new_profit"] - cells["store_costs"])
    profit = c.groupby("month", sort=False)["p"].sum().reindex(months, fill_value=0.0).to_numpy()
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
    tnp = _round(parts["target_net_profit"], decimals)
    bonus_of = _operator_bonus(bonus_table)
    c = cells.assign(p=cells["existing_profit"] + cells["new_profit"] - cells["store_costs"])
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
    from goalsheet.plan.unit_economics import MONEY_TERMS
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


def with_layout_bonus_columns(table: pd.DataFrame) -> pd.DataFrame:
    """bonus.py's `bonus_at_<pct>` columns also as `bonus_<pct>` (the output layout's keys)."""
    out = table.copy()
    for c in [c for c in out.columns if str(c).startswith("bonus_at_")]:
        out["bonus_" + str(c)[len("bonus_at_"):]] = out[c]
    return out


def empty_bonus() -> pd.DataFrame:
    return pd.DataFrame(columns=["operator", "period", "kind", "metric", "target", "share", "bonus_80", "bonus_100",
                                 "bonus_120"])


SETTING_NOTES = {c.key: c.note for c in schema.SETTINGS.columns}
ASSUMPTION_COLUMNS = ["setting", "value", "source", "note", "setting_zh", "note_zh", "format"]
# How the workbook shows a value, by the schema's kind (goalsheet.output has the number formats).
VALUE_FORMAT = {"rate": "rate", "money": "money", "int": "int", "number": "number"}
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Chinese for the notes of derived rows that come from the method's own words.
METHOD_ZH = {
    "history: ratio to centred moving average": "按历史：各月与居中移动平均之比",
    "history: share of the last 12 months": "按历史：最近 12 个月各月的占比",
    "flat (under 12 months of history)": "平均（历史不足 12 个月）",
    "off": "不考虑季节性（每月 1）",
    "given": "设置表给出的 12 个指数（已调整为平均 1）",
    "median sell price of the store's SKUs": "该店 SKU 买家支付价的中位数",
    "Stores new_price": "店铺表的新品客单价",
    "Settings new_price": "设置表的新品客单价（换算为店铺币种）",
}


def _explain_zh(sheet: str, key: str) -> str:
    """The Chinese explanation `goalsheet init` writes for a column or setting (inputs.blank.EXPLAIN)."""
    from goalsheet.inputs.blank import EXPLAIN
    return EXPLAIN.get((sheet, key), ("", ""))[1]


def _column(sheet: str, key: str) -> schema.Column | None:
    try:
        return schema.SHEET_BY_KEY[sheet].column(key)
    except KeyError:
        return None


def _label_zh(sheet: str, key: str, scope: str = "") -> str:
    """'计划年度 (plan_year)', '新品客单价 (new_price) [Lumos US]'."""
    col = _column(sheet, key)
    name = f"{col.zh} ({key})" if col is not None else key
    return f"{name} [{scope}]" if scope else name


def _default_reason_zh(reason: str) -> str:
    """A Default's reason ('marketplace DE', 'currency USD', 'operator of store X', 'default') in Chinese."""
    for pattern, zh in ((r"marketplace (.+)", "按站点 {0} 的默认值"), (r"currency (.+)", "按币种 {0} 的默认值"),
                        (r"operator of store (.+)", "店铺 {0} 的运营"), (r"default", "默认值"),
                        (r"no units in Sales", "销售表没有销量：按销售额 ÷ 买家支付价")):
        m = re.fullmatch(pattern, str(reason))
        if m:
            return zh.format(*m.groups())
    return str(reason)


SKU_SHEET = "SKUs"
NAMED_SKUS = 3       # a summary row names its SKUs when there are at most this many


def _skus(n: int) -> str:
    return f"{n:,} SKU" + ("" if n == 1 else "s")


def _skus_zh(n: int) -> str:
    return f"{n:,} 个SKU"


def sku_defaults(defaults) -> dict[tuple[str, str], list]:
    """The SKUs sheet's defaults grouped by (column, how it was defaulted), in order of first appearance: the
    Assumptions table has one row per group, not one per SKU (the per-SKU values are on Products/Profit)."""
    return _defaults_by_sheet(defaults)[2]


def _defaults_by_sheet(defaults) -> tuple[set, list, dict[tuple[str, str], list]]:
    """One pass over the defaults (tens of thousands on a large seller): the Settings rows defaulted, the
    defaults of the other sheets but SKUs (in order), and `sku_defaults`' groups."""
    settings: set = set()
    others: list = []
    groups: dict[tuple[str, str], list] = {}
    for x in defaults:
        sheet = x.sheet
        if sheet == SKU_SHEET:
            groups.setdefault((x.column, str(x.reason)), []).append(x)
        elif sheet == "Settings":
            settings.add(x.row)
        else:
            others.append(x)
    return settings, others, groups


_VALUE_OF, _ROW_OF = attrgetter("value"), attrgetter("row")
_PLAIN_TYPES = frozenset((float, int, str, bool, type(None)))


@dataclass(frozen=True)
class Spread:
    """The value a summary row shows for many SKUs, and what its note adds (English, Chinese)."""
    value: Any
    note: str
    note_zh: str


def sku_spread(values, fmt: str, names: list[str]) -> Spread:
    """One value for a group of SKUs: the value itself when all agree, else the median of numbers (the note
    gives the range) or the count of distinct texts.  At most NAMED_SKUS SKUs are named in the note.

    [0.19, 0.19] -> 0.19; [0.1, 0.3, 0.2] -> 0.2, 'median; from 10.00% to 30.00%' (rate)."""
    names_en = f"; {', '.join(names)}" if len(names) <= NAMED_SKUS else ""
    names_zh = f"；{'、'.join(names)}" if len(names) <= NAMED_SKUS else ""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
        plain = values.tolist()                         # each value's .item()
    elif isinstance(values, list) and set(map(type, values)) <= _PLAIN_TYPES:
        plain = values                                  # nothing has an .item()
    else:
        plain = [v.item() if hasattr(v, "item") else v for v in values]
    distinct = list(dict.fromkeys(zip(map(type, plain), plain)))
    if len(distinct) == 1:
        return Spread(plain[0], names_en, names_zh)
    if {t for t, _ in distinct} <= {int, float}:
        numbers = list(map(float, plain))
    else:
        numbers = [float(v) for v in plain if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) == len(plain) and all(map(math.isfinite, numbers)):
        lo, hi = _number_text(min(numbers), fmt), _number_text(max(numbers), fmt)
        return Spread(float(np.median(numbers)), f"; median of {len(numbers):,}, from {lo} to {hi}{names_en}",
                      f"；{len(numbers):,} 个值的中位数，{lo} 至 {hi}{names_zh}")
    return Spread(f"{len(distinct):,} values", f"; {len(distinct):,} different values{names_en}",
                  f"；{len(distinct):,} 个不同的值{names_zh}")


def _number_text(x: float, fmt: str) -> str:
    if fmt == "rate":
        return f"{x:.2%}"
    if fmt == "money":
        return f"{x:,.2f}"
    if fmt == "int":
        return f"{x:,.0f}"
    return f"{x:,.6g}"


def assumptions_table(basis: Basis, book: SellerBook) -> pd.DataFrame:
    """Every setting used, with its source (input / default / derived), and the run's provenance.

    Columns: setting (the key, English label), value, source, note; setting_zh, note_zh (the Chinese workbook's
    label and note: the schema's Chinese name beside the key, the explanation `goalsheet init` gives); format
    (how the value is shown: rate | money | int | number | index | text).

    Per-SKU values are summarised, one row per (column, how it was defaulted) with the count of SKUs, the value
    (the median and range when they differ) and, for a few SKUs, their names: a seller with 20 000 SKUs gets
    some dozens of rows, not 140 000; each SKU's effective values are on the Products and Profit sheets.
    Per-store rows (few) stay one per store."""
    from goalsheet import __version__
    defaulted_settings, other_defaults, sku_groups = _defaults_by_sheet(book.defaults)
    rows = []

    def add(setting: str, value: Any, source: str, note: str, setting_zh: str, note_zh: str, fmt: str) -> None:
        value = _text(value)
        rows.append({"setting": setting, "value": value, "source": source, "note": note, "setting_zh": setting_zh,
                     "note_zh": note_zh or note, "format": fmt if isinstance(value, (int, float)) else "text"})

    for c in schema.SETTINGS.columns:
        v = basis.settings.get(c.key)
        if v is None:
            continue
        source = "default" if c.key in defaulted_settings else "input"
        add(c.key, v, source, c.note, _label_zh("Settings", c.key), _explain_zh("Settings", c.key),
            VALUE_FORMAT.get(c.kind, "text"))
    cal = basis.calendar
    if basis.settings.get("plan_year") is None:
        add("plan_year", cal.plan_year, "derived", "plan year (SPEC 3.1): not set, from the last history month",
            _label_zh("Settings", "plan_year"), "未设置：按最后一个历史月份推算（该月为 12 月时取下一年）", "int")
    for month, (name, x) in enumerate(zip(MONTHS_EN, basis.S), start=1):
        add(f"seasonality_index [{name}]", round(float(x), 6), "derived", basis.S_method,
            f"季节性指数 (seasonality_index) [{month}月]", METHOD_ZH.get(basis.S_method, basis.S_method), "index")
    add("history", f"{cal.history[0]} .. {cal.history[-1]}" if cal.history else "none", "derived",
        "history months used", "历史月份 (history)", "使用的历史月份", "text")
    add("bridge_months", ", ".join(cal.bridge) or "none", "derived", "forecast, never targeted",
        "过渡月份 (bridge_months)", "历史之后、计划年度之前的月份：只预测，不设目标", "text")
    add("first_launch_month", basis.months[basis.first_col] if basis.first_col < len(basis.months) else "none",
        "derived", "m >= 1 + ceil(lead_time_days / 30.4)", "最早上新月份 (first_launch_month)",
        "m ≥ 1 + ceil(备货周期天数 / 30.4)", "text")
    given = {k: basis.settings.get(k) is not None for k in ("new_monthly_units", "new_unit_cost")}
    npd = basis.new_products
    for store, price, price_source, monthly_units, unit_cost, unit_net_base in zip(
            npd["store"], npd["price"], npd["price_source"], npd["monthly_units"], npd["unit_cost"],
            npd["unit_net_base"]):
        store = str(store)
        add(f"new_price [{store}]", round(float(price), 6), "derived", f"{price_source} (store currency)",
            _label_zh("Settings", "new_price", store),
            f"{METHOD_ZH.get(price_source, price_source)}（店铺币种）", "money")
        add(f"new_monthly_units [{store}]", round(float(monthly_units), 4), "derived",
            "Settings" if given["new_monthly_units"] else "median run-rate units of the store's existing SKUs",
            _label_zh("Settings", "new_monthly_units", store),
            "设置表" if given["new_monthly_units"] else "该店老品月均销量的中位数", "number")
        add(f"new_unit_cost [{store}]", round(float(unit_cost), 4), "derived",
            "Settings" if given["new_unit_cost"] else "median cogs + freight of the store's existing SKUs",
            _label_zh("Settings", "new_unit_cost", store),
            "设置表" if given["new_unit_cost"] else "该店老品采购成本 + 头程的中位数", "money")
        add(f"new product unit_net [{store}]", round(float(unit_net_base), 6), "derived", "base currency",
            f"新品单件净利润 (unit_net) [{store}]", "本位币", "money")
    e = basis.econ
    derived = e.loc[~e["ad_rate_given"].to_numpy(bool)]
    if len(derived):
        names = [f"{s} / {k}" for s, k in zip(derived["store"], derived["sku"])] \
            if len(derived) <= NAMED_SKUS else [None] * len(derived)          # only a few are named
        spread = sku_spread(derived["ad_rate"].to_numpy(float), "rate", names)
        add(f"ad_rate [{_skus(len(derived))}]", spread.value, "derived",
            "ad_spend / revenue of the last baseline_months history months" + spread.note,
            _label_zh("SKUs", "ad_rate", _skus_zh(len(derived))), "最近基准月数的广告花费 ÷ 销售额" + spread.note_zh,
            "rate")
    for x in other_defaults:
        col = _column(x.sheet, x.column)
        sheet_zh = schema.SHEET_BY_KEY[x.sheet].zh if x.sheet in schema.SHEET_BY_KEY else x.sheet
        add(f"{x.sheet}: {x.row} {x.column}", x.value, "default", x.reason,
            f"{sheet_zh}: {x.row} {col.zh if col is not None else ''} ({x.column})".replace("  ", " "),
            _default_reason_zh(x.reason), VALUE_FORMAT.get(col.kind, "number") if col is not None else "number")
    for (column, reason), group in sku_groups.items():
        col = _column(SKU_SHEET, column)
        fmt = VALUE_FORMAT.get(col.kind, "number") if col is not None else "number"
        names = list(map(_ROW_OF, group)) if len(group) <= NAMED_SKUS else [None] * len(group)  # only a few named
        spread = sku_spread(list(map(_VALUE_OF, group)), fmt, names)
        sheet_zh = schema.SHEET_BY_KEY[SKU_SHEET].zh
        add(f"{SKU_SHEET}: {column} [{_skus(len(group))}]", spread.value, "default", reason + spread.note,
            f"{sheet_zh}: {col.zh if col is not None else column} ({column}) [{_skus_zh(len(group))}]",
            _default_reason_zh(reason) + spread.note_zh, fmt)
    add("input", book.source_name, "run", "input file", "输入文件 (input)", "输入文件", "text")
    add("input_sha256", book.source_sha256, "run", "input file hash", "输入文件哈希 (input_sha256)", "输入文件的 SHA-256",
        "text")
    add("goalsheet_version", __version__, "run", "", "goalsheet 版本 (goalsheet_version)", "", "text")
    add("planned_at", _dt.datetime.now().isoformat(timespec="seconds"), "run", "local time",
        "计划时间 (planned_at)", "本地时间", "text")
    return pd.DataFrame(rows, columns=ASSUMPTION_COLUMNS)


def _text(v: Any) -> Any:
    """A setting's value for the Assumptions table: numbers stay numbers (the workbook formats them), the
    rest is text."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, float, np.integer, np.floating)):
        x = float(v)
        if math.isfinite(x):
            return int(x) if x.is_integer() and abs(x) < 1e15 else x
        return str(v)
    if isinstance(v, (tuple, list)):
        return ", ".join(f"{x:g}" if isinstance(x, float) else str(x) for x in v)
    return str(v)


def checks_table(cells: pd.DataFrame, tables: dict, headline: dict, parts: dict, store_gap: np.ndarray,
                 decimals: int) -> pd.DataFrame:
    m = tables["monthly"]
    extra = {
        "Monthly target sales add up to the annual target": (m["target_sales"], headline["target_sales"]),
        "Monthly existing + new products = target": (list(m["existing_sales"]) + list(m["new_sales"]),
                                                     headline["target_sales"]),
        "Monthly target net profit adds up to the headline": (m["target_net_profit"],
                                                               headline["target_net_profit"]),
        "Stores' net profit adds up to the headline": (tables["stores"]["net_profit"],
                                                       headline["target_net_profit"]),
        "Operators' net profit adds up to the headline": (tables["operators"]["net_profit"],
                                                          headline["target_net_profit"]),
        "Store gaps add up to the gap": (store_gap, headline["gap"]),
        "Stores' totals add up to the target": (tables["stores"]["total"], headline["target_sales"]),
        "Operators' totals add up to the target": (tables["operators"]["total"], headline["target_sales"]),
        "Target net profit = the sum of its parts": (
            [parts["existing_products"], parts["new_products"], -parts["launch_budgets"], -parts["writeoff"],
             -parts["store_fees"], -parts["expenses"], -parts["salaries"], -parts["bonus_at_100"]],
            parts["target_net_profit"]),
    }
    lt = tables["launches"]
    if len(lt):
        extra["Launch contributions add up"] = (lt["contribution"], math.fsum(lt["contribution"]))
    cash = tables.get("cash")
    if cash is not None and len(cash) and "net_flow" in cash:
        from goalsheet.plan.funding import FLOW_COLUMNS
        flows = [c for c in FLOW_COLUMNS if c in cash]
        extra["Cash: the flows add up to the net cash flow"] = (cash[flows].to_numpy(float).ravel(),
                                                                float(cash["net_flow"].sum()))
        extra["Cash: opening + net flows = closing balance"] = (
            [float(cash["opening_balance"].iloc[0]), *cash["net_flow"]], float(cash["closing_balance"].iloc[-1]))
    checks = bd.standard_checks(cells, extra, "rounded", decimals)
    return bd.reconcile(checks, decimals)


def seller_warnings(basis: Basis, d: Derived, headline: dict) -> list[Problem]:
    """What a seller needs to see: weak SKUs, funding that cannot carry the target, capacity short of the gap."""
    out: list[Problem] = []
    e = basis.econ
    for flag, text, text_zh in (("loss_making", "lose money on every unit sold", "每卖一件都亏损"),
                                ("low_margin", "earn a net margin under 10 %", "净利率低于 10%"),
                                ("ads_heavy", "spend more than half of their margin before ads on advertising",
                                 "广告花费超过广告前利润的一半")):
        mask = e[flag].to_numpy(bool).copy()
        if flag == "low_margin":
            mask &= ~e["loss_making"].to_numpy(bool)
        if mask.any():
            names = [f"{s} / {k}" for s, k in zip(e.loc[mask, "store"], e.loc[mask, "sku"])]
            more = f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else ""
            more_zh = f" 等 {len(names)} 个" if len(names) > MAX_NAMED else ""
            out.append(Problem("SKUs", "", f"{len(names)} SKU(s) {text}: {', '.join(names[:MAX_NAMED])}{more}",
                               "warning", message_zh=f"{len(names)} 个SKU{text_zh}：{'、'.join(names[:MAX_NAMED])}"
                                                     f"{more_zh}", code=flag))
    out += negative_new_sales_notes(d.T, d.E, basis.stores, list(basis.calendar.plan_months), basis.base_currency)
    if headline.get("shortfall", 0) > 0:
        short = {s: v for s, v in zip(basis.stores, d.launches.shortfall) if v > 0}
        cur = basis.base_currency
        out.append(Problem("Settings", "", "launch capacity cannot cover the gap: "
                           + ", ".join(f"{s} short by {v:,.2f}" for s, v in short.items())
                           + f" {cur}; the shortfall stays in the target (raise "
                           "launches_per_operator_month, add operators, or lower the target)", "warning",
                           message_zh="上新产能不足以填补缺口："
                           + "，".join(f"{s} 差 {v:,.2f} {cur}" for s, v in short.items())
                           + "；差额仍计入目标（可提高每人每月上新数、增加运营或降低目标）",
                           code="launch_shortfall"))
    if headline.get("funding_feasible") is False:
        cur = basis.base_currency
        need = float(headline.get("peak_cash_need", 0))
        credit = float(setting(basis.settings, "credit_line", 0.0))
        top, asked = headline.get("max_feasible_sales", 0), headline.get("target_sales", 0)
        out.append(Problem("Settings", "", f"the cash cannot carry this target: the peak cash need "
                           f"{need:,.2f} {cur} exceeds the credit line {credit:,.2f} {cur} by {need - credit:,.2f}; "
                           f"the largest fundable target found is {top:,.2f} {cur} (the plan asks {asked:,.2f})",
                           "warning",
                           message_zh=f"资金无法支撑该目标：资金峰值缺口 {need:,.2f} {cur}，超出授信额度 "
                                      f"{credit:,.2f} {cur} 达 {need - credit:,.2f}；资金可支撑的最大目标为 "
                                      f"{top:,.2f} {cur}（计划目标 {asked:,.2f}）", code="funding_infeasible"))
    return out


def apply_baseline(plan: Plan, baseline: dict[str, Any]) -> Plan:
    """--baseline: take every plan figure (headline and plan tables) from an earlier plan's JSON (3.1), so
    mid-year changes of prices, costs or settings leave the targets people are paid on untouched.
    The cash tables, assumptions and checks stay as computed now; tracking (done after this) compares the
    actuals with the baseline's targets, and the reforecast scales the current forecast."""
    tables = baseline.get("tables", {}) if isinstance(baseline, dict) else {}
    for name in ("monthly", "stores", "operators", "products", "profit", "launches", "bonus"):
        if tables.get(name):
            df = pd.DataFrame(tables[name])
            if name == "monthly":
                df = df[[c for c in df.columns if c not in ("actual_sales", "variance", "attainment", "reforecast")]]
            if name == "bonus":
                df = df[[c for c in df.columns if c not in BONUS_TRACKING_COLUMNS]]
            plan.tables[name] = df
    head = baseline.get("headline", {}) if isinstance(baseline, dict) else {}
    for k, v in head.items():
        key = k[3:] if k.startswith("gs_") else k
        if key not in ACTUALS_HEADLINE:
            plan.headline[key] = v
    plan.frozen = dict(plan.frozen, baseline=True)
    if isinstance(baseline.get("frozen"), dict) and baseline["frozen"].get("bonus_targets"):
        plan.frozen["bonus_targets"] = baseline["frozen"]["bonus_targets"]
    return plan


ACTUALS_HEADLINE = ("as_of", "plan_sales_ytd", "actual_sales_ytd", "attainment_ytd", "reforecast_sales",
                    "bonus_earned", "bonus_paid", "bonus_forecast", "bonus_true_up")
BONUS_TRACKING_COLUMNS = ("plan_to_date", "actual_to_date", "actual", "attainment", "status", "accrued", "earned",
                          "forecast", "payment_month", "paid", "true_up")


def track_actuals(plan: Plan, basis: Basis, d: Derived, cells: pd.DataFrame, salaries: pd.DataFrame,
                  targets: pd.DataFrame, decimals: int, scheme: bn.BonusScheme, team: pd.DataFrame
                  ) -> list[Problem]:
    """With actuals (3.8, 3.9): the Tracking table, the Monthly table's actual columns, the Bonus table's
    attainment to date, earned, paid and true-up, and the headline figures of the year so far."""
    from goalsheet.plan import tracking
    tables, problems = plan.tables, []
    tables["tracking"], head = tracking.tracking_table(basis, d, cells, tables, decimals)
    plan.headline.update(head)
    tables["monthly"] = tracking.with_actuals(tables["monthly"], tables["tracking"])
    missing = [m for m in basis.calendar.plan_months
               if m <= basis.calendar.as_of and m not in basis.calendar.actuals]
    if missing:
        problems.append(Problem("Sales", "", f"no Sales rows for {', '.join(missing)}: counted as 0 in the actuals "
                                f"(months up to {basis.calendar.as_of} are closed)", "warning",
                                message_zh=f"销售表没有 {', '.join(missing)} 的数据：实际按 0 计"
                                           f"（截至 {basis.calendar.as_of} 的月份视为已结束）", code="actuals_missing"))
    actuals = tracking.bonus_actuals(basis, cells, salaries)
    earned = bn.earned_bonus(scheme, team, targets, actuals, basis.calendar.as_of,
                             new_success_rate=float(setting(basis.settings, "new_success_rate", 0.6)),
                             target_net_profit=float(targets["net_profit"].sum()),
                             successful_launches=tracking.successful_launches(basis),
                             new_ramp_months=int(setting(basis.settings, "new_ramp_months", 3)),
                             plan_year=basis.calendar.plan_year, decimals=decimals)
    tables["bonus"] = bonus_with_actuals(tables["bonus"], earned)
    totals = earned[earned["kind"] == "total"]
    for key, col in (("bonus_earned", "earned"), ("bonus_paid", "paid"), ("bonus_forecast", "forecast"),
                     ("bonus_true_up", "true_up")):
        plan.headline[key] = _round(float(totals[col].sum()), decimals)
    return problems


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


def _round(x: float, decimals: int) -> float:
    return float(bd.round_largest_remainder([x], decimals)[0])


def _plain_round(v: Any, decimals: int) -> Any:
    return round(float(v), 6) if isinstance(v, (int, float, np.floating)) else v
