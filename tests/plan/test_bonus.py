"""The bonus engine (SPEC 3.8): tiers, gate, cap, weights, pool, launch bonus, payments; figures by hand."""
from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from goalsheet.plan.bonus import (DEFAULT_RULES, BonusRule, BonusScheme, Tier, attainment, bonus_payments,
                                  bonus_total, multiplier, parse_scheme, payment_month, periods_of, plan_bonus)

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
BONUS_COLUMNS = ["period", "metric", "from", "to", "rate", "mode", "cap", "weight"]


def scheme_frame(rows):
    return pd.DataFrame(rows, columns=BONUS_COLUMNS).astype({c: float for c in ("from", "to", "rate", "cap",
                                                                                  "weight")})


def flat_targets(operators, sales=10_000.0, net_profit=1_000.0, launches=0.0, year=2026):
    """Every operator: the same sales and net profit each month of the year."""
    return pd.DataFrame([{"operator": o, "month": f"{year}-{m:02d}", "sales": sales, "net_profit": net_profit,
                          "launches": launches} for o in operators for m in range(1, 13)])


def totals(table, column):
    t = table[table["kind"] == "total"]
    return dict(zip(t["operator"], t[column]))


# --- multiplier: step --------------------------------------------------------------------------------------

DEFAULT_TIERS = DEFAULT_RULES[0].tiers


@pytest.mark.parametrize("a, expected", [
    (0.0, 0.0), (0.7999, 0.0),            # below 80 %: the gate
    (0.8, 0.5), (0.9999, 0.5),            # a tier's `from` is in it; its `to` is not
    (1.0, 1.0), (1.1999, 1.0),
    (1.2, 1.5), (2.5, 1.5),               # the last tier is open
])
def test_default_step_scheme_at_the_edges(a, expected):
    """Default: 0 below 80 %, 0.5 from 80 %, 1.0 from 100 %, 1.5 from 120 % (cap 1.5)."""
    assert multiplier(DEFAULT_TIERS, a, "step", 1.5) == expected


def test_step_above_the_last_tier_keeps_its_rate():
    """Golden step tiers end at 300 % (1.2–3.0 at 1.3): at 300 % and 350 % the last tier's rate, 1.3."""
    tiers = [(0, 0.8, 0), (0.8, 1.0, 0.6), (1.0, 1.2, 1.0), (1.2, 3.0, 1.3)]
    assert multiplier(tiers, 3.0) == 1.3
    assert multiplier(tiers, 3.5) == 1.3
    assert multiplier(tiers, 1.2) == 1.3 and multiplier(tiers, 0.8) == 0.6


def test_step_below_the_first_tier_pays_nothing():
    """Tiers start at 80 % without an explicit gate: at 50 % no tier holds A → 0."""
    assert multiplier([(0.8, 1.0, 0.5), (1.0, None, 1.0)], 0.5) == 0.0
    assert multiplier([(0.8, 1.0, 0.5), (1.0, None, 1.0)], 0.8) == 0.5


# --- multiplier: marginal ----------------------------------------------------------------------------------

@pytest.mark.parametrize("a, expected", [
    (0.5, 0.5),    # 1.0 × 0.5
    (1.0, 1.0),    # 1.0 × 1.0 + 1.5 × 0
    (1.3, 1.45),   # 1.0 × 1.0 + 1.5 × 0.3 (the SPEC's check)
    (1.5, 1.75),   # 1.0 + 1.5 × 0.5
    (2.0, 1.75),   # no tier above 150 %: nothing more
])
def test_marginal_tiers(a, expected):
    """Tiers 0–100 % at 1.0 and 100–150 % at 1.5, marginal: Σ rate × max(0, min(A, to) − from)."""
    assert multiplier([(0, 1.0, 1.0), (1.0, 1.5, 1.5)], a, "marginal") == pytest.approx(expected, abs=1e-12)


def test_marginal_gate():
    """A gate (rate 0 from 0 to 80 %) over a marginal scheme paid from 0: 0–100 % at 1.0, 100 %+ at 2.0.
    79.99 %: below the gate → 0 (the formula alone would give 0.7999).  80 %: 1.0 × 0.8 = 0.8.
    110 %: 1.0 × 1.0 + 2.0 × 0.1 = 1.2."""
    tiers = [(0, 0.8, 0), (0, 1.0, 1.0), (1.0, None, 2.0)]
    assert multiplier(tiers, 0.7999, "marginal") == 0.0
    assert multiplier(tiers, 0.8, "marginal") == 0.8
    assert multiplier(tiers, 1.1, "marginal") == pytest.approx(1.2)


