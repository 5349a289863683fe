"""make_plan: the method's steps chained in SPEC order into the Plan (headline figures, every table, warnings).

Money is kept at full precision until the end, then rounded once: the target at the finest
cell (month × store × operator) by the largest-remainder method against the rounded total
(3.7), every higher total a sum of rounded cells; figures that are not sums of cells
(target net profit, peak need, largest fundable target) rounded once, and their monthly /
store / operator spreads rounded by largest remainder against them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from goalsheet.inputs.model import Problem, SellerBook
from goalsheet.plan import bonus as bn
from goalsheet.plan import breakdown as bd
from goalsheet.plan import tables as tb
from goalsheet.plan import tracking
from goalsheet.plan.assumptions import assumptions_table
from goalsheet.plan.baseline import apply_baseline
from goalsheet.plan.basis import Basis, Derived, build_basis, derive
from goalsheet.plan.calendar import as_of_month
from goalsheet.plan.cash.tables import capital_tables, spending_after_year
from goalsheet.plan.cells import operator_salaries, rounded_cells
from goalsheet.plan.checks import checks_table
from goalsheet.plan.profit import profit_parts
from goalsheet.plan.result import TABLES, Headline, Plan
from goalsheet.plan.scenarios import empty_scenarios, scenario_table
from goalsheet.plan.verdict import alarm_warnings, verdict
from goalsheet.plan.warnings import seller_warnings


@dataclass
class PlanCore:
    """The plan's figures before its presentation tables: the steps of 3.1-3.8 that the headline rests on, for the
    plan itself and for each of its scenarios (3.10)."""
    basis: Basis
    d: Derived
    decimals: int
    cells: pd.DataFrame
    sums: dict
    ex_sums: dict
    salaries: pd.DataFrame
    scheme: Any
    bonus_team: Any
    bonus_table: pd.DataFrame | None
    bonus_total: float
    parts: dict
    store_gap: np.ndarray
    launches: pd.DataFrame
    store_T: np.ndarray
    store_E: np.ndarray
    coverage: pd.DataFrame
    cash: dict
    headline: Headline
    problems: list[Problem]


def plan_core(basis: Basis, baseline: dict[str, Any] | None = None) -> PlanCore:
    """3.2-3.8 on a basis: the target k = 1, its rounded cells, the bonus, target net profit, the coverage of the
    gap, the cash plan and the limits of the target; the headline figures of SPEC section 4."""
    d = derive(basis, 1.0)
    problems = list(basis.problems) + list(d.problems)
    decimals = bd.minor_unit_decimals(basis.base_currency)

    # ---- 3.7: the finest cells, rounded; 3.8: the bonus scheme and its plan; 3.2: target net profit
    rc = rounded_cells(basis, d, decimals)
    cells, sums, ex_sums = rc.cells, rc.sums, rc.ex_sums
    salaries = operator_salaries(basis.book, cells)
    scheme, bonus_team, scheme_problems = bn.bonus_scheme(basis, baseline)
    bonus_table, bonus_total = bn.planned_bonus(basis, d, cells, salaries, scheme, bonus_team)
    problems += scheme_problems
    parts = profit_parts(basis, d, salaries, bonus_total)
    store_gap = tb.store_gaps(d, basis.base_currency)
    launches = tb.launches_table(d, decimals)
    store_T, store_E = tb.store_totals(basis, cells, sums, ex_sums, decimals)
    coverage = tb.coverage_table(basis, d, store_T, store_E, store_gap, launches, decimals)

    # ---- 3.6: the cash plan and the limits of the target
    cash, cash_problems = capital_tables(basis, d, bonus_table, scheme.launch_bonus, decimals)
    problems += cash_problems
    headline = Headline(
        plan_year=basis.calendar.plan_year,
        target_sales=sums["company"],
        target_net_profit=bd.round_one(parts["target_net_profit"], decimals),
        existing_sales=ex_sums["company"],
        new_sales=bd.round_one(sums["company"] - ex_sums["company"], decimals),
        gap=bd.round_one(float(store_gap.sum()), decimals),
        launches_needed=int(tb.in_plan_year(basis, d).sum()),
        shortfall=bd.round_one(float(coverage["shortfall"].sum()), decimals),
        cash_available=bd.round_one(basis.settings.cash_available, decimals),
        bonus_total=bd.round_one(bonus_total, decimals),
        **cash["headline"])
    return PlanCore(basis, d, decimals, cells, sums, ex_sums, salaries, scheme, bonus_team, bonus_table, bonus_total,
                    parts, store_gap, launches, store_T, store_E, coverage, cash, headline, problems)


def make_plan(book: SellerBook, as_of: str | None = None, baseline: dict[str, Any] | None = None,
              scenarios: bool = False) -> tuple[Plan, list[Problem]]:
    """Plan the seller's year: every headline figure and table of SPEC section 4, and the problems met; with
    `scenarios`, the Scenarios table of 3.10 (each scenario a whole plan of its own, so callers that only need the
    plan, such as most tests, leave it out; `goalsheet plan` and the batch ask for it)."""
    if as_of is not None:
        as_of = as_of_month(as_of)
        if as_of is None:
            return Plan(headline=None, tables={}), [Problem("", "", code="as_of_bad")]
    # ---- 3.1-3.8: calendar, unit economics, existing products, seasonality, targets, launches, capital, bonus
    basis = build_basis(book, as_of)
    core = plan_core(basis, baseline)
    d, decimals, cells, sums, ex_sums = core.d, core.decimals, core.cells, core.sums, core.ex_sums
    salaries, bonus_table, parts, store_gap = core.salaries, core.bonus_table, core.parts, core.store_gap
    scheme, bonus_team = core.scheme, core.bonus_team
    problems = core.problems
    headline = core.headline

    # ---- the tables of SPEC section 4
    tables: dict[str, pd.DataFrame] = {}
    tables["monthly"] = tb.monthly_table(basis, d, cells, sums, ex_sums, parts, decimals)
    tables["launches"] = core.launches
    tables["coverage"] = core.coverage
    stores, operators = tb.store_operator_tables(basis, cells, sums, parts, decimals, salaries, bonus_table)
    tables["stores"] = tb.with_store_columns(stores, tables["coverage"], decimals)
    tables["operators"] = operators
    tables["products"] = tb.products_table(basis, decimals)
    tables["profit"] = tb.profit_table(basis)
    tables["bonus"] = tb.bonus_plan_table(bonus_table) if bonus_table is not None else tb.empty_bonus()
    assumptions = assumptions_table(basis, book)
    targets = bn.bonus_targets(basis, d, cells, salaries)
    tables["cash"], tables["purchases"], tables["orders"] = core.cash["cash"], core.cash["purchases"], core.cash["orders"]

    # ---- 3.10: the scenarios, side by side
    if scenarios:
        tables["scenarios"], scenario_problems = scenario_table(core, as_of)
        problems += scenario_problems
    else:
        tables["scenarios"] = empty_scenarios()

    problems += spending_after_year(tables["launches"], tables["cash"], tables["orders"], basis.base_currency,
                                    basis.calendar.plan_year, decimals)
    tables["tracking"] = pd.DataFrame(columns=tracking.TRACKING_COLUMNS)
    tables["assumptions"] = assumptions
    tables["checks"] = checks_table(cells, tables, headline, parts, store_gap, decimals)
    problems += seller_warnings(basis, d, headline, tables["coverage"]["shortfall"].to_numpy(float)) \
        + alarm_warnings(basis, headline)
    for name in TABLES:
        tables.setdefault(name, pd.DataFrame())

    has_actuals = basis.calendar.as_of is not None
    plan = Plan(headline=headline, tables=tables, warnings=[], base_currency=basis.base_currency,
                plan_year=basis.calendar.plan_year, has_actuals=has_actuals,
                source_name=book.source_name, source_sha256=book.source_sha256,
                frozen={"target_net_profit_parts": {k: _plain_round(v) for k, v in parts.items()},
                        "seasonality": [float(x) for x in basis.S],
                        "bonus_targets": [{"operator": str(r.operator), "month": str(r.month),
                                           "sales": round(float(r.sales), 6), "net_profit": round(float(r.net_profit), 6),
                                           "launches": float(r.launches)} for r in targets.itertuples(index=False)],
                        "bonus_scheme": bn.scheme_to_json(scheme, bonus_team)})
    # ---- 3.1 --baseline; 3.8-3.9 tracking against actuals
    if baseline:
        plan = apply_baseline(plan, baseline)
        if isinstance(baseline.get("frozen"), dict) and baseline["frozen"].get("bonus_targets"):
            targets = pd.DataFrame(baseline["frozen"]["bonus_targets"])
    if has_actuals:
        tracked, figures = tracking.track_actuals(plan, basis, d, cells, salaries, targets, decimals, scheme,
                                                  bonus_team)
        problems += tracked
        plan.headline = replace(plan.headline, **figures)
    # ---- the verdict over every warning, the input's own (kept with their cells) and the plan's
    plan.warnings = list(book.problems) + [p for p in problems if p.severity == "warning"]
    plan.headline = replace(plan.headline, verdict=verdict(plan.warnings)[0])
    return plan, problems


def _plain_round(v: Any) -> Any:
    return round(float(v), 6) if isinstance(v, (int, float, np.floating)) else v
