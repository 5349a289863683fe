"""The largest fundable target (SPEC 3.6): the search over k·T, each k planned afresh and its cash planned."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from goalsheet.plan.basis import Basis, derive
from goalsheet.plan.cash.flows import CashResult

if TYPE_CHECKING:
    from goalsheet.plan.cash.inputs import CashSearch


SEARCH_CAP = 100.0


@dataclass
class FundableResult:
    """The largest fundable target the search of SPEC 3.6 finds.

    largest_target   k · T for the largest feasible k found (0 when even k·T < 1 is not fundable)
    k                that k
    at_least         True when k = 100 is still feasible: the answer is "at least 100 × T"
    capacity_binds   True when launch capacity, not cash, limits the plan: some cash-feasible k
                     tried had a capacity shortfall
    capacity_binds_at   the smallest such k · T, or None
    evaluations      every (k, k·T, feasible) tried, in order
    """
    target: float
    largest_target: float
    k: float
    at_least: bool = False
    capacity_binds: bool = False
    capacity_binds_at: float | None = None
    evaluations: list[tuple[float, float, bool]] = field(default_factory=list)


def largest_fundable_target(target: float, evaluate: Callable[[float], CashResult]) -> FundableResult:
    """Search k for the largest fundable k·T (SPEC 3.6); `evaluate(k)` plans the target k·T.

    From k = 1 search up, doubling up to k = 100 (1, 2, 4, …, 64, 100), then bisect between the
    last feasible and the first infeasible k; still feasible at 100 → "at least 100 × T".  When
    k = 1 is infeasible, halve k until it is feasible (k = 0 once k·T < 1) and bisect between it
    and the last infeasible k.  Bisection stops when the bracket is one base-currency unit wide
    ((hi − lo) · T ≤ 1).  The result is the largest feasible k·T this search finds: whole
    launches make feasibility step in k, so it is a search result, not a global maximum.
    """
    evaluations: list[tuple[float, float, bool]] = []
    binds_at: list[float] = []

    def feasible(k: float) -> bool:
        result = evaluate(k)
        ok = bool(result.feasible)
        evaluations.append((k, k * target, ok))
        if ok and result.capacity_shortfall > 1e-9:
            binds_at.append(k * target)
        return ok

    def done(lo: float, at_least: bool = False) -> FundableResult:
        return FundableResult(target=target, largest_target=lo * target, k=lo, at_least=at_least,
                              capacity_binds=bool(binds_at), capacity_binds_at=min(binds_at) if binds_at else None,
                              evaluations=evaluations)

    if target <= 0:
        ok = feasible(1.0)
        return done(1.0 if ok else 0.0)
    if feasible(1.0):
        lo, hi = 1.0, None
        k = 1.0
        while k < SEARCH_CAP:
            k = min(2.0 * k, SEARCH_CAP)
            if feasible(k):
                lo = k
            else:
                hi = k
                break
        if hi is None:
            return done(lo, at_least=True)
    else:
        hi = 1.0
        k = 0.5
        while True:
            if k * target < 1.0:
                lo = 0.0
                break
            if feasible(k):
                lo = k
                break
            hi = k
            k /= 2.0
    while (hi - lo) * target > 1.0:
        mid = (lo + hi) / 2.0
        if feasible(mid):
            lo = mid
        else:
            hi = mid
    return done(lo)


def fundable_search(basis: Basis, search: "CashSearch", target_total: float) -> FundableResult:
    """The largest fundable target k·T of the plan (`largest_fundable_target`), each k planned afresh (`derive`)
    and its cash planned by `search`."""
    def evaluate(k: float) -> CashResult:
        return search.cash_plan(derive(basis, k))

    return largest_fundable_target(target_total, evaluate)
