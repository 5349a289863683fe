"""The limits of the target (SPEC 3.6): the largest fundable target, the largest target the team can launch for,
and the largest reachable target (both at once), each found by the same search over k·T, every k planned afresh."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from goalsheet.plan.basis import Basis, Derived, derive
from goalsheet.plan.cash.flows import CashResult

if TYPE_CHECKING:
    from goalsheet.plan.cash.inputs import CashSearch


SEARCH_CAP = 100.0


@dataclass
class SearchResult:
    """The largest k·T a search of SPEC 3.6 finds feasible.

    largest_target   k · T for the largest feasible k found (0 when even k·T < 1 is not feasible)
    k                that k
    at_least         True when k = 100 is still feasible: the answer is "at least 100 × T"
    evaluations      every (k, k·T, feasible) tried, in order
    """
    target: float
    largest_target: float
    k: float
    at_least: bool = False
    evaluations: list[tuple[float, float, bool]] = field(default_factory=list)


@dataclass
class FundableResult(SearchResult):
    """The largest fundable target, and whether launch capacity binds before cash:

    capacity_binds      True when some cash-feasible k tried had a capacity shortfall
    capacity_binds_at   the smallest such k · T, or None
    """
    capacity_binds: bool = False
    capacity_binds_at: float | None = None


def largest_feasible_target(target: float, feasible: Callable[[float], bool]) -> SearchResult:
    """Search k for the largest k·T that is `feasible(k)` (SPEC 3.6).

    From k = 1 search up, doubling up to k = 100 (1, 2, 4, …, 64, 100), then bisect between the
    last feasible and the first infeasible k; still feasible at 100 → "at least 100 × T".  When
    k = 1 is infeasible, halve k until it is feasible (k = 0 once k·T < 1) and bisect between it
    and the last infeasible k.  Bisection stops when the bracket is one base-currency unit wide
    ((hi − lo) · T ≤ 1).  The result is the largest feasible k·T this search finds: whole
    launches make feasibility step in k, so it is a search result, not a global maximum.
    """
    evaluations: list[tuple[float, float, bool]] = []

    def ok(k: float) -> bool:
        result = bool(feasible(k))
        evaluations.append((k, k * target, result))
        return result

    def done(lo: float, at_least: bool = False) -> SearchResult:
        return SearchResult(target=target, largest_target=lo * target, k=lo, at_least=at_least,
                            evaluations=evaluations)

    if target <= 0:
        return done(1.0 if ok(1.0) else 0.0)
    if ok(1.0):
        lo, hi = 1.0, None
        k = 1.0
        while k < SEARCH_CAP:
            k = min(2.0 * k, SEARCH_CAP)
            if ok(k):
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
            if ok(k):
                lo = k
                break
            hi = k
            k /= 2.0
    while (hi - lo) * target > 1.0:
        mid = (lo + hi) / 2.0
        if ok(mid):
            lo = mid
        else:
            hi = mid
    return done(lo)


def largest_fundable_target(target: float, evaluate: Callable[[float], CashResult]) -> FundableResult:
    """The largest fundable k·T (`largest_feasible_target` with "feasible" = the cash plan of k·T,
    `evaluate(k)`, is feasible), noting where launch capacity binds before cash."""
    binds_at: list[float] = []

    def fundable(k: float) -> bool:
        result = evaluate(k)
        if result.feasible and result.capacity_shortfall > 0:
            binds_at.append(k * target)
        return bool(result.feasible)

    found = largest_feasible_target(target, fundable)
    return FundableResult(**vars(found), capacity_binds=bool(binds_at),
                          capacity_binds_at=min(binds_at) if binds_at else None)


@dataclass
class TargetLimits:
    """The three limits of SPEC 3.6 and what binds first.

    binding   "cash" (the fundable target is the lower), "launch capacity" (the target the team can launch for is),
              "both" (within one base-currency unit of each other), or "none" (neither binds up to 100 × T)
    """
    fundable: FundableResult
    capacity: SearchResult
    reachable: SearchResult
    binding: str


def binding_limit(fundable: SearchResult, capacity: SearchResult) -> str:
    """What binds first: the lower of the two limits, "both" when they are within one base-currency unit."""
    if fundable.at_least and capacity.at_least:
        return "none"
    if abs(fundable.largest_target - capacity.largest_target) <= 1.0:
        return "both"
    return "cash" if fundable.largest_target < capacity.largest_target else "launch capacity"


class TargetPlans:
    """k·T planned afresh (`derive`) and its cash planned (`search.cash_plan`), each once per k: the three
    searches try many of the same k (the doubling steps above all)."""

    def __init__(self, basis: Basis, search: "CashSearch"):
        self.basis, self.search = basis, search
        self._derived: dict[float, Derived] = {}
        self._cash: dict[float, CashResult] = {}

    def derived(self, k: float) -> Derived:
        if k not in self._derived:
            self._derived[k] = derive(self.basis, k)
        return self._derived[k]

    def cash(self, k: float) -> CashResult:
        if k not in self._cash:
            self._cash[k] = self.search.cash_plan(self.derived(k))
        return self._cash[k]

    def covered(self, k: float) -> bool:
        """Whether the launches re-derived at k·T (3.5, within capacity) leave no store short."""
        return not (self.derived(k).launches.shortfall > 0).any()

    def reachable(self, k: float) -> bool:
        """Fundable and covered (the cheaper test first: it needs no cash plan)."""
        return self.covered(k) and bool(self.cash(k).feasible)


def target_limits(basis: Basis, search: "CashSearch", target_total: float) -> TargetLimits:
    """The largest fundable target, the largest target the team can launch for and the largest reachable target
    of the plan (SPEC 3.6), each by `largest_feasible_target`, and what binds first."""
    plans = TargetPlans(basis, search)
    fundable = largest_fundable_target(target_total, plans.cash)
    capacity = largest_feasible_target(target_total, plans.covered)
    reachable = largest_feasible_target(target_total, plans.reachable)
    return TargetLimits(fundable, capacity, reachable, binding_limit(fundable, capacity))

