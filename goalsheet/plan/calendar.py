"""The plan's calendar (SPEC.md 3.1): plan year, history, bridge, plan and actual months, and `m`.

Months are `'YYYY-MM'` strings.  `m` counts months after the last history month:
with history through December, January of the plan year is m = 1; through
September, it is m = 4 (October, November and December are bridge months,
forecast like plan months but never targeted).

The plan is computed from history and the settings only: actual months (the plan
year's months in Sales) are kept apart so adding them never changes a plan figure.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from goalsheet.inputs.model import Problem


def month_index(month: str) -> int:
    """'2025-03' -> 2025 * 12 + 2: consecutive months are consecutive integers."""
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def month_name(index: int) -> str:
    """The inverse of `month_index`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every calendar month from `first` to `last`, both included."""
    return [month_name(i) for i in range(month_index(first), month_index(last) + 1)]


def default_plan_year(last_sales_month: str) -> int:
    """The year of the last Sales month, or the next year when that month is December (3.1)."""
    year, mon = (int(x) for x in last_sales_month.split("-"))
    return year + 1 if mon == 12 else year


@dataclass(frozen=True)
class Calendar:
    """Which months are which.

    plan_year     Y
    history       every calendar month from the first Sales month to the last one before Y-01
                  (empty when Sales has no month before Y)
    bridge        months after the last history month and before Y-01
    plan_months   Y-01 .. Y-12
    actuals       months of Y in Sales up to `as_of` (the as-of month counted as closed)
    as_of         the last actual month, or None without actuals
    """
    plan_year: int
    history: tuple[str, ...]
    bridge: tuple[str, ...]
    plan_months: tuple[str, ...]
    actuals: tuple[str, ...]
    as_of: str | None

    @property
    def last_history(self) -> str:
        """The last history month; December of Y − 1 when there is no history (so January is m = 1)."""
        return self.history[-1] if self.history else f"{self.plan_year - 1:04d}-12"

    @property
    def forecast_months(self) -> tuple[str, ...]:
        """Bridge months then plan months: every month the existing products are forecast for."""
        return self.bridge + self.plan_months

    def m(self, month: str) -> int:
        """Months after the last history month (3.1)."""
        return month_index(month) - month_index(self.last_history)

    @property
    def plan_m(self) -> list[int]:
        """m of January .. December of Y."""
        return [self.m(x) for x in self.plan_months]

    def last_history_months(self, n: int) -> tuple[str, ...]:
        """The last `n` calendar months of history (fewer when history is shorter)."""
        return self.history[-n:] if n > 0 else ()


def first_launch_m(lead_time_days: float) -> int:
    """The first m a new launch may start in: the first month that starts at least `lead_time_days`
    after the last history month ends, with 30.4-day months: m >= 1 + ceil(lead_time_days / 30.4) (3.5).

    45 days -> 1 + ceil(1.48) = 3 (March, with history through December); 0 days -> m = 1.
    """
    return 1 + math.ceil(float(lead_time_days) / 30.4 - 1e-12)


def make_calendar(sales_months: list[str] | set[str], plan_year: int | None,
                  as_of: str | None = None) -> tuple[Calendar, list[Problem]]:
    """Build the calendar from the months present in Sales and the Settings' plan_year (3.1).

    Without `plan_year` the default applies and a warning names the year assumed.  `as_of`
    (the CLI's --as-of) limits the actuals; it defaults to the last month of Y in Sales.
    """
    problems: list[Problem] = []
    months = sorted(set(sales_months))
    if plan_year is None:
        if not months:
            raise ValueError("Sales has no month: the plan year cannot be set")
        plan_year = default_plan_year(months[-1])
        problems.append(Problem("Settings", "", severity="warning", code="plan_year_default",
                                args={"plan_year": plan_year}))
    plan_year = int(plan_year)
    start_of_year = f"{plan_year:04d}-01"
    before = [x for x in months if x < start_of_year]
    history = tuple(month_range(before[0], before[-1])) if before else ()
    last_history = history[-1] if history else f"{plan_year - 1:04d}-12"
    bridge = tuple(month_range(month_name(month_index(last_history) + 1), f"{plan_year - 1:04d}-12")) \
        if last_history < f"{plan_year - 1:04d}-12" else ()
    plan_months = tuple(f"{plan_year:04d}-{k:02d}" for k in range(1, 13))
    in_year = [x for x in months if start_of_year <= x <= f"{plan_year:04d}-12"]
    if as_of is not None:
        in_year = [x for x in in_year if x <= as_of]
    actuals = tuple(in_year)
    as_of_month = (as_of if as_of is not None and actuals else (actuals[-1] if actuals else None))
    return Calendar(plan_year, history, bridge, plan_months, actuals, as_of_month), problems


def as_of_month(text: str) -> str | None:
    """The as-of month as 'YYYY-MM' (the command line reads any month format the input accepts and passes it so);
    None when it is not such a month."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", str(text).strip())
    return m.group(0) if m and 1 <= int(m.group(2)) <= 12 else None

