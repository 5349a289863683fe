"""The limits of the target (SPEC 3.6): the largest fundable target, the largest target the team can launch for,
the largest reachable target (both), and what binds first.

The integrated sellers are `conformance_seller`'s (one US store "S", operator Ann, seasonality off, existing
12 × 10 000 = 120 000 flat), launching new products at 100 × 10 units a month, success 1, ramp 1, lead time
60 days: the first launch month is March (1 + ⌈60 / 30.4⌉ = 3).  A launch in month L earns 1 000 a month from L
to December: March 10 000, April 9 000, …, December 1 000.
"""
import pytest
from conformance.conformance_seller import book, sheets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalsheet.plan import make_plan
from goalsheet.plan.basis import build_basis, derive
from goalsheet.plan.cash.inputs import CashSearch, bonus_payments
from goalsheet.plan.cash.search import SearchResult, binding_limit, largest_feasible_target, target_limits

NEW = {"new_price": 100, "new_monthly_units": 10, "target_mode": "total"}


def below(limit: float, target: float):
    return lambda k: k * target <= limit


# ---- the search and what binds, on thresholds worked by hand

def test_capacity_binds_first():
    """T = 1 000; cash carries up to 5 000, the launches cover up to 3 000.  Capacity: k = 1, 2 covered, 4 not;
    bisect [2, 4] to one unit: (2 999, 3 000].  Reachable (both): the same (cash never fails below 3 000).
    Fundable: (4 999, 5 000].  The lower limit is capacity's, two thousand below cash's: "launch capacity"."""
    fundable = largest_feasible_target(1000.0, below(5000.0, 1000.0))
    capacity = largest_feasible_target(1000.0, below(3000.0, 1000.0))
    reachable = largest_feasible_target(1000.0, lambda k: below(5000.0, 1000.0)(k) and below(3000.0, 1000.0)(k))
    assert 4999 < fundable.largest_target <= 5000
    assert 2999 < capacity.largest_target <= 3000
    assert reachable.largest_target == capacity.largest_target
    assert binding_limit(fundable, capacity) == "launch capacity"


def test_cash_binds_first():
    """T = 1 000; cash carries up to 1 500, the launches cover up to 8 000: reachable (1 499, 1 500], "cash"."""
    fundable = largest_feasible_target(1000.0, below(1500.0, 1000.0))
    capacity = largest_feasible_target(1000.0, below(8000.0, 1000.0))
    reachable = largest_feasible_target(1000.0, lambda k: below(1500.0, 1000.0)(k) and below(8000.0, 1000.0)(k))
    assert 1499 < reachable.largest_target <= 1500 == pytest.approx(1500, abs=1)
    assert reachable.largest_target == fundable.largest_target
    assert binding_limit(fundable, capacity) == "cash"


def test_both_bind_at_the_target_itself():
    """T = 1 000 exactly at both limits: k = 1 feasible, k = 2 not, bisect [1, 2]: every midpoint above 1 fails,
    so each search ends at k = 1 (1 000), and the two limits are equal: "both"."""
    fundable = largest_feasible_target(1000.0, below(1000.0, 1000.0))
    capacity = largest_feasible_target(1000.0, below(1000.0, 1000.0))
    assert fundable.largest_target == capacity.largest_target == 1000.0
    assert binding_limit(fundable, capacity) == "both"


def test_within_one_unit_is_both_and_neither_below_100x_is_none():
    """Limits 1 000.0 and 1 000.9 (within one unit): "both"; 1 000 and 1 001.5: the lower, "cash".  Both still
    feasible at 100 × T: nothing binds, "none"."""
    def result(x: float, at_least: bool = False) -> SearchResult:
        return SearchResult(target=1000.0, largest_target=x, k=x / 1000.0, at_least=at_least)
    assert binding_limit(result(1000.0), result(1000.9)) == "both"
    assert binding_limit(result(1000.0), result(1001.5)) == "cash"
    assert binding_limit(result(1001.5), result(1000.0)) == "launch capacity"
    assert binding_limit(result(100_000.0, True), result(100_000.0, True)) == "none"
    assert binding_limit(result(100_000.0, True), result(5_000.0)) == "launch capacity"


# ---- a seller worked by hand

def test_the_team_can_launch_for_existing_plus_every_launch_capacity_allows():
    """One operator launching once a month (the default rate 1) can launch March .. December: 10 launches
    covering 10 000 + 9 000 + … + 1 000 = 55 000 at most.  The largest target the team can launch for is
    existing + 55 000 = 175 000 (to one unit below: the search bisects k between 1 and 2 for T = 150 000).
    The plan's own target 150 000 (gap 30 000) is covered by March .. June (10 + 9 + 8 + 7 = 34 000).
    Cash is plentiful (10^9): fundable at least 100 × T, so capacity binds and the reachable target is the
    capacity limit."""
    plan, _ = make_plan(book(sheets({**NEW, "target_total": 150_000})))
    h = plan.headline
    assert h.shortfall == 0 and h.launches_needed == 4
    assert 174_999 < h.max_capacity_sales <= 175_000
    assert h.max_reachable_sales == h.max_capacity_sales
    assert h.max_feasible_sales == pytest.approx(100 * 150_000)
    assert h.binding_limit == "launch capacity"


