"""The planner: SellerBook -> Plan (SPEC.md section 3), one module per step of the method, chained by assemble.py.

    settings.py        the Settings, typed, their defaults the schema's
    calendar.py        3.1  plan year, history / bridge / plan / actual months, m
    unit_economics.py  3.2  net profit per unit, every term
    existing.py        3.3  existing products: run-rates, trends, growth, forecasts
    seasonality.py     3.4  the seasonality index S
    target.py          3.4  store-month targets, existing forecast, gaps
    launches.py        3.5  new products, their contribution, the reverse calculation
    basis.py           3.1-3.5 chained: build_basis (what the target does not change), derive(k) (the target k·T)
    profit.py          3.2  target net profit and its parts; store costs, expenses
    cash/              3.6  cash table, purchase orders, feasibility, the limits of the target
    cells.py           3.7  month × store × operator cells: the operator split, rounded targets
    breakdown.py       3.7  largest-remainder rounding, rollups, reconciliations
    bonus.py           3.8  the bonus scheme and the plan's bonus
    tracking.py        3.8-3.9  actuals, reforecast, bonus earned
    baseline.py        3.1  --baseline: an earlier plan's figures kept
    tables.py          4    the sheet tables
    assumptions.py     4    the Assumptions table
    checks.py          4    the Checks table
    warnings.py             what a seller needs to see
    result.py               the Plan
    assemble.py             make_plan: the steps chained in SPEC order

`make_plan(book, as_of=None, baseline=None, scenarios=False) -> (Plan, problems)` is the entry point.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from goalsheet.inputs.model import Problem, SellerBook
    from goalsheet.plan.result import Plan


def make_plan(book: "SellerBook", as_of: str | None = None, baseline: dict[str, Any] | None = None,
              scenarios: bool = False) -> "tuple[Plan, list[Problem]]":
    """Plan the seller's year: every headline figure and table of SPEC section 4 (see assemble.py); the
    scenarios of 3.10 with `scenarios` (each is a whole plan of its own: `goalsheet plan` asks for them)."""
    from goalsheet.plan.assemble import make_plan as _make_plan
    return _make_plan(book, as_of=as_of, baseline=baseline, scenarios=scenarios)

