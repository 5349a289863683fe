"""The planner: SellerBook -> Plan (SPEC.md section 3), one module per step of the method.

    calendar.py        3.1  plan year, history / bridge / plan / actual months, m
    unit_economics.py  3.2  net profit per unit, every term
    existing.py        3.3  existing products: run-rates, trends, growth, forecasts
    seasonality.py     3.4  the seasonality index S
    target.py          3.4  store-month targets, existing forecast, gaps
    launches.py        3.5  new products, their contribution, the reverse calculation
    profit.py          3.2  target net profit, new-product sales costed before/after the first launch
    capital.py         3.6  cash table, purchases, feasibility, largest fundable target
    breakdown.py       3.7  month × store × operator cells, largest-remainder rounding, checks
    bonus.py           3.8  the bonus scheme
    engine.py               the steps chained: build_basis (what the target does not change), derive(k)
    assemble.py             make_plan: the Plan's headline figures and tables

`make_plan(book, as_of=None, baseline=None) -> (Plan, problems)` is the entry point.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from goalsheet.inputs.model import Problem, SellerBook
    from goalsheet.plan.result import Plan


def make_plan(book: "SellerBook", as_of: str | None = None,
              baseline: dict[str, Any] | None = None) -> "tuple[Plan, list[Problem]]":
    """Plan the seller's year: every headline figure and table of SPEC section 4 (see assemble.py)."""
    from goalsheet.plan.assemble import make_plan as _make_plan
    return _make_plan(book, as_of=as_of, baseline=baseline)

