"""The calendar (SPEC 3.1)."""
from goalsheet.plan.calendar import first_launch_m, make_calendar, month_range


def test_default_plan_year_after_december_and_its_warning():
    cal, problems = make_calendar(month_range("2024-01", "2025-12"), None)
    assert cal.plan_year == 2026 and "2026" in problems[0].message and problems[0].severity == "warning"
    assert cal.m("2026-01") == 1 and cal.bridge == ()


def test_history_through_september_has_bridge_months():
    """Last Sales month 2025-09 -> plan year 2025 by default; planning 2026 says plan_year 2026:
    October .. December 2025 are bridge months and January 2026 is m = 4."""
    cal, problems = make_calendar(month_range("2024-01", "2025-09"), 2026)
    assert not problems
    assert cal.bridge == ("2025-10", "2025-11", "2025-12") and cal.m("2026-01") == 4


def test_actuals_are_plan_year_months_up_to_as_of():
    cal, _ = make_calendar(month_range("2024-01", "2026-04"), 2026, as_of="2026-02")
    assert cal.history[-1] == "2025-12" and cal.actuals == ("2026-01", "2026-02") and cal.as_of == "2026-02"
    cal2, _ = make_calendar(month_range("2024-01", "2026-04"), 2026)
    assert cal2.actuals[-1] == "2026-04"


def test_first_launch_month():
    """45 days: 1 + ceil(45 / 30.4) = 1 + 2 = 3; 60 days: 1 + ceil(1.97) = 3; 61: 1 + 3 = 4; 0: 1."""
    assert [first_launch_m(d) for d in (45, 60, 61, 0, 30.4)] == [3, 3, 4, 1, 2]
