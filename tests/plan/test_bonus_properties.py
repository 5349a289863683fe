"""Bonus invariants as properties: multipliers stay in [0, cap] and never fall as attainment rises; every
operator's total is the sum of their rows to the cent; payments add up to the bonus."""
from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from goalsheet.plan.bonus import (BonusRule, BonusScheme, Tier, bonus_payments, bonus_total, multiplier,
                                  plan_bonus)

attainments = st.floats(0, 3, allow_nan=False)


@st.composite
def ladders(draw):
    """Contiguous tiers from 0 with non-decreasing rates (a gate first, or not), the last open or not."""
    edges = sorted(set(round(x, 2) for x in draw(st.lists(st.floats(0.05, 2.5), min_size=1, max_size=5))))
    bounds = [0.0, *edges]
    rates = sorted(draw(st.lists(st.floats(0, 3), min_size=len(bounds), max_size=len(bounds))))
    if draw(st.booleans()):
        rates[0] = 0.0                                         # a gate
    uppers = bounds[1:] + [math.inf if draw(st.booleans()) else round(bounds[-1] + 0.5, 2)]
    return [Tier(lo, up, r) for lo, up, r in zip(bounds, uppers, rates)]


@settings(max_examples=200, deadline=None)
@given(ladders(), attainments, attainments, st.sampled_from(["step", "marginal"]),
       st.one_of(st.none(), st.floats(0, 3)))
def test_multiplier_is_bounded_and_monotone(tiers, a, b, mode, cap):
    lo, hi = sorted((a, b))
    m_lo, m_hi = multiplier(tiers, lo, mode, cap), multiplier(tiers, hi, mode, cap)
    assert 0 <= m_lo <= m_hi + 1e-12
    if cap is not None:
        assert m_hi <= cap + 1e-12


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 100_000), min_size=1, max_size=5),
       st.lists(st.tuples(st.sampled_from(["month", "quarter", "year"]),
                          st.sampled_from(["sales", "net_profit", "launches"])),
                min_size=1, max_size=3, unique=True),
       st.floats(0, 2_000), st.floats(0, 0.3))
def test_totals_and_payments_reconcile(bases, pairs, launch_bonus, pool_rate):
    ops = [f"op{i}" for i in range(len(bases))]
    tiers = (Tier(0, 0.8, 0), Tier(0.8, 1.0, 0.7), Tier(1.0, math.inf, 1.0))
    scheme = BonusScheme(tuple(BonusRule(p, m, tiers, "step", 1.4,
                                         1 / len(pairs)) for p, m in pairs),
                         profit_pool_rate=pool_rate, launch_bonus=launch_bonus)
    targets = pd.DataFrame([{"operator": o, "month": f"2026-{m:02d}", "sales": 1000.0 * (i + 1),
                             "net_profit": 100.0 * (i + 1), "launches": float(m % 3 == 0)}
                            for i, o in enumerate(ops) for m in range(1, 13)])
    table = plan_bonus(scheme, pd.DataFrame({"operator": ops, "bonus_base": bases}), targets)
    for col in ("bonus_at_80", "bonus_at_100", "bonus_at_120"):
        for op in ops:
            rows = table[(table["operator"] == op) & (table["kind"] != "total")]
            total = table[(table["operator"] == op) & (table["kind"] == "total")][col].iloc[0]
            assert round(total * 100) == sum(round(v * 100) for v in rows[col])
    # weights add to 1 and the multiplier is 1.0 at 100 %: the bases plus the expected launch bonuses
    expected = math.fsum(bases) + launch_bonus * 0.6 * 4 * len(ops)
    assert abs(bonus_total(table) - expected) <= 0.01 * (len(table) + 1)
    pay = bonus_payments(table)
    assert round(pay["amount"].sum() * 100) == round(bonus_total(table) * 100)