def test_step_gate():
    """Gate 0–90 % at 0, then 1.0 from 0 % (overlapping): 89.99 % → 0; 90 % → 1.0."""
    tiers = [(0, 0.9, 0), (0, None, 1.0)]
    assert multiplier(tiers, 0.8999) == 0.0 and multiplier(tiers, 0.9) == 1.0


@pytest.mark.parametrize("a, expected", [
    (1.1, 1.2),    # 1.0 + 2.0 × 0.1, under the cap
    (1.15, 1.3),   # 1.0 + 2.0 × 0.15 = 1.3, the cap exactly
    (1.2, 1.3),    # 1.0 + 2.0 × 0.2 = 1.4, capped
    (1.5, 1.3),    # 2.0 capped
])
def test_cap(a, expected):
    """Golden quarterly net-profit tiers: 0–100 % at 1.0, 100–150 % at 2.0, marginal, cap 1.3."""
    assert multiplier([(0, 1.0, 1.0), (1.0, 1.5, 2.0)], a, "marginal", 1.3) == pytest.approx(expected)


def test_cap_on_a_step():
    """Default tiers with cap 1.2 instead of 1.5: 120 % → min(1.5, 1.2) = 1.2; cap NaN → no cap."""
    assert multiplier(DEFAULT_TIERS, 1.2, "step", 1.2) == 1.2
    assert multiplier(DEFAULT_TIERS, 1.2, "step", float("nan")) == 1.5


def test_attainment_is_rounded_before_the_tiers():
    """79.994 % → 79.99 % (below the gate, 0); 79.995 % → 80.00 % (0.5)."""
    assert attainment(7_999.4, 10_000) == 0.7999
    assert attainment(7_999.5, 10_000) == 0.8
    assert multiplier(DEFAULT_TIERS, attainment(7_999.4, 10_000), "step", 1.5) == 0.0
    assert multiplier(DEFAULT_TIERS, attainment(7_999.5, 10_000), "step", 1.5) == 0.5
    # the multiplier rounds a raw attainment itself too
    assert multiplier(DEFAULT_TIERS, 0.79995, "step", 1.5) == 0.5


def test_attainment_of_a_zero_or_negative_plan():
    """A plan of 0 is 100 % attained when the actual is ≥ 0 (0 → 1.0, 35 → 1.0), else 0.
    A planned loss of 1 000 with an actual loss of 500: 1 + (−500 + 1 000) / 1 000 = 1.5."""
    assert attainment(0, 0) == 1.0 and attainment(35, 0) == 1.0 and attainment(-1, 0) == 0.0
    assert attainment(-500, -1000) == 1.5 and attainment(-1500, -1000) == 0.5
    assert multiplier(DEFAULT_TIERS, attainment(0, 0), "step", 1.5) == 1.0


# --- periods and payment months ----------------------------------------------------------------------------

def test_periods_and_payment_months():
    assert periods_of("quarter", 2026)[1] == ("2026-Q2", ["2026-04", "2026-05", "2026-06"])
    assert len(periods_of("month", 2026)) == 12 and periods_of("year", 2026)[0][0] == "2026"
    assert [payment_month(p) for p in ("2026-Q1", "2026-Q4", "2026", "2026-03", "2026-12")] == \
        ["2026-04", "2027-01", "2027-01", "2026-04", "2027-01"]


# --- plan_bonus --------------------------------------------------------------------------------------------

def test_three_operators_yearly_step():
    """Yearly sales step: 0 below 80 %, 0.5 from 80 % to 100 %, 1.0 from 100 %; three operators on 12 000.
    At 100 %: 3 × 12 000 × 1.0 = 36 000.  At 80 %: 3 × 12 000 × 0.5 = 18 000.  At 120 %: still 1.0 → 36 000."""
    frame = scheme_frame([["year", "sales", 0, 0.8, 0, "step", None, None],
                          ["year", "sales", 0.8, 1.0, 0.5, "step", None, None],
                          ["year", "sales", 1.0, None, 1.0, "step", None, None]])
    scheme, problems = parse_scheme(frame)
    assert problems == [] and scheme.rules[0].weight == 1.0
    team = pd.DataFrame({"operator": ["A", "B", "C"], "base_salary": 8000.0, "bonus_base": 12_000.0})
    table = plan_bonus(scheme, team, flat_targets(["A", "B", "C"]))
    assert bonus_total(table, "bonus_at_100") == 36_000.0
    assert bonus_total(table, "bonus_at_80") == 18_000.0
    assert bonus_total(table, "bonus_at_120") == 36_000.0
    row = table[(table["operator"] == "A") & (table["kind"] == "year")].iloc[0]
    assert row["period"] == "2026" and row["target"] == 120_000.0 and row["share"] == 12_000.0