def test_a_target_above_what_the_team_can_launch_for_searches_down():
    """The same seller asked for 200 000 (gap 80 000): the 10 launches cover 55 000, shortfall 25 000.  k = 1
    is short, so the search halves: k = 0.5 (100 000, no gap) is covered; bisect [0.5, 1]: 175 000 again."""
    plan, _ = make_plan(book(sheets({**NEW, "target_total": 200_000})))
    h = plan.headline
    assert h.shortfall == pytest.approx(25_000, abs=0.01)
    assert 174_999 < h.max_capacity_sales <= 175_000
    assert h.max_reachable_sales == h.max_capacity_sales and h.binding_limit == "launch capacity"


def test_two_launches_a_month_double_the_early_launches():
    """At 2 launches a month the 20 launches cover 2 × 55 000 = 110 000: the team can launch for 230 000."""
    plan, _ = make_plan(book(sheets({**NEW, "target_total": 150_000, "launches_per_operator_month": 2})))
    assert 229_999 < plan.headline.max_capacity_sales <= 230_000


def test_cash_binds_when_no_month_can_stay_above_the_minimum():
    """min_cash 10^12 with 1 000 of cash: every closing balance is below the minimum at any k, so nothing is
    fundable (the search halves k until k·T < 1: 0) and nothing is reachable; the team could launch for
    175 000: cash binds."""
    plan, _ = make_plan(book(sheets({**NEW, "target_total": 150_000, "cash_available": 1_000,
                                     "min_cash": 1_000_000_000_000})))
    h = plan.headline
    assert h.funding_feasible is False
    assert h.max_feasible_sales == 0 and h.max_reachable_sales == 0
    assert 174_999 < h.max_capacity_sales <= 175_000
    assert h.binding_limit == "cash"


# ---- monotone: more cash never lowers the reachable target; more capacity never lowers what the team can
# launch for (the reachable target itself can fall with more capacity: see the last test)

def limits(settings_: dict):
    basis = build_basis(book(sheets(settings_)))
    d = derive(basis)
    search = CashSearch(basis, d, bonus_payments(basis, None, launches=False), 0.0)
    return target_limits(basis, search, float(d.T.sum()))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(130_000, 400_000), st.sampled_from([0, 20_000, 60_000, 200_000]),
       st.sampled_from([10_000, 100_000, 1_000_000]), st.sampled_from([0.5, 1, 2]))
def test_more_cash_never_lowers_the_reachable_target(total, cash, extra, rate):
    base = {**NEW, "target_total": total, "cash_available": cash, "launches_per_operator_month": rate,
            "new_first_order_units": 300, "lead_time_days": 60}
    poorer, richer = limits(base), limits({**base, "cash_available": cash + extra})
    assert richer.fundable.largest_target >= poorer.fundable.largest_target
    assert richer.reachable.largest_target >= poorer.reachable.largest_target


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(130_000, 400_000), st.sampled_from([0, 20_000, 60_000, 10 ** 9]),
       st.sampled_from([(0.5, 1), (1, 2), (0.5, 3)]))
def test_more_launches_per_operator_never_lower_the_target_the_team_can_launch_for(total, cash, rates):
    base = {**NEW, "target_total": total, "cash_available": cash, "new_first_order_units": 300}
    fewer = limits({**base, "launches_per_operator_month": rates[0]})
    more = limits({**base, "launches_per_operator_month": rates[1]})
    assert more.capacity.largest_target >= fewer.capacity.largest_target


def test_more_launches_a_month_can_lower_the_reachable_target_when_cash_binds():
    """Why the reachable target is not monotone in capacity (docs/method.md, "The limits of the target"): the
    launches of 3.5 go into the earliest months with capacity, so a faster team buys its first orders closer
    together.  Target 139 500 (gap 19 500), cash 25 000, first orders of 300 units at 40 landed = 12 000 each,
    each placed lead 60 + safety 30 = 90 days before its launch month and its balance 35 + 30 = 65 days before
    (days on the grid of 30.4-day months, January = day 0).  At one launch every two months the three launches
    are March, May, July (10 000 + 8 000 + 6 000 = 24 000 covers it): March's order (day 60.8 − 90 < 0) is paid
    in January, May's (day 121.6 − 90 = 31.6, balance 56.6) in February, July's (day 182.4 − 90 = 92.4, balance
    117.4) in April: 12 000 a month, feasible.  At one a month they are March, April, May (10 000 + 9 000 +
    8 000): April's order (day 91.2 − 90 = 1.2, balance 26.2) joins March's in January, 24 000 at once: not
    feasible."""
    plans, first_orders = {}, {}
    for rate in (0.5, 1):
        basis = build_basis(book(sheets({**NEW, "target_total": 139_500, "cash_available": 25_000,
                                         "new_first_order_units": 300, "launches_per_operator_month": rate})))
        d = derive(basis)
        search = CashSearch(basis, d, bonus_payments(basis, None, launches=False), 0.0)
        plan = search.cash_plan(d)
        plans[rate] = (list(d.launches.table["month"]), plan.feasible)
        first_orders[rate] = [round(-x) for x in plan.table["first_orders"][:4]]
    assert plans[0.5] == (["2026-03", "2026-05", "2026-07"], True)
    assert plans[1] == (["2026-03", "2026-04", "2026-05"], False)
    assert first_orders == {0.5: [12_000, 12_000, 0, 12_000], 1: [24_000, 12_000, 0, 0]}
