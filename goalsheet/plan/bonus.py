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

    parse_scheme(frame, settings=None, sheet_name="Bonus") -> tuple[BonusScheme, list[Problem]]
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
        A profit-pool row's share is NaN (its amount depends on the profit above target).

    bonus_total(table, column="bonus_at_100", decimals=2) -> float
        The company's bonus (sum of the total rows) — the headline gs_bonus_total.

    bonus_payments(table, new_ramp_months=3, column="bonus_at_100", decimals=2) -> DataFrame[month, amount]
        When the bonuses of a plan_bonus table are paid: the month after each period ends
        (December's periods -> month Y+1-01; the caller drops what falls outside its table);
        launch bonuses the month after launch month + new_ramp_months.  One row per month, sorted.

    earned_bonus(scheme, team, plan_targets, actuals, as_of, *, new_success_rate=0.6,
                 target_net_profit=None, successful_launches=None, new_ramp_months=3,
                 plan_year=None, decimals=2) -> DataFrame
        Tracking mode.  plan_targets as `targets` above; actuals: DataFrame[operator, month,
        sales, net_profit, launches] for the closed months (≤ as_of, 'YYYY-MM');
        successful_launches: DataFrame[operator, month (launch month), count] by 3.8's rule.
        The rows of plan_bonus (then the operator's Total row) with columns: operator, period,
        kind, metric, plan, plan_to_date, actual_to_date, attainment (to date), status
        ('closed' | 'open' | 'future'), share, accrued (bonus at 100 %), earned (closed periods),
        forecast (closed: earned; open: at attainment to date; future: accrued), payment_month,
        paid (earned once payment_month ≤ as_of), true_up (forecast − accrued).

    bonus_column(a) -> str        'bonus_at_100' for 1.0
    PERIOD_COUNT                  {'month': 12, 'quarter': 4, 'year': 1}

    scheme_to_json(scheme, team=None) -> dict
        The scheme (and the team's bonus bases) as plain JSON (open tiers' `to` as null), for
        Plan.frozen['bonus_scheme']: `plan --baseline` pays on the earlier plan's scheme (SPEC 3.1).
    scheme_from_json(data) -> tuple[BonusScheme, dict[str, float]]
        The scheme and the bonus bases (operator -> base) back; raises ValueError when malformed.
    with_bonus_bases(team, bases) -> DataFrame
        `team` with each operator's bonus_base taken from `bases` (operators not in it keep theirs;
        operators only in `bases` are added with base salary 0).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from typing import TYPE_CHECKING

from goalsheet.inputs import schema
from goalsheet.inputs.model import Problem, Term
from goalsheet.plan.breakdown import minor_unit_decimals, round_largest_remainder
from goalsheet.plan.cells import cell_profit
from goalsheet.plan.launches import UNASSIGNED

if TYPE_CHECKING:
    from goalsheet.plan.basis import Basis, Derived


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


_PERIOD_WORDS, _METRIC_WORDS = schema.BONUS_PERIOD_WORDS, schema.BONUS_METRIC_WORDS
_MODE_WORDS = schema.BONUS_MODE_WORDS
PERIOD_COUNT = {"month": 12, "quarter": 4, "year": 1}


def _word(value: Any, words: Mapping[str, str]) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    key = str(value).strip().lower().replace(" ", "_")
    return words.get(key, words.get(key.replace("_", ""), key))


def _number(value: Any) -> float | None:
    """A float, or None for blank/NaN."""
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _setting(settings: Mapping[str, Any] | None, key: str) -> float:
    x = _number((settings or {}).get(key))
    return 0.0 if x is None else x


def parse_scheme(frame: pd.DataFrame | None, settings: Mapping[str, Any] | None = None,
                 sheet_name: str = "Bonus") -> tuple[BonusScheme, list[Problem]]:
    """The scheme from the Bonus sheet's rows (one rule per (period, metric) pair, in sheet order).

    A pair's mode, cap and weight are read from its first row that gives them.
    Weights left blank share what the given weights leave of 1 equally (all blank:
    equal shares).  No rows: the default scheme (SPEC 3.8).
    """
    problems: list[Problem] = []
    pool = _setting(settings, "profit_pool_rate")
    launch_bonus = _setting(settings, "launch_bonus")
    if frame is None or len(frame) == 0:
        return BonusScheme(DEFAULT_RULES, pool, launch_bonus, is_default=True), problems

    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in frame.to_dict(orient="records"):
        period, metric = _word(row.get("period"), _PERIOD_WORDS), _word(row.get("metric"), _METRIC_WORDS)
        if period not in PERIOD_COUNT or metric not in ("sales", "net_profit", "launches"):
            problems.append(Problem(sheet_name, "", severity="warning", code="bonus_row_unknown",
                                    args={"period": row.get("period"), "metric": row.get("metric")}))
            continue
        groups.setdefault((period, metric), []).append(row)

    drafts = []
    for (period, metric), rows in groups.items():
        def first(column: str, reader: Any) -> Any:
            found = [v for v in (reader(r.get(column)) for r in rows) if v is not None]
            if len(set(found)) > 1:
                problems.append(Problem(sheet_name, "", severity="warning", code="bonus_rule_conflict",
                                        args={"period": Term("bonus_period", period),
                                              "metric": Term("bonus_metric", metric),
                                              "column": Term("bonus_column", column),
                                              "values": ", ".join(map(str, dict.fromkeys(found))),
                                              "first": found[0]}))
            return found[0] if found else None

        mode = first("mode", lambda v: _word(v, _MODE_WORDS)) or "step"
        if mode not in ("step", "marginal"):
            problems.append(Problem(sheet_name, "", severity="warning", code="bonus_mode_unknown",
                                    args={"period": Term("bonus_period", period),
                                          "metric": Term("bonus_metric", metric), "mode": mode}))
            mode = "step"
        tiers = []
        for r in rows:
            lower, upper, rate = _number(r.get("from")), _number(r.get("to")), _number(r.get("rate"))
            if lower is None or rate is None:
                problems.append(Problem(sheet_name, "", severity="warning", code="bonus_tier_incomplete",
                                        args={"period": Term("bonus_period", period),
                                              "metric": Term("bonus_metric", metric)}))
                continue
            tiers.append(Tier(lower, math.inf if upper is None else upper, rate))
        tiers.sort(key=lambda t: (t.lower, t.upper))
        drafts.append((period, metric, tuple(tiers), mode, first("cap", _number), first("weight", _number)))

    given = [d[5] for d in drafts if d[5] is not None]
    blanks = sum(1 for d in drafts if d[5] is None)
    left = 1.0 - math.fsum(given)
    if blanks and left < -1e-9:
        problems.append(Problem(sheet_name, "", severity="warning", code="bonus_weights_over",
                                args={"total": math.fsum(given)}))
    blank_weight = max(0.0, left) / blanks if blanks else 0.0
    rules = tuple(BonusRule(p, m, t, mode, cap, blank_weight if w is None else w)
                  for p, m, t, mode, cap, w in drafts)
    total_weight = math.fsum(r.weight for r in rules)
    if rules and abs(total_weight - 1.0) > 1e-6:
        problems.append(Problem(sheet_name, "", severity="warning", code="bonus_weights_not_one",
                                args={"total": total_weight}))
    return BonusScheme(rules, pool, launch_bonus), problems


def scheme_to_json(scheme: BonusScheme, team: pd.DataFrame | None = None) -> dict[str, Any]:
    """The scheme as JSON-ready data (an open tier's `to` is null; JSON has no infinity), with the team's bonus
    bases: what `plan --baseline` needs to pay on the earlier plan's terms."""
    _ops, bases = _operators(team, pd.DataFrame(columns=["operator"]))
    return {
        "rules": [{"period": r.period, "metric": r.metric, "mode": r.mode, "cap": r.cap, "weight": r.weight,
                   "tiers": [[t.lower, None if math.isinf(t.upper) else t.upper, t.rate] for t in r.tiers]}
                  for r in scheme.rules],
        "profit_pool_rate": scheme.profit_pool_rate,
        "launch_bonus": scheme.launch_bonus,
        "is_default": scheme.is_default,
        "bonus_base": {str(o): float(b) for o, b in bases.items()},
    }


def scheme_from_json(data: Mapping[str, Any]) -> tuple[BonusScheme, dict[str, float]]:
    """`scheme_to_json`'s output back as (scheme, bonus bases); ValueError when it is not such data."""
    try:
        rules = tuple(BonusRule(str(r["period"]), str(r["metric"]), tuple(_as_tier(t) for t in r["tiers"]),
                                str(r.get("mode") or "step"), _number(r.get("cap")), float(r["weight"]))
                      for r in data["rules"])
        scheme = BonusScheme(rules, float(data.get("profit_pool_rate") or 0.0), float(data.get("launch_bonus") or 0.0),
                             bool(data.get("is_default", False)))
        bases = {str(o): float(b) for o, b in (data.get("bonus_base") or {}).items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not a bonus scheme: {exc}") from exc
    if any(r.period not in PERIOD_COUNT for r in rules):
        raise ValueError("not a bonus scheme: unknown period")
    return scheme, bases


def with_bonus_bases(team: pd.DataFrame | None, bases: Mapping[str, float]) -> pd.DataFrame:
    """The team with the bonus bases of `bases` (an earlier plan's); operators it does not name keep theirs."""
    team = team.copy() if team is not None and len(team) else pd.DataFrame(columns=["operator", "base_salary",
                                                                                    "bonus_base"])
    if "bonus_base" not in team.columns:
        team["bonus_base"] = 0.0
    team["bonus_base"] = [float(bases[o]) if o in bases else b for o, b in zip(team["operator"], team["bonus_base"])]
    missing = [o for o in bases if o not in set(team["operator"])]
    if missing:
        extra = pd.DataFrame({"operator": missing, "base_salary": 0.0, "bonus_base": [bases[o] for o in missing]})
        team = pd.concat([team, extra], ignore_index=True)
    return team


def _decimal(x: float) -> Decimal:
    return Decimal(repr(float(x)))


def attainment(actual: float, plan: float) -> float:
    """actual ÷ plan, rounded to 0.01 % (4 decimals, half away from zero).

    A plan of 0 counts as 100 % attained when the actual is ≥ 0 (else 0 %).  A negative
    plan (a loss budgeted) is measured by how far the actual beats it:
    1 + (actual − plan) / |plan| — a loss of 500 against a planned loss of 1 000 is 150 %.
    """
    actual, plan = float(actual), float(plan)
    if plan == 0:
        return 1.0 if actual >= 0 else 0.0
    ratio = actual / plan if plan > 0 else 1.0 + (actual - plan) / abs(plan)
    return float(_decimal(ratio).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def _as_tier(t: Any) -> Tier:
    if isinstance(t, Tier):
        return t
    lower, upper, rate = t
    upper_n = _number(upper)
    return Tier(float(lower), math.inf if upper_n is None else upper_n, float(rate))


def multiplier(tiers: Sequence[Any], attainment: float, mode: str = "step", cap: float | None = None) -> float:
    """The multiplier of bonus_base share at an attainment (SPEC 3.8).

    Attainment is rounded to 0.01 % first.  A tier of rate 0 starting at 0 is the gate:
    below its `to` nothing is paid, in either mode.
    step:     the rate of the tier containing A (from ≤ A < to; where tiers overlap, the
              one starting highest); A at or above every tier's `to`: the last tier's rate;
              A in no tier (below the first, or in a gap): 0.
    marginal: Σ rate × max(0, min(A, to) − from).
    cap:      the largest multiplier (None/NaN: no cap).
    """
    ts = sorted((_as_tier(t) for t in tiers), key=lambda t: (t.lower, t.upper))
    if not ts or attainment is None or math.isnan(float(attainment)):
        return 0.0
    a = _decimal(attainment).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    gates = [t for t in ts if t.rate == 0 and t.lower <= 0]
    if any(a < _decimal(t.upper) for t in gates if not math.isinf(t.upper)) or any(math.isinf(t.upper) for t in gates):
        return 0.0
    if mode == "marginal":
        m = Decimal(0)
        for t in ts:
            top = a if math.isinf(t.upper) else min(a, _decimal(t.upper))
            m += _decimal(t.rate) * max(Decimal(0), top - _decimal(t.lower))
    else:
        containing = [t for t in ts if _decimal(t.lower) <= a and (math.isinf(t.upper) or a < _decimal(t.upper))]
        if containing:
            m = _decimal(max(containing, key=lambda t: (t.lower, t.upper)).rate)
        else:
            last = max(ts, key=lambda t: (t.upper, t.lower))
            m = _decimal(last.rate) if a >= _decimal(last.upper) else Decimal(0)
    capped = _number(cap)
    if capped is not None:
        m = min(m, _decimal(capped))
    return float(m)


def _add_months(month: str, n: int) -> str:
    y, m = int(month[:4]), int(month[5:7])
    k = y * 12 + (m - 1) + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def periods_of(period: str, plan_year: int) -> list[tuple[str, list[str]]]:
    """The plan year's periods of a kind, each with its months."""
    months = [f"{plan_year}-{m:02d}" for m in range(1, 13)]
    if period == "year":
        return [(str(plan_year), months)]
    if period == "quarter":
        return [(f"{plan_year}-Q{q}", months[3 * (q - 1):3 * q]) for q in range(1, 5)]
    if period == "month":
        return [(m, [m]) for m in months]
    raise ValueError(f"unknown bonus period {period!r}")


def _last_month(period_label: str) -> str:
    if len(period_label) == 4:                          # '2026'
        return f"{period_label}-12"
    if "-Q" in period_label:                            # '2026-Q2'
        return f"{period_label[:4]}-{3 * int(period_label[-1]):02d}"
    return period_label[:7]                             # '2026-03'


def payment_month(period_label: str, delay_months: int = 1) -> str:
    """The month a period's bonus is paid: the month after it ends (SPEC 3.6)."""
    return _add_months(_last_month(period_label), delay_months)


def bonus_column(a: float) -> str:
    """'bonus_at_100' for attainment 1.0."""
    return f"bonus_at_{int(round(a * 100))}"


def _operators(team: pd.DataFrame | None, targets: pd.DataFrame) -> tuple[list[str], dict[str, float]]:
    """Team operators in sheet order, then anyone else with targets; their bonus bases (0 if none)."""
    bases: dict[str, float] = {}
    if team is not None and len(team):
        for op, base in zip(team["operator"], team.get("bonus_base", pd.Series([0.0] * len(team)))):
            bases.setdefault(op, _number(base) or 0.0)
    ops = list(bases) + [o for o in pd.unique(targets["operator"]) if o not in bases] if len(targets) else list(bases)
    return ops, {o: bases.get(o, 0.0) for o in ops}


def _monthly(frame: pd.DataFrame, columns: Sequence[str]) -> dict[tuple[str, str], dict[str, float]]:
    """(operator, month) -> {metric: sum} for quick lookups: each column summed per (operator, month[:7]), a row
    with a blank operator or month in no group, a column the frame lacks 0."""
    if frame is None or len(frame) == 0:
        return {}
    values = pd.DataFrame({c: frame[c].to_numpy() if c in frame.columns else np.zeros(len(frame)) for c in columns})
    keys = [pd.Series(frame["operator"].to_numpy(dtype=object)),
            pd.Series([None if _blank(m) else str(m)[:7] for m in frame["month"].tolist()], dtype=object)]
    sums = values.groupby(keys, sort=False).sum()
    return {(o, m): {c: float(v) for c, v in zip(columns, row)}
            for (o, m), row in zip(sums.index, sums.to_numpy(float).tolist())}


def _blank(v: Any) -> bool:
    """None, NaN or pd.NA: a key groupby leaves out."""
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _contribution_shares(ops: Sequence[str], net_profit: Mapping[str, float]) -> dict[str, float]:
    """Each operator's part of a profit pool: their positive net profit over everyone's (all ≤ 0: equal)."""
    positive = {o: max(0.0, net_profit.get(o, 0.0)) for o in ops}
    total = math.fsum(positive.values())
    if total <= 0:
        return {o: 1.0 / len(ops) for o in ops} if ops else {}
    return {o: v / total for o, v in positive.items()}


def plan_bonus(scheme: BonusScheme, team: pd.DataFrame, targets: pd.DataFrame, *, new_success_rate: float = 0.6,
               target_net_profit: float | None = None, attainments: Sequence[float] = (0.8, 1.0, 1.2),
               plan_year: int | None = None, decimals: int | None = 2) -> pd.DataFrame:
    """Each operator's bonus at 80 %, 100 % and 120 % attainment of every period and metric (SPEC 3.8).

    share (money) = bonus_base × weight / number of periods of the kind;
    bonus_at_a    = share × multiplier(tiers, a).
    Launch bonus rows: launch_bonus × new_success_rate × the operator's launches that month
    (the same at every attainment).  Profit-pool row: profit_pool_rate × max(0, net profit −
    target net profit) at attainment a of the company's target net profit (0 at 100 %),
    split by the operators' positive net-profit targets.
    """
    targets = targets if targets is not None else pd.DataFrame(columns=["operator", "month"])
    if plan_year is None:
        if not len(targets):
            raise ValueError("plan_bonus: no targets and no plan_year")
        plan_year = int(str(targets["month"].iloc[0])[:4])
    ops, bases = _operators(team, targets)
    by_month = _monthly(targets, ("sales", "net_profit", "launches"))
    cols = [bonus_column(a) for a in attainments]
    rows: list[dict[str, Any]] = []

    def metric_sum(op: str, metric: str, months: Sequence[str]) -> float:
        return math.fsum(by_month.get((op, m), {}).get(metric, 0.0) for m in months)

    year_months = periods_of("year", plan_year)[0][1]
    op_profit = {o: metric_sum(o, "net_profit", year_months) for o in ops}
    company_profit = math.fsum(op_profit.values()) if target_net_profit is None else float(target_net_profit)
    pool_parts = _contribution_shares(ops, op_profit)

    for op in ops:
        for rule in scheme.rules:
            periods = periods_of(rule.period, plan_year)
            share = bases[op] * rule.weight / len(periods)
            mults = [multiplier(rule.tiers, a, rule.mode, rule.cap) for a in attainments]
            for label, months in periods:
                rows.append({"operator": op, "period": label, "kind": rule.period, "metric": rule.metric,
                             "target": metric_sum(op, rule.metric, months), "share": share,
                             **{c: share * m for c, m in zip(cols, mults)}})
        if scheme.launch_bonus:
            for month in year_months:
                launches = by_month.get((op, month), {}).get("launches", 0.0)
                if launches:
                    amount = scheme.launch_bonus * new_success_rate * launches
                    rows.append({"operator": op, "period": month, "kind": "launch", "metric": "launch_bonus",
                                 "target": launches, "share": amount, **{c: amount for c in cols}})
        if scheme.profit_pool_rate:
            pools = [scheme.profit_pool_rate * max(0.0, (a - 1.0) * abs(company_profit)) for a in attainments]
            rows.append({"operator": op, "period": str(plan_year), "kind": "year", "metric": "profit_pool",
                         "target": op_profit[op], "share": math.nan,
                         **{c: pool * pool_parts[op] for c, pool in zip(cols, pools)}})

    columns = ["operator", "period", "kind", "metric", "target", "share", *cols]
    return _with_totals(rows, ops, columns, decimals)


def _with_totals(rows: list[dict[str, Any]], ops: Sequence[str], columns: list[str],
                 decimals: int | None) -> pd.DataFrame:
    """The bonus table from its detail rows (each operator's rows together, in the order of `ops`, as
    `plan_bonus` makes them): the money columns rounded by largest remainder over all known (not NaN) cells of a
    column, then each operator's rows followed by its total row (the exact sum of its rounded amounts), in one
    frame.  No detail rows at all: the operators' total rows only, every column of object dtype."""

    blocks, start = [], 0
    for op in ops:
        stop = start
        while stop < len(rows) and (rows[stop]["operator"] is op or rows[stop]["operator"] == op):
            stop += 1
        blocks.append((op, start, stop))
        start = stop
    if start != len(rows):
        raise ValueError("_with_totals: the rows are not in the operators' blocks (plan_bonus's invariant)")
    money = columns[5:]
    values = {c: np.array([r[c] for r in rows], dtype=float) for c in money}
    if decimals is not None:
        for c, v in values.items():
            known = ~np.isnan(v)
            v[known] = round_largest_remainder(v[known], decimals)
    data: dict[str, list] = {c: [] for c in columns}
    plain = {c: values[c].tolist() for c in money}
    for op, start, stop in blocks:
        for c in columns[:5]:
            data[c] += [r[c] for r in rows[start:stop]]
        data["operator"].append(op)
        data["period"].append("Total")
        data["kind"].append("total")
        data["metric"].append("")
        data["target"].append(math.nan)
        for c in money:
            part = plain[c][start:stop]
            data[c] += part
            data[c].append(_exact_sum([x for x in part if not math.isnan(x)], decimals))
    return pd.DataFrame(data, columns=columns, dtype=None if rows else object)


def _exact_sum(values: Any, decimals: int | None) -> float:
    """Sum of already rounded amounts, exact in minor units."""
    if decimals is None:
        return math.fsum(values)
    scale = 10 ** decimals
    return sum(int(round(float(v) * scale)) for v in values) / scale


def bonus_total(table: pd.DataFrame, column: str = "bonus_at_100", decimals: int | None = 2) -> float:
    """The company's bonus: the sum of the operators' total rows (gs_bonus_total at 100 %)."""
    return _exact_sum(table.loc[table["kind"] == "total", column], decimals)


def payment_month_of_launch(launch_month: str, new_ramp_months: int) -> str:
    """A launch bonus is paid the month after launch month + new_ramp_months, when its success is known."""
    return _add_months(str(launch_month), int(new_ramp_months) + 1)


def bonus_payments(table: pd.DataFrame, new_ramp_months: int = 3, column: str = "bonus_at_100",
                   decimals: int | None = 2) -> pd.DataFrame:
    """When the bonuses of a plan_bonus (or earned_bonus) table are paid, summed per month.

    Period bonuses: the month after the period ends (December's periods fall in Y+1-01;
    the caller drops months outside its cash table).  Launch bonuses: the month after
    launch month + new_ramp_months, when the launch's success is known.
    """
    detail = table[(table["kind"] != "total") & table[column].notna()]
    months = [payment_month_of_launch(p, new_ramp_months) if k == "launch" else payment_month(p)
              for p, k in zip(detail["period"], detail["kind"])]
    amounts: dict[str, list[float]] = {}
    for month, amount in zip(months, detail[column]):
        amounts.setdefault(month, []).append(float(amount))
    rows = [(m, _exact_sum(v, decimals)) for m, v in sorted(amounts.items())]
    return pd.DataFrame(rows, columns=["month", "amount"])


def earned_bonus(scheme: BonusScheme, team: pd.DataFrame, plan_targets: pd.DataFrame, actuals: pd.DataFrame,
                 as_of: str, *, new_success_rate: float = 0.6, target_net_profit: float | None = None,
                 successful_launches: pd.DataFrame | None = None, new_ramp_months: int = 3,
                 plan_year: int | None = None, decimals: int | None = 2) -> pd.DataFrame:
    """Tracking mode (SPEC 3.8, 3.9): attainment to date, earned, paid and the true-up.

    The rows are those of `plan_bonus` (same order), each with:
      plan, plan_to_date, actual_to_date   the metric over the period / its months up to as_of
      attainment   actual_to_date ÷ plan_to_date (a plan of 0: 100 % when actual ≥ 0); NaN before the period
      status       'closed' (the period has ended by as_of), 'open', 'future'
      accrued      the plan's bonus (at 100 % attainment): what the plan budgeted
      earned       closed periods: share × multiplier(attainment); else 0
      forecast     closed: earned; open: share × multiplier(attainment to date) (if the pace holds);
                   future: accrued
      payment_month, paid   the month after the period ends; paid = earned once that month ≤ as_of
      true_up      forecast − accrued: what the bonus costs more (+) or less (−) than budgeted
    Launch bonus rows: earned = launch_bonus × the successful launches of that launch month
    (successful_launches DataFrame[operator, month, count]: the caller applies 3.8's success
    rule); closed once launch month + new_ramp_months ≤ as_of.  The profit pool: company net
    profit to date against plan to date, earned when the year is closed, split by the operators'
    positive actual net profit.  Then a 'Total' row per operator (sums).
    """

    as_of = str(as_of)[:7]
    if plan_year is None:
        plan_year = int(str(plan_targets["month"].iloc[0])[:4]) if len(plan_targets) else int(as_of[:4])
    plan = plan_bonus(scheme, team, plan_targets, new_success_rate=new_success_rate,
                      target_net_profit=target_net_profit, attainments=(1.0,), plan_year=plan_year,
                      decimals=decimals)
    ops, bases = _operators(team, plan_targets)
    extra = [o for o in (pd.unique(actuals["operator"]) if actuals is not None and len(actuals) else [])
             if o not in bases]
    ops += extra
    plan_m = _monthly(plan_targets, ("sales", "net_profit", "launches"))
    act_m = _monthly(actuals, ("sales", "net_profit", "launches"))
    wins: dict[tuple[str, str], float] = {}
    if successful_launches is not None and len(successful_launches):
        for op, month, count in zip(successful_launches["operator"], successful_launches["month"],
                                    successful_launches["count"]):
            wins[(op, str(month)[:7])] = wins.get((op, str(month)[:7]), 0.0) + float(count)
    rules = {(r.period, r.metric): r for r in scheme.rules}

    def total(source: Mapping, op: str, metric: str, months: Sequence[str]) -> float:
        return math.fsum(source.get((op, m), {}).get(metric, 0.0) for m in months)

    def status_of(first: str, last: str) -> str:
        return "closed" if last <= as_of else ("future" if first > as_of else "open")

    year_months = periods_of("year", plan_year)[0][1]
    closed_year = [m for m in year_months if m <= as_of]
    plan_np_td = {o: total(plan_m, o, "net_profit", closed_year) for o in ops}
    act_np_td = {o: total(act_m, o, "net_profit", closed_year) for o in ops}
    company_plan_year = (math.fsum(total(plan_m, o, "net_profit", year_months) for o in ops)
                         if target_net_profit is None else float(target_net_profit))
    company_a = attainment(math.fsum(act_np_td.values()), math.fsum(plan_np_td.values())) if closed_year else math.nan
    pool_parts = _contribution_shares(ops, act_np_td)

    detail = plan[plan["kind"] != "total"]
    # successful launches in months the plan had none still earn their bonus
    have = set(zip(detail.loc[detail["kind"] == "launch", "operator"], detail.loc[detail["kind"] == "launch", "period"]))
    if scheme.launch_bonus:
        add = [{"operator": op, "period": m, "kind": "launch", "metric": "launch_bonus", "target": 0.0,
                "share": 0.0, "bonus_at_100": 0.0} for (op, m) in wins if (op, m) not in have]
        if add:
            detail = pd.concat([detail, pd.DataFrame(add)], ignore_index=True)
    rows = []
    for r in detail.to_dict(orient="records"):
        op, label, kind, metric = r["operator"], r["period"], r["kind"], r["metric"]
        row = {"operator": op, "period": label, "kind": kind, "metric": metric, "share": r["share"],
               "accrued": r["bonus_at_100"]}
        if kind == "launch":
            closes = _add_months(label, new_ramp_months)
            status = status_of(label, closes)
            planned = total(plan_m, op, "launches", [label])
            won = wins.get((op, label), 0.0)
            earned = scheme.launch_bonus * won
            row.update(plan=planned, plan_to_date=planned if label <= as_of else 0.0, actual_to_date=won,
                       attainment=attainment(won, new_success_rate * planned) if status == "closed" else math.nan,
                       status=status, earned=earned,
                       forecast=earned if status == "closed" else max(earned, r["bonus_at_100"]),
                       payment_month=_add_months(label, new_ramp_months + 1))
        elif metric == "profit_pool":
            status = status_of(year_months[0], year_months[-1])
            excess = (company_a - 1.0) * abs(company_plan_year) if closed_year else 0.0
            pool = scheme.profit_pool_rate * max(0.0, excess) * pool_parts.get(op, 0.0)
            row.update(plan=r["target"], plan_to_date=plan_np_td.get(op, 0.0), actual_to_date=act_np_td.get(op, 0.0),
                       attainment=company_a, status=status, earned=pool if status == "closed" else 0.0,
                       forecast=pool if status != "future" else r["bonus_at_100"],
                       payment_month=payment_month(label))
        else:
            rule = rules[(kind, metric)]
            months = dict(periods_of(kind, plan_year))[label]
            done = [m for m in months if m <= as_of]
            status = status_of(months[0], months[-1])
            plan_td, act_td = total(plan_m, op, metric, done), total(act_m, op, metric, done)
            a = attainment(act_td, plan_td) if done else math.nan
            value = r["share"] * multiplier(rule.tiers, a, rule.mode, rule.cap) if done else r["bonus_at_100"]
            row.update(plan=total(plan_m, op, metric, months), plan_to_date=plan_td, actual_to_date=act_td,
                       attainment=a, status=status, earned=value if status == "closed" else 0.0,
                       forecast=value, payment_month=payment_month(label))
        rows.append(row)

    columns = ["operator", "period", "kind", "metric", "plan", "plan_to_date", "actual_to_date", "attainment",
               "status", "share", "accrued", "earned", "forecast", "payment_month", "paid", "true_up"]
    out = pd.DataFrame(rows, columns=columns)
    if decimals is not None and len(out):
        out["earned"] = round_largest_remainder(out["earned"].to_numpy(float), decimals)
        is_open = (out["status"] == "open").to_numpy()
        forecast = np.where(out["status"] == "closed", out["earned"], out["accrued"]).astype(float)
        if is_open.any():
            forecast[is_open] = round_largest_remainder(out.loc[is_open, "forecast"].to_numpy(float), decimals)
        out["forecast"] = forecast
    paid = out["payment_month"] <= as_of
    out["paid"] = np.where(paid, out["earned"], 0.0)
    out["true_up"] = [(_exact_sum([f], decimals) - _exact_sum([a], decimals)) if decimals is not None else f - a
                      for f, a in zip(out["forecast"], out["accrued"])]
    if decimals is not None:
        out["true_up"] = out["true_up"].round(decimals)
    result = []
    for op in ops:
        part = out[out["operator"] == op]
        tot = {c: math.nan for c in columns}
        tot.update(operator=op, period="Total", kind="total", metric="", status="", payment_month="")
        for c in ("share", "accrued", "earned", "forecast", "paid", "true_up"):
            tot[c] = _exact_sum(part[c].dropna(), decimals)
        result += [part, pd.DataFrame([tot], columns=columns)]
    return pd.concat(result, ignore_index=True) if result else out


# --------------------------------------------------------------------------------------------
# the plan's bonus (3.8)


def bonus_scheme(basis: Basis, baseline: dict[str, Any] | None
                 ) -> tuple[BonusScheme, pd.DataFrame, list[Problem]]:
    """The bonus scheme (3.8) and the team with its bonus bases: the Bonus and Team sheets' now, or under
    --baseline the earlier plan's (3.1: the terms people are paid on do not change mid-year), with a warning
    when the sheets now say something else.  An earlier plan without a scheme: the sheets' now, and a warning."""
    book = basis.book
    current, problems = parse_scheme(book.bonus, {"profit_pool_rate": basis.settings.profit_pool_rate,
                                                      "launch_bonus": basis.settings.launch_bonus})
    if not baseline:
        return current, book.team, problems
    frozen = baseline.get("frozen") if isinstance(baseline.get("frozen"), dict) else {}
    try:
        scheme, bases = scheme_from_json(frozen["bonus_scheme"])
    except (KeyError, TypeError, ValueError):
        return current, book.team, problems + [Problem(
            "Bonus", "", severity="warning", code="baseline_no_scheme")]
    team = with_bonus_bases(book.team, bases)
    if scheme_to_json(current, book.team) != scheme_to_json(scheme, team):
        problems = [Problem("Bonus", "", severity="warning", code="baseline_scheme_changed")]
    else:
        problems = []
    return scheme, team, problems


def planned_bonus(basis: Basis, d: Derived, cells: pd.DataFrame, salaries: pd.DataFrame,
                  scheme: BonusScheme, team: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """The plan's bonus table: the scheme at 80 / 100 / 120 % of the plan's targets (3.8), and its 100 % total,
    which enters target net profit."""
    targets = bonus_targets(basis, d, cells, salaries)
    table = plan_bonus(scheme, team, targets,
                       new_success_rate=basis.settings.new_success_rate,
                       target_net_profit=float(targets["net_profit"].sum()),
                       plan_year=basis.calendar.plan_year,
                       decimals=minor_unit_decimals(basis.base_currency))
    return table, float(bonus_total(table))


def bonus_targets(basis: Basis, d: Derived, cells: pd.DataFrame, salaries: pd.DataFrame) -> pd.DataFrame:
    """operator, month, sales, net_profit (before bonuses), launches: one row per operator × plan month.

    The plan asks twice (for its bonus, and for the frozen targets) with the same figures: made once per
    (plan, cells, salaries), each caller given its own copy."""
    made = basis.cache.get("bonus_targets")
    if made is not None and made[0] is d and made[1] is cells and made[2] is salaries:
        return made[3].copy()
    out = _bonus_targets(basis, d, cells, salaries)
    basis.cache["bonus_targets"] = (d, cells, salaries, out.copy())
    return out


def _bonus_targets(basis: Basis, d: Derived, cells: pd.DataFrame, salaries: pd.DataFrame) -> pd.DataFrame:
    c = cells.assign(profit=cell_profit(cells))
    g = c.groupby(["operator", "month"], sort=False).agg(sales=("rounded", "sum"), net_profit=("profit", "sum"))
    ops = list(salaries["operator"])
    months = list(basis.calendar.plan_months)
    idx = pd.MultiIndex.from_product([ops, months], names=["operator", "month"])
    out = g.reindex(idx).fillna(0.0).reset_index()
    pay = dict(zip(salaries["operator"], salaries["monthly_salary"]))
    out["net_profit"] = out["net_profit"] - out["operator"].map(pay).fillna(0.0)
    lt = d.launches.table
    counts = lt.assign(operator=lt["operator"].fillna(UNASSIGNED)).groupby(["operator", "month"]).size() \
        if len(lt) else pd.Series(dtype=float)
    out["launches"] = [float(counts.get((o, m), 0)) for o, m in zip(out["operator"], out["month"])]
    return out
