"""The bonus engine (SPEC.md 3.8): scheme, multipliers, plan bonuses, payments, tracking.

A scheme is a list of rules, one per (period, metric) pair: its tiers
(`from ≤ attainment < to`, `rate`), its mode (step or marginal), its cap and its
weight (the share of an operator's `bonus_base` allotted to the pair; a period's
share is split equally over its periods, so a quarter gets a quarter of a yearly
amount).  Payout = share × multiplier(attainment).  On top: a profit pool
(`profit_pool_rate` × net profit above target, split by the operators' net-profit
contribution) and a launch bonus (`launch_bonus` per successful launch).

Public names (pure: numbers and DataFrames in and out; no workbook I/O):

    Tier(lower, upper, rate)                 upper = math.inf when open-ended
    BonusRule(period, metric, tiers, mode, cap, weight)
        period 'month' | 'quarter' | 'year'; metric 'sales' | 'net_profit' | 'launches';
        tiers sorted by lower; mode 'step' | 'marginal'; cap float or None; weight resolved (float).
    BonusScheme(rules, profit_pool_rate=0.0, launch_bonus=0.0, is_default=False)
    DEFAULT_RULES    yearly sales, step: 0 below 80 %, 0.5 from 80 %, 1.0 from 100 %,
                     1.5 from 120 %, cap 1.5, weight 1.

    parse_scheme(frame, settings=None) -> tuple[BonusScheme, list[Problem]]
        frame: SellerBook.bonus, DataFrame[period, metric, from, to (NaN open), rate, mode,
        cap (NaN none), weight (NaN = equal shares)]; empty -> the default scheme.
        settings: SellerBook.settings (profit_pool_rate, launch_bonus read from it).
        Problems are warnings (weights not adding up to 1, mixed modes in a pair, ...).

    attainment(actual, plan) -> float
        actual ÷ plan rounded to 0.01 % (4 decimals); a plan of 0 counts as 1.0 when
        actual ≥ 0 (else 0.0); a negative plan: 1 + (actual − plan) / |plan|.

    multiplier(tiers, attainment, mode="step", cap=None) -> float
        tiers: Tier objects or (from, to, rate) tuples (to None/NaN = open).

    periods_of(period, plan_year) -> list[tuple[str, list[str]]]
        ('quarter', 2026) -> [('2026-Q1', ['2026-01', '2026-02', '2026-03']), ...];
        year -> [('2026', [12 months])]; month -> [('2026-01', ['2026-01']), ...].

    payment_month(period_label, delay_months=1) -> str
        The month after the period ends: '2026-Q1' -> '2026-04', '2026' -> '2027-01',
        '2026-03' -> '2026-04'.

    plan_bonus(scheme, team, targets, *, new_success_rate=0.6, target_net_profit=None,
               attainments=(0.8, 1.0, 1.2), plan_year=None, decimals=2) -> DataFrame
        team: DataFrame[operator, bonus_base] (empty: every base is 0);
        targets: DataFrame[operator, month, sales, net_profit, launches], one row per
        operator × plan month (net profit before bonuses; launches = launches in that month).
        target_net_profit: the company's target net profit before bonuses (default: the
        sum of targets.net_profit), for the profit pool.
        Returns one row per operator × rule × period, then the operator's launch-bonus rows
        (metric 'launch_bonus', period = launch month) and profit-pool row (metric
        'profit_pool', period = the year) when the scheme has them, then a total row
        (period 'Total', kind 'total').  Columns:
        operator, period, kind ('month'|'quarter'|'year'|'launch'|'total'), metric, target,
        share, bonus_at_80, bonus_at_100, bonus_at_120 (one bonus_at_<pct> column per
        attainment).  Bonus columns are rounded to `decimals` by largest remainder over the
        detail rows (None: full precision); total rows are sums of the rounded rows.

    bonus_total(table, column="bonus_at_100") -> float
        The company's bonus (sum of the total rows) — the headline gs_bonus_total.

    bonus_payments(table, new_ramp_months=3, column="bonus_at_100") -> DataFrame[month, amount]
        When the bonuses of a plan_bonus table are paid: the month after each period ends
        (December's periods -> month Y+1-01; the caller drops what falls outside its table);
        launch bonuses the month after launch month + new_ramp_months.  One row per month, sorted.

    earned_bonus(scheme, team, plan_targets, actuals, as_of, *, new_success_rate=0.6,
                 target_net_profit=None, successful_launches=None, decimals=2) -> DataFrame
        Tracking mode.  plan_targets as `targets` above; actuals: DataFrame[operator, month,
        sales, net_profit, launches] for the closed months (≤ as_of).  One row per operator ×
        rule × period: plan, plan_to_date, actual_to_date, attainment (to date), status
        ('closed' | 'open' | 'future'), accrued (bonus at 100 %), earned, paid, true_up.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from goalsheet.inputs.model import Problem


@dataclass(frozen=True)
class Tier:
    lower: float
    upper: float
    rate: float


@dataclass(frozen=True)
class BonusRule:
    period: str
    metric: str
    tiers: tuple[Tier, ...]
    mode: str = "step"
    cap: float | None = None
    weight: float = 1.0


@dataclass(frozen=True)
class BonusScheme:
    rules: tuple[BonusRule, ...]
    profit_pool_rate: float = 0.0
    launch_bonus: float = 0.0
    is_default: bool = False


DEFAULT_RULES = (BonusRule("year", "sales", (Tier(0.0, 0.8, 0.0), Tier(0.8, 1.0, 0.5), Tier(1.0, 1.2, 1.0),
                                             Tier(1.2, math.inf, 1.5)), "step", 1.5, 1.0),)


def parse_scheme(frame: pd.DataFrame, settings: Mapping[str, Any] | None = None) -> tuple[BonusScheme, list[Problem]]:
    raise NotImplementedError


def attainment(actual: float, plan: float) -> float:
    raise NotImplementedError


def multiplier(tiers: Sequence[Any], attainment: float, mode: str = "step", cap: float | None = None) -> float:
    raise NotImplementedError


def periods_of(period: str, plan_year: int) -> list[tuple[str, list[str]]]:
    raise NotImplementedError


def payment_month(period_label: str, delay_months: int = 1) -> str:
    raise NotImplementedError


def plan_bonus(scheme: BonusScheme, team: pd.DataFrame, targets: pd.DataFrame, *, new_success_rate: float = 0.6,
               target_net_profit: float | None = None, attainments: Sequence[float] = (0.8, 1.0, 1.2),
               plan_year: int | None = None, decimals: int | None = 2) -> pd.DataFrame:
    raise NotImplementedError


def bonus_total(table: pd.DataFrame, column: str = "bonus_at_100") -> float:
    raise NotImplementedError


def bonus_payments(table: pd.DataFrame, new_ramp_months: int = 3, column: str = "bonus_at_100") -> pd.DataFrame:
    raise NotImplementedError


def earned_bonus(scheme: BonusScheme, team: pd.DataFrame, plan_targets: pd.DataFrame, actuals: pd.DataFrame,
                 as_of: str, *, new_success_rate: float = 0.6, target_net_profit: float | None = None,
                 successful_launches: pd.DataFrame | None = None, decimals: int | None = 2) -> pd.DataFrame:
    raise NotImplementedError