def load_golden_sheets():
    spec = importlib.util.spec_from_file_location("make_golden", GOLDEN / "make_golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.golden_sheets()


def test_golden_bonus():
    """Golden scheme: yearly sales step (0 / 0.6 from 80 % / 1.0 from 100 % / 1.3 from 120 %, weight 0.6) and
    quarterly net-profit marginal (1.0 on 0–100 %, 2.0 on 100–150 %, cap 1.3, weight 0.4).

    Wang Fang, base 24 000: yearly share 0.6 × 24 000 = 14 400; quarterly 0.4 × 24 000 / 4 = 2 400 each.
      80 %:  14 400 × 0.6 + 4 × 2 400 × 0.8 = 8 640 + 7 680 = 16 320
      100 %: 14 400 × 1.0 + 4 × 2 400 × 1.0 = 24 000
      120 %: 14 400 × 1.3 + 4 × 2 400 × min(1.0 + 2.0 × 0.2, 1.3) = 18 720 + 12 480 = 31 200
    Chen Jie, base 18 000: 10 800 and 1 800 a quarter: 6 480 + 5 760 = 12 240; 18 000; 23 400.
    Company at 100 %: 42 000 (README headline gs_bonus_total).
    """
    sheets = load_golden_sheets()
    header, *rows = sheets["Bonus"]
    scheme, problems = parse_scheme(pd.DataFrame(rows, columns=header), {"profit_pool_rate": 0, "launch_bonus": 0})
    assert problems == []
    assert [(r.period, r.metric, r.mode, r.cap, r.weight) for r in scheme.rules] == \
        [("year", "sales", "step", None, 0.6), ("quarter", "net_profit", "marginal", 1.3, 0.4)]
    th, *team_rows = sheets["Team"]
    team = pd.DataFrame(team_rows, columns=th)
    table = plan_bonus(scheme, team, flat_targets(["Wang Fang", "Chen Jie"]))
    assert totals(table, "bonus_at_80") == {"Wang Fang": 16_320.0, "Chen Jie": 12_240.0}
    assert totals(table, "bonus_at_100") == {"Wang Fang": 24_000.0, "Chen Jie": 18_000.0}
    assert totals(table, "bonus_at_120") == {"Wang Fang": 31_200.0, "Chen Jie": 23_400.0}
    assert bonus_total(table) == 42_000.0
    # one year row and four quarter rows per operator, then the total
    assert table[table["operator"] == "Wang Fang"]["period"].tolist() == \
        ["2026", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "Total"]


def test_targets_per_period():
    """Monthly sales 1 000 × month number (Jan 1 000 … Dec 12 000): Q2 = 4 000 + 5 000 + 6 000 = 15 000;
    year = 1 000 × 78 = 78 000."""
    scheme = BonusScheme((BonusRule("quarter", "sales", DEFAULT_TIERS, "step", 1.5, 0.5),
                          BonusRule("year", "sales", DEFAULT_TIERS, "step", 1.5, 0.5)))
    targets = pd.DataFrame({"operator": "A", "month": [f"2026-{m:02d}" for m in range(1, 13)],
                            "sales": [1000.0 * m for m in range(1, 13)], "net_profit": 0.0, "launches": 0.0})
    table = plan_bonus(scheme, pd.DataFrame({"operator": ["A"], "bonus_base": [10_000.0]}), targets)
    got = dict(zip(table["period"], table["target"]))
    assert got["2026-Q2"] == 15_000.0 and got["2026"] == 78_000.0
    # shares: a quarter gets 0.5 × 10 000 / 4 = 1 250; the year 5 000
    assert dict(zip(table["period"], table["share"]))["2026-Q3"] == 1_250.0


def test_default_scheme_and_no_team():
    """No Bonus rows: the default yearly sales step.  No Team sheet: every base is 0, so every bonus is 0."""
    scheme, _ = parse_scheme(pd.DataFrame(columns=BONUS_COLUMNS))
    assert scheme.is_default and scheme.rules == DEFAULT_RULES
    table = plan_bonus(scheme, pd.DataFrame(columns=["operator", "base_salary", "bonus_base"]),
                       flat_targets(["A", "B"]))
    assert bonus_total(table) == 0.0 and totals(table, "bonus_at_120") == {"A": 0.0, "B": 0.0}
    # with a base of 10 000 the default pays 5 000 / 10 000 / 15 000
    table = plan_bonus(scheme, pd.DataFrame({"operator": ["A"], "bonus_base": [10_000.0]}), flat_targets(["A"]))
    assert [totals(table, c)["A"] for c in ("bonus_at_80", "bonus_at_100", "bonus_at_120")] == \
        [5_000.0, 10_000.0, 15_000.0]


def test_profit_pool():
    """profit_pool_rate 10 %; A's net-profit target 300 000 (25 000 a month), B's 200 000: company 500 000.
    At 120 %: pool = 0.1 × max(0, 600 000 − 500 000) = 10 000, split 3 : 2 → A 6 000, B 4 000.
    At 100 % and 80 %: nothing above target → 0."""
    scheme = BonusScheme((), profit_pool_rate=0.1)
    targets = pd.concat([flat_targets(["A"], net_profit=25_000.0),
                         flat_targets(["B"], net_profit=200_000.0 / 12)], ignore_index=True)
    team = pd.DataFrame({"operator": ["A", "B"], "bonus_base": [0.0, 0.0]})
    table = plan_bonus(scheme, team, targets)
    assert totals(table, "bonus_at_120") == {"A": 6_000.0, "B": 4_000.0}
    assert bonus_total(table, "bonus_at_100") == 0.0 and bonus_total(table, "bonus_at_80") == 0.0


def test_profit_pool_skips_loss_makers():
    """A's target 300 000, B's −50 000: company 250 000.  At 120 %: 0.1 × 0.2 × 250 000 = 5 000, all to A
    (B contributes no profit)."""
    scheme = BonusScheme((), profit_pool_rate=0.1)
    targets = pd.concat([flat_targets(["A"], net_profit=25_000.0),
                         flat_targets(["B"], net_profit=-50_000.0 / 12)], ignore_index=True)
    table = plan_bonus(scheme, pd.DataFrame(columns=["operator", "bonus_base"]), targets)
    assert totals(table, "bonus_at_120") == {"A": 5_000.0, "B": 0.0}


def test_launch_bonus_and_payments():
    """launch_bonus 1 000, success rate 0.6.  A launches 2 in March and 1 in May: 2 × 0.6 × 1 000 = 1 200 and
    600, 1 800 in all at every attainment.  Ramp 3 months: paid the month after launch + 3 → July and September.
    A's yearly sales bonus (default scheme, base 6 000) at 100 %: 6 000, paid 2027-01."""
    scheme = BonusScheme(DEFAULT_RULES, launch_bonus=1_000.0)
    targets = flat_targets(["A"])
    targets.loc[targets["month"] == "2026-03", "launches"] = 2
    targets.loc[targets["month"] == "2026-05", "launches"] = 1
    table = plan_bonus(scheme, pd.DataFrame({"operator": ["A"], "bonus_base": [6_000.0]}), targets,
                       new_success_rate=0.6)
    launch = table[table["kind"] == "launch"]
    assert launch["period"].tolist() == ["2026-03", "2026-05"]
    assert launch["bonus_at_80"].tolist() == [1_200.0, 600.0] == launch["bonus_at_120"].tolist()
    assert totals(table, "bonus_at_100") == {"A": 7_800.0}
    pay = bonus_payments(table, new_ramp_months=3)
    assert pay.values.tolist() == [["2026-07", 1_200.0], ["2026-09", 600.0], ["2027-01", 6_000.0]]


def test_payments_of_a_quarterly_scheme():
    """Quarterly net-profit bonus, base 8 000, weight 1: 2 000 a quarter at 100 %, paid April, July, October and
    (Q4) January of the next year, which the cash table drops."""
    scheme = BonusScheme((BonusRule("quarter", "net_profit", DEFAULT_TIERS, "step", 1.5, 1.0),))
    table = plan_bonus(scheme, pd.DataFrame({"operator": ["A"], "bonus_base": [8_000.0]}), flat_targets(["A"]))
    pay = bonus_payments(table)
    assert pay.values.tolist() == [["2026-04", 2_000.0], ["2026-07", 2_000.0], ["2026-10", 2_000.0],
                                   ["2027-01", 2_000.0]]


def test_rounding_keeps_totals_exact():
    """Monthly scheme on a base of 1 000: 1 000 / 12 = 83.333… a month.  Rounded by largest remainder against
    1 000.00: floors 83.33 × 12 = 999.96, four cents go to the first four months → 83.34 × 4 + 83.33 × 8
    = 1 000.00."""
    scheme = BonusScheme((BonusRule("month", "sales", DEFAULT_TIERS, "step", 1.5, 1.0),))
    table = plan_bonus(scheme, pd.DataFrame({"operator": ["A"], "bonus_base": [1_000.0]}), flat_targets(["A"]))
    months = table[table["kind"] == "month"]["bonus_at_100"].tolist()
    assert months == [83.34] * 4 + [83.33] * 8
    assert totals(table, "bonus_at_100") == {"A": 1_000.0}


# --- parse_scheme ------------------------------------------------------------------------------------------

def test_weights_left_blank_share_the_rest():
    """Yearly sales weight 0.5; quarterly net profit and monthly launches blank → (1 − 0.5) / 2 = 0.25 each."""
    frame = scheme_frame([["year", "sales", 0.8, None, 1.0, "step", None, 0.5],
                          ["quarter", "net_profit", 0.8, None, 1.0, "step", None, None],
                          ["month", "launches", 0.5, None, 1.0, "step", None, None]])
    scheme, problems = parse_scheme(frame, {"profit_pool_rate": 0.05, "launch_bonus": 500})
    assert [r.weight for r in scheme.rules] == [0.5, 0.25, 0.25] and problems == []
    assert scheme.profit_pool_rate == 0.05 and scheme.launch_bonus == 500


def test_weights_that_do_not_add_up_warn():
    frame = scheme_frame([["year", "sales", 0.8, None, 1.0, "step", None, 0.5],
                          ["quarter", "sales", 0.8, None, 1.0, "step", None, 0.3]])
    scheme, problems = parse_scheme(frame)
    assert [r.weight for r in scheme.rules] == [0.5, 0.3]
    assert len(problems) == 1 and problems[0].severity == "warning" and "0.8" in problems[0].message


def test_conflicting_caps_warn_and_the_first_is_used():
    frame = scheme_frame([["year", "sales", 0, 1.0, 1.0, "marginal", 1.5, None],
                          ["year", "sales", 1.0, None, 2.0, "marginal", 2.0, None]])
    scheme, problems = parse_scheme(frame)
    assert scheme.rules[0].cap == 1.5 and scheme.rules[0].tiers[1] == Tier(1.0, math.inf, 2.0)
    assert any("cap" in p.message for p in problems)


# --- tracking: earned_bonus --------------------------------------------------------------------------------

from goalsheet.plan.bonus import earned_bonus  # noqa: E402


def golden_like_scheme(**kw):
    return BonusScheme((BonusRule("year", "sales", (Tier(0, 0.8, 0), Tier(0.8, 1.0, 0.6), Tier(1.0, 1.2, 1.0),
                                                    Tier(1.2, 3.0, 1.3)), "step", None, 0.6),
                        BonusRule("quarter", "net_profit", (Tier(0, 1.0, 1.0), Tier(1.0, 1.5, 2.0)), "marginal",
                                  1.3, 0.4)), **kw)


def actual_rows(op, sales, net_profit):
    return pd.DataFrame({"operator": op, "month": [f"2026-{m:02d}" for m in range(1, len(sales) + 1)],
                         "sales": sales, "net_profit": net_profit, "launches": 0.0})


def test_earned_bonus_to_date():
    """Base 24 000: yearly sales share 14 400, net profit 2 400 a quarter.  Plan: sales 10 000 and net profit
    1 000 a month.  Actuals Jan–Apr: sales 11 000 a month; net profit 1 100, 1 100, 1 100, 900.  As of April:
      year sales: to date 44 000 / 40 000 = 110 % → step 1.0; open: forecast 14 400, earned 0, true-up 0
      Q1 net profit: 3 300 / 3 000 = 110 % → 1.0 + 2.0 × 0.1 = 1.2 → earned 2 880, paid in April (≤ as-of),
                     true-up 2 880 − 2 400 = 480
      Q2: April 900 / 1 000 = 90 % → 0.9 → forecast 2 160, earned 0, true-up −240
      Q3, Q4: future, forecast = accrued 2 400, true-up 0
      total: accrued 24 000, earned 2 880, paid 2 880, forecast 14 400 + 2 880 + 2 160 + 4 800 = 24 240,
             true-up 240.
    As of March, Q1 is closed but its bonus is paid in April: paid 0."""
    team = pd.DataFrame({"operator": ["A"], "bonus_base": [24_000.0]})
    plan = flat_targets(["A"], sales=10_000.0, net_profit=1_000.0)
    actuals = actual_rows("A", [11_000.0] * 4, [1_100.0, 1_100.0, 1_100.0, 900.0])
    out = earned_bonus(golden_like_scheme(), team, plan, actuals, "2026-04").set_index("period")
    assert out.loc["2026", "attainment"] == 1.1 and out.loc["2026", "status"] == "open"
    assert out.loc["2026", "forecast"] == 14_400.0 and out.loc["2026", "earned"] == 0.0
    assert out.loc["2026-Q1", ["status", "attainment", "earned", "paid", "true_up"]].tolist() == \
        ["closed", 1.1, 2_880.0, 2_880.0, 480.0]
    assert out.loc["2026-Q2", ["status", "attainment", "forecast", "true_up"]].tolist() == \
        ["open", 0.9, 2_160.0, -240.0]
    assert out.loc["2026-Q4", ["status", "forecast", "true_up"]].tolist() == ["future", 2_400.0, 0.0]
    assert out.loc["Total", ["accrued", "earned", "paid", "forecast", "true_up"]].tolist() == \
        [24_000.0, 2_880.0, 2_880.0, 24_240.0, 240.0]
    march = earned_bonus(golden_like_scheme(), team, plan, actuals.iloc[:3], "2026-03").set_index("period")
    assert march.loc["2026-Q1", ["earned", "paid", "payment_month"]].tolist() == [2_880.0, 0.0, "2026-04"]


def test_earned_launch_bonus():
    """launch_bonus 1 000, success rate 0.6, ramp 3.  A planned 1 launch in January: accrued 600.  It succeeded;
    its window closes in April (Jan + 3), so as of April it is closed: earned 1 000, paid in May (not yet),
    true-up +400.  An unplanned February launch also succeeded: accrued 0, earned 1 000, window open till May."""
    team = pd.DataFrame({"operator": ["A"], "bonus_base": [0.0]})
    plan = flat_targets(["A"])
    plan.loc[plan["month"] == "2026-01", "launches"] = 1
    wins = pd.DataFrame({"operator": ["A", "A"], "month": ["2026-01", "2026-02"], "count": [1, 1]})
    out = earned_bonus(BonusScheme(DEFAULT_RULES, launch_bonus=1_000.0), team, plan,
                       actual_rows("A", [10_000.0] * 4, [1_000.0] * 4), "2026-04", successful_launches=wins)
    launch = out[out["kind"] == "launch"].set_index("period")
    assert launch.loc["2026-01", ["status", "accrued", "earned", "paid", "payment_month", "true_up"]].tolist() == \
        ["closed", 600.0, 1_000.0, 0.0, "2026-05", 400.0]
    assert launch.loc["2026-02", ["status", "accrued", "earned", "forecast"]].tolist() == \
        ["open", 0.0, 1_000.0, 1_000.0]


def test_earned_profit_pool():
    """Pool rate 10 %; plan net profit 1 000 a month for A and B (company 24 000).  Actual for the whole year:
    A 1 500 a month (18 000), B 1 000 (12 000): company 30 000 → 125 % → 0.1 × 0.25 × 24 000 = 600, split by
    actual net profit 18 000 : 12 000 → A 360, B 240; the year is closed as of December, paid 2027-01."""
    team = pd.DataFrame({"operator": ["A", "B"], "bonus_base": [0.0, 0.0]})
    plan = flat_targets(["A", "B"], net_profit=1_000.0)
    actuals = pd.concat([actual_rows("A", [10_000.0] * 12, [1_500.0] * 12),
                         actual_rows("B", [10_000.0] * 12, [1_000.0] * 12)], ignore_index=True)
    out = earned_bonus(BonusScheme((), profit_pool_rate=0.1), team, plan, actuals, "2026-12")
    pool = out[out["metric"] == "profit_pool"].set_index("operator")
    assert pool["earned"].to_dict() == {"A": 360.0, "B": 240.0}
    assert pool["paid"].tolist() == [0.0, 0.0] and pool["payment_month"].tolist() == ["2027-01"] * 2


# --- every tier edge: just below, at and just above ---------------------------------------------------------

@pytest.mark.parametrize("a, expected", [
    (0.9999, 0.9999),     # 1.0 × 0.9999
    (1.0, 1.0),           # the edge itself: 1.0 × 1.0 + 1.5 × 0
    (1.0001, 1.00015),    # 1.0 + 1.5 × 0.0001
    (1.4999, 1.74985),    # 1.0 + 1.5 × 0.4999
    (1.5, 1.75),          # 1.0 + 1.5 × 0.5
    (1.5001, 1.75),       # above the last `to`: nothing more
])
def test_marginal_at_each_edge(a, expected):
    """Tiers 0–100 % at 1.0 and 100–150 % at 1.5, marginal, no cap."""
    assert multiplier([(0, 1.0, 1.0), (1.0, 1.5, 1.5)], a, "marginal") == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("a, expected", [
    (1.1499, 1.2998),     # 1.0 + 2.0 × 0.1499, under the cap
    (1.15, 1.3),          # exactly the cap
    (1.1501, 1.3),        # 1.3002 capped to 1.3
])
def test_cap_at_its_edge(a, expected):
    """Golden quarterly tiers (1.0 on 0–100 %, 2.0 on 100–150 %, marginal) with cap 1.3: the cap binds from
    1.0 + 2.0 × (A − 1) = 1.3, i.e. A = 115 %."""
    assert multiplier([(0, 1.0, 1.0), (1.0, 1.5, 2.0)], a, "marginal", 1.3) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("a, expected", [(0.7999, 0.0), (0.8, 0.8), (0.8001, 0.8001)])
def test_marginal_gate_at_its_edge(a, expected):
    """Gate 0–80 % at 0 over a marginal 0–100 % at 1.0: nothing below 80 %; from 80 % the whole slice counts."""
    assert multiplier([(0, 0.8, 0), (0, 1.0, 1.0)], a, "marginal") == pytest.approx(expected, abs=1e-12)


def test_profit_pool_at_its_edges():
    """Pool 10 %, company net-profit target 500 000 (A 300 000, B 200 000), earned as of December.
    Actual exactly on target (100 %): pool 0.  Actual 500 050 (100.01 %: attainment rounded to 0.01 %):
    0.1 × 0.0001 × 500 000 = 5.00, split by actual profit 300 050 : 200 000 → 3.00 and 2.00 (rounded to cents
    by largest remainder: 3.0006 → 3.00, 1.9994 → 2.00).  Below target (99.99 %): 0."""
    from goalsheet.plan.bonus import earned_bonus
    team = pd.DataFrame({"operator": ["A", "B"], "bonus_base": [0.0, 0.0]})
    plan = pd.concat([flat_targets(["A"], net_profit=25_000.0), flat_targets(["B"], net_profit=200_000.0 / 12)],
                     ignore_index=True)

    def pool(extra_a: float) -> dict:
        actual = plan.copy()
        actual.loc[(actual["operator"] == "A") & (actual["month"] == "2026-12"), "net_profit"] += extra_a
        out = earned_bonus(BonusScheme((), profit_pool_rate=0.1), team, plan, actual, "2026-12")
        rows = out[out["metric"] == "profit_pool"]
        return dict(zip(rows["operator"], rows["earned"]))

    assert pool(0.0) == {"A": 0.0, "B": 0.0}
    assert pool(50.0) == {"A": 3.0, "B": 2.0}
    assert pool(-50.0) == {"A": 0.0, "B": 0.0}


def test_no_launch_no_launch_bonus():
    """launch_bonus 1 000 but no launch planned: no launch rows, bonus 0 beyond the scheme's."""
    table = plan_bonus(BonusScheme((), launch_bonus=1_000.0), pd.DataFrame({"operator": ["A"], "bonus_base": [0.0]}),
                       flat_targets(["A"]))
    assert not (table["kind"] == "launch").any() and bonus_total(table) == 0.0
