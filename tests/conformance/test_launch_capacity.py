"""Launch capacity given as a fraction (SPEC 3.5 `launches_per_operator_month`; reading in docs/method.md).

A seller who writes 0.5 means "one launch every two months".  Before the fix a fraction was rounded
down, so 0.5 meant no launch at all and the whole gap became a shortfall.
"""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conformance_seller import book, sheets  # noqa: E402

from goalsheet.plan.basis import build_basis, derive  # noqa: E402
from goalsheet.plan.launches import LaunchAllowance  # noqa: E402


def _plan(capacity, launches=None):
    """One store, one operator (Ann), existing sales 10 000 a month (100 × 100, growth 0, S flat), total
    mode 1 000 000: gap 1 000 000 − 120 000 = 880 000.  New product 100 a unit, 10 units a month, success
    1, ramp 1: a launch in month L earns 1 000 × (13 − L) over the year.  lead_time_days 60: first added
    launch in March (m ≥ 1 + ceil(60 / 30.4) = 3)."""
    s = sheets({"target_mode": "total", "target_total": 1_000_000, "new_price": 100, "new_monthly_units": 10,
                "launches_per_operator_month": capacity})
    if launches:
        s["Launches"] = [["launch_month", "store", "operator", "count"]] + launches
    d = derive(build_basis(book(s)))
    return d.launches


def test_half_a_launch_a_month_is_one_every_two_months():
    """0.5: March, May, July, September, November: 1 000 × (10 + 8 + 6 + 4 + 2) = 30 000 covered,
    shortfall 880 000 − 30 000 = 850 000 (rounded down, 0.5 gave no launch and a shortfall of 880 000)."""
    lp = _plan(0.5)
    assert list(lp.table["month"]) == ["2026-03", "2026-05", "2026-07", "2026-09", "2026-11"]
    assert lp.covered[0] == pytest.approx(30_000)
    assert lp.shortfall[0] == pytest.approx(850_000)


def test_a_quarter_is_one_every_four_months_and_one_and_a_half_alternates_two_and_one():
    """0.25: March, July, November.  1.5: 2, 1, 2, 1, ... from March to December = 15 launches."""
    assert list(_plan(0.25).table["month"]) == ["2026-03", "2026-07", "2026-11"]
    months = list(_plan(1.5).table["month"])
    assert len(months) == 15
    assert [months.count(f"2026-{k:02d}") for k in range(3, 13)] == [2, 1] * 5


def test_a_whole_number_is_exactly_that_many_a_month():
    """1: one launch a month March..December (an idle January and February are not saved up): 10."""
    months = list(_plan(1).table["month"])
    assert months == [f"2026-{k:02d}" for k in range(3, 13)]


def test_a_planned_launch_uses_the_fractional_capacity_around_it():
    """0.5 with a planned April launch: March would make March–April hold 2 > ⌈0.5 × 2⌉ = 1, May likewise
    (April–May); June is the first free month (April–June: 2 ≤ ⌈1.5⌉ = 2), then August, October,
    December."""
    lp = _plan(0.5, [["2026-04", "S", "Ann", 1]])
    assert list(lp.table["month"]) == ["2026-04", "2026-06", "2026-08", "2026-10", "2026-12"]
    assert list(lp.table["planned"]) == [True, False, False, False, False]


def test_allowance_windows():
    """Unit level: c = 0.5 over 6 months, one launch booked in month 0: months 1 is blocked, month 2 free."""
    a = LaunchAllowance(0.5, 6)
    a.book("Ann", 0)
    assert [a.can_add("Ann", j) for j in range(6)] == [False, False, True, True, True, True]
    assert LaunchAllowance(0, 3).can_add("Ann", 0) is False
